//! The webhook inspector's listener driven by the sandbox's inbound simulation: a full round trip
//! per provider (the sandbox signs and posts, the listener verifies, answers and records), a
//! status callback recorded on its attempt, and tampered copies — altered in flight by a proxy in
//! front of the listener — refused with the right reason.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use serde_json::{Value, json};
use switchboard_core::inspect::{
    EMPTY_TWIML, InspectorListener, ListenOptions, ReasonCode, UrlSource, WebhookKind,
};
use switchboard_core::{
    ConnectorDraft, ConnectorKind, ConnectorSettings, CoreError, ElksSettings, MemorySecretStore,
    OrganizationDraft, SendRequest, Store, Switchboard, TelnyxSettings, TwilioSettings,
};
use switchboard_sandbox::{RunningSandbox, SandboxConfig};

const GUEST: &str = "+46701234567";

/// What the proxy in front of the listener does to the next request.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Tamper {
    Nothing,
    ChangeBody,
    DropSignature,
    OldTimestamp,
}

/// A request as forwarded: path and query, headers, body.
type Forwarded = (String, Vec<(String, String)>, String);

struct Proxy {
    target: String,
    tamper: Mutex<Tamper>,
    /// Every request forwarded, to replay one later.
    forwarded: Mutex<Vec<Forwarded>>,
}

async fn forward(
    State(proxy): State<Arc<Proxy>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    let tamper = *proxy.tamper.lock().unwrap();
    let mut request = reqwest::Client::new().post(format!("{}{}", proxy.target, uri));
    for (name, value) in &headers {
        let name = name.as_str();
        if name == "host" || name == "content-length" {
            continue;
        }
        if tamper == Tamper::DropSignature && name.contains("signature") {
            continue;
        }
        if tamper == Tamper::OldTimestamp && name == "telnyx-timestamp" {
            let old = value.to_str().unwrap().parse::<i64>().unwrap() - 600;
            request = request.header(name, old.to_string());
            continue;
        }
        request = request.header(name, value.to_str().unwrap());
    }
    // A proxy says where the request was sent, so the URL the provider signed can be rebuilt.
    let host = headers["host"].to_str().unwrap().to_owned();
    request = request
        .header("x-forwarded-proto", "http")
        .header("x-forwarded-host", host);
    let mut body = String::from_utf8(body.to_vec()).unwrap();
    if tamper == Tamper::ChangeBody {
        body = body.replacen("breakfast", "dinner", 1);
    }
    proxy.forwarded.lock().unwrap().push((
        uri.to_string(),
        headers
            .iter()
            .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap().to_owned()))
            .collect(),
        body.clone(),
    ));
    let answer = request.body(body).send().await.unwrap();
    let status = StatusCode::from_u16(answer.status().as_u16()).unwrap();
    (status, answer.text().await.unwrap())
}

struct World {
    core: Switchboard,
    org: String,
    sandbox: RunningSandbox,
    listener: InspectorListener,
    proxy: Arc<Proxy>,
    proxy_url: String,
}

