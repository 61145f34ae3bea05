//! The webhook inspector over IPC on Tauri's mock runtime: a pasted request explained, and the
//! listener started (loopback only unless confirmed), receiving, listed and stopped.

use std::sync::Arc;

use serde_json::{Value, json};
use switchboard_core::{MemorySecretStore, Store, Switchboard};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, mock_builder, mock_context, noop_assets};
use tauri::webview::InvokeRequest;
use tauri::{WebviewWindow, WebviewWindowBuilder};

use crate::{AppState, Launch, app_builder};

fn window(data_dir: &std::path::Path) -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let core = Switchboard::new(
        Store::open_in_memory().unwrap(),
        Arc::new(MemorySecretStore::default()),
    );
    let app = app_builder(
        mock_builder(),
        Launch::State(AppState::with_core(core, data_dir)),
    )
    .build(mock_context(noop_assets()))
    .unwrap();
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    (app, window)
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
fn a_pasted_request_is_explained_and_the_listener_receives_and_stops() {
    let data_dir = tempfile::tempdir().unwrap();
    let (_app, window) = window(data_dir.path());

    let report = invoke(
        &window,
        "inspector_explain",
        json!({ "request": { "url": "https://hooks.example/inbound/gone/t0ken", "body": "" } }),
    )
    .unwrap();
    assert_eq!(report["valid"], false);
    assert_eq!(report["reasons"][0]["code"], "unknown_connector");
    assert!(!report.to_string().contains("t0ken"), "{report}");

    let status = invoke(&window, "inspector_status", json!({})).unwrap();
    assert_eq!(status["running"], false);
    let refused = invoke(
        &window,
        "inspector_start",
        json!({ "bind": "0.0.0.0", "port": 0, "allowRemote": false }),
    )
    .unwrap_err();
    assert_eq!(refused["code"], "validation", "{refused}");

    let status = invoke(
        &window,
        "inspector_start",
        json!({ "bind": null, "port": 0, "allowRemote": false }),
    )
    .unwrap();
    assert_eq!(status["running"], true);
    let url = status["url"].as_str().unwrap().to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let answer = tauri::async_runtime::block_on(
        reqwest::Client::new()
            .post(format!("{url}/inbound/gone/t0ken"))
            .body("Body=hi")
            .send(),
    )
    .unwrap();
    assert_eq!(answer.status(), 403);

    let status = invoke(&window, "inspector_status", json!({})).unwrap();
    assert_eq!(status["counts"]["refused"], 1, "{status}");
    assert_eq!(status["recent"][0]["answered"], 403);
    assert_eq!(
        status["recent"][0]["report"]["reasons"][0]["code"],
        "unknown_connector"
    );

    let status = invoke(&window, "inspector_stop", json!({})).unwrap();
    assert_eq!(status["running"], false);
    let after = tauri::async_runtime::block_on(
        reqwest::Client::new()
            .post(format!("{url}/inbound/gone/t0ken"))
            .send(),
    );
    assert!(after.is_err(), "the listener still answers after stop");
}
