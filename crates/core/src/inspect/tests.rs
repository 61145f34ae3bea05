//! The inspector on requests signed by the providers crate's own signers, and on tampered copies
//! of them: each copy must be refused for the reason a support engineer would act on.

use std::sync::Arc;

use switchboard_providers::signature::{body_sha256_hex, sign_telnyx, sign_twilio};

use super::*;
use crate::model::{
    ConnectorDraft, ConnectorKind, ConnectorSettings, ElksSettings, OrganizationDraft,
    TelnyxSettings, TwilioSettings,
};
use crate::secrets::MemorySecretStore;
use crate::store::Store;

const AUTH_TOKEN: &str = "twilio-auth-token-5ecret";
const BASE: &str = "https://hooks.grand-hotel.example/sb";
const OUR_NUMBER: &str = "+14155550101";
const GUEST: &str = "+46701234567";
const TELNYX_SEED: [u8; 32] = [7; 32];

struct Fixture {
    core: Switchboard,
    twilio: String,
    twilio_key: String,
    telnyx: String,
    telnyx_no_key: String,
    elks: String,
}

fn connector(
    core: &Switchboard,
    org: &str,
    name: &str,
    settings: ConnectorSettings,
    secret: &str,
) -> String {
    core.connector_create(&ConnectorDraft {
        org_id: org.to_owned(),
        kind: ConnectorKind::Sms,
        name: name.to_owned(),
        settings,
        recipients: Vec::new(),
        receive_inbound: true,
        secret: Some(secret.to_owned()),
    })
    .unwrap()
    .id
}

fn fixture() -> Fixture {
    let core = Switchboard::new(
        Store::open_in_memory().unwrap(),
        Arc::new(MemorySecretStore::default()),
    );
    let org = core
        .organization_create(&OrganizationDraft {
            name: "Grand Hotel".into(),
            inbound_base_url: Some(BASE.into()),
        })
        .unwrap()
        .id;
    let twilio_settings = |api_key_sid: Option<&str>| {
        ConnectorSettings::Twilio(TwilioSettings {
            account_sid: "AC0123456789abcdef0123456789abcdef".into(),
            api_key_sid: api_key_sid.map(str::to_owned),
            from: Some("+14155550101".into()),
            base_url: Some("http://127.0.0.1:9".into()),
            ..TwilioSettings::default()
        })
    };
    let twilio = connector(&core, &org, "Front desk", twilio_settings(None), AUTH_TOKEN);
    let twilio_key = connector(
        &core,
        &org,
        "Front desk (API key)",
        twilio_settings(Some("SK0123456789abcdef0123456789abcdef")),
        "api-key-secret-5ecret",
    );
    let (public_key, _) = sign_telnyx(&TELNYX_SEED, 0, b"");
    let telnyx_settings = |public_key: Option<String>| {
        ConnectorSettings::Telnyx(TelnyxSettings {
            public_key,
            from: Some("+13125550101".into()),
            base_url: Some("http://127.0.0.1:9".into()),
            ..TelnyxSettings::default()
        })
    };
    let telnyx = connector(
        &core,
        &org,
        "Reception",
        telnyx_settings(Some(public_key)),
        "KEY-telnyx-5ecret",
    );
    let telnyx_no_key = connector(
        &core,
        &org,
        "Reception 2",
        telnyx_settings(None),
        "KEY-telnyx-5ecret",
    );
    let elks = connector(
        &core,
        &org,
        "Nordic",
        ConnectorSettings::Elks46(ElksSettings {
            username: "u0123456789".into(),
            from: Some("Hotel".into()),
            base_url: Some("http://127.0.0.1:9".into()),
        }),
        "elks-password-5ecret",
    );
    for id in [&twilio, &twilio_key, &telnyx, &elks] {
        core.store()
            .conn()
            .execute(
                "INSERT INTO numbers (connector_id, e164, provider_id, kind, last_seen_at)
                 VALUES (?1, ?2, 'PN1', 'number', '2026-12-01T00:00:00.000Z')",
                rusqlite::params![id, OUR_NUMBER],
            )
            .unwrap();
    }
    Fixture {
        core,
        twilio,
        twilio_key,
        telnyx,
        telnyx_no_key,
        elks,
    }
}

