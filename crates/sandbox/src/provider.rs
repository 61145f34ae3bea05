//! Which provider a request is for, and the provider-shaped answers that the transport layer
//! (faults, concurrency limit) gives before any handler runs.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::Serialize;

use crate::{elks::ElksError, telnyx::TelnyxError, twilio::TwilioError};

/// Seconds a client is told to wait after a 429.
pub const RETRY_AFTER_SECONDS: u64 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Provider {
    #[serde(rename = "twilio")]
    Twilio,
    #[serde(rename = "telnyx")]
    Telnyx,
    #[serde(rename = "46elks")]
    Elks,
}

impl Provider {
    pub fn from_path(path: &str) -> Option<Self> {
        let first = path.trim_start_matches('/').split('/').next()?;
        match first {
            "twilio" => Some(Self::Twilio),
            "telnyx" => Some(Self::Telnyx),
            "46elks" => Some(Self::Elks),
            _ => None,
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::from_path(name)
    }
}

/// HTTP 429 in the provider's own error shape, with `Retry-After` (an injected rate-limit
/// fault).
pub fn too_many_requests(provider: Option<Provider>) -> Response {
    too_many_in_flight(provider, Some(RETRY_AFTER_SECONDS))
}

/// HTTP 429 for a request beyond the account's concurrency limit. Twilio documents no
/// `Retry-After` for 20429 (a slot frees as soon as one of the account's requests ends, well
/// under the header's one-second grain), so one is sent only when a test asks for it.
pub fn too_many_in_flight(provider: Option<Provider>, retry_after: Option<u64>) -> Response {
    let mut response = error_for_status(provider, StatusCode::TOO_MANY_REQUESTS);
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
    }
    response
}

/// An error answer for an arbitrary status (fault injection), in the provider's shape.
pub fn error_for_status(provider: Option<Provider>, status: StatusCode) -> Response {
    let reason = status.canonical_reason().unwrap_or("Error");
    match provider {
        Some(Provider::Twilio) => {
            // Twilio's transport-level codes are 20000 + the HTTP status (20404, 20429, 20500…).
            TwilioError::new(status, 20_000 + u32::from(status.as_u16()), reason).into_response()
        }
        Some(Provider::Telnyx) => {
            let (code, title) = match status {
                StatusCode::TOO_MANY_REQUESTS => ("10011", "Too many requests"),
                StatusCode::NOT_FOUND => ("10005", "Resource not found"),
                StatusCode::REQUEST_TIMEOUT | StatusCode::GATEWAY_TIMEOUT => {
                    ("10008", "Request timeout")
                }
                _ => ("10007", "Unexpected error"),
            };
            TelnyxError::new(status, code, title, reason).into_response()
        }
        Some(Provider::Elks) => ElksError::new(status, reason).into_response(),
        None => (status, axum::Json(serde_json::json!({ "error": reason }))).into_response(),
    }
}

/// User and password of an `Authorization: Basic …` header.
pub fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(BASE64.decode(encoded.trim()).ok()?).ok()?;
    let (user, password) = decoded.split_once(':')?;
    Some((user.to_string(), password.to_string()))
}

/// The token of an `Authorization: Bearer …` header.
pub fn bearer_token(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

/// The `scheme://host` under which the client reached us, so absolute URLs in responses point
/// back at the sandbox as the client sees it (and not at a hard-coded address).
pub fn origin(headers: &HeaderMap, fallback: &str) -> String {
    headers
        .get(header::HOST)
        .and_then(|host| host.to_str().ok())
        .filter(|host| !host.is_empty())
        .map(|host| format!("http://{host}"))
        .unwrap_or_else(|| fallback.to_string())
}
