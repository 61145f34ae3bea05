//! Diagnose and the support bundle against the sandbox: a healthy connector, a wrong token, webhook
//! drift, a bad inbound URL, the signed test request, "fixed since last time", and a bundle
//! scanned byte by byte for every secret, token and unmasked identifier.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

#[path = "support/sandbox_admin.rs"]
mod sandbox_admin;

use std::io::Read as _;
use std::sync::{Arc, Mutex};

use serde_json::Value;
use switchboard_core::diagnose::{Diagnosis, Finding, FindingSink, Severity, SinceLast};
use switchboard_core::{
    Connector, ConnectorDraft, ConnectorKind, ConnectorSettings, MemorySecretStore,
    OrganizationDraft, RecipientDraft, SendRequest, SmtpSecurity, SmtpSettings, Store, Switchboard,
    TwilioSettings,
};
use switchboard_sandbox::{RunningSandbox, SandboxConfig};

const BASE: &str = "https://hooks.grand-hotel.example";

struct World {
    core: Switchboard,
    org: String,
    sandbox: RunningSandbox,
}

async fn world() -> World {
    let core = Switchboard::new(
        Store::open_in_memory().unwrap(),
        Arc::new(MemorySecretStore::default()),
    )
    .with_provider_timeout(std::time::Duration::from_secs(5));
    let org = core
        .organization_create(&OrganizationDraft {
            name: "Grand Hotel".into(),
            inbound_base_url: Some(BASE.into()),
        })
        .unwrap();
    let sandbox = switchboard_sandbox::start(SandboxConfig::default())
        .await
        .unwrap();
    World {
        core,
        org: org.id,
        sandbox,
    }
}

impl World {
    fn draft(&self, token: &str, recipients: Vec<RecipientDraft>) -> ConnectorDraft {
        let seed = self.sandbox.seed().twilio.clone();
        ConnectorDraft {
            org_id: self.org.clone(),
            kind: ConnectorKind::Sms,
            name: "Front desk SMS".into(),
            settings: ConnectorSettings::Twilio(TwilioSettings {
                account_sid: seed.account_sid,
                base_url: Some(self.sandbox.twilio_base()),
                from: Some("+14155550101".into()),
                ..TwilioSettings::default()
            }),
            recipients,
            receive_inbound: true,
            secret: Some(token.into()),
        }
    }

    fn twilio(&self, token: &str) -> Connector {
        self.core
            .connector_create(&self.draft(token, vec![]))
            .unwrap()
    }

    fn seeded(&self) -> Connector {
        self.twilio(&self.sandbox.seed().twilio.auth_token.clone())
    }

    /// Lists the numbers and activates the first; returns it.
    async fn activate_first(&self, connector: &Connector) -> String {
        let list = self.core.numbers_refresh(&connector.id).await.unwrap();
        let first = list.numbers[0].e164.clone();
        self.core
            .numbers_set_active(&connector.id, std::slice::from_ref(&first), true)
            .unwrap();
        first
    }

    async fn set_webhooks(&self, connector: &Connector) {
        let quiet = |_: &switchboard_core::numbers::JobProgress| {};
        self.core
            .webhook_set(&connector.id, &[], Some(4), &quiet)
            .await
            .unwrap();
    }

    fn set_inbound_base(&self, url: &str) {
        self.core
            .organization_update(
                &self.org,
                &OrganizationDraft {
                    name: "Grand Hotel".into(),
                    inbound_base_url: Some(url.into()),
                },
            )
            .unwrap();
    }
}

/// Runs a diagnosis and returns it with the findings in the order the sink got them.
async fn diagnose(core: &Switchboard, id: &str) -> (Diagnosis, Vec<Finding>) {
    let streamed = Arc::new(Mutex::new(Vec::new()));
    let into = Arc::clone(&streamed);
    let sink: FindingSink = Arc::new(move |f: &Finding| into.lock().unwrap().push(f.clone()));
    let diagnosis = core.diagnose(id, Some(sink)).await.unwrap();
    let streamed = streamed.lock().unwrap().clone();
    (diagnosis, streamed)
}

fn find<'a>(diagnosis: &'a Diagnosis, id: &str) -> &'a Finding {
    diagnosis
        .findings
        .iter()
        .find(|f| f.id == id)
        .unwrap_or_else(|| panic!("no finding {id} in {:#?}", ids(diagnosis)))
}

