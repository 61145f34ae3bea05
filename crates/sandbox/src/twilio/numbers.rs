//! IncomingPhoneNumbers: list (with filters and pagination), fetch, update (the SMS webhook).

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::Value;

use super::{
    Page, PageRequest, TwilioAuth, TwilioError, TwilioResult, parse_bool, parse_method, parse_url,
    strip_json,
};
use crate::clock::{self, Timestamp};
use crate::params::Params;
use crate::state::{NumberJson, Sandbox};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Capabilities {
    pub voice: bool,
    pub sms: bool,
    pub mms: bool,
    pub fax: bool,
}

impl Capabilities {
    pub const SMS_MMS_VOICE: Self = Self {
        voice: true,
        sms: true,
        mms: true,
        fax: false,
    };

    /// The Messaging v1 PhoneNumbers shape: `["MMS", "SMS", "Voice"]`.
    pub fn names(&self) -> Vec<&'static str> {
        [
            (self.mms, "MMS"),
            (self.sms, "SMS"),
            (self.voice, "Voice"),
            (self.fax, "Fax"),
        ]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect()
    }
}

/// An IncomingPhoneNumber. Unset URL and SID fields are empty strings here and null on the wire.
#[derive(Debug, Clone, Hash)]
pub struct IncomingNumber {
    pub sid: String,
    pub phone_number: String,
    pub friendly_name: String,
    pub capabilities: Capabilities,
    pub sms_url: String,
    pub sms_method: String,
    pub sms_fallback_url: String,
    pub sms_fallback_method: String,
    /// When set, Twilio ignores the `sms_*` URLs and uses the application's.
    pub sms_application_sid: String,
    pub status_callback: String,
    pub status_callback_method: String,
    pub voice_url: String,
    pub voice_method: String,
    pub voice_fallback_url: String,
    pub voice_fallback_method: String,
    pub voice_application_sid: String,
    pub voice_caller_id_lookup: bool,
    pub date_created: Timestamp,
    pub date_updated: Timestamp,
}

impl IncomingNumber {
    pub fn new(sid: String, phone_number: String) -> Self {
        let now = clock::now();
        Self {
            friendly_name: friendly_name(&phone_number),
            sid,
            phone_number,
            capabilities: Capabilities::SMS_MMS_VOICE,
            sms_url: String::new(),
            sms_method: "POST".into(),
            sms_fallback_url: String::new(),
            sms_fallback_method: "POST".into(),
            sms_application_sid: String::new(),
            status_callback: String::new(),
            status_callback_method: "POST".into(),
            voice_url: String::new(),
            voice_method: "POST".into(),
            voice_fallback_url: String::new(),
            voice_fallback_method: "POST".into(),
            voice_application_sid: String::new(),
            voice_caller_id_lookup: false,
            date_created: now,
            date_updated: now,
        }
    }

    /// A digest of everything the number's JSON is written from (see [`crate::state::NumberJson`]).
    pub fn digest(&self, account_sid: &str) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::hash::DefaultHasher::new();
        account_sid.hash(&mut hasher);
        self.hash(&mut hasher);
        hasher.finish()
    }

    pub fn render(&self, account_sid: &str) -> Value {
        serde_json::to_value(self.wire(account_sid)).unwrap_or(Value::Null)
    }

    /// The number as the API answers it; a list page serializes these straight to its body.
    pub fn wire<'a>(&'a self, account_sid: &'a str) -> IncomingNumberWire<'a> {
        IncomingNumberWire {
            account_sid,
            address_requirements: "none",
            address_sid: None,
            api_version: "2010-04-01",
            beta: false,
            bundle_sid: None,
            // Sorted like the rest: fax, mms, sms, voice.
            capabilities: CapabilitiesWire {
                fax: self.capabilities.fax,
                mms: self.capabilities.mms,
                sms: self.capabilities.sms,
                voice: self.capabilities.voice,
            },
            date_created: clock::rfc2822(&self.date_created),
            date_updated: clock::rfc2822(&self.date_updated),
            emergency_address_sid: None,
            emergency_address_status: "unregistered",
            emergency_status: "Inactive",
            friendly_name: &self.friendly_name,
            identity_sid: None,
            origin: "twilio",
            phone_number: &self.phone_number,
            sid: &self.sid,
            sms_application_sid: unset_as_null(&self.sms_application_sid),
            sms_fallback_method: &self.sms_fallback_method,
            sms_fallback_url: unset_as_null(&self.sms_fallback_url),
            sms_method: &self.sms_method,
            sms_url: unset_as_null(&self.sms_url),
            status: "in-use",
            status_callback: unset_as_null(&self.status_callback),
            status_callback_method: &self.status_callback_method,
            trunk_sid: None,
            kind: "local",
            uri: format!(
                "/2010-04-01/Accounts/{account_sid}/IncomingPhoneNumbers/{}.json",
                self.sid
            ),
            voice_application_sid: unset_as_null(&self.voice_application_sid),
            voice_caller_id_lookup: self.voice_caller_id_lookup,
            voice_fallback_method: &self.voice_fallback_method,
            voice_fallback_url: unset_as_null(&self.voice_fallback_url),
            voice_method: &self.voice_method,
            voice_receive_mode: "voice",
            voice_url: unset_as_null(&self.voice_url),
        }
    }
}

