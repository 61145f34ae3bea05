//! Email connectors against a real SMTP server (aiosmtpd, started by each test from
//! tests/smtp/server.py with a test CA made here): the credential check over STARTTLS, TLS and
//! plain-to-localhost, a wrong password, an untrusted certificate, a refused or silent server,
//! and the backup email as it arrives.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use std::sync::Arc;
use std::time::Duration;

use switchboard_core::email::{BackupEmail, BackupEmailError};
use switchboard_core::{
    ConnectorDraft, ConnectorKind, ConnectorSettings, ConnectorState, CoreError, FailureKind,
    MemorySecretStore, OrganizationDraft, Provider, SmtpSecurity, SmtpSettings, Store, Switchboard,
};

#[path = "support/mail_server.rs"]
mod mail_server;

use mail_server::{LOGIN, MailServer, PASSWORD, SERVER_NAME};

fn core() -> Switchboard {
    Switchboard::new(
        Store::open_in_memory().unwrap(),
        Arc::new(MemorySecretStore::default()),
    )
    .with_provider_timeout(Duration::from_secs(5))
}

fn organization(core: &Switchboard) -> String {
    core.organization_create(&OrganizationDraft {
        name: "Grand Hotel".into(),
        inbound_base_url: None,
    })
    .unwrap()
    .id
}

fn email_draft(
    org_id: &str,
    port: u16,
    security: SmtpSecurity,
    ca_pem: Option<&str>,
    password: &str,
) -> ConnectorDraft {
    ConnectorDraft {
        org_id: org_id.into(),
        kind: ConnectorKind::Email,
        name: "Hotel mail".into(),
        settings: ConnectorSettings::Smtp(SmtpSettings {
            host: "127.0.0.1".into(),
            port,
            security,
            username: Some(LOGIN.into()),
            from: "frontdesk@hotel.example".into(),
            ca_pem: ca_pem.map(str::to_owned),
        }),
        recipients: vec![],
        receive_inbound: false,
        secret: Some(password.into()),
    }
}

fn set_host(draft: &mut ConnectorDraft, host: &str) {
    if let ConnectorSettings::Smtp(smtp) = &mut draft.settings {
        smtp.host = host.into();
    }
}

fn smtp_of(connector: &switchboard_core::Connector) -> &SmtpSettings {
    match &connector.settings {
        ConnectorSettings::Smtp(smtp) => smtp,
        other => panic!("not an Email connector: {other:?}"),
    }
}

fn original() -> BackupEmail {
    BackupEmail {
        connector_name: "Front desk WhatsApp".into(),
        number: "+46701234567".into(),
        content: "Välkommen! Your room 12 is ready.\nBreakfast is served from 7.".into(),
        failure: "The message could not be delivered: the guest's phone was unreachable \
                  (Twilio code 30003)."
            .into(),
        at: "2026-12-04T17:00:00Z".into(),
    }
}

#[tokio::test]
async fn a_good_connector_checks_active_over_starttls_with_its_ca() {
    let server = MailServer::start();
    let core = core();
    let org = organization(&core);
    let draft = email_draft(
        &org,
        server.port("starttls"),
        SmtpSecurity::Starttls,
        Some(&server.ca_pem),
        PASSWORD,
    );
    let saved = core.connector_create(&draft).unwrap();
    assert_eq!(saved.state, ConnectorState::NotChecked);
    assert_eq!(
        smtp_of(&saved).ca_pem.as_deref(),
        Some(server.ca_pem.trim())
    );
    let checked = core.connector_check(&saved.id).await.unwrap();
    assert_eq!(
        checked.state,
        ConnectorState::Active,
        "{:?}",
        checked.state_reason
    );
    assert_eq!(checked.account_name.as_deref(), Some(SERVER_NAME));
    let event = &core.connector_events(&saved.id, 1).unwrap()[0];
    assert!(event.message.contains("STARTTLS"), "{}", event.message);
    assert!(event.message.contains(LOGIN), "{}", event.message);
    assert!(!event.message.contains(PASSWORD));
}

