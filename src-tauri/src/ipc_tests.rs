//! The commands through Tauri's IPC on the mock runtime: what the UI sends and gets back.

use std::path::Path;
use std::sync::Arc;

use serde_json::{Value, json};
use switchboard_core::{MemorySecretStore, SecretKey, SecretStore, Store, Switchboard};
use tauri::test::MockRuntime;
use tauri::{Manager as _, WebviewWindow};

use crate::ipc_support::{TestApp, invoke};
use crate::{AppState, Keychain, Launch, Startup};

fn window() -> (TestApp, WebviewWindow<MockRuntime>, Arc<MemorySecretStore>) {
    let secrets = Arc::new(MemorySecretStore::default());
    let core = Switchboard::new(Store::open_in_memory().unwrap(), secrets.clone());
    let (app, window) = window_on(AppState::with_core(core, Path::new(":memory:")));
    (app, window, secrets)
}

fn window_on(state: AppState) -> (TestApp, WebviewWindow<MockRuntime>) {
    launch(Launch::State(state))
}

/// The app as it starts for real: Tauri's setup reads `startup` (what the environment says),
/// opens the data folder and the keychain, and brings the demo back.
fn launch(launch: Launch) -> (TestApp, WebviewWindow<MockRuntime>) {
    let app = TestApp::launch(launch);
    let window = app.window.clone();
    (app, window)
}

fn startup(dir: &Path, secrets: &Arc<MemorySecretStore>, sandbox_auto: bool) -> Launch {
    Launch::Startup(Startup {
        data_dir: Some(dir.to_owned()),
        keychain: Keychain::Given(secrets.clone()),
        sandbox_auto,
        download_dir: Some(dir.join("downloads")),
        updates_off: true,
    })
}

const SID: &str = "AC0123456789abcdef0123456789abcdef";

