//! Editing an organization: a new inbound base URL means every active number must have its
//! webhook set again, and the audit log says who changed what.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use std::sync::Arc;

use switchboard_core::numbers::WebhookState;
use switchboard_core::{
    ConnectorDraft, ConnectorKind, ConnectorSettings, MemorySecretStore, OrganizationDraft, Store,
    Switchboard, TwilioSettings,
};
use switchboard_sandbox::SandboxConfig;

fn quiet(_: &switchboard_core::numbers::JobProgress) {}

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

    let audit = core.audit_log(Some(&org.id), 50).unwrap();
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
        ]
    );

    // Set again on all: configured on the new URL, nothing left to reset.
    core.webhook_set(&connector.id, &[], Some(2), &quiet)
        .await
        .unwrap();
    assert_eq!(states(&core), vec![WebhookState::Configured; 2]);
    assert_eq!(core.webhook_url(&connector.id).unwrap().needs_reset, 0);
}
