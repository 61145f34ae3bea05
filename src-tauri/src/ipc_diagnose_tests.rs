//! A diagnosis over IPC on Tauri's mock runtime: each finding pushed over the `Channel`
//! `diagnosis_run` takes, the run stored, and a support bundle written into the data folder.

use serde_json::json;

use crate::ipc_support::{TestApp, channel};

#[test]
fn a_diagnosis_pushes_each_finding_and_a_bundle_lands_in_the_exports_folder() {
    let data_dir = tempfile::tempdir().unwrap();
    let (app, _) = TestApp::in_memory(data_dir.path());
    let demo = app.invoke("sandbox_try", json!({})).unwrap();
    let sms = demo["connectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "sms" && c["settings"]["provider"] == "twilio")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let run = app
        .invoke(
            "diagnosis_run",
            json!({ "connectorId": sms, "onFinding": channel() }),
        )
        .unwrap();
    let pushed = app.pushed();
    assert_eq!(
        pushed,
        run["findings"].as_array().unwrap().clone(),
        "each finding, in order"
    );
    let credentials = pushed.iter().find(|f| f["id"] == "credentials").unwrap();
    assert_eq!(credentials["severity"], "ok");
    let last = app
        .invoke("diagnosis_last", json!({ "connectorId": sms }))
        .unwrap();
    assert_eq!(last["id"], run["id"]);

    let bundle = app
        .invoke("support_bundle_create", json!({ "connectorId": sms }))
        .unwrap();
    let path = std::path::PathBuf::from(bundle["path"].as_str().unwrap());
    assert!(
        path.starts_with(data_dir.path().join("exports")),
        "{path:?}"
    );
    assert!(std::fs::read(&path).unwrap().starts_with(b"PK"));
    // A second bundle of the same run is a new file: the first one stays as it was.
    let first_bytes = std::fs::read(&path).unwrap();
    let again = app
        .invoke("support_bundle_create", json!({ "connectorId": sms }))
        .unwrap();
    let again = std::path::PathBuf::from(again["path"].as_str().unwrap());
    assert_ne!(again, path, "a bundle never overwrites an earlier one");
    assert_eq!(std::fs::read(&path).unwrap(), first_bytes);
    assert!(std::fs::read(&again).unwrap().starts_with(b"PK"));

    // The error log and the configuration land there too, each export a new file.
    let org = demo["organization"]["id"].as_str().unwrap().to_owned();
    let first = app
        .invoke("log_export", json!({ "filter": { "orgId": org } }))
        .unwrap();
    let second = app
        .invoke("log_export", json!({ "filter": { "orgId": org } }))
        .unwrap();
    let (first, second) = (
        std::path::PathBuf::from(first["path"].as_str().unwrap()),
        std::path::PathBuf::from(second["path"].as_str().unwrap()),
    );
    assert_eq!(
        first.parent(),
        Some(data_dir.path().join("exports").as_path())
    );
    assert_ne!(first, second, "an export never overwrites an earlier one");
    let csv = std::fs::read_to_string(&second).unwrap();
    assert!(csv.starts_with("time,level,action,"), "{csv}");
    let config = app
        .invoke("config_export_save", json!({ "orgId": org }))
        .unwrap();
    let config = std::fs::read_to_string(config["path"].as_str().unwrap()).unwrap();
    assert!(config.contains("\"switchboard-config\""), "{config}");
}
