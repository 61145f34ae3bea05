//! Messaging v2 WhatsApp senders (`/v2/Channels/Senders`): JSON bodies, partial updates by
//! field, 63100 validation errors, every status of `channels_sender_enum_status`, and the
//! registration lifecycle of seed 004:
//!
//! - a number of the account itself is verified by Twilio (it receives the code):
//!   `CREATING → VERIFYING → ONLINE`;
//! - any other number waits for its code: `CREATING → PENDING_VERIFICATION`; the code it accepts
//!   is in the admin API (`GET /_sandbox/verification-codes`); `configuration.verification_code`
//!   in an Update moves it to `VERIFYING → ONLINE`. A wrong code is refused with 400 / 63113
//!   ("Sender Cannot Be Verified") and the sender keeps waiting. Twilio documents no synchronous
//!   error for a wrong code; 63113 is the documented sender-verification error, so the sandbox
//!   uses it;
//! - a code for a sender that is not waiting for one is refused with 400 / 63100;
//! - a profile change of an online sender passes through `ONLINE:UPDATING`.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, Uri};
use serde_json::{Map, Value, json};

use super::{ApiBase, Page, PageRequest, TwilioAuth, TwilioError, TwilioResult};
use crate::ids;
use crate::lifecycle;
use crate::params::{Params, is_http_url};
use crate::state::Sandbox;

/// `channels_sender_enum_status`, in the spec's order.
pub const STATUSES: [&str; 9] = [
    "CREATING",
    "ONLINE",
    "OFFLINE",
    "PENDING_VERIFICATION",
    "VERIFYING",
    "ONLINE:UPDATING",
    "TWILIO_REVIEW",
    "DRAFT",
    "STUBBED",
];

const CONFIGURATION_KEYS: &[&str] = &[
    "waba_id",
    "verification_method",
    "verification_code",
    "voice_application_sid",
    "account_type",
];
const WEBHOOK_KEYS: &[&str] = &[
    "callback_url",
    "callback_method",
    "fallback_url",
    "fallback_method",
    "status_callback_url",
    "status_callback_method",
];
const PROFILE_KEYS: &[&str] = &[
    "name",
    "about",
    "address",
    "description",
    "logo_url",
    "banner_url",
    "privacy_url",
    "terms_of_service_url",
    "accent_color",
    "vertical",
    "websites",
    "emails",
    "phone_numbers",
];
/// Profile fields that are lists of objects rather than strings, with the keys of their items.
const PROFILE_LIST_KEYS: &[(&str, &[&str])] = &[
    ("websites", &["website", "label"]),
    ("emails", &["email", "label"]),
    ("phone_numbers", &["phone_number", "label"]),
];
/// `profile.vertical`: the values the spec allows.
pub const VERTICALS: [&str; 22] = [
    "Alcohol",
    "Automotive",
    "Beauty, Spa and Salon",
    "Clothing and Apparel",
    "Education",
    "Entertainment",
    "Event Planning and Service",
    "Finance and Banking",
    "Food and Grocery",
    "Hotel and Lodging",
    "Matrimony Service",
    "Medical and Health",
    "Non-profit",
    "Online Gambling",
    "OTC Drugs",
    "Other",
    "Physical Gambling",
    "Professional Services",
    "Public Service",
    "Restaurant",
    "Shopping and Retail",
    "Travel and Transportation",
];

/// A WhatsApp sender. The three sections always hold every key of their schema (null when
/// unset), so rendering is a copy and a partial update is a per-key overwrite.
#[derive(Debug, Clone)]
pub struct Sender {
    pub sid: String,
    /// `whatsapp:+E164`.
    pub sender_id: String,
    pub status: String,
    pub configuration: Map<String, Value>,
    pub webhook: Map<String, Value>,
    pub profile: Map<String, Value>,
    /// `quality_rating`, `messaging_limit`; null until the sender is online.
    pub properties: Value,
    pub offline_reasons: Value,
    /// The one-time code this sender accepts while `PENDING_VERIFICATION` (never rendered).
    pub verification_code: Option<String>,
}

fn blank(keys: &[&str]) -> Map<String, Value> {
    keys.iter()
        .map(|key| (key.to_string(), Value::Null))
        .collect()
}

