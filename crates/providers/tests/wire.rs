//! What goes on the wire: paths under a prefixed base, auth, encodings, bodies and pagination.
// Helpers outside #[test] functions may unwrap too: a failure there is a test failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::*;
use switchboard_providers::elks::OutgoingSms;
use switchboard_providers::telnyx::{self, ProfileWebhookUpdate};
use switchboard_providers::twilio::{
    MessageChannel, MessageContent, MessageFrom, OutgoingMessage, SenderWebhookInput,
    SenderWebhookMethod, SmsWebhook, SmsWebhookMethod, TwilioClient, TwilioCredentials,
    TwilioEndpoints,
};
use switchboard_providers::{ProviderClient, Secret};
use wiremock::matchers::{
    basic_auth, bearer_token, body_json, body_string, header, method, path, query_param,
    query_param_is_missing,
};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SENDER: &str = "XEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const NUMBER: &str = "PNaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

fn number_json(sid: &str, phone: &str) -> serde_json::Value {
    serde_json::json!({"sid": sid, "phone_number": phone, "sms_url": "", "sms_application_sid": "",
                       "capabilities": {"sms": true, "mms": false, "voice": true, "fax": false}})
}

#[tokio::test]
async fn incoming_numbers_follow_relative_next_page_under_the_prefix() {
    let server = MockServer::start().await;
    let list = account_path("/IncomingPhoneNumbers.json");
    Mock::given(method("GET"))
        .and(path(list.clone()))
        .and(query_param("PageSize", "1000"))
        .and(query_param_is_missing("Page"))
        .and(basic_auth(ACCOUNT_SID, AUTH_TOKEN))
        .and(header("user-agent", "switchboard/9.9.9-test"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "incoming_phone_numbers": [number_json("PN01", "+15550000001")],
            "next_page_uri": format!("/2010-04-01/Accounts/{ACCOUNT_SID}/IncomingPhoneNumbers.json?PageSize=1000&Page=1&PageToken=PT1"),
            "page": 0, "page_size": 1000
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(list))
        .and(query_param("Page", "1"))
        .and(query_param("PageToken", "PT1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "incoming_phone_numbers": [number_json("PN02", "+15550000002")],
            "next_page_uri": null, "page": 1, "page_size": 1000
        })))
        .expect(1)
        .mount(&server)
        .await;

    let numbers = twilio(&server).list_incoming_phone_numbers().await.unwrap();
    let phones: Vec<_> = numbers
        .iter()
        .map(|n| n.phone_number.as_deref().unwrap())
        .collect();
    assert_eq!(phones, ["+15550000001", "+15550000002"]);
    assert!(
        numbers
            .iter()
            .all(|n| n.sms_url.is_none() && n.sms_capable())
    );
}

