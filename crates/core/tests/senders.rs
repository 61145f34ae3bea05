//! WhatsApp senders end to end against the sandbox (seed 004): register → verify → ONLINE, a
//! wrong code refused with the reason, update, remove, offline reasons with their fix, and the
//! request bodies the sandbox received named as the spec names them.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use switchboard_core::senders::{
    SenderDraft, SenderProfileDraft, SenderUpdateDraft, SenderVerificationMethod, SenderView,
    SenderWebhookDraft,
};
use switchboard_core::{
    Connector, ConnectorKind, CoreError, DemoAccounts, ErrorCode, FailureCode, FailureKind,
    MemorySecretStore, ProviderKind, Store, Switchboard,
};
use switchboard_sandbox::{RunningSandbox, SandboxConfig};

struct World {
    core: Switchboard,
    sandbox: RunningSandbox,
    whatsapp: Connector,
    http: reqwest::Client,
}

/// The sandbox demo's WhatsApp (Twilio) connector on a fresh sandbox with quick lifecycles.
async fn world() -> World {
    let core = Switchboard::new(
        Store::open_in_memory().unwrap(),
        Arc::new(MemorySecretStore::default()),
    )
    .with_provider_timeout(Duration::from_secs(5));
    let sandbox = switchboard_sandbox::start(SandboxConfig {
        lifecycle_step_ms: 40,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let demo = core.demo_create(&DemoAccounts::of(&sandbox)).unwrap();
    let whatsapp = demo
        .connectors
        .into_iter()
        .find(|c| c.kind == ConnectorKind::Whatsapp && c.provider() == ProviderKind::Twilio)
        .unwrap();
    World {
        core,
        sandbox,
        whatsapp,
        http: reqwest::Client::new(),
    }
}

impl World {
    async fn admin_get(&self, path: &str) -> Value {
        let response = self
            .http
            .get(self.sandbox.admin_url(path))
            .bearer_auth(self.sandbox.admin_token())
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success(), "{path}");
        response.json().await.unwrap()
    }

    async fn admin_post(&self, path: &str, body: Value) {
        let response = self
            .http
            .post(self.sandbox.admin_url(path))
            .bearer_auth(self.sandbox.admin_token())
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_success(),
            "{path}: {}",
            response.status()
        );
    }

    async fn code_for(&self, e164: &str) -> String {
        let codes = self.admin_get("verification-codes").await;
        codes[format!("whatsapp:{e164}")]
            .as_str()
            .unwrap_or_else(|| panic!("no code for {e164} in {codes}"))
            .to_owned()
    }

    /// The sender requests the sandbox received (method, path, JSON body).
    async fn sender_requests(&self) -> Vec<(String, String, Value)> {
        let log = self.admin_get("requests").await;
        let entries = log
            .as_array()
            .cloned()
            .or_else(|| log["requests"].as_array().cloned())
            .unwrap();
        entries
            .into_iter()
            .filter(|e| {
                e["path"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("/v2/Channels/Senders")
            })
            .map(|e| {
                let body = match &e["body"] {
                    Value::String(text) => serde_json::from_str(text).unwrap_or(Value::Null),
                    other => other.clone(),
                };
                (
                    e["method"].as_str().unwrap_or_default().to_owned(),
                    e["path"].as_str().unwrap_or_default().to_owned(),
                    body,
                )
            })
            .collect()
    }

    async fn follow(&self, sender: &str) -> (SenderView, Vec<String>) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let sink = move |view: &SenderView| log.lock().unwrap().push(view.status.clone());
        let settled = self
            .core
            .sender_follow(
                &self.whatsapp.id,
                sender,
                Some(Duration::from_secs(10)),
                &sink,
            )
            .await
            .unwrap();
        let seen = seen.lock().unwrap().clone();
        (settled, seen)
    }
}

const NUMBER: &str = "+46701234567";

