//! The admin API under `/_sandbox` (JSON in, JSON out), used by tests and the demo mode. Every
//! call but `sink` needs `Authorization: Bearer <admin_token>` and the sandbox's own loopback
//! `Host` (see [`admin_guard`](crate::admin_guard)).
//!
//! | route | what |
//! |---|---|
//! | `POST accounts` | `{"provider", "numbers", "whatsapp_senders", "account_type", "account_status"}` → credentials and `numbers` (E.164) |
//! | `POST faults` / `GET faults` / `DELETE faults` | inject errors, held or reset connections, bad JSON |
//! | `POST latency` | `{"ms": N}`: delay every provider answer |
//! | `POST concurrency` | `{"limit": N or null, "retry_after": S}`: in-flight requests beyond N get 429 (with `Retry-After: S` only when given: Twilio documents none for 20429) |
//! | `GET requests` / `DELETE requests` | every provider request received (no `Authorization`) |
//! | `GET deliveries` | every webhook and status callback the sandbox posted, with outcome |
//! | `POST inbound` | `{"to", "from", "body"}`: post a signed inbound webhook, return the answer; to `whatsapp:+14155238886` (the WhatsApp Sandbox) "join <code>" joins that account's sandbox, and the answer is Twilio's reply |
//! | `GET verification-codes` | `{"whatsapp:+E164": "123456", …}`: the code each WhatsApp sender waiting for verification accepts |
//! | `GET whatsapp-sandbox` | every Twilio account's WhatsApp Sandbox: `number`, `join_code` ("join brave-otter"), `participants` |
//! | `POST history` | `{"provider", "account", "count", "from", "failed_rate", "days"}`: past traffic |
//! | `POST reset` | back to the seeded state (same credentials) |
//! | `GET seed` | the start line |
//! | `POST sink/…` | a stand-in inbound service: answers 200 with empty TwiML (no token needed) |

use std::collections::HashSet;
use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::delivery::{self, Outgoing, WebhookReply};
use crate::faults::FaultSpec;
use crate::ids;
use crate::provider::Provider;
use crate::seed;
use crate::state::{Sandbox, World};
use crate::twilio::accounts::{AccountStatus, AccountType};
use crate::twilio::{messages, senders, whatsapp_sandbox};
use crate::{AccountCredentials, admin_guard, elks, telnyx};

/// Upper bound on the numbers (and, apart, the WhatsApp senders) one call may create: enough
/// for the benchmarks' 10,000-number lists, small enough that a typo cannot exhaust memory.
pub const MAX_NUMBERS: usize = 10_000;

/// An admin error: `{"error": "..."}` with a status.
#[derive(Debug)]
pub struct AdminError {
    status: StatusCode,
    message: String,
}

impl AdminError {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }
}

impl IntoResponse for AdminError {
    fn into_response(self) -> Response {
        (self.status, Json(json!({ "error": self.message }))).into_response()
    }
}

type AdminResult<T> = Result<T, AdminError>;

fn parse<T: DeserializeOwned>(body: &[u8]) -> AdminResult<T> {
    serde_json::from_slice(body)
        .map_err(|e| AdminError::bad_request(format!("invalid JSON body: {e}")))
}

/// `N` (that many generated numbers) or an explicit list of E.164 numbers.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum NumbersSpec {
    Count(usize),
    List(Vec<String>),
}

