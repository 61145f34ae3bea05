//! 46elks API under `/46elks`: Basic auth, form-encoded requests, JSON answers, plain-text
//! errors, SMS with delivery reports, and number configuration (`sms_url`).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Map, Value, json};

use crate::clock::{self, Timestamp};
use crate::delivery::{self, Outgoing};
use crate::ids;
use crate::lifecycle::{self, Outcome};
use crate::params::{Params, is_http_url};
use crate::provider::{Provider, basic_credentials};
use crate::state::Sandbox;

/// Cost of one SMS part in 1/10000 of the account currency (0.35 SEK).
const COST_PER_PART: i64 = 3500;

/// 46elks answers errors with a status and a short plain-text reason.
#[derive(Debug, Clone)]
pub struct ElksError {
    pub status: StatusCode,
    pub message: String,
}

impl ElksError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    /// Invalid or missing parameters.
    fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message)
    }

    fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "Not found")
    }
}

impl IntoResponse for ElksError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            self.message,
        )
            .into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Basic realm=\"46elks API\""),
            );
        }
        response
    }
}

type ElksResult<T> = Result<T, ElksError>;

#[derive(Debug, Clone)]
pub struct ElksAccount {
    pub username: String,
    pub password: String,
    pub active: bool,
    pub displayname: String,
    pub mobilenumber: String,
    pub email: String,
    /// In 1/10000 of the currency.
    pub balance: i64,
    pub numbers: Vec<ElksNumber>,
    /// Newest first.
    pub messages: Vec<ElksSms>,
}

