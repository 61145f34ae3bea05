//! Messaging v1 services (`/v1/Services`) and their sender pool (`/v1/Services/{Sid}/PhoneNumbers`).
//! A service's `inbound_request_url` replaces the number's own SMS webhook unless
//! `use_inbound_webhook_on_number` is true.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, Uri};
use serde_json::{Value, json};

use super::accounts::TwilioAccount;
use super::{
    ApiBase, Page, PageRequest, TwilioAuth, TwilioError, TwilioResult, parse_bool, parse_method,
    parse_url,
};
use crate::clock::{self, Timestamp};
use crate::ids;
use crate::params::Params;
use crate::state::Sandbox;

#[derive(Debug, Clone)]
pub struct MessagingService {
    pub sid: String,
    pub friendly_name: String,
    pub inbound_request_url: Option<String>,
    pub inbound_method: String,
    pub fallback_url: Option<String>,
    pub fallback_method: String,
    pub status_callback: Option<String>,
    pub sticky_sender: bool,
    pub mms_converter: bool,
    pub smart_encoding: bool,
    pub fallback_to_long_code: bool,
    pub area_code_geomatch: bool,
    pub synchronous_validation: bool,
    pub validity_period: i64,
    pub usecase: String,
    pub use_inbound_webhook_on_number: bool,
    /// Pool members: (PN SID, when added).
    pub phone_number_sids: Vec<(String, Timestamp)>,
    pub date_created: Timestamp,
    pub date_updated: Timestamp,
}

impl MessagingService {
    pub fn new(sid: String, friendly_name: &str) -> Self {
        let now = clock::now();
        Self {
            sid,
            friendly_name: friendly_name.to_string(),
            inbound_request_url: None,
            inbound_method: "POST".into(),
            fallback_url: None,
            fallback_method: "POST".into(),
            status_callback: None,
            sticky_sender: true,
            mms_converter: true,
            smart_encoding: true,
            fallback_to_long_code: false,
            area_code_geomatch: true,
            synchronous_validation: false,
            validity_period: 14_400,
            usecase: "undeclared".into(),
            use_inbound_webhook_on_number: false,
            phone_number_sids: Vec::new(),
            date_created: now,
            date_updated: now,
        }
    }

    fn render(&self, account_sid: &str, base: &str) -> Value {
        let url = format!("{base}/v1/Services/{}", self.sid);
        json!({
            "account_sid": account_sid,
            "friendly_name": self.friendly_name,
            "sid": self.sid,
            "date_created": clock::iso8601(&self.date_created),
            "date_updated": clock::iso8601(&self.date_updated),
            "sticky_sender": self.sticky_sender,
            "mms_converter": self.mms_converter,
            "smart_encoding": self.smart_encoding,
            "fallback_to_long_code": self.fallback_to_long_code,
            "area_code_geomatch": self.area_code_geomatch,
            "validity_period": self.validity_period,
            "scan_message_content": "inherit",
            "synchronous_validation": self.synchronous_validation,
            "inbound_request_url": self.inbound_request_url,
            "inbound_method": self.inbound_method,
            "fallback_url": self.fallback_url,
            "fallback_method": self.fallback_method,
            "status_callback": self.status_callback,
            "usecase": self.usecase,
            "us_app_to_person_registered": false,
            "use_inbound_webhook_on_number": self.use_inbound_webhook_on_number,
            "links": {
                "phone_numbers": format!("{url}/PhoneNumbers"),
                "short_codes": format!("{url}/ShortCodes"),
                "alpha_senders": format!("{url}/AlphaSenders"),
                "messages": format!("{url}/Messages"),
                "us_app_to_person": format!("{url}/Compliance/Usa2p"),
                "us_app_to_person_usecases": format!("{url}/Compliance/Usa2p/Usecases"),
                "channel_senders": format!("{url}/ChannelSenders"),
                "destination_alpha_senders": format!("{url}/DestinationAlphaSenders"),
            },
            "url": url,
        })
    }

