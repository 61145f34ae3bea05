//! The sandbox's inbound webhooks carry signatures the providers crate's verifier (an
//! independent implementation) accepts, checked the way a receiving service would: from the URL
//! it was called on, the headers and the raw body; a tampered copy fails.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, Uri, header};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::SigningKey;
use serde_json::{Value, json};
use switchboard_providers::signature::{
    SignatureError, TELNYX_SIGNATURE_HEADER, TELNYX_TIMESTAMP_HEADER, TELNYX_TOLERANCE,
    TWILIO_SIGNATURE_HEADER, verify_telnyx, verify_twilio,
};
use switchboard_providers::telnyx::{ProfileWebhookUpdate, TelnyxClient};
use switchboard_providers::twilio::{
    SmsWebhook, SmsWebhookMethod, TwilioClient, TwilioCredentials, TwilioEndpoints,
};
use switchboard_providers::{BaseUrl, HttpOptions, Secret};
use switchboard_sandbox::{RunningSandbox, SandboxConfig};

/// A seeded Twilio number that has no Messaging Service, so its own SmsUrl is used.
const TWILIO_NUMBER: &str = "+14155550103";
const TELNYX_NUMBER: &str = "+13125550101";
const GUEST: &str = "+46701234567";
const TEXT: &str = "Late check-out? 10% off & free coffee";

/// One request as the receiving service saw it.
struct Received {
    method: Method,
    /// Rebuilt from the `Host` header and the request target, as a web framework does.
    url: String,
    headers: HeaderMap,
    body: Bytes,
}

impl Received {
    fn header(&self, name: &str) -> String {
        self.headers[name].to_str().unwrap().to_owned()
    }
}

type Inbox = Arc<Mutex<Vec<Received>>>;

/// A stand-in for the hotel's inbound service: records every request and answers empty TwiML.
async fn receiver() -> (String, Inbox) {
    let inbox: Inbox = Arc::default();
    let store = inbox.clone();
    let app = axum::Router::new().fallback(
        move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
            let store = store.clone();
            async move {
                let host = headers[header::HOST].to_str().unwrap().to_owned();
                let url = format!("http://{host}{uri}");
                store.lock().unwrap().push(Received {
                    method,
                    url,
                    headers,
                    body,
                });
                "<Response/>"
            }
        },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, inbox)
}

/// `POST /_sandbox/inbound`, then what the receiver got.
async fn inbound(sandbox: &RunningSandbox, to: &str, inbox: &Inbox) -> Received {
    let response = reqwest::Client::new()
        .post(sandbox.admin_url("inbound"))
        .bearer_auth(sandbox.admin_token())
        .json(&json!({ "to": to, "from": GUEST, "body": TEXT }))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["status"], 200, "{answer}");
    let mut received = inbox.lock().unwrap();
    assert_eq!(received.len(), 1, "one webhook per inbound message");
    received.pop().unwrap()
}

