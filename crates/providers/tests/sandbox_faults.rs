//! The retry policy and error mapping against the sandbox's fault injection: real HTTP, real
//! status codes, `Retry-After`, held and reset connections, truncated bodies. The sandbox's
//! request log is the witness for how many attempts reached the provider.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod support;

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use switchboard_providers::twilio::{
    MessageChannel, MessageContent, MessageFrom, OutgoingMessage, SmsWebhook, SmsWebhookMethod,
    TwilioClient, TwilioCredentials, TwilioEndpoints,
};
use switchboard_providers::{BaseUrl, HttpOptions, ProviderError, Secret, TransportKind};
use switchboard_sandbox::{RunningSandbox, SandboxConfig};

const NUMBERS: &str = "*/IncomingPhoneNumbers.json";
const MESSAGES: &str = "*/Messages.json";

struct Setup {
    sandbox: RunningSandbox,
    client: TwilioClient,
    http: reqwest::Client,
}

/// A logged request: its status (none when the connection was cut or held) and fault note.
#[derive(Debug, PartialEq)]
struct Attempt {
    status: Option<u64>,
    fault: Option<String>,
}

fn attempt(status: Option<u64>, fault: Option<&str>) -> Attempt {
    Attempt {
        status,
        fault: fault.map(str::to_owned),
    }
}

async fn setup() -> Setup {
    setup_with(support::fast_options()).await
}

async fn setup_with(options: HttpOptions) -> Setup {
    let sandbox = switchboard_sandbox::start(SandboxConfig::default())
        .await
        .unwrap();
    let seed = sandbox.seed().twilio.clone();
    let credentials =
        TwilioCredentials::with_auth_token(&seed.account_sid, Secret::new(&seed.auth_token));
    let endpoints = TwilioEndpoints::all(BaseUrl::parse(&sandbox.twilio_base()).unwrap());
    let client = TwilioClient::new(credentials, endpoints, &options).unwrap();
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
            .post(self.sandbox.admin_url("faults"))
            .bearer_auth(self.sandbox.admin_token())
            .json(&fault)
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success(), "{fault}");
    }

    /// The requests the sandbox received with this method whose path ends with `suffix`.
    async fn attempts(&self, method: &str, suffix: &str) -> Vec<Attempt> {
        let log: Vec<Value> = self
            .http
            .get(self.sandbox.admin_url("requests"))
            .bearer_auth(self.sandbox.admin_token())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        log.into_iter()
            .filter(|r| r["method"] == method && r["path"].as_str().unwrap().ends_with(suffix))
            .map(|r| Attempt {
                status: r["status"].as_u64(),
                fault: r["fault"].as_str().map(str::to_owned),
            })
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
            validity_period: None,
        }
    }
}

#[tokio::test]
async fn a_429_with_retry_after_is_retried_and_the_read_succeeds() {
    let s = setup().await;
    s.fault(json!({"method": "GET", "path": NUMBERS, "status": 429, "count": 1}))
        .await;
    let started = Instant::now();
    let numbers = s.client.list_incoming_phone_numbers().await.unwrap();
    assert_eq!(numbers.len(), 5);
    // The sandbox says `Retry-After: 1`; the test policy's own backoff is 10–40 ms.
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "Retry-After honoured: {:?}",
        started.elapsed()
    );
    assert_eq!(
        s.attempts("GET", "IncomingPhoneNumbers.json").await,
        [
            attempt(Some(429), Some("status:429")),
            attempt(Some(200), None)
        ]
    );
    s.sandbox.shutdown().await;
}

