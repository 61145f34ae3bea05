//! The retry policy and error mapping against the sandbox's fault injection: real HTTP, real
//! status codes, `Retry-After`, held and reset connections, truncated bodies.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod support;

use serde_json::{Value, json};
use switchboard_providers::twilio::{
    MessageChannel, MessageContent, MessageFrom, OutgoingMessage, SmsWebhook, SmsWebhookMethod,
    TwilioClient, TwilioCredentials, TwilioEndpoints,
};
use switchboard_providers::{BaseUrl, ProviderError, Secret, TransportKind};
use switchboard_sandbox::{RunningSandbox, SandboxConfig};

struct Setup {
    sandbox: RunningSandbox,
    client: TwilioClient,
    http: reqwest::Client,
}

async fn setup() -> Setup {
    let sandbox = switchboard_sandbox::start(SandboxConfig::default())
        .await
        .unwrap();
    let seed = sandbox.seed().twilio.clone();
    let credentials =
        TwilioCredentials::with_auth_token(&seed.account_sid, Secret::new(&seed.auth_token));
    let endpoints = TwilioEndpoints::all(BaseUrl::parse(&sandbox.twilio_base()).unwrap());
    let client = TwilioClient::new(credentials, endpoints, &support::fast_options()).unwrap();
    Setup {
        sandbox,
        client,
        http: reqwest::Client::new(),
    }
}

impl Setup {
    async fn fault(&self, fault: Value) {
        let response = self
            .http
            .post(format!("{}/_sandbox/faults", self.sandbox.url()))
            .json(&fault)
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success(), "{fault}");
    }

    /// Requests the sandbox received whose path ends with `suffix`, with their status.
    async fn requests(&self, method: &str, suffix: &str) -> Vec<Value> {
        let log: Vec<Value> = self
            .http
            .get(format!("{}/_sandbox/requests", self.sandbox.url()))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        log.into_iter()
            .filter(|r| r["method"] == method && r["path"].as_str().unwrap().ends_with(suffix))
            .collect()
    }

    fn text(&self) -> OutgoingMessage {
        OutgoingMessage {
            channel: MessageChannel::Sms,
            from: MessageFrom::Address("+14155550101".into()),
            to: "+14155550199".into(),
            content: MessageContent::Text {
                body: "Your room is ready".into(),
            },
            status_callback: None,
        }
    }
}

#[tokio::test]
async fn a_429_with_retry_after_is_retried_and_the_read_succeeds() {
    let s = setup().await;
    s.fault(
        json!({"method": "GET", "path": "*IncomingPhoneNumbers.json", "status": 429, "count": 1}),
    )
    .await;
    let numbers = s.client.list_incoming_phone_numbers().await.unwrap();
    assert_eq!(numbers.len(), 5);
    let attempts = s.requests("GET", "IncomingPhoneNumbers.json").await;
    let statuses: Vec<_> = attempts.iter().map(|r| r["status"].clone()).collect();
    assert_eq!(statuses, [json!(429), json!(200)]);
}

#[tokio::test]
async fn a_500_on_a_send_is_not_retried_and_the_outcome_is_unknown() {
    let s = setup().await;
    s.fault(json!({"method": "POST", "path": "*Messages.json", "status": 500, "count": 1}))
        .await;
    let error = s.client.send_message(&s.text()).await.unwrap_err();
    assert!(
        matches!(
            error,
            ProviderError::UnknownOutcome {
                http_status: Some(500),
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains("check the provider's recent messages")
    );
    assert_eq!(
        s.requests("POST", "Messages.json").await.len(),
        1,
        "sent once"
    );
}

#[tokio::test]
async fn a_reset_connection_is_a_transport_error_on_a_read_and_unknown_on_a_send() {
    let s = setup().await;
    s.fault(json!({"method": "GET", "path": "*IncomingPhoneNumbers.json", "kind": "reset"}))
        .await;
    let error = s.client.list_incoming_phone_numbers().await.unwrap_err();
    assert!(
        matches!(error, ProviderError::Transport { .. }),
        "a clear transport error: {error:?}"
    );
    assert!(
        error.to_string().contains("could not reach Twilio"),
        "{error}"
    );

    s.fault(json!({"method": "POST", "path": "*Messages.json", "kind": "reset", "count": 1}))
        .await;
    let error = s.client.send_message(&s.text()).await.unwrap_err();
    assert!(
        matches!(error, ProviderError::UnknownOutcome { .. }),
        "{error:?}"
    );
    assert_eq!(
        s.requests("POST", "Messages.json").await.len(),
        1,
        "never re-sent"
    );
}

#[tokio::test]
async fn a_malformed_body_is_a_decode_error_naming_the_call() {
    let s = setup().await;
    s.fault(json!({"method": "GET", "path": "*IncomingPhoneNumbers.json", "kind": "malformed"}))
        .await;
    let error = s.client.list_incoming_phone_numbers().await.unwrap_err();
    assert!(matches!(error, ProviderError::Decode { .. }), "{error:?}");
    assert!(
        error.to_string().contains("IncomingPhoneNumbers"),
        "{error}"
    );
}

#[tokio::test]
async fn a_held_connection_times_out_with_a_clear_error() {
    let s = setup().await;
    s.fault(json!({"method": "GET", "path": "*IncomingPhoneNumbers.json", "kind": "timeout"}))
        .await;
    let error = s.client.list_incoming_phone_numbers().await.unwrap_err();
    assert!(
        matches!(
            error,
            ProviderError::Transport {
                kind: TransportKind::Timeout,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("timed out") || error.to_string().contains("timeout"),
        "{error}"
    );
}

#[tokio::test]
async fn a_429_on_a_webhook_write_is_retried_and_the_value_lands() {
    let s = setup().await;
    let numbers = s.client.list_incoming_phone_numbers().await.unwrap();
    let sid = numbers[0].sid.clone().unwrap();
    s.fault(json!({"method": "POST", "path": format!("*IncomingPhoneNumbers/{sid}.json"), "status": 429, "count": 1}))
        .await;
    let webhook = SmsWebhook {
        url: "https://hooks.hotel.example/inbound/c/t".into(),
        method: SmsWebhookMethod::Post,
    };
    let written = s.client.set_sms_webhook(&sid, &webhook).await.unwrap();
    assert_eq!(written.sms_url.as_deref(), Some(webhook.url.as_str()));
    let read = s.client.fetch_incoming_phone_number(&sid).await.unwrap();
    assert_eq!(read.sms_url.as_deref(), Some(webhook.url.as_str()));
    assert_eq!(s.requests("POST", &format!("{sid}.json")).await.len(), 2);
}
