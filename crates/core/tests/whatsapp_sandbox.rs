//! Twilio's WhatsApp Sandbox number as a Twilio WhatsApp connector's From, against the emulator:
//! a recipient who has not joined → failed, 63015, with the join step in plain words; after
//! "join <code>" the next send is delivered; a wrong code joins nothing; any other connector
//! using the number gets a field error naming the field.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use switchboard_core::{
    AttemptFilter, ConnectorDraft, ConnectorKind, ConnectorSettings, CoreError, FollowOptions,
    MemorySecretStore, MessageAttempt, OrganizationDraft, Outcome, SendRequest, Store, Switchboard,
    TelnyxSettings, TwilioSettings, WHATSAPP_SANDBOX_NUMBER,
};
use switchboard_sandbox::{RunningSandbox, SandboxConfig};

const GUEST: &str = "+46 70 123 45 67";

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
    .with_provider_timeout(Duration::from_secs(5));
    let org = core
        .organization_create(&OrganizationDraft {
            name: "Grand Hotel".into(),
            inbound_base_url: None,
        })
        .unwrap()
        .id;
    let sandbox = switchboard_sandbox::start(SandboxConfig {
        lifecycle_step_ms: 50,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    World { core, org, sandbox }
}

fn fast() -> FollowOptions {
    FollowOptions {
        first_delay: Duration::from_millis(30),
        max_delay: Duration::from_millis(50),
        give_up_after: Duration::from_secs(10),
    }
}

fn text(to: &str) -> SendRequest {
    SendRequest {
        to: to.into(),
        text: Some("Your room is ready".into()),
        ..SendRequest::default()
    }
}

impl World {
    fn draft(&self, kind: ConnectorKind, from: &str) -> ConnectorDraft {
        let seed = self.sandbox.seed();
        ConnectorDraft {
            org_id: self.org.clone(),
            kind,
            name: format!("{kind:?}"),
            settings: ConnectorSettings::Twilio(TwilioSettings {
                account_sid: seed.twilio.account_sid.clone(),
                base_url: Some(self.sandbox.twilio_base()),
                from: Some(from.into()),
                ..TwilioSettings::default()
            }),
            recipients: vec![],
            receive_inbound: false,
            secret: Some(seed.twilio.auth_token.clone()),
        }
    }

    fn whatsapp(&self, from: &str) -> String {
        self.core
            .connector_create(&self.draft(ConnectorKind::Whatsapp, from))
            .unwrap()
            .id
    }

    async fn send_and_follow(&self, connector: &str, request: &SendRequest) -> MessageAttempt {
        let sent = self.core.message_send(connector, request).await.unwrap();
        self.core
            .message_follow(&sent.id, fast(), None)
            .await
            .unwrap()
    }

    /// A WhatsApp message from `from` to the sandbox number, through the emulator's inbound
    /// simulation; returns its answer (who joined, Twilio's reply).
    async fn to_sandbox(&self, from: &str, body: &str) -> Value {
        let response = reqwest::Client::new()
            .post(self.sandbox.admin_url("inbound"))
            .bearer_auth(self.sandbox.admin_token())
            .json(&json!({"to": "whatsapp:+14155238886", "from": from, "body": body}))
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success(), "{}", response.status());
        response.json().await.unwrap()
    }

    fn join_code(&self) -> String {
        self.sandbox
            .seed()
            .twilio
            .whatsapp_sandbox
            .clone()
            .expect("the emulator names the sandbox's join code")
            .join_code
    }
}