fn form(bytes: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(bytes)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn unix_now() -> i64 {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    i64::try_from(seconds).unwrap()
}

async fn twilio_with_webhook(
    sandbox: &RunningSandbox,
    url: &str,
    method: SmsWebhookMethod,
) -> TwilioClient {
    let seed = sandbox.seed().twilio.clone();
    let client = TwilioClient::new(
        TwilioCredentials::with_auth_token(&seed.account_sid, Secret::new(&seed.auth_token)),
        TwilioEndpoints::all(BaseUrl::parse(&sandbox.twilio_base()).unwrap()),
        &HttpOptions::default(),
    )
    .unwrap();
    let number = client
        .list_incoming_phone_numbers()
        .await
        .unwrap()
        .into_iter()
        .find(|n| n.phone_number.as_deref() == Some(TWILIO_NUMBER))
        .unwrap();
    let webhook = SmsWebhook {
        url: url.to_owned(),
        method,
    };
    client
        .set_sms_webhook(number.sid.as_deref().unwrap(), &webhook)
        .await
        .unwrap();
    client
}

#[tokio::test]
async fn twilio_form_webhooks_verify_and_tampered_copies_do_not() {
    let sandbox = switchboard_sandbox::start(SandboxConfig::default())
        .await
        .unwrap();
    let token = sandbox.seed().twilio.auth_token.clone();
    let (base, inbox) = receiver().await;
    let hook = format!("{base}/inbound/c1/secret-path?hotel=grand");
    twilio_with_webhook(&sandbox, &hook, SmsWebhookMethod::Post).await;

    let request = inbound(&sandbox, TWILIO_NUMBER, &inbox).await;
    assert_eq!(request.method, Method::POST);
    assert_eq!(
        request.url, hook,
        "called on the configured URL, query and all"
    );
    let signature = request.header(TWILIO_SIGNATURE_HEADER);
    let params = form(&request.body);
    assert!(
        params.iter().any(|(k, v)| k == "Body" && v == TEXT),
        "{params:?}"
    );
    assert!(
        params.iter().any(|(k, v)| k == "From" && v == GUEST),
        "{params:?}"
    );

    assert_eq!(
        verify_twilio(&token, &request.url, &params, &signature),
        Ok(())
    );
    // In whatever order the framework hands the parameters over.
    let mut reordered = params.clone();
    reordered.reverse();
    assert_eq!(
        verify_twilio(&token, &request.url, &reordered, &signature),
        Ok(())
    );

    let mut tampered = params.clone();
    tampered.iter_mut().find(|(k, _)| k == "Body").unwrap().1 = "Free upgrade".into();
    assert_eq!(
        verify_twilio(&token, &request.url, &tampered, &signature),
        Err(SignatureError::Mismatch)
    );
    let mut injected = params.clone();
    injected.push(("NumMedia".into(), "1".into()));
    assert_eq!(
        verify_twilio(&token, &request.url, &injected, &signature),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(
        verify_twilio("not-the-token", &request.url, &params, &signature),
        Err(SignatureError::Mismatch)
    );
    let other_url = format!("{base}/inbound/c1/secret-path?hotel=other");
    assert_eq!(
        verify_twilio(&token, &other_url, &params, &signature),
        Err(SignatureError::Mismatch)
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn twilio_get_webhooks_sign_the_url_with_its_query() {
    let sandbox = switchboard_sandbox::start(SandboxConfig::default())
        .await
        .unwrap();
    let token = sandbox.seed().twilio.auth_token.clone();
    let (base, inbox) = receiver().await;
    let hook = format!("{base}/inbound/get?hotel=grand");
    twilio_with_webhook(&sandbox, &hook, SmsWebhookMethod::Get).await;

    let request = inbound(&sandbox, TWILIO_NUMBER, &inbox).await;
    assert_eq!(request.method, Method::GET);
    assert!(
        request.url.starts_with(&format!("{hook}&")),
        "{}",
        request.url
    );
    let query = request.url.split_once('?').unwrap().1;
    assert!(
        form(query.as_bytes())
            .iter()
            .any(|(k, v)| k == "Body" && v == TEXT)
    );
    let signature = request.header(TWILIO_SIGNATURE_HEADER);

    assert_eq!(verify_twilio(&token, &request.url, &[], &signature), Ok(()));
    let tampered = request.url.replace("Late", "Early");
    assert_ne!(tampered, request.url);
    assert_eq!(
        verify_twilio(&token, &tampered, &[], &signature),
        Err(SignatureError::Mismatch)
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn telnyx_webhooks_verify_with_the_public_key_and_tampered_copies_do_not() {
    let sandbox = switchboard_sandbox::start(SandboxConfig::default())
        .await
        .unwrap();
    let seed = sandbox.seed().telnyx.clone();
    let client = TelnyxClient::new(
        Secret::new(&seed.api_key),
        BaseUrl::parse(&sandbox.telnyx_base()).unwrap(),
        &HttpOptions::default(),
    )
    .unwrap();
    let (base, inbox) = receiver().await;
    let profile = client.list_messaging_profiles().await.unwrap()[0]
        .id
        .clone()
        .unwrap();
    let update = ProfileWebhookUpdate {
        webhook_url: format!("{base}/inbound/telnyx"),
        webhook_failover_url: None,
    };
    client.set_profile_webhook(&profile, &update).await.unwrap();

    let request = inbound(&sandbox, TELNYX_NUMBER, &inbox).await;
    assert_eq!(request.method, Method::POST);
    let event: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(event["data"]["event_type"], "message.received", "{event}");
    assert_eq!(event["data"]["payload"]["text"], TEXT, "{event}");
    let signature = request.header(TELNYX_SIGNATURE_HEADER);
    let timestamp = request.header(TELNYX_TIMESTAMP_HEADER);
    let now = unix_now();
    let body = &request.body;
    let verify = |key: &str, timestamp: &str, body: &[u8], now: i64| {
        verify_telnyx(key, timestamp, &signature, body, now, TELNYX_TOLERANCE)
    };

    assert_eq!(verify(&seed.public_key, &timestamp, body, now), Ok(()));

    let mut tampered = body.to_vec();
    tampered.extend_from_slice(b" ");
    assert_eq!(
        verify(&seed.public_key, &timestamp, &tampered, now),
        Err(SignatureError::Mismatch)
    );
    let shifted = (timestamp.parse::<i64>().unwrap() + 1).to_string();
    assert_eq!(
        verify(&seed.public_key, &shifted, body, now),
        Err(SignatureError::Mismatch)
    );
    let other_key = BASE64.encode(SigningKey::from_bytes(&[7; 32]).verifying_key().to_bytes());
    assert_eq!(
        verify(&other_key, &timestamp, body, now),
        Err(SignatureError::Mismatch)
    );
    // Replayed an hour later.
    assert!(matches!(
        verify(&seed.public_key, &timestamp, body, now + 3600),
        Err(SignatureError::Stale { .. })
    ));
    sandbox.shutdown().await;
}
