//! Messages: create (validation with Twilio's error codes and test "magic" numbers), fetch,
//! list, and the status lifecycle with signed status callbacks.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::Value;

use super::accounts::{AccountType, TwilioAccount};
use super::whatsapp_sandbox;
use super::{Page, PageRequest, TwilioAuth, TwilioError, TwilioResult, strip_json};
use crate::clock::{self, Timestamp};
use crate::delivery::{self, Outgoing};
use crate::ids;
use crate::lifecycle::{self, Outcome};
use crate::params::{Params, is_http_url};
use crate::provider::Provider;
use crate::state::Sandbox;

const WHATSAPP: &str = "whatsapp:";
/// The magic `From` that passes all validation (Twilio test credentials).
pub const MAGIC_VALID_FROM: &str = "+15005550006";
const TRIAL_PREFIX: &str = "Sent from your Twilio trial account - ";
const MAX_BODY_CHARS: usize = 1600;
const MAX_MEDIA: usize = 10;

#[derive(Debug, Clone)]
pub struct Message {
    pub sid: String,
    pub messaging_service_sid: Option<String>,
    pub from: String,
    pub to: String,
    pub body: String,
    pub status: &'static str,
    pub direction: &'static str,
    pub num_segments: usize,
    pub num_media: usize,
    pub error_code: Option<u32>,
    pub error_message: Option<String>,
    pub price: Option<String>,
    pub date_created: Timestamp,
    pub date_sent: Option<Timestamp>,
    pub date_updated: Timestamp,
    pub status_callback: Option<String>,
}

/// `api.v2010.account.message` as Twilio writes it; serialized straight from the message, so a
/// page of 1000 costs no intermediate JSON tree.
#[derive(Serialize)]
struct MessageView<'a> {
    account_sid: &'a str,
    api_version: &'static str,
    body: &'a str,
    date_created: String,
    date_sent: Option<String>,
    date_updated: String,
    direction: &'static str,
    error_code: Option<u32>,
    error_message: Option<&'a str>,
    from: &'a str,
    messaging_service_sid: Option<&'a str>,
    num_media: String,
    num_segments: String,
    price: Option<&'a str>,
    price_unit: &'static str,
    sid: &'a str,
    status: &'static str,
    subresource_uris: MediaUris,
    to: &'a str,
    uri: String,
}

#[derive(Serialize)]
struct MediaUris {
    media: String,
}

impl Message {
    fn view<'a>(&'a self, account_sid: &'a str) -> MessageView<'a> {
        let uri = format!("/2010-04-01/Accounts/{account_sid}/Messages/{}", self.sid);
        MessageView {
            account_sid,
            api_version: "2010-04-01",
            body: &self.body,
            date_created: clock::rfc2822(&self.date_created),
            date_sent: self.date_sent.as_ref().map(clock::rfc2822),
            date_updated: clock::rfc2822(&self.date_updated),
            direction: self.direction,
            error_code: self.error_code,
            error_message: self.error_message.as_deref(),
            from: &self.from,
            messaging_service_sid: self.messaging_service_sid.as_deref(),
            num_media: self.num_media.to_string(),
            num_segments: self.num_segments.to_string(),
            price: self.price.as_deref(),
            price_unit: "USD",
            sid: &self.sid,
            status: self.status,
            subresource_uris: MediaUris {
                media: format!("{uri}/Media.json"),
            },
            to: &self.to,
            uri: format!("{uri}.json"),
        }
    }

    pub fn render(&self, account_sid: &str) -> Value {
        serde_json::to_value(self.view(account_sid)).unwrap_or(Value::Null)
    }

