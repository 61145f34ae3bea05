//! Upgrading a database that holds data from every older schema. For each older version N the
//! database is built as an older Switchboard left it: migrations applied one at a time up to N,
//! after each one the rows that schema version could hold. Then the current store opens it, and
//! everything must still be there. A new migration is covered without touching this file (the
//! data of the versions before it must survive it); one that adds a table should add a fixture.

use std::sync::Arc;

use rusqlite::Connection;

use crate::store::{SCHEMA_VERSION, migrations};
use crate::{
    ConnectorSettings, ElksSettings, MemorySecretStore, SmtpSecurity, SmtpSettings, Store,
    Switchboard, TelnyxSettings, TwilioSettings,
};

/// Rows written at one schema version, and how to tell (through today's services) that they
/// survived.
struct Fixture {
    version: usize,
    rows: String,
    check: fn(&Switchboard),
}

const TWILIO_SETTINGS: &str = r#"{"accountSid":"AC0123456789abcdef0123456789abcdef","apiKeySid":null,"username":null,"messagingProfileId":null,"from":"+14155550101","baseUrl":"http://127.0.0.1:9/twilio","messagingBaseUrl":null,"contentBaseUrl":null,"smtpHost":null,"smtpPort":null,"smtpSecurity":null}"#;

/// A connector row of the schemas before 6, which kept every provider's settings in one flat
/// object of optional fields.
fn flat_connector(id: &str, kind: &str, provider: &str, settings: &str) -> String {
    format!(
        "INSERT INTO connectors (id, org_id, kind, provider, name, settings, webhook_token,
             created_at, updated_at)
         VALUES ('{id}', 'org1', '{kind}', '{provider}', 'Connector {id}', '{settings}',
             'tok-{id}', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z');"
    )
}

fn settings_of(core: &Switchboard, id: &str) -> ConnectorSettings {
    core.connector(id).unwrap().settings
}

