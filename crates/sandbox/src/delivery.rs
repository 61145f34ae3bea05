//! Posting webhooks and status callbacks to the user's URLs, signed the way each provider signs
//! them. A failed post is recorded (see `GET /_sandbox/deliveries`) and never propagates.

use reqwest::header::{CONTENT_TYPE, USER_AGENT};
use serde::Serialize;
use serde_json::Value;

use crate::clock;
use crate::provider::Provider;
use crate::signature::{
    TELNYX_SIGNATURE_HEADER, TELNYX_TIMESTAMP_HEADER, TWILIO_SIGNATURE_HEADER, telnyx_signature,
    twilio_signature,
};
use crate::state::Sandbox;

/// Kept past this many deliveries: the oldest are forgotten.
const MAX_RECORDS: usize = 5_000;

#[derive(Debug, Clone, Serialize)]
pub struct DeliveryRecord {
    pub time: String,
    pub provider: Provider,
    /// `status_callback`, `inbound` or `delivery_report`.
    pub kind: String,
    pub method: String,
    pub url: String,
    pub status: Option<u16>,
    pub error: Option<String>,
}

/// What the receiving server answered.
#[derive(Debug, Clone, Serialize)]
pub struct WebhookReply {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: String,
}

/// A webhook about to be sent.
pub struct Outgoing<'a> {
    pub provider: Provider,
    pub kind: &'a str,
    pub method: &'a str,
    pub url: &'a str,
}

/// Twilio: form parameters, `X-Twilio-Signature` over the exact URL requested plus the sorted
/// parameters (for GET the parameters go in the query and only the URL is signed).
pub async fn twilio(
    sandbox: &Sandbox,
    target: Outgoing<'_>,
    auth_token: &str,
    params: &[(String, String)],
) -> Result<WebhookReply, String> {
    let request = if target.method.eq_ignore_ascii_case("GET") {
        let query = serde_urlencoded::to_string(params).unwrap_or_default();
        let separator = if target.url.contains('?') { '&' } else { '?' };
        let url = format!("{}{separator}{query}", target.url);
        let signature = twilio_signature(auth_token, &url, &[]);
        sandbox
            .http
            .get(&url)
            .header(TWILIO_SIGNATURE_HEADER, signature)
    } else {
        let signature = twilio_signature(auth_token, target.url, params);
        let method = reqwest::Method::from_bytes(target.method.to_uppercase().as_bytes())
            .unwrap_or(reqwest::Method::POST);
        sandbox
            .http
            .request(method, target.url)
            .header(TWILIO_SIGNATURE_HEADER, signature)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(serde_urlencoded::to_string(params).unwrap_or_default())
    };
    let request = request
        .header(USER_AGENT, "TwilioProxy/1.1")
        .header("I-Twilio-Idempotency-Token", uuid_like());
    send(sandbox, &target, request).await
}

/// Telnyx: a JSON body signed with Ed25519 over `"{timestamp}|{body}"`.
pub async fn telnyx(
    sandbox: &Sandbox,
    target: Outgoing<'_>,
    body: &Value,
) -> Result<WebhookReply, String> {
    let raw = serde_json::to_vec(body).unwrap_or_default();
    let timestamp = clock::now().timestamp();
    let signature = telnyx_signature(&sandbox.telnyx_key, timestamp, &raw);
    let request = sandbox
        .http
        .post(target.url)
        .header(CONTENT_TYPE, "application/json")
        .header(USER_AGENT, "telnyx-webhooks")
        .header(TELNYX_SIGNATURE_HEADER, signature)
        .header(TELNYX_TIMESTAMP_HEADER, timestamp.to_string())
        .body(raw);
    send(sandbox, &target, request).await
}

/// 46elks: plain form POST; 46elks does not sign its webhooks.
pub async fn form(
    sandbox: &Sandbox,
    target: Outgoing<'_>,
    params: &[(String, String)],
) -> Result<WebhookReply, String> {
    let request = sandbox
        .http
        .post(target.url)
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string(params).unwrap_or_default());
    send(sandbox, &target, request).await
}

async fn send(
    sandbox: &Sandbox,
    target: &Outgoing<'_>,
    request: reqwest::RequestBuilder,
) -> Result<WebhookReply, String> {
    let result = async {
        let response = request.send().await.map_err(|e| describe(&e))?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = response.text().await.map_err(|e| describe(&e))?;
        Ok(WebhookReply {
            status,
            content_type,
            body,
        })
    }
    .await;
    let record = DeliveryRecord {
        time: clock::iso8601_millis(&clock::now()),
        provider: target.provider,
        kind: target.kind.to_string(),
        method: target.method.to_uppercase(),
        url: target.url.to_string(),
        status: result.as_ref().ok().map(|reply| reply.status),
        error: result.as_ref().err().cloned(),
    };
    let mut deliveries = sandbox.deliveries();
    if deliveries.len() >= MAX_RECORDS {
        deliveries.remove(0);
    }
    deliveries.push(record);
    result
}

/// The error with its causes, e.g. "error sending request: … Connection refused".
fn describe(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn uuid_like() -> String {
    crate::ids::uuid_v4(&mut rand::rng())
}
