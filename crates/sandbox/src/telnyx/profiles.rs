//! Messaging profiles (`/v2/messaging_profiles`): where a number's inbound webhooks go.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::{
    ORGANIZATION_ID, TelnyxAuth, TelnyxError, TelnyxResult, invalid_url, paginate,
    parse_json_object, with_account,
};
use crate::clock::{self, Timestamp};
use crate::ids;
use crate::params::is_http_url;
use crate::state::Sandbox;

#[derive(Debug, Clone)]
pub struct MessagingProfile {
    pub id: String,
    pub name: String,
    pub enabled: bool,
    /// Empty when unset, as Telnyx returns it.
    pub webhook_url: String,
    pub webhook_failover_url: String,
    pub webhook_api_version: String,
    pub whitelisted_destinations: Vec<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl MessagingProfile {
    pub fn new(id: String, name: &str) -> Self {
        let now = clock::now();
        Self {
            id,
            name: name.to_string(),
            enabled: true,
            webhook_url: String::new(),
            webhook_failover_url: String::new(),
            webhook_api_version: "2".into(),
            whitelisted_destinations: vec!["US".into(), "CA".into(), "SE".into()],
            created_at: now,
            updated_at: now,
        }
    }

    fn render(&self) -> Value {
        json!({
            "record_type": "messaging_profile",
            "id": self.id,
            "name": self.name,
            "enabled": self.enabled,
            "webhook_url": self.webhook_url,
            "webhook_failover_url": self.webhook_failover_url,
            "webhook_api_version": self.webhook_api_version,
            "whitelisted_destinations": self.whitelisted_destinations,
            "organization_id": ORGANIZATION_ID,
            "v1_secret": null,
            "number_pool_settings": null,
            "url_shortener_settings": null,
            "alpha_sender": null,
            "daily_spend_limit": "0.00",
            "daily_spend_limit_enabled": false,
            "mms_fall_back_to_sms": false,
            "mms_transcoding": false,
            "mobile_only": false,
            "smart_encoding": false,
            "health_webhook_url": null,
            "created_at": clock::iso8601_millis(&self.created_at),
            "updated_at": clock::iso8601_millis(&self.updated_at),
        })
    }

    /// Validates then applies a PATCH/POST body; unknown fields are ignored, as Telnyx does.
    fn apply(&mut self, body: &Map<String, Value>) -> TelnyxResult<()> {
        let mut next = self.clone();
        for key in ["webhook_url", "webhook_failover_url"] {
            match body.get(key) {
                None => {}
                Some(Value::Null) => set_url(&mut next, key, String::new()),
                Some(Value::String(url)) if url.is_empty() || is_http_url(url) => {
                    if url.len() > 2000 {
                        return Err(invalid_url(key));
                    }
                    set_url(&mut next, key, url.clone());
                }
                Some(_) => return Err(invalid_url(key)),
            }
        }
        if let Some(version) = body.get("webhook_api_version") {
            match version.as_str() {
                Some(v @ ("1" | "2" | "2010-04-01")) => next.webhook_api_version = v.to_string(),
                _ => {
                    return Err(TelnyxError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "10015",
                        "Bad Request",
                        "webhook_api_version must be one of \"1\", \"2\", \"2010-04-01\"",
                    )
                    .at("/webhook_api_version"));
                }
            }
        }
        if let Some(name) = body.get("name") {
            next.name = name
                .as_str()
                .filter(|n| !n.is_empty())
                .ok_or_else(|| TelnyxError::missing("name"))?
                .to_string();
        }
        if let Some(enabled) = body.get("enabled") {
            next.enabled = enabled
                .as_bool()
                .ok_or_else(|| TelnyxError::bad_request("enabled must be a boolean"))?;
        }
        if let Some(destinations) = body.get("whitelisted_destinations") {
            next.whitelisted_destinations = destinations
                .as_array()
                .and_then(|items| {
                    items
                        .iter()
                        .map(|item| item.as_str().map(str::to_string))
                        .collect::<Option<Vec<_>>>()
                })
                .ok_or_else(|| {
                    TelnyxError::bad_request("whitelisted_destinations must be a list of strings")
                })?;
        }
        next.updated_at = clock::now();
        *self = next;
        Ok(())
    }
}

pub(super) fn set_url(profile: &mut MessagingProfile, key: &str, url: String) {
    if key == "webhook_url" {
        profile.webhook_url = url;
    } else {
        profile.webhook_failover_url = url;
    }
}

pub(super) async fn list_profiles(
    State(sandbox): State<Arc<Sandbox>>,
    auth: TelnyxAuth,
    RawQuery(query): RawQuery,
) -> TelnyxResult<Json<Value>> {
    with_account(&sandbox, &auth, |account| {
        let (page, meta) = paginate(&account.profiles, query.as_deref());
        let data: Vec<Value> = page.iter().map(MessagingProfile::render).collect();
        Ok(Json(json!({ "data": data, "meta": meta })))
    })
}

pub(super) async fn create_profile(
    State(sandbox): State<Arc<Sandbox>>,
    auth: TelnyxAuth,
    body: Bytes,
) -> TelnyxResult<Json<Value>> {
    let body = parse_json_object(&body)?;
    for required in ["name", "whitelisted_destinations"] {
        if !body.contains_key(required) {
            return Err(TelnyxError::missing(required));
        }
    }
    let mut profile = MessagingProfile::new(ids::uuid_v4(&mut rand::rng()), "");
    profile.apply(&body)?;
    with_account(&sandbox, &auth, |account| {
        let rendered = profile.render();
        account.profiles.push(profile);
        Ok(Json(json!({ "data": rendered })))
    })
}

pub(super) async fn fetch_profile(
    State(sandbox): State<Arc<Sandbox>>,
    auth: TelnyxAuth,
    Path(id): Path<String>,
) -> TelnyxResult<Json<Value>> {
    with_account(&sandbox, &auth, |account| {
        account
            .profile(Some(&id))
            .map(|p| Json(json!({ "data": p.render() })))
            .ok_or_else(TelnyxError::not_found)
    })
}

pub(super) async fn update_profile(
    State(sandbox): State<Arc<Sandbox>>,
    auth: TelnyxAuth,
    Path(id): Path<String>,
    body: Bytes,
) -> TelnyxResult<Json<Value>> {
    let body = parse_json_object(&body)?;
    with_account(&sandbox, &auth, |account| {
        let profile = account
            .profiles
            .iter_mut()
            .find(|p| p.id == id)
            .ok_or_else(TelnyxError::not_found)?;
        profile.apply(&body)?;
        Ok(Json(json!({ "data": profile.render() })))
    })
}