    /// Parameters of a status callback, as Twilio posts them.
    fn callback_params(&self, account_sid: &str) -> Vec<(String, String)> {
        let mut params = vec![
            ("AccountSid", account_sid.to_string()),
            ("ApiVersion", "2010-04-01".to_string()),
            ("From", self.from.clone()),
            ("To", self.to.clone()),
            ("MessageSid", self.sid.clone()),
            ("SmsSid", self.sid.clone()),
            ("MessageStatus", self.status.to_string()),
            ("SmsStatus", self.status.to_string()),
        ];
        if let Some(service) = &self.messaging_service_sid {
            params.push(("MessagingServiceSid", service.clone()));
        }
        if let Some(code) = self.error_code {
            params.push(("ErrorCode", code.to_string()));
        }
        if self.to.starts_with(WHATSAPP) {
            params.push(("ChannelPrefix", "whatsapp".to_string()));
        }
        params
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect()
    }
}

/// Segments as Twilio counts them: GSM-7 160/153 characters, otherwise UCS-2 70/67.
fn segments(body: &str) -> usize {
    let chars = body.chars().count();
    let gsm = body.chars().all(|c| c.is_ascii() && c != '`');
    let (single, multi) = if gsm { (160, 153) } else { (70, 67) };
    if chars <= single {
        1
    } else {
        chars.div_ceil(multi)
    }
}

fn is_alphanumeric_sender(from: &str) -> bool {
    (1..=11).contains(&from.len())
        && from.chars().any(|c| c.is_ascii_alphabetic())
        && from.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ')
}

/// Errors Twilio's test numbers produce (twilio-magic-numbers.md).
fn magic_from_error(from: &str) -> Option<TwilioError> {
    let (code, message) = match from {
        "+15005550001" => (
            21212,
            format!(
                "The 'From' number {from} is not a valid phone number, shortcode, or alphanumeric sender ID."
            ),
        ),
        "+15005550007" => (21606, not_owned_message(from)),
        "+15005550008" => (
            21611,
            format!("This 'From' number {from} has exceeded the maximum number of queued messages"),
        ),
        _ => return None,
    };
    Some(TwilioError::bad_request(code, message))
}

fn magic_to_error(to: &str, from: &str) -> Option<TwilioError> {
    let (code, message) = match to {
        "+15005550001" => (21211, format!("Invalid 'To' Phone Number: {to}")),
        "+15005550002" => (
            21612,
            format!(
                "The 'To' phone number: {to}, is not currently reachable using the 'From' phone number: {from} via SMS."
            ),
        ),
        "+15005550003" => (
            21408,
            format!(
                "Permission to send an SMS has not been enabled for the region indicated by the 'To' number: {to}."
            ),
        ),
        "+15005550004" => (
            21610,
            "Attempt to send to unsubscribed recipient".to_string(),
        ),
        "+15005550009" => (
            21614,
            format!("'To' number {to} is not a valid mobile number"),
        ),
        _ => return None,
    };
    Some(TwilioError::bad_request(code, message))
}

fn not_owned_message(from: &str) -> String {
    format!(
        "The From phone number {from} is not a valid, SMS-capable inbound phone number or short code for your account."
    )
}

/// The template's text with `{{key}}` replaced by the given (or default) variables.
fn render_template(types: &Value, defaults: &Value, variables: &Value) -> String {
    let text = types
        .as_object()
        .and_then(|types| types.values().find_map(|t| t.get("body")?.as_str()))
        .unwrap_or_default();
    let mut rendered = text.to_string();
    for source in [variables, defaults] {
        if let Some(map) = source.as_object() {
            for (key, value) in map {
                let value = value
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| value.to_string());
                rendered = rendered.replace(&format!("{{{{{key}}}}}"), &value);
            }
        }
    }
    rendered
}

/// A validated create request.
struct Draft {
    from: String,
    to: String,
    body: String,
    num_media: usize,
    messaging_service_sid: Option<String>,
    status_callback: Option<String>,
}

