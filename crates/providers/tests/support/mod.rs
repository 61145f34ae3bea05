//! Shared helpers for the wiremock tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use switchboard_providers::elks::ElksClient;
use switchboard_providers::telnyx::TelnyxClient;
use switchboard_providers::twilio::{TwilioClient, TwilioCredentials, TwilioEndpoints};
use switchboard_providers::{BaseUrl, HttpOptions, RetryPolicy, Secret};
use wiremock::MockServer;

pub const ACCOUNT_SID: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
pub const AUTH_TOKEN: &str = "tok-5f2b9c0e1d7a4e8b";
pub const TELNYX_KEY: &str = "KEY-telnyx-0b1c2d3e";
pub const ELKS_USER: &str = "u5a9566c072160b318445d163949bf505";
pub const ELKS_PASSWORD: &str = "elks-pw-9a8b7c";

/// Quick retries and short timeouts, so fault tests take milliseconds.
pub fn fast_options() -> HttpOptions {
    HttpOptions {
        connect_timeout: Duration::from_secs(1),
        request_timeout: Duration::from_millis(1500),
        app_version: "9.9.9-test".into(),
        retry: RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(10),
            max_backoff: Duration::from_millis(40),
            max_retry_after: Duration::from_secs(2),
            max_total: Duration::from_secs(10),
        },
        gate: None,
    }
}

pub fn base(server_uri: &str, prefix: &str) -> BaseUrl {
    BaseUrl::parse(&format!("{server_uri}{prefix}")).unwrap()
}

pub fn twilio_at(base_url: BaseUrl, options: &HttpOptions) -> TwilioClient {
    TwilioClient::new(
        TwilioCredentials::with_auth_token(ACCOUNT_SID, Secret::new(AUTH_TOKEN)),
        TwilioEndpoints::all(base_url),
        options,
    )
    .unwrap()
}

/// A Twilio client for the mock server, with every API under `/twilio` like the sandbox.
pub fn twilio(server: &MockServer) -> TwilioClient {
    twilio_at(base(&server.uri(), "/twilio"), &fast_options())
}

pub fn telnyx(server: &MockServer) -> TelnyxClient {
    TelnyxClient::new(
        Secret::new(TELNYX_KEY),
        base(&server.uri(), "/telnyx"),
        &fast_options(),
    )
    .unwrap()
}

pub fn elks(server: &MockServer) -> ElksClient {
    ElksClient::new(
        ELKS_USER,
        Secret::new(ELKS_PASSWORD),
        base(&server.uri(), "/46elks"),
        &fast_options(),
    )
    .unwrap()
}

pub fn account_path(tail: &str) -> String {
    format!("/twilio/2010-04-01/Accounts/{ACCOUNT_SID}{tail}")
}

pub fn account_json(status: &str, account_type: &str) -> serde_json::Value {
    serde_json::json!({
        "sid": ACCOUNT_SID,
        "friendly_name": "Hotel Example",
        "status": status,
        "type": account_type,
        "auth_token": AUTH_TOKEN,
        "uri": format!("/2010-04-01/Accounts/{ACCOUNT_SID}.json")
    })
}

/// Asserts a text does not contain any test secret.
pub fn assert_no_secret(text: &str) {
    for secret in [AUTH_TOKEN, TELNYX_KEY, ELKS_PASSWORD] {
        assert!(!text.contains(secret), "secret leaked in: {text}");
    }
}