fn ids(diagnosis: &Diagnosis) -> Vec<(String, Severity)> {
    diagnosis
        .findings
        .iter()
        .map(|f| (f.id.clone(), f.severity))
        .collect()
}

fn errors(diagnosis: &Diagnosis) -> Vec<&Finding> {
    diagnosis
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect()
}

#[tokio::test]
async fn a_healthy_connector_has_no_errors_and_streams_every_finding() {
    let w = world().await;
    let connector = w.seeded();
    w.activate_first(&connector).await;
    w.set_webhooks(&connector).await;

    let (diagnosis, streamed) = diagnose(&w.core, &connector.id).await;
    assert!(errors(&diagnosis).is_empty(), "{:#?}", errors(&diagnosis));
    assert!(!diagnosis.has_errors());
    assert_eq!(
        streamed, diagnosis.findings,
        "every finding streamed, in order"
    );
    for id in ["credentials", "account", "numbers", "webhook", "clock"] {
        assert_eq!(find(&diagnosis, id).severity, Severity::Ok, "{id}");
    }
    let reach = diagnosis
        .findings
        .iter()
        .find(|f| f.check == "reachability" && !f.skipped)
        .unwrap();
    assert_eq!(reach.severity, Severity::Ok);
    let steps: Vec<&str> = reach
        .evidence
        .iter()
        .filter_map(|e| e.request.as_deref())
        .collect();
    assert!(
        steps[0].starts_with("DNS ") && steps[1].starts_with("TCP connect"),
        "{steps:?}"
    );
    // The credentials evidence names the request and the answer, never the SID or the token.
    let credentials = find(&diagnosis, "credentials");
    assert_eq!(
        credentials.evidence[0].request.as_deref(),
        Some("GET /2010-04-01/Accounts/{Sid}.json")
    );
    let all = serde_json::to_string(&diagnosis).unwrap();
    assert!(!all.contains(&w.sandbox.seed().twilio.auth_token));
    let token_url = w.core.webhook_url(&connector.id).unwrap().url.unwrap();
    let token = token_url.rsplit('/').next().unwrap();
    assert!(!all.contains(token), "no webhook token in a diagnosis");
    // The placeholder inbound domain is named, and nothing is posted to it.
    assert_eq!(find(&diagnosis, "inbound_url").severity, Severity::Warning);
    assert!(find(&diagnosis, "inbound_url.test").skipped);
    // The first run has nothing to compare with; the run is stored for the next.
    assert!(diagnosis.previous_run_at.is_none());
    let stored = w.core.diagnosis_last(&connector.id).unwrap().unwrap();
    assert_eq!(stored.id, diagnosis.id);
    assert!(diagnosis.longest_chain_ms <= diagnosis.wall_ms + 5);
}

#[tokio::test]
async fn a_wrong_token_is_a_credential_error_that_skips_what_needs_it_and_is_fixed_next_time() {
    let w = world().await;
    let connector = w.twilio("0123456789abcdef0123456789abcdef");

    let (first, _) = diagnose(&w.core, &connector.id).await;
    assert!(first.has_errors());
    let credentials = find(&first, "credentials");
    assert_eq!(credentials.severity, Severity::Error);
    assert!(credentials.title.contains("Auth Token"), "{credentials:?}");
    assert!(credentials.fix.as_deref().unwrap().contains("Auth Token"));
    assert_eq!(credentials.evidence[0].status, Some(401));
    assert!(
        credentials.evidence[0].summary.contains("20003"),
        "{credentials:?}"
    );
    for id in ["account", "numbers", "webhook"] {
        let skipped = find(&first, id);
        assert!(skipped.skipped, "{id}");
        assert!(skipped.meaning.contains("credential"), "{skipped:?}");
    }

    // The right token: the credential error is fixed since last time.
    let mut draft = w.draft(&w.sandbox.seed().twilio.auth_token.clone(), vec![]);
    draft.name = connector.name.clone();
    w.core.connector_update(&connector.id, &draft).unwrap();
    let (second, _) = diagnose(&w.core, &connector.id).await;
    assert!(!second.has_errors(), "{:#?}", errors(&second));
    assert_eq!(
        second.previous_run_at.as_deref(),
        Some(first.started_at.as_str())
    );
    assert!(
        second
            .fixed_since_last
            .iter()
            .any(|f| f.id == "credentials"),
        "{:?}",
        second.fixed_since_last
    );
    assert_eq!(
        find(&second, "credentials").since_last,
        Some(SinceLast::Fixed)
    );
}

