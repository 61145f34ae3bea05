//! The admin API: accounts, faults, latency, concurrency limit, request log, inbound, reset.
// Helpers outside #[test] functions panic on purpose too: a panic is how a test reports.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use switchboard_sandbox::SandboxConfig;
use switchboard_sandbox::signature::twilio_signature;

fn numbers_url(sandbox: &switchboard_sandbox::RunningSandbox) -> String {
    format!("{}/IncomingPhoneNumbers.json", twilio_account_url(sandbox))
}

#[tokio::test]
async fn start_line_has_the_contract_shape() {
    let sandbox = sandbox().await;
    let line: Value = serde_json::from_str(&sandbox.start_line()).unwrap();
    assert_eq!(line["url"], sandbox.url());
    assert_eq!(line["admin_token"], sandbox.admin_token());
    for (provider, keys) in [
        ("twilio", &["account_sid", "auth_token"][..]),
        ("telnyx", &["api_key"][..]),
        ("46elks", &["username", "password"][..]),
    ] {
        for key in keys {
            assert!(line[provider][key].is_string(), "{provider}.{key}");
        }
    }
    assert!(!sandbox.start_line().contains('\n'));
}

#[tokio::test]
async fn seeded_config_is_deterministic() {
    let config = SandboxConfig {
        seed: Some(42),
        ..SandboxConfig::default()
    };
    let a = sandbox_with(config.clone()).await;
    let b = sandbox_with(config).await;
    assert_eq!(a.seed().twilio, b.seed().twilio);
    assert_eq!(a.seed().telnyx, b.seed().telnyx);
    assert_eq!(a.seed().elks, b.seed().elks);
}