#[tokio::test]
async fn implicit_tls_and_plain_to_this_machine_check_active() {
    let server = MailServer::start();
    let core = core();
    let org = organization(&core);
    for (listener, security) in [("tls", SmtpSecurity::Tls), ("plain", SmtpSecurity::None)] {
        let draft = email_draft(
            &org,
            server.port(listener),
            security,
            Some(&server.ca_pem),
            PASSWORD,
        );
        let draft = ConnectorDraft {
            name: format!("Hotel mail {listener}"),
            ..draft
        };
        let saved = core.connector_create(&draft).unwrap();
        let checked = core.connector_check(&saved.id).await.unwrap();
        assert_eq!(
            checked.state,
            ConnectorState::Active,
            "{listener}: {:?}",
            checked.state_reason
        );
    }
}

#[tokio::test]
async fn a_wrong_password_gives_error_with_the_reason() {
    let server = MailServer::start();
    let core = core();
    let org = organization(&core);
    let wrong = "not-the-password";
    let draft = email_draft(
        &org,
        server.port("starttls"),
        SmtpSecurity::Starttls,
        Some(&server.ca_pem),
        wrong,
    );
    let saved = core.connector_create(&draft).unwrap();
    let checked = core.connector_check(&saved.id).await.unwrap();
    assert_eq!(checked.state, ConnectorState::Error);
    let failure = checked.state_failure.clone().unwrap();
    assert_eq!(failure.provider, Provider::Smtp);
    assert_eq!(failure.kind, FailureKind::InvalidCredentials);
    assert_eq!(failure.provider_code.as_deref(), Some("535"));
    let reason = checked.state_reason.unwrap();
    assert!(
        reason.contains("did not accept the username and password"),
        "{reason}"
    );
    assert!(reason.contains("enter the password again"), "{reason}");
    assert!(!reason.contains(wrong));
    let shown = serde_json::to_string(&checked.state_failure).unwrap();
    assert!(!shown.contains(wrong));
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn an_untrusted_certificate_gives_error_saying_so() {
    let server = MailServer::start();
    let core = core();
    let org = organization(&core);
    for (listener, security) in [
        ("starttls", SmtpSecurity::Starttls),
        ("tls", SmtpSecurity::Tls),
    ] {
        let draft = ConnectorDraft {
            name: format!("Hotel mail {listener}"),
            ..email_draft(&org, server.port(listener), security, None, PASSWORD)
        };
        let saved = core.connector_create(&draft).unwrap();
        let checked = core.connector_check(&saved.id).await.unwrap();
        assert_eq!(checked.state, ConnectorState::Error, "{listener}");
        let failure = checked.state_failure.unwrap();
        assert_eq!(failure.kind, FailureKind::Unreachable);
        assert!(
            failure.cause.contains("not signed by an authority"),
            "{}",
            failure.cause
        );
        assert!(
            failure
                .fix
                .contains("add your mail server's CA certificate"),
            "{}",
            failure.fix
        );
    }
}

#[tokio::test]
async fn a_refused_or_silent_server_gives_error_in_plain_words() {
    let core = core().with_provider_timeout(Duration::from_secs(1));
    let org = organization(&core);
    // A port nothing listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let refused_port = closed.local_addr().unwrap().port();
    drop(closed);
    // A server that accepts and never says a word.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let silent_port = silent.local_addr().unwrap().port();
    let _held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((socket, _)) = silent.accept().await {
            open.push(socket);
        }
    });
    for (port, words) in [
        (refused_port, "refused the connection"),
        (silent_port, "did not answer within 1 seconds"),
    ] {
        let draft = ConnectorDraft {
            name: format!("Hotel mail {port}"),
            ..email_draft(&org, port, SmtpSecurity::None, None, PASSWORD)
        };
        let saved = core.connector_create(&draft).unwrap();
        let checked = core.connector_check(&saved.id).await.unwrap();
        assert_eq!(checked.state, ConnectorState::Error);
        let failure = checked.state_failure.unwrap();
        assert_eq!(failure.kind, FailureKind::Unreachable);
        assert!(failure.cause.contains(words), "{}", failure.cause);
    }
}

