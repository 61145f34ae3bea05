//! Configuration export and import through Tauri's IPC on the mock runtime, as the organization
//! page calls them.

use serde_json::{Value, json};
use switchboard_core::{SecretKey, SecretStore};

use crate::ipc_support::TestApp;

#[test]
fn an_exported_configuration_is_previewed_and_applied_in_another_app() {
    let dirs = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (source, _) = TestApp::in_memory(dirs.0.path());
    let org = source
        .invoke(
            "org_create",
            json!({ "draft": { "name": "Grand Hotel", "inboundBaseUrl": null } }),
        )
        .unwrap();
    source.invoke(
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
    let export = source
        .invoke("config_export", json!({ "orgId": org["id"] }))
        .unwrap();
    assert_eq!(export["fileName"], "switchboard-config-grand-hotel.json");
    let text = export["json"].as_str().unwrap();
    assert!(!text.contains("KEY-telnyx-5ecret"));

    let (target, secrets) = TestApp::in_memory(dirs.1.path());
    let preview = target
        .invoke(
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

    let applied = target
        .invoke(
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
    let error = target
        .invoke(
            "config_import_preview",
            json!({ "orgId": null, "json": newer }),
        )
        .unwrap_err();
    assert_eq!(error["code"], "validation");
    assert_eq!(error["fields"][0]["field"], "version");
}