fn validate(params: &Params, account: &TwilioAccount) -> TwilioResult<Draft> {
    let to = params
        .non_empty("To")
        .ok_or_else(|| TwilioError::bad_request(21604, "A 'To' phone number is required."))?;
    let service_sid = params.non_empty("MessagingServiceSid");
    let from_param = params.non_empty("From");
    if from_param.is_none() && service_sid.is_none() {
        return Err(from_required());
    }
    let body = params.get("Body").unwrap_or_default();
    let media = params.all("MediaUrl");
    let content_sid = params.non_empty("ContentSid");
    if body.is_empty() && media.is_empty() && content_sid.is_none() {
        return Err(TwilioError::bad_request(21602, "Message body is required."));
    }
    if body.chars().count() > MAX_BODY_CHARS {
        return Err(TwilioError::bad_request(
            21617,
            "The concatenated message body exceeds the 1600 character limit.",
        ));
    }
    if media.len() > MAX_MEDIA {
        return Err(TwilioError::bad_request(
            21623,
            "The number of media files exceeds the allowed limit of 10.",
        ));
    }
    if let Some(bad) = media.iter().find(|url| !is_http_url(url)) {
        return Err(TwilioError::bad_request(
            21620,
            format!("Invalid media URL(s): {bad}"),
        ));
    }
    let status_callback = params.non_empty("StatusCallback");
    if status_callback.is_some_and(|url| !is_http_url(url)) {
        return Err(TwilioError::bad_request(
            21609,
            "Invalid StatusCallback url",
        ));
    }

    let to_whatsapp = to.starts_with(WHATSAPP);
    let to_number = to.trim_start_matches(WHATSAPP);
    let from_number = from_param.map(|f| f.trim_start_matches(WHATSAPP));
    if let Some(error) = from_number.and_then(magic_from_error) {
        return Err(error);
    }
    if let Some(error) = magic_to_error(to_number, from_param.unwrap_or_default()) {
        return Err(error);
    }
    if !ids::is_e164(to_number) {
        return Err(TwilioError::bad_request(
            21211,
            format!("Invalid 'To' Phone Number: {to}"),
        ));
    }

    let service = match service_sid {
        Some(sid) => Some(
            account
                .services
                .iter()
                .find(|service| service.sid == sid)
                .ok_or_else(|| {
                    TwilioError::bad_request(
                        21701,
                        format!("The Messaging Service Sid {sid} is invalid."),
                    )
                })?,
        ),
        None => None,
    };
    let from = match (from_param, service) {
        (Some(from), _) => from.to_string(),
        (None, Some(service)) => {
            let pool_number = service
                .phone_number_sids
                .iter()
                .find_map(|(sid, _)| account.numbers.iter().find(|n| &n.sid == sid))
                .ok_or_else(|| {
                    TwilioError::bad_request(
                        21704,
                        "The Messaging Service contains no phone numbers",
                    )
                })?;
            let number = pool_number.phone_number.clone();
            if to_whatsapp {
                format!("{WHATSAPP}{number}")
            } else {
                number
            }
        }
        (None, None) => return Err(from_required()),
    };
    let from_whatsapp = from.starts_with(WHATSAPP);
    if from_whatsapp != to_whatsapp {
        return Err(TwilioError::bad_request(
            21910,
            "Invalid From and To pair. From and To should be of the same channel",
        ));
    }
    // The WhatsApp Sandbox's number sends for every account; whether the recipient joined
    // decides the message's fate after it is created (see `whatsapp_sandbox`).
    let from_sandbox = from == whatsapp_sandbox::SENDER;
    if from_whatsapp && !from_sandbox {
        let online = account.senders.iter().any(|sender| {
            sender.sender_id == from
                && matches!(sender.status.as_str(), "ONLINE" | "ONLINE:UPDATING")
        });
        if !online {
            return Err(TwilioError::bad_request(
                63007,
                "Twilio could not find a Channel with the specified From address",
            ));
        }
    } else if !from_whatsapp {
        let owned = from == MAGIC_VALID_FROM
            || is_alphanumeric_sender(&from)
            || account
                .numbers
                .iter()
                .any(|n| n.phone_number == from && n.capabilities.sms);
        if !owned {
            return Err(TwilioError::bad_request(21606, not_owned_message(&from)));
        }
    }

    let mut text = body.to_string();
    if let Some(content_sid) = content_sid {
        let template = account
            .contents
            .iter()
            .find(|c| c.sid == content_sid)
            .ok_or_else(|| {
                TwilioError::bad_request(21655, format!("The ContentSid {content_sid} is invalid"))
            })?;
        let variables = match params.non_empty("ContentVariables") {
            Some(raw) => serde_json::from_str::<Value>(raw)
                .ok()
                .filter(Value::is_object)
                .ok_or_else(|| {
                    TwilioError::bad_request(
                        21656,
                        "The ContentVariables Parameter is invalid: it must be a JSON object",
                    )
                })?,
            None => Value::Null,
        };
        text = render_template(&template.types, &template.variables, &variables);
    }
    if account.account_type == AccountType::Trial && !text.is_empty() {
        text = format!("{TRIAL_PREFIX}{text}");
    }
    let status_callback = status_callback
        .map(str::to_string)
        .or_else(|| service.and_then(|s| s.status_callback.clone()))
        .or_else(|| {
            account
                .senders
                .iter()
                .find(|sender| sender.sender_id == from)
                .and_then(|sender| sender.status_callback_url())
        });
    Ok(Draft {
        from,
        to: to.to_string(),
        body: text,
        num_media: media.len(),
        messaging_service_sid: service.map(|s| s.sid.clone()),
        status_callback,
    })
}