fn fixtures() -> Vec<Fixture> {
    vec![
        Fixture {
            version: 1,
            rows: "INSERT INTO organizations VALUES
                     ('org1', 'Grand Hotel', 'https://hooks.grand-hotel.example',
                      '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z');
                   INSERT INTO connectors (id, org_id, kind, provider, name, settings,
                       receive_inbound, secret_stored, state, state_reason, checked_at,
                       webhook_token, created_at, updated_at)
                   VALUES ('con1', 'org1', 'whatsapp', 'twilio', 'Front desk', :settings, 1, 1,
                       'error', 'The provider refused the credentials', '2025-01-01T00:00:00.000Z',
                       'tok1', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z');
                   INSERT INTO recipients (connector_id, position, number, backup_email)
                   VALUES ('con1', 0, '+46707654321', 'night@grand-hotel.example');".into(),
            check: |core| {
                let org = core.organization("org1").unwrap();
                assert_eq!(org.name, "Grand Hotel");
                assert_eq!(
                    org.inbound_base_url.as_deref(),
                    Some("https://hooks.grand-hotel.example")
                );
                let connector = core.connector("con1").unwrap();
                assert_eq!(connector.name, "Front desk");
                assert_eq!(connector.recipients.len(), 1);
                assert_eq!(connector.recipients[0].number, "+46707654321");
                let shown = serde_json::to_string(&connector).unwrap();
                for kept in [
                    "AC0123456789abcdef0123456789abcdef",
                    "+14155550101",
                    "http://127.0.0.1:9/twilio",
                    "The provider refused the credentials",
                ] {
                    assert!(shown.contains(kept), "{kept} lost: {shown}");
                }
                assert!(connector.has_secret);
                let url = core.webhook_url("con1").unwrap().url.unwrap();
                assert!(url.ends_with("/inbound/con1/tok1"), "{url}");
            },
        },
        Fixture {
            version: 2,
            rows: "UPDATE connectors SET account_name = 'Grand Hotel Twilio',
                       account_type = 'Trial', state_warning = 'A trial account'
                   WHERE id = 'con1';
                   INSERT INTO events (connector_id, level, code, message, created_at)
                   VALUES ('con1', 'error', '20003', 'Authentication failed',
                       '2025-02-01T00:00:00.000Z');".into(),
            check: |core| {
                let shown = serde_json::to_string(&core.connector("con1").unwrap()).unwrap();
                assert!(shown.contains("Grand Hotel Twilio"), "{shown}");
                let events = core.connector_events("con1", 10).unwrap();
                let event = events
                    .iter()
                    .find(|e| e.message == "Authentication failed")
                    .unwrap();
                assert_eq!(event.code.as_deref(), Some("20003"));
                // An event from before the error log is a credential check of its organization.
                let log = core
                    .logs(&crate::LogFilter {
                        org_id: Some("org1".into()),
                        action: Some("credential_check".into()),
                        ..crate::LogFilter::default()
                    })
                    .unwrap();
                assert_eq!(log.entries.len(), 1);
                assert_eq!(log.entries[0].message, "Authentication failed");
            },
        },
        Fixture {
            version: 3,
            rows: "INSERT INTO numbers (connector_id, e164, provider_id, kind, friendly_name,
                       webhook_url, webhook_method, active, webhook_state, last_seen_at)
                   VALUES ('con1', '+14155550101', 'XE0123', 'whatsapp_sender', 'Lobby',
                       'https://hooks.grand-hotel.example/inbound/con1/tok1', 'POST', 1,
                       'configured', '2025-03-01T00:00:00.000Z');
                   INSERT INTO number_lists VALUES ('con1', '2025-03-01T00:00:00.000Z');
                   INSERT INTO agents VALUES ('agt1', 'org1', 'Concierge', NULL,
                       '2025-03-01T00:00:00.000Z');
                   INSERT INTO channels VALUES ('agt1', 'con1', '+14155550101',
                       '2025-03-01T00:00:00.000Z');
                   INSERT INTO webhook_jobs VALUES ('job1', 'con1', 'set', NULL, 'finished',
                       '2025-03-01T00:00:00.000Z', '2025-03-01T00:00:01.000Z');
                   INSERT INTO webhook_job_items VALUES ('job1', '+14155550101', 'XE0123', NULL,
                       NULL, 'https://hooks.grand-hotel.example/inbound/con1/tok1', 'changed',
                       NULL, '2025-03-01T00:00:01.000Z');
                   INSERT INTO audit (org_id, connector_id, action, target, before, after,
                       created_at)
                   VALUES ('org1', 'con1', 'number.activate', '+14155550101', 'inactive',
                       'active', '2025-03-01T00:00:00.000Z');".into(),
            check: |core| {
                let list = core.numbers("con1").unwrap();
                assert_eq!(list.fetched_at.as_deref(), Some("2025-03-01T00:00:00.000Z"));
                assert_eq!(list.numbers.len(), 1);
                let number = &list.numbers[0];
                assert!(number.active);
                assert_eq!(number.friendly_name.as_deref(), Some("Lobby"));
                assert_eq!(
                    number.agent.as_ref().map(|a| a.name.as_str()),
                    Some("Concierge")
                );
                assert_eq!(core.agents(Some("org1")).unwrap()[0].name, "Concierge");
                assert_eq!(core.channels(Some("org1")).unwrap()[0].e164, "+14155550101");
                let jobs = core.webhook_jobs("con1").unwrap();
                assert_eq!(jobs.len(), 1);
                assert_eq!(jobs[0].id, "job1");
                let audit = core
                    .audit_log(&crate::AuditFilter {
                        org_id: Some("org1".into()),
                        actions: vec!["number.activate".into()],
                        ..crate::AuditFilter::default()
                    })
                    .unwrap();
                assert_eq!(audit.entries[0].action, "number.activate");
            },
        },
        Fixture {
            version: 1,
            rows: [
        flat_connector(
            "telnyx1",
            "sms",
            "telnyx",
            r#"{"accountSid":null,"apiKeySid":null,"username":null,"messagingProfileId":"40017f3a-profile","from":"+13125550101","baseUrl":null,"messagingBaseUrl":null,"contentBaseUrl":null,"smtpHost":null,"smtpPort":null,"smtpSecurity":null}"#,
        ),
        flat_connector(
            "smtp1",
            "email",
            "smtp",
            r#"{"accountSid":null,"apiKeySid":null,"username":"mailer","messagingProfileId":null,"from":"noreply@grand-hotel.example","baseUrl":null,"messagingBaseUrl":null,"contentBaseUrl":null,"smtpHost":"smtp.grand-hotel.example","smtpPort":465,"smtpSecurity":"tls"}"#,
        ),
        flat_connector(
            "smtp2",
            "email",
            "smtp",
            r#"{"from":"front@grand-hotel.example","smtpHost":"relay.grand-hotel.example"}"#,
        ),
    ]
    .concat(),
            check: |core| {
                assert_eq!(
                    settings_of(core, "con1"),
                    ConnectorSettings::Twilio(TwilioSettings {
                        account_sid: "AC0123456789abcdef0123456789abcdef".into(),
                        from: Some("+14155550101".into()),
                        base_url: Some("http://127.0.0.1:9/twilio".into()),
                        ..TwilioSettings::default()
                    })
                );
                assert_eq!(
                    settings_of(core, "telnyx1"),
                    ConnectorSettings::Telnyx(TelnyxSettings {
                        public_key: None,
                        messaging_profile_id: Some("40017f3a-profile".into()),
                        from: Some("+13125550101".into()),
                        base_url: None,
                    })
                );
                assert_eq!(
                    settings_of(core, "smtp1"),
                    ConnectorSettings::Smtp(SmtpSettings {
                        host: "smtp.grand-hotel.example".into(),
                        port: 465,
                        security: SmtpSecurity::Tls,
                        username: Some("mailer".into()),
                        from: "noreply@grand-hotel.example".into(),
                        ca_pem: None,
                    })
                );
                // Written without a security (an older default), and by hand without a port.
                assert_eq!(
                    settings_of(core, "smtp2"),
                    ConnectorSettings::Smtp(SmtpSettings {
                        host: "relay.grand-hotel.example".into(),
                        port: 0,
                        security: SmtpSecurity::Starttls,
                        username: None,
                        from: "front@grand-hotel.example".into(),
                        ca_pem: None,
                    })
                );
                // Nothing of another provider survives in the new shape.
                let shown = serde_json::to_value(core.connector("telnyx1").unwrap()).unwrap();
                assert_eq!(shown["settings"]["provider"], "telnyx");
                assert!(shown["settings"].get("smtpHost").is_none(), "{shown}");
                assert!(shown["settings"].get("accountSid").is_none(), "{shown}");
            },
        },
        Fixture {
            version: 5,
            rows: [
        flat_connector(
            "elks1",
            "sms",
            "46elks",
            r#"{"accountSid":null,"apiKeySid":null,"username":"u0123456789abcdef","messagingProfileId":null,"from":"GrandHotel","baseUrl":"http://127.0.0.1:9/46elks","messagingBaseUrl":null,"contentBaseUrl":null,"smtpHost":null,"smtpPort":null,"smtpSecurity":null}"#,
        ),
        flat_connector(
            "twilio2",
            "sms",
            "twilio",
            r#"{"accountSid":"AC0123456789abcdef0123456789abcdef","apiKeySid":"SK0123456789abcdef0123456789abcdef","username":null,"messagingProfileId":null,"from":null,"baseUrl":"http://127.0.0.1:9/twilio","messagingBaseUrl":"http://127.0.0.1:10/messaging","contentBaseUrl":"http://127.0.0.1:11/content","smtpHost":null,"smtpPort":null,"smtpSecurity":null}"#,
        ),
    ]
    .concat(),
            check: |core| {
                assert_eq!(
                    settings_of(core, "elks1"),
                    ConnectorSettings::Elks46(ElksSettings {
                        username: "u0123456789abcdef".into(),
                        from: Some("GrandHotel".into()),
                        base_url: Some("http://127.0.0.1:9/46elks".into()),
                    })
                );
                assert_eq!(
                    settings_of(core, "twilio2"),
                    ConnectorSettings::Twilio(TwilioSettings {
                        account_sid: "AC0123456789abcdef0123456789abcdef".into(),
                        api_key_sid: Some("SK0123456789abcdef0123456789abcdef".into()),
                        from: None,
                        base_url: Some("http://127.0.0.1:9/twilio".into()),
                        messaging_base_url: Some("http://127.0.0.1:10/messaging".into()),
                        content_base_url: Some("http://127.0.0.1:11/content".into()),
                    })
                );
            },
        },
        Fixture {
            version: 7,
            rows: "INSERT INTO message_attempts (id, connector_id, org_id, provider, channel,
                       from_address, to_number, kind, body, provider_message_id, status, outcome,
                       final, created_at, updated_at, accepted_at, delivered_at, final_at)
                   VALUES ('att1', 'con1', 'org1', 'twilio', 'whatsapp', '+14155550101',
                       '+46707654321', 'text', 'Welcome', 'SM0123', 'delivered', 'delivered', 1,
                       '2025-04-01T00:00:00.000Z', '2025-04-01T00:00:02.000Z',
                       '2025-04-01T00:00:00.100Z', '2025-04-01T00:00:02.000Z',
                       '2025-04-01T00:00:02.000Z');
                   INSERT INTO message_status_history (attempt_id, status, at)
                   VALUES ('att1', 'queued', '2025-04-01T00:00:00.100Z'),
                          ('att1', 'delivered', '2025-04-01T00:00:02.000Z');
                   INSERT INTO events (connector_id, org_id, level, kind, code, message, action,
                       number, created_at)
                   VALUES ('con1', 'org1', 'error', 'INVALID_RECIPIENT', '21211', 'Bad number',
                       'send', '+15005550001', '2025-04-01T00:00:03.000Z');"
                .to_owned(),
            check: |core| {
                let attempt = core.message_attempt("att1").unwrap();
                assert_eq!(attempt.provider_message_id.as_deref(), Some("SM0123"));
                assert_eq!(attempt.history.len(), 2);
                let stats = core.messaging_stats("con1", 30).unwrap();
                assert_eq!(stats.total_sent, 1);
                assert_eq!(stats.last_error.unwrap().code.as_deref(), Some("21211"));
            },
        },
        Fixture {
            version: 10,
            rows: r#"INSERT INTO diagnosis_runs (id, connector_id, started_at, finished_at,
                       wall_ms, errors, warnings, run)
                   VALUES ('run1', 'con1', '2025-05-01T00:00:00.000Z', '2025-05-01T00:00:01.000Z',
                       1000, 1, 0, '{"id":"run1","connectorId":"con1","connectorName":"Front desk",
                       "startedAt":"2025-05-01T00:00:00.000Z","finishedAt":"2025-05-01T00:00:01.000Z",
                       "wallMs":1000,"longestChainMs":900,"findings":[{"id":"credentials",
                       "check":"credentials","severity":"error","title":"Twilio refused the Auth Token",
                       "meaning":"401","fix":"Copy it again","evidence":[{"request":"GET /x",
                       "status":401,"summary":"20003","latencyMs":12}],"skipped":false,
                       "sinceLast":null}],"fixedSinceLast":[],"previousRunAt":null,"errors":1,
                       "warnings":0,"timings":[]}');"#
                .to_owned(),
            check: |core| {
                // The next diagnosis compares with this run: it must stay readable.
                let run = core.diagnosis_last("con1").unwrap().unwrap();
                assert_eq!(run.id, "run1");
                assert_eq!(run.findings[0].title, "Twilio refused the Auth Token");
                assert_eq!(run.findings[0].evidence[0].status, Some(401));
            },
        },
        Fixture {
            version: 11,
            rows: r#"INSERT INTO last_known (connector_id, subject, fetched_at, body)
                   VALUES ('con1', 'templates', '2025-06-01T00:00:00.000Z',
                       '[{"sid":"HX0123","name":"room_ready","language":"en","category":"UTILITY",
                       "status":"approved","approved":true,"rejectionReason":null,
                       "body":"Hello {{1}}","variables":[{"name":"1","default":"guest"}]}]');"#
                .to_owned(),
            check: |core| {
                // Offline, the Send test form still offers the templates last read.
                let kept: String = core
                    .store()
                    .conn()
                    .query_row(
                        "SELECT body FROM last_known WHERE connector_id = 'con1'",
                        [],
                        |row| row.get(0),
                    )
                    .unwrap();
                let templates: Vec<crate::Template> = serde_json::from_str(&kept).unwrap();
                assert_eq!(templates[0].sid, "HX0123");
                assert_eq!(templates[0].variables[0].default.as_deref(), Some("guest"));
            },
        },
    ]
}

