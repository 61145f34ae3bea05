//! Telnyx and 46elks emulation: auth, reads, webhook settings, sends, signed webhooks, inbound.
// Helpers outside #[test] functions panic on purpose too: a panic is how a test reports.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use common::*;
use ed25519_dalek::{Signature, Verifier as _, VerifyingKey};
use reqwest::StatusCode;
use serde_json::{Value, json};
use switchboard_sandbox::RunningSandbox;

async fn telnyx(
    sandbox: &RunningSandbox,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = client()
        .request(method, format!("{}/telnyx{path}", sandbox.url()))
        .bearer_auth(&sandbox.seed().telnyx.api_key);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

/// Checks a Telnyx webhook's Ed25519 signature with the public key from the start line.
fn assert_telnyx_signed(sandbox: &RunningSandbox, received: &Received) {
    let key: [u8; 32] = BASE64
        .decode(&sandbox.seed().telnyx.public_key)
        .unwrap()
        .try_into()
        .unwrap();
    let key = VerifyingKey::from_bytes(&key).unwrap();
    let timestamp = received.header("telnyx-timestamp").unwrap();
    let signature = BASE64
        .decode(received.header("telnyx-signature-ed25519").unwrap())
        .unwrap();
    let signature = Signature::from_slice(&signature).unwrap();
    let mut message = format!("{timestamp}|").into_bytes();
    message.extend_from_slice(&received.body);
    key.verify(&message, &signature)
        .expect("valid Ed25519 signature");
}

#[tokio::test]
async fn telnyx_auth_and_balance() {
    let sandbox = sandbox().await;
    let (status, balance) = telnyx(&sandbox, reqwest::Method::GET, "/v2/balance", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(balance["data"]["record_type"], "balance");
    assert!(balance["data"]["balance"].is_string());
    for auth in [Some("Bearer KEYwrong"), None, Some("Basic abc")] {
        let mut request = client().get(format!("{}/telnyx/v2/balance", sandbox.url()));
        if let Some(auth) = auth {
            request = request.header("Authorization", auth);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["errors"][0]["code"], "10009");
        assert_eq!(body["errors"][0]["title"], "Authentication failed");
    }
    let (status, body) = telnyx(&sandbox, reqwest::Method::GET, "/v2/nothing", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["errors"][0]["code"], "10005");
}

#[tokio::test]
async fn telnyx_numbers_paginate() {
    let sandbox = sandbox().await;
    let (_, page) = telnyx(
        &sandbox,
        reqwest::Method::GET,
        "/v2/phone_numbers?page[number]=2&page[size]=2",
        None,
    )
    .await;
    assert_eq!(page["meta"]["page_number"], 2);
    assert_eq!(page["meta"]["total_pages"], 2);
    assert_eq!(page["meta"]["total_results"], 3);
    assert_eq!(page["data"].as_array().unwrap().len(), 1);
    assert_eq!(page["data"][0]["record_type"], "phone_number");
    assert!(page["data"][0]["messaging_profile_id"].is_null());
}

#[tokio::test]
async fn telnyx_profile_webhook_and_number_assignment() {
    let sandbox = sandbox().await;
    let mut receiver = Receiver::start("").await;
    let (_, profiles) = telnyx(
        &sandbox,
        reqwest::Method::GET,
        "/v2/messaging_profiles",
        None,
    )
    .await;
    let profile_id = profiles["data"][0]["id"].as_str().unwrap().to_string();
    let hook = format!("{}/telnyx", receiver.url);
    let (status, patched) = telnyx(
        &sandbox,
        reqwest::Method::PATCH,
        &format!("/v2/messaging_profiles/{profile_id}"),
        Some(json!({"webhook_url": hook})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(patched["data"]["webhook_url"], hook.as_str());
    let (status, error) = telnyx(
        &sandbox,
        reqwest::Method::PATCH,
        &format!("/v2/messaging_profiles/{profile_id}"),
        Some(json!({"webhook_url": "ftp://nope"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["errors"][0]["code"], "10003");

    // Assign the unassigned number, then read the assignment back.
    let (_, numbers) = telnyx(&sandbox, reqwest::Method::GET, "/v2/phone_numbers", None).await;
    let number = &numbers["data"][2];
    let id = number["id"].as_str().unwrap();
    let path = format!("/v2/phone_numbers/{id}/messaging");
    let (status, assigned) = telnyx(
        &sandbox,
        reqwest::Method::PATCH,
        &path,
        Some(json!({"messaging_profile_id": profile_id})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        assigned["data"]["messaging_profile_id"],
        profile_id.as_str()
    );
    let (_, read_back) = telnyx(&sandbox, reqwest::Method::GET, &path, None).await;
    assert_eq!(
        read_back["data"]["messaging_profile_id"],
        profile_id.as_str()
    );

    // Inbound to that number reaches the profile's webhook, signed.
    let (status, result) = admin_post(
        &sandbox,
        "inbound",
        &json!({"to": number["phone_number"], "from": "+46701234567", "body": "hej"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{result}");
    let received = receiver.next().await;
    assert_telnyx_signed(&sandbox, &received);
    let event: Value = serde_json::from_slice(&received.body).unwrap();
    assert_eq!(event["data"]["event_type"], "message.received");
    assert_eq!(event["data"]["payload"]["text"], "hej");
    assert_eq!(event["data"]["payload"]["direction"], "inbound");
}

#[tokio::test]
async fn telnyx_send_lifecycle_posts_signed_events() {
    let sandbox = sandbox().await;
    let mut receiver = Receiver::start("").await;
    let (status, error) = telnyx(
        &sandbox,
        reqwest::Method::POST,
        "/v2/messages",
        Some(json!({"from": "+13125550101", "text": "x"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["errors"][0]["code"], "10004");
    assert_eq!(error["errors"][0]["source"]["pointer"], "/to");
    let (status, error) = telnyx(
        &sandbox,
        reqwest::Method::POST,
        "/v2/messages",
        Some(json!({"from": "+19995550000", "to": "+46701234567", "text": "x"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["errors"][0]["source"]["pointer"], "/from");

    let (status, sent) = telnyx(
        &sandbox,
        reqwest::Method::POST,
        "/v2/messages",
        Some(json!({
            "from": "+13125550101",
            "to": "+46701234567",
            "text": "Hello",
            "webhook_url": format!("{}/events", receiver.url),
        })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{sent}");
    assert_eq!(sent["data"]["to"][0]["status"], "queued");
    let id = sent["data"]["id"].as_str().unwrap().to_string();
    let mut events = Vec::new();
    for _ in 0..2 {
        let received = receiver.next().await;
        assert_telnyx_signed(&sandbox, &received);
        let event: Value = serde_json::from_slice(&received.body).unwrap();
        assert_eq!(event["data"]["payload"]["id"], id.as_str());
        events.push(event["data"]["event_type"].as_str().unwrap().to_string());
    }
    assert_eq!(events, ["message.sent", "message.finalized"]);
    let (_, fetched) = telnyx(
        &sandbox,
        reqwest::Method::GET,
        &format!("/v2/messages/{id}"),
        None,
    )
    .await;
    assert_eq!(fetched["data"]["to"][0]["status"], "delivered");
}

async fn elks(
    sandbox: &RunningSandbox,
    method: reqwest::Method,
    path: &str,
    form: &[(&str, &str)],
) -> (StatusCode, String) {
    let seed = &sandbox.seed().elks;
    let mut request = client()
        .request(method.clone(), format!("{}/46elks{path}", sandbox.url()))
        .basic_auth(&seed.username, Some(&seed.password));
    if method == reqwest::Method::POST {
        request = request.form(form);
    }
    let response = request.send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

#[tokio::test]
async fn elks_auth_me_and_numbers() {
    let sandbox = sandbox().await;
    let (status, me) = elks(&sandbox, reqwest::Method::GET, "/a1/me", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let me: Value = serde_json::from_str(&me).unwrap();
    assert_eq!(me["currency"], "SEK");
    assert!(me["balance"].is_i64());
    let response = client()
        .get(format!("{}/46elks/a1/me", sandbox.url()))
        .basic_auth(&sandbox.seed().elks.username, Some("wrong"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );

    let (_, numbers) = elks(&sandbox, reqwest::Method::GET, "/a1/numbers", &[]).await;
    let numbers: Value = serde_json::from_str(&numbers).unwrap();
    let first = &numbers["data"][0];
    assert_eq!(first["active"], "yes");
    assert!(first.get("sms_url").is_none());
    let path = format!("/a1/numbers/{}", first["id"].as_str().unwrap());
    let (status, updated) = elks(
        &sandbox,
        reqwest::Method::POST,
        &path,
        &[("sms_url", "https://hooks.example.com/elks")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let updated: Value = serde_json::from_str(&updated).unwrap();
    assert_eq!(updated["sms_url"], "https://hooks.example.com/elks");
    let (_, cleared) = elks(
        &sandbox,
        reqwest::Method::POST,
        &path,
        &[("sms_url", "none")],
    )
    .await;
    let cleared: Value = serde_json::from_str(&cleared).unwrap();
    assert!(cleared.get("sms_url").is_none());
    let (status, text) = elks(
        &sandbox,
        reqwest::Method::POST,
        &path,
        &[("sms_url", "not a url")],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(text.contains("sms_url"));
}

#[tokio::test]
async fn elks_send_with_delivery_report_and_inbound() {
    let sandbox = sandbox().await;
    let mut receiver = Receiver::start("").await;
    let (status, text) = elks(
        &sandbox,
        reqwest::Method::POST,
        "/a1/sms",
        &[("from", "Sandbox"), ("to", "+46701234567")],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(text, "Missing key message");
    let report_url = format!("{}/dlr", receiver.url);
    let (status, sent) = elks(
        &sandbox,
        reqwest::Method::POST,
        "/a1/SMS",
        &[
            ("from", "+46766860101"),
            ("to", "+46701234567"),
            ("message", "Hej"),
            ("whendelivered", &report_url),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let sent: Value = serde_json::from_str(&sent).unwrap();
    assert_eq!(sent["status"], "created");
    assert_eq!(sent["direction"], "outgoing");
    let id = sent["id"].as_str().unwrap().to_string();
    assert!(id.starts_with('s'));
    let mut statuses = Vec::new();
    for _ in 0..2 {
        let report = receiver.next().await;
        assert_eq!(report.form_value("id").unwrap(), id);
        statuses.push(report.form_value("status").unwrap());
    }
    assert_eq!(statuses, ["sent", "delivered"]);
    let (_, fetched) = elks(
        &sandbox,
        reqwest::Method::GET,
        &format!("/a1/sms/{id}"),
        &[],
    )
    .await;
    let fetched: Value = serde_json::from_str(&fetched).unwrap();
    assert_eq!(fetched["status"], "delivered");
    assert!(fetched["delivered"].is_string());

    // Inbound: posted (unsigned) to the number's sms_url.
    let (_, numbers) = elks(&sandbox, reqwest::Method::GET, "/a1/numbers", &[]).await;
    let numbers: Value = serde_json::from_str(&numbers).unwrap();
    let number = &numbers["data"][1];
    let (status, _) = admin_post(
        &sandbox,
        "inbound",
        &json!({"to": number["number"], "from": "+46701234567", "body": "svar"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let hook = format!("{}/incoming", receiver.url);
    elks(
        &sandbox,
        reqwest::Method::POST,
        &format!("/a1/numbers/{}", number["id"].as_str().unwrap()),
        &[("sms_url", &hook)],
    )
    .await;
    let (status, result) = admin_post(
        &sandbox,
        "inbound",
        &json!({"to": number["number"], "from": "+46701234567", "body": "svar"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{result}");
    assert_eq!(result["provider"], "46elks");
    let received = receiver.next().await;
    assert_eq!(received.form_value("direction").unwrap(), "incoming");
    assert_eq!(received.form_value("message").unwrap(), "svar");
    assert_eq!(
        received.form_value("to").unwrap(),
        number["number"].as_str().unwrap()
    );
}