fn from_required() -> TwilioError {
    TwilioError::bad_request(21603, "A 'From' phone number is required.")
}

/// `POST …/Messages.json` → 201 with the queued (or accepted) message.
pub async fn create(
    State(sandbox): State<Arc<Sandbox>>,
    auth: TwilioAuth,
    Path(account_sid): Path<String>,
    uri: Uri,
    body: Bytes,
) -> TwilioResult<(StatusCode, Json<Value>)> {
    auth.require_account(&account_sid)?;
    auth.require_active()?;
    let params = Params::parse(&body)
        .ok_or_else(|| TwilioError::bad_request(20001, "Invalid form-encoded body"))?;
    let (rendered, message, not_joined) = {
        let mut world = sandbox.world();
        let account = world
            .twilio
            .get_mut(&account_sid)
            .ok_or_else(|| TwilioError::not_found(uri.path()))?;
        let draft = validate(&params, account)?;
        let now = clock::now();
        let not_joined = draft.from == whatsapp_sandbox::SENDER
            && !account.whatsapp_sandbox.has_joined(&draft.to, now);
        let message = Message {
            sid: ids::twilio_sid(
                &mut rand::rng(),
                if draft.num_media > 0 { "MM" } else { "SM" },
            ),
            status: if draft.messaging_service_sid.is_some() {
                "accepted"
            } else {
                "queued"
            },
            messaging_service_sid: draft.messaging_service_sid,
            num_segments: segments(&draft.body),
            from: draft.from,
            to: draft.to,
            body: draft.body,
            direction: "outbound-api",
            num_media: draft.num_media,
            error_code: None,
            error_message: None,
            price: None,
            date_created: now,
            date_sent: None,
            date_updated: now,
            status_callback: draft.status_callback,
        };
        account.messages.insert(0, message.clone());
        (message.render(&account_sid), message, not_joined)
    };
    spawn_lifecycle(sandbox, account_sid, &message, not_joined);
    Ok((StatusCode::CREATED, Json(rendered)))
}

/// One status change: (status, error code and message when it ends badly).
type Step = (&'static str, Option<(u32, &'static str)>);