fn whatsapp_draft(org_id: &str, sid: &str) -> Value {
    json!({
        "orgId": org_id,
        "kind": "whatsapp",
        "name": "Front desk",
        // Port 9 (discard) on this machine refuses: the check fails without leaving loopback.
        "settings": {
            "provider": "twilio",
            "accountSid": sid,
            "from": "+46 70 123 45 67",
            "baseUrl": "http://127.0.0.1:9"
        },
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

/// A request the stand-in inbound service received.
struct Received {
    path: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// A hotel's inbound service on this machine that takes one webhook, answers empty TwiML and
/// hands over what it got, so the test can check it rather than trust a sink that takes anything.
fn inbound_service() -> (String, std::sync::mpsc::Receiver<Received>) {
    use std::io::{BufRead, BufReader, Read, Write};

    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (sender, received) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let path = line.split_whitespace().nth(1).unwrap().to_owned();
        let mut headers = Vec::new();
        loop {
            let mut header = String::new();
            reader.read_line(&mut header).unwrap();
            let Some((name, value)) = header.trim_end().split_once(':') else {
                break;
            };
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
        let length = headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
            .map_or(0, |(_, value)| value.parse().unwrap());
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let reply = r#"<?xml version="1.0" encoding="UTF-8"?><Response></Response>"#;
        write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}",
            reply.len()
        )
        .unwrap();
        sender
            .send(Received {
                path,
                headers,
                body: String::from_utf8(body).unwrap(),
            })
            .unwrap();
    });
    (url, received)
}

/// A call to the admin API (`/_sandbox/…`) of the demo's sandbox, with the token only the app
/// knows.
fn sandbox_admin(window: &WebviewWindow<MockRuntime>, path: &str, body: Value) -> Value {
    let demo = window.state::<AppState>();
    let (url, token) = (
        demo.demo().url().unwrap(),
        demo.demo().admin_token().unwrap(),
    );
    tauri::async_runtime::block_on(async {
        reqwest::Client::new()
            .post(format!("{url}/_sandbox/{path}"))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap()
    })
}

/// Activates the demo's online WhatsApp sender and sets its webhook; returns its number.
fn set_up_whatsapp_sender(window: &WebviewWindow<MockRuntime>, whatsapp: &str) -> &'static str {
    let refreshed = invoke(
        window,
        "numbers_refresh",
        json!({ "connectorId": whatsapp }),
    )
    .unwrap();
    // The refresh says how many; the rows are read a page at a time.
    assert!(refreshed["total"].as_u64().unwrap() > 1, "{refreshed}");
    assert_eq!(refreshed["freshness"]["stale"], false);
    assert!(refreshed.get("numbers").is_none(), "{refreshed}");
    let online = "+14155550101";
    invoke(
        window,
        "numbers_set_active",
        json!({ "connectorId": whatsapp, "numbers": [online], "active": true }),
    )
    .unwrap();
    let job = invoke(
        window,
        "webhook_set",
        json!({ "connectorId": whatsapp, "numbers": [online], "onProgress": "__CHANNEL__:7" }),
    )
    .unwrap();
    assert_eq!(job["items"][0]["outcome"], "changed", "{job}");
    // The sender is active, so the pickers' list holds it, with the webhook read back.
    let listed = invoke(window, "numbers_active", json!({ "connectorId": whatsapp })).unwrap();
    let sender = listed["numbers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["e164"] == online)
        .unwrap();
    assert_eq!(sender["webhookState"], "configured", "{sender}");
    online
}

#[test]
fn try_the_sandbox_creates_a_working_demo_that_survives_a_relaunch() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemorySecretStore::default());
    let (_first_app, first) = launch(startup(dir.path(), &secrets, false));
    assert_eq!(
        invoke(&first, "app_status", json!({})).unwrap()["sandboxUrl"],
        Value::Null,
        "nothing runs before the user asks"
    );
    let demo = invoke(&first, "sandbox_try", json!({})).unwrap();
    assert_eq!(demo["organization"]["name"], "Sandbox demo");
    let connectors = demo["connectors"].as_array().unwrap();
    let kinds: Vec<String> = connectors
        .iter()
        .map(|c| format!("{}/{}", c["kind"], c["settings"]["provider"]).replace('"', ""))
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
    // The demo works end to end: its sender's webhook points at the sandbox's stand-in inbound
    // service, and an inbound message reaches it.
    let whatsapp = connectors[0]["id"].as_str().unwrap();
    let online = set_up_whatsapp_sender(&first, whatsapp);
    let delivered = sandbox_admin(
        &first,
        "inbound",
        json!({ "to": format!("whatsapp:{online}"), "from": "whatsapp:+46701234567", "body": "Hi" }),
    );
    assert_eq!(delivered["status"], 200, "{delivered}");

    let again = invoke(&first, "sandbox_try", json!({})).unwrap_err();
    assert!(
        again["message"]
            .as_str()
            .unwrap()
            .contains("exists already")
    );

    // Relaunch while the first sandbox still holds its port: the app's own startup brings the
    // sandbox back on a new port with the same credentials, and the demo follows it.
    let (_second_app, second) = launch(startup(dir.path(), &secrets, false));
    let moved = invoke(&second, "app_status", json!({})).unwrap()["sandboxUrl"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(moved, url);
    let id = connectors[2]["id"].as_str().unwrap();
    let checked = invoke(&second, "connector_check", json!({ "id": id })).unwrap();
    assert_eq!(checked["state"], "active", "{checked}");
    assert_eq!(checked["settings"]["baseUrl"], format!("{moved}/telnyx"));
}

