//! A diagnosis over IPC on Tauri's mock runtime: each finding pushed over the `Channel`
//! `diagnosis_run` takes, the run stored, and a support bundle written into the data folder.

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use switchboard_core::{MemorySecretStore, Store, Switchboard};
use tauri::ipc::{CallbackFn, InvokeBody, InvokeResponseBody};
use tauri::test::{INVOKE_KEY, MockRuntime, mock_builder, mock_context, noop_assets};
use tauri::webview::InvokeRequest;
use tauri::{WebviewWindow, WebviewWindowBuilder};

use crate::{AppState, Launch, app_builder};

const CHANNEL: u32 = 4444;

type Pushed = Arc<Mutex<Vec<Value>>>;

fn window(
    data_dir: &std::path::Path,
) -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>, Pushed) {
    let core = Switchboard::new(
        Store::open_in_memory().unwrap(),
        Arc::new(MemorySecretStore::default()),
    );
    let pushed: Pushed = Arc::default();
    let log = pushed.clone();
    let app = app_builder(
        mock_builder(),
        Launch::State(AppState::with_core(core, data_dir)),
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

#[test]
fn a_diagnosis_pushes_each_finding_and_a_bundle_lands_in_the_data_folder() {
    let data_dir = tempfile::tempdir().unwrap();
    let (_app, window, pushed) = window(data_dir.path());
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
    let run = invoke(
        &window,
        "diagnosis_run",
        json!({ "connectorId": sms, "onFinding": format!("__CHANNEL__:{CHANNEL}") }),
    )
    .unwrap();
    let pushed = pushed.lock().unwrap().clone();
    assert_eq!(
        pushed,
        run["findings"].as_array().unwrap().clone(),
        "each finding, in order"
    );
    let credentials = pushed.iter().find(|f| f["id"] == "credentials").unwrap();
    assert_eq!(credentials["severity"], "ok");
    let last = invoke(&window, "diagnosis_last", json!({ "connectorId": sms })).unwrap();
    assert_eq!(last["id"], run["id"]);

    let bundle = invoke(
        &window,
        "support_bundle_create",
        json!({ "connectorId": sms }),
    )
    .unwrap();
    let path = std::path::PathBuf::from(bundle["path"].as_str().unwrap());
    assert!(
        path.starts_with(data_dir.path().join("support-bundles")),
        "{path:?}"
    );
    assert!(std::fs::read(&path).unwrap().starts_with(b"PK"));
}