/// `not_joined`: sent from the WhatsApp Sandbox to a number that has not joined it, which
/// Twilio takes and then fails with 63015, never sending it.
fn plan(message: &Message, not_joined: bool) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    if message.status == "accepted" {
        steps.push(("queued", None));
    }
    if not_joined {
        steps.push((
            "failed",
            Some((
                whatsapp_sandbox::NOT_JOINED_CODE,
                whatsapp_sandbox::NOT_JOINED_MESSAGE,
            )),
        ));
        return steps;
    }
    let recipient = message.to.trim_start_matches(WHATSAPP);
    match lifecycle::outcome_for(recipient) {
        Outcome::Failed => steps.push(("failed", Some((30008, "Unknown error")))),
        Outcome::Undelivered => {
            steps.push(("sent", None));
            steps.push((
                "undelivered",
                Some((30003, "Unreachable destination handset")),
            ));
        }
        Outcome::Delivered => {
            steps.push(("sent", None));
            steps.push(("delivered", None));
            if message.to.starts_with(WHATSAPP) {
                steps.push(("read", None));
            }
        }
    }
    steps
}

fn spawn_lifecycle(
    sandbox: Arc<Sandbox>,
    account_sid: String,
    message: &Message,
    not_joined: bool,
) {
    let steps = plan(message, not_joined);
    let message_sid = message.sid.clone();
    tokio::spawn(async move {
        for (status, error) in steps {
            if !lifecycle::pause(&sandbox).await {
                return;
            }
            let callback = {
                let mut world = sandbox.world();
                let Some(account) = world.twilio.get_mut(&account_sid) else {
                    return;
                };
                let token = account.auth_token.clone();
                // Gone after a reset: stop quietly.
                let Some(message) = account.messages.iter_mut().find(|m| m.sid == message_sid)
                else {
                    return;
                };
                let now = clock::now();
                message.status = status;
                message.date_updated = now;
                if status == "sent" {
                    message.date_sent = Some(now);
                    message.price = Some(format!("-{:.5}", 0.0079 * message.num_segments as f64));
                }
                if let Some((code, text)) = error {
                    message.error_code = Some(code);
                    message.error_message = Some(text.to_string());
                }
                message
                    .status_callback
                    .clone()
                    .map(|url| (url, token, message.callback_params(&account_sid)))
            };
            if let Some((url, token, params)) = callback {
                let target = Outgoing {
                    provider: Provider::Twilio,
                    kind: "status_callback",
                    method: "POST",
                    url: &url,
                };
                // Failures are recorded by the delivery module; the lifecycle goes on regardless.
                let _ = delivery::twilio(&sandbox, target, &token, &params).await;
            }
        }
    });
}

/// Stores an inbound message (from the admin API's inbound simulation) and returns it.
pub fn record_inbound(
    account: &mut TwilioAccount,
    from: &str,
    to: &str,
    body: &str,
    messaging_service_sid: Option<String>,
) -> Message {
    let now = clock::now();
    let message = Message {
        sid: ids::twilio_sid(&mut rand::rng(), "SM"),
        messaging_service_sid,
        from: from.to_string(),
        to: to.to_string(),
        body: body.to_string(),
        status: "received",
        direction: "inbound",
        num_segments: segments(body),
        num_media: 0,
        error_code: None,
        error_message: None,
        price: None,
        date_created: now,
        date_sent: Some(now),
        date_updated: now,
        status_callback: None,
    };
    account.messages.insert(0, message.clone());
    message
}

