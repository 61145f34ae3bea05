//! Decoding of the spec's own examples (fixtures extracted verbatim from the OpenAPI files),
//! credential-check rules and client construction.

use super::*;
use crate::failure::FailureKind as ErrorKind;

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!("../../tests/fixtures/twilio/", $name))
    };
}

fn parse<T: DeserializeOwned>(json: &str) -> T {
    serde_json::from_str(json).unwrap()
}

const AC: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

#[test]
fn account_fixture_and_check() {
    let account: Account = parse(fixture!("account_fetch.json"));
    assert_eq!(account.sid.as_deref(), Some(AC));
    assert_eq!(account.status, Some(AccountStatus::Active));
    assert_eq!(account.account_type.as_deref(), Some("Full"));
    // The account's own auth token is in the answer but is never kept.
    assert!(
        !serde_json::to_string(&account)
            .unwrap()
            .contains("auth_token")
    );

    let check = account_check(account, "GET /2010-04-01/Accounts/{Sid}.json").unwrap();
    assert_eq!(check.provider, Provider::Twilio);
    assert_eq!(check.account_name.as_deref(), Some("friendly_name"));
    assert_eq!(check.account_type, Some(AccountType::Full));
    assert_eq!(check.status.as_deref(), Some("active"));
    assert_eq!(check.checked_with, "GET /2010-04-01/Accounts/{Sid}.json");
    assert!(check.warnings.is_empty());
}

type CheckOutcome = Result<(AccountType, usize), ErrorKind>;

