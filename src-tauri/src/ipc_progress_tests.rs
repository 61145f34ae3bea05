//! A bulk job's progress reaches the UI over the `Channel` it passes, on Tauri's mock runtime.

use serde_json::{Value, json};

use crate::ipc_support::{TestApp, channel};

#[test]
fn a_bulk_set_pushes_its_progress_over_the_channel() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = TestApp::in_memory(dir.path());
    let pushed = &app.pushed;
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
    app.invoke("numbers_refresh", json!({ "connectorId": sms }))
        .unwrap();
    let chosen = ["+14155550101", "+14155550103"];
    app.invoke(
        "numbers_set_active",
        json!({ "connectorId": sms, "numbers": chosen, "active": true }),
    )
    .unwrap();

    let job = app
        .invoke(
            "webhook_set",
            json!({ "connectorId": sms, "numbers": chosen, "onProgress": channel() }),
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
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = TestApp::in_memory(dir.path());
    let pushed = &app.pushed;
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
    let attempt = app
        .invoke(
            "message_send",
            json!({
                "connectorId": sms,
                "request": {"to": "+46 70 123 45 67", "text": "Your room is ready"},
                "onProgress": channel(),
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
    let stats = app
        .invoke("message_stats", json!({ "connectorId": sms, "days": 30 }))
        .unwrap();
    assert_eq!(stats["totalSent"], 1);
    let page = app.invoke("log_list", json!({ "filter": {} })).unwrap();
    assert!(page["entries"].as_array().unwrap().is_empty(), "{page}");
}