/// The parameters of Twilio's incoming-message webhook.
pub fn inbound_params(account_sid: &str, message: &Message) -> Vec<(String, String)> {
    let mut params = vec![
        ("ToCountry", "US".to_string()),
        ("ToState", String::new()),
        ("SmsMessageSid", message.sid.clone()),
        ("NumMedia", "0".to_string()),
        ("ToCity", String::new()),
        ("FromZip", String::new()),
        ("SmsSid", message.sid.clone()),
        ("FromState", String::new()),
        ("SmsStatus", "received".to_string()),
        ("FromCity", String::new()),
        ("Body", message.body.clone()),
        ("FromCountry", String::new()),
        ("To", message.to.clone()),
        ("ToZip", String::new()),
        ("NumSegments", message.num_segments.to_string()),
        ("MessageSid", message.sid.clone()),
        ("AccountSid", account_sid.to_string()),
        ("From", message.from.clone()),
        ("ApiVersion", "2010-04-01".to_string()),
    ];
    if let Some(service) = &message.messaging_service_sid {
        params.push(("MessagingServiceSid", service.clone()));
    }
    if let Some(number) = message.from.strip_prefix(WHATSAPP) {
        params.push(("WaId", number.trim_start_matches('+').to_string()));
        params.push(("ProfileName", "Sandbox User".to_string()));
        params.push(("MessageType", "text".to_string()));
    }
    params
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

pub async fn fetch(
    State(sandbox): State<Arc<Sandbox>>,
    auth: TwilioAuth,
    Path((account_sid, message_file)): Path<(String, String)>,
    uri: Uri,
) -> TwilioResult<Json<Value>> {
    auth.require_account(&account_sid)?;
    auth.require_active()?;
    let sid = strip_json(&message_file, uri.path())?;
    let world = sandbox.world();
    world
        .twilio
        .get(&account_sid)
        .and_then(|account| account.messages.iter().find(|m| m.sid == sid))
        .map(|message| Json(message.render(&account_sid)))
        .ok_or_else(|| TwilioError::not_found(uri.path()))
}

/// The `DateSent` filters, parsed: Twilio documents them as GMT days, inclusive —
/// `DateSent` "a specific sent_date", `DateSent<` "on and before", `DateSent>` "on and after" (the
/// wire form `DateSent%3C=2024-05-01` reads as `<=`). A value with a time (`2024-05-01T10:00:00Z`,
/// as twilio-python sends) still names only its day.
struct DateFilter {
    on: Option<chrono::NaiveDate>,
    on_or_before: Option<chrono::NaiveDate>,
    on_or_after: Option<chrono::NaiveDate>,
}

impl DateFilter {
    fn parse(params: &Params) -> TwilioResult<Self> {
        let day = |name: &str| -> TwilioResult<Option<chrono::NaiveDate>> {
            params
                .non_empty(name)
                .map(|value| {
                    crate::history::parse_day(value).ok_or_else(|| {
                        TwilioError::bad_request(
                            20001,
                            format!(
                                "Invalid {name} value '{value}': expected a date such as YYYY-MM-DD"
                            ),
                        )
                    })
                })
                .transpose()
        };
        Ok(Self {
            on: day("DateSent")?,
            on_or_before: day("DateSent<")?,
            on_or_after: day("DateSent>")?,
        })
    }

    fn is_empty(&self) -> bool {
        self.on.is_none() && self.on_or_before.is_none() && self.on_or_after.is_none()
    }

    /// A message not sent yet has no `date_sent` and matches no date filter.
    fn matches(&self, message: &Message) -> bool {
        if self.is_empty() {
            return true;
        }
        let Some(sent) = message.date_sent else {
            return false;
        };
        let day = sent.date_naive();
        self.on.is_none_or(|d| day == d)
            && self.on_or_before.is_none_or(|d| day <= d)
            && self.on_or_after.is_none_or(|d| day >= d)
    }
}

/// A list answer: the messages, serialized directly, beside the paging fields.
#[derive(Serialize)]
struct Listing<'a> {
    messages: Vec<MessageView<'a>>,
    #[serde(flatten)]
    rest: Value,
}