/// Pages are handed over in the list's order, each as soon as it is decoded, even when a later
/// (smaller) page is decoded before an earlier (larger) one; a page that cannot be read fails
/// the list after the pages before it.
#[tokio::test]
async fn pages_are_handed_over_in_order_and_a_bad_page_fails_the_list() {
    let server = MockServer::start().await;
    let list = account_path("/IncomingPhoneNumbers.json");
    let next = |page: u32| {
        format!(
            "/2010-04-01/Accounts/{ACCOUNT_SID}/IncomingPhoneNumbers.json?PageSize=1000&Page={page}&PageToken=PT{page}"
        )
    };
    let big: Vec<_> = (0..2000)
        .map(|i| number_json(&format!("PN{i:032}"), &format!("+1555{i:07}")))
        .collect();
    let pages = [
        (
            None,
            serde_json::json!({"incoming_phone_numbers": big, "next_page_uri": next(1)}),
        ),
        (
            Some("PT1"),
            serde_json::json!({"incoming_phone_numbers": [number_json("PNb", "+15559000001")], "next_page_uri": next(2)}),
        ),
        (
            Some("PT2"),
            serde_json::json!({"incoming_phone_numbers": [number_json("PNc", "+15559000002")], "next_page_uri": null}),
        ),
    ];
    for (token, body) in pages {
        let mock = Mock::given(method("GET")).and(path(list.clone()));
        let mock = match token {
            Some(token) => mock.and(query_param("PageToken", token)),
            None => mock.and(query_param_is_missing("PageToken")),
        };
        mock.respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&server)
            .await;
    }
    let mut seen = Vec::new();
    twilio(&server)
        .each_incoming_phone_number_page(|page| {
            seen.push((page.len(), page.last().and_then(|n| n.phone_number.clone())));
        })
        .await
        .unwrap();
    assert_eq!(
        seen,
        [
            (2000, Some("+15550001999".to_owned())),
            (1, Some("+15559000001".to_owned())),
            (1, Some("+15559000002".to_owned())),
        ]
    );

    // The second page is not JSON: the list fails. The first page may or may not have been
    // handed over by then (the failure ends the listing at once), never anything after it.
    server.reset().await;
    Mock::given(method("GET"))
        .and(path(list.clone()))
        .and(query_param_is_missing("PageToken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "incoming_phone_numbers": [number_json("PNa", "+15559000000")], "next_page_uri": next(1)
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(list))
        .and(query_param("PageToken", "PT1"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>busy</html>"))
        .mount(&server)
        .await;
    let mut seen = Vec::new();
    let failed = twilio(&server)
        .each_incoming_phone_number_page(|page| {
            seen.extend(page.into_iter().filter_map(|n| n.phone_number))
        })
        .await;
    assert!(failed.is_err(), "{failed:?}");
    assert!(seen.is_empty() || seen == ["+15559000000"], "{seen:?}");
}

#[tokio::test]
async fn senders_follow_absolute_next_page_url_verbatim() {
    let server = MockServer::start().await;
    let senders = "/twilio/v2/Channels/Senders";
    Mock::given(method("GET"))
        .and(path(senders))
        .and(query_param("Channel", "whatsapp"))
        .and(query_param_is_missing("PageToken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "senders": [{"sid": SENDER, "status": "ONLINE", "sender_id": "whatsapp:+15550000001"}],
            "meta": {"key": "senders", "page": 0, "page_size": 1000,
                     "next_page_url": format!("{}{senders}?Channel=whatsapp&PageSize=1000&Page=1&PageToken=PT2", server.uri())}
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(senders))
        .and(query_param("PageToken", "PT2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "senders": [{"sid": "XEbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "status": "OFFLINE",
                         "sender_id": "whatsapp:+15550000002",
                         "offline_reasons": [{"code": "30008", "message": "No delivery"}]}],
            "meta": {"key": "senders", "next_page_url": null}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let senders = twilio(&server).list_whatsapp_senders().await.unwrap();
    assert_eq!(senders.len(), 2);
    assert_eq!(senders[1].phone_number(), Some("+15550000002"));
    assert_eq!(senders[1].offline_reasons.len(), 1);
}

#[tokio::test]
async fn sender_webhook_update_posts_only_the_webhook_as_json() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/twilio/v2/Channels/Senders/{SENDER}")))
        .and(header("content-type", "application/json"))
        .and(body_string(
            r#"{"webhook":{"callback_url":"https://hooks.example/wa","callback_method":"POST"}}"#,
        ))
        .respond_with(ResponseTemplate::new(202).set_body_json(serde_json::json!({
            "sid": SENDER, "status": "ONLINE:UPDATING", "sender_id": "whatsapp:+15550000001",
            "webhook": {"callback_url": "https://hooks.example/wa", "callback_method": "POST"},
            "profile": null, "configuration": null
        })))
        .expect(1)
        .mount(&server)
        .await;
    let sender = twilio(&server)
        .set_sender_webhook(
            SENDER,
            SenderWebhookInput::callback("https://hooks.example/wa", SenderWebhookMethod::Post),
        )
        .await
        .unwrap();
    assert_eq!(sender.callback_url(), Some("https://hooks.example/wa"));
}

#[tokio::test]
async fn sms_webhook_update_posts_only_sms_url_and_method() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(account_path(&format!(
            "/IncomingPhoneNumbers/{NUMBER}.json"
        ))))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string(
            "SmsUrl=https%3A%2F%2Fhooks.example%2Fsms%3Ft%3Dabc&SmsMethod=POST",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "sid": NUMBER, "sms_url": "https://hooks.example/sms?t=abc", "sms_method": "POST"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let number = twilio(&server)
        .set_sms_webhook(
            NUMBER,
            &SmsWebhook {
                url: "https://hooks.example/sms?t=abc".into(),
                method: SmsWebhookMethod::Post,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        number.sms_url.as_deref(),
        Some("https://hooks.example/sms?t=abc")
    );
}

#[tokio::test]
async fn whatsapp_template_send_is_form_encoded() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(account_path("/Messages.json")))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string(
            "To=whatsapp%3A%2B15551234567&From=whatsapp%3A%2B15550000001\
             &ContentSid=HXaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&ContentVariables=%7B%221%22%3A%22Alice%22%7D\
             &StatusCallback=https%3A%2F%2Fhooks.example%2Fstatus&ValidityPeriod=600",
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({
            "sid": "SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "status": "queued",
            "to": "whatsapp:+15551234567", "error_code": null
        })))
        .expect(1)
        .mount(&server)
        .await;
    let message = twilio(&server)
        .send_message(&OutgoingMessage {
            channel: MessageChannel::WhatsApp,
            from: MessageFrom::Address("+15550000001".into()),
            to: "+15551234567".into(),
            content: MessageContent::Template {
                content_sid: "HXaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".into(),
                variables: [("1".to_owned(), "Alice".to_owned())].into(),
            },
            status_callback: Some("https://hooks.example/status".into()),
            validity_period: Some(600),
        })
        .await
        .unwrap();
    assert_eq!(
        message.sid.as_deref(),
        Some("SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    );
}

#[tokio::test]
async fn api_key_check_lists_one_number_and_says_so() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(account_path("/IncomingPhoneNumbers.json")))
        .and(query_param("PageSize", "1"))
        .and(basic_auth(
            "SKbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
            "key-secret-77",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "incoming_phone_numbers": [], "next_page_uri": null
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = TwilioClient::new(
        TwilioCredentials::with_api_key(
            ACCOUNT_SID,
            "SKbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
            Secret::new("key-secret-77"),
        ),
        TwilioEndpoints::all(base(&server.uri(), "/twilio")),
        &fast_options(),
    )
    .unwrap();
    let check = ProviderClient::check_credentials(&client).await.unwrap();
    assert_eq!(
        check.checked_with,
        "GET /2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json?PageSize=1"
    );
    assert_eq!(check.account_type, None);
    assert_eq!(check.warnings.len(), 1);
}

#[tokio::test]
async fn content_and_services_use_their_own_hosts() {
    let api = MockServer::start().await;
    let messaging = MockServer::start().await;
    let content = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/Services"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "services": [{"sid": "MGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "inbound_request_url": "https://x/in",
                          "use_inbound_webhook_on_number": true}],
            "meta": {"key": "services", "next_page_url": null}
        })))
        .expect(1)
        .mount(&messaging)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/ContentAndApprovals"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "contents": [{"sid": "HXaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "friendly_name": "checkin",
                          "approval_requests": {"status": "approved", "category": "UTILITY"}}],
            "meta": {"key": "contents", "next_page_url": null}
        })))
        .expect(1)
        .mount(&content)
        .await;
    let client = TwilioClient::new(
        TwilioCredentials::with_auth_token(ACCOUNT_SID, Secret::new(AUTH_TOKEN)),
        TwilioEndpoints {
            api: base(&api.uri(), ""),
            messaging: base(&messaging.uri(), ""),
            content: base(&content.uri(), ""),
        },
        &fast_options(),
    )
    .unwrap();
    let services = client.list_messaging_services().await.unwrap();
    assert_eq!(services[0].use_inbound_webhook_on_number, Some(true));
    let templates = client.list_content_and_approvals().await.unwrap();
    assert!(templates[0].whatsapp_approval().unwrap().is_approved());
    assert!(api.received_requests().await.unwrap_or_default().is_empty());
}

