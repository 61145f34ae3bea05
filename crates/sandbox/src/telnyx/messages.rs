//! Messages (`/v2/messages`): send, fetch, lifecycle events and inbound simulation.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::{
    ORGANIZATION_ID, TelnyxAccount, TelnyxAuth, TelnyxError, TelnyxResult, invalid_url,
    parse_json_object, with_account,
};
use crate::clock::{self, Timestamp};
use crate::delivery::{self, Outgoing};
use crate::ids;
use crate::lifecycle::{self, Outcome};
use crate::params::is_http_url;
use crate::provider::Provider;
use crate::state::Sandbox;

#[derive(Debug, Clone)]
pub struct TelnyxMessage {
    pub id: String,
    pub direction: &'static str,
    pub from: String,
    pub to: String,
    pub text: String,
    pub media_urls: Vec<String>,
    pub messaging_profile_id: Option<String>,
    /// The recipient's status (`to[0].status`).
    pub status: &'static str,
    pub errors: Vec<Value>,
    pub webhook_url: Option<String>,
    pub webhook_failover_url: Option<String>,
    pub received_at: Timestamp,
    pub sent_at: Option<Timestamp>,
    pub completed_at: Option<Timestamp>,
}

impl TelnyxMessage {
    fn render(&self) -> Value {
        let parts = self.text.chars().count().max(1).div_ceil(160);
        json!({
            "record_type": "message",
            "id": self.id,
            "direction": self.direction,
            "type": if self.media_urls.is_empty() { "SMS" } else { "MMS" },
            "messaging_profile_id": self.messaging_profile_id,
            "organization_id": ORGANIZATION_ID,
            "from": {"phone_number": self.from, "carrier": "Telnyx", "line_type": "Wireless"},
            "to": [{
                "phone_number": self.to,
                "status": self.status,
                "carrier": "Sandbox Mobile",
                "line_type": "Wireless",
            }],
            "cc": [],
            "text": self.text,
            "subject": null,
            "media": self.media_urls.iter().map(|url| json!({
                "url": url, "content_type": null, "sha256": null, "size": null,
            })).collect::<Vec<_>>(),
            "webhook_url": self.webhook_url,
            "webhook_failover_url": self.webhook_failover_url,
            "encoding": "GSM-7",
            "parts": parts,
            "tags": [],
            "cost": {"amount": format!("{:.4}", 0.004 * parts as f64), "currency": "USD"},
            "received_at": clock::iso8601_millis(&self.received_at),
            "sent_at": self.sent_at.as_ref().map(clock::iso8601_millis),
            "completed_at": self.completed_at.as_ref().map(clock::iso8601_millis),
            "valid_until": null,
            "errors": self.errors,
        })
    }
}

pub(super) fn string_field<'a>(
    body: &'a Map<String, Value>,
    key: &str,
) -> TelnyxResult<Option<&'a str>> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(TelnyxError::bad_request(format!(
            "'{key}' must be a string"
        ))),
    }
}

pub(super) fn is_alphanumeric_sender(from: &str) -> bool {
    (1..=11).contains(&from.len())
        && from.chars().any(|c| c.is_ascii_alphabetic())
        && from.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ')
}