pub async fn list(
    State(sandbox): State<Arc<Sandbox>>,
    auth: TwilioAuth,
    Path(account_sid): Path<String>,
    RawQuery(query): RawQuery,
    uri: Uri,
) -> TwilioResult<Response> {
    auth.require_account(&account_sid)?;
    auth.require_active()?;
    let params = Params::from_query(query.as_deref());
    let request = PageRequest::from_params(&params, 50);
    let dates = DateFilter::parse(&params)?;
    let world = sandbox.world();
    let account = world
        .twilio
        .get(&account_sid)
        .ok_or_else(|| TwilioError::not_found(uri.path()))?;
    let to = params.non_empty("To");
    let from = params.non_empty("From");
    let matches = |m: &&Message| {
        to.is_none_or(|to| m.to == to) && from.is_none_or(|from| m.from == from) && dates.matches(m)
    };
    // One pass, stopping after the page: large histories are listed page by page, and each
    // page must not cost a walk over every message.
    let after = request
        .page_token
        .as_deref()
        .and_then(|token| token.strip_prefix("PA"));
    let mut rest = account.messages.iter().filter(matches);
    let token_start = after.and_then(|after| {
        rest.by_ref()
            .position(|m| m.sid == after)
            .map(|index| index + 1)
    });
    // Without a token (or with one no longer listed) `Page` alone decides.
    let start = match token_start {
        Some(start) => start,
        None => {
            let start = request.page * request.page_size;
            rest = account.messages.iter().filter(matches);
            rest.by_ref().take(start).for_each(drop);
            start
        }
    };
    let slice: Vec<&Message> = rest.by_ref().take(request.page_size).collect();
    let more = rest.next().is_some();
    let end = start + slice.len();
    let page = Page {
        items: Vec::new(),
        start,
        end,
        // Only "is there more" matters to the links; Twilio reports no total.
        total: end + usize::from(more),
        last_sid: slice.last().map(|m| m.sid.clone()),
    };
    let mut filters = Vec::new();
    for name in ["To", "From", "DateSent", "DateSent<", "DateSent>"] {
        if let Some(value) = params.non_empty(name) {
            filters.push((name, value));
        }
    }
    let mut listing = page.render_2010("messages", uri.path(), &filters, &request);
    if let Some(map) = listing.as_object_mut() {
        map.remove("messages");
    }
    let body = Listing {
        messages: slice.iter().map(|m| m.view(&account_sid)).collect(),
        rest: listing,
    };
    // Written while the world is locked: the page borrows from it.
    let bytes = serde_json::to_vec(&body).map_err(|e| {
        TwilioError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            20500,
            format!("Internal Server Error: {e}"),
        )
    })?;
    Ok(([(header::CONTENT_TYPE, "application/json")], bytes).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_date_time_filter_counts_by_its_day() {
        let mut params = Params::from_query(Some("DateSent%3E=2024-05-01T10:00:00Z"));
        let sent = chrono::DateTime::parse_from_rfc3339("2024-05-01T09:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let message = Message {
            sid: "SM1".into(),
            messaging_service_sid: None,
            from: "+14155550101".into(),
            to: "+46701234567".into(),
            body: "x".into(),
            status: "delivered",
            direction: "outbound-api",
            num_segments: 1,
            num_media: 0,
            error_code: None,
            error_message: None,
            price: None,
            date_created: sent,
            date_sent: Some(sent),
            date_updated: sent,
            status_callback: None,
        };
        let matches = |params: &Params| match DateFilter::parse(params) {
            Ok(filter) => filter.matches(&message),
            Err(_) => panic!("the filter did not parse"),
        };
        assert!(matches(&params), "same day, inclusive");
        params = Params::from_query(Some("DateSent%3C=2024-04-30T23:00:00Z"));
        assert!(!matches(&params));
    }

    #[test]
    fn segment_counts() {
        assert_eq!(segments("hi"), 1);
        assert_eq!(segments(&"a".repeat(160)), 1);
        assert_eq!(segments(&"a".repeat(161)), 2);
        assert_eq!(segments(&"é".repeat(71)), 2);
    }

    #[test]
    fn templates_render_with_defaults() {
        let types = json!({"twilio/text": {"body": "Hi {{1}}, order {{2}}"}});
        let defaults = json!({"1": "name", "2": "number"});
        let given = json!({"1": "Alice"});
        assert_eq!(
            render_template(&types, &defaults, &given),
            "Hi Alice, order number"
        );
    }

    #[test]
    fn alphanumeric_senders() {
        assert!(is_alphanumeric_sender("Switchboard"));
        assert!(!is_alphanumeric_sender("+14155550101"));
        assert!(!is_alphanumeric_sender("TooLongSenderName"));
    }
}
