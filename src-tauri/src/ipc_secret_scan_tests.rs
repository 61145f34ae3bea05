//! The all-feature secret scan: the app driven over IPC through every feature (the demo's
//! connectors of every provider, an Email connector on a real SMTP server, sends, a backup email,
//! a bulk webhook set and its rollback, diagnose, a support bundle, the configuration and log
//! exports), then every place a secret could leak scanned for every secret and token used: the
//! SQLite file with its WAL, every file in the data and exports folders (zips opened), every log
//! line, every IPC response and every message pushed over a channel.
//!
//! core's `the_support_bundle_holds_no_secret_token_or_unmasked_identifier` checks the bundle's
//! masking in depth; this one checks that no other path carries a secret out.

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::{Value, json};

use crate::ipc_support::{TestApp, WatchedSecrets, channel};
use crate::{Keychain, Launch, Startup};

#[path = "../../crates/core/tests/support/mail_server.rs"]
mod mail_server;

/// Every log line the process writes, at debug and finer for Switchboard's own crates.
#[derive(Clone, Default)]
struct LogLines(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogLines {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn log_lines() -> &'static LogLines {
    static LINES: OnceLock<LogLines> = OnceLock::new();
    LINES.get_or_init(|| {
        let lines = LogLines::default();
        let writer = lines.clone();
        // The most a support engineer would turn on (SWITCHBOARD_LOG), for every crate.
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(
                "debug,switchboard_core=trace,switchboard_providers=trace,\
                 switchboard_app=trace,switchboard_sandbox=trace",
            ))
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .try_init();
        lines
    })
}

/// The app over IPC with every answer kept.
struct Recorded {
    app: TestApp,
    answers: Mutex<Vec<(String, String)>>,
}

impl Recorded {
    fn call(&self, command: &str, body: Value) -> Result<Value, Value> {
        let answer = self.app.invoke(command, body);
        let text = match &answer {
            Ok(value) | Err(value) => value.to_string(),
        };
        self.answers
            .lock()
            .unwrap()
            .push((command.to_owned(), text));
        answer
    }

    fn ok(&self, command: &str, body: Value) -> Value {
        self.call(command, body)
            .unwrap_or_else(|error| panic!("{command}: {error}"))
    }
}

/// Every file under `dir`, a zip's entries as files of their own.
fn files_under(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack: Vec<PathBuf> = vec![dir.to_owned()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let name = path.display().to_string();
            if path.extension().is_some_and(|e| e == "zip") {
                let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
                for i in 0..archive.len() {
                    let mut file = archive.by_index(i).unwrap();
                    let mut inner = Vec::new();
                    file.read_to_end(&mut inner).unwrap();
                    files.push((format!("{name}!{}", file.name()), inner));
                }
            }
            files.push((name, bytes));
        }
    }
    files
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    !needle.is_empty()
        && haystack
            .windows(needle.len())
            .any(|window| window == needle.as_bytes())
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The secret as it would travel: itself, and Basic auth's base64 of `user:secret`.
fn forms(secret: &str, users: &[String]) -> Vec<String> {
    let mut forms = vec![secret.to_owned()];
    for user in users {
        forms.push(base64(format!("{user}:{secret}").as_bytes()));
    }
    forms
}