/// An IncomingPhoneNumber on the wire, fields in name order (as a JSON object map sorts them,
/// so a page and a fetch answer the same bytes). Always-null fields are `Option<()>`.
#[derive(Debug, Serialize)]
pub struct IncomingNumberWire<'a> {
    account_sid: &'a str,
    address_requirements: &'static str,
    address_sid: Option<()>,
    api_version: &'static str,
    beta: bool,
    bundle_sid: Option<()>,
    capabilities: CapabilitiesWire,
    date_created: String,
    date_updated: String,
    emergency_address_sid: Option<()>,
    emergency_address_status: &'static str,
    emergency_status: &'static str,
    friendly_name: &'a str,
    identity_sid: Option<()>,
    origin: &'static str,
    phone_number: &'a str,
    sid: &'a str,
    sms_application_sid: Option<&'a str>,
    sms_fallback_method: &'a str,
    sms_fallback_url: Option<&'a str>,
    sms_method: &'a str,
    sms_url: Option<&'a str>,
    status: &'static str,
    status_callback: Option<&'a str>,
    status_callback_method: &'a str,
    trunk_sid: Option<()>,
    #[serde(rename = "type")]
    kind: &'static str,
    uri: String,
    voice_application_sid: Option<&'a str>,
    voice_caller_id_lookup: bool,
    voice_fallback_method: &'a str,
    voice_fallback_url: Option<&'a str>,
    voice_method: &'a str,
    voice_receive_mode: &'static str,
    voice_url: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct CapabilitiesWire {
    fax: bool,
    mms: bool,
    sms: bool,
    voice: bool,
}

/// Unset URL and SID fields go out as null: the spec gives them `uri` formats and SID patterns
/// that an empty string would violate.
fn unset_as_null(value: &str) -> Option<&str> {
    (!value.is_empty()).then_some(value)
}

/// Twilio's default friendly name for a US number: `(415) 555-0101`.
fn friendly_name(phone_number: &str) -> String {
    match phone_number.strip_prefix("+1") {
        Some(rest) if rest.len() == 10 => {
            format!("({}) {}-{}", &rest[0..3], &rest[3..6], &rest[6..10])
        }
        _ => phone_number.to_string(),
    }
}