async fn world() -> World {
    let core = Switchboard::new(
        Store::open_in_memory().unwrap(),
        Arc::new(MemorySecretStore::default()),
    );
    let sandbox = switchboard_sandbox::start(SandboxConfig {
        lifecycle_step_ms: 100,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let listener = core
        .inspector_listen(ListenOptions::default(), None)
        .await
        .unwrap();
    let proxy = Arc::new(Proxy {
        target: listener.url(),
        tamper: Mutex::new(Tamper::Nothing),
        forwarded: Mutex::new(Vec::new()),
    });
    let app = axum::Router::new()
        .fallback(forward)
        .with_state(proxy.clone());
    let socket = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy_url = format!("http://{}", socket.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(socket, app).await });
    // The providers post to the listener directly (its URL is the organization's base URL).
    let org = core
        .organization_create(&OrganizationDraft {
            name: "Grand Hotel".into(),
            inbound_base_url: Some(listener.url()),
        })
        .unwrap()
        .id;
    World {
        core,
        org,
        sandbox,
        listener,
        proxy,
        proxy_url,
    }
}

impl World {
    fn connector(&self, name: &str, settings: ConnectorSettings, secret: &str) -> String {
        self.core
            .connector_create(&ConnectorDraft {
                org_id: self.org.clone(),
                kind: ConnectorKind::Sms,
                name: name.into(),
                settings,
                recipients: vec![],
                receive_inbound: true,
                secret: Some(secret.into()),
            })
            .unwrap()
            .id
    }

    fn twilio(&self) -> String {
        let seed = &self.sandbox.seed().twilio;
        self.connector(
            "Front desk",
            ConnectorSettings::Twilio(TwilioSettings {
                account_sid: seed.account_sid.clone(),
                base_url: Some(self.sandbox.twilio_base()),
                from: Some("+14155550101".into()),
                ..TwilioSettings::default()
            }),
            &seed.auth_token,
        )
    }

    fn telnyx(&self, public_key: Option<String>) -> String {
        self.connector(
            "Reception",
            ConnectorSettings::Telnyx(TelnyxSettings {
                base_url: Some(self.sandbox.telnyx_base()),
                from: Some("+13125550101".into()),
                public_key,
                ..TelnyxSettings::default()
            }),
            &self.sandbox.seed().telnyx.api_key,
        )
    }

    fn elks(&self) -> String {
        let seed = &self.sandbox.seed().elks;
        self.connector(
            "Concierge",
            ConnectorSettings::Elks46(ElksSettings {
                username: seed.username.clone(),
                base_url: Some(self.sandbox.elks_base()),
                from: Some("+46766860101".into()),
            }),
            &seed.password,
        )
    }

    fn webhook_url(&self, connector: &str) -> String {
        self.core.webhook_url(connector).unwrap().url.unwrap()
    }

    /// The same URL, through the tampering proxy.
    fn via_proxy(&self, url: &str) -> String {
        url.replacen(&self.listener.url(), &self.proxy_url, 1)
    }

    fn tamper(&self, how: Tamper) {
        *self.proxy.tamper.lock().unwrap() = how;
    }

    /// Points the Twilio number's SmsUrl at `url`; returns the number.
    async fn twilio_number_to(&self, url: &str) -> String {
        let seed = &self.sandbox.seed().twilio;
        let base = format!(
            "{}/2010-04-01/Accounts/{}/IncomingPhoneNumbers",
            self.sandbox.twilio_base(),
            seed.account_sid
        );
        let client = reqwest::Client::new();
        let list: Value = client
            .get(format!("{base}.json"))
            .basic_auth(&seed.account_sid, Some(&seed.auth_token))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let number = &list["incoming_phone_numbers"][0];
        let answer = client
            .post(format!("{base}/{}.json", number["sid"].as_str().unwrap()))
            .basic_auth(&seed.account_sid, Some(&seed.auth_token))
            .form(&[("SmsUrl", url), ("SmsMethod", "POST")])
            .send()
            .await
            .unwrap();
        assert!(answer.status().is_success());
        number["phone_number"].as_str().unwrap().to_owned()
    }

    /// Points the messaging profile of a Telnyx number at `url`; returns the number.
    async fn telnyx_number_to(&self, url: &str) -> String {
        let base = self.sandbox.telnyx_base();
        let key = &self.sandbox.seed().telnyx.api_key;
        let client = reqwest::Client::new();
        let numbers: Value = client
            .get(format!("{base}/v2/phone_numbers"))
            .bearer_auth(key)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let number = numbers["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["messaging_profile_id"].is_string())
            .unwrap();
        let profile = number["messaging_profile_id"].as_str().unwrap();
        let answer = client
            .patch(format!("{base}/v2/messaging_profiles/{profile}"))
            .bearer_auth(key)
            .json(&json!({ "webhook_url": url }))
            .send()
            .await
            .unwrap();
        assert!(answer.status().is_success());
        number["phone_number"].as_str().unwrap().to_owned()
    }

    /// Sets the `sms_url` of the first 46elks number to `url`; returns the number.
    async fn elks_number_to(&self, url: &str) -> String {
        let seed = &self.sandbox.seed().elks;
        let base = format!("{}/a1/numbers", self.sandbox.elks_base());
        let client = reqwest::Client::new();
        let list: Value = client
            .get(&base)
            .basic_auth(&seed.username, Some(&seed.password))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let number = &list["data"][0];
        let answer = client
            .post(format!("{base}/{}", number["id"].as_str().unwrap()))
            .basic_auth(&seed.username, Some(&seed.password))
            .form(&[("sms_url", url)])
            .send()
            .await
            .unwrap();
        assert!(answer.status().is_success());
        number["number"].as_str().unwrap().to_owned()
    }

    /// The sandbox's inbound simulation: it signs and posts the webhook, and returns what the
    /// listener answered.
    async fn inbound(&self, to: &str, body: &str) -> Value {
        let start: Value = serde_json::from_str(&self.sandbox.start_line()).unwrap();
        let answer = reqwest::Client::new()
            .post(format!("{}/_sandbox/inbound", self.sandbox.url()))
            .bearer_auth(start["admin_token"].as_str().unwrap())
            .json(&json!({ "to": to, "from": GUEST, "body": body }))
            .send()
            .await
            .unwrap();
        assert!(
            answer.status().is_success(),
            "{}",
            answer.text().await.unwrap()
        );
        answer.json().await.unwrap()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_twilio_inbound_round_trip_and_tampered_copies() {
    let w = world().await;
    let id = w.twilio();
    let url = w.webhook_url(&id);
    let number = w.twilio_number_to(&url).await;

    let answer = w.inbound(&number, "Is breakfast served at 7?").await;
    assert_eq!(answer["status"], 200, "{answer:#}");
    assert_eq!(answer["body"], EMPTY_TWIML);
    assert!(
        answer["content_type"]
            .as_str()
            .unwrap()
            .starts_with("text/xml")
    );
    let seen = &w.listener.recent()[0];
    assert!(seen.report.valid, "{:?}", seen.report);
    assert_eq!(seen.report.kind, WebhookKind::InboundMessage);
    assert_eq!(seen.report.connector_id.as_deref(), Some(id.as_str()));
    assert_eq!(seen.report.number.as_deref(), Some(number.as_str()));
    assert_eq!(seen.report.other_party.as_deref(), Some(GUEST));
    assert_eq!(w.listener.counts().inbound_messages, 1);
    // Stored with the connector's messages, where the message list shows it.
    let stored = w.core.imported_messages(&id, 10).unwrap();
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert_eq!(stored[0].direction, "inbound");
    assert_eq!(stored[0].outcome, "received");
    assert_eq!(stored[0].from, GUEST);
    assert_eq!(stored[0].to, number);
    assert_eq!(
        stored[0].body_excerpt.as_deref(),
        Some("Is breakfast served at 7?")
    );
    assert!(seen.applied.as_deref().unwrap().contains("stored"));

    // Through a proxy: Twilio signed the proxy's URL; the listener finds it from X-Forwarded-*.
    w.twilio_number_to(&w.via_proxy(&url)).await;
    let answer = w.inbound(&number, "Is breakfast served at 7?").await;
    assert_eq!(answer["status"], 200, "{answer:#}");
    let seen = &w.listener.recent()[0];
    assert_eq!(
        seen.report.signed_variant.as_ref().unwrap().source,
        UrlSource::Forwarded
    );

    for (tamper, reason) in [
        (Tamper::ChangeBody, ReasonCode::TokenOrBody),
        (Tamper::DropSignature, ReasonCode::MissingSignature),
    ] {
        w.tamper(tamper);
        let answer = w.inbound(&number, "Is breakfast served at 7?").await;
        assert_eq!(answer["status"], 403, "{tamper:?}: {answer:#}");
        let code = serde_json::to_value(reason).unwrap();
        assert!(
            answer["body"]
                .as_str()
                .unwrap()
                .starts_with(code.as_str().unwrap()),
            "{tamper:?}: {answer:#}"
        );
        let seen = &w.listener.recent()[0];
        assert!(!seen.report.valid);
        assert_eq!(seen.report.reasons[0].code, reason, "{tamper:?}");
        assert_eq!(seen.answered, 403);
    }
    assert_eq!(w.listener.counts().inbound_messages, 2);
    assert_eq!(w.listener.counts().refused, 2);
    // Only the two genuine ones are stored; the tampered copies changed nothing.
    assert_eq!(w.core.imported_count(&id).unwrap(), 2);
    assert_eq!(w.listener.counts().inbound_stored, 2);

    // A webhook token that is no longer the connector's: refused although Twilio signed it.
    w.core.webhook_regenerate(&id).unwrap();
    w.tamper(Tamper::Nothing);
    w.twilio_number_to(&url).await;
    let answer = w.inbound(&number, "Hello?").await;
    assert_eq!(answer["status"], 403);
    assert_eq!(
        w.listener.recent()[0].report.reasons[0].code,
        ReasonCode::TokenMismatch
    );
    assert_eq!(
        w.core.imported_count(&id).unwrap(),
        2,
        "an old token stores nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_twilio_status_callback_updates_its_attempt() {
    let w = world().await;
    let id = w.twilio();
    let url = w.webhook_url(&id);
    w.twilio_number_to(&url).await;
    let sent = w
        .core
        .message_send(
            &id,
            &SendRequest {
                to: GUEST.into(),
                text: Some("Your room is ready".into()),
                status_callback: Some(url.clone()),
                ..SendRequest::default()
            },
        )
        .await
        .unwrap();
    // Nothing polls: only the callbacks the listener receives move the attempt on. The listener
    // counts a callback after it has stored it: wait for both, or the counts below race it.
    let mut attempt = sent.clone();
    for _ in 0..100 {
        attempt = w.core.message_attempt(&sent.id).unwrap();
        let counts = w.listener.counts();
        if attempt.r#final && counts.status_callbacks >= 2 && counts.attempts_updated >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(attempt.status, "delivered", "{attempt:?}");
    assert!(attempt.delivered_at.is_some());
    let statuses: Vec<&str> = attempt.history.iter().map(|h| h.status.as_str()).collect();
    assert!(statuses.contains(&"sent"), "{statuses:?}");
    let counts = w.listener.counts();
    assert!(counts.status_callbacks >= 2, "{counts:?}");
    assert!(counts.attempts_updated >= 2, "{counts:?}");
    let callback = w
        .listener
        .recent()
        .into_iter()
        .find(|r| r.report.kind == WebhookKind::StatusCallback)
        .unwrap();
    assert_eq!(
        callback.report.attempt_id.as_deref(),
        Some(sent.id.as_str())
    );
    assert!(callback.applied.unwrap().contains(&sent.id));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_telnyx_inbound_round_trip_and_an_old_timestamp() {
    let w = world().await;
    let id = w.telnyx(Some(w.sandbox.seed().telnyx.public_key.clone()));
    let url = w.webhook_url(&id);
    let number = w.telnyx_number_to(&url).await;

    let answer = w.inbound(&number, "Is breakfast served at 7?").await;
    assert_eq!(answer["status"], 200, "{answer:#}");
    let seen = &w.listener.recent()[0];
    assert!(seen.report.valid, "{:?}", seen.report);
    assert_eq!(seen.report.kind, WebhookKind::InboundMessage);
    assert_eq!(seen.report.number.as_deref(), Some(number.as_str()));
    assert_eq!(w.listener.counts().inbound_messages, 1);

    w.telnyx_number_to(&w.via_proxy(&url)).await;
    for (tamper, reason) in [
        (Tamper::OldTimestamp, ReasonCode::OldTimestamp),
        (Tamper::ChangeBody, ReasonCode::TokenOrBody),
        (Tamper::DropSignature, ReasonCode::MissingSignature),
    ] {
        w.tamper(tamper);
        let answer = w.inbound(&number, "Is breakfast served at 7?").await;
        assert_eq!(answer["status"], 403, "{tamper:?}: {answer:#}");
        assert_eq!(
            w.listener.recent()[0].report.reasons[0].code,
            reason,
            "{tamper:?}"
        );
    }
    assert_eq!(w.listener.counts().inbound_messages, 1);
    assert_eq!(w.listener.counts().refused, 3);
    let stored = w.core.imported_messages(&id, 10).unwrap();
    assert_eq!(stored.len(), 1, "only the genuine one: {stored:?}");
    assert_eq!(
        stored[0].body_excerpt.as_deref(),
        Some("Is breakfast served at 7?")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_46elks_inbound_round_trip_and_tampered_urls() {
    let w = world().await;
    let id = w.elks();
    let url = w.webhook_url(&id);
    let number = w.elks_number_to(&url).await;

    // 46elks posts a form (direction=incoming, id, from, to, created, message), unsigned.
    let answer = w.inbound(&number, "Is breakfast served at 7?").await;
    assert_eq!(answer["provider"], "46elks", "{answer:#}");
    assert_eq!(answer["status"], 200, "{answer:#}");
    let seen = &w.listener.recent()[0];
    assert!(seen.report.valid, "{:?}", seen.report);
    assert_eq!(seen.report.kind, WebhookKind::InboundMessage);
    assert_eq!(seen.report.connector_id.as_deref(), Some(id.as_str()));
    assert_eq!(seen.report.number.as_deref(), Some(number.as_str()));
    assert_eq!(seen.report.other_party.as_deref(), Some(GUEST));
    assert_eq!(seen.report.token_matches, Some(true));
    // Nothing to verify but the token, and the report says so.
    assert_eq!(seen.report.reasons[0].code, ReasonCode::Unsigned);
    assert_eq!(
        seen.report.message_id.as_deref(),
        answer["message_id"].as_str()
    );
    assert!(seen.applied.as_deref().unwrap().contains("stored"));
    assert_eq!(w.listener.counts().inbound_messages, 1);
    assert_eq!(w.listener.counts().inbound_stored, 1);
    let stored = w.core.imported_messages(&id, 10).unwrap();
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert_eq!(stored[0].direction, "inbound");
    assert_eq!(stored[0].outcome, "received");
    assert_eq!(stored[0].from, GUEST);
    assert_eq!(stored[0].to, number);
    assert_eq!(
        stored[0].body_excerpt.as_deref(),
        Some("Is breakfast served at 7?")
    );

    // The URL's token is the only check: a guessed token, and a connector that is not there.
    let (prefix, token) = url.rsplit_once('/').unwrap();
    let (base, _) = prefix.rsplit_once('/').unwrap();
    for (tampered, reason) in [
        (format!("{prefix}/guessed"), ReasonCode::TokenMismatch),
        (
            format!("{base}/no-such-connector/{token}"),
            ReasonCode::UnknownConnector,
        ),
    ] {
        w.elks_number_to(&tampered).await;
        let answer = w.inbound(&number, "Is dinner served at 7?").await;
        assert_eq!(answer["status"], 403, "{reason:?}: {answer:#}");
        let code = serde_json::to_value(reason).unwrap();
        assert!(
            answer["body"]
                .as_str()
                .unwrap()
                .starts_with(code.as_str().unwrap()),
            "{reason:?}: {answer:#}"
        );
        let seen = &w.listener.recent()[0];
        assert!(!seen.report.valid);
        assert_eq!(seen.report.reasons[0].code, reason);
        assert_eq!(seen.answered, 403);
        assert_eq!(seen.applied, None);
    }

    // A token that is no longer the connector's: the URL set at 46elks before regenerating.
    w.elks_number_to(&url).await;
    w.core.webhook_regenerate(&id).unwrap();
    let answer = w.inbound(&number, "Is dinner served at 7?").await;
    assert_eq!(answer["status"], 403, "{answer:#}");
    assert_eq!(
        w.listener.recent()[0].report.reasons[0].code,
        ReasonCode::TokenMismatch
    );

    assert_eq!(w.listener.counts().refused, 3);
    assert_eq!(w.listener.counts().inbound_stored, 1);
    let stored = w.core.imported_messages(&id, 10).unwrap();
    assert_eq!(stored.len(), 1, "only the genuine one: {stored:?}");
}

/// 46elks posts a delivery report (`id`, `status`, `delivered`) to a message's `whendelivered`.
/// Switchboard's own sends do not ask for one yet, so this message is sent straight through the
/// sandbox's 46elks API: the listener shows its reports genuine, as status callbacks.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_46elks_delivery_report_is_a_genuine_status_callback() {
    let w = world().await;
    let id = w.elks();
    let url = w.webhook_url(&id);
    let seed = &w.sandbox.seed().elks;
    let sent: Value = reqwest::Client::new()
        .post(format!("{}/a1/sms", w.sandbox.elks_base()))
        .basic_auth(&seed.username, Some(&seed.password))
        .form(&[
            ("from", "+46766860101"),
            ("to", GUEST),
            ("message", "Your room is ready"),
            ("whendelivered", url.as_str()),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let sms_id = sent["id"].as_str().unwrap().to_owned();
    let mut reports = Vec::new();
    for _ in 0..100 {
        reports = w.listener.recent();
        if reports
            .iter()
            .any(|r| r.report.status.as_deref() == Some("delivered"))
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let statuses: Vec<_> = reports
        .iter()
        .rev()
        .map(|r| r.report.status.clone().unwrap_or_default())
        .collect();
    assert_eq!(statuses, ["sent", "delivered"]);
    for seen in &reports {
        assert!(seen.report.valid, "{:?}", seen.report);
        assert_eq!(seen.report.kind, WebhookKind::StatusCallback);
        assert_eq!(seen.report.connector_id.as_deref(), Some(id.as_str()));
        assert_eq!(seen.report.message_id.as_deref(), Some(sms_id.as_str()));
        assert_eq!(seen.answered, 200);
    }
    assert_eq!(w.listener.counts().status_callbacks, 2);
    assert_eq!(w.listener.counts().refused, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_late_status_callback_never_moves_a_final_attempt_back() {
    let w = world().await;
    let id = w.twilio();
    let url = w.webhook_url(&id);
    w.twilio_number_to(&url).await;
    let sent = w
        .core
        .message_send(
            &id,
            &SendRequest {
                to: GUEST.into(),
                text: Some("Your room is ready".into()),
                status_callback: Some(w.via_proxy(&url)),
                ..SendRequest::default()
            },
        )
        .await
        .unwrap();
    let mut attempt = sent.clone();
    for _ in 0..100 {
        attempt = w.core.message_attempt(&sent.id).unwrap();
        if attempt.r#final {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(attempt.status, "delivered", "{attempt:?}");
    let stats = w.core.messaging_stats(&id, 7).unwrap();
    assert_eq!((stats.total_sent, stats.total_fails), (1, 0));

    // The provider posts its "sent" callback again, late: genuine, and changes nothing.
    let (path, headers, body) = w
        .proxy
        .forwarded
        .lock()
        .unwrap()
        .iter()
        .find(|(_, _, body)| body.contains("MessageStatus=sent"))
        .cloned()
        .expect("the sandbox posted a sent callback");
    let mut replay = reqwest::Client::new().post(format!("{}{path}", w.proxy_url));
    for (name, value) in &headers {
        if name != "host" && name != "content-length" {
            replay = replay.header(name, value);
        }
    }
    let answer = replay.body(body).send().await.unwrap();
    assert_eq!(answer.status(), 200);
    let seen = &w.listener.recent()[0];
    assert!(seen.report.valid, "{:?}", seen.report);
    assert_eq!(seen.report.status.as_deref(), Some("sent"));
    assert_eq!(seen.applied, None);
    let after = w.core.message_attempt(&sent.id).unwrap();
    assert_eq!(after.status, "delivered");
    assert!(after.r#final);
    assert_eq!(after.history, attempt.history);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_interface_needs_an_explicit_confirmation() {
    let core = Switchboard::new(
        Store::open_in_memory().unwrap(),
        Arc::new(MemorySecretStore::default()),
    );
    let options = ListenOptions {
        bind: "0.0.0.0".parse().unwrap(),
        ..ListenOptions::default()
    };
    let Err(CoreError::Validation(fields)) = core.inspector_listen(options, None).await else {
        panic!("listened on every interface without confirmation")
    };
    assert_eq!(fields[0].field, "bind");
    assert!(fields[0].message.contains("--allow-remote"));
}
