//! The request log (`GET /_sandbox/requests`) and the latency every answer waits for.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::Response;
use serde::Serialize;

use crate::AppState;

const MAX_BODY: usize = 4 * 1024 * 1024;

#[derive(Debug, Clone, Serialize)]
pub struct RequestRecord {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    /// Every header but Authorization.
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub status: u16,
}

pub async fn record(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, MAX_BODY).await.unwrap_or_default();
    let mut record = RequestRecord {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts
            .headers
            .iter()
            .filter(|(name, _)| *name != AUTHORIZATION)
            .map(|(name, value)| (name.to_string(), value.to_str().unwrap_or("").to_owned()))
            .collect(),
        body: String::from_utf8_lossy(&bytes).into_owned(),
        status: 0,
    };
    let latency = *state
        .latency
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    if !record.path.starts_with("/_sandbox") {
        record.status = response.status().as_u16();
        state
            .requests
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(record);
    }
    response
}
