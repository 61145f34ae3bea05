//! One-off fault tests against wiremock (and a raw socket for resets): the retry policy applied
//! to real HTTP, and the errors each failure turns into.
// Helpers outside #[test] functions may unwrap too: a failure there is a test failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use support::*;
use switchboard_providers::twilio::{MessageChannel, MessageContent, MessageFrom, OutgoingMessage};
use switchboard_providers::{FailureKind, MAX_RESPONSE_BYTES, ProviderError, TransportKind};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn sms() -> OutgoingMessage {
    OutgoingMessage {
        channel: MessageChannel::Sms,
        from: MessageFrom::Address("+15005550006".into()),
        to: "+15551234567".into(),
        content: MessageContent::Text {
            body: "Your room is ready".into(),
        },
        status_callback: None,
        validity_period: None,
    }
}

async fn requests_to(server: &MockServer) -> usize {
    server.received_requests().await.unwrap_or_default().len()
}

#[tokio::test]
async fn rate_limit_with_retry_after_is_retried_and_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(account_path(".json")))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "1")
                .set_body_json(serde_json::json!({"code": 20429, "message": "Too Many Requests", "status": 429})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(account_path(".json")))
        .respond_with(ResponseTemplate::new(200).set_body_json(account_json("active", "Full")))
        .mount(&server)
        .await;

    let started = Instant::now();
    let check = twilio(&server).check_credentials().await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "Retry-After was not honoured"
    );
    assert_eq!(check.account_name.as_deref(), Some("Hotel Example"));
    assert_eq!(requests_to(&server).await, 2);
}

#[tokio::test]
async fn rate_limited_send_is_retried_because_it_was_never_processed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(account_path("/Messages.json")))
        .respond_with(ResponseTemplate::new(429).set_body_json(serde_json::json!({"code": 20429})))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(account_path("/Messages.json")))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(serde_json::json!({"sid": "SM1", "status": "queued"})),
        )
        .mount(&server)
        .await;
    let message = twilio(&server).send_message(&sms()).await.unwrap();
    assert_eq!(message.sid.as_deref(), Some("SM1"));
    assert_eq!(requests_to(&server).await, 2);
}

#[tokio::test]
async fn server_error_on_send_is_not_retried_and_gives_unknown_outcome() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(account_path("/Messages.json")))
        .respond_with(ResponseTemplate::new(500).set_body_json(
            serde_json::json!({"code": 20500, "message": "Internal Server Error", "status": 500}),
        ))
        .mount(&server)
        .await;

    let error = twilio(&server).send_message(&sms()).await.unwrap_err();
    assert_eq!(
        requests_to(&server).await,
        1,
        "a send must never be repeated after a 5xx"
    );
    assert!(error.is_unknown_outcome(), "{error:?}");
    assert_eq!(error.http_status(), Some(500));
    assert!(
        error
            .to_string()
            .contains("POST /2010-04-01/Accounts/{AccountSid}/Messages.json")
    );
    assert_no_secret(&error.to_string());
}

#[tokio::test]
async fn server_errors_on_reads_are_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(account_path(".json")))
        .respond_with(ResponseTemplate::new(503).set_body_string("<html>busy</html>"))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(account_path(".json")))
        .respond_with(ResponseTemplate::new(200).set_body_json(account_json("active", "Trial")))
        .mount(&server)
        .await;
    let check = twilio(&server).check_credentials().await.unwrap();
    assert_eq!(requests_to(&server).await, 3);
    assert_eq!(check.warnings.len(), 1, "a trial account carries a warning");
}

