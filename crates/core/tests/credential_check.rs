//! Saving a connector and checking it against the sandbox: Active with the account, or Error with
//! a plain reason and nothing the user typed lost.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use std::sync::Arc;

use serde_json::{Value, json};
use switchboard_core::{
    ConnectorDraft, ConnectorKind, ConnectorSettings, ConnectorState, ElksSettings, EventLevel,
    FailureKind, MemorySecretStore, OrganizationDraft, Provider, Store, Switchboard,
    TelnyxSettings, TwilioSettings,
};
use switchboard_sandbox::{RunningSandbox, SandboxConfig};

async fn setup() -> (Switchboard, String, RunningSandbox) {
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
    let sandbox = switchboard_sandbox::start(SandboxConfig::default())
        .await
        .unwrap();
    (core, org.id, sandbox)
}

/// Every call to the sandbox's admin API goes through here (one place to add its auth).
async fn admin(sandbox: &RunningSandbox, path: &str, body: Value) -> Value {
    let response = reqwest::Client::new()
        .post(sandbox.admin_url(path))
        .bearer_auth(sandbox.admin_token())
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    response.json().await.unwrap()
}

fn twilio_draft(org_id: &str, base: &str, sid: &str, token: &str) -> ConnectorDraft {
    ConnectorDraft {
        org_id: org_id.into(),
        kind: ConnectorKind::Whatsapp,
        name: "Front desk".into(),
        settings: ConnectorSettings::Twilio(TwilioSettings {
            account_sid: sid.into(),
            base_url: Some(base.into()),
            from: Some("+14155550101".into()),
            ..TwilioSettings::default()
        }),
        recipients: vec![],
        receive_inbound: true,
        secret: Some(token.into()),
    }
}