#[tokio::test]
async fn the_backup_email_arrives_with_the_original_text() {
    let server = MailServer::start();
    let core = core();
    let org = organization(&core);
    let draft = email_draft(
        &org,
        server.port("starttls"),
        SmtpSecurity::Starttls,
        Some(&server.ca_pem),
        PASSWORD,
    );
    let saved = core.connector_create(&draft).unwrap();
    assert_eq!(
        core.connector_check(&saved.id).await.unwrap().state,
        ConnectorState::Active
    );
    let sent = core
        .send_backup_email(&org, "guest@example.com", &original())
        .await
        .unwrap();
    assert_eq!(sent.email_connector_id, saved.id);
    assert_eq!(sent.to, "guest@example.com");
    assert!(
        sent.server_reply.starts_with("250"),
        "{}",
        sent.server_reply
    );
    let received = server.received();
    assert_eq!(received.len(), 1);
    let mail = &received[0];
    assert_eq!(mail["rcpt_tos"], serde_json::json!(["guest@example.com"]));
    assert_eq!(mail["mail_from"], "frontdesk@hotel.example");
    let subject = mail["subject"].as_str().unwrap();
    let body = mail["body"].as_str().unwrap();
    for (what, text) in [("subject", subject), ("body", body)] {
        for part in [
            "Front desk WhatsApp",
            "+46701234567",
            "phone was unreachable",
        ] {
            assert!(text.contains(part), "{what} lacks {part:?}: {text}");
        }
    }
    assert!(
        body.contains("Välkommen! Your room 12 is ready.\nBreakfast is served from 7."),
        "{body}"
    );
    assert!(body.contains("30003"), "{body}");
}