/// The database file as a Switchboard at schema `version` left it.
fn database_at(version: usize, path: &std::path::Path) {
    let mut conn = Connection::open(path).unwrap();
    conn.pragma_update(None, "foreign_keys", "ON").unwrap();
    let migrations = migrations();
    for step in 1..=version {
        migrations.to_version(&mut conn, step).unwrap();
        for fixture in fixtures().iter().filter(|f| f.version == step) {
            let rows = fixture
                .rows
                .replace(":settings", &format!("'{TWILIO_SETTINGS}'"));
            conn.execute_batch(&rows)
                .unwrap_or_else(|e| panic!("fixture of schema {step}: {e}"));
        }
    }
}

#[test]
fn every_fixture_names_a_schema_this_build_knows() {
    for fixture in fixtures() {
        assert!((1..=SCHEMA_VERSION).contains(&fixture.version));
    }
}

#[test]
fn a_database_from_every_older_schema_opens_with_its_data() {
    for version in 1..SCHEMA_VERSION {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("switchboard.db");
        database_at(version, &path);
        let store = Store::open(&path)
            .unwrap_or_else(|e| panic!("a database at schema {version} does not open: {e}"));
        let found: i64 = store
            .conn()
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .unwrap();
        assert_eq!(found, SCHEMA_VERSION as i64, "upgraded from {version}");
        let core = Switchboard::new(store, Arc::new(MemorySecretStore::default()));
        for fixture in fixtures().iter().filter(|f| f.version <= version) {
            (fixture.check)(&core);
        }
    }
}

#[test]
fn the_fixtures_hold_at_the_current_schema_too() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("switchboard.db");
    database_at(SCHEMA_VERSION, &path);
    let core = Switchboard::new(
        Store::open(&path).unwrap(),
        Arc::new(MemorySecretStore::default()),
    );
    for fixture in fixtures() {
        (fixture.check)(&core);
    }
}
