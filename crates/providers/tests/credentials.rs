//! Credential checks against the sandbox: real HTTP, real auth, the providers' error bodies.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use std::time::Duration;

use serde_json::{Value, json};
use switchboard_providers::{
    AccountType, ElksClient, ErrorKind, HttpConfig, ProviderClient, ProviderError, Secret,
    TelnyxClient, TransportKind, TwilioAuth, TwilioClient, TwilioEndpoints,
};
use switchboard_sandbox::{RunningSandbox, SandboxConfig};

async fn sandbox() -> RunningSandbox {
    switchboard_sandbox::start(SandboxConfig::default())
        .await
        .unwrap()
}

fn config() -> HttpConfig {
    HttpConfig {
        timeout: Duration::from_secs(5),
        ..HttpConfig::default()
    }
}

fn twilio(base: &str, sid: &str, token: &str) -> ProviderClient {
    let auth = TwilioAuth::AuthToken(Secret::new(token));
    ProviderClient::Twilio(
        TwilioClient::new(sid, auth, TwilioEndpoints::all_at(base), &config()).unwrap(),
    )
}

async fn admin_account(sandbox: &RunningSandbox, body: Value) -> Value {
    let response = reqwest::Client::new()
        .post(format!("{}/_sandbox/accounts", sandbox.url()))
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
    let seed = sandbox.seed().twilio.clone().unwrap();
    let check = twilio(&sandbox.twilio_base(), &seed.account_sid, &seed.auth_token)
        .check_credentials()
        .await
        .unwrap();
    assert_eq!(check.account_type, AccountType::Full);
    assert_eq!(check.account_name.as_deref(), Some("Sandbox hotel"));

    let error = twilio(&sandbox.twilio_base(), &seed.account_sid, "wrong-token")
        .check_credentials()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Auth);
    assert_eq!(error.provider_code(), Some("20003"));
    assert!(!error.to_string().contains("wrong-token"));
    assert!(!format!("{error:?}").contains("wrong-token"));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn twilio_trial_and_suspended_accounts() {
    let sandbox = sandbox().await;
    let trial = admin_account(
        &sandbox,
        json!({ "provider": "twilio", "account_type": "Trial" }),
    )
    .await;
    let (sid, token) = (
        trial["twilio"]["account_sid"].as_str().unwrap(),
        trial["twilio"]["auth_token"].as_str().unwrap(),
    );
    let check = twilio(&sandbox.twilio_base(), sid, token)
        .check_credentials()
        .await
        .unwrap();
    assert_eq!(check.account_type, AccountType::Trial);
    assert!(check.warnings[0].contains("verified numbers"));

    let suspended = admin_account(
        &sandbox,
        json!({ "provider": "twilio", "account_status": "suspended" }),
    )
    .await;
    let (sid, token) = (
        suspended["twilio"]["account_sid"].as_str().unwrap(),
        suspended["twilio"]["auth_token"].as_str().unwrap(),
    );
    let error = twilio(&sandbox.twilio_base(), sid, token)
        .check_credentials()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::AccountSuspended);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn twilio_api_key_is_checked_with_a_call_a_restricted_key_can_make() {
    let sandbox = sandbox().await;
    let seed = sandbox.seed().twilio.clone().unwrap();
    // The sandbox accepts the account's own SID/token pair here; what matters is the call used.
    let auth = TwilioAuth::ApiKey {
        sid: seed.account_sid.clone(),
        secret: Secret::new(seed.auth_token.clone()),
    };
    let client = TwilioClient::new(
        &seed.account_sid,
        auth,
        TwilioEndpoints::all_at(&sandbox.twilio_base()),
        &config(),
    )
    .unwrap();
    let check = client.check_credentials().await.unwrap();
    assert!(
        check.checked_with.contains("IncomingPhoneNumbers"),
        "{}",
        check.checked_with
    );
    let log: Value = reqwest::get(format!("{}/_sandbox/requests", sandbox.url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let last = log.as_array().unwrap().last().unwrap().clone();
    assert!(
        last["path"]
            .as_str()
            .unwrap()
            .ends_with("/IncomingPhoneNumbers.json")
    );
    assert_eq!(last["query"], "PageSize=1");
    assert!(
        !last.to_string().to_lowercase().contains("authorization"),
        "the log leaves auth out"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn telnyx_and_46elks_good_and_bad_credentials() {
    let sandbox = sandbox().await;
    let seed = sandbox.seed().clone();
    let telnyx_key = seed.telnyx.unwrap().api_key;
    let good = TelnyxClient::new(
        Some(&sandbox.telnyx_base()),
        Secret::new(telnyx_key),
        &config(),
    )
    .unwrap();
    assert!(
        good.check_credentials()
            .await
            .unwrap()
            .account_name
            .unwrap()
            .contains("USD")
    );
    let bad = TelnyxClient::new(
        Some(&sandbox.telnyx_base()),
        Secret::new("KEYwrong"),
        &config(),
    )
    .unwrap();
    let error = bad.check_credentials().await.unwrap_err();
    assert_eq!(
        (error.kind(), error.provider_code()),
        (ErrorKind::Auth, Some("10009"))
    );

    let elks = seed.elks.unwrap();
    let good = ElksClient::new(
        Some(&sandbox.elks_base()),
        &elks.username,
        Secret::new(elks.password),
        &config(),
    )
    .unwrap();
    assert!(
        good.check_credentials()
            .await
            .unwrap()
            .account_name
            .unwrap()
            .contains("SEK")
    );
    let bad = ElksClient::new(
        Some(&sandbox.elks_base()),
        &elks.username,
        Secret::new("nope"),
        &config(),
    )
    .unwrap();
    let error = bad.check_credentials().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Auth);
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
    let base = sandbox.twilio_base();
    sandbox.shutdown().await;
    let error = twilio(&base, "AC0123456789abcdef0123456789abcdef", "t")
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
    assert_eq!(error.kind(), ErrorKind::Unreachable);
}