/// `PhoneNumber` filter: a partial number where `*` stands for any one digit.
fn phone_number_matches(pattern: &str, number: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let number: Vec<char> = number.chars().collect();
    if pattern.len() > number.len() {
        return false;
    }
    (0..=number.len() - pattern.len()).any(|offset| {
        pattern
            .iter()
            .zip(&number[offset..])
            .all(|(p, n)| *p == *n || (*p == '*' && n.is_ascii_digit()))
    })
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
    let phone_filter = params.non_empty("PhoneNumber");
    let name_filter = params.non_empty("FriendlyName");
    let world = sandbox.world();
    let account = world
        .twilio
        .get(&account_sid)
        .ok_or_else(|| TwilioError::not_found(uri.path()))?;
    let matching: Vec<&IncomingNumber> = account
        .numbers
        .iter()
        .filter(|n| phone_filter.is_none_or(|p| phone_number_matches(p, &n.phone_number)))
        .filter(|n| name_filter.is_none_or(|f| n.friendly_name == f))
        .filter(|_| params.get("Origin").is_none_or(|origin| origin == "twilio"))
        .collect();
    // Each number's JSON as kept since it last changed (written afresh when it did), copied
    // into the body: a page of 1,000 numbers builds no JSON tree and writes only what changed.
    let window = Page::of(&matching, &request, |n| n.sid.as_str(), |n| *n);
    let mut json = sandbox.number_json();
    keep_json(&mut json, &account_sid, &window.items).map_err(page_not_written)?;
    let items = window
        .items
        .iter()
        .map(|number| json.get(&number.sid))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| page_not_written("a number's JSON was not kept"))?;
    let page = Page {
        items,
        start: window.start,
        end: window.end,
        total: window.total,
        last_sid: window.last_sid,
    };
    let mut filters = Vec::new();
    for name in ["FriendlyName", "Beta", "PhoneNumber", "Origin"] {
        if let Some(value) = params.non_empty(name) {
            filters.push((name, value));
        }
    }
    let listing = page.listing_2010("incoming_phone_numbers", uri.path(), &filters, &request);
    // The rows borrow the world (locked): the body is written before the lock is let go.
    let body = serde_json::to_vec(&listing).map_err(page_not_written)?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// Keeps the JSON of `numbers` of `account_sid` as a list page writes them (written unless kept
/// already for their content): on each page, and for a new account's numbers as they are made,
/// so a list page takes the sandbox's configured latency and little more.
pub fn keep_json(
    json: &mut NumberJson,
    account_sid: &str,
    numbers: &[&IncomingNumber],
) -> serde_json::Result<()> {
    json.room_for(numbers.len());
    for number in numbers {
        json.keep(&number.sid, number.digest(account_sid), || {
            serde_json::value::to_raw_value(&number.wire(account_sid))
        })?;
    }
    Ok(())
}

fn page_not_written(error: impl std::fmt::Display) -> TwilioError {
    TwilioError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        20500,
        format!("the page could not be written: {error}"),
    )
}

pub async fn fetch(
    State(sandbox): State<Arc<Sandbox>>,
    auth: TwilioAuth,
    Path((account_sid, number_file)): Path<(String, String)>,
    uri: Uri,
) -> TwilioResult<Json<Value>> {
    auth.require_account(&account_sid)?;
    auth.require_active()?;
    let sid = strip_json(&number_file, uri.path())?;
    let world = sandbox.world();
    world
        .twilio
        .get(&account_sid)
        .and_then(|account| account.numbers.iter().find(|n| n.sid == sid))
        .map(|number| Json(number.render(&account_sid)))
        .ok_or_else(|| TwilioError::not_found(uri.path()))
}

