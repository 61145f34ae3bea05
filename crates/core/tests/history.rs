//! History import against the sandbox, for every provider: all pages are fetched (checked in the
//! sandbox's request log), a second import asks only for what is new (its date filter, in the
//! log), and nothing is stored or counted twice.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

#[path = "support/sandbox_admin.rs"]
mod sandbox_admin;

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use switchboard_core::history::{FIRST_SYNC_DAYS, OVERLAP, SyncReport};
use switchboard_core::{
    Connector, ConnectorDraft, ConnectorKind, ConnectorSettings, ElksSettings, MemorySecretStore,
    OrganizationDraft, ProviderKind, Store, Switchboard, TelnyxSettings, TwilioSettings,
};
use switchboard_sandbox::{RunningSandbox, SandboxConfig};

struct World {
    core: Switchboard,
    org: String,
    sandbox: RunningSandbox,
    http: reqwest::Client,
}

async fn world() -> World {
    let core = Switchboard::new(
        Store::open_in_memory().unwrap(),
        Arc::new(MemorySecretStore::default()),
    );
    let org = core
        .organization_create(&OrganizationDraft {
            name: "Grand Hotel".into(),
            inbound_base_url: None,
        })
        .unwrap();
    let sandbox = switchboard_sandbox::start(SandboxConfig::default())
        .await
        .unwrap();
    World {
        core,
        org: org.id,
        sandbox,
        http: reqwest::Client::new(),
    }
}

/// A logged provider request: its path and decoded query.
struct Logged {
    path: String,
    query: Vec<(String, String)>,
}

