//! Offline (issue 11 §5) against the sandbox: every live read the app shows answers, once the
//! provider is gone, with the last known data, its age and the failure (UNREACHABLE) instead of
//! an error; a read never made before still fails, and refused credentials are never hidden.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use std::sync::Arc;
use std::time::Duration;

use switchboard_core::{
    Connector, ConnectorKind, DemoAccounts, FailureCode, FailureKind, MemorySecretStore,
    ProviderKind, Store, Switchboard,
};
use switchboard_sandbox::{RunningSandbox, SandboxConfig};

async fn world() -> (Switchboard, RunningSandbox, Vec<Connector>) {
    let core = Switchboard::new(
        Store::open_in_memory().unwrap(),
        Arc::new(MemorySecretStore::default()),
    )
    .with_provider_timeout(Duration::from_secs(3));
    let sandbox = switchboard_sandbox::start(SandboxConfig::default())
        .await
        .unwrap();
    let demo = core.demo_create(&DemoAccounts::of(&sandbox)).unwrap();
    (core, sandbox, demo.connectors)
}

fn find(connectors: &[Connector], kind: ConnectorKind, provider: ProviderKind) -> Connector {
    connectors
        .iter()
        .find(|c| c.kind == kind && c.provider() == provider)
        .cloned()
        .unwrap()
}

fn unreachable(failure: Option<&switchboard_core::ProviderFailure>) {
    let failure = failure.expect("the failure that kept it from refreshing");
    assert_eq!(failure.kind, FailureKind::Unreachable, "{failure:?}");
    assert!(!failure.cause.is_empty());
}

#[tokio::test]
async fn an_unreachable_provider_answers_with_the_last_known_state_and_its_age() {
    let (core, sandbox, connectors) = world().await;
    let sms = find(&connectors, ConnectorKind::Sms, ProviderKind::Twilio);
    let whatsapp = find(&connectors, ConnectorKind::Whatsapp, ProviderKind::Twilio);

    let fresh = core.numbers_refresh_or_last_known(&sms.id).await.unwrap();
    assert!(!fresh.freshness.stale);
    assert!(fresh.freshness.failure.is_none());
    assert!(!fresh.numbers.is_empty(), "the sandbox seeds numbers");
    let first = fresh.numbers[0].e164.clone();
    core.numbers_set_active(&sms.id, std::slice::from_ref(&first), true)
        .unwrap();
    let drift = core.drift_or_last_known(Some(&sms.id)).await.unwrap();
    assert!(!drift.freshness.stale);
    assert_eq!(drift.entries.len(), 1);
    let senders = core.senders_list_or_last_known(&whatsapp.id).await.unwrap();
    assert!(!senders.freshness.stale);
    assert!(!senders.senders.is_empty(), "the sandbox seeds senders");
    let templates = core
        .templates_or_last_known(&whatsapp.id, false)
        .await
        .unwrap();
    assert!(!templates.freshness.stale);
    assert!(
        !templates.templates.is_empty(),
        "the sandbox seeds templates"
    );

    let kept_at = core.numbers(&sms.id).unwrap().fetched_at;
    assert!(kept_at.is_some());
    sandbox.shutdown().await;

    let numbers = core.numbers_refresh_or_last_known(&sms.id).await.unwrap();
    assert!(numbers.freshness.stale, "{:?}", numbers.freshness);
    unreachable(numbers.freshness.failure.as_ref());
    assert_eq!(numbers.freshness.as_of, kept_at, "the age of the kept list");
    assert_eq!(
        numbers.numbers.iter().map(|n| &n.e164).collect::<Vec<_>>(),
        fresh.numbers.iter().map(|n| &n.e164).collect::<Vec<_>>(),
        "the numbers stay listed"
    );
    // The window's Refresh (counts only) says the same.
    let counted = core.numbers_fetch_or_last_known(&sms.id).await.unwrap();
    assert!(counted.freshness.stale);
    unreachable(counted.freshness.failure.as_ref());
    assert_eq!(counted.fetched_at, kept_at);
    assert_eq!(counted.total as usize, fresh.numbers.len());
    assert_eq!(counted.active, 1);

    let stale_drift = core.drift_or_last_known(Some(&sms.id)).await.unwrap();
    assert!(stale_drift.freshness.stale);
    unreachable(stale_drift.freshness.failure.as_ref());
    assert_eq!(stale_drift.entries, drift.entries);

    let stale_senders = core.senders_list_or_last_known(&whatsapp.id).await.unwrap();
    assert!(stale_senders.freshness.stale);
    unreachable(stale_senders.freshness.failure.as_ref());
    assert_eq!(stale_senders.senders, senders.senders);
    assert!(stale_senders.freshness.as_of.is_some());

    let stale_templates = core
        .templates_or_last_known(&whatsapp.id, false)
        .await
        .unwrap();
    assert!(stale_templates.freshness.stale);
    unreachable(stale_templates.freshness.failure.as_ref());
    assert_eq!(stale_templates.templates, templates.templates);

    // Never read with `all`: nothing is known, so the failure itself comes back.
    let never = core
        .templates_or_last_known(&whatsapp.id, true)
        .await
        .unwrap_err();
    assert_eq!(
        never.code(),
        FailureCode::Provider(FailureKind::Unreachable)
    );
    // The plain reads other services build on still fail as before.
    assert!(core.numbers_refresh(&sms.id).await.is_err());
    assert!(core.drift(Some(&sms.id)).await.is_err());
}