impl NumbersSpec {
    fn check_size(&self) -> AdminResult<()> {
        let size = match self {
            NumbersSpec::Count(count) => *count,
            NumbersSpec::List(list) => list.len(),
        };
        if size > MAX_NUMBERS {
            return Err(AdminError::bad_request(format!(
                "at most {MAX_NUMBERS} numbers (and {MAX_NUMBERS} senders) per call"
            )));
        }
        Ok(())
    }
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

fn numbers_in_use(world: &World) -> HashSet<String> {
    let twilio = world
        .twilio
        .values()
        .flat_map(|a| a.numbers.iter().map(|n| n.phone_number.clone()));
    let telnyx = world
        .telnyx
        .values()
        .flat_map(|a| a.numbers.iter().map(|n| n.phone_number.clone()));
    let elks = world
        .elks
        .values()
        .flat_map(|a| a.numbers.iter().map(|n| n.number.clone()));
    twilio.chain(telnyx).chain(elks).collect()
}

/// Turns a spec into concrete numbers not yet used anywhere in the world.
fn resolve_numbers(
    world: &mut World,
    in_use: &mut HashSet<String>,
    spec: NumbersSpec,
    swedish: bool,
) -> AdminResult<Vec<String>> {
    spec.check_size()?;
    match spec {
        NumbersSpec::Count(count) => {
            let mut numbers = Vec::with_capacity(count);
            while numbers.len() < count {
                let number = if swedish {
                    world.next_swedish_number()
                } else {
                    world.next_us_number()
                };
                if in_use.insert(number.clone()) {
                    numbers.push(number);
                }
            }
            Ok(numbers)
        }
        NumbersSpec::List(list) => {
            for number in &list {
                if !ids::is_e164(number) {
                    return Err(AdminError::bad_request(format!(
                        "{number:?} is not an E.164 number (+ and 8 to 15 digits)"
                    )));
                }
                if !in_use.insert(number.clone()) {
                    return Err(AdminError::new(
                        StatusCode::CONFLICT,
                        format!("{number} already belongs to an account in the sandbox"),
                    ));
                }
            }
            Ok(list)
        }
    }
}

async fn create_account(
    State(sandbox): State<Arc<Sandbox>>,
    body: Bytes,
) -> AdminResult<(StatusCode, Json<AccountCredentials>)> {
    let request: NewAccount = parse(&body)?;
    let provider = Provider::parse(&request.provider).ok_or_else(|| {
        AdminError::bad_request(format!(
            "unknown provider {:?}: use \"twilio\", \"telnyx\" or \"46elks\"",
            request.provider
        ))
    })?;
    let status = request.account_status.unwrap_or(AccountStatus::Active);
    let active = status == AccountStatus::Active;
    if provider != Provider::Twilio
        && request
            .whatsapp_senders
            .as_ref()
            .is_some_and(|s| !matches!(s, NumbersSpec::Count(0)))
    {
        return Err(AdminError::bad_request(
            "whatsapp_senders exist only for provider \"twilio\"",
        ));
    }
    if let Some(senders) = &request.whatsapp_senders {
        senders.check_size()?;
    }
    let mut rng = rand::rng();
    let mut world = sandbox.world();
    let mut in_use = numbers_in_use(&world);
    let numbers = resolve_numbers(
        &mut world,
        &mut in_use,
        request.numbers.unwrap_or(NumbersSpec::Count(1)),
        provider == Provider::Elks,
    )?;
    let mut credentials = AccountCredentials {
        url: sandbox.base_url.clone(),
        twilio: None,
        telnyx: None,
        elks: None,
        numbers: numbers.clone(),
    };
    match provider {
        Provider::Twilio => {
            let sender_numbers = match request.whatsapp_senders.unwrap_or(NumbersSpec::Count(0)) {
                NumbersSpec::List(list) => {
                    if let Some(bad) = list.iter().find(|n| !ids::is_e164(n)) {
                        return Err(AdminError::bad_request(format!(
                            "{bad:?} is not an E.164 number"
                        )));
                    }
                    list
                }
                // WhatsApp senders usually sit on the account's own numbers; extra ones are new.
                NumbersSpec::Count(count) => {
                    let reused: Vec<String> = numbers.iter().take(count).cloned().collect();
                    let extra = count - reused.len();
                    let mut all = reused;
                    all.extend(resolve_numbers(
                        &mut world,
                        &mut in_use,
                        NumbersSpec::Count(extra),
                        false,
                    )?);
                    all
                }
            };
            let twilio_credentials = seed::twilio_credentials(&mut rng);
            let mut account = seed::twilio_account(
                &mut rng,
                &twilio_credentials,
                "Sandbox account",
                status,
                request.account_type.unwrap_or(AccountType::Full),
            );
            account.numbers = numbers
                .iter()
                .map(|n| seed::twilio_number(&mut rng, n))
                .collect();
            let made: Vec<_> = account.numbers.iter().collect();
            crate::twilio::numbers::keep_json(
                &mut sandbox.number_json(),
                &twilio_credentials.account_sid,
                &made,
            )
            .map_err(|error| {
                AdminError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("the numbers could not be written: {error}"),
                )
            })?;
            account.senders = sender_numbers
                .iter()
                .map(|n| seed::whatsapp_sender(&mut rng, n, "ONLINE"))
                .collect();
            // A join code names one sandbox: another account's is not reused.
            let mut attempt = 0;
            while world
                .twilio
                .values()
                .any(|other| other.whatsapp_sandbox.keyword == account.whatsapp_sandbox.keyword)
            {
                attempt += 1;
                account.whatsapp_sandbox.keyword = whatsapp_sandbox::keyword(&account.sid, attempt);
            }
            let mut twilio_credentials = twilio_credentials;
            twilio_credentials.whatsapp_sandbox = Some(account.whatsapp_sandbox_info());
            world.twilio.insert(account.sid.clone(), account);
            credentials.twilio = Some(twilio_credentials);
        }
        Provider::Telnyx => {
            let public_key = sandbox.seed.telnyx.public_key.clone();
            let telnyx_credentials = seed::telnyx_credentials(&mut rng, &public_key);
            let mut account = seed::telnyx_account(&telnyx_credentials.api_key, active);
            let profile = telnyx::MessagingProfile::new(ids::uuid_v4(&mut rng), "Default profile");
            account.numbers = numbers
                .iter()
                .map(|n| seed::telnyx_number(&mut rng, n, Some(&profile.id)))
                .collect();
            account.profiles.push(profile);
            world.telnyx.insert(account.api_key.clone(), account);
            credentials.telnyx = Some(telnyx_credentials);
        }
        Provider::Elks => {
            let elks_credentials = seed::elks_credentials(&mut rng);
            let mut account = elks::ElksAccount::new(
                elks_credentials.username.clone(),
                elks_credentials.password.clone(),
                active,
            );
            account.numbers = numbers
                .iter()
                .map(|n| seed::elks_number(&mut rng, n))
                .collect();
            world.elks.insert(account.username.clone(), account);
            credentials.elks = Some(elks_credentials);
        }
    }
    Ok((StatusCode::CREATED, Json(credentials)))
}