#[tokio::test]
async fn webhook_drift_is_a_warning_with_the_fix_and_setting_it_fixes_it() {
    let w = world().await;
    let connector = w.seeded();
    let number = w.activate_first(&connector).await;

    let (first, _) = diagnose(&w.core, &connector.id).await;
    let drift = find(&first, &format!("webhook.{number}"));
    assert_eq!(drift.severity, Severity::Warning);
    assert!(drift.meaning.contains("not set up"), "{drift:?}");
    assert!(
        drift.fix.as_deref().unwrap().contains("webhook set"),
        "{drift:?}"
    );
    assert!(!first.has_errors(), "{:#?}", errors(&first));

    w.set_webhooks(&connector).await;
    let (second, _) = diagnose(&w.core, &connector.id).await;
    assert_eq!(find(&second, "webhook").severity, Severity::Ok);
    assert!(
        second
            .fixed_since_last
            .iter()
            .any(|f| f.id == format!("webhook.{number}")),
        "{:?}",
        second.fixed_since_last
    );
    assert_eq!(second.new_since_last().count(), 0);
}

#[tokio::test]
async fn a_doubled_scheme_in_the_inbound_url_is_an_error_and_nothing_is_posted() {
    let w = world().await;
    w.set_inbound_base("https://https://hooks.grand-hotel.example");
    let connector = w.seeded();
    let (diagnosis, _) = diagnose(&w.core, &connector.id).await;
    let shape = find(&diagnosis, "inbound_url");
    assert_eq!(shape.severity, Severity::Error);
    assert!(shape.meaning.contains("scheme twice"), "{shape:?}");
    assert!(shape.fix.is_some());
    assert!(find(&diagnosis, "inbound_url.test").skipped);
    assert!(diagnosis.has_errors());
}

#[tokio::test]
async fn the_test_request_to_the_inbound_url_is_signed_and_its_answer_reported() {
    let w = world().await;
    // An inbound URL on this machine: the sandbox itself, which has no receiver at that path.
    w.set_inbound_base(&format!("{}/hotel-receiver", w.sandbox.url()));
    let connector = w.seeded();
    let (diagnosis, _) = diagnose(&w.core, &connector.id).await;
    // Loopback, plain http and an odd port are fine with the sandbox, and said so.
    assert_eq!(find(&diagnosis, "inbound_url").severity, Severity::Info);
    let test = find(&diagnosis, "inbound_url.test");
    let evidence = &test.evidence[0];
    assert_eq!(evidence.status, Some(404), "{test:?}");
    assert!(evidence.latency_ms.is_some());
    assert_eq!(test.severity, Severity::Error);
    assert!(
        evidence.request.as_deref().unwrap().contains("[redacted]"),
        "{evidence:?}"
    );

    // What arrived carries a valid X-Twilio-Signature for the URL it was posted to.
    let log: Value = reqwest::Client::new()
        .get(w.sandbox.admin_url("requests"))
        .bearer_auth(w.sandbox.admin_token())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let requests = log
        .as_array()
        .cloned()
        .or_else(|| log["requests"].as_array().cloned())
        .unwrap();
    let posted = requests
        .iter()
        .find(|r| {
            r["path"]
                .as_str()
                .unwrap_or("")
                .contains("/hotel-receiver/inbound/")
        })
        .expect("the test request reached the URL");
    let headers = &posted["headers"];
    let signature = headers["x-twilio-signature"].as_str().unwrap();
    let url = w.core.webhook_url(&connector.id).unwrap().url.unwrap();
    let params: Vec<(String, String)> =
        url::form_urlencoded::parse(posted["body"].as_str().unwrap().as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
    switchboard_providers::signature::verify_twilio(
        &w.sandbox.seed().twilio.auth_token,
        &url,
        &params,
        signature,
    )
    .unwrap();
}

/// Every file of the zip, by name.
fn unzip(path: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).unwrap();
            (file.name().to_owned(), bytes)
        })
        .collect()
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