#[test]
fn account_check_table() {
    // (status, type, expected outcome: Ok(account type, warnings) or Err(kind))
    let table: &[(&str, &str, CheckOutcome)] = &[
        ("active", "Full", Ok((AccountType::Full, 0))),
        ("active", "Trial", Ok((AccountType::Trial, 1))),
        ("active", "Enterprise", Ok((AccountType::Unknown, 0))),
        ("pending", "Full", Ok((AccountType::Full, 1))),
        ("suspended", "Full", Err(ErrorKind::AccountSuspended)),
        ("closed", "Trial", Err(ErrorKind::AccountSuspended)),
    ];
    for (status, account_type, expected) in table {
        let account: Account = parse(&format!(
            r#"{{"sid":"{AC}","friendly_name":"Hotel","status":"{status}","type":"{account_type}"}}"#
        ));
        let result = account_check(account, "x")
            .map(|check| (check.account_type.unwrap(), check.warnings.len()))
            .map_err(|error| error.kind());
        assert_eq!(&result, expected, "{status} {account_type}");
    }
    let trial: Account = parse(r#"{"status":"active","type":"Trial"}"#);
    assert_eq!(
        account_check(trial, "x").unwrap().warnings,
        vec![TRIAL_WARNING.to_owned()]
    );
}

#[test]
fn incoming_phone_numbers_page_fixture() {
    let page: IncomingPhoneNumberPage = parse(fixture!("incoming_phone_numbers_page.json"));
    let (numbers, next) = page.into_parts();
    assert_eq!(next, None);
    assert_eq!(numbers.len(), 1);
    let number = &numbers[0];
    assert_eq!(
        number.sid.as_deref(),
        Some("PNaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    );
    assert_eq!(number.phone_number.as_deref(), Some("+18089255327"));
    assert_eq!(number.friendly_name.as_deref(), Some("(808) 925-5327"));
    // "" means unset for URLs and SIDs.
    assert_eq!(number.sms_url, None);
    assert_eq!(number.sms_application_sid, None);
    assert_eq!(number.sms_method.as_deref(), Some("POST"));
    assert!(!number.sms_capable());
    assert_eq!(number.capabilities.as_ref().unwrap().mms, Some(true));
    assert_eq!(number.status.as_deref(), Some("in-use"));
    assert_eq!(number.number_type.as_deref(), Some("local"));
    assert_eq!(number.beta, None);
    assert!(
        number
            .uri
            .as_deref()
            .unwrap()
            .starts_with("/2010-04-01/Accounts/")
    );
}

#[test]
fn incoming_phone_number_update_fixture_and_lenient_variants() {
    let number: IncomingPhoneNumber = parse(fixture!("incoming_phone_number_update.json"));
    assert!(number.sid.is_some());
    let odd: IncomingPhoneNumber = parse(
        r#"{"sid":"PN1","capabilities":{"SMS":true,"MMS":"false"},"sms_url":"https://hooks.example/in",
            "sms_application_sid":"APaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","new_field":{"x":1},"beta":"true"}"#,
    );
    assert!(odd.sms_capable());
    assert_eq!(odd.capabilities.unwrap().mms, Some(false));
    assert_eq!(odd.sms_url.as_deref(), Some("https://hooks.example/in"));
    assert!(odd.sms_application_sid.is_some());
    assert_eq!(odd.beta, Some(true));
}

#[test]
fn messages_page_fixture_has_a_relative_next_page() {
    let page: MessagePage = parse(fixture!("messages_page.json"));
    let (messages, next) = page.into_parts();
    assert_eq!(messages.len(), 2);
    let next = next.unwrap();
    assert!(next.starts_with("/2010-04-01/Accounts/"));
    let base = BaseUrl::parse("http://127.0.0.1:4010/twilio").unwrap();
    assert_eq!(
        base.resolve_link(&next).unwrap().as_str(),
        format!("http://127.0.0.1:4010/twilio{next}")
    );
}

#[test]
fn message_fixtures() {
    let created: Message = parse(fixture!("message_create.json"));
    assert_eq!(created.status, Some(MessageStatus::Queued));
    assert_eq!(
        created.sid.as_deref(),
        Some("SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    );
    assert_eq!(created.error_code, None);
    assert_eq!(created.price, None);
    assert_eq!(created.num_segments.as_deref(), Some("1"));
    assert!(!created.status.as_ref().unwrap().is_final());

    let fetched: Message = parse(fixture!("message_fetch.json"));
    assert_eq!(fetched.status, Some(MessageStatus::Sent));
    assert_eq!(fetched.error_code, Some(30007));
    assert_eq!(fetched.error_message.as_deref(), Some("Carrier violation"));
    assert_eq!(fetched.price.as_deref(), Some("-0.00750"));
    assert_eq!(classify_error_code(30007), Some(ErrorKind::InvalidMessage));

    let unknown: Message = parse(r#"{"status":"sparkling","error_code":"63016","price":-0.5}"#);
    assert_eq!(
        unknown.status,
        Some(MessageStatus::Other("sparkling".into()))
    );
    assert_eq!(unknown.error_code, Some(63016));
    assert_eq!(unknown.price.as_deref(), Some("-0.5"));
    assert!(MessageStatus::Undelivered.is_failure());
    assert!(MessageStatus::Read.is_final());
}

#[test]
fn services_fixtures() {
    let page: MessagingServicePage = parse(fixture!("services_page.json"));
    let (services, next) = page.into_parts();
    assert_eq!(next, None);
    let service = &services[0];
    assert_eq!(
        service.sid.as_deref(),
        Some("MGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    );
    assert_eq!(
        service.inbound_request_url.as_deref(),
        Some("https://www.example.com/")
    );
    assert_eq!(service.use_inbound_webhook_on_number, Some(false));
    assert_eq!(service.fallback_url, None);

    let pool: ServicePhoneNumberPage = parse(fixture!("service_phone_numbers_page.json"));
    let (numbers, next) = pool.into_parts();
    assert_eq!(next, None);
    assert_eq!(
        numbers[0].sid.as_deref(),
        Some("PNaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    );
    assert!(numbers[0].capabilities.is_empty());

    let with_next: MessagingServicePage = parse(
        r#"{"services":[],"meta":{"next_page_url":"https://messaging.twilio.com/v1/Services?PageSize=20&Page=1&PageToken=PT1","key":"services"}}"#,
    );
    assert_eq!(
        with_next.into_parts().1.as_deref(),
        Some("https://messaging.twilio.com/v1/Services?PageSize=20&Page=1&PageToken=PT1")
    );
}

#[test]
fn sender_fixtures() {
    let empty: SenderPage = parse(fixture!("senders_page_empty.json"));
    let (senders, next) = empty.into_parts();
    assert!(senders.is_empty());
    assert_eq!(next, None);

    let online: Sender = parse(fixture!("sender_fetch.json"));
    assert_eq!(online.status, Some(SenderStatus::Online));
    assert!(online.status.as_ref().unwrap().is_online());
    assert_eq!(online.phone_number(), Some("+999999999XX"));
    assert_eq!(online.callback_url(), Some("https://callback.example.com"));
    let webhook = online.webhook.as_ref().unwrap();
    assert_eq!(webhook.callback_method.as_deref(), Some("POST"));
    assert_eq!(
        webhook.status_callback_url.as_deref(),
        Some("https://statuscallback.example.com")
    );
    let properties = online.properties.as_ref().unwrap();
    assert_eq!(properties.quality_rating.as_deref(), Some("HIGH"));
    assert_eq!(
        properties.messaging_limit.as_deref(),
        Some("10K Customers/24hr")
    );
    assert!(online.offline_reasons.is_empty());
    assert_eq!(
        online.profile.as_ref().unwrap().name.as_deref(),
        Some("Example Profile Name")
    );

    let offline: Sender = parse(fixture!("sender_offline.json"));
    assert_eq!(offline.status, Some(SenderStatus::Offline));
    assert_eq!(
        offline.offline_reasons,
        vec![OfflineReason {
            code: Some("30008".into()),
            message: Some("No delivery".into()),
            more_info: Some("https://www.twilio.com/docs/api/errors/30008".into()),
        }]
    );

    let created: Sender = parse(fixture!("sender_create.json"));
    assert_eq!(created.status, Some(SenderStatus::Creating));

    let updated: Sender = parse(fixture!("sender_update_webhook.json"));
    assert_eq!(updated.status, Some(SenderStatus::Verifying));
    assert_eq!(updated.profile, None);
    assert_eq!(updated.configuration, None);

    let new_status: Sender =
        parse(r#"{"status":"ONLINE:UPDATING","offline_reasons":[{"code":63112}]}"#);
    assert_eq!(new_status.status, Some(SenderStatus::OnlineUpdating));
    assert_eq!(new_status.offline_reasons[0].code.as_deref(), Some("63112"));
    let future: Sender = parse(r#"{"status":"SOMETHING_NEW"}"#);
    assert_eq!(
        future.status,
        Some(SenderStatus::Other("SOMETHING_NEW".into()))
    );
}

#[test]
fn full_webhook_update_matches_the_spec_example() {
    let update = SenderUpdate::webhook(SenderWebhookInput {
        callback_url: Some("https://callback.example.com".into()),
        callback_method: Some(SenderWebhookMethod::Post),
        fallback_url: Some("https://fallback.example.com".into()),
        fallback_method: Some(SenderWebhookMethod::Post),
        status_callback_url: Some("https://statuscallback.example.com".into()),
        status_callback_method: Some("POST".into()),
    });
    let expected: serde_json::Value = parse(fixture!("sender_update_webhook_request.json"));
    assert_eq!(serde_json::to_value(&update).unwrap(), expected);
}

#[test]
fn content_fixtures() {
    let page: ContentPage = parse(fixture!("content_page.json"));
    let (templates, next) = page.into_parts();
    assert_eq!(next, None);
    assert_eq!(templates.len(), 3);
    let first = &templates[0];
    assert_eq!(first.friendly_name.as_deref(), Some("Some content"));
    assert!(first.types.as_ref().unwrap().contains_key("twilio/text"));
    assert_eq!(first.variables.as_ref().unwrap()["name"], "foo");

    let page: ContentAndApprovalsPage = parse(fixture!("content_and_approvals_page.json"));
    let (templates, _) = page.into_parts();
    let statuses: Vec<_> = templates
        .iter()
        .map(|t| t.whatsapp_approval().and_then(|a| a.status))
        .collect();
    assert_eq!(
        statuses,
        vec![
            Some("unsubmitted".into()),
            Some("approved".into()),
            Some("rejected".into())
        ]
    );
    assert!(templates[1].whatsapp_approval().unwrap().is_approved());
    assert_eq!(
        templates[1]
            .whatsapp_approval()
            .unwrap()
            .category
            .as_deref(),
        Some("TRANSACTIONAL")
    );

    let nested: ContentWithApprovals = parse(
        r#"{"sid":"HX1","approval_requests":{"whatsapp":{"status":"approved","category":"UTILITY"}}}"#,
    );
    assert!(nested.whatsapp_approval().unwrap().is_approved());
    let none: ContentWithApprovals = parse(r#"{"sid":"HX1","approval_requests":null}"#);
    assert_eq!(none.whatsapp_approval(), None);
}

#[test]
fn sids_are_checked() {
    assert!(is_sid(AC, "AC"));
    assert!(!is_sid("ACxyz", "AC"));
    assert!(!is_sid("SKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "AC"));
    assert!(!is_sid("ACgggggggggggggggggggggggggggggggg", "AC"));
}

#[test]
fn client_construction_validates_and_redacts() {
    let options = HttpOptions::default();
    let token = Secret::new("0123456789abcdef-token");
    let client = TwilioClient::new(
        TwilioCredentials::with_auth_token(AC, token.clone()),
        TwilioEndpoints::default(),
        &options,
    )
    .unwrap();
    let printed = format!("{client:?}");
    assert!(printed.contains(AC));
    assert!(!printed.contains("0123456789abcdef-token"));

    let key = TwilioClient::new(
        TwilioCredentials::with_api_key(AC, "SKbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", token.clone()),
        TwilioEndpoints::default(),
        &options,
    )
    .unwrap();
    assert!(!format!("{key:?}").contains("0123456789abcdef-token"));

    let failures = [
        TwilioCredentials::with_auth_token("AC123", token.clone()),
        TwilioCredentials::with_auth_token(AC, Secret::new("")),
        TwilioCredentials::with_api_key(AC, "AK123", token.clone()),
        TwilioCredentials::with_api_key(AC, "SKbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", Secret::new("")),
    ];
    for credentials in failures {
        let error =
            TwilioClient::new(credentials, TwilioEndpoints::default(), &options).unwrap_err();
        assert!(
            matches!(error, ProviderError::InvalidConfig { .. }),
            "{error}"
        );
        assert!(!error.to_string().contains("0123456789abcdef-token"));
    }
}

#[test]
fn default_endpoints_are_the_public_hosts() {
    let endpoints = TwilioEndpoints::default();
    assert_eq!(endpoints.api.as_str(), "https://api.twilio.com");
    assert_eq!(endpoints.messaging.as_str(), "https://messaging.twilio.com");
    assert_eq!(endpoints.content.as_str(), "https://content.twilio.com");
    let sandbox = TwilioEndpoints::all(BaseUrl::parse("http://127.0.0.1:9/twilio").unwrap());
    assert_eq!(sandbox.content.as_str(), "http://127.0.0.1:9/twilio");
}