impl ElksAccount {
    pub fn new(username: String, password: String, active: bool) -> Self {
        Self {
            username,
            password,
            active,
            displayname: "Switchboard Sandbox".into(),
            mobilenumber: "+46700000000".into(),
            email: "sandbox@example.com".into(),
            balance: 9_670_500,
            numbers: Vec::new(),
            messages: Vec::new(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct ElksNumber {
    pub id: String,
    pub number: String,
    pub active: bool,
    pub capabilities: Vec<String>,
    pub sms_url: Option<String>,
    pub mms_url: Option<String>,
    pub voice_start: Option<String>,
    pub sms_replies: Option<String>,
    pub name: Option<String>,
    pub allocated: Timestamp,
}

impl ElksNumber {
    pub fn new(id: String, number: String) -> Self {
        Self {
            id,
            number,
            active: true,
            capabilities: vec!["sms".into(), "mms".into(), "voice".into()],
            sms_url: None,
            mms_url: None,
            voice_start: None,
            sms_replies: None,
            name: None,
            allocated: clock::now(),
        }
    }

    /// Unset fields are left out, as 46elks does.
    fn render(&self) -> Value {
        let mut map = Map::new();
        map.insert("id".into(), json!(self.id));
        map.insert(
            "active".into(),
            json!(if self.active { "yes" } else { "no" }),
        );
        map.insert("country".into(), json!(country(&self.number)));
        map.insert("number".into(), json!(self.number));
        map.insert("capabilities".into(), json!(self.capabilities));
        map.insert("allocated".into(), json!(clock::elks(&self.allocated)));
        let optional = [
            ("sms_url", &self.sms_url),
            ("mms_url", &self.mms_url),
            ("voice_start", &self.voice_start),
            ("sms_replies", &self.sms_replies),
            ("name", &self.name),
        ];
        for (key, value) in optional {
            if let Some(value) = value {
                map.insert(key.into(), json!(value));
            }
        }
        Value::Object(map)
    }

    /// The URL 46elks posts incoming SMS to; `None` when unset or a JSON action.
    pub fn sms_webhook(&self) -> Option<&str> {
        self.sms_url.as_deref().filter(|url| is_http_url(url))
    }
}

fn country(number: &str) -> &'static str {
    if number.starts_with("+46") {
        "se"
    } else if number.starts_with("+1") {
        "us"
    } else {
        "xx"
    }
}

#[derive(Debug, Clone)]
pub struct ElksSms {
    pub id: String,
    pub direction: &'static str,
    pub from: String,
    pub to: String,
    pub message: String,
    /// created → sent → delivered | failed.
    pub status: &'static str,
    pub created: Timestamp,
    pub delivered: Option<Timestamp>,
    pub parts: usize,
    pub whendelivered: Option<String>,
}

impl ElksSms {
    fn render(&self) -> Value {
        let mut value = json!({
            "id": self.id,
            "direction": self.direction,
            "from": self.from,
            "to": self.to,
            "message": self.message,
            "status": self.status,
            "created": clock::elks(&self.created),
            "parts": self.parts,
            "cost": COST_PER_PART * self.parts as i64,
        });
        if let (Some(delivered), Some(map)) = (self.delivered, value.as_object_mut()) {
            map.insert("delivered".into(), json!(clock::elks(&delivered)));
        }
        value
    }
}

pub struct ElksAuth {
    pub username: String,
}

impl FromRequestParts<Arc<Sandbox>> for ElksAuth {
    type Rejection = ElksError;

    async fn from_request_parts(parts: &mut Parts, sandbox: &Arc<Sandbox>) -> ElksResult<Self> {
        let unauthorized = || ElksError::new(StatusCode::UNAUTHORIZED, "Invalid credentials");
        let (username, password) = basic_credentials(&parts.headers).ok_or_else(unauthorized)?;
        let world = sandbox.world();
        let account = world
            .elks
            .get(&username)
            .filter(|account| account.password == password)
            .ok_or_else(unauthorized)?;
        if !account.active {
            return Err(ElksError::new(StatusCode::FORBIDDEN, "Account is disabled"));
        }
        Ok(Self { username })
    }
}

fn with_account<T>(
    sandbox: &Sandbox,
    auth: &ElksAuth,
    f: impl FnOnce(&mut ElksAccount) -> ElksResult<T>,
) -> ElksResult<T> {
    let mut world = sandbox.world();
    let account = world
        .elks
        .get_mut(&auth.username)
        .ok_or_else(|| ElksError::new(StatusCode::UNAUTHORIZED, "Invalid credentials"))?;
    f(account)
}

fn parse_form(body: &[u8]) -> ElksResult<Params> {
    Params::parse(body).ok_or_else(|| ElksError::invalid("Invalid form data"))
}

async fn me(State(sandbox): State<Arc<Sandbox>>, auth: ElksAuth) -> ElksResult<Json<Value>> {
    with_account(&sandbox, &auth, |account| {
        Ok(Json(json!({
            "id": account.username,
            "displayname": account.displayname,
            "mobilenumber": account.mobilenumber,
            "email": account.email,
            "currency": "SEK",
            "balance": account.balance,
        })))
    })
}

async fn list_numbers(
    State(sandbox): State<Arc<Sandbox>>,
    auth: ElksAuth,
) -> ElksResult<Json<Value>> {
    with_account(&sandbox, &auth, |account| {
        let data: Vec<Value> = account.numbers.iter().map(ElksNumber::render).collect();
        Ok(Json(json!({ "data": data })))
    })
}

async fn fetch_number(
    State(sandbox): State<Arc<Sandbox>>,
    auth: ElksAuth,
    Path(id): Path<String>,
) -> ElksResult<Json<Value>> {
    with_account(&sandbox, &auth, |account| {
        account
            .numbers
            .iter()
            .find(|n| n.id == id)
            .map(|n| Json(n.render()))
            .ok_or_else(ElksError::not_found)
    })
}

/// A field value after 46elks' clearing rule: `none` or a single space clears.
fn cleared(value: &str) -> Option<String> {
    (value != "none" && value != " " && !value.is_empty()).then(|| value.to_string())
}

/// `POST /a1/numbers/{id}` (form): `sms_url`, `mms_url`, `voice_start`, `sms_replies`, `name`,
/// `active=no` (deallocate).
async fn configure_number(
    State(sandbox): State<Arc<Sandbox>>,
    auth: ElksAuth,
    Path(id): Path<String>,
    body: Bytes,
) -> ElksResult<Json<Value>> {
    let params = parse_form(&body)?;
    for key in ["sms_url", "mms_url"] {
        if let Some(value) = params.get(key).and_then(cleared) {
            let action = serde_json::from_str::<Value>(&value).is_ok_and(|v| v.is_object());
            if !action && !is_http_url(&value) {
                return Err(ElksError::invalid(format!("Invalid {key}")));
            }
        }
    }
    if let Some(replies) = params.get("sms_replies")
        && replies != "yes"
        && replies != "no"
    {
        return Err(ElksError::invalid("sms_replies must be yes or no"));
    }
    if params
        .get("name")
        .is_some_and(|name| name.chars().count() > 50)
    {
        return Err(ElksError::invalid("name is too long (max 50 characters)"));
    }
    with_account(&sandbox, &auth, |account| {
        let number = account
            .numbers
            .iter_mut()
            .find(|n| n.id == id)
            .ok_or_else(ElksError::not_found)?;
        if !number.active {
            return Err(ElksError::invalid("Number is deallocated"));
        }
        let fields = [
            ("sms_url", &mut number.sms_url),
            ("mms_url", &mut number.mms_url),
            ("voice_start", &mut number.voice_start),
            ("sms_replies", &mut number.sms_replies),
            ("name", &mut number.name),
        ];
        for (key, target) in fields {
            if let Some(value) = params.get(key) {
                *target = cleared(value);
            }
        }
        if params.get("active") == Some("no") {
            number.active = false;
        }
        Ok(Json(number.render()))
    })
}

fn is_text_sender(from: &str) -> bool {
    (3..=11).contains(&from.len())
        && from.starts_with(|c: char| c.is_ascii_alphabetic())
        && from.chars().all(|c| c.is_ascii_alphanumeric())
}

/// `POST /a1/sms` (form: `from`, `to`, `message`, optional `whendelivered`, `dryrun`).
async fn send_sms(
    State(sandbox): State<Arc<Sandbox>>,
    auth: ElksAuth,
    body: Bytes,
) -> ElksResult<Json<Value>> {
    let params = parse_form(&body)?;
    let from = params
        .non_empty("from")
        .ok_or_else(|| ElksError::invalid("Missing key from"))?;
    let to = params
        .non_empty("to")
        .ok_or_else(|| ElksError::invalid("Missing key to"))?;
    let message = params
        .non_empty("message")
        .ok_or_else(|| ElksError::invalid("Missing key message"))?;
    if !ids::is_e164(to) {
        return Err(ElksError::invalid("Invalid to number"));
    }
    let whendelivered = params.non_empty("whendelivered");
    if whendelivered.is_some_and(|url| !is_http_url(url)) {
        return Err(ElksError::invalid("Invalid whendelivered url"));
    }
    let parts = message.chars().count().div_ceil(160).max(1);
    let sms = with_account(&sandbox, &auth, |account| {
        let owned = account.numbers.iter().any(|n| n.active && n.number == from);
        if !owned && !is_text_sender(from) {
            return Err(ElksError::invalid("Invalid from number"));
        }
        let cost = COST_PER_PART * parts as i64;
        if account.balance < cost {
            return Err(ElksError::new(
                StatusCode::PAYMENT_REQUIRED,
                "Not enough credits",
            ));
        }
        let sms = ElksSms {
            id: ids::elks_id(&mut rand::rng(), 's'),
            direction: "outgoing",
            from: from.to_string(),
            to: to.to_string(),
            message: message.to_string(),
            status: "created",
            created: clock::now(),
            delivered: None,
            parts,
            whendelivered: whendelivered.map(str::to_string),
        };
        if params.get("dryrun") != Some("yes") {
            account.balance -= cost;
            account.messages.insert(0, sms.clone());
        }
        Ok(sms)
    })?;
    if params.get("dryrun") == Some("yes") {
        return Ok(Json(json!({
            "status": "created",
            "estimated_cost": COST_PER_PART * sms.parts as i64,
            "parts": sms.parts,
            "from": sms.from,
            "to": sms.to,
            "message": sms.message,
        })));
    }
    spawn_lifecycle(sandbox, auth.username, sms.id.clone(), &sms.to);
    Ok(Json(sms.render()))
}

/// Most SMS one history page holds ("At most 100 SMS can be retrieved at once").
const MAX_HISTORY_PAGE: usize = 100;

/// A 46elks timestamp as its clients compare them: to the microsecond it prints.
fn to_micros(t: &Timestamp) -> i64 {
    t.timestamp_micros()
}

fn history_time(params: &Params, key: &str) -> ElksResult<Option<i64>> {
    params
        .non_empty(key)
        .map(|value| {
            crate::history::parse_instant(value)
                .map(|t| to_micros(&t))
                .ok_or_else(|| ElksError::invalid(format!("Invalid {key}")))
        })
        .transpose()
}

/// `GET /a1/sms` (history): newest first; `start` = only SMS *before* this time, `end` = only
/// SMS *after* it (46elks' own, counter-intuitive naming), `limit` per page (at most 100), `to`
/// = only to this recipient. `next` (the last item's `created`) is there when more SMS follow;
/// passing it as `start` gets the next page.
async fn list_sms(
    State(sandbox): State<Arc<Sandbox>>,
    auth: ElksAuth,
    uri: Uri,
) -> ElksResult<Json<Value>> {
    let params = Params::from_query(uri.query());
    let before = history_time(&params, "start")?;
    let after = history_time(&params, "end")?;
    let limit = match params.non_empty("limit") {
        Some(value) => value
            .parse::<usize>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| ElksError::invalid("Invalid limit"))?
            .min(MAX_HISTORY_PAGE),
        None => MAX_HISTORY_PAGE,
    };
    let to = params.non_empty("to");
    with_account(&sandbox, &auth, |account| {
        let mut matching = account.messages.iter().filter(|m| {
            let created = to_micros(&m.created);
            before.is_none_or(|b| created < b)
                && after.is_none_or(|a| created > a)
                && to.is_none_or(|to| m.to == to)
        });
        let data: Vec<&ElksSms> = matching.by_ref().take(limit).collect();
        let more = matching.next().is_some();
        let mut answer = json!({ "data": data.iter().map(|m| m.render()).collect::<Vec<_>>() });
        if let (true, Some(last), Some(map)) = (more, data.last(), answer.as_object_mut()) {
            map.insert("next".into(), json!(clock::elks(&last.created)));
        }
        Ok(Json(answer))
    })
}

async fn fetch_sms(
    State(sandbox): State<Arc<Sandbox>>,
    auth: ElksAuth,
    Path(id): Path<String>,
) -> ElksResult<Json<Value>> {
    with_account(&sandbox, &auth, |account| {
        account
            .messages
            .iter()
            .find(|m| m.id == id)
            .map(|m| Json(m.render()))
            .ok_or_else(ElksError::not_found)
    })
}

/// created → sent → delivered | failed, posting a delivery report to `whendelivered` each time.
fn spawn_lifecycle(sandbox: Arc<Sandbox>, username: String, sms_id: String, to: &str) {
    let steps: &[&'static str] = match lifecycle::outcome_for(to) {
        Outcome::Delivered => &["sent", "delivered"],
        Outcome::Undelivered => &["sent", "failed"],
        Outcome::Failed => &["failed"],
    };
    tokio::spawn(async move {
        for &status in steps {
            if !lifecycle::pause(&sandbox).await {
                return;
            }
            let report = {
                let mut world = sandbox.world();
                let Some(sms) = world
                    .elks
                    .get_mut(&username)
                    .and_then(|a| a.messages.iter_mut().find(|m| m.id == sms_id))
                else {
                    return;
                };
                sms.status = status;
                let mut params = vec![
                    ("id".to_string(), sms.id.clone()),
                    ("status".to_string(), status.to_string()),
                ];
                if status == "delivered" {
                    let now = clock::now();
                    sms.delivered = Some(now);
                    params.push(("delivered".to_string(), clock::elks(&now)));
                }
                sms.whendelivered.clone().map(|url| (url, params))
            };
            if let Some((url, params)) = report {
                let target = Outgoing {
                    provider: Provider::Elks,
                    kind: "delivery_report",
                    method: "POST",
                    url: &url,
                };
                let _ = delivery::form(&sandbox, target, &params).await;
            }
        }
    });
}

/// Stores an incoming SMS and returns the number's webhook URL (if any) and the form 46elks
/// posts to it.
pub fn record_inbound(
    account: &mut ElksAccount,
    number_index: usize,
    from: &str,
    body: &str,
) -> (Option<String>, Vec<(String, String)>) {
    let number = &account.numbers[number_index];
    let url = number.sms_webhook().map(str::to_string);
    let sms = ElksSms {
        id: ids::elks_id(&mut rand::rng(), 's'),
        direction: "incoming",
        from: from.to_string(),
        to: number.number.clone(),
        message: body.to_string(),
        status: "delivered",
        created: clock::now(),
        delivered: None,
        parts: body.chars().count().div_ceil(160).max(1),
        whendelivered: None,
    };
    let params = vec![
        ("direction".to_string(), "incoming".to_string()),
        ("id".to_string(), sms.id.clone()),
        ("from".to_string(), sms.from.clone()),
        ("to".to_string(), sms.to.clone()),
        ("created".to_string(), clock::elks(&sms.created)),
        ("message".to_string(), sms.message.clone()),
    ];
    account.messages.insert(0, sms);
    (url, params)
}

async fn not_found(_uri: Uri) -> ElksError {
    ElksError::not_found()
}

async fn method_not_allowed() -> ElksError {
    ElksError::new(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed")
}

pub fn router() -> Router<Arc<Sandbox>> {
    Router::new()
        .route("/a1/me", get(me))
        .route("/a1/numbers", get(list_numbers))
        .route("/a1/numbers/{id}", get(fetch_number).post(configure_number))
        // Both spellings appear in 46elks' own material.
        .route("/a1/sms", get(list_sms).post(send_sms))
        .route("/a1/SMS", get(list_sms).post(send_sms))
        .route("/a1/sms/{id}", get(fetch_sms))
        .route("/a1/SMS/{id}", get(fetch_sms))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
}