impl Sender {
    pub fn new(sid: String, phone_number: &str, status: &str, profile_name: &str) -> Self {
        let mut profile = blank(PROFILE_KEYS);
        profile.insert("name".into(), json!(profile_name));
        let mut sender = Self {
            sid,
            sender_id: format!("whatsapp:{phone_number}"),
            status: status.to_string(),
            configuration: blank(CONFIGURATION_KEYS),
            webhook: blank(WEBHOOK_KEYS),
            profile,
            properties: Value::Null,
            offline_reasons: Value::Null,
            verification_code: None,
        };
        sender
            .configuration
            .insert("waba_id".into(), json!("1234567890123456"));
        sender.set_status(status);
        sender
    }

    /// Sets the status and the fields that go with it: a quality rating and messaging limit
    /// once registered (kept when they are already known), reasons only while offline.
    pub fn set_status(&mut self, status: &str) {
        self.status = status.to_string();
        let registered = matches!(status, "ONLINE" | "ONLINE:UPDATING" | "OFFLINE");
        if !registered {
            self.properties = Value::Null;
        } else if self.properties.is_null() {
            self.properties = json!({
                "quality_rating": if status == "OFFLINE" { "LOW" } else { "HIGH" },
                "messaging_limit": "10K Customers/24hr",
            });
        }
        if status == "OFFLINE" {
            if self.offline_reasons.is_null() {
                self.offline_reasons = json!([offline_reason("30008", "No delivery")]);
            }
        } else {
            self.offline_reasons = Value::Null;
        }
        if status != "PENDING_VERIFICATION" {
            self.verification_code = None;
        }
    }

    /// Seeding: a quality rating and messaging limit other than the defaults.
    pub fn with_properties(mut self, quality_rating: &str, messaging_limit: &str) -> Self {
        self.properties = json!({
            "quality_rating": quality_rating,
            "messaging_limit": messaging_limit,
        });
        self
    }

    /// Seeding: why an `OFFLINE` sender is offline (`(code, message)`).
    pub fn with_offline_reasons(mut self, reasons: &[(&str, &str)]) -> Self {
        self.offline_reasons = Value::Array(
            reasons
                .iter()
                .map(|(code, message)| offline_reason(code, message))
                .collect(),
        );
        self
    }

    pub fn callback_url(&self) -> Option<String> {
        self.webhook_field("callback_url")
    }

    pub fn callback_method(&self) -> String {
        self.webhook_field("callback_method")
            .unwrap_or_else(|| "POST".to_string())
    }

    pub fn status_callback_url(&self) -> Option<String> {
        self.webhook_field("status_callback_url")
    }

    fn webhook_field(&self, key: &str) -> Option<String> {
        self.webhook
            .get(key)
            .and_then(Value::as_str)
            .filter(|value| !value.is_empty())
            .map(str::to_string)
    }

    pub fn render(&self, base: &str) -> Value {
        json!({
            "sid": self.sid,
            "status": self.status,
            "sender_id": self.sender_id,
            "configuration": self.configuration,
            "webhook": self.webhook,
            "profile": self.profile,
            "properties": self.properties,
            "offline_reasons": self.offline_reasons,
            "compliance": null,
            "url": format!("{base}/v2/Channels/Senders/{}", self.sid),
        })
    }
}

fn offline_reason(code: &str, message: &str) -> Value {
    json!({
        "code": code,
        "message": message,
        "more_info": format!("https://www.twilio.com/docs/api/errors/{code}"),
    })
}

/// A six-digit one-time code, as WhatsApp sends by SMS or voice call.
pub fn new_verification_code(rng: &mut impl rand::Rng) -> String {
    format!("{:06}", rng.random_range(0..1_000_000u32))
}

fn validation_error(message: impl Into<String>) -> TwilioError {
    TwilioError::bad_request(63100, message)
}

/// Checked changes to one section (`webhook`, …): key → new value.
type SectionChanges = Vec<(String, Value)>;

fn check_section(section: &str, value: &Value) -> TwilioResult<SectionChanges> {
    let allowed = match section {
        "configuration" => CONFIGURATION_KEYS,
        "webhook" => WEBHOOK_KEYS,
        _ => PROFILE_KEYS,
    };
    // An explicit null section is treated like an absent one: clients that serialize every
    // optional field must not wipe what they did not mean to touch.
    let Some(object) = value.as_object() else {
        return if value.is_null() {
            Ok(Vec::new())
        } else {
            Err(validation_error(format!("'{section}' must be an object")))
        };
    };
    let mut changes = Vec::new();
    for (key, value) in object {
        if !allowed.contains(&key.as_str()) {
            return Err(validation_error(format!("Unknown field '{section}.{key}'")));
        }
        check_field(section, key, value)?;
        changes.push((key.clone(), value.clone()));
    }
    Ok(changes)
}