#[test]
fn no_secret_or_token_leaves_the_keychain_through_any_feature() {
    let logs = log_lines();
    let mail = mail_server::MailServer::start();
    let dir = tempfile::tempdir().unwrap();
    let downloads = dir.path().join("downloads");
    let secrets = Arc::new(WatchedSecrets::default());
    let app = Recorded {
        app: TestApp::launch(Launch::Startup(Startup {
            data_dir: Some(dir.path().join("data")),
            keychain: Keychain::Given(secrets.clone()),
            sandbox_auto: false,
            download_dir: Some(downloads.clone()),
            updates_off: true,
        })),
        answers: Mutex::default(),
    };

    // The demo: Twilio (WhatsApp and SMS), Telnyx and 46elks on the in-app emulator.
    let demo = app.ok("sandbox_try", json!({}));
    let org = demo["organization"]["id"].as_str().unwrap().to_owned();
    let connectors: Vec<Value> = demo["connectors"].as_array().unwrap().clone();
    assert_eq!(connectors.len(), 4);

    // An Email connector on a real SMTP server, for the backup email.
    let email = app.ok(
        "connector_create",
        json!({ "draft": {
            "orgId": org, "kind": "email", "name": "Hotel mail",
            "settings": {
                "provider": "smtp", "host": "127.0.0.1", "port": mail.port("plain"),
                "security": "none", "username": mail_server::LOGIN,
                "from": "frontdesk@hotel.example"
            },
            "secret": mail_server::PASSWORD
        } }),
    );
    assert_eq!(email["state"], "active", "{email}");

    // The Twilio SMS connector gets a recipient with a backup email; a send to it that the
    // provider refuses goes by email.
    let sms = &connectors[1];
    let sms_id = sms["id"].as_str().unwrap().to_owned();
    let refused = "+15005550001";
    let mut draft = json!({
        "orgId": org, "kind": sms["kind"], "name": sms["name"], "settings": sms["settings"],
        "recipients": [{ "number": refused, "backupEmail": "night@hotel.example" }],
        "receiveInbound": true
    });
    app.ok(
        "connector_update",
        json!({ "id": sms_id, "draft": draft.take() }),
    );

    let mut jobs = Vec::new();
    for connector in &connectors {
        let id = connector["id"].as_str().unwrap();
        app.ok("connector_check", json!({ "id": id }));
        app.ok("numbers_refresh", json!({ "connectorId": id }));
        let numbers = app.ok(
            "numbers_page",
            json!({ "connectorId": id, "offset": 0, "limit": 1000 }),
        );
        let all: Vec<String> = numbers["numbers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["e164"].as_str().unwrap().to_owned())
            .collect();
        assert!(!all.is_empty(), "{numbers}");
        app.ok(
            "numbers_set_active",
            json!({ "connectorId": id, "numbers": all, "active": true }),
        );
        app.ok("webhook_url", json!({ "connectorId": id }));
        app.ok("webhook_plan", json!({ "connectorId": id, "numbers": all }));
        let job = app.ok(
            "webhook_set",
            json!({ "connectorId": id, "numbers": all, "onProgress": channel() }),
        );
        jobs.push(job["id"].as_str().unwrap().to_owned());
        app.ok("numbers_active", json!({ "connectorId": id }));
        app.ok("drift_report", json!({ "connectorId": id }));
        let _ = app.call("senders_list", json!({ "connectorId": id }));
        let _ = app.call(
            "message_templates",
            json!({ "connectorId": id, "all": true }),
        );
        let from = connector["settings"]["from"].clone();
        let to = if connector["kind"] == "whatsapp" {
            "+46701234567"
        } else {
            refused
        };
        let _ = app.call(
            "message_send",
            json!({ "connectorId": id, "onProgress": channel(),
                    "request": { "from": from, "to": to, "text": "Your room is ready" } }),
        );
        let _ = app.call(
            "message_send",
            json!({ "connectorId": id, "onProgress": channel(),
                    "request": { "from": from, "to": "+46701234567", "text": "Welcome" } }),
        );
        let _ = app.call("messages_sync", json!({ "connectorId": id }));
        app.ok(
            "messages_imported",
            json!({ "connectorId": id, "limit": 50 }),
        );
        app.ok("message_list", json!({ "connectorId": id, "filter": {} }));
        app.ok("message_stats", json!({ "connectorId": id, "days": 7 }));
        app.ok("webhook_jobs", json!({ "connectorId": id }));
        app.ok("connector_events", json!({ "id": id }));
        app.ok(
            "diagnosis_run",
            json!({ "connectorId": id, "onFinding": channel() }),
        );
        app.ok("diagnosis_last", json!({ "connectorId": id }));
        app.ok("support_bundle_create", json!({ "connectorId": id }));
        app.ok("connector_get", json!({ "id": id }));
    }
    // A bulk set undone, and a webhook token replaced.
    app.ok(
        "webhook_rollback",
        json!({ "jobId": jobs[0], "onProgress": channel() }),
    );
    app.ok("webhook_regenerate", json!({ "connectorId": sms_id }));
    let received = mail.received();
    assert_eq!(received.len(), 1, "the backup email went: {received:?}");

    app.ok("connector_check", json!({ "id": email["id"] }));
    app.ok(
        "diagnosis_run",
        json!({ "connectorId": email["id"], "onFinding": channel() }),
    );
    app.ok("connector_list", json!({}));
    app.ok("org_list", json!({}));
    app.ok("audit_list", json!({ "orgId": org, "filter": {} }));
    app.ok("log_list", json!({ "filter": {} }));
    app.ok("log_export", json!({ "filter": {} }));
    let export = app.ok("config_export", json!({ "orgId": org }));
    app.ok("config_export_save", json!({ "orgId": org }));
    app.ok(
        "config_import_preview",
        json!({ "orgId": org, "json": export["json"] }),
    );
    app.ok("app_status", json!({}));

    // Every secret the keychain was given, and the webhook tokens of every connector's URL.
    let stored = secrets.stored();
    assert!(stored.len() >= 5, "{} secrets", stored.len());
    let users: Vec<String> = connectors
        .iter()
        .filter_map(|c| {
            c["settings"]["accountSid"]
                .as_str()
                .or(c["settings"]["username"].as_str())
                .map(str::to_owned)
        })
        .chain([mail_server::LOGIN.to_owned()])
        .collect();
    let mut needles: Vec<(String, String)> = Vec::new();
    for secret in &stored {
        for form in forms(secret, &users) {
            needles.push(("keychain secret".to_owned(), form));
        }
    }
    let mut tokens = Vec::new();
    for connector in connectors.iter().chain([&email]) {
        if let Ok(url) = app
            .app
            .invoke("webhook_url", json!({ "connectorId": connector["id"] }))
            && let Some(url) = url["url"].as_str()
        {
            tokens.push(url.rsplit('/').next().unwrap().to_owned());
        }
    }
    assert!(!tokens.is_empty());

    let mut hits = Vec::new();
    let mut scan = |place: &str, bytes: &[u8], with_tokens: bool| {
        for (what, needle) in &needles {
            if contains(bytes, needle) {
                hits.push(format!("{place} holds a {what}"));
            }
        }
        if with_tokens {
            for token in &tokens {
                if contains(bytes, token) {
                    hits.push(format!("{place} holds a webhook token"));
                }
            }
        }
    };
    // The webhook tokens are the inbound URL's own: the database keeps them to check inbound
    // requests and the UI shows them (below). No other file, export, bundle or log line.
    let mut scanned = 0;
    for (name, bytes) in files_under(&dir.path().join("data")) {
        let database = name.contains("switchboard.db");
        scan(&name, &bytes, !database);
        scanned += 1;
    }
    let exports = files_under(&downloads);
    assert!(
        exports.iter().filter(|(n, _)| n.ends_with(".zip")).count() == 4 && exports.len() >= 6,
        "bundles and exports: {:?}",
        exports.iter().map(|(n, _)| n).collect::<Vec<_>>()
    );
    for (name, bytes) in &exports {
        scan(name, bytes, true);
        scanned += 1;
    }
    // The UI shows where each number's webhook points (the connector's own inbound URL, token
    // included, what the user copies into a provider's console): answers may carry webhook
    // tokens, never a keychain secret.
    for (command, text) in app.answers.lock().unwrap().iter() {
        scan(&format!("the answer of {command}"), text.as_bytes(), false);
    }
    for pushed in app.app.pushed() {
        scan(
            "a message pushed over a channel",
            pushed.to_string().as_bytes(),
            true,
        );
    }
    let lines = logs.0.lock().unwrap().clone();
    assert!(!lines.is_empty(), "the logs were captured");
    scan("the log", &lines, true);
    std::io::stderr().flush().unwrap();
    hits.sort();
    hits.dedup();
    assert!(
        hits.is_empty(),
        "{} leaks in {scanned} files, {} answers and {} log bytes:\n{}",
        hits.len(),
        app.answers.lock().unwrap().len(),
        lines.len(),
        hits.join("\n")
    );
}
