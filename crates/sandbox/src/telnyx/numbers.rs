//! Phone numbers (`/v2/phone_numbers`) and their messaging settings (`…/{id}/messaging`).

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{
    TelnyxAccount, TelnyxAuth, TelnyxError, TelnyxResult, paginate, parse_json_object, with_account,
};
use crate::clock::{self, Timestamp};
use crate::params::Params;
use crate::state::Sandbox;

#[derive(Debug, Clone)]
pub struct TelnyxNumber {
    pub id: String,
    pub phone_number: String,
    pub messaging_profile_id: Option<String>,
    pub purchased_at: Timestamp,
    pub updated_at: Timestamp,
}

impl TelnyxNumber {
    pub fn new(id: String, phone_number: String, messaging_profile_id: Option<String>) -> Self {
        let now = clock::now();
        Self {
            id,
            phone_number,
            messaging_profile_id,
            purchased_at: now,
            updated_at: now,
        }
    }

    fn render(&self, account: &TelnyxAccount) -> Value {
        let profile = account.profile(self.messaging_profile_id.as_deref());
        json!({
            "id": self.id,
            "record_type": "phone_number",
            "phone_number": self.phone_number,
            "status": "active",
            "tags": [],
            "external_pin": null,
            "connection_id": null,
            "connection_name": null,
            "customer_reference": null,
            "messaging_profile_id": self.messaging_profile_id,
            "messaging_profile_name": profile.map(|p| p.name.clone()),
            "billing_group_id": null,
            "emergency_enabled": false,
            "emergency_address_id": null,
            "call_forwarding_enabled": true,
            "cnam_listing_enabled": false,
            "caller_id_name_enabled": false,
            "call_recording_enabled": false,
            "t38_fax_gateway_enabled": false,
            "phone_number_type": "local",
            "number_level_routing": "disabled",
            "source_type": "number_order",
            "inbound_call_screening": "disabled",
            "hd_voice_enabled": false,
            "deletion_lock_enabled": false,
            "purchased_at": clock::iso8601_millis(&self.purchased_at),
            "created_at": clock::iso8601_millis(&self.purchased_at),
            "updated_at": clock::iso8601_millis(&self.updated_at),
        })
    }

    fn render_messaging(&self) -> Value {
        json!({
            "record_type": "messaging_phone_number",
            "id": self.id,
            "phone_number": self.phone_number,
            "messaging_profile_id": self.messaging_profile_id,
            "messaging_product": "P2P",
            "country_code": if self.phone_number.starts_with("+1") { "US" } else { "" },
            "type": "long-code",
            "traffic_type": "P2P",
            "eligible_messaging_products": ["P2P", "A2P"],
            "health": null,
            "features": {
                "sms": {
                    "domestic_two_way": true,
                    "international_inbound": true,
                    "international_outbound": true,
                },
                "mms": null,
            },
            "created_at": clock::iso8601_millis(&self.purchased_at),
            "updated_at": clock::iso8601_millis(&self.updated_at),
        })
    }
}

pub(super) async fn list_numbers(
    State(sandbox): State<Arc<Sandbox>>,
    auth: TelnyxAuth,
    RawQuery(query): RawQuery,
) -> TelnyxResult<Json<Value>> {
    let params = Params::from_query(query.as_deref());
    let phone_filter = params.non_empty("filter[phone_number]").map(str::to_string);
    with_account(&sandbox, &auth, |account| {
        let matching: Vec<&TelnyxNumber> = account
            .numbers
            .iter()
            .filter(|n| {
                phone_filter
                    .as_deref()
                    .is_none_or(|f| n.phone_number.contains(f.trim_start_matches('+')))
            })
            .collect();
        let (page, meta) = paginate(&matching, query.as_deref());
        let data: Vec<Value> = page.iter().map(|n| n.render(account)).collect();
        Ok(Json(json!({ "data": data, "meta": meta })))
    })
}

pub(super) fn find_number<'a>(
    account: &'a mut TelnyxAccount,
    id: &str,
) -> TelnyxResult<&'a mut TelnyxNumber> {
    // Telnyx accepts the number itself (+E.164) wherever it takes a number id.
    account
        .numbers
        .iter_mut()
        .find(|n| n.id == id || n.phone_number == id)
        .ok_or_else(TelnyxError::not_found)
}

pub(super) async fn fetch_number(
    State(sandbox): State<Arc<Sandbox>>,
    auth: TelnyxAuth,
    Path(id): Path<String>,
) -> TelnyxResult<Json<Value>> {
    with_account(&sandbox, &auth, |account| {
        let number = find_number(account, &id)?.clone();
        Ok(Json(json!({ "data": number.render(account) })))
    })
}

pub(super) async fn fetch_number_messaging(
    State(sandbox): State<Arc<Sandbox>>,
    auth: TelnyxAuth,
    Path(id): Path<String>,
) -> TelnyxResult<Json<Value>> {
    with_account(&sandbox, &auth, |account| {
        let number = find_number(account, &id)?;
        Ok(Json(json!({ "data": number.render_messaging() })))
    })
}

/// `PATCH /v2/phone_numbers/{id}/messaging` with `messaging_profile_id` ("" or null unassigns).
pub(super) async fn update_number_messaging(
    State(sandbox): State<Arc<Sandbox>>,
    auth: TelnyxAuth,
    Path(id): Path<String>,
    body: Bytes,
) -> TelnyxResult<Json<Value>> {
    let body = parse_json_object(&body)?;
    with_account(&sandbox, &auth, |account| {
        let profile_id = match body.get("messaging_profile_id") {
            None => None,
            Some(Value::Null) => Some(None),
            Some(Value::String(id)) if id.is_empty() => Some(None),
            Some(Value::String(id)) => {
                if account.profile(Some(id)).is_none() {
                    return Err(TelnyxError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "10017",
                        "Associated resource does not exist",
                        format!("Messaging profile {id} does not exist."),
                    )
                    .at("/messaging_profile_id"));
                }
                Some(Some(id.clone()))
            }
            Some(_) => {
                return Err(TelnyxError::bad_request(
                    "messaging_profile_id must be a string",
                ));
            }
        };
        let number = find_number(account, &id)?;
        if let Some(profile_id) = profile_id {
            number.messaging_profile_id = profile_id;
            number.updated_at = clock::now();
        }
        Ok(Json(json!({ "data": number.render_messaging() })))
    })
}