#[tokio::test]
async fn persistent_server_errors_on_reads_give_an_api_error_after_the_attempt_limit() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502).set_body_string("<html>Bad gateway</html>"))
        .mount(&server)
        .await;
    let error = twilio(&server).fetch_account().await.unwrap_err();
    assert_eq!(requests_to(&server).await, 3);
    match &error {
        ProviderError::Api {
            http_status,
            code,
            message,
            ..
        } => {
            assert_eq!(*http_status, 502);
            assert_eq!(*code, None);
            assert!(message.contains("HTTP 502"), "{message}");
        }
        other => panic!("expected an Api error, got {other:?}"),
    }
    assert_eq!(error.kind(), FailureKind::ProviderUnavailable);
}

#[tokio::test]
async fn wrong_credentials_give_an_auth_error_without_retry_or_secret() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(account_path(".json")))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "code": 20003,
            "message": format!("Authenticate (token {AUTH_TOKEN} rejected)"),
            "more_info": "https://www.twilio.com/docs/errors/20003",
            "status": 401
        })))
        .mount(&server)
        .await;

    let error = twilio(&server).check_credentials().await.unwrap_err();
    assert_eq!(requests_to(&server).await, 1);
    match &error {
        ProviderError::Api {
            http_status,
            code,
            docs_url,
            ..
        } => {
            assert_eq!(*http_status, 401);
            assert_eq!(code.as_deref(), Some("20003"));
            assert_eq!(
                docs_url.as_deref(),
                Some("https://www.twilio.com/docs/errors/20003")
            );
        }
        other => panic!("expected an Api error, got {other:?}"),
    }
    assert_eq!(error.kind(), FailureKind::InvalidCredentials);
    assert_eq!(error.failure().kind, FailureKind::InvalidCredentials);
    assert_no_secret(&error.to_string());
    assert_no_secret(&format!("{error:?}"));
}

#[tokio::test]
async fn suspended_account_is_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(account_path(".json")))
        .respond_with(ResponseTemplate::new(200).set_body_json(account_json("suspended", "Full")))
        .mount(&server)
        .await;
    let error = twilio(&server).check_credentials().await.unwrap_err();
    assert_eq!(error.kind(), FailureKind::AccountSuspended);
    assert_eq!(error.to_string(), "the Twilio account is suspended");
}

#[tokio::test]
async fn malformed_success_body_is_a_decode_error_for_reads_and_unknown_for_sends() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"sid\": \"AC"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_string("<html>ok</html>"))
        .mount(&server)
        .await;
    let client = twilio(&server);

    let error = client.fetch_account().await.unwrap_err();
    match &error {
        ProviderError::Decode { message, .. } => {
            assert!(
                message.starts_with("GET /2010-04-01/Accounts/{Sid}.json"),
                "{message}"
            );
        }
        other => panic!("expected a Decode error, got {other:?}"),
    }

    let error = client.send_message(&sms()).await.unwrap_err();
    assert!(error.is_unknown_outcome(), "{error:?}");
    assert_eq!(error.http_status(), Some(201));
}

/// A server that reads each request and closes the connection without answering; counts the
/// requests it read.
async fn hang_up_server(requests: Arc<AtomicUsize>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buffer = [0u8; 4096];
            if socket.read(&mut buffer).await.is_ok_and(|read| read > 0) {
                requests.fetch_add(1, Ordering::SeqCst);
            }
            drop(socket);
        }
    });
    format!("http://{address}")
}

#[tokio::test]
async fn reset_connection_is_a_transport_error_for_reads_and_unknown_for_sends() {
    let requests = Arc::new(AtomicUsize::new(0));
    let uri = hang_up_server(requests.clone()).await;
    let client = twilio_at(base(&uri, "/twilio"), &fast_options());

    let error = client.fetch_account().await.unwrap_err();
    assert_eq!(
        requests.swap(0, Ordering::SeqCst),
        3,
        "a read is repeated as often as the policy allows"
    );
    match &error {
        ProviderError::Transport { kind, message, .. } => {
            assert_eq!(*kind, TransportKind::Reset, "{message}");
            assert!(message.contains("127.0.0.1"), "{message}");
        }
        other => panic!("expected a Transport error, got {other:?}"),
    }
    assert_eq!(error.kind(), FailureKind::Unreachable);

    let error = client.send_message(&sms()).await.unwrap_err();
    assert!(error.is_unknown_outcome(), "{error:?}");
    assert_eq!(
        requests.load(Ordering::SeqCst),
        1,
        "a send that may have arrived is never repeated"
    );
}

