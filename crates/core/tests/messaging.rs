//! Test sends against the sandbox: what reaches the provider, statuses followed to a final state,
//! refusals with their kinds, an unknown outcome reconciled instead of repeated, and the error log.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

#[path = "support/sandbox_admin.rs"]
mod sandbox_admin;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use switchboard_core::{
    AttemptFilter, ConnectorDraft, ConnectorKind, ConnectorSettings, CoreError, ElksSettings,
    FollowOptions, LogFilter, MemorySecretStore, MessageAttempt, MessageKind, OrganizationDraft,
    Outcome, ProviderKind, SendRequest, Store, Switchboard, TelnyxSettings, TwilioSettings,
};
use switchboard_sandbox::{RunningSandbox, SandboxConfig};

struct World {
    core: Switchboard,
    org: String,
    sandbox: RunningSandbox,
}

async fn world() -> World {
    world_with_timeout(Duration::from_secs(5)).await
}

async fn world_with_timeout(timeout: Duration) -> World {
    world_with(timeout, 400).await
}

async fn world_with(timeout: Duration, lifecycle_step_ms: u64) -> World {
    let core = Switchboard::new(
        Store::open_in_memory().unwrap(),
        Arc::new(MemorySecretStore::default()),
    )
    .with_provider_timeout(timeout);
    let org = core
        .organization_create(&OrganizationDraft {
            name: "Grand Hotel".into(),
            inbound_base_url: None,
        })
        .unwrap()
        .id;
    let sandbox = switchboard_sandbox::start(SandboxConfig {
        lifecycle_step_ms,
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

impl World {
    /// Every call to the sandbox's admin API goes through here, with its bearer token when the
    /// sandbox hands one out.
    async fn admin(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        sandbox_admin::admin(&self.sandbox, method, path, body).await
    }

    /// A send whose answer is lost: the sandbox answers the next POST to a path matching
    /// `path` with `fault` (a timeout, a 5xx), so the attempt to +46701234567 is stored as unknown.
    async fn send_lost(
        &self,
        connector: &str,
        path: &str,
        fault: Value,
        body: &str,
    ) -> MessageAttempt {
        let mut rule = fault;
        rule["method"] = json!("POST");
        rule["path"] = json!(path);
        rule["count"] = json!(1);
        self.admin(reqwest::Method::POST, "faults", Some(rule))
            .await;
        let attempt = self
            .core
            .message_send(connector, &text("+46701234567", body))
            .await
            .unwrap();
        assert_eq!(attempt.outcome, Outcome::Unknown, "{attempt:?}");
        attempt
    }

    /// The provider requests the sandbox received with this method, path ending and no
    /// admin calls.
    async fn requests(&self, method: &str, path_end: &str) -> Vec<Value> {
        let all = self.admin(reqwest::Method::GET, "requests", None).await;
        all.as_array()
            .unwrap()
            .iter()
            .filter(|r| r["method"] == method && r["path"].as_str().unwrap().ends_with(path_end))
            .cloned()
            .collect()
    }

    fn connector(
        &self,
        kind: ConnectorKind,
        provider: ProviderKind,
        name: &str,
        from: &str,
    ) -> String {
        let seed = self.sandbox.seed();
        let (settings, secret) = match provider {
            ProviderKind::Twilio => (
                ConnectorSettings::Twilio(TwilioSettings {
                    account_sid: seed.twilio.account_sid.clone(),
                    base_url: Some(self.sandbox.twilio_base()),
                    from: Some(from.into()),
                    ..TwilioSettings::default()
                }),
                seed.twilio.auth_token.clone(),
            ),
            ProviderKind::Telnyx => (
                ConnectorSettings::Telnyx(TelnyxSettings {
                    base_url: Some(self.sandbox.telnyx_base()),
                    from: Some(from.into()),
                    ..TelnyxSettings::default()
                }),
                seed.telnyx.api_key.clone(),
            ),
            _ => (
                ConnectorSettings::Elks46(ElksSettings {
                    username: seed.elks.username.clone(),
                    base_url: Some(self.sandbox.elks_base()),
                    from: Some(from.into()),
                }),
                seed.elks.password.clone(),
            ),
        };
        self.core
            .connector_create(&ConnectorDraft {
                org_id: self.org.clone(),
                kind,
                name: name.into(),
                settings,
                recipients: vec![],
                receive_inbound: false,
                secret: Some(secret),
            })
            .unwrap()
            .id
    }

    fn twilio_sms(&self) -> String {
        self.connector(
            ConnectorKind::Sms,
            ProviderKind::Twilio,
            "Twilio SMS",
            "+14155550101",
        )
    }

    async fn template_with_status(&self, approved: bool) -> String {
        let seed = &self.sandbox.seed().twilio;
        let list: Value = reqwest::Client::new()
            .get(format!(
                "{}/v1/ContentAndApprovals",
                self.sandbox.twilio_base()
            ))
            .basic_auth(&seed.account_sid, Some(&seed.auth_token))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        list["contents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| (c["approval_requests"]["status"] == "approved") == approved)
            .and_then(|c| c["sid"].as_str())
            .unwrap()
            .to_owned()
    }
}

fn text(to: &str, body: &str) -> SendRequest {
    SendRequest {
        to: to.into(),
        text: Some(body.into()),
        ..SendRequest::default()
    }
}

/// The form of a logged request body, as (key, value) pairs in order.
fn form(request: &Value) -> Vec<(String, String)> {
    url::form_urlencoded::parse(request["body"].as_str().unwrap().as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn statuses(attempt: &MessageAttempt) -> Vec<&str> {
    attempt.history.iter().map(|h| h.status.as_str()).collect()
}

#[tokio::test]
async fn twilio_text_media_and_template_reach_the_sandbox_with_the_right_form() {
    let w = world().await;
    let sms = w.twilio_sms();
    let whatsapp = w.connector(
        ConnectorKind::Whatsapp,
        ProviderKind::Twilio,
        "WhatsApp",
        "+14155550101",
    );
    // Typed as people type it; the app adds nothing to an SMS.
    let sent = w
        .core
        .message_send(&sms, &text("+46 70-123 45 67", "Your room is ready"))
        .await
        .unwrap();
    assert_eq!(sent.outcome, Outcome::Sent, "{sent:?}");
    assert_eq!(sent.to, "+46701234567");
    assert!(
        sent.provider_message_id
            .as_deref()
            .unwrap()
            .starts_with("SM")
    );
    assert_eq!(statuses(&sent), ["sending", "queued"]);

    let media = w
        .core
        .message_send(
            &whatsapp,
            &SendRequest {
                to: "+46701234567".into(),
                media: vec![
                    "https://hotel.example/menu.jpg".into(),
                    "https://hotel.example/map.png".into(),
                ],
                caption: Some("Tonight's menu".into()),
                validity_period: Some(600),
                status_callback: Some("https://hooks.hotel.example/status".into()),
                ..SendRequest::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(media.kind, MessageKind::Media);
    assert!(
        media
            .provider_message_id
            .as_deref()
            .unwrap()
            .starts_with("MM")
    );

    let template = w.template_with_status(true).await;
    let variables = [("1".to_owned(), "Alice".to_owned())].into();
    let templated = w
        .core
        .message_send(
            &whatsapp,
            &SendRequest {
                to: "whatsapp:+46701234567".into(),
                template: Some(template.clone()),
                variables,
                ..SendRequest::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(templated.outcome, Outcome::Sent, "{templated:?}");

    let posts = w.requests("POST", "/Messages.json").await;
    assert_eq!(posts.len(), 3, "one request per send, no retries");
    let pairs = |fields: &[(&str, &str)]| -> Vec<(String, String)> {
        fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    };
    assert_eq!(
        form(&posts[0]),
        pairs(&[
            ("To", "+46701234567"),
            ("From", "+14155550101"),
            ("Body", "Your room is ready")
        ])
    );
    assert_eq!(
        form(&posts[1]),
        pairs(&[
            ("To", "whatsapp:+46701234567"),
            ("From", "whatsapp:+14155550101"),
            ("Body", "Tonight's menu"),
            ("MediaUrl", "https://hotel.example/menu.jpg"),
            ("MediaUrl", "https://hotel.example/map.png"),
            ("StatusCallback", "https://hooks.hotel.example/status"),
            ("ValidityPeriod", "600"),
        ])
    );
    assert_eq!(
        form(&posts[2]),
        pairs(&[
            ("To", "whatsapp:+46701234567"),
            ("From", "whatsapp:+14155550101"),
            ("ContentSid", &template),
            ("ContentVariables", r#"{"1":"Alice"}"#),
        ])
    );
    w.sandbox.shutdown().await;
}

#[tokio::test]
async fn statuses_are_followed_to_a_final_state_with_every_change_stored_and_pushed() {
    let w = world().await;
    let sms = w.twilio_sms();
    let whatsapp = w.connector(
        ConnectorKind::Whatsapp,
        ProviderKind::Twilio,
        "WhatsApp",
        "+14155550101",
    );
    let sent = w
        .core
        .message_send(&sms, &text("+46701234567", "Hello"))
        .await
        .unwrap();
    let pushed = Arc::new(Mutex::new(Vec::new()));
    let sink = {
        let pushed = pushed.clone();
        Arc::new(move |a: &MessageAttempt| pushed.lock().unwrap().push(a.status.clone()))
    };
    let done = w
        .core
        .message_follow(&sent.id, fast(), Some(sink))
        .await
        .unwrap();
    assert!(done.r#final, "{done:?}");
    assert_eq!(done.outcome, Outcome::Delivered);
    assert_eq!(statuses(&done), ["sending", "queued", "sent", "delivered"]);
    assert_eq!(*pushed.lock().unwrap(), ["sent", "delivered"]);
    assert!(done.delivered_at.is_some() && done.final_at.is_some());

    // On WhatsApp too "sent" is not the end; delivered is (a read receipt may follow).
    let wa = w
        .core
        .message_send(&whatsapp, &text("+46701234567", "Hi"))
        .await
        .unwrap();
    let handle = w.core.message_follow_in_background(&wa.id, fast(), None);
    let wa = handle.await.unwrap().unwrap();
    assert_eq!(statuses(&wa), ["sending", "queued", "sent", "delivered"]);
    assert_eq!(wa.outcome, Outcome::Delivered);

    let bad = w
        .core
        .message_send(&sms, &text("+46701230666", "Hello"))
        .await
        .unwrap();
    let bad = w.core.message_follow(&bad.id, fast(), None).await.unwrap();
    assert_eq!(bad.status, "undelivered");
    assert_eq!(bad.outcome, Outcome::Failed);
    assert_eq!(bad.error_code.as_deref(), Some("30003"));
    assert_eq!(bad.error_kind.as_deref(), Some("INVALID_RECIPIENT"));
    assert!(bad.fix.is_some());
    // The failure is in the error log, with the action and the number.
    let log = w
        .core
        .logs(&LogFilter {
            connector_id: Some(sms.clone()),
            action: Some("send".into()),
            ..LogFilter::default()
        })
        .unwrap();
    assert_eq!(log.entries.len(), 1, "{log:?}");
    assert_eq!(log.entries[0].code.as_deref(), Some("30003"));
    assert_eq!(log.entries[0].number.as_deref(), Some("+46701230666"));
    assert_eq!(log.entries[0].attempt_id.as_deref(), Some(bad.id.as_str()));
    w.sandbox.shutdown().await;
}

#[tokio::test]
async fn twilio_magic_numbers_are_refused_with_their_kinds() {
    let w = world().await;
    let sms = w.twilio_sms();
    for (to, code, kind) in [
        ("+15005550001", "21211", "INVALID_RECIPIENT"),
        ("+15005550004", "21610", "INVALID_RECIPIENT"),
        ("+15005550009", "21614", "INVALID_SENDER"),
        ("+15005550003", "21408", "INVALID_SENDER"),
    ] {
        let attempt = w.core.message_send(&sms, &text(to, "x")).await.unwrap();
        assert_eq!(attempt.outcome, Outcome::Failed, "{to}");
        assert!(attempt.r#final);
        assert_eq!(attempt.status, "refused");
        assert_eq!(attempt.error_code.as_deref(), Some(code), "{to}");
        assert_eq!(attempt.error_kind.as_deref(), Some(kind), "{to}");
    }
    let log = w.core.logs(&LogFilter::default()).unwrap();
    assert_eq!(log.entries.len(), 4);
    assert_eq!(
        log.entries[0].number.as_deref(),
        Some("+15005550003"),
        "newest first"
    );
    w.sandbox.shutdown().await;
}

#[tokio::test]
async fn telnyx_and_46elks_send_the_right_bodies_and_reach_delivered() {
    let w = world().await;
    let telnyx = w.connector(
        ConnectorKind::Sms,
        ProviderKind::Telnyx,
        "Telnyx",
        "+13125550101",
    );
    let elks = w.connector(
        ConnectorKind::Sms,
        ProviderKind::Elks46,
        "46elks",
        "+46766860101",
    );
    let a = w
        .core
        .message_send(&telnyx, &text("+46 70 123 45 67", "Telnyx hello"))
        .await
        .unwrap();
    let b = w
        .core
        .message_send(&elks, &text("+46 70 123 45 67", "Elks hello"))
        .await
        .unwrap();
    let posted = w.requests("POST", "/v2/messages").await;
    assert_eq!(posted.len(), 1);
    let body: Value = serde_json::from_str(posted[0]["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"from": "+13125550101", "to": "+46701234567", "text": "Telnyx hello"})
    );
    let posted = w.requests("POST", "/a1/sms").await;
    assert_eq!(posted.len(), 1);
    let pairs: Vec<(String, String)> = form(&posted[0]);
    assert_eq!(
        pairs,
        [
            ("from".to_owned(), "+46766860101".to_owned()),
            ("to".to_owned(), "+46701234567".to_owned()),
            ("message".to_owned(), "Elks hello".to_owned()),
        ]
    );
    // Followed side by side, so each sees every step of its own lifecycle.
    let handles = [a, b].map(|attempt| {
        w.core
            .message_follow_in_background(&attempt.id, fast(), None)
    });
    for handle in handles {
        let done = handle.await.unwrap().unwrap();
        assert_eq!(done.status, "delivered", "{done:?}");
        assert!(done.r#final);
        assert!(statuses(&done).contains(&"sent"), "{done:?}");
    }
    w.sandbox.shutdown().await;
}

/// A lost send the provider has not sent yet (queued: no date_sent, so a DateSent list leaves
/// it out) is found although an earlier message to the same recipient, sent, is in that list.
#[tokio::test]
async fn reconciling_finds_a_queued_send_beside_one_already_sent_to_the_same_recipient() {
    let w = world_with(Duration::from_millis(300), 1_500).await;
    let sms = w.twilio_sms();
    let earlier = w
        .core
        .message_send(&sms, &text("+46701234567", "Earlier"))
        .await
        .unwrap();
    assert!(earlier.provider_message_id.is_some(), "{earlier:?}");
    // Past its first lifecycle step: sent, with a date_sent.
    tokio::time::sleep(Duration::from_millis(2_200)).await;
    let lost = w
        .send_lost(
            &sms,
            "*Messages.json",
            json!({"kind": "timeout"}),
            "Still queued",
        )
        .await;
    // Well within its first step: still queued at the provider.
    let found = w.core.message_reconcile(&lost.id).await.unwrap();
    assert_ne!(found.outcome, Outcome::Unknown, "{found:?}");
    assert_ne!(
        found.provider_message_id, earlier.provider_message_id,
        "{found:?}"
    );
    let listed = w.requests("GET", "/Messages.json").await;
    assert!(
        listed
            .iter()
            .any(|r| r["query"].as_str().unwrap().contains("DateSent"))
            && listed
                .iter()
                .any(|r| !r["query"].as_str().unwrap().contains("DateSent")),
        "asked with the DateSent filter, then without: {listed:?}"
    );
    w.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_send_that_times_out_is_unknown_and_reconciling_finds_the_one_message() {
    let w = world_with_timeout(Duration::from_millis(700)).await;
    let sms = w.twilio_sms();
    let attempt = w
        .send_lost(
            &sms,
            "*Messages.json",
            json!({"kind": "timeout"}),
            "Late answer",
        )
        .await;
    assert_eq!(attempt.status, "unknown");
    assert!(!attempt.r#final);
    assert_eq!(attempt.error_kind.as_deref(), Some("UNKNOWN_OUTCOME"));
    assert_eq!(
        w.requests("POST", "/Messages.json").await.len(),
        1,
        "never sent twice"
    );

    let found = w.core.message_reconcile(&attempt.id[..8]).await.unwrap();
    let listed = w.requests("GET", "/Messages.json").await;
    assert!(!listed.is_empty());
    let query = listed[0]["query"].as_str().unwrap();
    assert!(
        query.contains("To=%2B46701234567") && query.contains("From=%2B14155550101"),
        "{query}"
    );
    assert!(query.contains("DateSent%3E="), "{query}");
    assert_ne!(found.outcome, Outcome::Unknown, "{found:?}");
    assert!(found.error_kind.is_none(), "{found:?}");
    let sid = found.provider_message_id.clone().unwrap();
    // Exactly one message at the provider, and it is the one the attempt now holds.
    let seed = &w.sandbox.seed().twilio;
    let messages: Value = reqwest::Client::new()
        .get(format!(
            "{}/2010-04-01/Accounts/{}/Messages.json",
            w.sandbox.twilio_base(),
            seed.account_sid
        ))
        .basic_auth(&seed.account_sid, Some(&seed.auth_token))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let all = messages["messages"].as_array().unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["sid"], sid.as_str());
    let done = w
        .core
        .message_follow(&found.id, fast(), None)
        .await
        .unwrap();
    assert_eq!(done.outcome, Outcome::Delivered);
    assert!(
        statuses(&done).starts_with(&["sending", "unknown"]),
        "{done:?}"
    );
    w.sandbox.shutdown().await;
}

#[tokio::test]
async fn telnyx_cannot_reconcile_and_says_what_to_do() {
    let w = world_with_timeout(Duration::from_millis(700)).await;
    let telnyx = w.connector(
        ConnectorKind::Sms,
        ProviderKind::Telnyx,
        "Telnyx",
        "+13125550101",
    );
    let attempt = w
        .send_lost(&telnyx, "*/v2/messages", json!({"kind": "timeout"}), "Late")
        .await;
    let checked = w.core.message_reconcile(&attempt.id).await.unwrap();
    assert_eq!(checked.outcome, Outcome::Unknown);
    assert!(
        checked
            .error_message
            .as_deref()
            .unwrap()
            .contains("Mission Control"),
        "{checked:?}"
    );
    w.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_46elks_send_with_more_than_a_page_of_newer_messages_is_still_found() {
    let w = world_with_timeout(Duration::from_millis(700)).await;
    let elks = w.connector(
        ConnectorKind::Sms,
        ProviderKind::Elks46,
        "46elks",
        "+46766860101",
    );
    let attempt = w
        .send_lost(&elks, "*/a1/sms", json!({"kind": "timeout"}), "Late answer")
        .await;
    // Before anyone checks, 150 more messages go to the same guest: the one sought is no longer
    // on 46elks' newest page of 100.
    let seed = &w.sandbox.seed().elks;
    let http = reqwest::Client::new();
    for n in 0..150 {
        let sent = http
            .post(format!("{}/a1/sms", w.sandbox.elks_base()))
            .basic_auth(&seed.username, Some(&seed.password))
            .form(&[
                ("from", "+46766860101"),
                ("to", "+46701234567"),
                ("message", &format!("Later news {n}")),
            ])
            .send()
            .await
            .unwrap();
        assert!(sent.status().is_success(), "{}", sent.status());
    }

    let found = w.core.message_reconcile(&attempt.id).await.unwrap();
    assert_ne!(found.outcome, Outcome::Unknown, "{found:?}");
    let id = found.provider_message_id.clone().unwrap();
    let sms: Value = http
        .get(format!("{}/a1/sms/{id}", w.sandbox.elks_base()))
        .basic_auth(&seed.username, Some(&seed.password))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        sms["message"], "Late answer",
        "the attempt took its own message"
    );
    let listed = w.requests("GET", "/a1/sms").await;
    assert!(listed.len() >= 2, "paged back: {listed:?}");
    let query = listed[0]["query"].as_str().unwrap();
    assert!(
        query.contains("to=%2B46701234567") && query.contains("end="),
        "{query}"
    );
    assert!(
        listed[1]["query"].as_str().unwrap().contains("start="),
        "{listed:?}"
    );
    let posted = w.requests("POST", "/a1/sms").await;
    let late: Vec<_> = posted
        .iter()
        .filter(|r| r["body"].as_str().unwrap().contains("answer"))
        .collect();
    assert_eq!(late.len(), 1, "never sent twice");
    w.sandbox.shutdown().await;
}

#[tokio::test]
async fn bad_input_is_a_field_error_and_nothing_is_sent() {
    let w = world().await;
    let sms = w.twilio_sms();
    let whatsapp = w.connector(
        ConnectorKind::Whatsapp,
        ProviderKind::Twilio,
        "WhatsApp",
        "+14155550101",
    );
    let elks = w.connector(ConnectorKind::Sms, ProviderKind::Elks46, "46elks", "Hotel");
    let cases: Vec<(&str, SendRequest, &str)> = vec![
        (&sms, text("0701234567", "x"), "to"),
        (
            &whatsapp,
            SendRequest {
                to: "+46701234567".into(),
                template: Some("HX123".into()),
                ..SendRequest::default()
            },
            "template",
        ),
        (
            &whatsapp,
            SendRequest {
                to: "+46701234567".into(),
                media: vec!["http://hotel.example/a.jpg".into()],
                ..SendRequest::default()
            },
            "media",
        ),
        (&sms, text("+46701234567", &"x".repeat(1601)), "text"),
        (
            &whatsapp,
            SendRequest {
                from: Some("HotelName".into()),
                ..text("+46701234567", "x")
            },
            "from",
        ),
        (
            &sms,
            SendRequest {
                from: Some("+14155550199".into()),
                ..text("+46701234567", "x")
            },
            "from",
        ),
        (
            &elks,
            SendRequest {
                from: Some("1Hotel".into()),
                ..text("+46701234567", "x")
            },
            "from",
        ),
        (
            &sms,
            SendRequest {
                validity_period: Some(40_000),
                ..text("+46701234567", "x")
            },
            "validityPeriod",
        ),
        (
            &sms,
            SendRequest {
                media: vec!["https://hotel.example/a.jpg".into()],
                ..text("+46701234567", "x")
            },
            "kind",
        ),
    ];
    for (connector, request, field) in cases {
        let error = w.core.message_send(connector, &request).await.unwrap_err();
        let CoreError::Validation(fields) = &error else {
            panic!("{request:?}: {error:?}");
        };
        assert_eq!(fields[0].field, field, "{request:?}: {fields:?}");
    }
    // A template the account has but WhatsApp has not approved.
    let rejected = w.template_with_status(false).await;
    let error = w
        .core
        .message_send(
            &whatsapp,
            &SendRequest {
                to: "+46701234567".into(),
                template: Some(rejected),
                ..SendRequest::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(error.fields()[0].field, "template", "{error:?}");
    assert!(error.to_string().contains("approved"), "{error}");
    assert!(w.requests("POST", "/Messages.json").await.is_empty());
    assert!(w.requests("POST", "/a1/sms").await.is_empty());
    assert!(
        w.core
            .message_attempts(&sms, &AttemptFilter::default())
            .unwrap()
            .attempts
            .is_empty()
    );
    w.sandbox.shutdown().await;
}

#[tokio::test]
async fn attempts_not_final_are_picked_up_again_after_a_restart() {
    let w = world().await;
    let sms = w.twilio_sms();
    let first = w
        .core
        .message_send(&sms, &text("+46701234567", "one"))
        .await
        .unwrap();
    let second = w
        .core
        .message_send(&sms, &text("+46701234568", "two"))
        .await
        .unwrap();
    let handles = w.core.messages_resume(fast(), None).await.unwrap();
    assert_eq!(handles.len(), 2);
    for handle in handles {
        assert!(handle.await.unwrap().unwrap().r#final);
    }
    for id in [first.id, second.id] {
        assert_eq!(
            w.core.message_attempt(&id).unwrap().outcome,
            Outcome::Delivered
        );
    }
    assert!(
        w.core
            .messages_resume(fast(), None)
            .await
            .unwrap()
            .is_empty()
    );
    let stats = w.core.messaging_stats(&sms, 30).unwrap();
    assert_eq!((stats.total_sent, stats.total_fails), (2, 0));
    assert!(stats.delivery_p50_ms.is_some());
    w.sandbox.shutdown().await;
}

impl World {
    /// The seeded Twilio account's Messaging Service SID (`MG…`).
    async fn messaging_service(&self) -> String {
        let seed = &self.sandbox.seed().twilio;
        let services: Value = reqwest::Client::new()
            .get(format!("{}/v1/Services", self.sandbox.twilio_base()))
            .basic_auth(&seed.account_sid, Some(&seed.auth_token))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        services["services"][0]["sid"].as_str().unwrap().to_owned()
    }
}

#[tokio::test]
async fn a_messaging_service_stands_in_for_from_and_starts_accepted() {
    let w = world().await;
    let sms = w.twilio_sms();
    let service = w.messaging_service().await;
    let attempt = w
        .core
        .message_send(
            &sms,
            &SendRequest {
                from: Some(service.clone()),
                ..text("+46701234567", "Via the pool")
            },
        )
        .await
        .unwrap();
    assert_eq!(attempt.status, "accepted", "{attempt:?}");
    assert_eq!(attempt.from, service);
    let posts = w.requests("POST", "/Messages.json").await;
    let sent = form(&posts[0]);
    assert!(sent.contains(&("MessagingServiceSid".to_owned(), service.clone())));
    assert!(!sent.iter().any(|(key, _)| key == "From"), "{sent:?}");
    let done = w
        .core
        .message_follow(&attempt.id, fast(), None)
        .await
        .unwrap();
    assert_eq!(done.outcome, Outcome::Delivered);
    assert!(
        statuses(&done).starts_with(&["sending", "accepted", "queued"]),
        "{done:?}"
    );
    // A malformed one is a field error.
    let error = w
        .core
        .message_send(
            &sms,
            &SendRequest {
                from: Some("MG123".into()),
                ..text("+46701234567", "x")
            },
        )
        .await
        .unwrap_err();
    assert_eq!(error.fields()[0].field, "from");
    w.sandbox.shutdown().await;
}

/// A Twilio connector's own From may be a Messaging Service SID (seeds 000/002 require a From;
/// Twilio may use a service instead): a send naming no sender goes through the service, and the
/// numbers and the history import, which read the connector's sender too, still work.
#[tokio::test]
async fn a_connectors_own_messaging_service_is_its_default_sender() {
    let w = world().await;
    let service = w.messaging_service().await;
    let sms = w.connector(
        ConnectorKind::Sms,
        ProviderKind::Twilio,
        "Twilio pool",
        &service,
    );
    let attempt = w
        .core
        .message_send(&sms, &text("+46701234567", "Via the pool"))
        .await
        .unwrap();
    assert_eq!(attempt.from, service);
    assert_eq!(attempt.status, "accepted", "{attempt:?}");
    let posts = w.requests("POST", "/Messages.json").await;
    let sent = form(&posts[0]);
    assert!(sent.contains(&("MessagingServiceSid".to_owned(), service.clone())));
    assert!(!sent.iter().any(|(key, _)| key == "From"), "{sent:?}");
    let list = w.core.numbers_refresh(&sms).await.unwrap();
    assert!(
        list.numbers.iter().any(|n| n.e164 == "+14155550101"),
        "{list:?}"
    );
    w.core.messages_sync(&sms).await.unwrap();
    let listed = w.requests("GET", "/Messages.json").await;
    assert!(!listed.is_empty(), "the history import listed messages");
    assert!(
        listed
            .iter()
            .all(|r| !r["query"].as_str().unwrap_or_default().contains(&service)),
        "a Messaging Service SID is no address to list messages of: {listed:?}"
    );
    w.sandbox.shutdown().await;
}

/// A connector stored before From was required (no sender of its own) still loads and lists,
/// sends from its only active number (or asks which one), and an edit asks for the From.
#[tokio::test]
async fn a_stored_connector_without_a_from_still_works_and_an_edit_asks_for_one() {
    let w = world().await;
    let sms = w.twilio_sms();
    let seed = w.sandbox.seed();
    let old = ConnectorDraft {
        org_id: w.org.clone(),
        kind: ConnectorKind::Sms,
        name: "Twilio SMS".into(),
        settings: ConnectorSettings::Twilio(TwilioSettings {
            account_sid: seed.twilio.account_sid.clone(),
            base_url: Some(w.sandbox.twilio_base()),
            from: None,
            ..TwilioSettings::default()
        }),
        recipients: vec![],
        receive_inbound: false,
        secret: None,
    };
    // The row as an older Switchboard left it: written to the store, past the validator.
    w.core
        .store()
        .update_connector(&sms, &old, "2025-04-01T00:00:00.000Z")
        .unwrap();
    assert_eq!(w.core.connector(&sms).unwrap().settings.sender(), None);
    assert!(
        w.core
            .connectors(None)
            .unwrap()
            .iter()
            .any(|c| c.id == sms && c.settings.sender().is_none())
    );
    let Err(CoreError::Validation(errors)) = w.core.connector_update(&sms, &old) else {
        panic!("an edit without a From must be refused");
    };
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].field, "settings.from");

    let listed = w.core.numbers_refresh(&sms).await.unwrap();
    let all: Vec<String> = listed.numbers.iter().map(|n| n.e164.clone()).collect();
    w.core.numbers_set_active(&sms, &all, false).unwrap();
    w.core
        .numbers_set_active(&sms, &["+14155550103".to_owned()], true)
        .unwrap();
    let attempt = w
        .core
        .message_send(&sms, &text("+46701234567", "From the only one"))
        .await
        .unwrap();
    assert_eq!(attempt.from, "+14155550103");
    w.core
        .numbers_set_active(&sms, &["+14155550101".to_owned()], true)
        .unwrap();
    let error = w
        .core
        .message_send(&sms, &text("+46701234567", "Which one?"))
        .await
        .unwrap_err();
    assert_eq!(error.fields()[0].field, "from", "{error:?}");
    assert!(
        error.fields()[0].message.starts_with("Choose the sender"),
        "{error:?}"
    );
    w.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_telnyx_number_without_a_messaging_profile_is_caught_before_sending() {
    let w = world().await;
    let telnyx = w.connector(
        ConnectorKind::Sms,
        ProviderKind::Telnyx,
        "Telnyx",
        "+13125550101",
    );
    let list = w.core.numbers_refresh(&telnyx).await.unwrap();
    let all: Vec<String> = list.numbers.iter().map(|n| n.e164.clone()).collect();
    w.core.numbers_set_active(&telnyx, &all, true).unwrap();
    let error = w
        .core
        .message_send(
            &telnyx,
            &SendRequest {
                from: Some("+13125550103".into()),
                ..text("+46701234567", "x")
            },
        )
        .await
        .unwrap_err();
    assert_eq!(error.fields()[0].field, "from", "{error:?}");
    assert!(error.to_string().contains("messaging profile"), "{error}");
    assert!(w.requests("POST", "/v2/messages").await.is_empty());
    // Its sibling on the profile sends.
    let sent = w
        .core
        .message_send(
            &telnyx,
            &SendRequest {
                from: Some("+13125550102".into()),
                ..text("+46701234567", "x")
            },
        )
        .await
        .unwrap();
    assert_eq!(sent.outcome, Outcome::Sent, "{sent:?}");
    w.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_5xx_on_a_send_is_unknown_and_a_missing_message_is_not_declared_unsent_too_soon() {
    let w = world().await;
    let sms = w.twilio_sms();
    let attempt = w
        .send_lost(&sms, "*Messages.json", json!({"status": 500}), "Maybe")
        .await;
    assert_eq!(
        w.requests("POST", "/Messages.json").await.len(),
        1,
        "not retried"
    );
    // The sandbox never processed it; a minute later it could still appear, so it stays
    // unknown (Check, not Send again) and says when to look again.
    let checked = w.core.message_reconcile(&attempt.id).await.unwrap();
    assert_eq!(checked.outcome, Outcome::Unknown);
    assert!(!checked.r#final);
    assert!(
        checked
            .error_message
            .as_deref()
            .unwrap()
            .contains("check again"),
        "{checked:?}"
    );
    let log = w
        .core
        .logs(&LogFilter {
            level: Some("warning".into()),
            ..LogFilter::default()
        })
        .unwrap();
    assert_eq!(log.entries[0].kind.as_deref(), Some("UNKNOWN_OUTCOME"));
    w.sandbox.shutdown().await;
}

#[tokio::test]
async fn the_accounts_approved_templates_come_with_their_variables_and_text() {
    let w = world().await;
    let whatsapp = w.connector(
        ConnectorKind::Whatsapp,
        ProviderKind::Twilio,
        "WhatsApp",
        "+14155550101",
    );
    let approved = w.core.message_templates(&whatsapp, false).await.unwrap();
    let names: Vec<&str> = approved.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        ["appointment_reminder", "order_update", "welcome_media"]
    );
    let order = &approved[1];
    assert!(order.sid.starts_with("HX") && order.approved);
    assert_eq!(order.category.as_deref(), Some("UTILITY"));
    assert_eq!(
        order.body.as_deref(),
        Some("Hi {{1}}, your order {{2}} has shipped.")
    );
    let variables: Vec<(&str, Option<&str>)> = order
        .variables
        .iter()
        .map(|v| (v.name.as_str(), v.default.as_deref()))
        .collect();
    assert_eq!(
        variables,
        [("1", Some("customer")), ("2", Some("order number"))]
    );

    let all = w.core.message_templates(&whatsapp, true).await.unwrap();
    let rejected = all.iter().find(|t| t.name == "spring_sale").unwrap();
    assert!(!rejected.approved);
    assert_eq!(rejected.status, "rejected");
    assert!(
        rejected
            .rejection_reason
            .as_deref()
            .unwrap()
            .contains("commerce policy")
    );

    // A template picked from the list sends as is.
    let sent = w
        .core
        .message_send(
            &whatsapp,
            &SendRequest {
                to: "+46701234567".into(),
                template: Some(order.sid.clone()),
                variables: [
                    ("1".to_owned(), "Alice".to_owned()),
                    ("2".to_owned(), "42".to_owned()),
                ]
                .into_iter()
                .collect(),
                ..SendRequest::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(sent.outcome, Outcome::Sent, "{sent:?}");
}

#[tokio::test]
async fn a_test_send_that_the_history_import_also_lists_is_counted_once() {
    let w = world().await;
    let sms = w.twilio_sms();
    let sent = w
        .core
        .message_send(&sms, &text("+46701234567", "Counted once"))
        .await
        .unwrap();
    let sent = w.core.message_follow(&sent.id, fast(), None).await.unwrap();
    assert_eq!(sent.outcome, Outcome::Delivered, "{sent:?}");
    let before = w.core.messaging_stats(&sms, 30).unwrap();
    let report = w.core.messages_sync(&sms).await.unwrap();
    assert!(
        report.new >= 1,
        "the import lists the test send too: {report:?}"
    );
    let imported = w.core.imported_messages(&sms, 100).unwrap();
    assert!(
        imported
            .iter()
            .any(|m| Some(&m.provider_message_id) == sent.provider_message_id.as_ref())
    );
    let after = w.core.messaging_stats(&sms, 30).unwrap();
    assert_eq!(
        (after.total_sent, after.attempts),
        (before.total_sent, before.attempts),
        "{after:?}"
    );
}
