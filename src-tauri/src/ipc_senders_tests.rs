//! A WhatsApp sender registered and verified over IPC on Tauri's mock runtime, its status
//! pushed over the `Channel` `sender_follow` takes.

use serde_json::{Value, json};
use tauri::test::MockRuntime;
use tauri::{Manager, WebviewWindow};

use crate::AppState;
use crate::ipc_support::{TestApp, channel};

/// The code the demo's sandbox would have sent, read with the admin token only the app knows.
fn verification_code(window: &WebviewWindow<MockRuntime>, sender_id: &str) -> String {
    let state = window.state::<AppState>();
    let (url, token) = (
        state.demo().url().unwrap(),
        state.demo().admin_token().unwrap(),
    );
    let codes: Value = tauri::async_runtime::block_on(async {
        reqwest::Client::new()
            .get(format!("{url}/_sandbox/verification-codes"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    });
    codes[sender_id].as_str().unwrap().to_owned()
}

#[test]
fn a_sender_is_registered_verified_and_followed_over_a_channel() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = TestApp::in_memory(dir.path());
    let demo = app.invoke("sandbox_try", json!({})).unwrap();
    let whatsapp = demo["connectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "whatsapp")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let bad = app
        .invoke(
            "sender_register",
            json!({ "connectorId": whatsapp, "draft": { "sender": "+46701234567" } }),
        )
        .unwrap_err();
    assert_eq!(bad["code"], "validation");
    assert_eq!(bad["fields"][0]["field"], "profile.name");

    let draft = json!({
        "sender": "+46701234567",
        "verificationMethod": "voice",
        "profile": { "name": "Grand Hotel", "vertical": "Hotel and Lodging" },
    });
    let created = app
        .invoke(
            "sender_register",
            json!({ "connectorId": whatsapp, "draft": draft }),
        )
        .unwrap();
    assert_eq!(created["status"], "CREATING");
    let follow = |sender: &str| {
        app.invoke(
            "sender_follow",
            json!({
                "connectorId": whatsapp,
                "sender": sender,
                "onProgress": channel(),
            }),
        )
        .unwrap()
    };
    let waiting = follow("+46701234567");
    assert_eq!(waiting["status"], "PENDING_VERIFICATION");
    assert_eq!(waiting["awaitingCode"], true);
    let statuses: Vec<Value> = app.pushed().iter().map(|m| m["status"].clone()).collect();
    assert_eq!(
        statuses.last(),
        Some(&json!("PENDING_VERIFICATION")),
        "{statuses:?}"
    );

    let code = verification_code(&app.window, "whatsapp:+46701234567");
    let verifying = app
        .invoke(
            "sender_verify",
            json!({ "connectorId": whatsapp, "sender": created["sid"], "code": code }),
        )
        .unwrap();
    assert_eq!(verifying["status"], "VERIFYING");
    let online = follow(created["sid"].as_str().unwrap());
    assert_eq!(online["status"], "ONLINE");
    assert_eq!(
        app.pushed().last().unwrap()["status"],
        "ONLINE",
        "the settled status reached the channel"
    );

    let verticals = app.invoke("sender_verticals", json!({})).unwrap();
    assert!(
        verticals
            .as_array()
            .unwrap()
            .contains(&json!("Hotel and Lodging"))
    );
    let removed = app
        .invoke(
            "sender_remove",
            json!({ "connectorId": whatsapp, "sender": "+46701234567" }),
        )
        .unwrap();
    assert!(removed["warning"].as_str().unwrap().contains("two-step"));
}
