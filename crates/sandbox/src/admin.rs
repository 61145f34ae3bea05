//! `/_sandbox`: create accounts, read the request log, set latency, reset.

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::state::{
    self, AccountStatus, AccountType, ElksAccount, Number, TelnyxAccount, TwilioAccount,
};
use crate::{AppState, Credentials, ElksCredentials, TelnyxCredentials, TwilioCredentials, insert};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/accounts", post(create_account))
        .route("/requests", get(requests))
        .route("/latency", post(latency))
        .route("/reset", post(reset))
}

pub fn new_twilio(
    account_type: AccountType,
    status: AccountStatus,
    numbers: Vec<Number>,
) -> TwilioAccount {
    TwilioAccount {
        sid: state::twilio_sid("AC"),
        auth_token: state::hex(32),
        friendly_name: "Sandbox hotel".into(),
        account_type,
        status,
        numbers,
    }
}

pub fn new_telnyx(status: AccountStatus, numbers: Vec<Number>) -> TelnyxAccount {
    TelnyxAccount {
        api_key: format!("KEY{}_{}", state::hex(32).to_uppercase(), state::hex(22)),
        status,
        numbers,
    }
}

pub fn new_elks(status: AccountStatus, numbers: Vec<Number>) -> ElksAccount {
    ElksAccount {
        username: format!("u{}", state::hex(32)),
        password: state::hex(32).to_uppercase(),
        status,
        numbers,
    }
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum NumbersSpec {
    Count(usize),
    List(Vec<String>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewAccount {
    provider: String,
    numbers: Option<NumbersSpec>,
    whatsapp_senders: Option<NumbersSpec>,
    account_type: Option<AccountType>,
    account_status: Option<AccountStatus>,
}

fn bad_request(message: String) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": message }))).into_response()
}

async fn create_account(State(state): State<AppState>, body: axum::body::Bytes) -> Response {
    let request: NewAccount = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(error) => return bad_request(format!("invalid account request: {error}")),
    };
    let status = request.account_status.unwrap_or(AccountStatus::Active);
    let prefix = match request.provider.as_str() {
        "twilio" => "PN",
        "46elks" => "n",
        _ => "",
    };
    let numbers = match request.numbers {
        None => state::numbers(prefix, 0, 3),
        Some(NumbersSpec::Count(count)) => state::numbers(prefix, 0, count),
        Some(NumbersSpec::List(list)) => list.iter().map(|n| Number::new(prefix, n)).collect(),
    };
    if request.whatsapp_senders.is_some() && request.provider != "twilio" {
        return bad_request("whatsapp_senders exist only for provider twilio".into());
    }
    let mut credentials = Credentials::default();
    let mut world = state.world();
    match request.provider.as_str() {
        "twilio" => {
            let account = new_twilio(
                request.account_type.unwrap_or(AccountType::Full),
                status,
                numbers,
            );
            credentials.twilio = Some(TwilioCredentials {
                account_sid: account.sid.clone(),
                auth_token: account.auth_token.clone(),
            });
            insert(&mut world, Some(account), None, None);
        }
        "telnyx" => {
            let account = new_telnyx(status, numbers);
            credentials.telnyx = Some(TelnyxCredentials {
                api_key: account.api_key.clone(),
            });
            insert(&mut world, None, Some(account), None);
        }
        "46elks" => {
            let account = new_elks(status, numbers);
            credentials.elks = Some(ElksCredentials {
                username: account.username.clone(),
                password: account.password.clone(),
            });
            insert(&mut world, None, None, Some(account));
        }
        other => {
            return bad_request(format!(
                "provider must be twilio, telnyx or 46elks, not '{other}'"
            ));
        }
    }
    (StatusCode::CREATED, Json(credentials)).into_response()
}

async fn requests(State(state): State<AppState>) -> Response {
    let log = state
        .requests
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    Json(log).into_response()
}

#[derive(Debug, Deserialize)]
struct Latency {
    ms: u64,
}

async fn latency(State(state): State<AppState>, Json(latency): Json<Latency>) -> Response {
    *state
        .latency
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = Duration::from_millis(latency.ms);
    StatusCode::NO_CONTENT.into_response()
}

async fn reset(State(state): State<AppState>) -> Response {
    *state.world() = state.seed.clone();
    state
        .requests
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clear();
    StatusCode::NO_CONTENT.into_response()
}