#[tokio::test]
async fn without_a_usable_email_connector_the_reason_is_typed() {
    let server = MailServer::start();
    let core = core();
    let org = organization(&core);
    let none = core
        .send_backup_email(&org, "guest@example.com", &original())
        .await
        .unwrap_err();
    assert!(matches!(none, BackupEmailError::NoEmailConnector), "{none}");
    assert_eq!(none.code(), "no_email_connector");
    assert!(none.to_string().contains("has no Email connector"));

    let draft = email_draft(
        &org,
        server.port("starttls"),
        SmtpSecurity::Starttls,
        Some(&server.ca_pem),
        "wrong",
    );
    let saved = core.connector_create(&draft).unwrap();
    core.connector_check(&saved.id).await.unwrap();
    let in_error = core
        .send_backup_email(&org, "guest@example.com", &original())
        .await
        .unwrap_err();
    assert_eq!(in_error.code(), "email_connector_in_error");
    assert!(in_error.to_string().contains("Hotel mail"), "{in_error}");
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn a_send_failure_at_the_server_is_typed_with_cause_and_fix() {
    let server = MailServer::start();
    let core = core();
    let org = organization(&core);
    // Saved but never checked (NotChecked is tried), with a password the server refuses.
    let draft = email_draft(
        &org,
        server.port("plain"),
        SmtpSecurity::None,
        None,
        "wrong",
    );
    core.connector_create(&draft).unwrap();
    let failed = core
        .send_backup_email(&org, "guest@example.com", &original())
        .await
        .unwrap_err();
    assert_eq!(failed.code(), "smtp_failed");
    let failure = failed.failure().unwrap();
    assert_eq!(failure.kind, FailureKind::InvalidCredentials);
    assert!(server.received().is_empty());
    let bad_address = core
        .send_backup_email(&org, "not an address", &original())
        .await
        .unwrap_err();
    assert_eq!(bad_address.code(), "invalid_backup_address");
}

#[tokio::test]
async fn no_tls_to_another_host_and_a_bad_ca_are_field_errors() {
    let core = core();
    let org = organization(&core);
    let mut draft = email_draft(&org, 25, SmtpSecurity::None, Some("not a pem"), PASSWORD);
    set_host(&mut draft, "smtp.hotel.example");
    let Err(CoreError::Validation(errors)) = core.connector_create(&draft) else {
        panic!("saved a connector without TLS to another host");
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["settings.security", "settings.caPem"]);
    assert!(
        errors[0].message.contains("localhost"),
        "{}",
        errors[0].message
    );
    assert!(errors[1].message.contains("PEM"), "{}", errors[1].message);
}

#[tokio::test]
async fn under_the_loopback_guard_a_remote_mail_server_is_never_called() {
    // `make test` (and CI) set the guard; without it this test has nothing to check.
    if std::env::var_os("SWITCHBOARD_LOOPBACK_ONLY").is_none() {
        eprintln!("SWITCHBOARD_LOOPBACK_ONLY is not set: skipped");
        return;
    }
    let core = core();
    let org = organization(&core);
    let mut draft = email_draft(&org, 587, SmtpSecurity::Starttls, None, PASSWORD);
    set_host(&mut draft, "smtp.hotel.example");
    let saved = core.connector_create(&draft).unwrap();
    let checked = core.connector_check(&saved.id).await.unwrap();
    assert_eq!(checked.state, ConnectorState::Error);
    let failure = checked.state_failure.unwrap();
    assert_eq!(failure.kind, FailureKind::InvalidConnectionSettings);
    assert!(
        failure.cause.contains("SWITCHBOARD_LOOPBACK_ONLY"),
        "{}",
        failure.cause
    );
}

/// A message that fails, is undelivered or is refused at once sends its recipient's backup email
/// through the organization's Email connector, once; a delivered one sends none.
#[tokio::test]
async fn a_failed_message_sends_the_recipients_backup_email_once() {
    use switchboard_core::{FollowOptions, Outcome, RecipientDraft, SendRequest, TwilioSettings};

    let server = MailServer::start();
    let core = core();
    let org = organization(&core);
    let email = core
        .connector_create(&email_draft(
            &org,
            server.port("starttls"),
            SmtpSecurity::Starttls,
            Some(&server.ca_pem),
            PASSWORD,
        ))
        .unwrap();
    assert_eq!(
        core.connector_check(&email.id).await.unwrap().state,
        ConnectorState::Active
    );
    let sandbox = switchboard_sandbox::start(switchboard_sandbox::SandboxConfig::default())
        .await
        .unwrap();
    let seed = sandbox.seed().twilio.clone();
    let recipient = |number: &str, backup: &str| RecipientDraft {
        number: number.into(),
        backup_email: Some(backup.into()),
    };
    let sms = core
        .connector_create(&ConnectorDraft {
            org_id: org.clone(),
            kind: ConnectorKind::Sms,
            name: "Front desk SMS".into(),
            settings: ConnectorSettings::Twilio(TwilioSettings {
                account_sid: seed.account_sid.clone(),
                from: Some("+14155550101".into()),
                base_url: Some(sandbox.twilio_base()),
                ..TwilioSettings::default()
            }),
            recipients: vec![
                recipient("+46700000666", "night@hotel.example"),
                recipient("+15005550001", "desk@hotel.example"),
                recipient("+46701234567", "day@hotel.example"),
            ],
            receive_inbound: false,
            secret: Some(seed.auth_token.clone()),
        })
        .unwrap();
    let fast = || FollowOptions {
        first_delay: Duration::from_millis(30),
        max_delay: Duration::from_millis(100),
        give_up_after: Duration::from_secs(15),
    };
    let send = |to: &str| SendRequest {
        to: to.into(),
        text: Some(format!("Välkommen! A message for {to}")),
        ..SendRequest::default()
    };

    // Undelivered after it was sent: the backup email follows the final status.
    let undelivered = core
        .message_send(&sms.id, &send("+46700000666"))
        .await
        .unwrap();
    let undelivered = core
        .message_follow(&undelivered.id, fast(), None)
        .await
        .unwrap();
    assert_eq!(undelivered.outcome, Outcome::Failed, "{undelivered:?}");
    assert_eq!(undelivered.fallback_status.as_deref(), Some("sent"));
    assert_eq!(
        undelivered.fallback_to.as_deref(),
        Some("night@hotel.example")
    );

    // Refused at once (Twilio 21211): the backup email goes with the refusal.
    let refused = core
        .message_send(&sms.id, &send("+15005550001"))
        .await
        .unwrap();
    assert_eq!(refused.outcome, Outcome::Failed, "{refused:?}");
    assert_eq!(refused.fallback_status.as_deref(), Some("sent"));

    // Delivered: no backup email.
    let delivered = core
        .message_send(&sms.id, &send("+46701234567"))
        .await
        .unwrap();
    let delivered = core
        .message_follow(&delivered.id, fast(), None)
        .await
        .unwrap();
    assert_eq!(delivered.outcome, Outcome::Delivered, "{delivered:?}");
    assert_eq!(delivered.fallback_status, None);

    // Following a final attempt again sends nothing more.
    core.message_follow(&undelivered.id, fast(), None)
        .await
        .unwrap();

    let received = server.received();
    let to: Vec<String> = received.iter().map(|m| m["to"].to_string()).collect();
    assert_eq!(received.len(), 2, "{to:?}");
    let all = serde_json::to_string(&received).unwrap();
    assert!(
        all.contains("night@hotel.example") && all.contains("desk@hotel.example"),
        "{all}"
    );
    assert!(!all.contains("day@hotel.example"), "{all}");
    assert!(all.contains("A message for +46700000666"), "{all}");
    assert!(all.contains("Front desk SMS"), "{all}");
}
