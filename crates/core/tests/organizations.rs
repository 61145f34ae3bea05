//! Editing an organization: a new inbound base URL means every active number must have its
//! webhook set again, and the audit log says who changed what.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use std::sync::Arc;

use switchboard_core::numbers::WebhookState;
use switchboard_core::{
    AuditFilter, ConnectorDraft, ConnectorKind, ConnectorSettings, MemorySecretStore,
    OrganizationDraft, Store, Switchboard, TwilioSettings,
};
use switchboard_sandbox::SandboxConfig;

fn quiet(_: &switchboard_core::numbers::JobProgress) {}

fn of_org(org_id: &str) -> AuditFilter {
    AuditFilter {
        org_id: Some(org_id.into()),
        ..AuditFilter::default()
    }
}

#[tokio::test]
async fn a_new_inbound_base_url_flags_every_active_number_and_is_audited() {
    let core = Switchboard::new(
        Store::open_in_memory().unwrap(),
        Arc::new(MemorySecretStore::default()),
    );
    let org = core
        .organization_create(&OrganizationDraft {
            name: "Grand Hotel".into(),
            inbound_base_url: Some("https://hooks.grand-hotel.example".into()),
        })
        .unwrap();
    let sandbox = switchboard_sandbox::start(SandboxConfig::default())
        .await
        .unwrap();
    let seed = sandbox.seed().twilio.clone();
    let connector = core
        .connector_create(&ConnectorDraft {
            org_id: org.id.clone(),
            kind: ConnectorKind::Sms,
            name: "Reception".into(),
            settings: ConnectorSettings::Twilio(TwilioSettings {
                account_sid: seed.account_sid.clone(),
                base_url: Some(sandbox.twilio_base()),
                from: Some("+14155550101".into()),
                ..TwilioSettings::default()
            }),
            recipients: vec![],
            receive_inbound: true,
            secret: Some(seed.auth_token.clone()),
        })
        .unwrap();
    let list = core.numbers_refresh(&connector.id).await.unwrap();
    // Two seeded numbers that no application or Messaging Service overrides.
    let chosen: Vec<String> = ["+14155550101", "+14155550103"]
        .into_iter()
        .map(str::to_owned)
        .collect();
    assert!(
        chosen
            .iter()
            .all(|c| list.numbers.iter().any(|n| &n.e164 == c))
    );
    core.numbers_set_active(&connector.id, &chosen, true)
        .unwrap();
    core.webhook_set(&connector.id, &chosen, Some(2), &quiet)
        .await
        .unwrap();
    let states = |core: &Switchboard| {
        core.numbers(&connector.id)
            .unwrap()
            .numbers
            .into_iter()
            .filter(|n| n.active)
            .map(|n| n.webhook_state)
            .collect::<Vec<_>>()
    };
    assert_eq!(states(&core), vec![WebhookState::Configured; 2]);

    // A rename alone changes no URL: nothing to set again.
    let renamed = core
        .organization_update(
            &org.id,
            &OrganizationDraft {
                name: "Grand Hotel Stockholm".into(),
                inbound_base_url: Some("https://hooks.grand-hotel.example".into()),
            },
        )
        .unwrap();
    assert_eq!(renamed.numbers_to_reset, 0);
    assert_eq!(states(&core), vec![WebhookState::Configured; 2]);

    let moved = core
        .organization_update(
            &org.id,
            &OrganizationDraft {
                name: "Grand Hotel Stockholm".into(),
                inbound_base_url: Some("https://in.grand-hotel.example".into()),
            },
        )
        .unwrap();
    assert_eq!(moved.numbers_to_reset, 2);
    assert_eq!(
        moved.organization.inbound_base_url.as_deref(),
        Some("https://in.grand-hotel.example")
    );
    assert_eq!(states(&core), vec![WebhookState::NeedsReset; 2]);
    assert_eq!(core.webhook_url(&connector.id).unwrap().needs_reset, 2);
    assert!(
        core.webhook_url(&connector.id)
            .unwrap()
            .url
            .unwrap()
            .starts_with("https://in.grand-hotel.example/inbound/")
    );

    let audit = core.audit_log(&of_org(&org.id)).unwrap().entries;
    let actions: Vec<(&str, Option<&str>, Option<&str>)> = audit
        .iter()
        .filter(|e| e.action.starts_with("organization."))
        .map(|e| (e.action.as_str(), e.before.as_deref(), e.after.as_deref()))
        .collect();
    assert_eq!(
        actions,
        vec![
            (
                "organization.inbound_base_url",
                Some("https://hooks.grand-hotel.example"),
                Some("https://in.grand-hotel.example")
            ),
            (
                "organization.rename",
                Some("Grand Hotel"),
                Some("Grand Hotel Stockholm")
            ),
            (
                "organization.create",
                None,
                Some("Grand Hotel (inbound base URL https://hooks.grand-hotel.example)")
            ),
        ]
    );

    // Set again on all: configured on the new URL, nothing left to reset.
    core.webhook_set(&connector.id, &[], Some(2), &quiet)
        .await
        .unwrap();
    assert_eq!(states(&core), vec![WebhookState::Configured; 2]);
    assert_eq!(core.webhook_url(&connector.id).unwrap().needs_reset, 0);
}

/// Every admin change to a connector is in the audit log with before and after, and a replaced
/// secret is recorded as replaced, never with its value.
#[test]
fn connector_changes_and_secret_replacements_are_audited_without_the_secret() {
    let core = Switchboard::new(
        Store::open_in_memory().unwrap(),
        Arc::new(MemorySecretStore::default()),
    );
    let org = core
        .organization_create(&OrganizationDraft {
            name: "Grand Hotel".into(),
            inbound_base_url: None,
        })
        .unwrap();
    let draft = |name: &str, secret: Option<&str>| ConnectorDraft {
        org_id: org.id.clone(),
        kind: ConnectorKind::Sms,
        name: name.into(),
        settings: ConnectorSettings::Twilio(TwilioSettings {
            account_sid: "AC0123456789abcdef0123456789abcdef".into(),
            from: Some("+14155550101".into()),
            ..TwilioSettings::default()
        }),
        recipients: vec![],
        receive_inbound: true,
        secret: secret.map(str::to_owned),
    };
    let created = core
        .connector_create(&draft("Reception", Some("first-secret-0001")))
        .unwrap();
    core.connector_update(&created.id, &draft("Front desk", None))
        .unwrap();
    // Saving unchanged settings with a new secret: only the secret is recorded.
    core.connector_update(
        &created.id,
        &draft("Front desk", Some("second-secret-0002")),
    )
    .unwrap();
    core.connector_delete(&created.id).unwrap();

    let mut audit = core
        .audit_log(&AuditFilter {
            org_id: Some(org.id.clone()),
            actions: vec![
                "connector.create".into(),
                "connector.update".into(),
                "connector.delete".into(),
                "connector.secret_replaced".into(),
            ],
            ..AuditFilter::default()
        })
        .unwrap()
        .entries;
    audit.reverse();
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "connector.create",
            "connector.secret_replaced",
            "connector.update",
            "connector.secret_replaced",
            "connector.delete",
        ]
    );
    let update = &audit[2];
    assert!(update.before.as_deref().unwrap().contains("\"Reception\""));
    assert!(update.after.as_deref().unwrap().contains("\"Front desk\""));
    assert!(audit[4].after.is_none() && audit[4].before.is_some());
    let everything = serde_json::to_string(&audit).unwrap();
    for secret in ["first-secret-0001", "second-secret-0002"] {
        assert!(
            !everything.contains(secret),
            "a secret reached the audit log"
        );
    }
}