fn check_field(section: &str, key: &str, value: &Value) -> TwilioResult<()> {
    let name = format!("{section}.{key}");
    if value.is_null() {
        return Ok(());
    }
    if section == "profile"
        && let Some((_, item_keys)) = PROFILE_LIST_KEYS.iter().find(|(k, _)| *k == key)
    {
        return check_profile_list(&name, value, item_keys);
    }
    let text = value
        .as_str()
        .ok_or_else(|| validation_error(format!("'{name}' must be a string")))?;
    let allowed: &[&str] = match key {
        "callback_method" | "fallback_method" => &["POST", "PUT"],
        "verification_method" => &["sms", "voice"],
        "account_type" => &["ISV", "ISVSubAccount"],
        _ => &[],
    };
    if !allowed.is_empty() && !allowed.contains(&text) {
        return Err(validation_error(format!(
            "Invalid value '{text}' for '{name}': expected one of {}",
            allowed.join(", ")
        )));
    }
    if section == "profile" && key == "vertical" && !VERTICALS.contains(&text) {
        return Err(validation_error(format!(
            "Invalid value '{text}' for '{name}': expected one of {}",
            VERTICALS.join(", ")
        )));
    }
    let is_url = matches!(key, "callback_url" | "fallback_url" | "status_callback_url");
    if is_url && !text.is_empty() && !is_http_url(text) {
        return Err(validation_error(format!(
            "'{name}' is not a valid URL: {text}"
        )));
    }
    Ok(())
}

/// `profile.websites` / `emails` / `phone_numbers`: objects with string values of known keys.
fn check_profile_list(name: &str, value: &Value, item_keys: &[&str]) -> TwilioResult<()> {
    let items = value
        .as_array()
        .ok_or_else(|| validation_error(format!("'{name}' must be a list of objects")))?;
    for (index, item) in items.iter().enumerate() {
        let object = item
            .as_object()
            .ok_or_else(|| validation_error(format!("'{name}[{index}]' must be an object")))?;
        for (key, value) in object {
            if !item_keys.contains(&key.as_str()) {
                return Err(validation_error(format!(
                    "Unknown field '{name}[{index}].{key}'"
                )));
            }
            if !value.is_string() && !value.is_null() {
                return Err(validation_error(format!(
                    "'{name}[{index}].{key}' must be a string"
                )));
            }
        }
    }
    Ok(())
}

/// Parses a JSON body into checked changes per section, refusing unknown top-level fields.
fn check_body(body: &[u8], extra_allowed: &[&str]) -> TwilioResult<(Map<String, Value>, Changes)> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| validation_error(format!("Invalid JSON body: {e}")))?;
    let Value::Object(object) = value else {
        return Err(validation_error("The request body must be a JSON object"));
    };
    let mut changes = Changes::default();
    for (key, value) in &object {
        match key.as_str() {
            "configuration" => changes.configuration = check_section(key, value)?,
            "webhook" => changes.webhook = check_section(key, value)?,
            "profile" => changes.profile = check_section(key, value)?,
            other if extra_allowed.contains(&other) => {}
            other => return Err(validation_error(format!("Unknown field '{other}'"))),
        }
    }
    Ok((object, changes))
}

#[derive(Default)]
struct Changes {
    configuration: SectionChanges,
    webhook: SectionChanges,
    profile: SectionChanges,
}

impl Changes {
    /// The verification code given, if any (it is never stored in `configuration`).
    fn verification_code(&self) -> Option<&str> {
        self.configuration
            .iter()
            .find(|(key, _)| key == "verification_code")
            .and_then(|(_, value)| value.as_str())
    }

    fn apply(self, sender: &mut Sender) {
        sender.configuration.extend(
            self.configuration
                .into_iter()
                .filter(|(key, _)| key != "verification_code"),
        );
        sender.webhook.extend(self.webhook);
        sender.profile.extend(self.profile);
    }
}

fn not_found(uri: &Uri) -> TwilioError {
    TwilioError::not_found(uri.path())
}