#[tokio::test]
async fn the_support_bundle_holds_no_secret_token_or_unmasked_identifier() {
    let w = world().await;
    let seed = w.sandbox.seed().twilio.clone();
    let recipients = vec![
        RecipientDraft {
            number: "+46701234567".into(),
            backup_email: Some("night.manager@grand-hotel.example".into()),
        },
        RecipientDraft {
            number: "+15005550001".into(),
            backup_email: None,
        },
    ];
    let connector = w
        .core
        .connector_create(&w.draft(&seed.auth_token, recipients))
        .unwrap();
    let smtp_password = "smtp-Pa55word-never-shown";
    w.core
        .connector_create(&ConnectorDraft {
            org_id: w.org.clone(),
            kind: ConnectorKind::Email,
            name: "Mail".into(),
            settings: ConnectorSettings::Smtp(SmtpSettings {
                host: "127.0.0.1".into(),
                port: 2525,
                security: SmtpSecurity::None,
                username: Some("mailer@grand-hotel.example".into()),
                from: "frontdesk@grand-hotel.example".into(),
                ca_pem: None,
            }),
            recipients: vec![],
            receive_inbound: false,
            secret: Some(smtp_password.into()),
        })
        .unwrap();
    let number = w.activate_first(&connector).await;
    w.set_webhooks(&connector).await;
    // A send that is accepted and one the provider refuses (an invalid recipient).
    for to in ["+46701234567", "+15005550001"] {
        let _ = w
            .core
            .message_send(
                &connector.id,
                &SendRequest {
                    from: Some(number.clone()),
                    to: to.into(),
                    text: Some("Your room is ready".into()),
                    ..SendRequest::default()
                },
            )
            .await;
    }
    let _ = w.core.messages_sync(&connector.id).await;
    let (diagnosis, _) = diagnose(&w.core, &connector.id).await;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bundle.zip");
    let info = w.core.support_bundle(&diagnosis, &path, "test").unwrap();
    assert_eq!(
        info.files,
        [
            "diagnosis.json",
            "connector.json",
            "drift.json",
            "logs.json",
            "messages.json",
            "versions.json"
        ]
    );
    let files = unzip(&path);
    assert_eq!(files.len(), info.files.len());

    let token_url = w.core.webhook_url(&connector.id).unwrap().url.unwrap();
    let webhook_token = token_url.rsplit('/').next().unwrap().to_owned();
    let numbers: Vec<String> = w
        .core
        .numbers(&connector.id)
        .unwrap()
        .numbers
        .into_iter()
        .map(|n| n.e164)
        .collect();
    let mut forbidden = vec![
        seed.auth_token.clone(),
        smtp_password.to_owned(),
        webhook_token,
        seed.account_sid.clone(),
        "+46701234567".to_owned(),
        "+15005550001".to_owned(),
        "night.manager@grand-hotel.example".to_owned(),
        "frontdesk@grand-hotel.example".to_owned(),
        "mailer@grand-hotel.example".to_owned(),
    ];
    forbidden.extend(numbers);
    for (name, bytes) in &files {
        for needle in &forbidden {
            assert!(!contains(bytes, needle), "{name} holds {needle}");
        }
    }
    // What is there is useful: the masked SID's last four, the drift table, the statuses.
    let text = |name: &str| {
        String::from_utf8(files.iter().find(|(n, _)| n == name).unwrap().1.clone()).unwrap()
    };
    let last4 = &seed.account_sid[seed.account_sid.len() - 4..];
    assert!(text("connector.json").contains(&format!("****{last4}")));
    assert!(text("drift.json").contains("[redacted]"));
    assert!(text("messages.json").contains("21211") || text("logs.json").contains("21211"));
    let versions: Value = serde_json::from_str(&text("versions.json")).unwrap();
    assert_eq!(versions["switchboard"], "test");
    assert!(versions["system"]["os"].is_string());
}