    /// Applies form fields after validating all of them.
    fn apply(&mut self, params: &Params) -> TwilioResult<()> {
        let inbound_request_url = parse_url(params, "InboundRequestUrl")?;
        let fallback_url = parse_url(params, "FallbackUrl")?;
        let status_callback = parse_url(params, "StatusCallback")?;
        let inbound_method = parse_method(params, "InboundMethod")?;
        let fallback_method = parse_method(params, "FallbackMethod")?;
        let flags = [
            parse_bool(params, "StickySender")?,
            parse_bool(params, "MmsConverter")?,
            parse_bool(params, "SmartEncoding")?,
            parse_bool(params, "FallbackToLongCode")?,
            parse_bool(params, "AreaCodeGeomatch")?,
            parse_bool(params, "SynchronousValidation")?,
            parse_bool(params, "UseInboundWebhookOnNumber")?,
        ];
        let validity_period = match params.non_empty("ValidityPeriod") {
            Some(raw) => Some(
                raw.parse::<i64>()
                    .ok()
                    .filter(|v| (1..=36_000).contains(v))
                    .ok_or_else(|| {
                        TwilioError::bad_request(
                            20001,
                            format!("ValidityPeriod must be between 1 and 36000, got {raw}"),
                        )
                    })?,
            ),
            None => None,
        };
        let empty_as_none = |url: String| (!url.is_empty()).then_some(url);
        if let Some(url) = inbound_request_url {
            self.inbound_request_url = empty_as_none(url);
        }
        if let Some(url) = fallback_url {
            self.fallback_url = empty_as_none(url);
        }
        if let Some(url) = status_callback {
            self.status_callback = empty_as_none(url);
        }
        if let Some(method) = inbound_method {
            self.inbound_method = method;
        }
        if let Some(method) = fallback_method {
            self.fallback_method = method;
        }
        let targets = [
            &mut self.sticky_sender,
            &mut self.mms_converter,
            &mut self.smart_encoding,
            &mut self.fallback_to_long_code,
            &mut self.area_code_geomatch,
            &mut self.synchronous_validation,
            &mut self.use_inbound_webhook_on_number,
        ];
        for (target, flag) in targets.into_iter().zip(flags) {
            if let Some(flag) = flag {
                *target = flag;
            }
        }
        if let Some(period) = validity_period {
            self.validity_period = period;
        }
        if let Some(name) = params.get("FriendlyName") {
            self.friendly_name = name.to_string();
        }
        if let Some(usecase) = params.non_empty("Usecase") {
            self.usecase = usecase.to_string();
        }
        self.date_updated = clock::now();
        Ok(())
    }
}

fn parse_form(body: &[u8]) -> TwilioResult<Params> {
    Params::parse(body).ok_or_else(|| TwilioError::bad_request(20001, "Invalid form-encoded body"))
}

fn account_mut<'a>(
    world: &'a mut crate::state::World,
    auth: &TwilioAuth,
) -> TwilioResult<&'a mut TwilioAccount> {
    world
        .twilio
        .get_mut(&auth.account_sid)
        .ok_or_else(TwilioError::authenticate)
}

pub async fn list(
    State(sandbox): State<Arc<Sandbox>>,
    auth: TwilioAuth,
    ApiBase(base): ApiBase,
    RawQuery(query): RawQuery,
) -> TwilioResult<Json<Value>> {
    auth.require_active()?;
    let params = Params::from_query(query.as_deref());
    let request = PageRequest::from_params(&params, 50);
    let mut world = sandbox.world();
    let account = account_mut(&mut world, &auth)?;
    let page = Page::of(
        &account.services,
        &request,
        |s| s.sid.as_str(),
        |s| s.render(&auth.account_sid, &base),
    );
    Ok(Json(page.render_meta(
        "services",
        &format!("{base}/v1/Services"),
        &[],
        &request,
    )))
}