fn draft() -> SenderDraft {
    SenderDraft {
        sender: "+46 70 123 45 67".into(),
        waba_id: Some("1234567890".into()),
        verification_method: Some(SenderVerificationMethod::Sms),
        profile: SenderProfileDraft {
            name: Some("Grand Hotel".into()),
            about: Some("Open 24/7".into()),
            emails: vec!["desk@grand-hotel.example".into()],
            logo_url: Some("https://grand-hotel.example/logo.png".into()),
            vertical: Some("Hotel and Lodging".into()),
            websites: vec!["https://grand-hotel.example".into()],
            ..SenderProfileDraft::default()
        },
        webhook: SenderWebhookDraft {
            callback_url: Some("https://hooks.grand-hotel.example/wa".into()),
            callback_method: Some("POST".into()),
            status_callback_url: Some("https://hooks.grand-hotel.example/status".into()),
            status_callback_method: Some("POST".into()),
            ..SenderWebhookDraft::default()
        },
    }
}

#[tokio::test]
async fn register_verify_online_then_update_and_remove() {
    let w = world().await;
    let created = w
        .core
        .sender_register(&w.whatsapp.id, &draft())
        .await
        .unwrap();
    assert_eq!(created.e164, NUMBER);
    assert_eq!(created.status, "CREATING");
    assert!(!created.settled);

    let (waiting, seen) = w.follow(NUMBER).await;
    assert_eq!(waiting.status, "PENDING_VERIFICATION", "{seen:?}");
    assert!(waiting.awaiting_code);
    assert!(
        waiting
            .status_words
            .action
            .as_deref()
            .unwrap()
            .contains("code")
    );
    assert_eq!(
        seen.last().map(String::as_str),
        Some("PENDING_VERIFICATION")
    );

    // The numbers list shows the new sender as the provider has it now.
    let listed = w.core.numbers(&w.whatsapp.id).unwrap();
    let row = listed.numbers.iter().find(|n| n.e164 == NUMBER).unwrap();
    assert_eq!(row.provider_id, created.sid);
    assert_eq!(row.provider_status.as_deref(), Some("PENDING_VERIFICATION"));

    // A wrong code: refused by Twilio with the reason, and the sender keeps waiting.
    let code = w.code_for(NUMBER).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let error = w
        .core
        .sender_verify(&w.whatsapp.id, NUMBER, wrong)
        .await
        .unwrap_err();
    let failure = error.provider_failure().expect("a provider failure");
    assert_eq!(failure.kind, FailureKind::SenderRegistrationFailed);
    assert_eq!(failure.provider_code.as_deref(), Some("63113"));
    assert!(
        failure.cause.contains("code was wrong"),
        "{}",
        failure.cause
    );
    assert!(failure.fix.contains("code"), "{}", failure.fix);
    let still = w.core.sender_show(&w.whatsapp.id, NUMBER).await.unwrap();
    assert_eq!(still.status, "PENDING_VERIFICATION");

    // Not a code at all: a field error before anything is sent.
    let error = w
        .core
        .sender_verify(&w.whatsapp.id, NUMBER, "12ab")
        .await
        .unwrap_err();
    assert_eq!(error.fields()[0].field, "code");

    let verifying = w
        .core
        .sender_verify(&w.whatsapp.id, &created.sid, &code)
        .await
        .unwrap();
    assert_eq!(verifying.status, "VERIFYING");
    let (online, seen) = w.follow(&created.sid).await;
    assert_eq!(online.status, "ONLINE", "{seen:?}");
    assert!(online.settled);
    assert_eq!(online.quality_rating.as_deref(), Some("HIGH"));
    assert!(online.limit_words.is_some());
    let row = w.core.numbers(&w.whatsapp.id).unwrap();
    let row = row.numbers.iter().find(|n| n.e164 == NUMBER).unwrap();
    assert_eq!(row.provider_status.as_deref(), Some("ONLINE"));

    // A code for a sender that is online: a clear error, nothing sent.
    let error = w
        .core
        .sender_verify(&w.whatsapp.id, NUMBER, &code)
        .await
        .unwrap_err();
    assert_eq!(error.code(), FailureCode::Core(ErrorCode::Conflict));
    assert!(
        error
            .to_string()
            .contains("not waiting for a verification code")
    );

    // Update the profile: ONLINE:UPDATING, then ONLINE with the new text; the rest is kept.
    let updated = w
        .core
        .sender_update(
            &w.whatsapp.id,
            NUMBER,
            &SenderUpdateDraft {
                profile: SenderProfileDraft {
                    about: Some("Check-in from 14:00".into()),
                    ..SenderProfileDraft::default()
                },
                ..SenderUpdateDraft::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(updated.status, "ONLINE:UPDATING");
    let (online, _) = w.follow(NUMBER).await;
    assert_eq!(online.status, "ONLINE");
    assert_eq!(online.profile.about.as_deref(), Some("Check-in from 14:00"));
    assert_eq!(online.profile.name.as_deref(), Some("Grand Hotel"));

    let removed = w.core.sender_remove(&w.whatsapp.id, NUMBER).await.unwrap();
    assert_eq!(removed.sid, created.sid);
    assert!(removed.warning.contains("two-step verification"));
    let error = w
        .core
        .sender_show(&w.whatsapp.id, NUMBER)
        .await
        .unwrap_err();
    assert!(matches!(error, CoreError::NotFound { .. }), "{error}");
    let row = w.core.numbers(&w.whatsapp.id).unwrap();
    assert!(row.numbers.iter().find(|n| n.e164 == NUMBER).unwrap().gone);

    // The audit log has register, verify, update and remove, without the code.
    let audit = w
        .core
        .audit_log(&switchboard_core::AuditFilter::default())
        .unwrap()
        .entries;
    for action in [
        "sender.register",
        "sender.verify",
        "sender.update",
        "sender.remove",
    ] {
        assert!(audit.iter().any(|e| e.action == action), "{action}");
    }
    let text = serde_json::to_string(&audit).unwrap();
    assert!(
        !text.contains(&code),
        "the verification code reached the audit log"
    );

    // What reached the sandbox is named as the spec names it.
    let requests = w.sender_requests().await;
    let (_, _, create) = requests
        .iter()
        .find(|(method, path, _)| method == "POST" && path.ends_with("/v2/Channels/Senders"))
        .unwrap();
    assert_eq!(
        create,
        &json!({
            "sender_id": "whatsapp:+46701234567",
            "configuration": {"waba_id": "1234567890", "verification_method": "sms"},
            "webhook": {
                "callback_url": "https://hooks.grand-hotel.example/wa",
                "callback_method": "POST",
                "status_callback_url": "https://hooks.grand-hotel.example/status",
                "status_callback_method": "POST",
            },
            "profile": {
                "name": "Grand Hotel",
                "about": "Open 24/7",
                "logo_url": "https://grand-hotel.example/logo.png",
                "vertical": "Hotel and Lodging",
                "websites": [{"website": "https://grand-hotel.example", "label": "Website"}],
                "emails": [{"email": "desk@grand-hotel.example", "label": "Email"}],
            },
        })
    );
    let updates: Vec<&Value> = requests
        .iter()
        .filter(|(method, path, _)| method == "POST" && path.contains("/v2/Channels/Senders/XE"))
        .map(|(_, _, body)| body)
        .collect();
    assert!(updates.contains(&&json!({"configuration": {"verification_code": code}})));
    assert!(updates.contains(&&json!({"profile": {"about": "Check-in from 14:00"}})));
    assert!(
        requests
            .iter()
            .any(|(method, path, _)| method == "DELETE" && path.ends_with(&created.sid))
    );
}

#[tokio::test]
async fn a_bad_draft_is_refused_field_by_field_before_any_request() {
    let w = world().await;
    let mut bad = draft();
    bad.sender = "0701234567".into();
    bad.profile.vertical = Some("Hotels".into());
    bad.profile.logo_url = Some("http://grand-hotel.example/logo.png".into());
    bad.webhook.callback_method = Some("GET".into());
    let error = w
        .core
        .sender_register(&w.whatsapp.id, &bad)
        .await
        .unwrap_err();
    let fields: Vec<&str> = error.fields().iter().map(|f| f.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "sender",
            "profile.logoUrl",
            "profile.vertical",
            "webhook.callbackMethod"
        ]
    );
    assert!(w.sender_requests().await.is_empty());
}

#[tokio::test]
async fn offline_reasons_ratings_and_limits_come_in_plain_words_with_their_fix() {
    let w = world().await;
    let senders = w.core.senders_list(&w.whatsapp.id).await.unwrap();
    assert_eq!(senders.len(), 9);
    let offline = senders.iter().find(|s| s.status == "OFFLINE").unwrap();
    assert!(offline.status_words.meaning.starts_with("Offline"));
    let waba = &offline.offline_reasons[0];
    assert_eq!(waba.code.as_deref(), Some("63101"));
    assert!(
        waba.meaning.contains("WhatsApp Business Account"),
        "{waba:?}"
    );
    assert!(waba.fix.contains("WhatsApp Manager"), "{waba:?}");
    let limit = offline.limit_words.as_ref().unwrap();
    assert!(limit.meaning.contains("250 customers"), "{limit:?}");
    assert!(limit.meaning.contains("display name"), "{limit:?}");
    assert!(offline.quality_words.as_ref().unwrap().action.is_some());

    let pending = senders.iter().find(|s| s.awaiting_code).unwrap();
    assert_eq!(pending.status, "PENDING_VERIFICATION");
    let updating = senders
        .iter()
        .find(|s| s.status == "ONLINE:UPDATING")
        .unwrap();
    assert!(!updating.settled);
    for sender in &senders {
        assert!(
            !sender.status_words.meaning.contains("does not know"),
            "{sender:?}"
        );
    }

    // The numbers list was brought in step by the listing, its offline reasons in plain words.
    let numbers = w.core.numbers(&w.whatsapp.id).unwrap();
    assert_eq!(numbers.numbers.len(), 9);
    let row = numbers
        .numbers
        .iter()
        .find(|n| n.provider_status.as_deref() == Some("OFFLINE"))
        .unwrap();
    assert!(
        row.offline_reasons[0].starts_with("63101: Twilio cannot use the WhatsApp Business")
            && row.offline_reasons[0].contains("Fix: Check the WhatsApp Business Account ID"),
        "{:?}",
        row.offline_reasons
    );

    // A sender that never settles by itself is given back unsettled when time runs out.
    let sink = |_: &SenderView| {};
    let creating = senders.iter().find(|s| s.status == "CREATING").unwrap();
    let last = w
        .core
        .sender_follow(
            &w.whatsapp.id,
            &creating.sid,
            Some(Duration::from_millis(600)),
            &sink,
        )
        .await
        .unwrap();
    assert!(!last.settled);
    assert_eq!(last.status, "CREATING");
}

#[tokio::test]
async fn a_code_whose_answer_is_lost_is_never_sent_twice() {
    let w = world().await;
    w.core
        .sender_register(&w.whatsapp.id, &draft())
        .await
        .unwrap();
    let (waiting, _) = w.follow(NUMBER).await;
    assert!(waiting.awaiting_code);
    let code = w.code_for(NUMBER).await;
    w.admin_post(
        "faults",
        json!({"method": "POST", "path": "*/v2/Channels/Senders/XE*", "status": 500, "count": 1}),
    )
    .await;
    let error = w
        .core
        .sender_verify(&w.whatsapp.id, NUMBER, &code)
        .await
        .unwrap_err();
    assert_eq!(
        error.provider_failure().map(|f| f.kind),
        Some(FailureKind::UnknownOutcome),
        "{error}"
    );
    assert!(error.to_string().contains("verification code"), "{error}");
    let submitted = w
        .sender_requests()
        .await
        .into_iter()
        .filter(|(method, path, _)| method == "POST" && path.contains("/Senders/XE"))
        .count();
    assert_eq!(submitted, 1, "a verification code is not retried blindly");
    // The fault answered in Twilio's place, so the sender still waits and takes the code now.
    let verifying = w
        .core
        .sender_verify(&w.whatsapp.id, NUMBER, &code)
        .await
        .unwrap();
    assert_eq!(verifying.status, "VERIFYING");
}