/// Issue 12 §1: the bundle holds the tail of the app's log file (the app names it), masked and
/// scrubbed like every other file; without a readable log file it is left out.
#[tokio::test]
async fn the_support_bundle_holds_the_app_logs_tail_without_secrets() {
    let w = world().await;
    let connector = w.seeded();
    let secret = w.core.connector_secret(&connector.id).unwrap().unwrap();
    let (diagnosis, _) = diagnose(&w.core, &connector.id).await;
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("switchboard.log");
    let old = "[INFO] an old line that rotated out of the tail\n".repeat(3000);
    let recent = format!(
        "[INFO] connector checked: {}\n[WARN] leaked {} by mistake\n[INFO] the last line\n",
        connector.id,
        secret.expose()
    );
    std::fs::write(&log, format!("{old}{recent}")).unwrap();

    let path = dir.path().join("with-log.zip");
    let info = w
        .core
        .support_bundle_with_log(&diagnosis, &path, "test", Some(&log))
        .unwrap();
    assert_eq!(info.files.last().map(String::as_str), Some("app.log"));
    let files = unzip(&path);
    let (_, tail) = files.iter().find(|(name, _)| name == "app.log").unwrap();
    let tail = String::from_utf8(tail.clone()).unwrap();
    assert!(tail.ends_with("[INFO] the last line\n"), "{tail}");
    assert!(tail.contains(&connector.id));
    assert!(tail.len() <= 64 * 1024, "only the tail: {}", tail.len());
    assert!(tail.starts_with("[INFO] "), "from a whole line on");
    assert!(!contains(tail.as_bytes(), secret.expose()), "scrubbed");

    let without = dir.path().join("without-log.zip");
    let info = w
        .core
        .support_bundle_with_log(
            &diagnosis,
            &without,
            "test",
            Some(&dir.path().join("none.log")),
        )
        .unwrap();
    assert!(!info.files.iter().any(|name| name == "app.log"));
}

impl World {
    async fn admin(&self, path: &str, body: Value) -> Value {
        sandbox_admin::admin(&self.sandbox, reqwest::Method::POST, path, Some(body)).await
    }

    /// A Twilio connector of `kind` on another sandbox account made with `account`.
    async fn account(&self, kind: ConnectorKind, account: Value) -> Connector {
        let made = self.admin("accounts", account).await;
        let mut draft = self.draft(made["twilio"]["auth_token"].as_str().unwrap(), vec![]);
        draft.kind = kind;
        draft.name = format!("{kind:?} {}", made["twilio"]["account_sid"]);
        if let ConnectorSettings::Twilio(twilio) = &mut draft.settings {
            twilio.account_sid = made["twilio"]["account_sid"].as_str().unwrap().into();
        }
        self.core.connector_create(&draft).unwrap()
    }
}

#[tokio::test]
async fn what_overrides_a_numbers_webhook_is_named_with_its_own_fix() {
    let w = world().await;
    let connector = w.seeded();
    w.core.numbers_refresh(&connector.id).await.unwrap();
    // The sandbox seeds +14155550102 with a TwiML app and +14155550105 in a Messaging Service.
    let chosen = ["+14155550102".to_owned(), "+14155550105".to_owned()];
    w.core
        .numbers_set_active(&connector.id, &chosen, true)
        .unwrap();
    w.set_webhooks(&connector).await;

    let (diagnosis, _) = diagnose(&w.core, &connector.id).await;
    let app = find(&diagnosis, "webhook.+14155550102");
    assert_eq!(app.severity, Severity::Warning);
    assert!(app.title.contains("TwiML application"), "{app:?}");
    assert!(
        app.fix.as_deref().unwrap().contains("SMS application"),
        "{app:?}"
    );
    let service = find(&diagnosis, "webhook.+14155550105");
    assert!(service.title.contains("Messaging Service"), "{service:?}");
    assert!(
        service
            .fix
            .as_deref()
            .unwrap()
            .contains("Use inbound webhook on number"),
        "{service:?}"
    );
    assert!(
        service.meaning.contains("Sandbox Messaging Service"),
        "{service:?}"
    );
}

#[tokio::test]
async fn an_offline_sender_is_named_with_the_reasons_the_provider_gives() {
    let w = world().await;
    let mut draft = w.draft(&w.sandbox.seed().twilio.auth_token.clone(), vec![]);
    draft.kind = ConnectorKind::Whatsapp;
    let connector = w.core.connector_create(&draft).unwrap();
    let (diagnosis, _) = diagnose(&w.core, &connector.id).await;
    let offline = diagnosis
        .findings
        .iter()
        .find(|f| f.check == "numbers" && f.title.ends_with("is OFFLINE"))
        .unwrap_or_else(|| panic!("{:#?}", ids(&diagnosis)));
    assert_eq!(offline.severity, Severity::Warning, "not active: a warning");
    assert!(offline.meaning.contains("63101"), "{offline:?}");
    assert!(
        offline.meaning.contains("WhatsApp Business Account"),
        "{offline:?}"
    );
    assert!(offline.fix.is_some());
}

