//! Twilio's WhatsApp Sandbox as the emulator serves it: every account may send from
//! whatsapp:+14155238886; a recipient who has not joined gets a 201 `queued` message that then
//! fails with 63015; "join <code>" (through the inbound simulation) joins, a wrong code gets
//! Twilio's "not connected" reply; the join code is in the start line and the admin API.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

const SANDBOX_FROM: &str = "whatsapp:+14155238886";
const GUEST: &str = "whatsapp:+46701234567";

async fn send(sandbox: &switchboard_sandbox::RunningSandbox, to: &str) -> (StatusCode, Value) {
    let url = format!("{}/Messages.json", twilio_account_url(sandbox));
    twilio_post(
        sandbox,
        &url,
        &[("From", SANDBOX_FROM), ("To", to), ("Body", "Hello")],
    )
    .await
}

/// Waits until the message is final and returns it.
async fn settled(sandbox: &switchboard_sandbox::RunningSandbox, sid: &str) -> Value {
    let url = format!("{}/Messages/{sid}.json", twilio_account_url(sandbox));
    eventually(|| {
        let url = url.clone();
        async move {
            let (_, message) = twilio_get(sandbox, &url).await;
            let status = message["status"].as_str().unwrap_or_default().to_owned();
            ["failed", "delivered", "read", "undelivered"]
                .contains(&status.as_str())
                .then_some(message)
        }
    })
    .await
}

async fn inbound(sandbox: &switchboard_sandbox::RunningSandbox, from: &str, body: &str) -> Value {
    let (status, answer) = admin_post(
        sandbox,
        "inbound",
        &json!({"to": SANDBOX_FROM, "from": from, "body": body}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    answer
}

#[tokio::test]
async fn a_recipient_who_has_not_joined_gets_a_queued_message_that_fails_with_63015() {
    let sandbox = sandbox().await;
    let (status, created) = send(&sandbox, GUEST).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["status"], "queued");
    assert_eq!(created["from"], SANDBOX_FROM);
    let done = settled(&sandbox, created["sid"].as_str().unwrap()).await;
    assert_eq!(done["status"], "failed");
    assert_eq!(done["error_code"], 63015);
    assert!(done["date_sent"].is_null(), "never sent: {done}");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn join_with_the_accounts_code_then_messages_are_delivered() {
    let sandbox = sandbox().await;
    let code = sandbox
        .seed()
        .twilio
        .whatsapp_sandbox
        .as_ref()
        .expect("the start line names the sandbox")
        .join_code
        .clone();
    assert!(code.starts_with("join "), "{code}");
    let start: Value = serde_json::from_str(&sandbox.start_line()).unwrap();
    assert_eq!(
        start["twilio"]["whatsapp_sandbox"]["join_code"],
        code.as_str()
    );
    assert_eq!(start["twilio"]["whatsapp_sandbox"]["number"], SANDBOX_FROM);

    let answer = inbound(&sandbox, "+46701234567", &code).await;
    assert_eq!(answer["joined"], true, "{answer}");
    assert_eq!(
        answer["account_sid"],
        sandbox.seed().twilio.account_sid.as_str()
    );
    assert!(
        answer["reply"]
            .as_str()
            .unwrap()
            .contains("You are all set!"),
        "{answer}"
    );

    let (_, listed) = admin_get(&sandbox, "whatsapp-sandbox").await;
    let mine = &listed[0];
    assert_eq!(mine["join_code"], code.as_str());
    assert_eq!(mine["participants"][0]["number"], GUEST);

    let (status, created) = send(&sandbox, GUEST).await;
    assert_eq!(status, StatusCode::CREATED);
    let done = settled(&sandbox, created["sid"].as_str().unwrap()).await;
    assert!(
        ["delivered", "read"].contains(&done["status"].as_str().unwrap()),
        "{done}"
    );
    assert!(done["error_code"].is_null(), "{done}");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_wrong_code_gets_twilios_reply_and_does_not_join() {
    let sandbox = sandbox().await;
    let answer = inbound(&sandbox, GUEST, "join wrong-words").await;
    assert_eq!(answer["joined"], false, "{answer}");
    let reply = answer["reply"].as_str().unwrap();
    assert!(
        reply.contains("whatsapp:+46701234567 is not connected to a Sandbox"),
        "{reply}"
    );
    assert!(reply.contains("join <sandbox name>"), "{reply}");
    let (_, listed) = admin_get(&sandbox, "whatsapp-sandbox").await;
    assert_eq!(listed[0]["participants"], json!([]));

    let (_, created) = send(&sandbox, GUEST).await;
    let done = settled(&sandbox, created["sid"].as_str().unwrap()).await;
    assert_eq!(done["error_code"], 63015);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn every_account_has_its_own_code_and_a_number_is_in_one_sandbox_at_a_time() {
    let sandbox = sandbox().await;
    let (status, other) = admin_post(&sandbox, "accounts", &json!({"provider": "twilio"})).await;
    assert_eq!(status, StatusCode::CREATED, "{other}");
    let other_code = other["twilio"]["whatsapp_sandbox"]["join_code"]
        .as_str()
        .unwrap()
        .to_owned();
    let seeded_code = sandbox
        .seed()
        .twilio
        .whatsapp_sandbox
        .clone()
        .unwrap()
        .join_code;
    assert_ne!(other_code, seeded_code);

    inbound(&sandbox, GUEST, &seeded_code).await;
    let moved = inbound(&sandbox, GUEST, &other_code).await;
    assert_eq!(moved["account_sid"], other["twilio"]["account_sid"]);
    // Joined the other account's sandbox: the seeded account's sends fail again.
    let (_, created) = send(&sandbox, GUEST).await;
    let done = settled(&sandbox, created["sid"].as_str().unwrap()).await;
    assert_eq!(done["error_code"], 63015);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_sandbox_number_is_whatsapp_only_and_not_a_sender_of_sms() {
    let sandbox = sandbox().await;
    let url = format!("{}/Messages.json", twilio_account_url(&sandbox));
    let (status, refused) = twilio_post(
        &sandbox,
        &url,
        &[
            ("From", "+14155238886"),
            ("To", "+46701234567"),
            ("Body", "Hi"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(refused["code"], 21606);
    sandbox.shutdown().await;
}
