//! Message history as the providers serve it: Twilio ListMessage with its DateSent filters and
//! paging, Telnyx message detail records, 46elks `GET /a1/sms` with start/end/limit/to/next, and
//! the admin API that seeds past traffic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashSet;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use switchboard_sandbox::{FAILED_SUFFIX, RunningSandbox};

async fn seed_history(sandbox: &RunningSandbox, body: Value) -> Value {
    let (status, answer) = admin_post(sandbox, "history", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    answer
}

async fn telnyx_get(sandbox: &RunningSandbox, path_and_query: &str) -> (StatusCode, Value) {
    let response = client()
        .get(format!("{}/telnyx{path_and_query}", sandbox.url()))
        .bearer_auth(&sandbox.seed().telnyx.api_key)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

async fn elks_get(sandbox: &RunningSandbox, path_and_query: &str) -> (StatusCode, String) {
    let seed = &sandbox.seed().elks;
    let response = client()
        .get(format!("{}/46elks{path_and_query}", sandbox.url()))
        .basic_auth(&seed.username, Some(&seed.password))
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.text().await.unwrap())
}

fn rfc2822(value: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc2822(value.as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

#[tokio::test]
async fn twilio_history_pages_through_next_page_uri() {
    let sandbox = sandbox().await;
    let seeded = seed_history(
        &sandbox,
        json!({"provider": "twilio", "count": 250, "failed_rate": 0.1, "days": 10}),
    )
    .await;
    assert_eq!(seeded["failed"], 25);
    let from = seeded["from"].as_str().unwrap();
    let first = format!(
        "{}/Messages.json?From={}&PageSize=100",
        twilio_account_url(&sandbox),
        urlencode(from)
    );
    let mut url = Some(first);
    let mut sids = Vec::new();
    let mut pages = 0;
    let mut failed = 0;
    let mut last_sent: Option<DateTime<Utc>> = None;
    while let Some(next) = url.take() {
        let (status, page) = twilio_get(&sandbox, &next).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        pages += 1;
        for message in page["messages"].as_array().unwrap() {
            sids.push(message["sid"].as_str().unwrap().to_string());
            let sent = rfc2822(&message["date_sent"]);
            assert!(last_sent.is_none_or(|last| sent <= last), "newest first");
            last_sent = Some(sent);
            if message["error_code"].is_number() {
                failed += 1;
            }
        }
        url = page["next_page_uri"]
            .as_str()
            .map(|relative| format!("{}/twilio{relative}", sandbox.url()));
    }
    assert_eq!(pages, 3);
    assert_eq!(sids.len(), 250);
    assert_eq!(sids.iter().collect::<HashSet<_>>().len(), 250);
    assert_eq!(failed, 25);
}

fn urlencode(value: &str) -> String {
    serde_urlencoded::to_string([("v", value)]).unwrap()[2..].to_string()
}

/// The days of `date_sent` of every message the filter lets through.
async fn days_matching(sandbox: &RunningSandbox, filter: &str) -> Vec<NaiveDate> {
    let url = format!(
        "{}/Messages.json?PageSize=1000&{filter}",
        twilio_account_url(sandbox)
    );
    let (status, page) = twilio_get(sandbox, &url).await;
    assert_eq!(status, StatusCode::OK, "{filter}: {page}");
    page["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| rfc2822(&m["date_sent"]).date_naive())
        .collect()
}

/// Fixed emulator bug: a `DateSent>` value with a time (as twilio-python sends it) was compared
/// as a string with the message's day, so `2024-05-01 >= 2024-05-01T10:00:00Z` was false and the
/// whole named day vanished. Twilio documents day granularity, inclusive.
#[tokio::test]
async fn twilio_date_sent_filters_are_inclusive_days_also_with_a_time() {
    let sandbox = sandbox().await;
    seed_history(
        &sandbox,
        json!({"provider": "twilio", "count": 90, "days": 9}),
    )
    .await;
    let all = days_matching(&sandbox, "").await;
    assert_eq!(all.len(), 90);
    let day = all[45];
    let on_day = all.iter().filter(|d| **d == day).count();
    assert!(on_day > 0);
    let after_or_on = all.iter().filter(|d| **d >= day).count();
    let before_or_on = all.iter().filter(|d| **d <= day).count();

    let iso = format!("{day}T23:59:59Z");
    assert_eq!(
        days_matching(&sandbox, &format!("DateSent%3E={iso}"))
            .await
            .len(),
        after_or_on
    );
    assert_eq!(
        days_matching(&sandbox, &format!("DateSent%3E={day}"))
            .await
            .len(),
        after_or_on
    );
    assert_eq!(
        days_matching(&sandbox, &format!("DateSent%3C={day}"))
            .await
            .len(),
        before_or_on
    );
    assert_eq!(
        days_matching(&sandbox, &format!("DateSent%3C={iso}"))
            .await
            .len(),
        before_or_on
    );
    assert_eq!(
        days_matching(&sandbox, &format!("DateSent={day}"))
            .await
            .len(),
        on_day
    );
    // RFC 2822 (one of the spec's examples) names the same day.
    let rfc = format!("{}", day.format("%a, %d %b %Y 12:00:00 -0000"));
    assert_eq!(
        days_matching(&sandbox, &format!("DateSent%3E={}", urlencode(&rfc)))
            .await
            .len(),
        after_or_on
    );

    let (status, error) = twilio_get(
        &sandbox,
        &format!(
            "{}/Messages.json?DateSent%3E=soon",
            twilio_account_url(&sandbox)
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error["code"], 20001);
}

#[tokio::test]
async fn telnyx_detail_records_page_and_filter_by_date() {
    let sandbox = sandbox().await;
    let seeded = seed_history(
        &sandbox,
        json!({"provider": "telnyx", "count": 250, "failed_rate": 0.2, "days": 10}),
    )
    .await;
    let (status, error) = telnyx_get(&sandbox, "/v2/detail_records").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "record_type is required");
    assert_eq!(error["errors"][0]["code"], "10015");

    let mut ids = HashSet::new();
    let mut failed = 0;
    let mut number = 1;
    loop {
        let (status, page) = telnyx_get(
            &sandbox,
            &format!(
                "/v2/detail_records?filter%5Brecord_type%5D=messaging&page%5Bnumber%5D={number}&page%5Bsize%5D=100"
            ),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{page}");
        for record in page["data"].as_array().unwrap() {
            assert_eq!(record["record_type"], "message_detail_record");
            assert_eq!(record["cli"], seeded["from"]);
            ids.insert(record["uuid"].as_str().unwrap().to_string());
            if record["status"] == "failed" {
                assert_eq!(record["errors"], json!(["40008"]));
                failed += 1;
            }
        }
        assert_eq!(page["meta"]["total_pages"], 3);
        if page["meta"]["page_number"].as_u64().unwrap() >= 3 {
            break;
        }
        number += 1;
    }
    assert_eq!(ids.len(), 250);
    assert_eq!(failed, 50);

    // Date-time bound (gte inclusive, lt exclusive) and a bare date (midnight UTC).
    let since = Utc::now() - Duration::days(5);
    let query = |extra: &str| {
        format!("/v2/detail_records?filter%5Brecord_type%5D=messaging&page%5Bsize%5D=250&{extra}")
    };
    let (_, recent) = telnyx_get(
        &sandbox,
        &query(&format!(
            "filter%5Bcreated_at%5D%5Bgte%5D={}",
            since.format("%Y-%m-%dT%H:%M:%S%.3fZ")
        )),
    )
    .await;
    let recent = recent["data"].as_array().unwrap().len();
    assert!(
        (120..=130).contains(&recent),
        "{recent} in the last 5 of 10 days"
    );
    let (_, older) = telnyx_get(
        &sandbox,
        &query(&format!(
            "filter%5Bcreated_at%5D%5Blt%5D={}",
            since.format("%Y-%m-%dT%H:%M:%S%.3fZ")
        )),
    )
    .await;
    assert_eq!(older["data"].as_array().unwrap().len() + recent, 250);
    let (status, _) = telnyx_get(&sandbox, &query("filter%5Bcreated_at%5D%5Bgte%5D=later")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

/// Fixed emulator bug: a message that never left Telnyx ended with 40300, which Telnyx documents
/// as "Blocked due to STOP message" (an opt-out); the spam block it meant is 40002.
#[tokio::test]
async fn telnyx_sending_failed_is_a_spam_block_not_an_opt_out() {
    let sandbox = sandbox().await;
    let to = format!("+1415777{FAILED_SUFFIX}");
    let response = client()
        .post(format!("{}/telnyx/v2/messages", sandbox.url()))
        .bearer_auth(&sandbox.seed().telnyx.api_key)
        .json(&json!({"from": "+13125550101", "to": to, "text": "hi"}))
        .send()
        .await
        .unwrap();
    let sent: Value = response.json().await.unwrap();
    let id = sent["data"]["id"].as_str().expect("sent").to_string();
    let errors = eventually(|| {
        let sandbox = &sandbox;
        let id = id.clone();
        async move {
            let (_, message) = telnyx_get(sandbox, &format!("/v2/messages/{id}")).await;
            (message["data"]["to"][0]["status"] == "sending_failed")
                .then(|| message["data"]["errors"].clone())
        }
    })
    .await;
    assert_eq!(errors[0]["code"], "40002");
    assert_ne!(errors[0]["code"], "40300");
}

/// Fixed emulator bug: `GET /a1/sms` ignored start/end/limit/to and never answered `next`.
#[tokio::test]
async fn elks_history_pages_with_next_and_honours_start_end_limit_to() {
    let sandbox = sandbox().await;
    seed_history(
        &sandbox,
        json!({"provider": "46elks", "count": 250, "days": 10}),
    )
    .await;
    let mut start: Option<String> = None;
    let mut sizes = Vec::new();
    let mut ids = HashSet::new();
    let mut oldest_created = None;
    loop {
        let query = match &start {
            Some(start) => format!("/a1/sms?limit=100&start={start}"),
            None => "/a1/sms?limit=100".to_string(),
        };
        let (status, body) = elks_get(&sandbox, &query).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let page: Value = serde_json::from_str(&body).unwrap();
        let data = page["data"].as_array().unwrap();
        sizes.push(data.len());
        for sms in data {
            ids.insert(sms["id"].as_str().unwrap().to_string());
            oldest_created = Some(sms["created"].as_str().unwrap().to_string());
        }
        match page["next"].as_str() {
            Some(next) => {
                // 46elks' format: UTC, microseconds, no zone.
                assert_eq!(next.len(), "2017-02-21T14:15:30.427000".len(), "{next}");
                assert_eq!(Some(next.to_string()), oldest_created);
                start = Some(next.to_string());
            }
            None => break,
        }
    }
    assert_eq!(sizes, vec![100, 100, 50]);
    assert_eq!(ids.len(), 250);

    // At most 100 at once, whatever the limit.
    let (_, body) = elks_get(&sandbox, "/a1/sms?limit=500").await;
    let page: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(page["data"].as_array().unwrap().len(), 100);

    // `end`: only SMS after this time.
    let end = (Utc::now() - Duration::days(1)).format("%Y-%m-%dT%H:%M:%S%.6f");
    let (_, body) = elks_get(&sandbox, &format!("/a1/sms?end={end}")).await;
    let page: Value = serde_json::from_str(&body).unwrap();
    let last_day = page["data"].as_array().unwrap().len();
    assert!(
        (20..=30).contains(&last_day),
        "{last_day} in the last of 10 days"
    );
    assert!(page.get("next").is_none());

    // `to`: one recipient only.
    let (_, body) = elks_get(&sandbox, "/a1/sms?limit=1").await;
    let newest: Value = serde_json::from_str(&body).unwrap();
    let to = newest["data"][0]["to"].as_str().unwrap().to_string();
    let (_, body) = elks_get(&sandbox, &format!("/a1/sms?to={}", urlencode(&to))).await;
    let page: Value = serde_json::from_str(&body).unwrap();
    let data = page["data"].as_array().unwrap();
    assert!(!data.is_empty());
    assert!(data.iter().all(|sms| sms["to"] == to.as_str()));

    let (status, _) = elks_get(&sandbox, "/a1/sms?start=yesterday").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn history_requests_are_checked() {
    let sandbox = sandbox().await;
    for (body, expected) in [
        (
            json!({"provider": "sms", "count": 1}),
            StatusCode::BAD_REQUEST,
        ),
        (
            json!({"provider": "twilio", "count": 1, "failed_rate": 2}),
            StatusCode::BAD_REQUEST,
        ),
        (
            json!({"provider": "twilio", "count": 1, "days": 0}),
            StatusCode::BAD_REQUEST,
        ),
        (
            json!({"provider": "twilio", "count": 2_000_000}),
            StatusCode::BAD_REQUEST,
        ),
        (
            json!({"provider": "twilio", "count": 1, "account": "ACnope"}),
            StatusCode::NOT_FOUND,
        ),
    ] {
        let (status, answer) = admin_post(&sandbox, "history", &body).await;
        assert_eq!(status, expected, "{body} → {answer}");
    }
    // Without the admin token: refused.
    let response = client()
        .post(sandbox.admin_url("history"))
        .json(&json!({"provider": "twilio", "count": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}