#[tokio::test]
async fn a_trial_account_is_a_warning_and_a_suspended_one_an_error_that_skips_the_rest() {
    let w = world().await;
    let trial = w
        .account(
            ConnectorKind::Sms,
            serde_json::json!({"provider": "twilio", "numbers": 1, "account_type": "Trial"}),
        )
        .await;
    let (diagnosis, _) = diagnose(&w.core, &trial.id).await;
    let account = find(&diagnosis, "account");
    assert_eq!(account.severity, Severity::Warning);
    assert!(account.title.contains("trial"), "{account:?}");

    let suspended = w
        .account(
            ConnectorKind::Sms,
            serde_json::json!({"provider": "twilio", "numbers": 1, "account_status": "suspended"}),
        )
        .await;
    let (diagnosis, _) = diagnose(&w.core, &suspended.id).await;
    assert_eq!(find(&diagnosis, "credentials").severity, Severity::Ok);
    let account = find(&diagnosis, "account");
    assert_eq!(account.severity, Severity::Error);
    assert!(account.meaning.contains("suspended"), "{account:?}");
    assert!(find(&diagnosis, "numbers").skipped);
    assert!(diagnosis.has_errors());
}

#[tokio::test]
async fn recent_provider_errors_are_grouped_by_code_and_the_backup_email_path_is_checked() {
    let w = world().await;
    let recipients = vec![RecipientDraft {
        number: "+46701234567".into(),
        backup_email: Some("night.manager@grand-hotel.example".into()),
    }];
    let connector = w
        .core
        .connector_create(&w.draft(&w.sandbox.seed().twilio.auth_token.clone(), recipients))
        .unwrap();
    w.admin(
        "history",
        serde_json::json!({"provider": "twilio", "count": 40, "failed_rate": 1.0, "days": 3}),
    )
    .await;
    w.core.messages_sync(&connector.id).await.unwrap();

    let (diagnosis, _) = diagnose(&w.core, &connector.id).await;
    let history = find(&diagnosis, "errors.history");
    assert_eq!(history.severity, Severity::Warning);
    let codes: Vec<&str> = history
        .evidence
        .iter()
        .map(|e| e.summary.as_str())
        .collect();
    assert!(
        codes.iter().any(|c| c.starts_with("code 30003: 20 times")),
        "{codes:?}"
    );
    assert!(
        codes.iter().any(|c| c.starts_with("code 30008: 20 times")),
        "{codes:?}"
    );
    assert!(history.fix.is_some());
    // A backup email with no Email connector to send it.
    let backup = find(&diagnosis, "backup_email");
    assert_eq!(backup.severity, Severity::Error);
    assert!(backup.fix.as_deref().unwrap().contains("Email connector"));

    w.core
        .connector_create(&ConnectorDraft {
            org_id: w.org.clone(),
            kind: ConnectorKind::Email,
            name: "Mail".into(),
            settings: ConnectorSettings::Smtp(SmtpSettings {
                host: "127.0.0.1".into(),
                port: 2525,
                security: SmtpSecurity::None,
                username: None,
                from: "frontdesk@grand-hotel.example".into(),
                ca_pem: None,
            }),
            recipients: vec![],
            receive_inbound: false,
            secret: Some("x".into()),
        })
        .unwrap();
    let (again, _) = diagnose(&w.core, &connector.id).await;
    let backup = find(&again, "backup_email");
    assert_eq!(
        backup.severity,
        Severity::Warning,
        "never checked: {backup:?}"
    );
    assert_eq!(backup.since_last, Some(SinceLast::Again));
}