pub async fn fetch(
    State(sandbox): State<Arc<Sandbox>>,
    auth: TwilioAuth,
    ApiBase(base): ApiBase,
    Path(service_sid): Path<String>,
    uri: Uri,
) -> TwilioResult<Json<Value>> {
    auth.require_active()?;
    let mut world = sandbox.world();
    let account = account_mut(&mut world, &auth)?;
    account
        .services
        .iter()
        .find(|s| s.sid == service_sid)
        .map(|s| Json(s.render(&auth.account_sid, &base)))
        .ok_or_else(|| TwilioError::not_found(uri.path()))
}

/// `POST /v1/Services` (form, `FriendlyName` required) → 201.
pub async fn create(
    State(sandbox): State<Arc<Sandbox>>,
    auth: TwilioAuth,
    ApiBase(base): ApiBase,
    body: Bytes,
) -> TwilioResult<(StatusCode, Json<Value>)> {
    auth.require_active()?;
    let params = parse_form(&body)?;
    let name = params.non_empty("FriendlyName").ok_or_else(|| {
        TwilioError::bad_request(
            20001,
            "Missing required parameter FriendlyName in the post body",
        )
    })?;
    let mut service = MessagingService::new(ids::twilio_sid(&mut rand::rng(), "MG"), name);
    service.apply(&params)?;
    let mut world = sandbox.world();
    let account = account_mut(&mut world, &auth)?;
    let rendered = service.render(&auth.account_sid, &base);
    account.services.push(service);
    Ok((StatusCode::CREATED, Json(rendered)))
}

pub async fn update(
    State(sandbox): State<Arc<Sandbox>>,
    auth: TwilioAuth,
    ApiBase(base): ApiBase,
    Path(service_sid): Path<String>,
    uri: Uri,
    body: Bytes,
) -> TwilioResult<Json<Value>> {
    auth.require_active()?;
    let params = parse_form(&body)?;
    let mut world = sandbox.world();
    let account = account_mut(&mut world, &auth)?;
    let service = account
        .services
        .iter_mut()
        .find(|s| s.sid == service_sid)
        .ok_or_else(|| TwilioError::not_found(uri.path()))?;
    // Apply to a copy so a rejected field leaves the service untouched.
    let mut updated = service.clone();
    updated.apply(&params)?;
    *service = updated;
    Ok(Json(service.render(&auth.account_sid, &base)))
}

pub async fn delete(
    State(sandbox): State<Arc<Sandbox>>,
    auth: TwilioAuth,
    Path(service_sid): Path<String>,
    uri: Uri,
) -> TwilioResult<StatusCode> {
    auth.require_active()?;
    let mut world = sandbox.world();
    let account = account_mut(&mut world, &auth)?;
    let before = account.services.len();
    account.services.retain(|s| s.sid != service_sid);
    if account.services.len() == before {
        return Err(TwilioError::not_found(uri.path()));
    }
    Ok(StatusCode::NO_CONTENT)
}

fn render_pool_number(
    account: &TwilioAccount,
    service_sid: &str,
    number_sid: &str,
    added: &Timestamp,
    base: &str,
) -> Option<Value> {
    let number = account.numbers.iter().find(|n| n.sid == number_sid)?;
    Some(json!({
        "sid": number.sid,
        "account_sid": account.sid,
        "service_sid": service_sid,
        "date_created": clock::iso8601(added),
        "date_updated": clock::iso8601(added),
        "phone_number": number.phone_number,
        "country_code": if number.phone_number.starts_with("+1") { "US" } else { "" },
        "capabilities": number.capabilities.names(),
        "url": format!("{base}/v1/Services/{service_sid}/PhoneNumbers/{}", number.sid),
    }))
}

