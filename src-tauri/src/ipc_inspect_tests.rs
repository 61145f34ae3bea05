//! The webhook inspector over IPC on Tauri's mock runtime: a pasted request explained, and the
//! listener started (loopback only unless confirmed), receiving, listed and stopped.

use serde_json::json;

use crate::ipc_support::TestApp;

#[test]
fn a_pasted_request_is_explained_and_the_listener_receives_and_stops() {
    let data_dir = tempfile::tempdir().unwrap();
    let (app, _) = TestApp::in_memory(data_dir.path());

    let report = app
        .invoke(
            "inspector_explain",
            json!({ "request": { "url": "https://hooks.example/inbound/gone/t0ken", "body": "" } }),
        )
        .unwrap();
    assert_eq!(report["valid"], false);
    assert_eq!(report["reasons"][0]["code"], "unknown_connector");
    assert!(!report.to_string().contains("t0ken"), "{report}");

    let status = app.invoke("inspector_status", json!({})).unwrap();
    assert_eq!(status["running"], false);
    let refused = app
        .invoke(
            "inspector_start",
            json!({ "bind": "0.0.0.0", "port": 0, "allowRemote": false }),
        )
        .unwrap_err();
    assert_eq!(refused["code"], "validation", "{refused}");

    let status = app
        .invoke(
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

    let status = app.invoke("inspector_status", json!({})).unwrap();
    assert_eq!(status["counts"]["refused"], 1, "{status}");
    assert_eq!(status["recent"][0]["answered"], 403);
    assert_eq!(
        status["recent"][0]["report"]["reasons"][0]["code"],
        "unknown_connector"
    );

    let status = app.invoke("inspector_stop", json!({})).unwrap();
    assert_eq!(status["running"], false);
    let after = tauri::async_runtime::block_on(
        reqwest::Client::new()
            .post(format!("{url}/inbound/gone/t0ken"))
            .send(),
    );
    assert!(after.is_err(), "the listener still answers after stop");
}