pub async fn list(
    State(sandbox): State<Arc<Sandbox>>,
    auth: TwilioAuth,
    ApiBase(base): ApiBase,
    RawQuery(query): RawQuery,
) -> TwilioResult<Json<Value>> {
    auth.require_active()?;
    let params = Params::from_query(query.as_deref());
    let channel = params.non_empty("Channel").ok_or_else(|| {
        TwilioError::bad_request(
            20001,
            "Missing required parameter Channel in the get request",
        )
    })?;
    if channel != "whatsapp" && channel != "rcs" {
        return Err(TwilioError::bad_request(
            20001,
            format!("Invalid Channel '{channel}': supported values are whatsapp and rcs"),
        ));
    }
    // "For WhatsApp, the default is 20" (spec, PageSize).
    let request = PageRequest::from_params(&params, 20);
    let world = sandbox.world();
    let empty = Vec::new();
    let senders = match (world.twilio.get(&auth.account_sid), channel) {
        (Some(account), "whatsapp") => &account.senders,
        _ => &empty,
    };
    let page = Page::of(senders, &request, |s| s.sid.as_str(), |s| s.render(&base));
    Ok(Json(page.render_meta(
        "senders",
        &format!("{base}/v2/Channels/Senders"),
        &[("Channel", channel)],
        &request,
    )))
}

pub async fn fetch(
    State(sandbox): State<Arc<Sandbox>>,
    auth: TwilioAuth,
    ApiBase(base): ApiBase,
    Path(sender_sid): Path<String>,
    uri: Uri,
) -> TwilioResult<Json<Value>> {
    auth.require_active()?;
    let world = sandbox.world();
    world
        .twilio
        .get(&auth.account_sid)
        .and_then(|account| account.senders.iter().find(|s| s.sid == sender_sid))
        .map(|sender| Json(sender.render(&base)))
        .ok_or_else(|| not_found(&uri))
}

/// `POST /v2/Channels/Senders` (JSON) → 202 with the sender in `CREATING`; it comes online
/// two lifecycle steps later.
pub async fn create(
    State(sandbox): State<Arc<Sandbox>>,
    auth: TwilioAuth,
    ApiBase(base): ApiBase,
    body: Bytes,
) -> TwilioResult<(StatusCode, Json<Value>)> {
    auth.require_active()?;
    let (object, changes) = check_body(&body, &["sender_id"])?;
    let sender_id = object
        .get("sender_id")
        .and_then(Value::as_str)
        .ok_or_else(|| validation_error("Missing required field 'sender_id'"))?;
    let phone_number = sender_id
        .strip_prefix("whatsapp:")
        .filter(|number| ids::is_e164(number))
        .ok_or_else(|| {
            validation_error(format!(
                "Invalid 'sender_id' {sender_id}: expected whatsapp:+<E.164 number>"
            ))
        })?;
    let has_name = changes
        .profile
        .iter()
        .any(|(key, value)| key == "name" && value.as_str().is_some_and(|n| !n.is_empty()));
    if !has_name {
        return Err(validation_error("Missing required field 'profile.name'"));
    }
    let (rendered, sid, steps) = {
        let mut world = sandbox.world();
        let account = world
            .twilio
            .get_mut(&auth.account_sid)
            .ok_or_else(TwilioError::authenticate)?;
        if account.senders.iter().any(|s| s.sender_id == sender_id) {
            return Err(TwilioError::bad_request(
                63110,
                format!("The phone number {phone_number} is already registered on WhatsApp"),
            ));
        }
        let mut rng = rand::rng();
        let sid = ids::twilio_sid(&mut rng, "XE");
        let mut sender = Sender::new(sid.clone(), phone_number, "CREATING", "");
        changes.apply(&mut sender);
        // Twilio receives the code itself for its own numbers; any other number must be
        // verified with the code WhatsApp sends to it.
        let own_number = account
            .numbers
            .iter()
            .any(|n| n.phone_number == phone_number);
        let steps = if own_number {
            vec!["VERIFYING", "ONLINE"]
        } else {
            sender.verification_code = Some(new_verification_code(&mut rng));
            vec!["PENDING_VERIFICATION"]
        };
        let rendered = sender.render(&base);
        account.senders.push(sender);
        (rendered, sid, steps)
    };
    spawn_status_steps(sandbox, auth.account_sid, sid, steps);
    Ok((StatusCode::ACCEPTED, Json(rendered)))
}

