//! Issue 12 §1 over IPC: the update setting (stored in SQLite, off in tests by the environment,
//! never a request then), and the log file with no secret in it after saving credentials.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Value, json};
use switchboard_core::{MemorySecretStore, SecretKey, SecretStore, Switchboard};
use tauri::Manager as _;
use tauri::test::mock_builder;

use crate::commands::updates::UpdatesState;
use crate::ipc_support::TestApp;
use crate::{Keychain, Launch, Startup};

fn startup(dir: &Path, secrets: &Arc<MemorySecretStore>, updates_off: bool) -> Launch {
    Launch::Startup(Startup {
        data_dir: Some(dir.to_owned()),
        keychain: Keychain::Given(secrets.clone()),
        sandbox_auto: false,
        download_dir: Some(dir.join("downloads")),
        updates_off,
    })
}

/// Installs an updater that counts how often it is asked for (and fails without any request).
fn counting_updater(app: &TestApp) -> Arc<AtomicUsize> {
    let asked = Arc::new(AtomicUsize::new(0));
    let counter = asked.clone();
    app.window.state::<UpdatesState>().set_updater(
        Arc::new(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            Err("no feed in tests".to_owned())
        }),
        Arc::new(|| {}),
    );
    asked
}

#[test]
fn the_update_check_setting_is_stored_and_the_environment_turns_every_check_off() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemorySecretStore::default());
    let app = TestApp::launch(startup(dir.path(), &secrets, true));
    let asked = counting_updater(&app);

    let settings = app.invoke("updates_settings", json!({})).unwrap();
    assert_eq!(settings["checkOnLaunch"], true, "{settings}");
    assert_eq!(settings["disabledByEnvironment"], true);
    assert_eq!(settings["currentVersion"], env!("CARGO_PKG_VERSION"));

    let turned = app
        .invoke("updates_set_check_on_launch", json!({ "enabled": false }))
        .unwrap();
    assert_eq!(turned["checkOnLaunch"], false);
    // Stored in SQLite: the CLI (another process on the same file) reads the same setting.
    let cli = Switchboard::open_with_secrets(dir.path(), secrets.clone()).unwrap();
    assert!(!cli.update_check_enabled().unwrap());

    // SWITCHBOARD_UPDATES=off: "Check for updates" answers without asking the feed.
    let refused = app.invoke("updates_check", json!({})).unwrap_err();
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("SWITCHBOARD_UPDATES=off"),
        "{refused}"
    );
    assert!(app.invoke("updates_install", json!({})).is_err());
    assert_eq!(
        asked.load(Ordering::SeqCst),
        0,
        "no update request in tests"
    );
}

#[test]
fn without_the_environment_switch_a_check_asks_the_updater_and_says_why_it_failed() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemorySecretStore::default());
    // Without Tauri's setup, so no check on launch runs beside this one.
    let app = TestApp::launch(Launch::State(crate::AppState::open(
        dir.path(),
        secrets.clone(),
    )));
    let asked = counting_updater(&app);
    let settings = app.invoke("updates_settings", json!({})).unwrap();
    assert_eq!(settings["disabledByEnvironment"], false);
    let failed = app.invoke("updates_check", json!({})).unwrap_err();
    assert!(
        failed["message"]
            .as_str()
            .unwrap()
            .contains("no feed in tests"),
        "{failed}"
    );
    assert_eq!(asked.load(Ordering::SeqCst), 1);
}

fn read_logs(dir: &Path) -> String {
    let mut all = String::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        all.push_str(&std::fs::read_to_string(&path).unwrap_or_default());
    }
    all
}

/// The log plugin as the app configures it (here at debug, stricter than the default info, and
/// into a folder of the test's): after the sandbox demo, a connector saved with a secret, its
/// secret replaced, its webhook URL regenerated, and a support bundle, no secret and no webhook
/// token is anywhere in the log files.
// The log plugin sets the process's one `log` logger, and the secret scan's capture sets the
// one tracing dispatcher: in one test process, whichever starts first takes it from the other.
// So this test runs in a process of its own: `make rust-test` runs it alone after the others.
#[test]
#[ignore = "sets the process's global logger; `make rust-test` runs it alone"]
fn no_secret_reaches_the_log_file_after_saving_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    let secrets = Arc::new(MemorySecretStore::default());
    let plugin = crate::plugins::log_builder(Some("debug"))
        .target(tauri_plugin_log::Target::new(
            tauri_plugin_log::TargetKind::Folder {
                path: logs.clone(),
                file_name: Some(crate::plugins::LOG_FILE_NAME.to_owned()),
            },
        ))
        .build();
    let app = TestApp::launch_on(
        mock_builder().plugin(plugin),
        startup(&dir.path().join("data"), &secrets, true),
    );

    let demo = app.invoke("sandbox_try", json!({})).unwrap();
    let org_id = demo["organization"]["id"].as_str().unwrap().to_owned();
    let sandbox = demo["sandboxUrl"].as_str().unwrap().to_owned();
    let first_secret = "sb-first-Secret-0123456789abcdef";
    let draft = |secret: &str| {
        json!({
            "orgId": org_id,
            "kind": "sms",
            "name": "Front desk SMS",
            "settings": {
                "provider": "twilio",
                "accountSid": "AC0123456789abcdef0123456789abcdef",
                "from": "+46 70 123 45 67",
                "baseUrl": format!("{sandbox}/twilio")
            },
            "recipients": [],
            "receiveInbound": true,
            "secret": secret
        })
    };
    let created = app
        .invoke("connector_create", json!({ "draft": draft(first_secret) }))
        .unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    let second_secret = "sb-second-Secret-fedcba9876543210";
    let updated = app.invoke(
        "connector_update",
        json!({ "id": id, "draft": draft(second_secret) }),
    );
    assert!(updated.is_ok(), "{updated:?}");
    app.invoke("webhook_regenerate", json!({ "connectorId": id }))
        .unwrap();
    let whatsapp = demo["connectors"][0]["id"].as_str().unwrap().to_owned();
    let bundle = app.invoke("support_bundle_create", json!({ "connectorId": whatsapp }));
    assert!(bundle.is_ok(), "{bundle:?}");

    let mut forbidden = vec![first_secret.to_owned(), second_secret.to_owned()];
    let connectors = app.invoke("connector_list", json!({})).unwrap();
    for connector in connectors.as_array().unwrap() {
        let id = connector["id"].as_str().unwrap();
        if let Some(secret) = secrets.get(&SecretKey::connector(id)).unwrap() {
            forbidden.push(secret.expose().clone());
        }
        let url: Value = app
            .invoke("webhook_url", json!({ "connectorId": id }))
            .unwrap();
        if let Some(url) = url["url"].as_str() {
            forbidden.push(url.rsplit('/').next().unwrap().to_owned());
        }
    }
    assert!(forbidden.len() >= 6, "{forbidden:?}");
    // The sandbox's admin token is a secret too.
    forbidden.extend(app.window.state::<crate::AppState>().demo().admin_token());

    let text = read_logs(&logs);
    assert!(
        text.contains("sandbox running"),
        "tracing's events reach the log file: {text}"
    );
    for secret in &forbidden {
        assert!(!text.contains(secret.as_str()), "the log holds a secret");
    }
}
