//! Helpers shared by the integration tests: a fast sandbox, a plain HTTP client, and a tiny
//! webhook receiver that records what the sandbox posts to it.
// Each test binary uses a different subset; panicking helpers are how tests report failure.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::routing::any;
use serde_json::Value;
use switchboard_sandbox::{RunningSandbox, SandboxConfig, start};
use tokio::sync::mpsc;

pub async fn sandbox() -> RunningSandbox {
    sandbox_with(SandboxConfig {
        lifecycle_step_ms: 30,
        ..SandboxConfig::default()
    })
    .await
}

pub async fn sandbox_with(config: SandboxConfig) -> RunningSandbox {
    start(config).await.expect("sandbox starts")
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client builds")
}

/// Base of the seeded Twilio account's 2010 resources, e.g. `…/twilio/2010-04-01/Accounts/AC…`.
pub fn twilio_account_url(sandbox: &RunningSandbox) -> String {
    format!(
        "{}/twilio/2010-04-01/Accounts/{}",
        sandbox.url(),
        sandbox.seed().twilio.account_sid
    )
}

/// GET with the seeded Twilio credentials; returns (status, JSON body).
pub async fn twilio_get(sandbox: &RunningSandbox, url: &str) -> (StatusCode, Value) {
    let seed = &sandbox.seed().twilio;
    let response = client()
        .get(url)
        .basic_auth(&seed.account_sid, Some(&seed.auth_token))
        .send()
        .await
        .expect("request succeeds");
    let status = response.status();
    (status, response.json().await.expect("JSON body"))
}

/// Form POST with the seeded Twilio credentials.
pub async fn twilio_post(
    sandbox: &RunningSandbox,
    url: &str,
    form: &[(&str, &str)],
) -> (StatusCode, Value) {
    let seed = &sandbox.seed().twilio;
    let response = client()
        .post(url)
        .basic_auth(&seed.account_sid, Some(&seed.auth_token))
        .form(form)
        .send()
        .await
        .expect("request succeeds");
    let status = response.status();
    (status, response.json().await.expect("JSON body"))
}

/// JSON POST with the seeded Twilio credentials (Messaging v2).
pub async fn twilio_post_json(
    sandbox: &RunningSandbox,
    url: &str,
    body: &Value,
) -> (StatusCode, Value) {
    let seed = &sandbox.seed().twilio;
    let response = client()
        .post(url)
        .basic_auth(&seed.account_sid, Some(&seed.auth_token))
        .json(body)
        .send()
        .await
        .expect("request succeeds");
    let status = response.status();
    (status, response.json().await.expect("JSON body"))
}

/// POST JSON to the admin API.
pub async fn admin_post(sandbox: &RunningSandbox, path: &str, body: &Value) -> (StatusCode, Value) {
    let response = client()
        .post(sandbox.admin_url(path))
        .bearer_auth(sandbox.admin_token())
        .json(body)
        .send()
        .await
        .expect("admin request succeeds");
    let status = response.status();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// GET from the admin API.
pub async fn admin_get(sandbox: &RunningSandbox, path: &str) -> (StatusCode, Value) {
    let response = client()
        .get(sandbox.admin_url(path))
        .bearer_auth(sandbox.admin_token())
        .send()
        .await
        .expect("admin request succeeds");
    let status = response.status();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[derive(Debug, Clone)]
pub struct Received {
    pub method: Method,
    pub uri: Uri,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Received {
    pub fn form(&self) -> Vec<(String, String)> {
        serde_urlencoded::from_bytes(&self.body).expect("form body")
    }

    pub fn form_value(&self, name: &str) -> Option<String> {
        self.form()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }
}

/// A webhook endpoint on 127.0.0.1:0 that answers 200 with `reply` and records every request.
pub struct Receiver {
    pub url: String,
    rx: mpsc::UnboundedReceiver<Received>,
}

impl Receiver {
    pub async fn start(reply: &'static str) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        let app = Router::new().fallback(any(record)).with_state((tx, reply));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("receiver binds");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { url, rx }
    }

    /// The next request received, waiting at most 5 s.
    pub async fn next(&mut self) -> Received {
        tokio::time::timeout(Duration::from_secs(5), self.rx.recv())
            .await
            .expect("a webhook arrives in time")
            .expect("receiver open")
    }
}

type ReceiverState = (mpsc::UnboundedSender<Received>, &'static str);

async fn record(
    State((tx, reply)): State<ReceiverState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, &'static str) {
    let _ = tx.send(Received {
        method,
        uri,
        headers,
        body,
    });
    (StatusCode::OK, reply)
}

/// Polls `check` until it returns Some, at most 5 s.
pub async fn eventually<T, F, Fut>(mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "condition not met within 5 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
