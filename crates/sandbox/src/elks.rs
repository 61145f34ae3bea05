//! 46elks: Basic auth with the API username and password; plain-text error bodies.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::state::{AccountStatus, ElksAccount};
use crate::{AppState, auth};

pub fn routes() -> Router<AppState> {
    Router::new().route("/a1/me", get(me))
}

fn authorize(state: &AppState, headers: &HeaderMap) -> Result<ElksAccount, Response> {
    let denied = || {
        (
            StatusCode::UNAUTHORIZED,
            "Unauthorized: wrong API username or password",
        )
            .into_response()
    };
    let (user, password) = auth::basic(headers).ok_or_else(denied)?;
    let world = state.world();
    let account = world
        .elks
        .get(&user)
        .filter(|a| a.password == password)
        .cloned()
        .ok_or_else(denied)?;
    if account.status == AccountStatus::Suspended {
        return Err((StatusCode::FORBIDDEN, "Forbidden: the account is disabled").into_response());
    }
    Ok(account)
}

async fn me(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let account = match authorize(&state, &headers) {
        Ok(account) => account,
        Err(response) => return response,
    };
    Json(json!({
        "mobilenumber": account.numbers.first().map(|n| n.phone_number.clone()),
        "displayname": "Sandbox hotel",
        "id": account.username,
        "currency": "SEK",
        "balance": 9_670_500,
        "email": "frontdesk@sandbox.example",
    }))
    .into_response()
}
