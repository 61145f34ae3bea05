//! Twilio's 2010 API as the spec (twilio_api_v2010.json) describes it: Basic auth with the
//! Account SID and Auth Token, RFC 2822 dates, relative `uri` values, 20003 on bad credentials.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::state::{AccountStatus, AccountType, Number, TwilioAccount};
use crate::{AppState, auth};

const DEFAULT_PAGE_SIZE: usize = 50;
const MAX_PAGE_SIZE: usize = 1000;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/2010-04-01/Accounts/{account}", get(fetch_account))
        .route(
            "/2010-04-01/Accounts/{account}/IncomingPhoneNumbers.json",
            get(list_numbers),
        )
}

pub fn error(status: StatusCode, code: u32, message: &str) -> Response {
    let body = json!({
        "code": code,
        "message": message,
        "more_info": format!("https://www.twilio.com/docs/errors/{code}"),
        "status": status.as_u16(),
    });
    (status, Json(body)).into_response()
}

fn rfc2822(time: chrono::DateTime<chrono::Utc>) -> String {
    time.format("%a, %d %b %Y %H:%M:%S +0000").to_string()
}

/// The account the credentials open, if they match `sid` (the path's account).
fn authorize(state: &AppState, headers: &HeaderMap, sid: &str) -> Result<TwilioAccount, Response> {
    let denied = || error(StatusCode::UNAUTHORIZED, 20003, "Authenticate");
    let (user, password) = auth::basic(headers).ok_or_else(denied)?;
    let world = state.world();
    let account = world
        .twilio
        .get(&user)
        .filter(|a| a.auth_token == password)
        .ok_or_else(denied)?;
    if account.sid != sid {
        return Err(error(
            StatusCode::FORBIDDEN,
            20403,
            "Forbidden: the credentials belong to another account",
        ));
    }
    Ok(account.clone())
}

async fn fetch_account(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Response {
    let Some(sid) = file.strip_suffix(".json") else {
        return error(
            StatusCode::NOT_FOUND,
            20404,
            "The requested resource was not found",
        );
    };
    let account = match authorize(&state, &headers, sid) {
        Ok(account) => account,
        Err(response) => return response,
    };
    let created = rfc2822(chrono::Utc::now() - chrono::Duration::days(400));
    let base = format!("/2010-04-01/Accounts/{sid}");
    let body = json!({
        "auth_token": account.auth_token,
        "date_created": created,
        "date_updated": created,
        "friendly_name": account.friendly_name,
        "owner_account_sid": account.sid,
        "sid": account.sid,
        "status": match account.status { AccountStatus::Active => "active", AccountStatus::Suspended => "suspended" },
        "subresource_uris": {
            "incoming_phone_numbers": format!("{base}/IncomingPhoneNumbers.json"),
            "messages": format!("{base}/Messages.json"),
        },
        "type": match account.account_type { AccountType::Trial => "Trial", AccountType::Full => "Full" },
        "uri": format!("{base}.json"),
    });
    Json(body).into_response()
}

fn number_json(account_sid: &str, number: &Number) -> Value {
    let date = rfc2822(number.date_created);
    json!({
        "account_sid": account_sid,
        "address_sid": null,
        "address_requirements": "none",
        "api_version": "2010-04-01",
        "beta": false,
        "capabilities": { "fax": false, "mms": true, "sms": true, "voice": true },
        "date_created": date,
        "date_updated": date,
        "friendly_name": number.friendly_name,
        "identity_sid": null,
        "phone_number": number.phone_number,
        "origin": "twilio",
        "sid": number.sid,
        "sms_application_sid": "",
        "sms_fallback_method": "POST",
        "sms_fallback_url": "",
        "sms_method": number.sms_method,
        "sms_url": number.sms_url,
        "status_callback": "",
        "status_callback_method": "POST",
        "trunk_sid": null,
        "uri": format!("/2010-04-01/Accounts/{account_sid}/IncomingPhoneNumbers/{}.json", number.sid),
        "voice_receive_mode": "voice",
        "voice_application_sid": null,
        "voice_caller_id_lookup": false,
        "voice_fallback_method": "POST",
        "voice_fallback_url": null,
        "voice_method": "POST",
        "voice_url": null,
        "emergency_status": "Inactive",
        "emergency_address_sid": null,
        "emergency_address_status": "unregistered",
        "bundle_sid": null,
        "status": "in-use",
        "subresource_uris": {
            "assigned_add_ons": format!("/2010-04-01/Accounts/{account_sid}/IncomingPhoneNumbers/{}/AssignedAddOns.json", number.sid)
        },
    })
}

async fn list_numbers(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(sid): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let account = match authorize(&state, &headers, &sid) {
        Ok(account) => account,
        Err(response) => return response,
    };
    if account.status == AccountStatus::Suspended {
        return error(StatusCode::UNAUTHORIZED, 20003, "Authenticate");
    }
    let page_size = match query.get("PageSize").map(|v| v.parse::<usize>()) {
        None => DEFAULT_PAGE_SIZE,
        Some(Ok(size)) if (1..=MAX_PAGE_SIZE).contains(&size) => size,
        Some(_) => {
            return error(
                StatusCode::BAD_REQUEST,
                20001,
                "PageSize must be between 1 and 1000",
            );
        }
    };
    let page = match query.get("Page").map(|v| v.parse::<usize>()) {
        None => 0,
        Some(Ok(page)) => page,
        Some(Err(_)) => return error(StatusCode::BAD_REQUEST, 20001, "Page must be a number"),
    };
    let start = page * page_size;
    let items: Vec<Value> = account
        .numbers
        .iter()
        .skip(start)
        .take(page_size)
        .map(|n| number_json(&sid, n))
        .collect();
    let base = format!("/2010-04-01/Accounts/{sid}/IncomingPhoneNumbers.json");
    let uri = |page: usize| format!("{base}?PageSize={page_size}&Page={page}");
    let has_next = start + page_size < account.numbers.len();
    let end = if items.is_empty() {
        start
    } else {
        start + items.len() - 1
    };
    Json(json!({
        "first_page_uri": uri(0),
        "next_page_uri": if has_next { Value::String(uri(page + 1)) } else { Value::Null },
        "previous_page_uri": if page > 0 { Value::String(uri(page - 1)) } else { Value::Null },
        "uri": uri(page),
        "page": page,
        "page_size": page_size,
        "start": start,
        "end": end,
        "incoming_phone_numbers": items,
    }))
    .into_response()
}
