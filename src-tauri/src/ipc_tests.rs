//! The commands through Tauri's IPC on the mock runtime: what the UI sends and gets back.

use std::path::Path;
use std::sync::Arc;

use serde_json::{Value, json};
use switchboard_core::{MemorySecretStore, SecretKey, SecretStore, Store, Switchboard};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, mock_builder, mock_context, noop_assets};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindow, WebviewWindowBuilder};

use crate::{AppState, app_builder};

fn window() -> (
    tauri::App<MockRuntime>,
    WebviewWindow<MockRuntime>,
    Arc<MemorySecretStore>,
) {
    let secrets = Arc::new(MemorySecretStore::default());
    let core = Switchboard::new(Store::open_in_memory().unwrap(), secrets.clone());
    let (app, window) = window_on(AppState::with_core(core, Path::new(":memory:")));
    (app, window, secrets)
}

fn window_on(state: AppState) -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let app = app_builder(mock_builder(), Some(state))
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

const SID: &str = "AC0123456789abcdef0123456789abcdef";

fn whatsapp_draft(org_id: &str, sid: &str) -> Value {
    json!({
        "orgId": org_id,
        "kind": "whatsapp",
        "provider": "twilio",
        "name": "Front desk",
        // Port 9 (discard) on this machine refuses: the check fails without leaving loopback.
        "settings": { "accountSid": sid, "from": "+46 70 123 45 67", "baseUrl": "http://127.0.0.1:9" },
        "recipients": [{ "number": "+46 70 765 43 21", "backupEmail": "night@hotel.example" }],
        "receiveInbound": true,
        "secret": "tw-auth-token-0123456789abcdef00"
    })
}

#[test]
fn create_list_and_delete_a_connector_over_ipc() {
    let (_app, window, secrets) = window();
    let org = invoke(
        &window,
        "org_create",
        json!({ "draft": { "name": "Grand Hotel" } }),
    )
    .unwrap();
    let org_id = org["id"].as_str().unwrap();

    let created = invoke(
        &window,
        "connector_create",
        json!({ "draft": whatsapp_draft(org_id, SID) }),
    )
    .unwrap();
    // Saving checks the credentials; the provider is unreachable, so the connector is saved in
    // state Error with the reason.
    assert_eq!(created["state"], "error");
    assert!(
        created["stateReason"]
            .as_str()
            .unwrap()
            .contains("could not be reached")
    );
    assert_eq!(created["hasSecret"], true);
    assert_eq!(created["settings"]["from"], "+46701234567");
    assert!(
        created.get("secret").is_none(),
        "the secret never comes back"
    );
    assert!(!created.to_string().contains("tw-auth-token"));
    let id = created["id"].as_str().unwrap();
    let stored = secrets.get(&SecretKey::connector(id)).unwrap().unwrap();
    assert_eq!(stored.expose(), "tw-auth-token-0123456789abcdef00");

    let listed = invoke(&window, "connector_list", json!({ "orgId": org_id })).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["name"], "Front desk");

    invoke(&window, "connector_delete", json!({ "id": id })).unwrap();
    assert_eq!(
        invoke(&window, "connector_list", json!({})).unwrap(),
        json!([])
    );
    assert!(secrets.get(&SecretKey::connector(id)).unwrap().is_none());
}

#[test]
fn a_validation_error_reaches_the_ui_as_code_message_and_fields() {
    let (_app, window, _) = window();
    let org = invoke(
        &window,
        "org_create",
        json!({ "draft": { "name": "Grand Hotel" } }),
    )
    .unwrap();
    let draft = whatsapp_draft(org["id"].as_str().unwrap(), "AC123");
    let error = invoke(
        &window,
        "connector_create",
        json!({ "draft": draft.clone() }),
    )
    .unwrap_err();
    assert_eq!(error["code"], "validation");
    assert_eq!(error["fields"][0]["field"], "settings.accountSid");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("starts with AC")
    );
    assert!(
        !error.to_string().contains("tw-auth-token"),
        "no secret in errors"
    );
    assert_eq!(
        invoke(&window, "connector_list", json!({})).unwrap(),
        json!([]),
        "nothing saved"
    );

    let as_typed = invoke(&window, "connector_validate", json!({ "draft": draft })).unwrap();
    assert_eq!(as_typed[0]["field"], "settings.accountSid");
}

#[test]
fn an_unknown_connector_is_not_found() {
    let (_app, window, _) = window();
    let error = invoke(&window, "connector_get", json!({ "id": "nope" })).unwrap_err();
    assert_eq!(
        error,
        json!({
            "code": "not_found",
            "message": "Connector 'nope' was not found",
            "fields": [],
            "provider": null
        })
    );
}