impl Logged {
    fn get(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

impl World {
    async fn admin(&self, path: &str, body: Value) -> Value {
        sandbox_admin::admin(&self.sandbox, reqwest::Method::POST, path, Some(body)).await
    }

    /// GET requests to paths ending in `suffix`, oldest first; the log is then cleared.
    async fn take_requests(&self, suffix: &str) -> Vec<Logged> {
        let url = self.sandbox.admin_url("requests");
        let log: Value = self
            .http
            .get(&url)
            .bearer_auth(self.sandbox.admin_token())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        self.http
            .delete(&url)
            .bearer_auth(self.sandbox.admin_token())
            .send()
            .await
            .unwrap();
        let entries = log
            .as_array()
            .cloned()
            .or_else(|| log["requests"].as_array().cloned())
            .unwrap();
        entries
            .into_iter()
            .filter(|r| r["method"] == "GET" && r["path"].as_str().unwrap().ends_with(suffix))
            .map(|r| Logged {
                path: r["path"].as_str().unwrap().to_owned(),
                query: url::form_urlencoded::parse(r["query"].as_str().unwrap_or("").as_bytes())
                    .into_owned()
                    .collect(),
            })
            .collect()
    }

    fn connector(
        &self,
        provider: ProviderKind,
        settings: ConnectorSettings,
        secret: &str,
    ) -> Connector {
        self.core
            .connector_create(&ConnectorDraft {
                org_id: self.org.clone(),
                kind: ConnectorKind::Sms,
                name: format!("{provider:?} history"),
                settings,
                recipients: vec![],
                receive_inbound: false,
                secret: Some(secret.into()),
            })
            .unwrap()
    }
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

/// The first import asks for 30 days and stores everything; the second asks from the first
/// import's start minus the overlap and stores only the new messages; the third stores nothing.
fn check_incremental(
    first: &SyncReport,
    second: &SyncReport,
    third: &SyncReport,
    started: DateTime<Utc>,
) {
    assert!(first.first && !second.first && !third.first);
    let window = at(&first.since);
    let expected = started - Duration::days(FIRST_SYNC_DAYS);
    assert!(
        (window - expected).num_seconds().abs() < 5,
        "{window} vs {expected}"
    );
    let second_since = at(&second.since);
    let expected = started - OVERLAP;
    assert!(
        (second_since - expected).num_seconds().abs() < 5,
        "second import from {second_since}, expected about {expected}"
    );
    assert_eq!(third.new, 0, "nothing new the third time");
    assert_eq!(third.updated, 0);
}

#[tokio::test]
async fn twilio_history_pages_incremental_and_no_duplicates() {
    let w = world().await;
    let account = w
        .admin("accounts", json!({"provider": "twilio", "numbers": 1}))
        .await;
    let sid = account["twilio"]["account_sid"].as_str().unwrap();
    let seeded = w
        .admin(
            "history",
            json!({"provider": "twilio", "account": sid, "count": 2500, "failed_rate": 0.1, "days": 29}),
        )
        .await;
    let from = seeded["from"].as_str().unwrap().to_owned();
    let connector = w.connector(
        ProviderKind::Twilio,
        ConnectorSettings::Twilio(TwilioSettings {
            account_sid: sid.into(),
            base_url: Some(w.sandbox.twilio_base()),
            from: Some(from.clone()),
            ..TwilioSettings::default()
        }),
        account["twilio"]["auth_token"].as_str().unwrap(),
    );

    let started = Utc::now();
    let first = w.core.messages_sync(&connector.id).await.unwrap();
    assert_eq!((first.fetched, first.new), (2500, 2500), "{first:?}");
    let requests = w.take_requests("/Messages.json").await;
    let from_pages: Vec<_> = requests
        .iter()
        .filter(|r| r.get("From") == Some(from.as_str()))
        .collect();
    assert_eq!(from_pages.len(), 3, "2500 messages at 1000 a page");
    let day = (started - Duration::days(FIRST_SYNC_DAYS))
        .format("%Y-%m-%d")
        .to_string();
    for page in &from_pages {
        assert_eq!(page.get("DateSent>"), Some(day.as_str()), "{}", page.path);
        assert_eq!(page.get("PageSize"), Some("1000"));
    }
    assert!(
        from_pages[1].get("PageToken").is_some(),
        "the next page is followed"
    );
    assert!(
        requests.iter().any(|r| r.get("To") == Some(from.as_str())),
        "inbound too"
    );
    assert_eq!(first.pages as usize, requests.len());

    let stored = w.core.imported_messages(&connector.id, 5000).unwrap();
    assert_eq!(stored.len(), 2500);
    assert_eq!(stored.iter().filter(|m| m.outcome == "failed").count(), 250);
    assert!(
        stored
            .iter()
            .all(|m| m.from == from && m.direction == "outbound")
    );
    assert!(stored[0].sent_at > stored[2499].sent_at, "newest first");

    // The statistics panel counts the account's real traffic, not only test sends.
    let stats = w.core.messaging_stats(&connector.id, 30).unwrap();
    assert_eq!((stats.total_sent, stats.total_fails), (2250, 250));
    assert_eq!(stats.attempts, 2500);
    assert_eq!(stats.success_rate, Some(90.0));
    let charted: u32 = stats.per_day.iter().map(|d| d.sent + d.failed).sum();
    assert_eq!(
        charted, 2500,
        "every imported message is on the 30-day chart"
    );
    assert!(stats.last_sent.is_some() && stats.last_failed.is_some());
    assert_eq!(
        stats.top_errors.iter().map(|e| e.count).sum::<u32>(),
        250,
        "{:?}",
        stats.top_errors
    );

    // 20 new messages, all within the last few minutes.
    w.admin(
        "history",
        json!({"provider": "twilio", "account": sid, "count": 20, "days": 0.002}),
    )
    .await;
    let second = w.core.messages_sync(&connector.id).await.unwrap();
    assert_eq!(second.new, 20, "{second:?}");
    assert!(
        second.fetched < 300,
        "only the overlap day and the new ones: {second:?}"
    );
    let requests = w.take_requests("/Messages.json").await;
    let since_day = at(&second.since).format("%Y-%m-%d").to_string();
    assert!(
        requests
            .iter()
            .all(|r| r.get("DateSent>") == Some(since_day.as_str()))
    );

    let third = w.core.messages_sync(&connector.id).await.unwrap();
    check_incremental(&first, &second, &third, started);
    // Imported again: still counted once.
    let stats = w.core.messaging_stats(&connector.id, 30).unwrap();
    assert_eq!(stats.attempts, 2520);
    assert_eq!(
        w.core.imported_count(&connector.id).unwrap(),
        2520,
        "nothing stored twice"
    );
}

#[tokio::test]
async fn telnyx_history_pages_incremental_and_no_duplicates() {
    let w = world().await;
    let account = w
        .admin("accounts", json!({"provider": "telnyx", "numbers": 1}))
        .await;
    let key = account["telnyx"]["api_key"].as_str().unwrap();
    let seeded = w.admin(
        "history",
        json!({"provider": "telnyx", "account": key, "count": 600, "failed_rate": 0.5, "days": 29}),
    )
    .await;
    let connector = w.connector(
        ProviderKind::Telnyx,
        ConnectorSettings::Telnyx(TelnyxSettings {
            base_url: Some(w.sandbox.telnyx_base()),
            from: seeded["from"].as_str().map(str::to_owned),
            ..TelnyxSettings::default()
        }),
        key,
    );
    let started = Utc::now();
    let first = w.core.messages_sync(&connector.id).await.unwrap();
    assert_eq!(
        (first.fetched, first.new, first.pages),
        (600, 600, 3),
        "{first:?}"
    );
    let requests = w.take_requests("/v2/detail_records").await;
    assert_eq!(requests.len(), 3, "600 records at 250 a page");
    let pages: Vec<_> = requests
        .iter()
        .map(|r| r.get("page[number]").unwrap())
        .collect();
    assert_eq!(pages, ["1", "2", "3"]);
    for request in &requests {
        assert_eq!(request.get("filter[record_type]"), Some("messaging"));
        assert_eq!(
            request.get("filter[created_at][gte]"),
            Some(first.since.as_str())
        );
    }
    let stored = w.core.imported_messages(&connector.id, 1000).unwrap();
    assert_eq!(stored.iter().filter(|m| m.outcome == "failed").count(), 300);
    assert!(
        stored.iter().all(|m| m.body_excerpt.is_none()),
        "MDRs carry no text"
    );

    w.admin(
        "history",
        json!({"provider": "telnyx", "account": key, "count": 7, "days": 0.002}),
    )
    .await;
    let second = w.core.messages_sync(&connector.id).await.unwrap();
    assert_eq!(
        (second.fetched, second.new),
        (7, 7),
        "only what is new: {second:?}"
    );
    let requests = w.take_requests("/v2/detail_records").await;
    assert_eq!(
        requests[0].get("filter[created_at][gte]"),
        Some(second.since.as_str())
    );

    let third = w.core.messages_sync(&connector.id).await.unwrap();
    check_incremental(&first, &second, &third, started);
    assert_eq!(w.core.imported_count(&connector.id).unwrap(), 607);
}

#[tokio::test]
async fn elks_history_pages_incremental_and_no_duplicates() {
    let w = world().await;
    let account = w
        .admin("accounts", json!({"provider": "46elks", "numbers": 1}))
        .await;
    let username = account["46elks"]["username"].as_str().unwrap();
    let seeded = w.admin(
        "history",
        json!({"provider": "46elks", "account": username, "count": 250, "failed_rate": 0.2, "days": 29}),
    )
    .await;
    let connector = w.connector(
        ProviderKind::Elks46,
        ConnectorSettings::Elks46(ElksSettings {
            username: username.into(),
            base_url: Some(w.sandbox.elks_base()),
            from: seeded["from"].as_str().map(str::to_owned),
        }),
        account["46elks"]["password"].as_str().unwrap(),
    );
    let started = Utc::now();
    let first = w.core.messages_sync(&connector.id).await.unwrap();
    assert_eq!(
        (first.fetched, first.new, first.pages),
        (250, 250, 3),
        "{first:?}"
    );
    let requests = w.take_requests("/a1/sms").await;
    assert_eq!(requests.len(), 3, "250 SMS at 100 a page");
    assert!(requests[0].get("start").is_none());
    assert!(requests[1].get("start").is_some() && requests[2].get("start").is_some());
    let end = at(&first.since).format("%Y-%m-%dT%H:%M:%S%.6f").to_string();
    assert!(requests.iter().all(|r| r.get("end") == Some(end.as_str())));
    let stored = w.core.imported_messages(&connector.id, 1000).unwrap();
    assert_eq!(stored.iter().filter(|m| m.outcome == "failed").count(), 50);

    w.admin(
        "history",
        json!({"provider": "46elks", "account": username, "count": 3, "days": 0.002}),
    )
    .await;
    let second = w.core.messages_sync(&connector.id).await.unwrap();
    assert_eq!(
        (second.fetched, second.new, second.pages),
        (3, 3, 1),
        "{second:?}"
    );
    let requests = w.take_requests("/a1/sms").await;
    let end = at(&second.since)
        .format("%Y-%m-%dT%H:%M:%S%.6f")
        .to_string();
    assert_eq!(requests[0].get("end"), Some(end.as_str()));

    let third = w.core.messages_sync(&connector.id).await.unwrap();
    check_incremental(&first, &second, &third, started);
    assert_eq!(w.core.imported_count(&connector.id).unwrap(), 253);
}

#[tokio::test]
async fn listing_the_same_messages_again_stores_nothing_new() {
    let w = world().await;
    let seed = w.sandbox.seed().twilio.clone();
    let connector = w.connector(
        ProviderKind::Twilio,
        ConnectorSettings::Twilio(TwilioSettings {
            account_sid: seed.account_sid.clone(),
            base_url: Some(w.sandbox.twilio_base()),
            from: Some("+14155550101".into()),
            ..TwilioSettings::default()
        }),
        &seed.auth_token,
    );
    w.admin(
        "history",
        json!({"provider": "twilio", "count": 5, "days": 0.01}),
    )
    .await;
    let first = w.core.messages_sync(&connector.id).await.unwrap();
    assert_eq!(first.new, 5);
    // The same messages listed again (the overlap) change nothing.
    let again = w.core.messages_sync(&connector.id).await.unwrap();
    assert_eq!(
        (again.fetched, again.new, again.updated),
        (5, 0, 0),
        "{again:?}"
    );
    assert_eq!(w.core.imported_count(&connector.id).unwrap(), 5);
}

#[tokio::test]
async fn removing_a_connector_removes_its_imported_messages_and_cursor() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("switchboard.db");
    let mut w = world().await;
    w.core = Switchboard::new(
        Store::open(&path).unwrap(),
        Arc::new(MemorySecretStore::default()),
    );
    w.org = w
        .core
        .organization_create(&OrganizationDraft {
            name: "Grand Hotel".into(),
            inbound_base_url: None,
        })
        .unwrap()
        .id;
    let seed = w.sandbox.seed().telnyx.clone();
    let connector = w.connector(
        ProviderKind::Telnyx,
        ConnectorSettings::Telnyx(TelnyxSettings {
            base_url: Some(w.sandbox.telnyx_base()),
            from: Some("+13125550101".into()),
            ..TelnyxSettings::default()
        }),
        &seed.api_key,
    );
    w.admin(
        "history",
        json!({"provider": "telnyx", "count": 10, "days": 1}),
    )
    .await;
    assert_eq!(w.core.messages_sync(&connector.id).await.unwrap().new, 10);
    w.core.connector_delete(&connector.id).unwrap();
    let db = rusqlite::Connection::open(&path).unwrap();
    let count = |table: &str| -> i64 {
        db.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |row| {
            row.get(0)
        })
        .unwrap()
    };
    assert_eq!(count("messages"), 0);
    assert_eq!(count("message_sync"), 0);
}
