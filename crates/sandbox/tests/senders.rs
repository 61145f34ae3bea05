//! The WhatsApp sender lifecycle of seed 004: register, verify with the code WhatsApp sent, a
//! wrong code refused, profile updates, delete, and what the seeded senders show.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};

fn senders_url(sandbox: &switchboard_sandbox::RunningSandbox) -> String {
    format!("{}/twilio/v2/Channels/Senders", sandbox.url())
}

async fn status_of(sandbox: &switchboard_sandbox::RunningSandbox, url: &str) -> String {
    let (_, sender) = twilio_get(sandbox, url).await;
    sender["status"].as_str().unwrap_or_default().to_owned()
}

async fn wait_for(sandbox: &switchboard_sandbox::RunningSandbox, url: &str, wanted: &str) {
    eventually(|| async { (status_of(sandbox, url).await == wanted).then_some(()) }).await;
}

async fn codes(sandbox: &switchboard_sandbox::RunningSandbox) -> Value {
    let (status, codes) = admin_get(sandbox, "verification-codes").await;
    assert_eq!(status, StatusCode::OK);
    codes
}

#[tokio::test]
async fn a_new_number_waits_for_its_code_and_comes_online_with_it() {
    let sandbox = sandbox().await;
    let create = json!({
        "sender_id": "whatsapp:+46701234567",
        "configuration": {"waba_id": "1234567890", "verification_method": "voice"},
        "webhook": {"callback_url": "https://hooks.example.com/wa", "callback_method": "POST"},
        "profile": {
            "name": "Grand Hotel",
            "vertical": "Hotel and Lodging",
            "emails": [{"email": "desk@grand-hotel.example", "label": "Email"}],
            "websites": [{"website": "https://grand-hotel.example", "label": "Website"}],
        },
    });
    let (status, created) = twilio_post_json(&sandbox, &senders_url(&sandbox), &create).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{created}");
    assert_eq!(created["status"], "CREATING");
    assert_eq!(created["configuration"]["verification_method"], "voice");
    assert_eq!(created["profile"]["vertical"], "Hotel and Lodging");
    let url = created["url"].as_str().unwrap().to_owned();

    wait_for(&sandbox, &url, "PENDING_VERIFICATION").await;
    let codes = codes(&sandbox).await;
    let code = codes["whatsapp:+46701234567"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 6, "{codes}");
    assert!(code.chars().all(|c| c.is_ascii_digit()));

    // A wrong code is refused and changes nothing.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (status, error) = twilio_post_json(
        &sandbox,
        &url,
        &json!({"configuration": {"verification_code": wrong}}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error["code"], 63113);
    assert!(error["message"].as_str().unwrap().contains("not correct"));
    assert_eq!(status_of(&sandbox, &url).await, "PENDING_VERIFICATION");

    let (status, verifying) = twilio_post_json(
        &sandbox,
        &url,
        &json!({"configuration": {"verification_code": code}}),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(verifying["status"], "VERIFYING");
    // The code is never echoed back.
    assert!(verifying["configuration"]["verification_code"].is_null());
    assert_eq!(verifying["configuration"]["waba_id"], "1234567890");
    wait_for(&sandbox, &url, "ONLINE").await;
    let (_, online) = twilio_get(&sandbox, &url).await;
    assert_eq!(online["properties"]["quality_rating"], "HIGH");
    assert!(online["offline_reasons"].is_null());
    assert!(
        codes_without(&sandbox, "whatsapp:+46701234567").await,
        "an online sender has no pending code"
    );

    // No code is taken from a sender that is not waiting for one.
    let (status, error) = twilio_post_json(
        &sandbox,
        &url,
        &json!({"configuration": {"verification_code": code}}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error["code"], 63100);
}

async fn codes_without(sandbox: &switchboard_sandbox::RunningSandbox, sender_id: &str) -> bool {
    codes(sandbox).await.get(sender_id).is_none()
}

#[tokio::test]
async fn a_profile_update_passes_through_online_updating_and_delete_removes() {
    let sandbox = sandbox().await;
    let (status, created) = twilio_post_json(
        &sandbox,
        &senders_url(&sandbox),
        &json!({"sender_id": "whatsapp:+14155550103", "profile": {"name": "Spa"}}),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let url = created["url"].as_str().unwrap().to_owned();
    // The account's own number: verified by Twilio, never pending.
    wait_for(&sandbox, &url, "ONLINE").await;

    let (status, updating) = twilio_post_json(
        &sandbox,
        &url,
        &json!({"profile": {"about": "Open 24/7", "vertical": "Beauty, Spa and Salon"}}),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(updating["status"], "ONLINE:UPDATING");
    assert_eq!(updating["profile"]["about"], "Open 24/7");
    assert_eq!(updating["profile"]["name"], "Spa", "untouched fields stay");
    wait_for(&sandbox, &url, "ONLINE").await;

    for bad in [
        json!({"profile": {"vertical": "Hotels"}}),
        json!({"profile": {"emails": [{"mail": "a@b.example"}]}}),
        json!({"profile": {"websites": ["https://x.example"]}}),
    ] {
        let (status, error) = twilio_post_json(&sandbox, &url, &bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(error["code"], 63100, "{bad}");
    }

    let seed = sandbox.seed().twilio.clone();
    let response = client()
        .delete(&url)
        .basic_auth(&seed.account_sid, Some(&seed.auth_token))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let (status, _) = twilio_get(&sandbox, &url).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn seeded_senders_show_reasons_ratings_limits_and_a_pending_code() {
    let sandbox = sandbox().await;
    let (_, page) = twilio_get(
        &sandbox,
        &format!("{}?Channel=whatsapp&PageSize=50", senders_url(&sandbox)),
    )
    .await;
    let senders = page["senders"].as_array().unwrap();
    let with_status = |status: &str| {
        senders
            .iter()
            .find(|s| s["status"] == status)
            .unwrap()
            .clone()
    };
    let offline = with_status("OFFLINE");
    assert_eq!(offline["offline_reasons"][0]["code"], "63101");
    assert_eq!(
        offline["offline_reasons"][0]["more_info"],
        "https://www.twilio.com/docs/api/errors/63101"
    );
    assert_eq!(offline["properties"]["quality_rating"], "LOW");
    assert_eq!(
        offline["properties"]["messaging_limit"],
        "250 Customers/24hr"
    );
    let updating = with_status("ONLINE:UPDATING");
    assert_eq!(updating["properties"]["quality_rating"], "MEDIUM");
    let pending = with_status("PENDING_VERIFICATION");
    assert!(pending["properties"].is_null());
    let sender_id = pending["sender_id"].as_str().unwrap();
    let codes = codes(&sandbox).await;
    assert_eq!(codes.as_object().unwrap().len(), 1, "{codes}");
    assert!(codes[sender_id].is_string(), "{codes}");

    // Only the one who started the sandbox may read the codes (the admin guard covers it).
    let anonymous = client()
        .get(sandbox.admin_url("verification-codes"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

    // The seeded code survives nothing but a reset, which brings the same one back.
    let (status, _) = admin_post(&sandbox, "reset", &json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(self::codes(&sandbox).await, codes);
}