pub async fn list_numbers(
    State(sandbox): State<Arc<Sandbox>>,
    auth: TwilioAuth,
    ApiBase(base): ApiBase,
    Path(service_sid): Path<String>,
    RawQuery(query): RawQuery,
    uri: Uri,
) -> TwilioResult<Json<Value>> {
    auth.require_active()?;
    let params = Params::from_query(query.as_deref());
    let request = PageRequest::from_params(&params, 50);
    let mut world = sandbox.world();
    let account = account_mut(&mut world, &auth)?;
    let service = account
        .services
        .iter()
        .find(|s| s.sid == service_sid)
        .ok_or_else(|| TwilioError::not_found(uri.path()))?;
    let page = Page::of(
        &service.phone_number_sids,
        &request,
        |(sid, _)| sid.as_str(),
        |(sid, added)| {
            render_pool_number(account, &service_sid, sid, added, &base).unwrap_or(Value::Null)
        },
    );
    Ok(Json(page.render_meta(
        "phone_numbers",
        &format!("{base}/v1/Services/{service_sid}/PhoneNumbers"),
        &[],
        &request,
    )))
}

/// `POST /v1/Services/{Sid}/PhoneNumbers` with `PhoneNumberSid` → 201.
pub async fn add_number(
    State(sandbox): State<Arc<Sandbox>>,
    auth: TwilioAuth,
    ApiBase(base): ApiBase,
    Path(service_sid): Path<String>,
    uri: Uri,
    body: Bytes,
) -> TwilioResult<(StatusCode, Json<Value>)> {
    auth.require_active()?;
    let params = parse_form(&body)?;
    let number_sid = params.non_empty("PhoneNumberSid").ok_or_else(|| {
        TwilioError::bad_request(
            20001,
            "Missing required parameter PhoneNumberSid in the post body",
        )
    })?;
    let mut world = sandbox.world();
    let account = account_mut(&mut world, &auth)?;
    if !account.numbers.iter().any(|n| n.sid == number_sid) {
        return Err(TwilioError::bad_request(
            21710,
            format!("Phone Number {number_sid} does not belong to this account"),
        ));
    }
    if account
        .services
        .iter()
        .any(|s| s.phone_number_sids.iter().any(|(sid, _)| sid == number_sid))
    {
        return Err(TwilioError::new(
            StatusCode::CONFLICT,
            21712,
            format!("Phone Number {number_sid} is already in a Messaging Service"),
        ));
    }
    let service = account
        .services
        .iter_mut()
        .find(|s| s.sid == service_sid)
        .ok_or_else(|| TwilioError::not_found(uri.path()))?;
    let added = clock::now();
    service
        .phone_number_sids
        .push((number_sid.to_string(), added));
    let rendered =
        render_pool_number(account, &service_sid, number_sid, &added, &base).unwrap_or(Value::Null);
    Ok((StatusCode::CREATED, Json(rendered)))
}

pub async fn fetch_number(
    State(sandbox): State<Arc<Sandbox>>,
    auth: TwilioAuth,
    ApiBase(base): ApiBase,
    Path((service_sid, number_sid)): Path<(String, String)>,
    uri: Uri,
) -> TwilioResult<Json<Value>> {
    auth.require_active()?;
    let mut world = sandbox.world();
    let account = account_mut(&mut world, &auth)?;
    account
        .services
        .iter()
        .find(|s| s.sid == service_sid)
        .and_then(|s| {
            s.phone_number_sids
                .iter()
                .find(|(sid, _)| *sid == number_sid)
        })
        .and_then(|(sid, added)| render_pool_number(account, &service_sid, sid, added, &base))
        .map(Json)
        .ok_or_else(|| TwilioError::not_found(uri.path()))
}

pub async fn remove_number(
    State(sandbox): State<Arc<Sandbox>>,
    auth: TwilioAuth,
    Path((service_sid, number_sid)): Path<(String, String)>,
    uri: Uri,
) -> TwilioResult<StatusCode> {
    auth.require_active()?;
    let mut world = sandbox.world();
    let account = account_mut(&mut world, &auth)?;
    let service = account
        .services
        .iter_mut()
        .find(|s| s.sid == service_sid)
        .ok_or_else(|| TwilioError::not_found(uri.path()))?;
    let before = service.phone_number_sids.len();
    service
        .phone_number_sids
        .retain(|(sid, _)| *sid != number_sid);
    if service.phone_number_sids.len() == before {
        return Err(TwilioError::not_found(uri.path()));
    }
    Ok(StatusCode::NO_CONTENT)
}