/// Counts the attempts the executor starts on this thread (its `calling provider` event, one
/// per attempt). A refused connection reaches no server, so no server can count it; the client's
/// own account is the only witness.
#[derive(Clone, Default)]
struct AttemptCounter(Arc<AtomicUsize>);

impl AttemptCounter {
    fn take(&self) -> usize {
        self.0.swap(0, Ordering::SeqCst)
    }
}

impl tracing::Subscriber for AttemptCounter {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }

    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}

    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}

    fn event(&self, event: &tracing::Event<'_>) {
        struct IsAttempt(bool);
        impl tracing::field::Visit for IsAttempt {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                if field.name() == "message" && format!("{value:?}") == "calling provider" {
                    self.0 = true;
                }
            }
        }
        let mut is_attempt = IsAttempt(false);
        event.record(&mut is_attempt);
        if is_attempt.0 {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn enter(&self, _: &tracing::span::Id) {}

    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test]
async fn refused_connection_is_retried_and_reported_for_every_class() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let client = twilio_at(base(&format!("http://{address}"), ""), &fast_options());
    // The test runtime polls everything on this thread, so a thread-local subscriber sees it all.
    let attempts = AttemptCounter::default();
    let _counting = tracing::subscriber::set_default(attempts.clone());

    let read = client.fetch_account().await.unwrap_err();
    assert_eq!(
        attempts.take(),
        3,
        "a refused read is retried up to the limit"
    );
    // Refused means never sent: a send is safe to retry, and to report as a plain failure.
    let send = client.send_message(&sms()).await.unwrap_err();
    assert_eq!(
        attempts.take(),
        3,
        "a refused send is retried up to the limit"
    );
    for error in [read, send] {
        match &error {
            ProviderError::Transport { kind, .. } => assert_eq!(*kind, TransportKind::Refused),
            other => panic!("expected a Transport error, got {other:?}"),
        }
        assert!(!error.is_unknown_outcome());
    }
}

#[tokio::test]
async fn timeouts_retry_reads_but_never_sends() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(account_json("active", "Full"))
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let mut options = fast_options();
    options.request_timeout = Duration::from_millis(200);
    options.retry.max_attempts = 2;
    let client = twilio_at(base(&server.uri(), "/twilio"), &options);

    let error = client.fetch_account().await.unwrap_err();
    match &error {
        ProviderError::Transport { kind, .. } => assert_eq!(*kind, TransportKind::Timeout),
        other => panic!("expected a Transport error, got {other:?}"),
    }
    let reads = requests_to(&server).await;
    assert_eq!(reads, 2);

    let error = client.send_message(&sms()).await.unwrap_err();
    assert!(error.is_unknown_outcome(), "{error:?}");
    assert_eq!(
        requests_to(&server).await,
        reads + 1,
        "a timed-out send is never repeated"
    );
}

#[tokio::test]
async fn telnyx_and_46elks_auth_failures_are_classified() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/telnyx/v2/balance"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "errors": [{"code": "10009", "title": "Authentication failed",
                        "detail": "Could not understand the provided credentials."}]
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/46elks/a1/me"))
        .respond_with(ResponseTemplate::new(401).set_body_string("Unauthorized"))
        .mount(&server)
        .await;

    let telnyx_error = telnyx(&server).check_credentials().await.unwrap_err();
    assert_eq!(telnyx_error.kind(), FailureKind::InvalidCredentials);
    assert_eq!(telnyx_error.code(), Some("10009"));
    assert_no_secret(&format!("{telnyx_error} {telnyx_error:?}"));

    let elks_error = elks(&server).check_credentials().await.unwrap_err();
    assert_eq!(elks_error.kind(), FailureKind::InvalidCredentials);
    assert_eq!(
        elks_error.to_string(),
        "46elks rejected the request (HTTP 401): Unauthorized"
    );
}

