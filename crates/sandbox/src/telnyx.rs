//! Telnyx API v2: Bearer API key, `{"data": …}` envelopes, `{"errors": […]}` on failure.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::state::{AccountStatus, TelnyxAccount};
use crate::{AppState, auth};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v2/balance", get(balance))
        .route("/v2/phone_numbers", get(phone_numbers))
}

fn error(status: StatusCode, code: &str, title: &str, detail: &str) -> Response {
    let body = json!({ "errors": [{
        "code": code,
        "title": title,
        "detail": detail,
        "meta": { "url": format!("https://developers.telnyx.com/docs/overview/errors/{code}") },
    }]});
    (status, Json(body)).into_response()
}

fn authorize(state: &AppState, headers: &HeaderMap) -> Result<TelnyxAccount, Response> {
    let key = auth::bearer(headers).ok_or_else(|| {
        error(
            StatusCode::UNAUTHORIZED,
            "10009",
            "Authentication failed",
            "No API key was given in the Authorization header.",
        )
    })?;
    let world = state.world();
    let account = world.telnyx.get(&key).cloned().ok_or_else(|| {
        error(
            StatusCode::UNAUTHORIZED,
            "10009",
            "Authentication failed",
            "The API key is not valid.",
        )
    })?;
    if account.status == AccountStatus::Suspended {
        return Err(error(
            StatusCode::FORBIDDEN,
            "10010",
            "Authorization failed",
            "The account is disabled.",
        ));
    }
    Ok(account)
}

async fn balance(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Err(response) = authorize(&state, &headers) {
        return response;
    }
    Json(json!({ "data": {
        "balance": "300.00",
        "available_credit": "400.00",
        "credit_limit": "100.00",
        "currency": "USD",
        "pending": "0.00",
        "record_type": "balance",
    }}))
    .into_response()
}

/// `GET /v2/phone_numbers` with `page[number]` (from 1) and `page[size]` (default 20, max 250).
async fn phone_numbers(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let account = match authorize(&state, &headers) {
        Ok(account) => account,
        Err(response) => return response,
    };
    let number = query
        .get("page[number]")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1);
    let size = query
        .get("page[size]")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(20)
        .clamp(1, 250);
    let total = account.numbers.len();
    let data: Vec<_> = account
        .numbers
        .iter()
        .skip((number - 1) * size)
        .take(size)
        .map(|n| {
            json!({
                "id": n.sid,
                "record_type": "phone_number",
                "phone_number": n.phone_number,
                "status": "active",
                "phone_number_type": "local",
                "messaging_profile_id": null,
                "messaging_profile_name": null,
                "connection_id": null,
                "tags": [],
                "purchased_at": n.date_created.to_rfc3339(),
            })
        })
        .collect();
    Json(json!({
        "data": data,
        "meta": { "page_number": number, "page_size": size, "total_pages": total.div_ceil(size).max(1), "total_results": total },
    }))
    .into_response()
}