#[tokio::test]
async fn fault_status_429_with_rate_one_and_retry_after() {
    let sandbox = sandbox().await;
    let (status, _) = admin_post(
        &sandbox,
        "faults",
        &json!({"method": "GET", "path": "*IncomingPhoneNumbers*", "status": 429, "rate": 1.0}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let seed = sandbox.seed().twilio.clone();
    let response = client()
        .get(numbers_url(&sandbox))
        .basic_auth(&seed.account_sid, Some(&seed.auth_token))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.headers()["retry-after"], "1");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], 20429);
    // Other paths are unaffected.
    let (status, _) = twilio_get(&sandbox, &format!("{}.json", twilio_account_url(&sandbox))).await;
    assert_eq!(status, StatusCode::OK);
    let response = client()
        .delete(sandbox.admin_url("faults"))
        .bearer_auth(sandbox.admin_token())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let (status, _) = twilio_get(&sandbox, &numbers_url(&sandbox)).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn fault_count_500_then_503_in_provider_shapes() {
    let sandbox = sandbox().await;
    admin_post(
        &sandbox,
        "faults",
        &json!({"path": "/twilio/*", "status": 500, "count": 2}),
    )
    .await;
    for _ in 0..2 {
        let (status, body) = twilio_get(&sandbox, &numbers_url(&sandbox)).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(body["code"], 20500);
    }
    let (status, _) = twilio_get(&sandbox, &numbers_url(&sandbox)).await;
    assert_eq!(status, StatusCode::OK);

    admin_post(
        &sandbox,
        "faults",
        &json!({"path": "/telnyx/*", "status": 503}),
    )
    .await;
    let response = client()
        .get(format!("{}/telnyx/v2/balance", sandbox.url()))
        .bearer_auth(&sandbox.seed().telnyx.api_key)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = response.json().await.unwrap();
    assert!(body["errors"][0]["code"].is_string());

    let (status, error) = admin_post(
        &sandbox,
        "faults",
        &json!({"path": "*", "status": 500, "kind": "reset"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error["error"].is_string());
}

#[tokio::test]
async fn fault_timeout_holds_the_connection() {
    let sandbox = sandbox().await;
    admin_post(
        &sandbox,
        "faults",
        &json!({"path": "*Accounts*", "kind": "timeout", "count": 1}),
    )
    .await;
    let seed = sandbox.seed().twilio.clone();
    let started = Instant::now();
    let result = client()
        .get(format!("{}.json", twilio_account_url(&sandbox)))
        .basic_auth(&seed.account_sid, Some(&seed.auth_token))
        .timeout(Duration::from_millis(300))
        .send()
        .await;
    let error = result.expect_err("the client times out");
    assert!(error.is_timeout(), "{error}");
    assert!(started.elapsed() >= Duration::from_millis(300));
}

/// A send that times out did reach the provider: the message exists, only its answer was lost
/// (what a client must reconcile instead of sending again).
#[tokio::test]
async fn fault_timeout_on_a_send_processes_it_and_loses_the_answer() {
    let sandbox = sandbox().await;
    admin_post(
        &sandbox,
        "faults",
        &json!({"method": "POST", "path": "*Messages.json", "kind": "timeout", "count": 1}),
    )
    .await;
    let seed = sandbox.seed().twilio.clone();
    let messages_url = format!("{}/Messages.json", twilio_account_url(&sandbox));
    let result = client()
        .post(&messages_url)
        .basic_auth(&seed.account_sid, Some(&seed.auth_token))
        .form(&[
            ("To", "+46701234567"),
            ("From", "+14155550101"),
            ("Body", "held answer"),
        ])
        .timeout(Duration::from_millis(300))
        .send()
        .await;
    assert!(result.expect_err("the client times out").is_timeout());
    let (status, list) = twilio_get(&sandbox, &messages_url).await;
    assert_eq!(status, StatusCode::OK);
    let bodies: Vec<&str> = list["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["body"].as_str())
        .collect();
    assert_eq!(bodies, vec!["held answer"], "exactly one message was made");
}

#[tokio::test]
async fn fault_reset_drops_the_connection_without_a_response() {
    let sandbox = sandbox().await;
    admin_post(
        &sandbox,
        "faults",
        &json!({"method": "POST", "path": "*Messages.json", "kind": "reset"}),
    )
    .await;
    let seed = sandbox.seed().twilio.clone();
    let result = client()
        .post(format!("{}/Messages.json", twilio_account_url(&sandbox)))
        .basic_auth(&seed.account_sid, Some(&seed.auth_token))
        .form(&[
            ("To", "+46701234567"),
            ("From", "+14155550101"),
            ("Body", "x"),
        ])
        .send()
        .await;
    let error = result.expect_err("no response");
    assert!(!error.is_timeout(), "{error}");
    assert!(error.is_request() || error.is_connect() || error.status().is_none());
    // The sandbox keeps serving.
    let (status, _) = twilio_get(&sandbox, &numbers_url(&sandbox)).await;
    assert_eq!(status, StatusCode::OK);
    let (_, requests) = get_json(&sandbox, "requests").await;
    let reset = requests
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["fault"] == "reset")
        .unwrap();
    assert!(reset["status"].is_null());
}

#[tokio::test]
async fn fault_malformed_returns_truncated_json() {
    let sandbox = sandbox().await;
    admin_post(
        &sandbox,
        "faults",
        &json!({"path": "*IncomingPhoneNumbers.json", "kind": "malformed"}),
    )
    .await;
    let seed = sandbox.seed().twilio.clone();
    let response = client()
        .get(numbers_url(&sandbox))
        .basic_auth(&seed.account_sid, Some(&seed.auth_token))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    assert!(text.starts_with('{'));
    assert!(serde_json::from_str::<Value>(&text).is_err());
}

#[tokio::test]
async fn latency_delays_answers() {
    let sandbox = sandbox().await;
    let (status, _) = admin_post(&sandbox, "latency", &json!({"ms": 250})).await;
    assert_eq!(status, StatusCode::OK);
    let started = Instant::now();
    let (status, _) = twilio_get(&sandbox, &numbers_url(&sandbox)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(250));
    admin_post(&sandbox, "latency", &json!({"ms": 0})).await;
    let started = Instant::now();
    twilio_get(&sandbox, &numbers_url(&sandbox)).await;
    assert!(started.elapsed() < Duration::from_millis(250));

    let configured = sandbox_with(SandboxConfig {
        latency_ms: 200,
        ..SandboxConfig::default()
    })
    .await;
    let started = Instant::now();
    twilio_get(&configured, &numbers_url(&configured)).await;
    assert!(started.elapsed() >= Duration::from_millis(200));
}

#[tokio::test]
async fn concurrency_limit_answers_429_20429() {
    let sandbox = sandbox_with(SandboxConfig {
        latency_ms: 400,
        concurrency_limit: Some(2),
        ..SandboxConfig::default()
    })
    .await;
    let url = numbers_url(&sandbox);
    let seed = sandbox.seed().twilio.clone();
    let requests = (0..6).map(|_| {
        client()
            .get(&url)
            .basic_auth(&seed.account_sid, Some(&seed.auth_token))
            .send()
    });
    let responses = futures_join_all(requests).await;
    let mut ok = 0;
    let mut limited = 0;
    for response in responses {
        let response = response.unwrap();
        match response.status() {
            StatusCode::OK => ok += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                // Twilio documents no Retry-After for 20429 (see `too_many_in_flight`).
                assert!(!response.headers().contains_key("retry-after"));
                let body: Value = response.json().await.unwrap();
                assert_eq!(body["code"], 20429);
                limited += 1;
            }
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(ok, 2);
    assert_eq!(limited, 4);
}

#[tokio::test]
async fn a_concurrency_limit_sends_retry_after_only_when_asked() {
    let sandbox = sandbox_with(SandboxConfig {
        latency_ms: 400,
        ..SandboxConfig::default()
    })
    .await;
    let response = client()
        .post(sandbox.admin_url("concurrency"))
        .bearer_auth(sandbox.admin_token())
        .json(&json!({"limit": 1, "retry_after": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let url = numbers_url(&sandbox);
    let seed = sandbox.seed().twilio.clone();
    let requests = (0..3).map(|_| {
        client()
            .get(&url)
            .basic_auth(&seed.account_sid, Some(&seed.auth_token))
            .send()
    });
    let mut retry_after = Vec::new();
    for response in futures_join_all(requests).await {
        let response = response.unwrap();
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            retry_after.push(
                response.headers()["retry-after"]
                    .to_str()
                    .unwrap()
                    .to_owned(),
            );
        }
    }
    assert_eq!(retry_after, ["2", "2"]);
}

/// Runs futures concurrently (each on its own task) and collects their outputs in order.
async fn futures_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut outputs = Vec::new();
    for handle in handles {
        outputs.push(handle.await.unwrap());
    }
    outputs
}

async fn get_json(
    sandbox: &switchboard_sandbox::RunningSandbox,
    path: &str,
) -> (StatusCode, Value) {
    let response = client()
        .get(sandbox.admin_url(path))
        .bearer_auth(sandbox.admin_token())
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn accounts_with_many_numbers_are_quick() {
    let sandbox = sandbox().await;
    let started = Instant::now();
    let (status, created) = admin_post(
        &sandbox,
        "accounts",
        &json!({"provider": "twilio", "numbers": 10000, "whatsapp_senders": 3}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(created["url"], sandbox.url());
    let sid = created["twilio"]["account_sid"].as_str().unwrap();
    let token = created["twilio"]["auth_token"].as_str().unwrap();
    let page: Value = client()
        .get(format!(
            "{}/twilio/2010-04-01/Accounts/{sid}/IncomingPhoneNumbers.json?PageSize=1000&Page=9",
            sandbox.url()
        ))
        .basic_auth(sid, Some(token))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        page["incoming_phone_numbers"].as_array().unwrap().len(),
        1000
    );
    assert!(page["next_page_uri"].is_null());
    // The answer names the numbers made, in order (a connector on the account needs a From).
    let made = created["numbers"].as_array().unwrap();
    assert_eq!(made.len(), 10000);
    assert_eq!(
        made[9999],
        page["incoming_phone_numbers"][999]["phone_number"]
    );
    let senders: Value = client()
        .get(format!(
            "{}/twilio/v2/Channels/Senders?Channel=whatsapp",
            sandbox.url()
        ))
        .basic_auth(sid, Some(token))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(senders["senders"].as_array().unwrap().len(), 3);

    for (provider, key) in [("telnyx", "api_key"), ("46elks", "username")] {
        let (status, created) = admin_post(
            &sandbox,
            "accounts",
            &json!({"provider": provider, "numbers": 1000}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
        assert!(created[provider][key].is_string());
        assert!(created.get("twilio").is_none());
    }
    let (_, telnyx) = admin_post(
        &sandbox,
        "accounts",
        &json!({"provider": "telnyx", "numbers": ["+13125559876"]}),
    )
    .await;
    let listed: Value = client()
        .get(format!("{}/telnyx/v2/phone_numbers", sandbox.url()))
        .bearer_auth(telnyx["telnyx"]["api_key"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["data"][0]["phone_number"], "+13125559876");
    assert_eq!(telnyx["numbers"], json!(["+13125559876"]));

    let (status, _) = admin_post(
        &sandbox,
        "accounts",
        &json!({"provider": "twilio", "numbers": ["+13125559876"]}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = admin_post(&sandbox, "accounts", &json!({"provider": "sinch"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn reset_restores_the_seed() {
    let sandbox = sandbox().await;
    let base = twilio_account_url(&sandbox);
    let (_, list) = twilio_get(&sandbox, &numbers_url(&sandbox)).await;
    let sid = list["incoming_phone_numbers"][0]["sid"]
        .as_str()
        .unwrap()
        .to_string();
    let number_url = format!("{base}/IncomingPhoneNumbers/{sid}.json");
    twilio_post(
        &sandbox,
        &number_url,
        &[("SmsUrl", "https://hooks.example.com/x")],
    )
    .await;
    admin_post(
        &sandbox,
        "faults",
        &json!({"path": "/telnyx/*", "status": 500}),
    )
    .await;
    admin_post(&sandbox, "latency", &json!({"ms": 50})).await;
    let (_, created) = admin_post(&sandbox, "accounts", &json!({"provider": "46elks"})).await;

    let (status, seed) = admin_post(&sandbox, "reset", &json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        seed["twilio"]["account_sid"],
        sandbox.seed().twilio.account_sid.as_str()
    );
    let (status, fetched) = twilio_get(&sandbox, &number_url).await;
    assert_eq!(status, StatusCode::OK, "same SIDs after reset");
    assert!(fetched["sms_url"].is_null());
    let response = client()
        .get(format!("{}/telnyx/v2/balance", sandbox.url()))
        .bearer_auth(&sandbox.seed().telnyx.api_key)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "faults cleared");
    let response = client()
        .get(format!("{}/46elks/a1/me", sandbox.url()))
        .basic_auth(
            created["46elks"]["username"].as_str().unwrap(),
            created["46elks"]["password"].as_str(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::UNAUTHORIZED,
        "created accounts are gone"
    );
    let (_, requests) = get_json(&sandbox, "requests").await;
    // Only the three reads made after the reset are left in the log.
    assert_eq!(requests.as_array().unwrap().len(), 3);
    assert!(
        requests
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["method"] == "GET")
    );
}

#[tokio::test]
async fn request_log_records_everything_but_authorization() {
    let sandbox = sandbox().await;
    twilio_post(
        &sandbox,
        &format!("{}/Messages.json", twilio_account_url(&sandbox)),
        &[
            ("To", "+46701234567"),
            ("From", "+14155550101"),
            ("Body", "logged"),
        ],
    )
    .await;
    twilio_get(&sandbox, &format!("{}?PageSize=2", numbers_url(&sandbox))).await;
    let (status, requests) = get_json(&sandbox, "requests").await;
    assert_eq!(status, StatusCode::OK);
    let requests = requests.as_array().unwrap();
    assert_eq!(requests.len(), 2);
    let post = &requests[0];
    assert_eq!(post["method"], "POST");
    assert!(post["path"].as_str().unwrap().ends_with("/Messages.json"));
    assert!(post["body"].as_str().unwrap().contains("Body=logged"));
    assert_eq!(post["status"], 201);
    assert_eq!(post["provider"], "twilio");
    assert!(post["headers"]["content-type"].is_string());
    assert_eq!(requests[1]["query"], "PageSize=2");
    let text = serde_json::to_string(&requests).unwrap();
    assert!(!text.to_lowercase().contains("authorization"));
    assert!(!text.contains(&sandbox.seed().twilio.auth_token));
}

#[tokio::test]
async fn inbound_to_a_twilio_number_posts_a_signed_webhook() {
    let sandbox = sandbox().await;
    let mut receiver = Receiver::start("<Response/>").await;
    let (_, list) = twilio_get(&sandbox, &numbers_url(&sandbox)).await;
    let number = &list["incoming_phone_numbers"][0];
    let number_url = format!(
        "{}/IncomingPhoneNumbers/{}.json",
        twilio_account_url(&sandbox),
        number["sid"].as_str().unwrap()
    );

    let (status, error) = admin_post(
        &sandbox,
        "inbound",
        &json!({"to": "+14155550101", "from": "+46701234567", "body": "hi"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error["error"].as_str().unwrap().contains("sms_url"));

    let hook = format!("{}/twilio/inbound?token=abc", receiver.url);
    twilio_post(&sandbox, &number_url, &[("SmsUrl", &hook)]).await;
    let (status, result) = admin_post(
        &sandbox,
        "inbound",
        &json!({"to": "+14155550101", "from": "+46701234567", "body": "hello there"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{result}");
    assert_eq!(result["status"], 200);
    assert_eq!(result["body"], "<Response/>");
    assert_eq!(result["url"], hook.as_str());
    let received = receiver.next().await;
    let params = received.form();
    let signed_url = format!("{}{}", receiver.url, received.uri);
    assert_eq!(signed_url, hook);
    let expected = twilio_signature(&sandbox.seed().twilio.auth_token, &signed_url, &params);
    assert_eq!(received.header("x-twilio-signature").unwrap(), expected);
    assert_eq!(received.form_value("Body").unwrap(), "hello there");
    assert_eq!(received.form_value("From").unwrap(), "+46701234567");
    assert_eq!(received.form_value("To").unwrap(), "+14155550101");
    assert!(received.form_value("MessageSid").unwrap().starts_with("SM"));

    // The inbound message shows up in the account's messages.
    let (_, messages) = twilio_get(
        &sandbox,
        &format!("{}/Messages.json", twilio_account_url(&sandbox)),
    )
    .await;
    assert_eq!(messages["messages"][0]["direction"], "inbound");
    assert_eq!(messages["messages"][0]["status"], "received");
}

#[tokio::test]
async fn inbound_follows_messaging_service_and_whatsapp_sender_webhooks() {
    let sandbox = sandbox().await;
    let mut receiver = Receiver::start("").await;
    // +14155550105 is in the seeded service, which has no inbound URL: messages are dropped.
    let (status, error) = admin_post(
        &sandbox,
        "inbound",
        &json!({"to": "+14155550105", "from": "+46701234567", "body": "x"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        error["error"]
            .as_str()
            .unwrap()
            .contains("inbound_request_url")
    );
    let (_, services) =
        twilio_get(&sandbox, &format!("{}/twilio/v1/Services", sandbox.url())).await;
    let service_url = services["services"][0]["url"].as_str().unwrap().to_string();
    let service_hook = format!("{}/service", receiver.url);
    twilio_post(
        &sandbox,
        &service_url,
        &[("InboundRequestUrl", &service_hook)],
    )
    .await;
    let (status, _) = admin_post(
        &sandbox,
        "inbound",
        &json!({"to": "+14155550105", "from": "+46701234567", "body": "via service"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let received = receiver.next().await;
    assert_eq!(received.uri.path(), "/service");
    assert!(
        received
            .form_value("MessagingServiceSid")
            .unwrap()
            .starts_with("MG")
    );

    // WhatsApp: the sender's webhook.callback_url.
    let (_, senders) = twilio_get(
        &sandbox,
        &format!(
            "{}/twilio/v2/Channels/Senders?Channel=whatsapp",
            sandbox.url()
        ),
    )
    .await;
    let online = senders["senders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["status"] == "ONLINE")
        .unwrap();
    let wa_hook = format!("{}/wa", receiver.url);
    twilio_post_json(
        &sandbox,
        online["url"].as_str().unwrap(),
        &json!({"webhook": {"callback_url": wa_hook, "callback_method": "POST"}}),
    )
    .await;
    let (status, _) = admin_post(
        &sandbox,
        "inbound",
        &json!({"to": "whatsapp:+14155550101", "from": "+46701234567", "body": "wa"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let received = receiver.next().await;
    assert_eq!(received.uri.path(), "/wa");
    assert_eq!(
        received.form_value("From").unwrap(),
        "whatsapp:+46701234567"
    );
    let expected = twilio_signature(
        &sandbox.seed().twilio.auth_token,
        &format!("{}{}", receiver.url, received.uri),
        &received.form(),
    );
    assert_eq!(received.header("x-twilio-signature").unwrap(), expected);

    let (status, _) = admin_post(
        &sandbox,
        "inbound",
        &json!({"to": "+19990000000", "from": "+46701234567", "body": "x"}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn callback_failures_are_recorded_not_fatal() {
    let sandbox = sandbox().await;
    // Nothing listens on port 9 of loopback: the callback post fails.
    let (status, message) = twilio_post(
        &sandbox,
        &format!("{}/Messages.json", twilio_account_url(&sandbox)),
        &[
            ("To", "+46701234567"),
            ("From", "+14155550101"),
            ("Body", "x"),
            ("StatusCallback", "http://127.0.0.1:9/cb"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let message_url = format!(
        "{}/Messages/{}.json",
        twilio_account_url(&sandbox),
        message["sid"].as_str().unwrap()
    );
    eventually(|| async {
        let (_, fetched) = twilio_get(&sandbox, &message_url).await;
        (fetched["status"] == "delivered").then_some(())
    })
    .await;
    let (_, deliveries) = get_json(&sandbox, "deliveries").await;
    let first = &deliveries[0];
    assert_eq!(first["kind"], "status_callback");
    assert!(first["error"].is_string());
}
