//! The sandbox's inbound webhooks carry signatures the providers crate's verifier (an
//! independent implementation) accepts, and a tampered copy fails.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::HeaderMap;
use serde_json::{Value, json};
use switchboard_providers::signature::{
    TELNYX_SIGNATURE_HEADER, TELNYX_TIMESTAMP_HEADER, TWILIO_SIGNATURE_HEADER, verify_telnyx,
    verify_twilio,
};
use switchboard_providers::telnyx::{ProfileWebhookUpdate, TelnyxClient};
use switchboard_providers::twilio::{
    SmsWebhook, SmsWebhookMethod, TwilioClient, TwilioCredentials, TwilioEndpoints,
};
use switchboard_providers::{BaseUrl, HttpOptions, Secret};
use switchboard_sandbox::SandboxConfig;

type Received = Arc<Mutex<Vec<(HeaderMap, Bytes)>>>;

/// A stand-in for the hotel's inbound service: records every request.
async fn receiver() -> (String, Received) {
    let received: Received = Arc::default();
    let store = received.clone();
    let app = axum::Router::new().fallback(move |headers: HeaderMap, body: Bytes| {
        let store = store.clone();
        async move {
            store.lock().unwrap().push((headers, body));
            "<Response/>"
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, received)
}

async fn inbound(sandbox_url: &str, to: &str) -> Value {
    let response = reqwest::Client::new()
        .post(format!("{sandbox_url}/_sandbox/inbound"))
        .json(&json!({ "to": to, "from": "+46701234567", "body": "Late check-out?" }))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    response.json().await.unwrap()
}

#[tokio::test]
async fn twilio_inbound_webhooks_verify_and_a_tampered_copy_does_not() {
    let sandbox = switchboard_sandbox::start(SandboxConfig::default())
        .await
        .unwrap();
    let seed = sandbox.seed().twilio.clone();
    let client = TwilioClient::new(
        TwilioCredentials::with_auth_token(&seed.account_sid, Secret::new(&seed.auth_token)),
        TwilioEndpoints::all(BaseUrl::parse(&sandbox.twilio_base()).unwrap()),
        &HttpOptions::default(),
    )
    .unwrap();
    let (base, received) = receiver().await;
    let hook = format!("{base}/inbound/c1/token?hotel=grand");
    let number = client
        .list_incoming_phone_numbers()
        .await
        .unwrap()
        .into_iter()
        .find(|n| n.phone_number.as_deref() == Some("+14155550103"))
        .unwrap();
    let webhook = SmsWebhook {
        url: hook.clone(),
        method: SmsWebhookMethod::Post,
    };
    client
        .set_sms_webhook(number.sid.as_deref().unwrap(), &webhook)
        .await
        .unwrap();

    let answer = inbound(sandbox.url(), "+14155550103").await;
    assert_eq!(answer["status"], 200, "{answer}");
    let (headers, body) = received.lock().unwrap().pop().unwrap();
    let signature = headers[TWILIO_SIGNATURE_HEADER]
        .to_str()
        .unwrap()
        .to_owned();
    let params: Vec<(String, String)> = url::form_urlencoded::parse(&body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    assert!(
        params
            .iter()
            .any(|(k, v)| k == "Body" && v == "Late check-out?")
    );

    assert_eq!(
        verify_twilio(&seed.auth_token, &hook, &params, &signature),
        Ok(())
    );
    let mut tampered = params.clone();
    tampered.iter_mut().find(|(k, _)| k == "Body").unwrap().1 = "Free upgrade".into();
    assert!(verify_twilio(&seed.auth_token, &hook, &tampered, &signature).is_err());
    assert!(verify_twilio("not-the-token", &hook, &params, &signature).is_err());
    assert!(
        verify_twilio(
            &seed.auth_token,
            &format!("{base}/inbound/c1/other"),
            &params,
            &signature
        )
        .is_err()
    );
}

#[tokio::test]
async fn telnyx_inbound_webhooks_verify_with_the_public_key() {
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
    let (base, received) = receiver().await;
    let profile = client.list_messaging_profiles().await.unwrap()[0]
        .id
        .clone()
        .unwrap();
    let update = ProfileWebhookUpdate {
        webhook_url: format!("{base}/inbound/telnyx"),
        webhook_failover_url: None,
    };
    client.set_profile_webhook(&profile, &update).await.unwrap();

    let answer = inbound(sandbox.url(), "+13125550101").await;
    assert_eq!(answer["status"], 200, "{answer}");
    let (headers, body) = received.lock().unwrap().pop().unwrap();
    let signature = headers[TELNYX_SIGNATURE_HEADER]
        .to_str()
        .unwrap()
        .to_owned();
    let timestamp = headers[TELNYX_TIMESTAMP_HEADER]
        .to_str()
        .unwrap()
        .to_owned();
    let now = timestamp.parse::<i64>().unwrap();
    assert_eq!(
        verify_telnyx(&seed.public_key, &timestamp, &signature, &body, now),
        Ok(())
    );
    let mut tampered = body.to_vec();
    tampered.extend_from_slice(b" ");
    assert!(verify_telnyx(&seed.public_key, &timestamp, &signature, &tampered, now).is_err());
    assert!(verify_telnyx(&seed.public_key, &timestamp, &signature, &body, now + 3600).is_err());
}