/// `POST /v2/messages` → 200 `{"data": message}` with `to[0].status = "queued"`.
pub(super) async fn send_message(
    State(sandbox): State<Arc<Sandbox>>,
    auth: TelnyxAuth,
    body: Bytes,
) -> TelnyxResult<Json<Value>> {
    let body = parse_json_object(&body)?;
    let to = string_field(&body, "to")?.ok_or_else(|| TelnyxError::missing("to"))?;
    if !ids::is_e164(to) {
        return Err(TelnyxError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "10016",
            "Phone number must be in +E.164 format",
            format!("The 'to' number {to} is not in +E.164 format."),
        )
        .at("/to"));
    }
    let from = string_field(&body, "from")?;
    let profile_param = string_field(&body, "messaging_profile_id")?;
    let text = string_field(&body, "text")?.unwrap_or_default();
    let media_urls: Vec<String> = match body.get("media_urls") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| item.as_str().filter(|u| is_http_url(u)).map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| invalid_url("media_urls"))?,
        Some(_) => return Err(invalid_url("media_urls")),
    };
    if text.is_empty() && media_urls.is_empty() {
        return Err(TelnyxError::missing("text"));
    }
    let webhook_url = string_field(&body, "webhook_url")?.map(str::to_string);
    let webhook_failover_url = string_field(&body, "webhook_failover_url")?.map(str::to_string);
    for (key, url) in [
        ("webhook_url", &webhook_url),
        ("webhook_failover_url", &webhook_failover_url),
    ] {
        if url.as_deref().is_some_and(|u| !is_http_url(u)) {
            return Err(invalid_url(key));
        }
    }
    let use_profile_webhooks = body
        .get("use_profile_webhooks")
        .and_then(Value::as_bool)
        .unwrap_or(true);

    let message = with_account(&sandbox, &auth, |account| {
        let invalid_from = |detail: String| {
            TelnyxError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "40305",
                "Invalid 'from' address",
                detail,
            )
            .at("/from")
        };
        let (from, profile_id) = match from {
            None => {
                let profile = profile_param.ok_or_else(|| TelnyxError::missing("from"))?;
                let number = account
                    .numbers
                    .iter()
                    .find(|n| n.messaging_profile_id.as_deref() == Some(profile))
                    .ok_or_else(|| {
                        invalid_from(format!("Messaging profile {profile} has no numbers."))
                    })?;
                (number.phone_number.clone(), Some(profile.to_string()))
            }
            Some(from) if ids::is_e164(from) => {
                let number = account
                    .numbers
                    .iter()
                    .find(|n| n.phone_number == from)
                    .ok_or_else(|| {
                        invalid_from(format!("The 'from' number {from} is not on this account."))
                    })?;
                let profile = profile_param
                    .map(str::to_string)
                    .or_else(|| number.messaging_profile_id.clone())
                    .ok_or_else(|| {
                        invalid_from(format!(
                            "The 'from' number {from} is not assigned to a messaging profile."
                        ))
                    })?;
                (from.to_string(), Some(profile))
            }
            Some(from) if is_alphanumeric_sender(from) => {
                let profile =
                    profile_param.ok_or_else(|| TelnyxError::missing("messaging_profile_id"))?;
                (from.to_string(), Some(profile.to_string()))
            }
            Some(from) => return Err(invalid_from(format!("'{from}' is not a valid sender."))),
        };
        if let Some(id) = profile_id.as_deref()
            && account.profile(Some(id)).is_none()
        {
            return Err(TelnyxError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "10017",
                "Associated resource does not exist",
                format!("Messaging profile {id} does not exist."),
            )
            .at("/messaging_profile_id"));
        }
        let profile_webhook = account
            .profile(profile_id.as_deref())
            .filter(|_| use_profile_webhooks)
            .map(|p| p.webhook_url.clone())
            .filter(|url| !url.is_empty());
        let message = TelnyxMessage {
            id: ids::uuid_v4(&mut rand::rng()),
            direction: "outbound",
            from,
            to: to.to_string(),
            text: text.to_string(),
            media_urls,
            messaging_profile_id: profile_id,
            status: "queued",
            errors: Vec::new(),
            webhook_url: webhook_url.or(profile_webhook),
            webhook_failover_url,
            received_at: clock::now(),
            sent_at: None,
            completed_at: None,
        };
        account.messages.insert(0, message.clone());
        Ok(message)
    })?;
    spawn_lifecycle(sandbox, auth.api_key, message.id.clone(), &message.to);
    Ok(Json(json!({ "data": message.render() })))
}

pub(super) async fn fetch_message(
    State(sandbox): State<Arc<Sandbox>>,
    auth: TelnyxAuth,
    Path(id): Path<String>,
) -> TelnyxResult<Json<Value>> {
    with_account(&sandbox, &auth, |account| {
        account
            .messages
            .iter()
            .find(|m| m.id == id)
            .map(|m| Json(json!({ "data": m.render() })))
            .ok_or_else(TelnyxError::not_found)
    })
}

