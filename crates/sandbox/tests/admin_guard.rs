//! The admin API is for the one who started the sandbox: its token, its own loopback address,
//! JSON bodies, bounded creations. The provider routes keep the providers' own auth, and the
//! stand-in inbound service keeps receiving the sandbox's own webhooks.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HOST};
use serde_json::{Value, json};
use switchboard_sandbox::{RunningSandbox, SandboxConfig};

/// The token as a client that only has the start line sees it (empty when it has none: the
/// first test says so; the others then fail on what they check).
fn token_of(sandbox: &RunningSandbox) -> String {
    let line: Value = serde_json::from_str(&sandbox.start_line()).unwrap();
    line["admin_token"].as_str().unwrap_or_default().to_owned()
}

fn admin_url(sandbox: &RunningSandbox, path: &str) -> String {
    format!("{}/_sandbox/{path}", sandbox.url())
}

fn port_of(sandbox: &RunningSandbox) -> u16 {
    sandbox.addr().port()
}

const ACCOUNT: &str = r#"{"provider": "twilio", "numbers": 2}"#;

#[tokio::test]
async fn the_start_line_carries_a_fresh_admin_token_on_every_start() {
    let config = SandboxConfig {
        seed: Some(7),
        ..SandboxConfig::default()
    };
    let a = sandbox_with(config.clone()).await;
    let b = sandbox_with(config).await;
    let (token_a, token_b) = (token_of(&a), token_of(&b));
    assert!(token_a.len() >= 32, "{token_a}");
    assert_ne!(
        token_a, token_b,
        "the same seed does not give the same token"
    );
    assert_eq!(
        a.seed().twilio,
        b.seed().twilio,
        "the seed still decides the rest"
    );
}

#[tokio::test]
async fn an_admin_call_without_the_right_token_is_refused_and_changes_nothing() {
    let sandbox = sandbox().await;
    let other = sandbox_with(SandboxConfig::default()).await;
    let url = format!("{}/_sandbox/accounts", sandbox.url());
    let bearer = |token: &str| format!("Bearer {token}");
    let attempts = [
        client().post(&url),
        client().post(&url).header(AUTHORIZATION, "Bearer "),
        client()
            .post(&url)
            .header(AUTHORIZATION, bearer("not-the-token")),
        // Another sandbox's token, and the right token in the wrong scheme.
        client()
            .post(&url)
            .header(AUTHORIZATION, bearer(&token_of(&other))),
        client()
            .post(&url)
            .basic_auth("admin", Some(token_of(&sandbox))),
    ];
    for attempt in attempts {
        let response = attempt
            .header(CONTENT_TYPE, "application/json")
            .body(ACCOUNT)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
        let body: Value = response.json().await.unwrap();
        let message = body["error"].as_str().unwrap();
        assert!(message.contains("admin_token"), "{message}");
        assert!(!message.contains(&token_of(&sandbox)), "{message}");
    }
    // Reads and the rest are guarded too.
    for (method, path) in [
        ("GET", "requests"),
        ("GET", "seed"),
        ("GET", "faults"),
        ("DELETE", "faults"),
        ("POST", "reset"),
        ("GET", "deliveries"),
    ] {
        let response = client()
            .request(method.parse().unwrap(), admin_url(&sandbox, path))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "{method} {path}"
        );
    }
    // Nothing was created: the seeded Twilio account is still the only one, and the admin API
    // answers the owner.
    let response = client()
        .get(admin_url(&sandbox, "requests"))
        .bearer_auth(token_of(&sandbox))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let response = client()
        .post(&url)
        .bearer_auth(token_of(&sandbox))
        .header(CONTENT_TYPE, "application/json")
        .body(ACCOUNT)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_host_other_than_the_sandboxs_own_is_refused_even_with_the_token() {
    let sandbox = sandbox().await;
    let port = port_of(&sandbox);
    // What a page on a rebound DNS name, or a request through a proxy, would send.
    for host in [
        format!("evil.example:{port}"),
        format!("127.evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        "127.0.0.1".to_owned(),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
        String::new(),
    ] {
        let response = client()
            .post(admin_url(&sandbox, "accounts"))
            .header(HOST, &host)
            .bearer_auth(token_of(&sandbox))
            .header(CONTENT_TYPE, "application/json")
            .body(ACCOUNT)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "Host: {host}");
    }
    // The sandbox's own names are fine.
    for host in [format!("127.0.0.1:{port}"), format!("localhost:{port}")] {
        let response = client()
            .get(admin_url(&sandbox, "seed"))
            .header(HOST, &host)
            .bearer_auth(token_of(&sandbox))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "Host: {host}");
        let seed: Value = response.json().await.unwrap();
        assert_eq!(seed["url"], sandbox.url());
    }
}