#[tokio::test]
async fn refused_credentials_are_never_hidden_behind_the_last_known_state() {
    let (core, sandbox, connectors) = world().await;
    let sms = find(&connectors, ConnectorKind::Sms, ProviderKind::Telnyx);
    core.numbers_refresh_or_last_known(&sms.id).await.unwrap();
    let client = reqwest::Client::new();
    let response = client
        .post(sandbox.admin_url("faults"))
        .bearer_auth(sandbox.admin_token())
        .json(&serde_json::json!({"method": "GET", "path": "*", "status": 500, "rate": 1.0}))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
    // A provider error of its own (5xx) is "could not refresh" too.
    let list = core.numbers_refresh_or_last_known(&sms.id).await.unwrap();
    assert!(list.freshness.stale);
    assert_eq!(
        list.freshness.failure.unwrap().kind,
        FailureKind::ProviderUnavailable
    );
    client
        .delete(sandbox.admin_url("faults"))
        .bearer_auth(sandbox.admin_token())
        .send()
        .await
        .unwrap();
    // A wrong API key: the 401 is the answer, and stays an error.
    let draft = switchboard_core::ConnectorDraft {
        org_id: sms.org_id.clone(),
        kind: sms.kind,
        name: sms.name.clone(),
        settings: sms.settings.clone(),
        recipients: Vec::new(),
        receive_inbound: sms.receive_inbound,
        secret: Some("wrong-key".into()),
    };
    core.connector_update(&sms.id, &draft).unwrap();
    let error = core
        .numbers_refresh_or_last_known(&sms.id)
        .await
        .unwrap_err();
    assert_eq!(
        error.code(),
        FailureCode::Provider(FailureKind::InvalidCredentials)
    );
}

#[tokio::test]
async fn history_a_sender_and_diagnose_keep_the_last_known_state_when_offline() {
    let (core, sandbox, connectors) = world().await;
    let sms = find(&connectors, ConnectorKind::Sms, ProviderKind::Twilio);
    let whatsapp = find(&connectors, ConnectorKind::Whatsapp, ProviderKind::Twilio);
    let telnyx = find(&connectors, ConnectorKind::Sms, ProviderKind::Telnyx);

    let imported = core.messages_sync_or_last_known(&sms.id).await.unwrap();
    assert!(!imported.freshness.stale);
    let count = core.imported_count(&sms.id).unwrap();
    let senders = core.senders_list_or_last_known(&whatsapp.id).await.unwrap();
    let one = senders.senders[0].clone();
    let shown = core
        .sender_show_or_last_known(&whatsapp.id, &one.e164)
        .await
        .unwrap();
    assert!(!shown.freshness.stale);
    let reached = core.diagnose(&sms.id, None).await.unwrap();
    assert!(!reached.provider_unreachable);
    assert!(reached.last_known.is_none());
    sandbox.shutdown().await;

    // History: nothing new, the import's time and why; what was imported stays.
    let sync = core.messages_sync_or_last_known(&sms.id).await.unwrap();
    assert!(sync.freshness.stale, "{sync:?}");
    unreachable(sync.freshness.failure.as_ref());
    assert_eq!(sync.freshness.as_of, imported.freshness.as_of);
    assert_eq!((sync.fetched, sync.new, sync.updated), (0, 0, 0));
    assert_eq!(core.imported_count(&sms.id).unwrap(), count);
    // Never imported: nothing is known, so the failure itself comes back.
    let never = core
        .messages_sync_or_last_known(&telnyx.id)
        .await
        .unwrap_err();
    assert_eq!(
        never.code(),
        FailureCode::Provider(FailureKind::Unreachable)
    );

    // One sender, by SID or number (typed as online: `whatsapp:`, spaces, dashes), as the last
    // list knew it.
    let typed = format!(
        "whatsapp:{} {}-{}",
        &one.e164[..2],
        &one.e164[2..5],
        &one.e164[5..]
    );
    for reference in [one.sid.as_str(), one.e164.as_str(), typed.as_str()] {
        let stale = core
            .sender_show_or_last_known(&whatsapp.id, reference)
            .await
            .unwrap();
        assert!(stale.freshness.stale);
        unreachable(stale.freshness.failure.as_ref());
        assert!(stale.freshness.as_of.is_some());
        assert_eq!(stale.sender, one);
    }
    let json = serde_json::to_value(
        core.sender_show_or_last_known(&whatsapp.id, &one.sid)
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(json["sid"], one.sid.as_str(), "the sender's own keys");
    assert_eq!(json["freshness"]["stale"], true);
    // A code cannot be sent: the failure says so, and it is not taken for a wrong code.
    let verify = core
        .sender_verify(&whatsapp.id, &one.sid, "123456")
        .await
        .unwrap_err();
    assert_eq!(
        verify.code(),
        FailureCode::Provider(FailureKind::Unreachable)
    );

    // Diagnose: the run says the provider was out of reach and carries the last run that
    // reached it, with its time; the next offline run still carries that one.
    let offline = core.diagnose(&sms.id, None).await.unwrap();
    assert!(offline.provider_unreachable);
    let known = offline
        .last_known
        .expect("the last run that reached Twilio");
    assert_eq!(known.run_id, reached.id);
    assert!(known.freshness.stale);
    assert_eq!(
        known.freshness.as_of.as_deref(),
        Some(reached.started_at.as_str())
    );
    unreachable(known.freshness.failure.as_ref());
    assert!(
        known
            .findings
            .iter()
            .any(|f| f.check == "numbers" && !f.skipped),
        "{:?}",
        known.findings
    );
    let again = core.diagnose(&sms.id, None).await.unwrap();
    assert_eq!(again.last_known.unwrap().run_id, reached.id);
    assert_eq!(
        core.diagnosis_last(&sms.id).unwrap().unwrap().id,
        again.id,
        "each run is stored"
    );
}