/// A Telnyx webhook event envelope.
pub fn event(event_type: &str, payload: Value, delivered_to: &str) -> Value {
    json!({
        "data": {
            "event_type": event_type,
            "id": ids::uuid_v4(&mut rand::rng()),
            "occurred_at": clock::iso8601_millis(&clock::now()),
            "payload": payload,
            "record_type": "event",
        },
        "meta": { "attempt": 1, "delivered_to": delivered_to },
    })
}

/// queued → sent (`message.sent`) → delivered / delivery_failed / sending_failed
/// (`message.finalized`).
pub(super) fn spawn_lifecycle(
    sandbox: Arc<Sandbox>,
    api_key: String,
    message_id: String,
    to: &str,
) {
    let error = |code: &str, title: &str| json!({ "code": code, "title": title });
    let steps: Vec<(&'static str, &'static str, Vec<Value>)> = match lifecycle::outcome_for(to) {
        Outcome::Delivered => vec![
            ("sent", "message.sent", Vec::new()),
            ("delivered", "message.finalized", Vec::new()),
        ],
        Outcome::Undelivered => vec![
            ("sent", "message.sent", Vec::new()),
            (
                "delivery_failed",
                "message.finalized",
                vec![error("40008", "Undeliverable")],
            ),
        ],
        Outcome::Failed => vec![(
            "sending_failed",
            "message.finalized",
            // 40002 is Telnyx's "Blocked as spam (temporary)"; 40300 means "Blocked due to STOP
            // message" (the recipient opted out) and must not be used for this.
            vec![error("40002", "Blocked as spam - temporary")],
        )],
    };
    tokio::spawn(async move {
        for (status, event_type, errors) in steps {
            if !lifecycle::pause(&sandbox).await {
                return;
            }
            let webhook = {
                let mut world = sandbox.world();
                let Some(message) = world
                    .telnyx
                    .get_mut(&api_key)
                    .and_then(|a| a.messages.iter_mut().find(|m| m.id == message_id))
                else {
                    return;
                };
                let now = clock::now();
                message.status = status;
                message.errors = errors;
                if status == "sent" {
                    message.sent_at = Some(now);
                } else {
                    message.completed_at = Some(now);
                }
                message
                    .webhook_url
                    .clone()
                    .map(|url| (url, message.render()))
            };
            if let Some((url, payload)) = webhook {
                let body = event(event_type, payload, &url);
                let target = Outgoing {
                    provider: Provider::Telnyx,
                    kind: "status_callback",
                    method: "POST",
                    url: &url,
                };
                let _ = delivery::telnyx(&sandbox, target, &body).await;
            }
        }
    });
}

/// Stores an inbound message and returns the webhook URL (the number's messaging profile's)
/// and the `message.received` payload.
pub fn record_inbound(
    account: &mut TelnyxAccount,
    number_index: usize,
    from: &str,
    body: &str,
) -> (Option<String>, Value) {
    let number = &account.numbers[number_index];
    let profile = account.profile(number.messaging_profile_id.as_deref());
    let webhook_url = profile
        .map(|p| p.webhook_url.clone())
        .filter(|url| !url.is_empty());
    let now = clock::now();
    let message = TelnyxMessage {
        id: ids::uuid_v4(&mut rand::rng()),
        direction: "inbound",
        from: from.to_string(),
        to: number.phone_number.clone(),
        text: body.to_string(),
        media_urls: Vec::new(),
        messaging_profile_id: number.messaging_profile_id.clone(),
        status: "webhook_delivered",
        errors: Vec::new(),
        webhook_url: webhook_url.clone(),
        webhook_failover_url: None,
        received_at: now,
        sent_at: None,
        completed_at: None,
    };
    let payload = message.render();
    account.messages.insert(0, message);
    (webhook_url, payload)
}
