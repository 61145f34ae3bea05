//! Twilio emulation: auth, accounts, numbers, pagination, messages, senders, services, content.
// Helpers outside #[test] functions panic on purpose too: a panic is how a test reports.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use switchboard_sandbox::signature::twilio_signature;

#[tokio::test]
async fn account_fetch_with_auth_token_and_api_key() {
    let sandbox = sandbox().await;
    let seed = sandbox.seed().twilio.clone();
    let url = format!("{}.json", twilio_account_url(&sandbox));
    let (status, account) = twilio_get(&sandbox, &url).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(account["sid"], seed.account_sid.as_str());
    assert_eq!(account["status"], "active");
    assert_eq!(account["type"], "Full");
    assert!(account["date_created"].as_str().unwrap().ends_with("+0000"));
    assert_eq!(
        account["uri"],
        format!("/2010-04-01/Accounts/{}.json", seed.account_sid)
    );

    let response = client()
        .get(&url)
        .basic_auth(&seed.api_key_sid, Some(&seed.api_key_secret))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn bad_credentials_get_20003() {
    let sandbox = sandbox().await;
    let seed = sandbox.seed().twilio.clone();
    let url = format!("{}.json", twilio_account_url(&sandbox));
    for (user, password) in [
        (seed.account_sid.as_str(), "wrong"),
        (
            "ACffffffffffffffffffffffffffffffff",
            seed.auth_token.as_str(),
        ),
        (seed.api_key_sid.as_str(), "wrong"),
    ] {
        let response = client()
            .get(&url)
            .basic_auth(user, Some(password))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let body: Value = response.json().await.unwrap();
        assert_eq!(
            body,
            json!({
                "code": 20003,
                "message": "Authenticate",
                "more_info": "https://www.twilio.com/docs/errors/20003",
                "status": 401
            })
        );
    }
    let response = client().get(&url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn unknown_resources_get_20404() {
    let sandbox = sandbox().await;
    let url = format!(
        "{}/IncomingPhoneNumbers/PN00000000000000000000000000000000.json",
        twilio_account_url(&sandbox)
    );
    let (status, body) = twilio_get(&sandbox, &url).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["code"], 20404);
    assert_eq!(body["status"], 404);
    let (status, body) = twilio_get(&sandbox, &format!("{}/twilio/nope", sandbox.url())).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["code"], 20404);
}

#[tokio::test]
async fn suspended_and_trial_accounts() {
    let sandbox = sandbox().await;
    let (status, created) = admin_post(
        &sandbox,
        "accounts",
        &json!({"provider": "twilio", "numbers": 2, "account_status": "suspended", "account_type": "Trial"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let sid = created["twilio"]["account_sid"].as_str().unwrap();
    let token = created["twilio"]["auth_token"].as_str().unwrap();
    let base = format!("{}/twilio/2010-04-01/Accounts/{sid}", sandbox.url());
    let account: Value = client()
        .get(format!("{base}.json"))
        .basic_auth(sid, Some(token))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(account["status"], "suspended");
    assert_eq!(account["type"], "Trial");
    let response = client()
        .get(format!("{base}/IncomingPhoneNumbers.json"))
        .basic_auth(sid, Some(token))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], 20003);

    // An active Trial account prefixes bodies the way Twilio does.
    let (_, trial) = admin_post(
        &sandbox,
        "accounts",
        &json!({"provider": "twilio", "numbers": ["+12025550123"], "account_type": "Trial"}),
    )
    .await;
    let sid = trial["twilio"]["account_sid"].as_str().unwrap();
    let token = trial["twilio"]["auth_token"].as_str().unwrap();
    let message: Value = client()
        .post(format!(
            "{}/twilio/2010-04-01/Accounts/{sid}/Messages.json",
            sandbox.url()
        ))
        .basic_auth(sid, Some(token))
        .form(&[
            ("To", "+46701234567"),
            ("From", "+12025550123"),
            ("Body", "hi"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(message["body"], "Sent from your Twilio trial account - hi");
}

#[tokio::test]
async fn incoming_numbers_paginate_with_relative_uris() {
    let sandbox = sandbox().await;
    let mut next = Some(format!(
        "/2010-04-01/Accounts/{}/IncomingPhoneNumbers.json?PageSize=2",
        sandbox.seed().twilio.account_sid
    ));
    let mut seen = Vec::new();
    let mut pages = 0;
    while let Some(uri) = next {
        assert!(uri.starts_with("/2010-04-01/"), "relative uri: {uri}");
        let (status, page) = twilio_get(&sandbox, &format!("{}/twilio{uri}", sandbox.url())).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(page["page"], pages);
        assert_eq!(page["page_size"], 2);
        for number in page["incoming_phone_numbers"].as_array().unwrap() {
            seen.push(number["phone_number"].as_str().unwrap().to_string());
            assert!(number["sid"].as_str().unwrap().starts_with("PN"));
            assert_eq!(number["capabilities"]["sms"], true);
        }
        next = page["next_page_uri"].as_str().map(str::to_string);
        pages += 1;
    }
    assert_eq!(pages, 3);
    assert_eq!(
        seen,
        [
            "+14155550101",
            "+14155550102",
            "+14155550103",
            "+14155550104",
            "+14155550105"
        ]
    );
}

#[tokio::test]
async fn number_webhook_update_reads_back() {
    let sandbox = sandbox().await;
    let base = twilio_account_url(&sandbox);
    let (_, list) = twilio_get(&sandbox, &format!("{base}/IncomingPhoneNumbers.json")).await;
    let sid = list["incoming_phone_numbers"][0]["sid"].as_str().unwrap();
    assert!(list["incoming_phone_numbers"][0]["sms_url"].is_null());
    // The seeded second number routes SMS to an application.
    assert!(
        list["incoming_phone_numbers"][1]["sms_application_sid"]
            .as_str()
            .unwrap()
            .starts_with("AP")
    );
    let url = format!("{base}/IncomingPhoneNumbers/{sid}.json");
    let (status, updated) = twilio_post(
        &sandbox,
        &url,
        &[
            ("SmsUrl", "https://hooks.example.com/sms"),
            ("SmsMethod", "POST"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(updated["sms_url"], "https://hooks.example.com/sms");
    let (_, fetched) = twilio_get(&sandbox, &url).await;
    assert_eq!(fetched["sms_url"], "https://hooks.example.com/sms");
    assert_eq!(fetched["sms_method"], "POST");

    let (status, error) = twilio_post(&sandbox, &url, &[("SmsUrl", "not a url")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error["code"], 21502);
    let (status, _) = twilio_post(&sandbox, &url, &[("SmsMethod", "PATCH")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

/// A list page writes each number as a fetch of it answers, and a number changed since the last
/// page (its webhook set) is listed as it now is, not as it was (each number's JSON is kept
/// between pages until it changes).
#[tokio::test]
async fn listed_numbers_are_what_a_fetch_answers_before_and_after_a_change() {
    let sandbox = sandbox().await;
    let base = twilio_account_url(&sandbox);
    let listed = || async {
        let (status, list) =
            twilio_get(&sandbox, &format!("{base}/IncomingPhoneNumbers.json")).await;
        assert_eq!(status, StatusCode::OK);
        list["incoming_phone_numbers"].as_array().unwrap().clone()
    };
    let same_as_fetched = |numbers: Vec<serde_json::Value>| async {
        for number in numbers {
            let sid = number["sid"].as_str().unwrap();
            let (_, fetched) =
                twilio_get(&sandbox, &format!("{base}/IncomingPhoneNumbers/{sid}.json")).await;
            assert_eq!(number, fetched, "{sid} listed as fetched");
        }
    };
    let before = listed().await;
    assert_eq!(before.len(), 5);
    same_as_fetched(before.clone()).await;
    assert_eq!(listed().await, before, "listed again unchanged");

    let sid = before[2]["sid"].as_str().unwrap();
    let (status, _) = twilio_post(
        &sandbox,
        &format!("{base}/IncomingPhoneNumbers/{sid}.json"),
        &[
            ("SmsUrl", "https://hooks.example.com/changed"),
            ("SmsMethod", "GET"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let after = listed().await;
    assert_eq!(after[2]["sms_url"], "https://hooks.example.com/changed");
    assert_eq!(after[2]["sms_method"], "GET");
    assert_eq!(
        (&after[..2], &after[3..]),
        (&before[..2], &before[3..]),
        "the others as they were"
    );
    same_as_fetched(after).await;
}

#[tokio::test]
async fn magic_numbers_and_validation_errors() {
    let sandbox = sandbox().await;
    let url = format!("{}/Messages.json", twilio_account_url(&sandbox));
    let cases: &[(&[(&str, &str)], u64)] = &[
        (
            &[
                ("To", "+15005550001"),
                ("From", "+15005550006"),
                ("Body", "x"),
            ],
            21211,
        ),
        (
            &[
                ("To", "+15005550002"),
                ("From", "+15005550006"),
                ("Body", "x"),
            ],
            21612,
        ),
        (
            &[
                ("To", "+15005550003"),
                ("From", "+15005550006"),
                ("Body", "x"),
            ],
            21408,
        ),
        (
            &[
                ("To", "+15005550004"),
                ("From", "+15005550006"),
                ("Body", "x"),
            ],
            21610,
        ),
        (
            &[
                ("To", "+15005550009"),
                ("From", "+15005550006"),
                ("Body", "x"),
            ],
            21614,
        ),
        (
            &[
                ("To", "+14155551234"),
                ("From", "+15005550001"),
                ("Body", "x"),
            ],
            21212,
        ),
        (
            &[
                ("To", "+14155551234"),
                ("From", "+15005550007"),
                ("Body", "x"),
            ],
            21606,
        ),
        (
            &[
                ("To", "+14155551234"),
                ("From", "+15005550008"),
                ("Body", "x"),
            ],
            21611,
        ),
        (&[("From", "+15005550006"), ("Body", "x")], 21604),
        (&[("To", "+14155551234"), ("From", "+15005550006")], 21602),
        (
            &[
                ("To", "+14155551234"),
                ("From", "+19995550000"),
                ("Body", "x"),
            ],
            21606,
        ),
        (&[("To", "+14155551234"), ("Body", "x")], 21603),
        (
            &[
                ("To", "whatsapp:+14155551234"),
                ("From", "whatsapp:+19995550000"),
                ("Body", "x"),
            ],
            63007,
        ),
        (
            &[
                ("To", "whatsapp:+14155551234"),
                ("From", "+14155550101"),
                ("Body", "x"),
            ],
            21910,
        ),
    ];
    for (form, code) in cases {
        let (status, body) = twilio_post(&sandbox, &url, form).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{form:?}");
        assert_eq!(body["code"], *code, "{form:?}: {body}");
        assert_eq!(body["status"], 400);
        assert_eq!(
            body["more_info"],
            format!("https://www.twilio.com/docs/errors/{code}")
        );
    }
    let (status, message) = twilio_post(
        &sandbox,
        &url,
        &[
            ("To", "+14155551234"),
            ("From", "+15005550006"),
            ("Body", "ok"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(message["status"], "queued");
}

#[tokio::test]
async fn message_lifecycle_posts_signed_status_callbacks() {
    let sandbox = sandbox().await;
    let mut receiver = Receiver::start("").await;
    let callback = format!("{}/status?x=1", receiver.url);
    let url = format!("{}/Messages.json", twilio_account_url(&sandbox));
    let (status, message) = twilio_post(
        &sandbox,
        &url,
        &[
            ("To", "+46701234567"),
            ("From", "+14155550101"),
            ("Body", "Hello"),
            ("MediaUrl", "https://example.com/a.png"),
            ("MediaUrl", "https://example.com/b.png"),
            ("StatusCallback", &callback),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(message["status"], "queued");
    assert_eq!(message["num_media"], "2");
    assert_eq!(message["direction"], "outbound-api");
    let sid = message["sid"].as_str().unwrap().to_string();
    assert!(
        message["uri"]
            .as_str()
            .unwrap()
            .ends_with(&format!("{sid}.json"))
    );

    let token = sandbox.seed().twilio.auth_token.clone();
    let mut statuses = Vec::new();
    for _ in 0..2 {
        let callback_request = receiver.next().await;
        assert_eq!(callback_request.method, "POST");
        let signed_url = format!("{}{}", receiver.url, callback_request.uri);
        assert_eq!(signed_url, callback);
        let params = callback_request.form();
        let expected = twilio_signature(&token, &signed_url, &params);
        assert_eq!(
            callback_request.header("x-twilio-signature").as_deref(),
            Some(expected.as_str())
        );
        assert_eq!(
            callback_request.form_value("MessageSid").as_deref(),
            Some(sid.as_str())
        );
        statuses.push(callback_request.form_value("MessageStatus").unwrap());
    }
    assert_eq!(statuses, ["sent", "delivered"]);
    let (_, fetched) = twilio_get(
        &sandbox,
        &format!("{}/Messages/{sid}.json", twilio_account_url(&sandbox)),
    )
    .await;
    assert_eq!(fetched["status"], "delivered");
    assert!(fetched["date_sent"].is_string());
    assert!(fetched["price"].is_string());
}

#[tokio::test]
async fn undelivered_and_failed_outcomes() {
    let sandbox = sandbox().await;
    let url = format!("{}/Messages.json", twilio_account_url(&sandbox));
    for (to, final_status, code) in [
        ("+46700000666", "undelivered", 30003),
        ("+46700000999", "failed", 30008),
    ] {
        let (_, message) = twilio_post(
            &sandbox,
            &url,
            &[("To", to), ("From", "+14155550101"), ("Body", "x")],
        )
        .await;
        let message_url = format!(
            "{}/Messages/{}.json",
            twilio_account_url(&sandbox),
            message["sid"].as_str().unwrap()
        );
        let fetched = eventually(|| async {
            let (_, fetched) = twilio_get(&sandbox, &message_url).await;
            (fetched["status"] == final_status).then_some(fetched)
        })
        .await;
        assert_eq!(fetched["error_code"], code);
    }
}

#[tokio::test]
async fn whatsapp_template_send_via_online_sender() {
    let sandbox = sandbox().await;
    let (_, contents) = twilio_get(
        &sandbox,
        &format!("{}/twilio/v1/ContentAndApprovals", sandbox.url()),
    )
    .await;
    let template = contents["contents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["approval_requests"]["status"] == "approved")
        .unwrap();
    let sid = template["sid"].as_str().unwrap();
    assert!(sid.starts_with("HX"));
    let (status, message) = twilio_post(
        &sandbox,
        &format!("{}/Messages.json", twilio_account_url(&sandbox)),
        &[
            ("To", "whatsapp:+46701234567"),
            ("From", "whatsapp:+14155550101"),
            ("ContentSid", sid),
            ("ContentVariables", r##"{"1":"Alice","2":"#42"}"##),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{message}");
    assert_eq!(message["body"], "Hi Alice, your order #42 has shipped.");
    assert_eq!(message["from"], "whatsapp:+14155550101");
}

#[tokio::test]
async fn messages_list_paginates_newest_first() {
    let sandbox = sandbox().await;
    let url = format!("{}/Messages.json", twilio_account_url(&sandbox));
    for body in ["one", "two", "three"] {
        twilio_post(
            &sandbox,
            &url,
            &[
                ("To", "+46701234567"),
                ("From", "+14155550101"),
                ("Body", body),
            ],
        )
        .await;
    }
    let (_, page) = twilio_get(&sandbox, &format!("{url}?PageSize=2")).await;
    assert_eq!(page["messages"][0]["body"], "three");
    let next = page["next_page_uri"].as_str().unwrap();
    let (_, page) = twilio_get(&sandbox, &format!("{}/twilio{next}", sandbox.url())).await;
    assert_eq!(page["messages"].as_array().unwrap().len(), 1);
    assert_eq!(page["messages"][0]["body"], "one");
    assert!(page["next_page_uri"].is_null());
}

#[tokio::test]
async fn senders_cover_every_status_and_paginate_with_absolute_urls() {
    let sandbox = sandbox().await;
    let mut next = Some(format!(
        "{}/twilio/v2/Channels/Senders?Channel=whatsapp&PageSize=4",
        sandbox.url()
    ));
    let mut statuses = Vec::new();
    let mut pages = 0;
    while let Some(url) = next {
        assert!(
            url.starts_with(sandbox.url()),
            "absolute URL to the sandbox: {url}"
        );
        let (status, page) = twilio_get(&sandbox, &url).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(page["meta"]["key"], "senders");
        for sender in page["senders"].as_array().unwrap() {
            statuses.push(sender["status"].as_str().unwrap().to_string());
            assert!(sender["sid"].as_str().unwrap().starts_with("XE"));
            assert!(sender["url"].as_str().unwrap().starts_with(sandbox.url()));
            if sender["status"] == "OFFLINE" {
                assert_eq!(sender["offline_reasons"][0]["code"], "63101");
            }
            if sender["status"] == "ONLINE" {
                assert_eq!(sender["properties"]["quality_rating"], "HIGH");
                assert_eq!(
                    sender["properties"]["messaging_limit"],
                    "10K Customers/24hr"
                );
            }
        }
        next = page["meta"]["next_page_url"].as_str().map(str::to_string);
        pages += 1;
    }
    assert_eq!(pages, 3);
    for expected in [
        "CREATING",
        "ONLINE",
        "OFFLINE",
        "PENDING_VERIFICATION",
        "VERIFYING",
        "ONLINE:UPDATING",
        "TWILIO_REVIEW",
        "DRAFT",
        "STUBBED",
    ] {
        assert!(statuses.iter().any(|s| s == expected), "{expected} missing");
    }
    let (status, error) = twilio_get(
        &sandbox,
        &format!("{}/twilio/v2/Channels/Senders", sandbox.url()),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error["code"].is_number());
}

#[tokio::test]
async fn sender_partial_update_changes_only_the_webhook() {
    let sandbox = sandbox().await;
    let (_, page) = twilio_get(
        &sandbox,
        &format!(
            "{}/twilio/v2/Channels/Senders?Channel=whatsapp",
            sandbox.url()
        ),
    )
    .await;
    let before = page["senders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["status"] == "ONLINE")
        .unwrap()
        .clone();
    let url = before["url"].as_str().unwrap().to_string();
    let (status, after) = twilio_post_json(
        &sandbox,
        &url,
        &json!({"webhook": {"callback_url": "https://hooks.example.com/wa", "callback_method": "POST"}}),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(
        after["webhook"]["callback_url"],
        "https://hooks.example.com/wa"
    );
    assert_eq!(after["webhook"]["callback_method"], "POST");
    for key in [
        "sid",
        "status",
        "sender_id",
        "configuration",
        "profile",
        "properties",
    ] {
        assert_eq!(after[key], before[key], "{key} changed");
    }
    for key in ["fallback_url", "status_callback_url"] {
        assert_eq!(after["webhook"][key], before["webhook"][key]);
    }
    let (_, fetched) = twilio_get(&sandbox, &url).await;
    assert_eq!(
        fetched["webhook"]["callback_url"],
        "https://hooks.example.com/wa"
    );

    let (status, error) =
        twilio_post_json(&sandbox, &url, &json!({"webhook": {"callback_uri": "x"}})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error["code"], 63100);
    let (status, error) = twilio_post_json(&sandbox, &url, &json!({"colour": "red"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error["code"], 63100);
}

#[tokio::test]
async fn sender_create_comes_online_and_delete() {
    let sandbox = sandbox().await;
    let base = format!("{}/twilio/v2/Channels/Senders", sandbox.url());
    let (status, error) =
        twilio_post_json(&sandbox, &base, &json!({"sender_id": "+14155550102"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error["code"], 63100);
    // One of the account's own numbers: Twilio receives the code, no verification step.
    let (status, created) = twilio_post_json(
        &sandbox,
        &base,
        &json!({"sender_id": "whatsapp:+14155550102", "profile": {"name": "New Shop"}}),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(created["status"], "CREATING");
    let url = created["url"].as_str().unwrap().to_string();
    eventually(|| async {
        let (_, sender) = twilio_get(&sandbox, &url).await;
        (sender["status"] == "ONLINE").then_some(())
    })
    .await;
    let seed = sandbox.seed().twilio.clone();
    let response = client()
        .delete(&url)
        .basic_auth(&seed.account_sid, Some(&seed.auth_token))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let (status, _) = twilio_get(&sandbox, &url).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn messaging_services_and_their_numbers() {
    let sandbox = sandbox().await;
    let (_, list) = twilio_get(&sandbox, &format!("{}/twilio/v1/Services", sandbox.url())).await;
    assert_eq!(list["meta"]["key"], "services");
    let service = &list["services"][0];
    assert!(service["sid"].as_str().unwrap().starts_with("MG"));
    assert_eq!(service["use_inbound_webhook_on_number"], false);
    assert!(service["inbound_request_url"].is_null());
    let url = service["url"].as_str().unwrap().to_string();
    let (status, updated) = twilio_post(
        &sandbox,
        &url,
        &[
            ("InboundRequestUrl", "https://hooks.example.com/mg"),
            ("UseInboundWebhookOnNumber", "true"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        updated["inbound_request_url"],
        "https://hooks.example.com/mg"
    );
    assert_eq!(updated["use_inbound_webhook_on_number"], true);
    assert!(updated["date_updated"].as_str().unwrap().ends_with('Z'));
    let (_, numbers) = twilio_get(&sandbox, &format!("{url}/PhoneNumbers")).await;
    assert_eq!(numbers["meta"]["key"], "phone_numbers");
    assert_eq!(numbers["phone_numbers"][0]["phone_number"], "+14155550105");

    let (status, created) = twilio_post(
        &sandbox,
        &format!("{}/twilio/v1/Services", sandbox.url()),
        &[("FriendlyName", "Second")],
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(created["friendly_name"], "Second");
}

#[tokio::test]
async fn content_lists() {
    let sandbox = sandbox().await;
    let (status, content) = twilio_get(
        &sandbox,
        &format!("{}/twilio/v1/Content?PageSize=2", sandbox.url()),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content["meta"]["key"], "contents");
    assert_eq!(content["contents"].as_array().unwrap().len(), 2);
    assert!(
        content["meta"]["next_page_url"]
            .as_str()
            .unwrap()
            .starts_with(sandbox.url())
    );
    assert!(content["contents"][0]["links"]["approval_fetch"].is_string());
    let (_, approvals) = twilio_get(
        &sandbox,
        &format!("{}/twilio/v1/ContentAndApprovals", sandbox.url()),
    )
    .await;
    let statuses: Vec<&str> = approvals["contents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["approval_requests"]["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.iter().filter(|s| **s == "approved").count(), 3);
    assert!(statuses.contains(&"rejected"));
}
