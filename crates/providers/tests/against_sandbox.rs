//! The clients against the sandbox: real HTTP, real auth, the providers' error bodies. The
//! sandbox is an independent reading of the same specs, so agreement here means something.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use std::time::Duration;

use serde_json::{Value, json};
use switchboard_providers::elks::ElksClient;
use switchboard_providers::telnyx::TelnyxClient;
use switchboard_providers::twilio::{TwilioClient, TwilioCredentials, TwilioEndpoints};
use switchboard_providers::{
    AccountType, AnyProviderClient, BaseUrl, FailureKind, HttpOptions, ProviderClient,
    ProviderError, Secret, TransportKind,
};
use switchboard_sandbox::{RunningSandbox, SandboxConfig};

async fn sandbox() -> RunningSandbox {
    switchboard_sandbox::start(SandboxConfig::default())
        .await
        .unwrap()
}

fn options() -> HttpOptions {
    HttpOptions {
        request_timeout: Duration::from_secs(5),
        ..HttpOptions::default()
    }
}

fn base(url: &str) -> BaseUrl {
    BaseUrl::parse(url).unwrap()
}

fn twilio(url: &str, credentials: TwilioCredentials) -> AnyProviderClient {
    let endpoints = TwilioEndpoints::all(base(url));
    TwilioClient::new(credentials, endpoints, &options())
        .unwrap()
        .into()
}

async fn admin_account(sandbox: &RunningSandbox, body: Value) -> Value {
    let response = reqwest::Client::new()
        .post(sandbox.admin_url("accounts"))
        .bearer_auth(sandbox.admin_token())
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

#[tokio::test]
async fn twilio_good_and_bad_credentials() {
    let sandbox = sandbox().await;
    let seed = sandbox.seed().twilio.clone();
    let good = TwilioCredentials::with_auth_token(&seed.account_sid, Secret::new(&seed.auth_token));
    let check = twilio(&sandbox.twilio_base(), good)
        .check_credentials()
        .await
        .unwrap();
    assert_eq!(check.account_type, Some(AccountType::Full));
    assert_eq!(check.account_name.as_deref(), Some("Switchboard Sandbox"));

    let bad = TwilioCredentials::with_auth_token(&seed.account_sid, Secret::new("wrong-token"));
    let error = twilio(&sandbox.twilio_base(), bad)
        .check_credentials()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), FailureKind::InvalidCredentials);
    assert_eq!(error.code(), Some("20003"));
    assert!(!error.to_string().contains("wrong-token"));
    assert!(!format!("{error:?}").contains("wrong-token"));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn twilio_trial_and_suspended_accounts() {
    let sandbox = sandbox().await;
    let credentials = |account: &Value| {
        TwilioCredentials::with_auth_token(
            account["twilio"]["account_sid"].as_str().unwrap(),
            Secret::new(account["twilio"]["auth_token"].as_str().unwrap()),
        )
    };
    let trial = admin_account(
        &sandbox,
        json!({ "provider": "twilio", "account_type": "Trial" }),
    )
    .await;
    let check = twilio(&sandbox.twilio_base(), credentials(&trial))
        .check_credentials()
        .await
        .unwrap();
    assert_eq!(check.account_type, Some(AccountType::Trial));
    assert!(
        !check.warnings.is_empty(),
        "a trial account warns about its limits"
    );

    let suspended = admin_account(
        &sandbox,
        json!({ "provider": "twilio", "account_status": "suspended" }),
    )
    .await;
    let error = twilio(&sandbox.twilio_base(), credentials(&suspended))
        .check_credentials()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), FailureKind::AccountSuspended);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn telnyx_and_46elks_good_and_bad_credentials() {
    let sandbox = sandbox().await;
    let seed = sandbox.seed().clone();
    let telnyx = |key: &str| {
        AnyProviderClient::from(
            TelnyxClient::new(Secret::new(key), base(&sandbox.telnyx_base()), &options()).unwrap(),
        )
    };
    telnyx(&seed.telnyx.api_key)
        .check_credentials()
        .await
        .unwrap();
    let error = telnyx("KEYwrong").check_credentials().await.unwrap_err();
    assert_eq!(
        (error.kind(), error.code()),
        (FailureKind::InvalidCredentials, Some("10009"))
    );

    let elks = seed.elks;
    let client = |password: &str| {
        let base = base(&sandbox.elks_base());
        AnyProviderClient::from(
            ElksClient::new(&elks.username, Secret::new(password), base, &options()).unwrap(),
        )
    };
    let check = client(&elks.password).check_credentials().await.unwrap();
    assert!(check.account_name.is_some());
    let error = client("nope").check_credentials().await.unwrap_err();
    assert_eq!(error.kind(), FailureKind::InvalidCredentials);
    assert!(matches!(
        error,
        ProviderError::Api {
            http_status: 401,
            ..
        }
    ));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn an_unreachable_provider_is_a_transport_error() {
    let sandbox = sandbox().await;
    let url = sandbox.twilio_base();
    sandbox.shutdown().await;
    let credentials = TwilioCredentials::with_auth_token(
        "AC0123456789abcdef0123456789abcdef",
        Secret::new("0123456789abcdef0123456789abcdef"),
    );
    let error = twilio(&url, credentials)
        .check_credentials()
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            ProviderError::Transport {
                kind: TransportKind::Refused,
                ..
            }
        ),
        "{error:?}"
    );
}
