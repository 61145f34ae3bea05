//! Telnyx API v2 under `/telnyx`: Bearer auth, `{"data": …}` envelopes, `page[number]` /
//! `page[size]` pagination, messaging profiles, number → profile assignment, messages, and
//! Ed25519-signed webhooks.

mod messages;
mod numbers;
mod profiles;
mod records;

pub use messages::{event, record_inbound};
pub use numbers::TelnyxNumber;
pub use profiles::MessagingProfile;

use std::sync::Arc;

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Map, Value, json};

use crate::params::Params;
use crate::provider::bearer_token;
use crate::state::Sandbox;
pub use messages::TelnyxMessage;

const MAX_PAGE_SIZE: usize = 250;

const DEFAULT_PAGE_SIZE: usize = 20;

const ORGANIZATION_ID: &str = "0f7bd1a2-5c4e-4d8b-9b7a-3f2e1d0c9b8a";

/// Telnyx's error envelope: `{"errors": [{"code", "title", "detail", "source", "meta"}]}`.
#[derive(Debug, Clone)]
pub struct TelnyxError {
    pub status: StatusCode,
    pub code: &'static str,
    pub title: &'static str,
    pub detail: String,
    pub pointer: Option<String>,
}

impl TelnyxError {
    pub fn new(
        status: StatusCode,
        code: &'static str,
        title: &'static str,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            status,
            code,
            title,
            detail: detail.into(),
            pointer: None,
        }
    }

    fn at(mut self, pointer: &str) -> Self {
        self.pointer = Some(pointer.to_string());
        self
    }

    fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "10009",
            "Authentication failed",
            "Could not understand the provided credentials.",
        )
    }

    fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "10005",
            "Resource not found",
            "The requested resource or URL could not be found.",
        )
    }

    fn missing(parameter: &str) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "10004",
            "Missing required parameter",
            format!("The '{parameter}' parameter is required."),
        )
        .at(&format!("/{parameter}"))
    }

    fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "10015", "Bad Request", detail)
    }
}

impl IntoResponse for TelnyxError {
    fn into_response(self) -> Response {
        let mut error = json!({
            "code": self.code,
            "title": self.title,
            "detail": self.detail,
            "meta": {
                "url": format!("https://developers.telnyx.com/docs/overview/errors/{}", self.code),
            },
        });
        if let (Some(pointer), Some(map)) = (self.pointer, error.as_object_mut()) {
            map.insert("source".into(), json!({ "pointer": pointer }));
        }
        (self.status, Json(json!({ "errors": [error] }))).into_response()
    }
}

type TelnyxResult<T> = Result<T, TelnyxError>;

#[derive(Debug, Clone)]
pub struct TelnyxAccount {
    pub api_key: String,
    pub active: bool,
    pub balance: String,
    pub numbers: Vec<TelnyxNumber>,
    pub profiles: Vec<MessagingProfile>,
    /// Newest first.
    pub messages: Vec<TelnyxMessage>,
}

impl TelnyxAccount {
    pub fn new(api_key: String, active: bool) -> Self {
        Self {
            api_key,
            active,
            balance: "300.00".into(),
            numbers: Vec::new(),
            profiles: Vec::new(),
            messages: Vec::new(),
        }
    }

    fn profile(&self, id: Option<&str>) -> Option<&MessagingProfile> {
        let id = id?;
        self.profiles.iter().find(|p| p.id == id)
    }
}

fn invalid_url(key: &str) -> TelnyxError {
    TelnyxError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "10003",
        "Invalid URL",
        format!("The '{key}' must be a valid http(s) URL of at most 2000 characters."),
    )
    .at(&format!("/{key}"))
}

/// The caller's API key, checked against the accounts.
pub struct TelnyxAuth {
    pub api_key: String,
}

impl FromRequestParts<Arc<Sandbox>> for TelnyxAuth {
    type Rejection = TelnyxError;

    async fn from_request_parts(parts: &mut Parts, sandbox: &Arc<Sandbox>) -> TelnyxResult<Self> {
        let key = bearer_token(&parts.headers).ok_or_else(TelnyxError::unauthenticated)?;
        let world = sandbox.world();
        let account = world
            .telnyx
            .get(&key)
            .ok_or_else(TelnyxError::unauthenticated)?;
        if !account.active {
            return Err(TelnyxError::new(
                StatusCode::FORBIDDEN,
                "10010",
                "Authorization failed",
                "This account is disabled. Contact support.",
            ));
        }
        Ok(Self { api_key: key })
    }
}

/// Runs `f` on the caller's account.
fn with_account<T>(
    sandbox: &Sandbox,
    auth: &TelnyxAuth,
    f: impl FnOnce(&mut TelnyxAccount) -> TelnyxResult<T>,
) -> TelnyxResult<T> {
    let mut world = sandbox.world();
    let account = world
        .telnyx
        .get_mut(&auth.api_key)
        .ok_or_else(TelnyxError::unauthenticated)?;
    f(account)
}

fn parse_json_object(body: &[u8]) -> TelnyxResult<Map<String, Value>> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(TelnyxError::bad_request(
            "The request body must be a JSON object.",
        )),
    }
}

/// `page[number]` (1-based) and `page[size]` → the slice and the `meta` object.
fn paginate<'a, T>(items: &'a [T], query: Option<&str>) -> (&'a [T], Value) {
    let params = Params::from_query(query);
    let size = params
        .get("page[size]")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(DEFAULT_PAGE_SIZE)
        .clamp(1, MAX_PAGE_SIZE);
    let number = params
        .get("page[number]")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1);
    let start = ((number - 1) * size).min(items.len());
    let end = (start + size).min(items.len());
    let meta = json!({
        "page_number": number,
        "page_size": size,
        "total_pages": items.len().div_ceil(size).max(1),
        "total_results": items.len(),
    });
    (&items[start..end], meta)
}

async fn balance(
    State(sandbox): State<Arc<Sandbox>>,
    auth: TelnyxAuth,
) -> TelnyxResult<Json<Value>> {
    with_account(&sandbox, &auth, |account| {
        Ok(Json(json!({ "data": {
            "record_type": "balance",
            "balance": account.balance,
            "credit_limit": "0.00",
            "available_credit": account.balance,
            "pending": "0.00",
            "currency": "USD",
        }})))
    })
}

async fn not_found(_uri: Uri) -> TelnyxError {
    TelnyxError::not_found()
}

async fn method_not_allowed() -> TelnyxError {
    TelnyxError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "10015",
        "Bad Request",
        "This HTTP method is not supported on this path.",
    )
}

pub fn router() -> Router<Arc<Sandbox>> {
    Router::new()
        .route("/v2/balance", get(balance))
        .route("/v2/phone_numbers", get(numbers::list_numbers))
        .route("/v2/phone_numbers/{id}", get(numbers::fetch_number))
        .route(
            "/v2/phone_numbers/{id}/messaging",
            get(numbers::fetch_number_messaging).patch(numbers::update_number_messaging),
        )
        .route(
            "/v2/messaging_profiles",
            get(profiles::list_profiles).post(profiles::create_profile),
        )
        .route(
            "/v2/messaging_profiles/{id}",
            get(profiles::fetch_profile).patch(profiles::update_profile),
        )
        .route("/v2/messages", axum::routing::post(messages::send_message))
        .route("/v2/messages/{id}", get(messages::fetch_message))
        .route("/v2/detail_records", get(records::search_detail_records))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
}