#[test]
fn an_inbound_message_arrives_on_the_connectors_token_url_signed_with_its_auth_token() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemorySecretStore::default());
    let (_app, window) = launch(startup(dir.path(), &secrets, false));
    let demo = invoke(&window, "sandbox_try", json!({})).unwrap();
    let org = &demo["organization"];
    let whatsapp = demo["connectors"][0]["id"].as_str().unwrap();

    // The hotel points the demo at its own inbound service.
    let (service, received) = inbound_service();
    invoke(
        &window,
        "org_update",
        json!({ "id": org["id"], "draft": { "name": org["name"], "inboundBaseUrl": format!("{service}/hotel") } }),
    )
    .unwrap();
    let online = set_up_whatsapp_sender(&window, whatsapp);
    let expected =
        invoke(&window, "webhook_url", json!({ "connectorId": whatsapp })).unwrap()["url"]
            .as_str()
            .unwrap()
            .to_owned();

    let delivered = sandbox_admin(
        &window,
        "inbound",
        json!({ "to": format!("whatsapp:{online}"), "from": "whatsapp:+46701234567", "body": "Hi" }),
    );
    assert_eq!(delivered["status"], 200, "{delivered}");
    let request = received
        .recv_timeout(std::time::Duration::from_secs(10))
        .unwrap();

    // The path carries the connector and its current secret token.
    let token = expected.rsplit('/').next().unwrap();
    assert_eq!(request.path, format!("/hotel/inbound/{whatsapp}/{token}"));
    assert_eq!(format!("{service}{}", request.path), expected);

    // The signature is Twilio's, made with the connector's auth token over that URL and the form.
    let params: Vec<(String, String)> = url::form_urlencoded::parse(request.body.as_bytes())
        .into_owned()
        .collect();
    assert!(
        params.iter().any(|(k, v)| k == "Body" && v == "Hi"),
        "{params:?}"
    );
    let signature = request.header("X-Twilio-Signature").unwrap();
    let auth_token = secrets
        .get(&SecretKey::connector(whatsapp))
        .unwrap()
        .unwrap();
    switchboard_providers::signature::verify_twilio(
        auth_token.expose(),
        &expected,
        &params,
        signature,
    )
    .unwrap();
    assert!(
        switchboard_providers::signature::verify_twilio(
            "another-token",
            &expected,
            &params,
            signature
        )
        .is_err(),
        "the check can fail"
    );
}

#[test]
fn make_run_opens_on_the_sandbox_only_when_no_account_is_configured() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemorySecretStore::default());
    let (_app, window) = launch(startup(dir.path(), &secrets, true));
    let status = invoke(&window, "app_status", json!({})).unwrap();
    assert_eq!(status["startupError"], Value::Null);
    assert_eq!(status["dataDir"], dir.path().display().to_string());
    assert!(status["sandboxUrl"].is_string(), "{status}");
    let connectors = invoke(&window, "connector_list", json!({})).unwrap();
    assert_eq!(connectors.as_array().unwrap().len(), 4);
    assert!(
        connectors
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["state"] == "active")
    );
    drop((_app, window));

    // Connectors exist now: the next launch brings the sandbox back but adds nothing.
    let (_again, window) = launch(startup(dir.path(), &secrets, true));
    assert_eq!(
        invoke(&window, "connector_list", json!({}))
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        4
    );
}

#[test]
fn make_run_leaves_a_configured_app_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemorySecretStore::default());
    {
        let core = Switchboard::new(
            Store::open(&dir.path().join("switchboard.db")).unwrap(),
            secrets.clone(),
        );
        let org = core
            .organization_create(&switchboard_core::OrganizationDraft {
                name: "Grand Hotel".into(),
                inbound_base_url: None,
            })
            .unwrap();
        let draft: switchboard_core::ConnectorDraft =
            serde_json::from_value(whatsapp_draft(&org.id, SID)).unwrap();
        core.connector_create(&draft).unwrap();
    }
    let (_app, window) = launch(startup(dir.path(), &secrets, true));
    assert_eq!(
        invoke(&window, "app_status", json!({})).unwrap()["sandboxUrl"],
        Value::Null
    );
    let orgs = invoke(&window, "org_list", json!({})).unwrap();
    assert_eq!(orgs.as_array().unwrap().len(), 1, "{orgs}");
}