/// `POST /v2/Channels/Senders/{Sid}` (JSON) → 202. Only the fields present change; a webhook
/// change takes effect at once, a profile change on an online sender passes through
/// `ONLINE:UPDATING`, a verification code moves `PENDING_VERIFICATION` to `VERIFYING`.
pub async fn update(
    State(sandbox): State<Arc<Sandbox>>,
    auth: TwilioAuth,
    ApiBase(base): ApiBase,
    Path(sender_sid): Path<String>,
    uri: Uri,
    body: Bytes,
) -> TwilioResult<(StatusCode, Json<Value>)> {
    auth.require_active()?;
    let (_, changes) = check_body(&body, &[])?;
    let profile_changed = !changes.profile.is_empty();
    let (rendered, follow_up) = {
        let mut world = sandbox.world();
        let sender = world
            .twilio
            .get_mut(&auth.account_sid)
            .and_then(|account| account.senders.iter_mut().find(|s| s.sid == sender_sid))
            .ok_or_else(|| not_found(&uri))?;
        // Checked before anything changes: a refused code leaves the sender as it was.
        let verified = match changes.verification_code() {
            None => false,
            Some(given) => {
                check_verification_code(sender, given)?;
                true
            }
        };
        changes.apply(sender);
        let follow_up = if verified {
            sender.set_status("VERIFYING");
            Some(vec!["ONLINE"])
        } else if profile_changed && sender.status == "ONLINE" {
            sender.set_status("ONLINE:UPDATING");
            Some(vec!["ONLINE"])
        } else {
            None
        };
        (sender.render(&base), follow_up)
    };
    if let Some(steps) = follow_up {
        spawn_status_steps(sandbox, auth.account_sid, sender_sid, steps);
    }
    Ok((StatusCode::ACCEPTED, Json(rendered)))
}

/// A code is only taken from a sender waiting for one, and must be the one it was sent.
fn check_verification_code(sender: &Sender, given: &str) -> TwilioResult<()> {
    let Some(expected) = sender
        .verification_code
        .as_deref()
        .filter(|_| sender.status == "PENDING_VERIFICATION")
    else {
        return Err(validation_error(format!(
            "Sender {} is not waiting for a verification code (status {})",
            sender.sid, sender.status
        )));
    };
    if given.trim() != expected {
        return Err(TwilioError::bad_request(
            63113,
            format!(
                "Sender Cannot Be Verified: the verification code for {} is not correct",
                sender.sender_id
            ),
        ));
    }
    Ok(())
}

/// What `GET /_sandbox/verification-codes` shows: `sender_id` → the code it accepts, for every
/// sender of every account that waits for one.
pub fn pending_codes<'a>(senders: impl Iterator<Item = &'a Sender>) -> Map<String, Value> {
    senders
        .filter(|s| s.status == "PENDING_VERIFICATION")
        .filter_map(|s| Some((s.sender_id.clone(), json!(s.verification_code.clone()?))))
        .collect()
}

pub async fn delete(
    State(sandbox): State<Arc<Sandbox>>,
    auth: TwilioAuth,
    Path(sender_sid): Path<String>,
    uri: Uri,
) -> TwilioResult<StatusCode> {
    auth.require_active()?;
    let mut world = sandbox.world();
    let account = world
        .twilio
        .get_mut(&auth.account_sid)
        .ok_or_else(|| not_found(&uri))?;
    let before = account.senders.len();
    account.senders.retain(|s| s.sid != sender_sid);
    if account.senders.len() == before {
        return Err(not_found(&uri));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Moves a sender through `statuses`, one lifecycle step apart.
fn spawn_status_steps(
    sandbox: Arc<Sandbox>,
    account_sid: String,
    sender_sid: String,
    statuses: Vec<&'static str>,
) {
    tokio::spawn(async move {
        for status in statuses {
            if !lifecycle::pause(&sandbox).await {
                return;
            }
            let mut world = sandbox.world();
            let Some(sender) = world
                .twilio
                .get_mut(&account_sid)
                .and_then(|account| account.senders.iter_mut().find(|s| s.sid == sender_sid))
            else {
                return;
            };
            sender.set_status(status);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_are_refused() {
        let error = check_body(
            br#"{"webhook":{"callback_url":"https://x.test","nope":1}}"#,
            &[],
        )
        .err()
        .unwrap();
        assert_eq!(error.code, 63100);
        let error = check_body(br#"{"hooks":{}}"#, &[]).err().unwrap();
        assert_eq!(error.code, 63100);
        let error = check_body(br#"{"webhook":{"callback_method":"GET"}}"#, &[])
            .err()
            .unwrap();
        assert_eq!(error.code, 63100);
    }

    #[test]
    fn partial_update_touches_only_given_keys() {
        let mut sender = Sender::new("XE1".into(), "+14155550101", "ONLINE", "Shop");
        sender
            .webhook
            .insert("fallback_url".into(), json!("https://f.test"));
        let (_, changes) =
            check_body(br#"{"webhook":{"callback_url":"https://c.test"}}"#, &[]).unwrap();
        changes.apply(&mut sender);
        assert_eq!(sender.webhook["callback_url"], "https://c.test");
        assert_eq!(sender.webhook["fallback_url"], "https://f.test");
        assert_eq!(sender.profile["name"], "Shop");
    }
}