/// `POST …/IncomingPhoneNumbers/{Sid}.json`: form fields, all optional; unknown ones ignored.
pub async fn update(
    State(sandbox): State<Arc<Sandbox>>,
    auth: TwilioAuth,
    Path((account_sid, number_file)): Path<(String, String)>,
    uri: Uri,
    body: Bytes,
) -> TwilioResult<Json<Value>> {
    auth.require_account(&account_sid)?;
    auth.require_active()?;
    let sid = strip_json(&number_file, uri.path())?;
    let params = Params::parse(&body)
        .ok_or_else(|| TwilioError::bad_request(20001, "Invalid form-encoded body"))?;
    // Validate everything before changing anything: a rejected update leaves no trace.
    let urls = [
        ("SmsUrl", parse_url(&params, "SmsUrl")?),
        ("SmsFallbackUrl", parse_url(&params, "SmsFallbackUrl")?),
        ("StatusCallback", parse_url(&params, "StatusCallback")?),
        ("VoiceUrl", parse_url(&params, "VoiceUrl")?),
        ("VoiceFallbackUrl", parse_url(&params, "VoiceFallbackUrl")?),
    ];
    let methods = [
        ("SmsMethod", parse_method(&params, "SmsMethod")?),
        (
            "SmsFallbackMethod",
            parse_method(&params, "SmsFallbackMethod")?,
        ),
        (
            "StatusCallbackMethod",
            parse_method(&params, "StatusCallbackMethod")?,
        ),
        ("VoiceMethod", parse_method(&params, "VoiceMethod")?),
        (
            "VoiceFallbackMethod",
            parse_method(&params, "VoiceFallbackMethod")?,
        ),
    ];
    let caller_id_lookup = parse_bool(&params, "VoiceCallerIdLookup")?;
    for name in ["SmsApplicationSid", "VoiceApplicationSid"] {
        if let Some(value) = params.non_empty(name)
            && !(value.len() == 34 && value.starts_with("AP"))
        {
            return Err(TwilioError::bad_request(
                21420,
                format!("{name} is not a valid Application SID: {value}"),
            ));
        }
    }

    let mut world = sandbox.world();
    let number = world
        .twilio
        .get_mut(&account_sid)
        .and_then(|account| account.numbers.iter_mut().find(|n| n.sid == sid))
        .ok_or_else(|| TwilioError::not_found(uri.path()))?;
    for (name, value) in urls {
        let Some(value) = value else { continue };
        match name {
            "SmsUrl" => number.sms_url = value,
            "SmsFallbackUrl" => number.sms_fallback_url = value,
            "StatusCallback" => number.status_callback = value,
            "VoiceUrl" => number.voice_url = value,
            _ => number.voice_fallback_url = value,
        }
    }
    for (name, value) in methods {
        let Some(value) = value else { continue };
        match name {
            "SmsMethod" => number.sms_method = value,
            "SmsFallbackMethod" => number.sms_fallback_method = value,
            "StatusCallbackMethod" => number.status_callback_method = value,
            "VoiceMethod" => number.voice_method = value,
            _ => number.voice_fallback_method = value,
        }
    }
    if let Some(value) = params.get("SmsApplicationSid") {
        number.sms_application_sid = value.to_string();
    }
    if let Some(value) = params.get("VoiceApplicationSid") {
        number.voice_application_sid = value.to_string();
    }
    if let Some(value) = params.get("FriendlyName") {
        number.friendly_name = value.to_string();
    }
    if let Some(value) = caller_id_lookup {
        number.voice_caller_id_lookup = value;
    }
    number.date_updated = clock::now();
    Ok(Json(number.render(&account_sid)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_number_filter_supports_wildcards() {
        assert!(phone_number_matches("555", "+14155550101"));
        assert!(phone_number_matches("+1415***0101", "+14155550101"));
        assert!(!phone_number_matches("+1416", "+14155550101"));
    }

    #[test]
    fn a_listed_number_is_the_fetched_number_byte_for_byte() {
        let mut number = IncomingNumber::new(
            "PN0123456789abcdef0123456789abcdef".into(),
            "+14155550101".into(),
        );
        number.sms_url = "https://hooks.example/in".into();
        // A page writes `wire` straight out; a fetch answers `render`: the same bytes.
        let listed = serde_json::to_string(&number.wire("AC1")).unwrap();
        let fetched = number.render("AC1");
        assert_eq!(listed, serde_json::to_string(&fetched).unwrap());
        let object = fetched.as_object().unwrap();
        assert_eq!(object.len(), 35);
        assert_eq!(fetched["sms_url"], "https://hooks.example/in");
        assert_eq!(fetched["sms_application_sid"], Value::Null);
        assert_eq!(fetched["type"], "local");
        assert_eq!(fetched["capabilities"]["sms"], true);
        assert_eq!(fetched["capabilities"]["fax"], false);
    }

    #[test]
    fn friendly_names_like_twilio() {
        assert_eq!(friendly_name("+14155550101"), "(415) 555-0101");
        assert_eq!(friendly_name("+46700000000"), "+46700000000");
    }
}