#[test]
fn leaving_the_sandbox_removes_the_demo_and_it_stays_away() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemorySecretStore::default());
    let (_app, window) = launch(startup(dir.path(), &secrets, true));
    let url = invoke(&window, "app_status", json!({})).unwrap()["sandboxUrl"]
        .as_str()
        .unwrap()
        .to_owned();
    let demo_ids: Vec<String> = invoke(&window, "connector_list", json!({}))
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(demo_ids.len(), 4);
    let hotel = invoke(
        &window,
        "org_create",
        json!({ "draft": { "name": "Grand Hotel" } }),
    )
    .unwrap();

    invoke(&window, "sandbox_leave", json!({})).unwrap();

    assert_eq!(
        invoke(&window, "app_status", json!({})).unwrap()["sandboxUrl"],
        Value::Null
    );
    let orgs = invoke(&window, "org_list", json!({})).unwrap();
    assert_eq!(orgs, json!([hotel]), "only the demo organization goes");
    assert_eq!(
        invoke(&window, "connector_list", json!({})).unwrap(),
        json!([])
    );
    for id in &demo_ids {
        assert!(secrets.get(&SecretKey::connector(id)).unwrap().is_none());
    }
    assert!(
        !dir.path()
            .join(switchboard_core::SANDBOX_MEMO_FILE)
            .exists()
    );
    let stopped = tauri::async_runtime::block_on(async {
        reqwest::Client::new()
            .get(format!("{url}/_sandbox/seed"))
            .timeout(std::time::Duration::from_secs(5))
            .send()
            .await
    });
    assert!(stopped.is_err(), "the emulator stopped: {stopped:?}");
    drop((_app, window));

    // Not on the next launch either, even with SWITCHBOARD_SANDBOX=auto and no connector.
    let (_app, window) = launch(startup(dir.path(), &secrets, true));
    assert_eq!(
        invoke(&window, "app_status", json!({})).unwrap()["sandboxUrl"],
        Value::Null
    );
    assert_eq!(
        invoke(&window, "connector_list", json!({})).unwrap(),
        json!([])
    );
    // Until the user tries it again.
    let back = invoke(&window, "sandbox_try", json!({})).unwrap();
    assert_eq!(back["connectors"].as_array().unwrap().len(), 4);
}

#[test]
fn a_database_from_a_newer_version_is_a_startup_error_the_ui_shows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("switchboard.db");
    drop(Store::open(&path).unwrap());
    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let secrets = Arc::new(MemorySecretStore::default());
    let (_app, window) = launch(startup(dir.path(), &secrets, true));
    let status = invoke(&window, "app_status", json!({})).unwrap();
    assert_eq!(
        status["startupError"]["code"], "database_too_new",
        "{status}"
    );
    assert!(
        status["startupError"]["message"]
            .as_str()
            .unwrap()
            .contains("newer Switchboard")
    );
    assert_eq!(
        status["sandboxUrl"],
        Value::Null,
        "no demo on a refused database"
    );
    let refused = invoke(&window, "org_list", json!({})).unwrap_err();
    assert_eq!(refused["code"], "database_too_new");
}

#[test]
fn without_a_data_folder_the_app_says_what_to_set() {
    let (_app, window) = launch(Launch::Startup(Startup {
        data_dir: None,
        keychain: Keychain::Given(Arc::new(MemorySecretStore::default())),
        sandbox_auto: true,
        download_dir: None,
        updates_off: true,
    }));
    let status = invoke(&window, "app_status", json!({})).unwrap();
    assert_eq!(status["startupError"]["code"], "not_ready");
    assert!(
        status["startupError"]["message"]
            .as_str()
            .unwrap()
            .contains("SWITCHBOARD_DATA_DIR")
    );
}

#[test]
fn startup_reads_the_data_folder_keychain_namespace_and_sandbox_mode_from_the_environment() {
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        }
    };
    let startup = Startup::from_lookup(env(&[
        ("SWITCHBOARD_DATA_DIR", "/srv/switchboard"),
        ("SWITCHBOARD_KEYRING_NAMESPACE", "ci-7"),
        ("SWITCHBOARD_SANDBOX", "auto"),
        ("SWITCHBOARD_DOWNLOAD_DIR", "/srv/exports"),
    ]));
    assert_eq!(
        startup.download_dir.as_deref(),
        Some(Path::new("/srv/exports"))
    );
    assert_eq!(
        startup.data_dir.as_deref(),
        Some(Path::new("/srv/switchboard"))
    );
    assert!(
        matches!(&startup.keychain, Keychain::System { namespace } if namespace.as_deref() == Some("ci-7"))
    );
    assert!(startup.sandbox_auto);

    let plain = Startup::from_lookup(env(&[("SWITCHBOARD_SANDBOX", "yes")]));
    assert!(!plain.sandbox_auto, "only `auto` opens on the sandbox");
    assert!(matches!(
        &plain.keychain,
        Keychain::System { namespace: None }
    ));
    assert_eq!(plain.data_dir, switchboard_core::paths::os_data_dir());
    assert!(plain.download_dir.is_some(), "exports always have a folder");
}

