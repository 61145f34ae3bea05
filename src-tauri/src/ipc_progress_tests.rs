//! A bulk job's progress reaches the UI over the `Channel` it passes, on Tauri's mock runtime.

use std::path::Path;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use switchboard_core::{MemorySecretStore, Store, Switchboard};
use tauri::ipc::{CallbackFn, InvokeBody, InvokeResponseBody};
use tauri::test::{INVOKE_KEY, MockRuntime, mock_builder, mock_context, noop_assets};
use tauri::webview::InvokeRequest;
use tauri::{WebviewWindow, WebviewWindowBuilder};

use crate::{AppState, Launch, app_builder};

/// The id the UI's `Channel` would have (`__CHANNEL__:<id>` on the wire).
const CHANNEL: u32 = 4242;

/// What the channel delivered: (message index, message).
type Pushed = Arc<Mutex<Vec<(usize, Value)>>>;

fn window_with_channel_log() -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>, Pushed) {
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
    // Instead of evaluating JavaScript in a webview the mock runtime does not have.
    .channel_interceptor(move |_webview, callback, index, body| {
        if callback.0 == CHANNEL
            && let InvokeResponseBody::Json(text) = body
        {
            log.lock()
                .unwrap()
                .push((index, serde_json::from_str(text).unwrap()));
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

#[test]
fn a_bulk_set_pushes_its_progress_over_the_channel() {
    let (_app, window, pushed) = window_with_channel_log();
    let demo = invoke(&window, "sandbox_try", json!({})).unwrap();
    let sms = demo["connectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "sms" && c["settings"]["provider"] == "twilio")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    invoke(&window, "numbers_refresh", json!({ "connectorId": sms })).unwrap();
    let chosen = ["+14155550101", "+14155550103"];
    invoke(
        &window,
        "numbers_set_active",
        json!({ "connectorId": sms, "numbers": chosen, "active": true }),
    )
    .unwrap();

    let job = invoke(
        &window,
        "webhook_set",
        json!({ "connectorId": sms, "numbers": chosen, "onProgress": format!("__CHANNEL__:{CHANNEL}") }),
    )
    .unwrap();
    let job_id = job["id"].as_str().unwrap();

    let pushed = pushed.lock().unwrap().clone();
    assert_eq!(
        pushed.len(),
        3,
        "a first message, then one per number: {pushed:?}"
    );
    for (position, (index, message)) in pushed.iter().enumerate() {
        assert_eq!(*index, position, "in order");
        assert_eq!(message["jobId"], job_id);
        assert_eq!(message["total"], 2);
        assert_eq!(message["done"], position);
    }
    assert_eq!(pushed[0].1["current"], Value::Null);
    let last = &pushed[2].1;
    assert_eq!(
        (last["changed"].clone(), last["failed"].clone()),
        (json!(2), json!(0)),
        "{last}"
    );
    let mut finished: Vec<&str> = pushed[1..]
        .iter()
        .map(|(_, m)| m["current"]["e164"].as_str().unwrap())
        .collect();
    finished.sort_unstable();
    assert_eq!(finished, chosen);
}

#[test]
fn a_test_send_pushes_its_timeline_until_it_is_final() {
    let (_app, window, pushed) = window_with_channel_log();
    let demo = invoke(&window, "sandbox_try", json!({})).unwrap();
    let sms = demo["connectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "sms" && c["settings"]["provider"] == "twilio")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let attempt = invoke(
        &window,
        "message_send",
        json!({
            "connectorId": sms,
            "request": {"to": "+46 70 123 45 67", "text": "Your room is ready"},
            "onProgress": format!("__CHANNEL__:{CHANNEL}"),
        }),
    )
    .unwrap();
    assert_eq!(attempt["status"], "queued", "{attempt}");
    assert_eq!(attempt["final"], false);
    // The UI does not poll: the backend pushes each status until the final one.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let last = pushed.lock().unwrap().last().map(|(_, m)| m.clone());
        if let Some(last) = last.filter(|m| m["final"] == true) {
            assert_eq!(last["id"], attempt["id"]);
            assert_eq!(last["status"], "delivered", "{last}");
            let statuses: Vec<&str> = last["history"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| h["status"].as_str().unwrap())
                .collect();
            assert_eq!(statuses.first(), Some(&"sending"));
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{:?}",
            pushed.lock().unwrap()
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let stats = invoke(
        &window,
        "message_stats",
        json!({ "connectorId": sms, "days": 30 }),
    )
    .unwrap();
    assert_eq!(stats["totalSent"], 1);
    let page = invoke(&window, "log_list", json!({ "filter": {} })).unwrap();
    assert!(page["entries"].as_array().unwrap().is_empty(), "{page}");
}