async fn add_fault(
    State(sandbox): State<Arc<Sandbox>>,
    body: Bytes,
) -> AdminResult<(StatusCode, Json<Value>)> {
    let spec: FaultSpec = parse(&body)?;
    let rule = sandbox
        .faults()
        .add(spec)
        .map_err(|e| AdminError::bad_request(e.to_string()))?;
    Ok((StatusCode::CREATED, Json(json!(rule))))
}

async fn list_faults(State(sandbox): State<Arc<Sandbox>>) -> Json<Value> {
    Json(json!(sandbox.faults().rules()))
}

async fn clear_faults(State(sandbox): State<Arc<Sandbox>>) -> StatusCode {
    sandbox.faults().clear();
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LatencyRequest {
    ms: u64,
}

async fn set_latency(State(sandbox): State<Arc<Sandbox>>, body: Bytes) -> AdminResult<Json<Value>> {
    let request: LatencyRequest = parse(&body)?;
    sandbox.set_latency_ms(request.ms);
    Ok(Json(json!({ "ms": request.ms })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConcurrencyRequest {
    limit: Option<usize>,
    #[serde(default)]
    retry_after: Option<u64>,
}

async fn set_concurrency(
    State(sandbox): State<Arc<Sandbox>>,
    body: Bytes,
) -> AdminResult<Json<Value>> {
    let request: ConcurrencyRequest = parse(&body)?;
    sandbox.set_concurrency_limit(request.limit);
    sandbox.set_concurrency_retry_after(request.retry_after);
    Ok(Json(
        json!({ "limit": request.limit, "retry_after": request.retry_after }),
    ))
}

async fn list_requests(State(sandbox): State<Arc<Sandbox>>) -> Json<Value> {
    Json(json!(sandbox.requests().all()))
}

async fn clear_requests(State(sandbox): State<Arc<Sandbox>>) -> StatusCode {
    sandbox.requests().clear();
    StatusCode::NO_CONTENT
}

async fn list_deliveries(State(sandbox): State<Arc<Sandbox>>) -> Json<Value> {
    Json(json!(*sandbox.deliveries()))
}

/// `GET verification-codes`: what WhatsApp would have sent each sender waiting for its code.
async fn verification_codes(State(sandbox): State<Arc<Sandbox>>) -> Json<Value> {
    let world = sandbox.world();
    let codes = senders::pending_codes(world.twilio.values().flat_map(|a| a.senders.iter()));
    Json(Value::Object(codes))
}

async fn reset(State(sandbox): State<Arc<Sandbox>>) -> Json<Value> {
    sandbox.reset();
    Json(json!(sandbox.seed))
}

async fn seed_credentials(State(sandbox): State<Arc<Sandbox>>) -> Json<Value> {
    Json(json!(sandbox.seed))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InboundRequest {
    /// The receiving number (`+E.164`, or `whatsapp:+E.164` for a WhatsApp sender).
    to: String,
    from: String,
    body: String,
    /// Restricts the lookup of `to` to one provider.
    provider: Option<String>,
}

/// What to post, decided under the lock and sent after it is released.
enum InboundWebhook {
    Twilio {
        url: String,
        method: String,
        auth_token: String,
        params: Vec<(String, String)>,
        message_id: String,
    },
    Telnyx {
        url: String,
        body: Value,
        message_id: String,
    },
    Elks {
        url: String,
        params: Vec<(String, String)>,
        message_id: String,
    },
}

fn no_webhook(message: String) -> AdminError {
    AdminError::new(StatusCode::UNPROCESSABLE_ENTITY, message)
}

/// Finds who owns `to` and what the provider would post; records the inbound message.
fn plan_inbound(
    world: &mut World,
    request: &InboundRequest,
    only: Option<Provider>,
) -> AdminResult<InboundWebhook> {
    let wants = |provider| only.is_none_or(|p| p == provider);
    if let Some(number) = request.to.strip_prefix("whatsapp:") {
        let sender_id = format!("whatsapp:{number}");
        let from = if request.from.starts_with("whatsapp:") {
            request.from.clone()
        } else {
            format!("whatsapp:{}", request.from)
        };
        for account in world.twilio.values_mut() {
            let Some(sender) = account.senders.iter().find(|s| s.sender_id == sender_id) else {
                continue;
            };
            let url = sender.callback_url().ok_or_else(|| {
                no_webhook(format!(
                    "WhatsApp sender {sender_id} ({}) has no webhook.callback_url set",
                    sender.sid
                ))
            })?;
            let method = sender.callback_method();
            let message = messages::record_inbound(account, &from, &sender_id, &request.body, None);
            return Ok(InboundWebhook::Twilio {
                params: messages::inbound_params(&account.sid, &message),
                url,
                method,
                auth_token: account.auth_token.clone(),
                message_id: message.sid,
            });
        }
        return Err(AdminError::new(
            StatusCode::NOT_FOUND,
            format!("no WhatsApp sender {sender_id} in the sandbox"),
        ));
    }

    if wants(Provider::Twilio) {
        for account in world.twilio.values_mut() {
            let Some(number) = account
                .numbers
                .iter()
                .find(|n| n.phone_number == request.to)
            else {
                continue;
            };
            let service = account.services.iter().find(|s| {
                s.phone_number_sids
                    .iter()
                    .any(|(sid, _)| *sid == number.sid)
            });
            let (url, method, service_sid) = match service {
                Some(service) if !service.use_inbound_webhook_on_number => {
                    let url = service.inbound_request_url.clone().ok_or_else(|| {
                        no_webhook(format!(
                            "{} is in Messaging Service {} whose inbound_request_url is not set \
                             (and use_inbound_webhook_on_number is false), so inbound messages \
                             are dropped",
                            request.to, service.sid
                        ))
                    })?;
                    (
                        url,
                        service.inbound_method.clone(),
                        Some(service.sid.clone()),
                    )
                }
                _ if !number.sms_application_sid.is_empty() => {
                    return Err(no_webhook(format!(
                        "{} sends inbound SMS to application {} (sms_application_sid), which the \
                         sandbox does not emulate; its sms_url is ignored",
                        request.to, number.sms_application_sid
                    )));
                }
                _ if number.sms_url.is_empty() => {
                    return Err(no_webhook(format!(
                        "{} ({}) has no sms_url set",
                        request.to, number.sid
                    )));
                }
                _ => (
                    number.sms_url.clone(),
                    number.sms_method.clone(),
                    service.map(|s| s.sid.clone()),
                ),
            };
            let message = messages::record_inbound(
                account,
                &request.from,
                &request.to,
                &request.body,
                service_sid,
            );
            return Ok(InboundWebhook::Twilio {
                params: messages::inbound_params(&account.sid, &message),
                url,
                method,
                auth_token: account.auth_token.clone(),
                message_id: message.sid,
            });
        }
    }

    if wants(Provider::Telnyx) {
        for account in world.telnyx.values_mut() {
            let Some(index) = account
                .numbers
                .iter()
                .position(|n| n.phone_number == request.to)
            else {
                continue;
            };
            if account.numbers[index].messaging_profile_id.is_none() {
                return Err(no_webhook(format!(
                    "{} is not assigned to a messaging profile",
                    request.to
                )));
            }
            let (url, payload) =
                telnyx::record_inbound(account, index, &request.from, &request.body);
            let url = url.ok_or_else(|| {
                no_webhook(format!(
                    "the messaging profile of {} has no webhook_url set",
                    request.to
                ))
            })?;
            let message_id = payload["id"].as_str().unwrap_or_default().to_string();
            return Ok(InboundWebhook::Telnyx {
                body: telnyx::event("message.received", payload, &url),
                url,
                message_id,
            });
        }
    }

    if wants(Provider::Elks) {
        for account in world.elks.values_mut() {
            let Some(index) = account.numbers.iter().position(|n| n.number == request.to) else {
                continue;
            };
            let (url, params) = elks::record_inbound(account, index, &request.from, &request.body);
            let url = url.ok_or_else(|| {
                no_webhook(format!("{} has no sms_url (webhook URL) set", request.to))
            })?;
            let message_id = params
                .iter()
                .find(|(k, _)| k == "id")
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            return Ok(InboundWebhook::Elks {
                url,
                params,
                message_id,
            });
        }
    }

    Err(AdminError::new(
        StatusCode::NOT_FOUND,
        format!("no account in the sandbox owns {}", request.to),
    ))
}

/// `POST /_sandbox/inbound`: the provider-signed webhook for an incoming message, posted to the
/// URL configured for the receiving number; answers with what that URL answered.
async fn inbound(State(sandbox): State<Arc<Sandbox>>, body: Bytes) -> AdminResult<Json<Value>> {
    let request: InboundRequest = parse(&body)?;
    let only = match request.provider.as_deref() {
        Some(name) => Some(
            Provider::parse(name)
                .ok_or_else(|| AdminError::bad_request(format!("unknown provider {name:?}")))?,
        ),
        None => None,
    };
    let to_sandbox = request.to.trim_start_matches("whatsapp:")
        == whatsapp_sandbox::SENDER.trim_start_matches("whatsapp:");
    if to_sandbox && only.is_none_or(|p| p == Provider::Twilio) {
        return Ok(Json(sandbox_inbound(&mut sandbox.world(), &request)));
    }
    let webhook = plan_inbound(&mut sandbox.world(), &request, only)?;
    let (provider, url, method, message_id, result) = match webhook {
        InboundWebhook::Twilio {
            url,
            method,
            auth_token,
            params,
            message_id,
        } => {
            let target = Outgoing {
                provider: Provider::Twilio,
                kind: "inbound",
                method: &method,
                url: &url,
            };
            let result = delivery::twilio(&sandbox, target, &auth_token, &params).await;
            (Provider::Twilio, url, method, message_id, result)
        }
        InboundWebhook::Telnyx {
            url,
            body,
            message_id,
        } => {
            let target = Outgoing {
                provider: Provider::Telnyx,
                kind: "inbound",
                method: "POST",
                url: &url,
            };
            let result = delivery::telnyx(&sandbox, target, &body).await;
            (Provider::Telnyx, url, "POST".into(), message_id, result)
        }
        InboundWebhook::Elks {
            url,
            params,
            message_id,
        } => {
            let target = Outgoing {
                provider: Provider::Elks,
                kind: "inbound",
                method: "POST",
                url: &url,
            };
            let result = delivery::form(&sandbox, target, &params).await;
            (Provider::Elks, url, "POST".into(), message_id, result)
        }
    };
    let reply: WebhookReply = result.map_err(|error| {
        AdminError::new(
            StatusCode::BAD_GATEWAY,
            format!("posting the webhook to {url} failed: {error}"),
        )
    })?;
    Ok(Json(json!({
        "provider": provider,
        "url": url,
        "method": method.to_uppercase(),
        "message_id": message_id,
        "status": reply.status,
        "content_type": reply.content_type,
        "body": reply.body,
    })))
}

/// A WhatsApp message to Twilio's WhatsApp Sandbox: "join <code>" joins the sandbox whose code
/// it is (and leaves any other: a number is in one sandbox at a time); anything else from a
/// number in no sandbox gets Twilio's "not connected" reply. A joined number's other messages
/// are recorded on its account; the sandbox's own inbound URL is set only in Twilio's Console,
/// so nothing is posted. Answers who joined what, and Twilio's reply on WhatsApp.
fn sandbox_inbound(world: &mut World, request: &InboundRequest) -> Value {
    let from = if request.from.starts_with("whatsapp:") {
        request.from.clone()
    } else {
        format!("whatsapp:{}", request.from)
    };
    let now = crate::clock::now();
    if let Some(keyword) = whatsapp_sandbox::join_keyword(&request.body)
        && let Some(account_sid) = world
            .twilio
            .values()
            .find(|account| account.whatsapp_sandbox.keyword == keyword)
            .map(|account| account.sid.clone())
    {
        for account in world.twilio.values_mut() {
            if account.sid == account_sid {
                account.whatsapp_sandbox.join(&from);
            } else {
                account.whatsapp_sandbox.participants.remove(&from);
            }
        }
        return json!({
            "provider": "twilio",
            "to": whatsapp_sandbox::SENDER,
            "from": from,
            "joined": true,
            "account_sid": account_sid,
            "reply": whatsapp_sandbox::JOINED_REPLY,
        });
    }
    let member = world
        .twilio
        .values_mut()
        .find(|account| account.whatsapp_sandbox.has_joined(&from, now));
    match member {
        Some(account) => {
            let message = messages::record_inbound(
                account,
                &from,
                whatsapp_sandbox::SENDER,
                &request.body,
                None,
            );
            json!({
                "provider": "twilio",
                "to": whatsapp_sandbox::SENDER,
                "from": from,
                "joined": true,
                "account_sid": account.sid,
                "message_id": message.sid,
                "reply": null,
            })
        }
        None => json!({
            "provider": "twilio",
            "to": whatsapp_sandbox::SENDER,
            "from": from,
            "joined": false,
            "account_sid": null,
            "reply": whatsapp_sandbox::not_connected_reply(&from),
        }),
    }
}

/// `GET whatsapp-sandbox`: every Twilio account's sandbox — its number, join code and who joined
/// (with when their 72 hours end).
async fn whatsapp_sandboxes(State(sandbox): State<Arc<Sandbox>>) -> Json<Value> {
    let world = sandbox.world();
    let all: Vec<Value> = world
        .twilio
        .values()
        .map(|account| {
            let participants: Vec<Value> = account
                .whatsapp_sandbox
                .participants
                .iter()
                .map(|(number, joined)| {
                    let ends = *joined + chrono::Duration::hours(whatsapp_sandbox::SESSION_HOURS);
                    json!({
                        "number": number,
                        "joined_at": crate::clock::iso8601(joined),
                        "expires_at": crate::clock::iso8601(&ends),
                    })
                })
                .collect();
            json!({
                "account_sid": account.sid,
                "number": whatsapp_sandbox::SENDER,
                "join_code": account.whatsapp_sandbox.join_code(),
                "participants": participants,
            })
        })
        .collect();
    Json(Value::Array(all))
}

/// `POST history`: adds past messages to an account (see [`crate::history`]).
async fn seed_history(
    State(sandbox): State<Arc<Sandbox>>,
    body: Bytes,
) -> AdminResult<(StatusCode, Json<Value>)> {
    let request: crate::history::HistoryRequest = parse(&body)?;
    let default_account = match Provider::parse(&request.provider) {
        Some(Provider::Twilio) => sandbox.seed.twilio.account_sid.clone(),
        Some(Provider::Telnyx) => sandbox.seed.telnyx.api_key.clone(),
        Some(Provider::Elks) => sandbox.seed.elks.username.clone(),
        None => String::new(),
    };
    let mut world = sandbox.world();
    crate::history::seed(&mut world, &request, &default_account)
        .map(|answer| (StatusCode::CREATED, Json(answer)))
        .map_err(|error| match error {
            crate::history::HistoryError::BadRequest(message) => AdminError::bad_request(message),
            crate::history::HistoryError::NoAccount(message) => {
                AdminError::new(StatusCode::NOT_FOUND, message)
            }
        })
}

pub(crate) fn router(sandbox: &Arc<Sandbox>) -> Router<Arc<Sandbox>> {
    Router::new()
        .route("/accounts", post(create_account))
        .route(
            "/faults",
            get(list_faults).post(add_fault).delete(clear_faults),
        )
        .route("/latency", post(set_latency))
        .route("/concurrency", post(set_concurrency))
        .route("/requests", get(list_requests).delete(clear_requests))
        .route("/deliveries", get(list_deliveries))
        .route("/inbound", post(inbound))
        .route("/verification-codes", get(verification_codes))
        .route("/whatsapp-sandbox", get(whatsapp_sandboxes))
        .route("/history", post(seed_history))
        .route("/reset", post(reset))
        .route("/seed", get(seed_credentials))
        // Layers added with route_layer wrap only the routes above them.
        .route_layer(middleware::from_fn_with_state(
            sandbox.clone(),
            admin_guard::require_admin,
        ))
        .route("/sink/{*rest}", post(sink))
        .route_layer(middleware::from_fn_with_state(
            sandbox.clone(),
            admin_guard::require_own_host,
        ))
}

/// A stand-in for the customer's inbound service (the demo organization's inbound base URL
/// points here): accepts any webhook and answers an empty TwiML response. What it received is
/// in `GET deliveries`.
async fn sink() -> impl IntoResponse {
    (
        [(axum::http::header::CONTENT_TYPE, "text/xml")],
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>",
    )
}