fn field_errors(error: CoreError) -> Vec<(String, String)> {
    match error {
        CoreError::Validation(fields) => fields.into_iter().map(|f| (f.field, f.message)).collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

#[tokio::test]
async fn a_send_from_the_sandbox_to_someone_who_has_not_joined_fails_with_the_join_step() {
    let w = world().await;
    // Typed as people type it (and as seed 003 writes it): normalised to the one constant.
    let connector = w.whatsapp("whatsapp:+1 415 523 8886");
    let saved = w.core.connector(&connector).unwrap();
    assert_eq!(saved.settings.sender(), Some(WHATSAPP_SANDBOX_NUMBER));

    let failed = w.send_and_follow(&connector, &text(GUEST)).await;
    assert_eq!(failed.from, "+14155238886");
    assert_eq!(failed.status, "failed", "{failed:?}");
    assert_eq!(failed.outcome, Outcome::Failed);
    assert_eq!(failed.error_code.as_deref(), Some("63015"));
    assert_eq!(failed.error_kind.as_deref(), Some("INVALID_RECIPIENT"));
    let cause = failed.cause.clone().unwrap();
    let fix = failed.fix.clone().unwrap();
    assert!(
        cause.contains("has not joined") && cause.contains("72 hours"),
        "{cause}"
    );
    assert!(
        fix.contains("\"join <code>\"") && fix.contains("+1 415 523 8886"),
        "{fix}"
    );
    assert!(
        fix.contains("Messaging → Try it out → Send a WhatsApp message"),
        "{fix}"
    );

    // The request Twilio got names the sandbox number with the whatsapp: prefix.
    let requests: Value = reqwest::Client::new()
        .get(w.sandbox.admin_url("requests"))
        .bearer_auth(w.sandbox.admin_token())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let create = requests
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["method"] == "POST" && r["path"].as_str().unwrap().ends_with("Messages.json"))
        .unwrap();
    assert!(
        create["body"]
            .as_str()
            .unwrap()
            .contains("From=whatsapp%3A%2B14155238886"),
        "{create}"
    );
    w.sandbox.shutdown().await;
}

#[tokio::test]
async fn after_join_with_the_code_the_next_send_is_delivered() {
    let w = world().await;
    let connector = w.whatsapp(WHATSAPP_SANDBOX_NUMBER);
    let before = w.send_and_follow(&connector, &text(GUEST)).await;
    assert_eq!(before.error_code.as_deref(), Some("63015"));

    let answer = w.to_sandbox("+46701234567", &w.join_code()).await;
    assert_eq!(answer["joined"], true, "{answer}");

    let after = w.send_and_follow(&connector, &text(GUEST)).await;
    assert_eq!(after.outcome, Outcome::Delivered, "{after:?}");
    assert_eq!(after.error_code, None);
    w.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_wrong_join_code_joins_nothing() {
    let w = world().await;
    let connector = w.whatsapp(WHATSAPP_SANDBOX_NUMBER);
    let answer = w.to_sandbox("+46701234567", "join not-our-code").await;
    assert_eq!(answer["joined"], false, "{answer}");
    assert!(
        answer["reply"]
            .as_str()
            .unwrap()
            .contains("is not connected to a Sandbox"),
        "{answer}"
    );
    let after = w.send_and_follow(&connector, &text(GUEST)).await;
    assert_eq!(after.error_code.as_deref(), Some("63015"), "{after:?}");
    w.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_whatsapp_connector_with_its_own_sender_may_still_send_a_test_from_the_sandbox() {
    let w = world().await;
    // +14155550101 is the seeded ONLINE sender; the sandbox is no sender of the account and has
    // no status, yet the test send goes out from it.
    let connector = w.whatsapp("+14155550101");
    let request = SendRequest {
        from: Some("whatsapp:+14155238886".into()),
        ..text(GUEST)
    };
    w.to_sandbox("whatsapp:+46701234567", &w.join_code()).await;
    let sent = w.send_and_follow(&connector, &request).await;
    assert_eq!(sent.from, "+14155238886");
    assert_eq!(sent.outcome, Outcome::Delivered, "{sent:?}");
    w.sandbox.shutdown().await;
}

#[tokio::test]
async fn any_other_connector_using_the_sandbox_number_gets_a_field_error() {
    let w = world().await;
    // A Twilio SMS connector, as its From.
    let sms = w
        .core
        .connector_create(&w.draft(ConnectorKind::Sms, "+14155238886"))
        .unwrap_err();
    let errors = field_errors(sms);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "settings.from");
    assert!(errors[0].1.contains("WhatsApp Sandbox"), "{errors:?}");

    // A Telnyx SMS connector, as its From.
    let telnyx = w
        .core
        .connector_create(&ConnectorDraft {
            org_id: w.org.clone(),
            kind: ConnectorKind::Sms,
            name: "Telnyx".into(),
            settings: ConnectorSettings::Telnyx(TelnyxSettings {
                base_url: Some(w.sandbox.telnyx_base()),
                from: Some("+1 415 523 8886".into()),
                ..TelnyxSettings::default()
            }),
            recipients: vec![],
            receive_inbound: false,
            secret: Some(w.sandbox.seed().telnyx.api_key.clone()),
        })
        .unwrap_err();
    let errors = field_errors(telnyx);
    assert_eq!(errors[0].0, "settings.from", "{errors:?}");
    assert!(errors[0].1.contains("not a Telnyx number"), "{errors:?}");

    // A Twilio SMS connector, as the From of a test send: refused before anything is sent.
    let sms = w
        .core
        .connector_create(&w.draft(ConnectorKind::Sms, "+14155550101"))
        .unwrap()
        .id;
    let refused = w
        .core
        .message_send(
            &sms,
            &SendRequest {
                from: Some("+14155238886".into()),
                ..text(GUEST)
            },
        )
        .await
        .unwrap_err();
    let errors = field_errors(refused);
    assert_eq!(errors[0].0, "from", "{errors:?}");
    assert!(errors[0].1.contains("WhatsApp Sandbox"), "{errors:?}");
    let sent = w
        .core
        .message_attempts(&sms, &AttemptFilter::default())
        .unwrap();
    assert!(
        sent.attempts.is_empty(),
        "nothing was sent or stored: {sent:?}"
    );
    w.sandbox.shutdown().await;
}
