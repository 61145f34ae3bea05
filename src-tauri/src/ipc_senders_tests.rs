//! A WhatsApp sender registered and verified over IPC on Tauri's mock runtime, its status
//! pushed over the `Channel` `sender_follow` takes.

use std::path::Path;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use switchboard_core::{MemorySecretStore, Store, Switchboard};
use tauri::ipc::{CallbackFn, InvokeBody, InvokeResponseBody};
use tauri::test::{INVOKE_KEY, MockRuntime, mock_builder, mock_context, noop_assets};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindow, WebviewWindowBuilder};

use crate::{AppState, Launch, app_builder};

const CHANNEL: u32 = 4343;

type Pushed = Arc<Mutex<Vec<Value>>>;

fn window() -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>, Pushed) {
    let core = Switchboard::new(
        Store::open_in_memory().unwrap(),
        Arc::new(MemorySecretStore::default()),
    );
    let pushed: Pushed = Arc::default();
    let log = pushed.clone();
    let app = app_builder(
        mock_builder(),
        Launch::State(AppState::with_core(core, Path::new(":memory:"))),
    )
    .channel_interceptor(move |_webview, callback, _index, body| {
        if callback.0 == CHANNEL
            && let InvokeResponseBody::Json(text) = body
        {
            log.lock()
                .unwrap()
                .push(serde_json::from_str(text).unwrap());
        }
        true
    })
    .build(mock_context(noop_assets()))
    .unwrap();
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    (app, window, pushed)
}

fn invoke(window: &WebviewWindow<MockRuntime>, cmd: &str, body: Value) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: InvokeBody::Json(body),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    tauri::test::get_ipc_response(window, request).map(|body| body.deserialize::<Value>().unwrap())
}

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
    let (_app, window, pushed) = window();
    let demo = invoke(&window, "sandbox_try", json!({})).unwrap();
    let whatsapp = demo["connectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "whatsapp")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let bad = invoke(
        &window,
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
    let created = invoke(
        &window,
        "sender_register",
        json!({ "connectorId": whatsapp, "draft": draft }),
    )
    .unwrap();
    assert_eq!(created["status"], "CREATING");
    let follow = |sender: &str| {
        invoke(
            &window,
            "sender_follow",
            json!({
                "connectorId": whatsapp,
                "sender": sender,
                "onProgress": format!("__CHANNEL__:{CHANNEL}"),
            }),
        )
        .unwrap()
    };
    let waiting = follow("+46701234567");
    assert_eq!(waiting["status"], "PENDING_VERIFICATION");
    assert_eq!(waiting["awaitingCode"], true);
    let statuses: Vec<Value> = pushed
        .lock()
        .unwrap()
        .iter()
        .map(|m| m["status"].clone())
        .collect();
    assert_eq!(
        statuses.last(),
        Some(&json!("PENDING_VERIFICATION")),
        "{statuses:?}"
    );

    let code = verification_code(&window, "whatsapp:+46701234567");
    let verifying = invoke(
        &window,
        "sender_verify",
        json!({ "connectorId": whatsapp, "sender": created["sid"], "code": code }),
    )
    .unwrap();
    assert_eq!(verifying["status"], "VERIFYING");
    let online = follow(created["sid"].as_str().unwrap());
    assert_eq!(online["status"], "ONLINE");
    assert_eq!(
        pushed.lock().unwrap().last().unwrap()["status"],
        "ONLINE",
        "the settled status reached the channel"
    );

    let verticals = invoke(&window, "sender_verticals", json!({})).unwrap();
    assert!(
        verticals
            .as_array()
            .unwrap()
            .contains(&json!("Hotel and Lodging"))
    );
    let removed = invoke(
        &window,
        "sender_remove",
        json!({ "connectorId": whatsapp, "sender": "+46701234567" }),
    )
    .unwrap();
    assert!(removed["warning"].as_str().unwrap().contains("two-step"));
}