/// A valid JSON answer just over the size cap: the old executor read and accepted it.
fn oversized(mut value: serde_json::Value, field: &str) -> serde_json::Value {
    value[field] = serde_json::Value::String("x".repeat(MAX_RESPONSE_BYTES + 1));
    value
}

#[tokio::test]
async fn an_answer_larger_than_the_cap_is_refused_with_a_clear_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(oversized(account_json("active", "Full"), "friendly_name")),
        )
        .mount(&server)
        .await;
    let error = twilio(&server).fetch_account().await.unwrap_err();
    match &error {
        ProviderError::Decode { message, .. } => {
            assert!(message.contains("larger than the 4 MiB"), "{message}");
        }
        other => panic!("expected a Decode error, got {other:?}"),
    }
    assert_eq!(error.kind(), FailureKind::UnreadableResponse);
}

#[tokio::test]
async fn a_send_whose_success_answer_is_too_large_is_an_unknown_outcome() {
    let server = MockServer::start().await;
    let message = serde_json::json!({
        "sid": "SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "status": "queued",
        "body": "",
    });
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(oversized(message, "body")))
        .mount(&server)
        .await;
    let error = twilio(&server).send_message(&sms()).await.unwrap_err();
    assert!(error.is_unknown_outcome(), "{error:?}");
    assert_eq!(error.http_status(), Some(201));
    assert_eq!(error.failure().kind, FailureKind::UnknownOutcome);
    assert_eq!(
        requests_to(&server).await,
        1,
        "an accepted send is never repeated"
    );
}

/// A server that answers every request with a success status and a body cut off half-way.
async fn cut_off_success_server(connections: Arc<AtomicUsize>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            connections.fetch_add(1, Ordering::SeqCst);
            let mut buffer = [0u8; 8192];
            let _ = socket.read(&mut buffer).await;
            let head = "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n\
                        Content-Length: 500\r\nConnection: close\r\n\r\n{\"sid\": \"SM";
            let _ = socket.write_all(head.as_bytes()).await;
            let _ = socket.flush().await;
            drop(socket);
        }
    });
    format!("http://{address}")
}

#[tokio::test]
async fn a_send_whose_success_answer_is_cut_off_is_unknown_and_never_repeated() {
    let connections = Arc::new(AtomicUsize::new(0));
    let uri = cut_off_success_server(connections.clone()).await;
    let client = twilio_at(base(&uri, "/twilio"), &fast_options());
    let error = client.send_message(&sms()).await.unwrap_err();
    match &error {
        ProviderError::UnknownOutcome {
            http_status,
            detail,
            ..
        } => {
            assert_eq!(*http_status, Some(201));
            assert!(detail.contains("after HTTP 201"), "{detail}");
        }
        other => panic!("expected an unknown outcome, got {other:?}"),
    }
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn provider_failures_carry_kind_code_status_and_docs_link() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(account_path("/Messages.json")))
        .respond_with(ResponseTemplate::new(400).set_body_json(serde_json::json!({
            "code": 21211,
            "message": "Invalid 'To' Phone Number: +1555",
            "more_info": "https://www.twilio.com/docs/errors/21211",
            "status": 400
        })))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(account_path("/Messages.json")))
        .respond_with(ResponseTemplate::new(400).set_body_json(serde_json::json!({
            "code": 21999, "message": "Something new", "status": 400
        })))
        .mount(&server)
        .await;
    let client = twilio(&server);

    let failure = client.send_message(&sms()).await.unwrap_err().failure();
    assert_eq!(failure.kind, FailureKind::InvalidRecipient);
    assert_eq!(failure.provider_code.as_deref(), Some("21211"));
    assert_eq!(failure.http_status, Some(400));
    assert_eq!(
        failure.docs_url.as_deref(),
        Some("https://www.twilio.com/docs/errors/21211")
    );
    assert_eq!(failure.message, "Invalid 'To' Phone Number: +1555");
    assert!(
        failure.cause.contains("not a valid phone number"),
        "{}",
        failure.cause
    );

    // Any other send failure is SEND_MESSAGE_FAILED, with the code kept and its page linked.
    let failure = client.send_message(&sms()).await.unwrap_err().failure();
    assert_eq!(failure.kind, FailureKind::SendMessageFailed);
    assert_eq!(failure.provider_code.as_deref(), Some("21999"));
    assert_eq!(
        failure.docs_url.as_deref(),
        Some("https://www.twilio.com/docs/api/errors/21999")
    );
    let json = serde_json::to_value(&failure).unwrap();
    assert_eq!(json["kind"], "SEND_MESSAGE_FAILED");
    assert_eq!(json["providerCode"], "21999");
}

