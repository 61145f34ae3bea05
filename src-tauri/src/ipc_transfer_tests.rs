//! Configuration export and import through Tauri's IPC on the mock runtime, as the organization
//! page calls them.

use std::path::Path;
use std::sync::Arc;

use serde_json::{Value, json};
use switchboard_core::{MemorySecretStore, SecretKey, SecretStore, Store, Switchboard};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, mock_builder, mock_context, noop_assets};
use tauri::webview::InvokeRequest;
use tauri::{WebviewWindow, WebviewWindowBuilder};

use crate::{AppState, Launch, app_builder};

fn window() -> (
    tauri::App<MockRuntime>,
    WebviewWindow<MockRuntime>,
    Arc<MemorySecretStore>,
) {
    let secrets = Arc::new(MemorySecretStore::default());
    let core = Switchboard::new(Store::open_in_memory().unwrap(), secrets.clone());
    let state = AppState::with_core(core, Path::new(":memory:"));
    let app = app_builder(mock_builder(), Launch::State(state))
        .build(mock_context(noop_assets()))
        .unwrap();
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    (app, window, secrets)
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
fn an_exported_configuration_is_previewed_and_applied_in_another_app() {
    let (_app, source, _) = window();
    let org = invoke(
        &source,
        "org_create",
        json!({ "draft": { "name": "Grand Hotel", "inboundBaseUrl": null } }),
    )
    .unwrap();
    invoke(
        &source,
        "connector_create",
        json!({ "draft": {
            "orgId": org["id"],
            "kind": "sms",
            "name": "Reception",
            // Port 9 (discard) on this machine refuses: the check fails without leaving loopback.
            "settings": { "provider": "telnyx", "from": "+13125550101", "baseUrl": "http://127.0.0.1:9" },
            "secret": "KEY-telnyx-5ecret"
        }}),
    )
    .unwrap();
    let export = invoke(&source, "config_export", json!({ "orgId": org["id"] })).unwrap();
    assert_eq!(export["fileName"], "switchboard-config-grand-hotel.json");
    let text = export["json"].as_str().unwrap();
    assert!(!text.contains("KEY-telnyx-5ecret"));

    let (_other, target, secrets) = window();
    let preview = invoke(
        &target,
        "config_import_preview",
        json!({ "orgId": null, "json": text }),
    )
    .unwrap();
    assert_eq!(preview["organizationId"], Value::Null);
    let keys: Vec<&str> = preview["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["organization", "connector:Reception"]);
    assert_eq!(preview["items"][1]["secret"]["label"], "API key");
    assert_eq!(preview["items"][1]["secret"]["required"], true);

    let applied = invoke(
        &target,
        "config_import_apply",
        json!({
            "orgId": null,
            "json": text,
            "selection": {
                "keys": keys,
                "secrets": [{ "connector": "Reception", "secret": "KEY-telnyx-5ecret" }]
            }
        }),
    )
    .unwrap();
    let connector = &applied["connectors"][0];
    assert_eq!(connector["name"], "Reception");
    assert_eq!(
        connector["state"], "error",
        "checked as on save: the provider cannot be reached"
    );
    let stored = secrets
        .get(&SecretKey::connector(connector["id"].as_str().unwrap()))
        .unwrap();
    assert_eq!(stored.unwrap().expose(), "KEY-telnyx-5ecret");

    let newer = text.replacen("\"version\": 1", "\"version\": 2", 1);
    let error = invoke(
        &target,
        "config_import_preview",
        json!({ "orgId": null, "json": newer }),
    )
    .unwrap_err();
    assert_eq!(error["code"], "validation");
    assert_eq!(error["fields"][0]["field"], "version");
}