#[tokio::test]
async fn two_500s_on_a_read_are_retried_and_the_third_attempt_succeeds() {
    let s = setup().await;
    s.fault(json!({"method": "GET", "path": NUMBERS, "status": 500, "count": 2}))
        .await;
    let numbers = s.client.list_incoming_phone_numbers().await.unwrap();
    assert_eq!(numbers.len(), 5);
    assert_eq!(
        s.attempts("GET", "IncomingPhoneNumbers.json").await,
        [
            attempt(Some(500), Some("status:500")),
            attempt(Some(500), Some("status:500")),
            attempt(Some(200), None)
        ]
    );
    s.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_read_held_until_it_times_out_is_retried_and_the_next_attempt_answers() {
    let timeout = Duration::from_millis(300);
    let s = setup_with(HttpOptions {
        request_timeout: timeout,
        ..support::fast_options()
    })
    .await;
    s.fault(json!({"method": "GET", "path": NUMBERS, "kind": "timeout", "count": 1}))
        .await;
    let started = Instant::now();
    let numbers = s.client.list_incoming_phone_numbers().await.unwrap();
    assert_eq!(numbers.len(), 5);
    assert!(started.elapsed() >= timeout, "{:?}", started.elapsed());
    assert_eq!(
        s.attempts("GET", "IncomingPhoneNumbers.json").await,
        [attempt(None, Some("timeout")), attempt(Some(200), None)]
    );
    s.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_429_on_a_send_is_retried_because_twilio_never_processed_it() {
    let s = setup().await;
    s.fault(json!({"method": "POST", "path": MESSAGES, "status": 429, "count": 1}))
        .await;
    let sent = s.client.send_message(&s.text()).await.unwrap();
    assert!(sent.sid.is_some());
    assert_eq!(
        s.attempts("POST", "Messages.json").await,
        [
            attempt(Some(429), Some("status:429")),
            attempt(Some(201), None)
        ]
    );
    s.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_500_on_a_send_is_not_retried_and_the_outcome_is_unknown() {
    let s = setup().await;
    s.fault(json!({"method": "POST", "path": MESSAGES, "status": 500, "count": 1}))
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
    assert!(error.is_unknown_outcome());
    let message = error.to_string();
    assert!(message.contains("is unknown"), "{message}");
    assert!(
        message.contains("check the provider's recent messages before trying again"),
        "{message}"
    );
    let cause = error.failure().cause;
    assert!(cause.contains("may or may not have been sent"), "{cause}");
    assert_eq!(
        s.attempts("POST", "Messages.json").await,
        [attempt(Some(500), Some("status:500"))],
        "sent once, never repeated"
    );
    s.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_reset_connection_is_a_transport_error_on_a_read() {
    let s = setup().await;
    s.fault(json!({"method": "GET", "path": NUMBERS, "kind": "reset"}))
        .await;
    let error = s.client.list_incoming_phone_numbers().await.unwrap_err();
    assert!(
        matches!(
            error,
            ProviderError::Transport {
                kind: TransportKind::Reset,
                ..
            }
        ),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.contains("could not reach Twilio (connection closed unexpectedly)"),
        "{message}"
    );
    // A read is safe to repeat: every attempt the policy allows was made.
    let attempts = s.attempts("GET", "IncomingPhoneNumbers.json").await;
    assert_eq!(
        attempts,
        (0..3)
            .map(|_| attempt(None, Some("reset")))
            .collect::<Vec<_>>()
    );
    s.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_reset_connection_on_a_send_is_unknown_and_not_retried() {
    let s = setup().await;
    s.fault(json!({"method": "POST", "path": MESSAGES, "kind": "reset", "count": 1}))
        .await;
    let error = s.client.send_message(&s.text()).await.unwrap_err();
    assert!(
        matches!(
            error,
            ProviderError::UnknownOutcome {
                http_status: None,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("connection closed unexpectedly"),
        "{error}"
    );
    assert_eq!(
        s.attempts("POST", "Messages.json").await,
        [attempt(None, Some("reset"))],
        "never re-sent"
    );
    s.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_malformed_body_on_a_read_is_a_decode_error_naming_the_call() {
    let s = setup().await;
    s.fault(json!({"method": "GET", "path": NUMBERS, "kind": "malformed", "count": 1}))
        .await;
    let error = s.client.list_incoming_phone_numbers().await.unwrap_err();
    assert!(matches!(error, ProviderError::Decode { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.starts_with("Twilio sent an answer that could not be read"),
        "{message}"
    );
    assert!(message.contains("IncomingPhoneNumbers"), "{message}");
    // A 200 with a broken body is not a transient failure: asked once.
    assert_eq!(
        s.attempts("GET", "IncomingPhoneNumbers.json").await,
        [attempt(Some(200), Some("malformed"))]
    );
    s.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_held_connection_times_out_with_a_clear_error() {
    let timeout = Duration::from_millis(300);
    let s = setup_with(HttpOptions {
        request_timeout: timeout,
        ..support::fast_options()
    })
    .await;
    s.fault(json!({"method": "GET", "path": NUMBERS, "kind": "timeout"}))
        .await;
    let started = Instant::now();
    let error = s.client.list_incoming_phone_numbers().await.unwrap_err();
    let elapsed = started.elapsed();
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
    let message = error.to_string();
    assert!(
        message.contains("could not reach Twilio (timed out)"),
        "{message}"
    );
    // Three attempts of 300 ms each, not the sandbox's ten-minute hold.
    assert!(elapsed >= timeout * 3, "{elapsed:?}");
    // A generous bound: only a request timeout that is not enforced gets near it.
    assert!(elapsed < Duration::from_secs(60), "{elapsed:?}");
    assert_eq!(
        s.attempts("GET", "IncomingPhoneNumbers.json").await,
        (0..3)
            .map(|_| attempt(None, Some("timeout")))
            .collect::<Vec<_>>()
    );
    s.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_429_on_a_webhook_write_is_retried_and_the_value_lands() {
    let s = setup().await;
    let numbers = s.client.list_incoming_phone_numbers().await.unwrap();
    let sid = numbers[0].sid.clone().unwrap();
    let number_path = format!("*/IncomingPhoneNumbers/{sid}.json");
    s.fault(json!({"method": "POST", "path": number_path, "status": 429, "count": 1}))
        .await;
    let webhook = SmsWebhook {
        url: "https://hooks.hotel.example/inbound/c/t".into(),
        method: SmsWebhookMethod::Post,
    };
    let written = s.client.set_sms_webhook(&sid, &webhook).await.unwrap();
    assert_eq!(written.sms_url.as_deref(), Some(webhook.url.as_str()));
    let read = s.client.fetch_incoming_phone_number(&sid).await.unwrap();
    assert_eq!(read.sms_url.as_deref(), Some(webhook.url.as_str()));
    assert_eq!(
        s.attempts("POST", &format!("{sid}.json")).await,
        [
            attempt(Some(429), Some("status:429")),
            attempt(Some(200), None)
        ]
    );
    s.sandbox.shutdown().await;
}