#[tokio::test]
async fn an_admin_body_that_is_not_json_is_refused() {
    let sandbox = sandbox().await;
    for (content_type, body) in [
        ("text/plain", ACCOUNT),
        (
            "application/x-www-form-urlencoded",
            "provider=twilio&numbers=2",
        ),
        ("multipart/form-data; boundary=x", ACCOUNT),
    ] {
        let response = client()
            .post(admin_url(&sandbox, "accounts"))
            .bearer_auth(token_of(&sandbox))
            .header(CONTENT_TYPE, content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type}"
        );
    }
    let response = client()
        .post(admin_url(&sandbox, "accounts"))
        .bearer_auth(token_of(&sandbox))
        .body(ACCOUNT)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "no type"
    );
    let response = client()
        .post(admin_url(&sandbox, "accounts"))
        .bearer_auth(token_of(&sandbox))
        .header(CONTENT_TYPE, "application/json; charset=utf-8")
        .body(ACCOUNT)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn one_call_creates_at_most_ten_thousand_numbers() {
    let sandbox = sandbox().await;
    for body in [
        json!({"provider": "twilio", "numbers": 10_001}),
        json!({"provider": "telnyx", "numbers": 1_000_000_000_u64}),
        json!({"provider": "twilio", "numbers": 1, "whatsapp_senders": 10_001}),
        json!({"provider": "twilio", "numbers": (0..10_001).map(|i| format!("+1415{i:07}")).collect::<Vec<_>>()}),
    ] {
        let (status, error) = admin_post(&sandbox, "accounts", &body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(
            error["error"].as_str().unwrap().contains("at most 10000"),
            "{error}"
        );
    }
    let (status, _) = admin_post(
        &sandbox,
        "accounts",
        &json!({"provider": "46elks", "numbers": 10_000}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn provider_routes_keep_the_providers_own_auth() {
    let sandbox = sandbox().await;
    let account = format!("{}.json", twilio_account_url(&sandbox));
    // The admin token opens no provider door.
    let response = client()
        .get(&account)
        .bearer_auth(token_of(&sandbox))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let (status, _) = twilio_get(&sandbox, &account).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn the_sandboxs_own_webhooks_reach_its_stand_in_inbound_service_without_the_token() {
    let sandbox = sandbox().await;
    let sink = admin_url(&sandbox, "sink/hotel/inbound");
    // Point the seeded number's SMS webhook at the sink, like the app's demo does.
    let seed = &sandbox.seed().twilio;
    let (_, numbers) = twilio_get(
        &sandbox,
        &format!("{}/IncomingPhoneNumbers.json", twilio_account_url(&sandbox)),
    )
    .await;
    let number = &numbers["incoming_phone_numbers"][0];
    let (status, _) = twilio_post(
        &sandbox,
        &format!(
            "{}/IncomingPhoneNumbers/{}.json",
            twilio_account_url(&sandbox),
            number["sid"].as_str().unwrap()
        ),
        &[("SmsUrl", sink.as_str()), ("SmsMethod", "POST")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, delivered) = admin_post(
        &sandbox,
        "inbound",
        &json!({"to": number["phone_number"], "from": "+46701234567", "body": "Hi"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{delivered}");
    assert_eq!(delivered["status"], 200, "{delivered}");
    assert!(
        delivered["body"].as_str().unwrap().contains("<Response>"),
        "{delivered}"
    );
    assert!(!seed.auth_token.is_empty());
    // Anyone on this machine may post to the sink; it answers the same empty TwiML and keeps
    // nothing. A foreign Host is refused there too.
    let response = client()
        .post(&sink)
        .form(&[("Body", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let response = client()
        .post(&sink)
        .header(HOST, format!("evil.example:{}", port_of(&sandbox)))
        .form(&[("Body", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}