#[test]
fn try_the_sandbox_creates_a_working_demo_that_survives_a_relaunch() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemorySecretStore::default());
    let open = || {
        let core = Switchboard::new(
            Store::open(&dir.path().join("switchboard.db")).unwrap(),
            secrets.clone(),
        );
        window_on(AppState::with_core(core, dir.path()))
    };
    let (_first_app, first) = open();
    let demo = invoke(&first, "sandbox_try", json!({})).unwrap();
    assert_eq!(demo["organization"]["name"], "Sandbox demo");
    let connectors = demo["connectors"].as_array().unwrap();
    let kinds: Vec<String> = connectors
        .iter()
        .map(|c| format!("{}/{}", c["kind"], c["provider"]).replace('"', ""))
        .collect();
    assert_eq!(
        kinds,
        ["whatsapp/twilio", "sms/twilio", "sms/telnyx", "sms/46elks"]
    );
    for connector in connectors {
        assert_eq!(connector["state"], "active", "{connector}");
    }
    let url = demo["sandboxUrl"].as_str().unwrap().to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert_eq!(
        invoke(&first, "app_status", json!({})).unwrap()["sandboxUrl"],
        url
    );
    // The demo works end to end: activate the WhatsApp sender, set its webhook (to the sandbox's
    // stand-in inbound service), and an inbound message reaches it.
    let whatsapp = connectors[0]["id"].as_str().unwrap();
    let numbers = invoke(
        &first,
        "numbers_refresh",
        json!({ "connectorId": whatsapp }),
    )
    .unwrap();
    assert!(numbers["numbers"].as_array().unwrap().len() > 1);
    let online = "+14155550101";
    invoke(
        &first,
        "numbers_set_active",
        json!({ "connectorId": whatsapp, "numbers": [online], "active": true }),
    )
    .unwrap();
    let job = invoke(
        &first,
        "webhook_set",
        json!({ "connectorId": whatsapp, "numbers": [online] }),
    )
    .unwrap();
    assert_eq!(job["items"][0]["outcome"], "changed", "{job}");
    let listed = invoke(&first, "numbers_list", json!({ "connectorId": whatsapp })).unwrap();
    let sender = listed["numbers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["e164"] == online)
        .unwrap();
    assert_eq!(sender["webhookState"], "configured", "{sender}");
    let delivered = tauri::async_runtime::block_on(async {
        reqwest::Client::new()
            .post(format!("{url}/_sandbox/inbound"))
            .json(&json!({ "to": format!("whatsapp:{online}"), "from": "whatsapp:+46701234567", "body": "Hi" }))
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap()
    });
    assert_eq!(delivered["status"], 200, "{delivered}");

    let again = invoke(&first, "sandbox_try", json!({})).unwrap_err();
    assert!(
        again["message"]
            .as_str()
            .unwrap()
            .contains("exists already")
    );

    // Relaunch while the first sandbox still holds its port: the demo moves to a new port with
    // the same credentials, and its connectors still pass their check.
    let (_second_app, second) = open();
    invoke(&second, "app_status", json!({})).unwrap();
    let state = _second_app.state::<AppState>();
    state.resume_sandbox();
    let moved = state.sandbox_url().unwrap();
    assert_ne!(moved, url);
    let id = connectors[2]["id"].as_str().unwrap();
    let checked = invoke(&second, "connector_check", json!({ "id": id })).unwrap();
    assert_eq!(checked["state"], "active", "{checked}");
    assert_eq!(checked["settings"]["baseUrl"], format!("{moved}/telnyx"));
}

#[test]
fn make_run_opens_on_the_sandbox_only_when_no_account_is_configured() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemorySecretStore::default());
    let core = Switchboard::new(
        Store::open(&dir.path().join("switchboard.db")).unwrap(),
        secrets,
    );
    let (app, window) = window_on(AppState::with_core(core, dir.path()));
    let state = app.state::<AppState>();
    assert!(state.open_on_sandbox_if_empty());
    let connectors = invoke(&window, "connector_list", json!({})).unwrap();
    assert_eq!(connectors.as_array().unwrap().len(), 4);
    assert!(
        connectors
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["state"] == "active")
    );
    assert!(!state.open_on_sandbox_if_empty(), "connectors exist now");
    assert_eq!(
        invoke(&window, "connector_list", json!({}))
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        4
    );
}