impl Fixture {
    fn public_url(&self, connector: &str) -> String {
        let token = self.core.store().webhook_token(connector).unwrap();
        format!("{BASE}/inbound/{connector}/{token}")
    }

    fn explain(&self, request: &CapturedRequest) -> InspectReport {
        let report = self.core.inspector_explain(request).unwrap();
        let json = serde_json::to_string(&report).unwrap();
        for secret in [AUTH_TOKEN, "api-key-secret-5ecret", "KEY-telnyx-5ecret"] {
            assert!(!json.contains(secret), "{json}");
        }
        for connector in [&self.twilio, &self.twilio_key, &self.telnyx, &self.elks] {
            let token = self.core.store().webhook_token(connector).unwrap();
            assert!(!json.contains(&token), "the webhook token leaked: {json}");
        }
        report
    }
}

fn inbound_params() -> Vec<(String, String)> {
    [
        ("MessageSid", "SM0123456789abcdef0123456789abcdef"),
        ("AccountSid", "AC0123456789abcdef0123456789abcdef"),
        ("From", GUEST),
        ("To", OUR_NUMBER),
        ("Body", "Is breakfast served at 7?"),
        ("NumMedia", "0"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect()
}

fn form(params: &[(String, String)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish()
}

fn twilio_request(url: &str, signed_url: &str, token: &str) -> CapturedRequest {
    let params = inbound_params();
    CapturedRequest {
        method: "POST".into(),
        url: url.to_owned(),
        headers: [
            (
                "X-Twilio-Signature".to_owned(),
                sign_twilio(token, signed_url, &params),
            ),
            (
                "Content-Type".to_owned(),
                "application/x-www-form-urlencoded".to_owned(),
            ),
        ]
        .into(),
        body: form(&params),
    }
}

fn codes(report: &InspectReport) -> Vec<ReasonCode> {
    report.reasons.iter().map(|r| r.code).collect()
}

#[test]
fn a_genuine_twilio_inbound_message_is_valid_and_tied_to_its_number() {
    let f = fixture();
    let url = f.public_url(&f.twilio);
    let report = f.explain(&twilio_request(&url, &url, AUTH_TOKEN));
    assert_eq!(report.verdict, Verdict::Valid, "{report:?}");
    assert!(report.valid);
    assert_eq!(report.kind, WebhookKind::InboundMessage);
    assert_eq!(report.connector_id.as_deref(), Some(f.twilio.as_str()));
    assert_eq!(report.connector_name.as_deref(), Some("Front desk"));
    assert_eq!(report.token_matches, Some(true));
    let variant = report.signed_variant.clone().unwrap();
    assert_eq!(variant.source, UrlSource::AsReceived);
    assert_eq!(variant.port, PortChange::AsIs);
    assert_eq!(report.number.as_deref(), Some(OUR_NUMBER));
    assert!(report.number_known);
    assert_eq!(report.other_party.as_deref(), Some(GUEST));
    assert!(report.reasons.is_empty(), "{:?}", report.reasons);
    assert!(report.received_url.ends_with("/[redacted]"));
}

#[test]
fn behind_a_proxy_the_report_says_which_url_twilio_signed() {
    let f = fixture();
    let public = f.public_url(&f.twilio);
    let path = variants::path(&public).to_owned();
    // TLS ends at a proxy; the app server sees plain http on an internal port.
    let internal = format!("http://10.0.0.5:8080{path}");
    let mut request = twilio_request(&internal, &public, AUTH_TOKEN);
    let report = f.explain(&request);
    assert!(report.valid, "{report:?}");
    assert_eq!(
        report.signed_variant.as_ref().unwrap().source,
        UrlSource::Public
    );
    assert_eq!(codes(&report), [ReasonCode::SignedAnotherUrl]);
    assert!(report.reasons[0].message.contains("public inbound URL"));

    // With the forwarded headers, the rebuilt URL is found first.
    request
        .headers
        .insert("X-Forwarded-Proto".into(), "https".into());
    request.headers.insert(
        "X-Forwarded-Host".into(),
        "hooks.grand-hotel.example".into(),
    );
    let report = f.explain(&request);
    assert_eq!(
        report.signed_variant.as_ref().unwrap().source,
        UrlSource::Forwarded
    );

    // Signed with :443, received without: the port variant is named.
    let with_port = public.replacen(".example/", ".example:443/", 1);
    let report = f.explain(&twilio_request(&public, &with_port, AUTH_TOKEN));
    assert!(report.valid);
    let variant = report.signed_variant.unwrap();
    assert_eq!(
        (variant.source, variant.port),
        (UrlSource::AsReceived, PortChange::WithDefaultPort)
    );
}

#[test]
fn http_rebuilt_by_the_server_is_matched_as_https() {
    let f = fixture();
    let public = f.public_url(&f.twilio);
    let plain = public.replacen("https://", "http://", 1);
    let report = f.explain(&twilio_request(&plain, &public, AUTH_TOKEN));
    assert!(report.valid);
    assert_eq!(report.signed_variant.unwrap().source, UrlSource::Https);
}

#[test]
fn a_changed_body_is_refused_as_body_or_token() {
    let f = fixture();
    let url = f.public_url(&f.twilio);
    let mut request = twilio_request(&url, &url, AUTH_TOKEN);
    request.body = request.body.replace("breakfast", "dinner");
    let report = f.explain(&request);
    assert_eq!(report.verdict, Verdict::Invalid);
    assert_eq!(codes(&report), [ReasonCode::TokenOrBody]);
    assert!(report.reasons[0].message.contains("body was changed"));
}

#[test]
fn a_changed_url_is_refused_as_such() {
    let f = fixture();
    let url = f.public_url(&f.twilio);
    let request = twilio_request(&format!("{url}?forward=1"), &url, AUTH_TOKEN);
    let report = f.explain(&request);
    assert!(!report.valid);
    assert_eq!(codes(&report), [ReasonCode::UrlChanged]);
    assert!(
        report.reasons[0]
            .message
            .contains("other than the public URL")
    );
}

#[test]
fn a_wrong_auth_token_is_refused_and_an_api_key_connector_is_named() {
    let f = fixture();
    let url = f.public_url(&f.twilio);
    let report = f.explain(&twilio_request(&url, &url, "another-auth-token"));
    assert_eq!(codes(&report), [ReasonCode::TokenOrBody]);
    assert!(report.reasons[0].message.contains("Auth Token saved"));

    // An API key connector holds the key's secret; Twilio signs with the account's Auth Token.
    let url = f.public_url(&f.twilio_key);
    let report = f.explain(&twilio_request(&url, &url, AUTH_TOKEN));
    assert!(!report.valid);
    assert_eq!(codes(&report), [ReasonCode::ApiKeySecret]);
    assert!(report.reasons[0].message.contains("Auth Token"));
}

#[test]
fn a_wrong_url_token_or_an_unknown_connector_is_refused() {
    let f = fixture();
    let stale = format!("{BASE}/inbound/{}/0ld-t0ken", f.twilio);
    let report = f.explain(&twilio_request(&stale, &stale, AUTH_TOKEN));
    assert!(!report.valid);
    assert_eq!(report.token_matches, Some(false));
    // The signature itself is genuine: Twilio signed the old URL it still has.
    assert!(report.signed_variant.is_some());
    assert_eq!(codes(&report)[0], ReasonCode::TokenMismatch);

    let elsewhere = format!("{BASE}/inbound/nope/t0ken");
    let report = f.explain(&twilio_request(&elsewhere, &elsewhere, AUTH_TOKEN));
    assert_eq!(codes(&report), [ReasonCode::UnknownConnector]);
    let report = f.explain(&twilio_request(BASE, BASE, AUTH_TOKEN));
    assert_eq!(codes(&report), [ReasonCode::NotInboundPath]);

    let url = f.public_url(&f.twilio);
    let mut unsigned = twilio_request(&url, &url, AUTH_TOKEN);
    unsigned.headers.remove("X-Twilio-Signature");
    assert_eq!(codes(&f.explain(&unsigned)), [ReasonCode::MissingSignature]);
}

#[test]
fn a_json_body_is_checked_through_body_sha256() {
    let f = fixture();
    let body = r#"{"MessageSid":"SM1","MessageStatus":"delivered","From":"+14155550101","To":"+46701234567"}"#;
    let url = format!(
        "{}?bodySHA256={}",
        f.public_url(&f.twilio),
        body_sha256_hex(body.as_bytes())
    );
    let request = CapturedRequest {
        method: "POST".into(),
        url: url.clone(),
        headers: [
            (
                "x-twilio-signature".into(),
                sign_twilio(AUTH_TOKEN, &url, &[]),
            ),
            ("content-type".into(), "application/json".into()),
        ]
        .into(),
        body: body.into(),
    };
    let report = f.explain(&request);
    assert!(report.valid, "{report:?}");
    assert!(report.signed_variant.as_ref().unwrap().body_sha256);
    assert_eq!(report.kind, WebhookKind::StatusCallback);
    assert_eq!(report.status.as_deref(), Some("delivered"));
    assert_eq!(report.number.as_deref(), Some(OUR_NUMBER));

    let mut changed = request.clone();
    changed.body = changed.body.replace("delivered", "failed");
    assert_eq!(codes(&f.explain(&changed)), [ReasonCode::BodyChanged]);
}

fn telnyx_request(f: &Fixture, connector: &str, timestamp: i64, body: &str) -> CapturedRequest {
    let (_, signature) = sign_telnyx(&TELNYX_SEED, timestamp, body.as_bytes());
    CapturedRequest {
        method: "POST".into(),
        url: f.public_url(connector),
        headers: [
            ("telnyx-signature-ed25519".into(), signature),
            ("telnyx-timestamp".into(), timestamp.to_string()),
            ("content-type".into(), "application/json".into()),
        ]
        .into(),
        body: body.into(),
    }
}

const TELNYX_INBOUND: &str = r#"{"data":{"event_type":"message.received","payload":{"id":"b0b5-1","from":{"phone_number":"+46701234567"},"to":[{"phone_number":"+14155550101","status":"webhook_delivered"}],"text":"Hello"}}}"#;

#[test]
fn telnyx_signatures_verify_and_tampered_copies_say_why() {
    let f = fixture();
    let now = chrono::Utc::now().timestamp();
    let report = f.explain(&telnyx_request(&f, &f.telnyx, now, TELNYX_INBOUND));
    assert!(report.valid, "{report:?}");
    assert_eq!(report.kind, WebhookKind::InboundMessage);
    assert_eq!(report.number.as_deref(), Some(OUR_NUMBER));
    assert!(report.number_known);
    assert_eq!(report.other_party.as_deref(), Some(GUEST));
    assert_eq!(report.message_id.as_deref(), Some("b0b5-1"));

    let old = telnyx_request(&f, &f.telnyx, now - 600, TELNYX_INBOUND);
    let report = f.explain(&old);
    assert_eq!(codes(&report), [ReasonCode::OldTimestamp]);
    assert!(
        report.reasons[0].message.contains("600 s past"),
        "{report:?}"
    );

    let mut changed = telnyx_request(&f, &f.telnyx, now, TELNYX_INBOUND);
    changed.body = changed.body.replace("Hello", "Hallo");
    assert_eq!(codes(&f.explain(&changed)), [ReasonCode::TokenOrBody]);

    let report = f.explain(&telnyx_request(&f, &f.telnyx_no_key, now, TELNYX_INBOUND));
    assert_eq!(report.verdict, Verdict::CannotVerify);
    assert!(!report.valid);
    assert_eq!(codes(&report)[0], ReasonCode::NoPublicKey);
    assert!(report.reasons[0].message.contains("Telnyx portal"));
}

#[test]
fn a_46elks_webhook_is_checked_by_its_token_only() {
    let f = fixture();
    let request = CapturedRequest {
        method: String::new(),
        url: f.public_url(&f.elks),
        headers: Default::default(),
        body: "direction=incoming&id=s1&from=%2B46701234567&to=%2B14155550101&message=Hej".into(),
    };
    let report = f.explain(&request);
    assert!(report.valid);
    assert_eq!(codes(&report), [ReasonCode::Unsigned]);
    assert_eq!(report.kind, WebhookKind::InboundMessage);
    assert!(report.number_known);
    let mut forged = request;
    forged.url = format!("{BASE}/inbound/{}/guessed", f.elks);
    assert_eq!(codes(&f.explain(&forged))[0], ReasonCode::TokenMismatch);
}

#[test]
fn a_status_callback_is_tied_to_its_attempt() {
    let f = fixture();
    f.core
        .store()
        .conn()
        .execute(
            "INSERT INTO message_attempts (id, connector_id, org_id, channel, from_address,
                 to_number, kind, media_urls, status, outcome, created_at, updated_at, provider,
                 provider_message_id)
             SELECT 'att-1', id, org_id, 'sms', ?2, ?3, 'text', '[]', 'queued', 'sent',
                 '2026-12-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z', 'twilio', 'SMabc'
             FROM connectors WHERE id = ?1",
            rusqlite::params![f.twilio, OUR_NUMBER, GUEST],
        )
        .unwrap();
    let url = f.public_url(&f.twilio);
    let params: Vec<(String, String)> = [
        ("MessageSid", "SMabc"),
        ("MessageStatus", "undelivered"),
        ("ErrorCode", "30003"),
        ("From", OUR_NUMBER),
        ("To", GUEST),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    let request = CapturedRequest {
        method: "POST".into(),
        url: url.clone(),
        headers: [(
            "X-Twilio-Signature".into(),
            sign_twilio(AUTH_TOKEN, &url, &params),
        )]
        .into(),
        body: form(&params),
    };
    let report = f.explain(&request);
    assert!(report.valid);
    assert_eq!(report.kind, WebhookKind::StatusCallback);
    assert_eq!(report.attempt_id.as_deref(), Some("att-1"));
    assert_eq!(report.status.as_deref(), Some("undelivered"));
    assert_eq!(report.error_code.as_deref(), Some("30003"));
}

#[test]
fn a_telnyx_public_key_that_is_not_one_is_refused_at_save() {
    let f = fixture();
    let mut connector = f.core.connector(&f.telnyx).unwrap();
    let ConnectorSettings::Telnyx(settings) = &mut connector.settings else {
        unreachable!()
    };
    settings.public_key = Some("not-a-key".into());
    let draft = ConnectorDraft {
        org_id: connector.org_id.clone(),
        kind: connector.kind,
        name: connector.name.clone(),
        settings: connector.settings.clone(),
        recipients: Vec::new(),
        receive_inbound: true,
        secret: None,
    };
    let Err(crate::error::CoreError::Validation(fields)) =
        f.core.connector_update(&f.telnyx, &draft)
    else {
        panic!("a bad public key was saved")
    };
    assert_eq!(fields[0].field, "settings.publicKey");
    assert!(fields[0].message.contains("Public Key"), "{:?}", fields[0]);
}