#[tokio::test]
async fn telnyx_links_its_error_page_and_46elks_links_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/telnyx/v2/balance"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "errors": [{
                "code": "10009",
                "title": "Authentication failed",
                "meta": {"url": "https://developers.telnyx.com/docs/overview/errors/10009"}
            }]
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/46elks/a1/me"))
        .respond_with(ResponseTemplate::new(401).set_body_string("Unauthorized"))
        .mount(&server)
        .await;
    let telnyx = telnyx(&server)
        .check_credentials()
        .await
        .unwrap_err()
        .failure();
    assert_eq!(telnyx.kind, FailureKind::InvalidCredentials);
    assert_eq!(
        telnyx.docs_url.as_deref(),
        Some("https://developers.telnyx.com/docs/overview/errors/10009")
    );
    let elks = elks(&server)
        .check_credentials()
        .await
        .unwrap_err()
        .failure();
    assert_eq!(elks.kind, FailureKind::InvalidCredentials);
    assert_eq!((elks.provider_code, elks.docs_url), (None, None));
    assert!(
        elks.cause.contains("username or password"),
        "{}",
        elks.cause
    );
}

/// A server that streams a chunked JSON answer (no Content-Length) of `size` bytes.
async fn chunked_server(size: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buffer = [0u8; 8192];
            let _ = socket.read(&mut buffer).await;
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                        Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
            let _ = socket.write_all(head.as_bytes()).await;
            let mut body =
                br#"{"sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "friendly_name": ""#.to_vec();
            body.resize(size, b'x');
            body.extend_from_slice(br#""}"#);
            for piece in body.chunks(64 * 1024) {
                let chunk = format!("{:x}\r\n", piece.len());
                if socket.write_all(chunk.as_bytes()).await.is_err()
                    || socket.write_all(piece).await.is_err()
                    || socket.write_all(b"\r\n").await.is_err()
                {
                    break;
                }
            }
            let _ = socket.write_all(b"0\r\n\r\n").await;
        }
    });
    format!("http://{address}")
}

#[tokio::test]
async fn an_answer_without_a_length_is_cut_off_at_the_cap() {
    let big = twilio_at(
        base(&chunked_server(MAX_RESPONSE_BYTES + 1024).await, "/twilio"),
        &fast_options(),
    );
    let error = big.fetch_account().await.unwrap_err();
    assert_eq!(error.kind(), FailureKind::UnreadableResponse, "{error:?}");
    assert!(
        error.to_string().contains("larger than the 4 MiB"),
        "{error}"
    );

    let small = twilio_at(
        base(&chunked_server(1024).await, "/twilio"),
        &fast_options(),
    );
    let account = small.fetch_account().await.unwrap();
    assert_eq!(account.sid.as_deref(), Some(ACCOUNT_SID));
}