#[tokio::test]
async fn telnyx_pages_profiles_and_sends_with_bearer_json() {
    let server = MockServer::start().await;
    for page in 1..=2 {
        Mock::given(method("GET"))
            .and(path("/telnyx/v2/phone_numbers"))
            .and(query_param("page[number]", page.to_string()))
            .and(query_param("page[size]", "250"))
            .and(bearer_token(TELNYX_KEY))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "data": [{"id": format!("{page}000"), "phone_number": format!("+1555000000{page}"),
                          "status": "active", "messaging_profile_id": null}],
                "meta": {"page_number": page, "total_pages": 2, "page_size": 250, "total_results": 2}
            })))
            .expect(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("PATCH"))
        .and(path("/telnyx/v2/messaging_profiles/prof-1"))
        .and(header("content-type", "application/json"))
        .and(body_json(serde_json::json!({"webhook_url": "https://hooks.example/telnyx"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "data": {"id": "prof-1", "record_type": "messaging_profile", "webhook_url": "https://hooks.example/telnyx"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/telnyx/v2/phone_numbers/1000/messaging"))
        .and(body_json(
            serde_json::json!({"messaging_profile_id": "prof-1"}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "data": {"id": "1000", "phone_number": "+15550000001", "messaging_profile_id": "prof-1"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/telnyx/v2/messages"))
        .and(body_json(
            serde_json::json!({"from": "+15550000001", "to": "+15551234567", "text": "Hi"}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "data": {"id": "msg-1", "to": [{"phone_number": "+15551234567", "status": "queued"}]}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let client = telnyx(&server);
    let numbers = client.list_phone_numbers().await.unwrap();
    assert_eq!(numbers.len(), 2);
    let profile = client
        .set_profile_webhook(
            "prof-1",
            &ProfileWebhookUpdate {
                webhook_url: "https://hooks.example/telnyx".into(),
                webhook_failover_url: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        profile.webhook_url.as_deref(),
        Some("https://hooks.example/telnyx")
    );
    let assignment = client
        .assign_messaging_profile("1000", "prof-1")
        .await
        .unwrap();
    assert_eq!(assignment.messaging_profile_id.as_deref(), Some("prof-1"));
    let sent = client
        .send_message(&telnyx::OutgoingMessage {
            from: "+15550000001".into(),
            to: "+15551234567".into(),
            text: Some("Hi".into()),
            ..telnyx::OutgoingMessage::default()
        })
        .await
        .unwrap();
    assert_eq!(sent.status(), Some("queued"));
}

#[tokio::test]
async fn elks_uses_basic_auth_and_forms() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/46elks/a1/sms"))
        .and(basic_auth(ELKS_USER, ELKS_PASSWORD))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("from=Hotel&to=%2B46700000000&message=Hej&whendelivered=https%3A%2F%2Fhooks.example%2Fdlr"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "id": "s1", "status": "created", "direction": "outgoing", "cost": 3500
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/46elks/a1/numbers/n1"))
        .and(body_string("sms_url=https%3A%2F%2Fhooks.example%2Felks"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "id": "n1", "number": "+46766861001", "active": "yes", "sms_url": "https://hooks.example/elks"
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/46elks/a1/numbers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "data": [{"id": "n1", "number": "+46766861001", "active": "yes", "capabilities": ["sms"]}]
        })))
        .expect(1)
        .mount(&server)
        .await;

    let client = elks(&server);
    let sms = client
        .send_sms(&OutgoingSms {
            from: "Hotel".into(),
            to: "+46700000000".into(),
            message: "Hej".into(),
            whendelivered: Some("https://hooks.example/dlr".into()),
        })
        .await
        .unwrap();
    assert_eq!(sms.id.as_deref(), Some("s1"));
    let number = client
        .set_sms_url("n1", "https://hooks.example/elks")
        .await
        .unwrap();
    assert_eq!(
        number.sms_url.as_deref(),
        Some("https://hooks.example/elks")
    );
    assert_eq!(client.list_numbers().await.unwrap().len(), 1);
}