/// The settings travel tagged with their provider, each provider with its own fields, and their
/// errors are named by their place in the draft.
#[test]
fn settings_travel_tagged_with_their_provider() {
    let (_app, window, secrets) = window();
    let org = invoke(
        &window,
        "org_create",
        json!({ "draft": { "name": "Grand Hotel" } }),
    )
    .unwrap();
    let org_id = org["id"].as_str().unwrap();
    let smtp = json!({
        "orgId": org_id,
        "kind": "email",
        "name": "Backup mail",
        "settings": {
            "provider": "smtp",
            "host": " smtp.hotel.example ",
            "port": 465,
            "security": "tls",
            "username": null,
            "from": "noreply@hotel.example"
        },
        "recipients": [],
        "receiveInbound": false,
        "secret": null
    });
    let created = invoke(&window, "connector_create", json!({ "draft": smtp })).unwrap();
    assert_eq!(
        created["settings"],
        json!({
            "provider": "smtp",
            "host": "smtp.hotel.example",
            "port": 465,
            "security": "tls",
            "username": null,
            "from": "noreply@hotel.example",
            "caPem": null
        })
    );
    assert!(created.get("provider").is_none(), "{created}");
    assert_eq!(created["hasSecret"], false);
    let id = created["id"].as_str().unwrap();
    assert!(secrets.get(&SecretKey::connector(id)).unwrap().is_none());

    let mut telnyx_for_whatsapp = whatsapp_draft(org_id, SID);
    telnyx_for_whatsapp["settings"] = json!({ "provider": "telnyx", "from": null });
    let errors = invoke(
        &window,
        "connector_validate",
        json!({ "draft": telnyx_for_whatsapp }),
    )
    .unwrap();
    assert_eq!(errors[0]["field"], "settings.provider", "{errors}");

    let no_port = json!({
        "orgId": org_id,
        "kind": "email",
        "name": "No port",
        "settings": {
            "provider": "smtp",
            "host": "smtp.hotel.example",
            "security": "tls",
            "from": "a@hotel.example"
        }
    });
    assert!(
        invoke(&window, "connector_validate", json!({ "draft": no_port })).is_err(),
        "an SMTP draft without a port cannot be expressed"
    );
}

/// The mock IPC of the browser tests holds no rules, only the field errors the backend gives for
/// a few fixture inputs: those must be what the backend says.
#[test]
fn the_mock_ipcs_canned_field_errors_are_the_backends() {
    let mock = include_str!("../../ui/src/mocks/ipc.ts");
    let (_app, window, _) = window();
    let org = invoke(
        &window,
        "org_create",
        json!({ "draft": { "name": "Grand Hotel" } }),
    )
    .unwrap();
    let errors = invoke(
        &window,
        "connector_validate",
        json!({ "draft": whatsapp_draft(org["id"].as_str().unwrap(), "AC123") }),
    )
    .unwrap();
    assert_eq!(errors[0]["field"], "settings.accountSid");
    let message = errors[0]["message"].as_str().unwrap();
    assert!(
        mock.contains(message),
        "the mock's AC123 error is not '{message}'"
    );
    let blank = invoke(&window, "org_create", json!({ "draft": { "name": "" } })).unwrap_err();
    let message = blank["fields"][0]["message"].as_str().unwrap();
    assert!(
        mock.contains(message),
        "the mock's blank-name error is not '{message}'"
    );
}

#[test]
fn messages_sync_imports_the_demo_connectors_history_over_ipc() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemorySecretStore::default());
    let (_app, window) = launch(startup(dir.path(), &secrets, false));
    let demo = invoke(&window, "sandbox_try", json!({})).unwrap();
    let telnyx = demo["connectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["settings"]["provider"] == "telnyx")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    sandbox_admin(
        &window,
        "history",
        json!({"provider": "telnyx", "count": 300, "failed_rate": 0.1, "days": 10}),
    );
    let report = invoke(&window, "messages_sync", json!({ "connectorId": telnyx })).unwrap();
    assert_eq!(report["new"], 300, "{report}");
    assert_eq!(report["pages"], 2, "{report}");
    assert_eq!(report["first"], true);
    let again = invoke(&window, "messages_sync", json!({ "connectorId": telnyx })).unwrap();
    assert_eq!(again["new"], 0, "{again}");
    let missing = invoke(&window, "messages_sync", json!({ "connectorId": "nope" })).unwrap_err();
    assert_eq!(missing["code"], "not_found", "{missing}");
}