#[tokio::test]
async fn telnyx_46elks_and_an_api_key_diagnose_healthy_and_a_wrong_key_is_told_apart() {
    let w = world().await;
    let seed = w.sandbox.seed().clone();
    let make = |name: &str, settings: ConnectorSettings, secret: &str| {
        w.core
            .connector_create(&ConnectorDraft {
                org_id: w.org.clone(),
                kind: ConnectorKind::Sms,
                name: name.into(),
                settings,
                recipients: vec![],
                receive_inbound: true,
                secret: Some(secret.into()),
            })
            .unwrap()
    };
    let telnyx = make(
        "Telnyx",
        ConnectorSettings::Telnyx(switchboard_core::TelnyxSettings {
            base_url: Some(w.sandbox.telnyx_base()),
            from: Some("+13125550101".into()),
            ..Default::default()
        }),
        &seed.telnyx.api_key,
    );
    let elks = make(
        "46elks",
        ConnectorSettings::Elks46(switchboard_core::ElksSettings {
            username: seed.elks.username.clone(),
            base_url: Some(w.sandbox.elks_base()),
            from: Some("+46766860101".into()),
        }),
        &seed.elks.password,
    );
    let api_key = make(
        "API key",
        ConnectorSettings::Twilio(TwilioSettings {
            account_sid: seed.twilio.account_sid.clone(),
            api_key_sid: Some(seed.twilio.api_key_sid.clone()),
            base_url: Some(w.sandbox.twilio_base()),
            from: Some("+14155550101".into()),
            ..TwilioSettings::default()
        }),
        &seed.twilio.api_key_secret,
    );
    for connector in [&telnyx, &elks, &api_key] {
        let (diagnosis, _) = diagnose(&w.core, &connector.id).await;
        assert!(
            !diagnosis.has_errors(),
            "{}: {:#?}",
            connector.name,
            errors(&diagnosis)
        );
        assert_eq!(find(&diagnosis, "credentials").severity, Severity::Ok);
        assert_eq!(
            find(&diagnosis, "numbers").severity,
            Severity::Ok,
            "{}",
            connector.name
        );
    }

    let wrong_key = make(
        "Wrong key",
        ConnectorSettings::Twilio(TwilioSettings {
            account_sid: seed.twilio.account_sid.clone(),
            api_key_sid: Some(seed.twilio.api_key_sid.clone()),
            base_url: Some(w.sandbox.twilio_base()),
            from: Some("+14155550101".into()),
            ..TwilioSettings::default()
        }),
        "not-the-key-secret",
    );
    let (diagnosis, _) = diagnose(&w.core, &wrong_key.id).await;
    let credentials = find(&diagnosis, "credentials");
    assert_eq!(credentials.title, "Twilio refused the API key");
    assert!(credentials.fix.as_deref().unwrap().contains("API key"));
    assert!(
        credentials.evidence[0]
            .request
            .as_deref()
            .unwrap()
            .contains("IncomingPhoneNumbers.json?PageSize=1")
    );
}

#[tokio::test]
async fn an_email_connector_whose_server_is_down_is_unreachable_with_the_step_that_failed() {
    let w = world().await;
    // A port nothing listens on: bound, then let go.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mail = w
        .core
        .connector_create(&ConnectorDraft {
            org_id: w.org.clone(),
            kind: ConnectorKind::Email,
            name: "Mail".into(),
            settings: ConnectorSettings::Smtp(SmtpSettings {
                host: "127.0.0.1".into(),
                port,
                security: SmtpSecurity::None,
                username: None,
                from: "frontdesk@grand-hotel.example".into(),
                ca_pem: None,
            }),
            recipients: vec![],
            receive_inbound: false,
            secret: Some("x".into()),
        })
        .unwrap();
    let (diagnosis, _) = diagnose(&w.core, &mail.id).await;
    let reach = find(&diagnosis, "reachability.127.0.0.1");
    assert_eq!(reach.severity, Severity::Error);
    assert!(
        reach.title.contains("does not accept connections"),
        "{reach:?}"
    );
    let steps: Vec<&str> = reach.evidence.iter().map(|e| e.summary.as_str()).collect();
    assert!(steps[1].starts_with("failed"), "{steps:?}");
    assert_eq!(find(&diagnosis, "credentials").severity, Severity::Error);
    // An Email connector has no numbers, webhooks or inbound URL to check.
    assert!(
        diagnosis
            .findings
            .iter()
            .all(|f| f.check != "webhook" && f.check != "inbound_url")
    );
}