#[tokio::test]
async fn good_twilio_credentials_make_the_connector_active() {
    let (core, org, sandbox) = setup().await;
    let seed = sandbox.seed().twilio.clone();
    let saved = core
        .connector_create(&twilio_draft(
            &org,
            &sandbox.twilio_base(),
            &seed.account_sid,
            &seed.auth_token,
        ))
        .unwrap();
    assert_eq!(saved.state, ConnectorState::NotChecked);
    let checked = core.connector_check(&saved.id).await.unwrap();
    assert_eq!(checked.state, ConnectorState::Active);
    assert_eq!(checked.account_name.as_deref(), Some("Switchboard Sandbox"));
    assert_eq!(checked.account_type.as_deref(), Some("Full"));
    assert!(checked.checked_at.is_some());
    let events = core.connector_events(&saved.id, 10).unwrap();
    assert_eq!(events[0].level, EventLevel::Info);
    assert!(
        events[0]
            .message
            .contains("Connected to Switchboard Sandbox")
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_wrong_token_is_saved_in_error_with_a_plain_reason_and_can_be_fixed() {
    let (core, org, sandbox) = setup().await;
    let seed = sandbox.seed().twilio.clone();
    let draft = twilio_draft(
        &org,
        &sandbox.twilio_base(),
        &seed.account_sid,
        "0000wrong0000",
    );
    let saved = core.connector_create(&draft).unwrap();
    let checked = core.connector_check(&saved.id).await.unwrap();
    assert_eq!(checked.state, ConnectorState::Error);
    let reason = checked.state_reason.clone().unwrap();
    assert!(
        reason.contains("did not accept the credentials"),
        "{reason}"
    );
    assert!(reason.contains("20003"), "{reason}");
    assert!(!reason.contains("0000wrong0000"), "no secret in the reason");
    let failure = checked
        .state_failure
        .clone()
        .expect("a typed failure beside the reason");
    assert_eq!(failure.provider, Provider::Twilio);
    assert_eq!(failure.kind, FailureKind::InvalidCredentials);
    assert_eq!(failure.provider_code.as_deref(), Some("20003"));
    assert_eq!(failure.http_status, Some(401));
    assert!(
        failure.cause.contains("did not accept the credentials"),
        "{}",
        failure.cause
    );
    assert!(failure.fix.contains("Twilio console"), "{}", failure.fix);
    assert!(
        failure.docs_url.as_deref().is_some_and(|url| url
            .starts_with("https://www.twilio.com/docs/")
            && url.ends_with("20003")),
        "{:?}",
        failure.docs_url
    );
    assert!(
        !serde_json::to_string(&failure)
            .unwrap()
            .contains("0000wrong0000")
    );
    assert_eq!(
        checked.settings,
        core.connector(&saved.id).unwrap().settings,
        "nothing typed is lost"
    );
    let events = core.connector_events(&saved.id, 10).unwrap();
    assert_eq!(
        (events[0].level, events[0].code.as_deref()),
        (EventLevel::Error, Some("20003"))
    );

    let mut fixed = draft;
    fixed.secret = Some(seed.auth_token.clone());
    core.connector_update(&saved.id, &fixed).unwrap();
    let rechecked = core.connector_check(&saved.id).await.unwrap();
    assert_eq!(rechecked.state, ConnectorState::Active);
    assert_eq!(
        rechecked.state_failure, None,
        "a passing check clears the failure"
    );
    assert_eq!(core.connector_events(&saved.id, 10).unwrap().len(), 2);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn telnyx_and_46elks_checks_and_an_unreachable_provider() {
    let (core, org, sandbox) = setup().await;
    let seed = sandbox.seed().clone();
    let telnyx = core
        .connector_create(&ConnectorDraft {
            org_id: org.clone(),
            kind: ConnectorKind::Sms,
            name: "Telnyx SMS".into(),
            settings: ConnectorSettings::Telnyx(TelnyxSettings {
                base_url: Some(sandbox.telnyx_base()),
                from: Some("+13125550101".into()),
                ..TelnyxSettings::default()
            }),
            recipients: vec![],
            receive_inbound: true,
            secret: Some(seed.telnyx.api_key),
        })
        .unwrap();
    assert_eq!(
        core.connector_check(&telnyx.id).await.unwrap().state,
        ConnectorState::Active
    );

    let elks = seed.elks;
    let elks_draft = ConnectorDraft {
        org_id: org.clone(),
        kind: ConnectorKind::Sms,
        name: "46elks SMS".into(),
        settings: ConnectorSettings::Elks46(ElksSettings {
            username: elks.username.clone(),
            from: Some("GrandHotel".into()),
            base_url: Some(sandbox.elks_base()),
        }),
        recipients: vec![],
        receive_inbound: true,
        secret: Some("wrong-password".into()),
    };
    let bad = core.connector_create(&elks_draft).unwrap();
    let checked = core.connector_check(&bad.id).await.unwrap();
    assert_eq!(checked.state, ConnectorState::Error);
    assert!(
        checked
            .state_reason
            .unwrap()
            .contains("API username or password is wrong")
    );

    let telnyx_base = sandbox.telnyx_base();
    sandbox.shutdown().await;
    let gone = core.connector_check(&telnyx.id).await.unwrap();
    // Verified before: the last known state stands, and the failure says why (issue 11 §5).
    assert_eq!(gone.state, ConnectorState::Active);
    let reason = gone.state_reason.unwrap();
    assert!(reason.contains("could not be reached"), "{reason}");
    assert!(!reason.contains(&telnyx_base), "{reason}");
}

#[tokio::test]
async fn a_suspended_account_is_reported_as_such() {
    let (core, org, sandbox) = setup().await;
    let account = admin(
        &sandbox,
        "accounts",
        json!({"provider": "twilio", "account_status": "suspended"}),
    )
    .await;
    let sid = account["twilio"]["account_sid"].as_str().unwrap();
    let token = account["twilio"]["auth_token"].as_str().unwrap();
    let saved = core
        .connector_create(&twilio_draft(&org, &sandbox.twilio_base(), sid, token))
        .unwrap();
    let checked = core.connector_check(&saved.id).await.unwrap();
    assert_eq!(checked.state, ConnectorState::Error);
    let failure = checked.state_failure.unwrap();
    assert_eq!(failure.kind, FailureKind::AccountSuspended);
    assert!(failure.cause.contains("suspended"), "{}", failure.cause);
    assert!(failure.fix.contains("reactivate"), "{}", failure.fix);
    assert!(checked.state_reason.unwrap().contains("suspended"));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_closed_port_is_unreachable_with_cause_and_fix() {
    let (core, org, sandbox) = setup().await;
    // A port that was just free: nothing listens on it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let seed = sandbox.seed().twilio.clone();
    let saved = core
        .connector_create(&twilio_draft(
            &org,
            &format!("http://127.0.0.1:{port}/twilio"),
            &seed.account_sid,
            &seed.auth_token,
        ))
        .unwrap();
    let checked = core.connector_check(&saved.id).await.unwrap();
    assert_eq!(checked.state, ConnectorState::Error);
    let failure = checked.state_failure.unwrap();
    assert_eq!(failure.kind, FailureKind::Unreachable);
    assert_eq!((failure.provider_code, failure.http_status), (None, None));
    assert!(
        failure.cause.contains("connection refused"),
        "{}",
        failure.cause
    );
    assert!(failure.fix.contains("API address"), "{}", failure.fix);
    let events = core.connector_events(&saved.id, 10).unwrap();
    assert_eq!(events[0].level, EventLevel::Error);
    sandbox.shutdown().await;
}

/// Issue 11 §5: a connector verified Active whose provider cannot be asked now keeps its last
/// known state — Active, with when it was verified — and says why it is not connected; the
/// credentials were not refused. Refused credentials still turn it to Error.
#[tokio::test]
async fn an_active_connector_keeps_its_last_known_state_while_the_provider_is_out_of_reach() {
    let (core, org, sandbox) = setup().await;
    let seed = sandbox.seed().twilio.clone();
    let saved = core
        .connector_create(&twilio_draft(
            &org,
            &sandbox.twilio_base(),
            &seed.account_sid,
            &seed.auth_token,
        ))
        .unwrap();
    let verified = core.connector_check(&saved.id).await.unwrap();
    assert_eq!(verified.state, ConnectorState::Active);
    sandbox.shutdown().await;

    for _ in 0..2 {
        let kept = core.connector_check(&saved.id).await.unwrap();
        assert_eq!(kept.state, ConnectorState::Active, "{kept:?}");
        assert_eq!(
            kept.checked_at, verified.checked_at,
            "the time it was verified"
        );
        assert_eq!(kept.account_name, verified.account_name);
        let failure = kept
            .state_failure
            .as_ref()
            .expect("why it is not connected");
        assert_eq!(failure.kind, FailureKind::Unreachable);
        let reason = kept.state_reason.as_deref().unwrap_or_default();
        assert!(reason.contains("Still Active as last verified"), "{reason}");
        assert!(
            reason.contains(verified.checked_at.as_deref().unwrap()),
            "{reason}"
        );
    }
    let events = core.connector_events(&saved.id, 10).unwrap();
    assert_eq!(events[0].level, EventLevel::Warning, "{events:?}");

    // Never verified: saved in Error, as seed 001 says.
    let unverified = core
        .connector_create(&ConnectorDraft {
            name: "Night desk".into(),
            ..twilio_draft(&org, "http://127.0.0.1:9", &seed.account_sid, "token")
        })
        .unwrap();
    let error = core.connector_check(&unverified.id).await.unwrap();
    assert_eq!(error.state, ConnectorState::Error);
}
