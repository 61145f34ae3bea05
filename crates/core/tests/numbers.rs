//! Numbers, webhooks, bulk jobs, drift and channels against the sandbox, for every provider.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

#[path = "support/sandbox_admin.rs"]
mod sandbox_admin;

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Value, json};
use switchboard_core::numbers::{DriftReason, JobOutcome, MAX_PAGE, NumberKind, WebhookState};
use switchboard_core::{
    AgentDraft, Connector, ConnectorDraft, ConnectorKind, ConnectorSettings, ElksSettings,
    MemorySecretStore, OrganizationDraft, Store, Switchboard, TelnyxSettings, TwilioSettings,
};
use switchboard_sandbox::{RunningSandbox, SandboxConfig};

const BASE: &str = "https://hooks.grand-hotel.example";

/// One request as the sandbox logged it: its status (none when the connection was held or cut)
/// and the fault it injected.
#[derive(Debug, Clone, PartialEq)]
struct Attempt {
    status: Option<u64>,
    fault: Option<String>,
}

fn faulted(fault: &str) -> Attempt {
    Attempt {
        status: fault
            .strip_prefix("status:")
            .map(|status| status.parse().unwrap()),
        fault: Some(fault.to_owned()),
    }
}

fn answered(status: u64) -> Attempt {
    Attempt {
        status: Some(status),
        fault: None,
    }
}

/// A webhook write is retried up to this many attempts (the default retry policy).
const WRITE_ATTEMPTS: usize = 4;

struct World {
    core: Switchboard,
    org: String,
    sandbox: RunningSandbox,
    http: reqwest::Client,
}

async fn world() -> World {
    // Short, so a held connection (a timeout fault) costs a test seconds, not minutes.
    let core = Switchboard::new(
        Store::open_in_memory().unwrap(),
        Arc::new(MemorySecretStore::default()),
    )
    .with_provider_timeout(std::time::Duration::from_secs(2));
    let org = core
        .organization_create(&OrganizationDraft {
            name: "Grand Hotel".into(),
            inbound_base_url: Some(BASE.into()),
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

impl World {
    async fn admin(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        sandbox_admin::admin(&self.sandbox, method, path, Some(body)).await
    }

    async fn requests(&self) -> Vec<Value> {
        let log = self
            .http
            .get(self.sandbox.admin_url("requests"))
            .bearer_auth(self.sandbox.admin_token())
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap();
        log.as_array()
            .cloned()
            .or_else(|| log["requests"].as_array().cloned())
            .unwrap()
    }

    /// Every webhook write (`POST …/IncomingPhoneNumbers/PN….json`) the sandbox received since
    /// its log was last cleared, per number SID, in order: (status, injected fault).
    async fn webhook_writes(&self) -> HashMap<String, Vec<Attempt>> {
        let mut writes: HashMap<String, Vec<Attempt>> = HashMap::new();
        for request in self.requests().await {
            let path = request["path"].as_str().unwrap();
            let Some(sid) = path
                .rsplit_once("/IncomingPhoneNumbers/")
                .and_then(|(_, tail)| tail.strip_suffix(".json"))
            else {
                continue;
            };
            if request["method"] != "POST" {
                continue;
            }
            writes.entry(sid.to_owned()).or_default().push(Attempt {
                status: request["status"].as_u64(),
                fault: request["fault"].as_str().map(str::to_owned),
            });
        }
        writes
    }

    fn connector(
        &self,
        kind: ConnectorKind,
        name: &str,
        settings: ConnectorSettings,
        secret: &str,
    ) -> Connector {
        self.core
            .connector_create(&ConnectorDraft {
                org_id: self.org.clone(),
                kind,
                name: name.into(),
                settings,
                recipients: vec![],
                receive_inbound: true,
                secret: Some(secret.into()),
            })
            .unwrap()
    }

    /// A Twilio connector on the account, sending from `from` (one of the account's numbers).
    fn twilio(&self, kind: ConnectorKind, sid: &str, token: &str, from: &str) -> Connector {
        let name = format!("{kind:?} {}", &sid[..8]);
        self.connector(
            kind,
            &name,
            ConnectorSettings::Twilio(TwilioSettings {
                account_sid: sid.into(),
                base_url: Some(self.sandbox.twilio_base()),
                from: Some(from.into()),
                ..TwilioSettings::default()
            }),
            token,
        )
    }

    /// Deletes a WhatsApp sender of the seeded Twilio account, as its owner would in Twilio.
    async fn delete_sender(&self, sid: &str) {
        let seed = self.sandbox.seed().twilio.clone();
        let deleted = self
            .http
            .delete(format!(
                "{}/v2/Channels/Senders/{sid}",
                self.sandbox.twilio_base()
            ))
            .basic_auth(&seed.account_sid, Some(&seed.auth_token))
            .send()
            .await
            .unwrap();
        assert!(deleted.status().is_success(), "{}", deleted.status());
    }

    fn seeded_twilio(&self, kind: ConnectorKind) -> Connector {
        let seed = self.sandbox.seed().twilio.clone();
        self.twilio(kind, &seed.account_sid, &seed.auth_token, "+14155550101")
    }
}

fn quiet(_: &switchboard_core::numbers::JobProgress) {}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

#[tokio::test]
async fn twilio_numbers_all_pages_activate_set_verify_regenerate_and_rollback() {
    let w = world().await;
    let account = w
        .admin(
            reqwest::Method::POST,
            "accounts",
            json!({"provider": "twilio", "numbers": 1050}),
        )
        .await;
    let sid = account["twilio"]["account_sid"].as_str().unwrap();
    let token = account["twilio"]["auth_token"].as_str().unwrap();
    let from = account["numbers"][0].as_str().unwrap();
    let connector = w.twilio(ConnectorKind::Sms, sid, token, from);

    let cached = w.core.numbers(&connector.id).unwrap();
    assert!(cached.fetched_at.is_none() && cached.numbers.is_empty());
    let list = w.core.numbers_refresh(&connector.id).await.unwrap();
    assert_eq!(list.numbers.len(), 1050, "every page");
    assert!(list.fetched_at.is_some());
    let pages = w
        .requests()
        .await
        .into_iter()
        .filter(|r| {
            r["method"] == "GET"
                && r["path"]
                    .as_str()
                    .unwrap_or("")
                    .ends_with("IncomingPhoneNumbers.json")
        })
        .count();
    assert_eq!(pages, 2, "1050 numbers at 1000 per page");
    let expected = list.expected_webhook_url.clone().unwrap();
    assert!(expected.starts_with(&format!("{BASE}/inbound/{}/", connector.id)));

    let a = list.numbers[0].e164.clone();
    let b = list.numbers[1].e164.clone();
    let refused = w
        .core
        .webhook_set(&connector.id, std::slice::from_ref(&a), Some(4), &quiet)
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("not active"), "{refused}");

    let activated = w
        .core
        .numbers_set_active(&connector.id, &[a.clone(), b.clone()], true)
        .unwrap();
    assert_eq!(activated.active, 2);
    let listed = w.core.numbers(&connector.id).unwrap();
    assert_eq!(listed.numbers.iter().filter(|n| n.active).count(), 2);
    assert_eq!(activated.total as usize, listed.numbers.len());

    let plan = w.core.webhook_plan(&connector.id, &[]).unwrap();
    assert_eq!(plan.len(), 2);
    assert!(
        plan.iter()
            .all(|p| p.current_url.is_none() && p.new_url == expected)
    );

    let job = w
        .core
        .webhook_set(&connector.id, &[], Some(4), &quiet)
        .await
        .unwrap();
    assert_eq!(job.count(JobOutcome::Changed), 2, "{job:?}");
    // Read back from the provider afresh: the URL is there.
    let fresh = w.core.numbers_refresh(&connector.id).await.unwrap();
    for e164 in [&a, &b] {
        let number = fresh.numbers.iter().find(|n| &n.e164 == e164).unwrap();
        assert_eq!(number.webhook_url.as_deref(), Some(expected.as_str()));
        assert_eq!(number.webhook_state, WebhookState::Configured);
    }
    let untouched = fresh.numbers.iter().find(|n| !n.active).unwrap();
    assert!(untouched.webhook_url.is_none());

    // Regenerate: a new URL, both numbers flagged, set on all → configured on the new URL.
    let regenerated = w.core.webhook_regenerate(&connector.id).unwrap();
    assert_eq!(regenerated.needs_reset, 2);
    let new_url = regenerated.url.unwrap();
    assert_ne!(new_url, expected);
    let still = w.core.numbers_refresh(&connector.id).await.unwrap();
    assert!(
        still
            .numbers
            .iter()
            .filter(|n| n.active)
            .all(|n| n.webhook_state == WebhookState::NeedsReset),
        "a refresh keeps the flag until the webhook is set again"
    );
    let second = w
        .core
        .webhook_set(&connector.id, &[], Some(4), &quiet)
        .await
        .unwrap();
    assert_eq!(second.count(JobOutcome::Changed), 2);
    assert_eq!(w.core.webhook_url(&connector.id).unwrap().needs_reset, 0);
    assert!(
        second
            .items
            .iter()
            .all(|i| i.previous_url.as_deref() == Some(expected.as_str()))
    );

    // Rollback of the second job restores the first URL, read back from the sandbox.
    let rollback = w
        .core
        .webhook_rollback(&second.id[..8], Some(4), &quiet)
        .await
        .unwrap();
    assert_eq!(rollback.kind, "rollback");
    assert_eq!(rollback.count(JobOutcome::Changed), 2);
    let restored = w.core.numbers_refresh(&connector.id).await.unwrap();
    for e164 in [&a, &b] {
        let number = restored.numbers.iter().find(|n| &n.e164 == e164).unwrap();
        assert_eq!(number.webhook_url.as_deref(), Some(expected.as_str()));
    }
    let again = w
        .core
        .webhook_rollback(&second.id, Some(4), &quiet)
        .await
        .unwrap_err();
    assert!(again.to_string().contains("rolled back already"));

    let audit = w
        .core
        .audit_log(&switchboard_core::AuditFilter {
            org_id: Some(w.org.clone()),
            limit: Some(1000),
            ..switchboard_core::AuditFilter::default()
        })
        .unwrap()
        .entries;
    for action in [
        "number.activate",
        "webhook.set",
        "webhook.regenerate",
        "webhook.rollback",
    ] {
        assert!(audit.iter().any(|e| e.action == action), "{action} audited");
    }
}

#[tokio::test]
async fn twilio_overrides_are_detected_and_reported_by_drift() {
    let w = world().await;
    let connector = w.seeded_twilio(ConnectorKind::Sms);
    w.core.numbers_refresh(&connector.id).await.unwrap();
    // 0102 hands SMS to an application; 0105 is in a Messaging Service that ignores the number.
    let chosen = strings(&["+14155550101", "+1 415 555 0102", "+14155550105"]);
    w.core
        .numbers_set_active(&connector.id, &chosen, true)
        .unwrap();
    let job = w
        .core
        .webhook_set(&connector.id, &[], Some(2), &quiet)
        .await
        .unwrap();
    assert_eq!(job.count(JobOutcome::Changed), 3, "{job:?}");
    let list = w.core.numbers(&connector.id).unwrap();
    let by = |e164: &str| {
        list.numbers
            .iter()
            .find(|n| n.e164 == e164)
            .unwrap()
            .clone()
    };
    assert_eq!(by("+14155550101").webhook_state, WebhookState::Configured);
    let app = by("+14155550102");
    assert_eq!(app.webhook_state, WebhookState::NotSet);
    assert!(app.webhook_reason.unwrap().contains("application AP"));

    let drift = w.core.drift(Some(&connector.id)).await.unwrap();
    assert_eq!(drift.len(), 3);
    let reasons = |e164: &str| {
        drift
            .iter()
            .find(|d| d.e164 == e164)
            .unwrap()
            .reasons
            .clone()
    };
    assert!(reasons("+14155550101").is_empty());
    assert!(matches!(
        reasons("+14155550102").as_slice(),
        [DriftReason::OverriddenByApplication { .. }]
    ));
    assert!(matches!(
        reasons("+14155550105").as_slice(),
        [DriftReason::OverriddenByMessagingService { .. }]
    ));
    assert_eq!(by("+14155550105").webhook_state, WebhookState::NotSet);
}

#[tokio::test]
async fn a_sender_update_sends_only_the_webhook_and_offline_senders_show_in_drift() {
    let w = world().await;
    let connector = w.seeded_twilio(ConnectorKind::Whatsapp);
    let list = w.core.numbers_refresh(&connector.id).await.unwrap();
    assert!(
        list.numbers
            .iter()
            .all(|n| n.kind == NumberKind::WhatsappSender)
    );
    let online = list
        .numbers
        .iter()
        .find(|n| n.provider_status.as_deref() == Some("ONLINE"))
        .unwrap();
    let offline = list
        .numbers
        .iter()
        .find(|n| n.provider_status.as_deref() == Some("OFFLINE"))
        .unwrap();
    assert!(!offline.offline_reasons.is_empty(), "{offline:?}");
    let chosen = vec![online.e164.clone(), format!("whatsapp:{}", offline.e164)];
    w.core
        .numbers_set_active(&connector.id, &chosen, true)
        .unwrap();
    w.admin(reqwest::Method::DELETE, "requests", json!({}))
        .await;
    let job = w
        .core
        .webhook_set(&connector.id, &[], Some(2), &quiet)
        .await
        .unwrap();
    assert_eq!(job.count(JobOutcome::Changed), 2, "{job:?}");

    let updates: Vec<Value> = w
        .requests()
        .await
        .into_iter()
        .filter(|r| r["method"] == "POST" && r["path"].as_str().unwrap().contains("/Senders/XE"))
        .collect();
    assert_eq!(updates.len(), 2);
    for update in updates {
        let body: Value = match &update["body"] {
            Value::String(text) => serde_json::from_str(text).unwrap(),
            other => other.clone(),
        };
        let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["webhook"], "only the webhook object: {body}");
        assert!(!body.to_string().contains("null"), "no nulls: {body}");
    }

    let drift = w.core.drift(Some(&connector.id)).await.unwrap();
    let off = drift.iter().find(|d| d.e164 == offline.e164).unwrap();
    assert!(
        matches!(&off.reasons[..], [DriftReason::SenderOffline { reasons }] if !reasons.is_empty()),
        "{off:?}"
    );
    assert!(
        drift
            .iter()
            .find(|d| d.e164 == online.e164)
            .unwrap()
            .reasons
            .is_empty()
    );
}

#[tokio::test]
async fn a_sender_that_vanished_is_marked_gone_not_dropped() {
    let w = world().await;
    let connector = w.seeded_twilio(ConnectorKind::Whatsapp);
    let list = w.core.numbers_refresh(&connector.id).await.unwrap();
    let online = list
        .numbers
        .iter()
        .find(|n| n.provider_status.as_deref() == Some("ONLINE"))
        .unwrap()
        .clone();
    w.core
        .numbers_set_active(&connector.id, std::slice::from_ref(&online.e164), true)
        .unwrap();
    w.delete_sender(&online.provider_id).await;

    let after = w.core.numbers_refresh(&connector.id).await.unwrap();
    assert_eq!(after.numbers.len(), list.numbers.len(), "kept in the list");
    let gone = after
        .numbers
        .iter()
        .find(|n| n.e164 == online.e164)
        .unwrap();
    assert!(gone.gone && gone.active);
    assert!(
        after
            .numbers
            .iter()
            .filter(|n| n.e164 != online.e164)
            .all(|n| !n.gone)
    );
    // Those in the account by E.164, then the gone one, last.
    let order: Vec<&str> = after.numbers.iter().map(|n| n.e164.as_str()).collect();
    let mut in_account: Vec<&str> = order[..order.len() - 1].to_vec();
    in_account.sort_unstable();
    assert_eq!(order[..order.len() - 1], in_account[..]);
    assert_eq!(order.last(), Some(&online.e164.as_str()));
    let drift = w.core.drift(Some(&connector.id)).await.unwrap();
    assert_eq!(drift[0].reasons, [DriftReason::NumberGone]);
    let refused = w
        .core
        .webhook_set(
            &connector.id,
            std::slice::from_ref(&online.e164),
            Some(1),
            &quiet,
        )
        .await
        .unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("no longer in the provider account")
    );
}

#[tokio::test]
async fn telnyx_and_46elks_list_set_and_verify() {
    let w = world().await;
    let telnyx_account = w
        .admin(
            reqwest::Method::POST,
            "accounts",
            json!({"provider": "telnyx", "numbers": 260}),
        )
        .await;
    let telnyx = w.connector(
        ConnectorKind::Sms,
        "Telnyx",
        ConnectorSettings::Telnyx(TelnyxSettings {
            base_url: Some(w.sandbox.telnyx_base()),
            from: telnyx_account["numbers"][0].as_str().map(str::to_owned),
            ..TelnyxSettings::default()
        }),
        telnyx_account["telnyx"]["api_key"].as_str().unwrap(),
    );
    let seed = w.sandbox.seed().clone();
    let elks = w.connector(
        ConnectorKind::Sms,
        "46elks",
        ConnectorSettings::Elks46(ElksSettings {
            username: seed.elks.username.clone(),
            base_url: Some(w.sandbox.elks_base()),
            from: Some("+46766860101".into()),
        }),
        &seed.elks.password,
    );
    for (connector, count) in [(&telnyx, 260), (&elks, 3)] {
        let list = w.core.numbers_refresh(&connector.id).await.unwrap();
        assert_eq!(list.numbers.len(), count, "{}", connector.name);
        let first = list.numbers[0].e164.clone();
        w.core
            .numbers_set_active(&connector.id, std::slice::from_ref(&first), true)
            .unwrap();
        let job = w
            .core
            .webhook_set(&connector.id, &[], Some(2), &quiet)
            .await
            .unwrap();
        assert_eq!(job.count(JobOutcome::Changed), 1, "{job:?}");
        let fresh = w.core.numbers_refresh(&connector.id).await.unwrap();
        let number = fresh.numbers.iter().find(|n| n.e164 == first).unwrap();
        assert_eq!(number.webhook_state, WebhookState::Configured, "{number:?}");
        assert_eq!(number.webhook_url, fresh.expected_webhook_url);
        assert!(
            w.core.drift(Some(&connector.id)).await.unwrap()[0]
                .reasons
                .is_empty()
        );
    }
}

#[tokio::test]
async fn bulk_with_faults_ends_every_number_configured_or_failed_with_a_reason() {
    let w = world().await;
    let account = w
        .admin(
            reqwest::Method::POST,
            "accounts",
            json!({"provider": "twilio", "numbers": 40}),
        )
        .await;
    let connector = w.twilio(
        ConnectorKind::Sms,
        account["twilio"]["account_sid"].as_str().unwrap(),
        account["twilio"]["auth_token"].as_str().unwrap(),
        account["numbers"][0].as_str().unwrap(),
    );
    let list = w.core.numbers_refresh(&connector.id).await.unwrap();
    let all: Vec<String> = list.numbers.iter().map(|n| n.e164.clone()).collect();
    w.core
        .numbers_set_active(&connector.id, &all, true)
        .unwrap();
    // A burst of 429s (retried), some 500s (retried: a webhook write is idempotent), a held
    // connection on one number (times out, retried), and one number that always answers 503
    // (fails after the retries, with the reason).
    let doomed = list.numbers[7].provider_id.clone();
    let slow = list.numbers[12].provider_id.clone();
    for fault in [
        json!({"method": "POST", "path": format!("*IncomingPhoneNumbers/{slow}.json"), "kind": "timeout", "count": 1}),
        json!({"method": "POST", "path": "*IncomingPhoneNumbers/*", "status": 429, "count": 10}),
        json!({"method": "POST", "path": "*IncomingPhoneNumbers/*", "status": 500, "count": 3}),
        json!({"method": "POST", "path": format!("*IncomingPhoneNumbers/{doomed}.json"), "status": 503}),
    ] {
        w.admin(reqwest::Method::POST, "faults", fault).await;
    }
    w.admin(reqwest::Method::DELETE, "requests", json!({}))
        .await;
    let seen = std::sync::Mutex::new(Vec::new());
    let job = w
        .core
        .webhook_set(&connector.id, &[], Some(8), &|p| {
            seen.lock().unwrap().push(p.clone())
        })
        .await
        .unwrap();
    let seen = seen.into_inner().unwrap();
    assert_eq!(seen.len(), 41, "a first message, then one per number");
    assert!(seen[0].current.is_none() && seen[0].done == 0 && seen[0].total == 40);
    assert!(
        seen.iter().enumerate().all(|(i, p)| p.done as usize == i),
        "done counts up by one"
    );
    let last = seen.last().unwrap();
    assert_eq!((last.changed, last.failed), (39, 1), "{last:?}");
    assert_eq!(job.items.len(), 40, "nothing silently skipped");
    assert_eq!(job.count(JobOutcome::Pending), 0);
    let failed: Vec<_> = job
        .items
        .iter()
        .filter(|i| i.outcome == JobOutcome::Failed)
        .collect();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0].e164, list.numbers[7].e164);
    // The failure is in the error log too, with the number.
    let log = w
        .core
        .logs(&switchboard_core::LogFilter {
            connector_id: Some(connector.id.clone()),
            action: Some("webhook_set".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(log.entries.len(), 1, "{log:?}");
    assert_eq!(
        log.entries[0].number.as_deref(),
        Some(list.numbers[7].e164.as_str())
    );
    assert!(
        failed[0].reason.as_deref().unwrap_or("").contains("503"),
        "{failed:?}"
    );

    // The sandbox's log says the faults really fired, and how each number got through.
    let writes = w.webhook_writes().await;
    assert_eq!(writes.len(), 40, "every number was written: {writes:?}");
    let tally = |fault: &str| {
        writes
            .values()
            .flatten()
            .filter(|a| a.fault.as_deref() == Some(fault))
            .count()
    };
    assert_eq!(tally("status:429"), 10, "every 429 fired");
    assert_eq!(tally("status:500"), 3, "every 500 fired");
    assert_eq!(tally("timeout"), 1, "the held connection fired");
    assert_eq!(
        writes[&slow],
        [faulted("timeout"), answered(200)],
        "the held write timed out, then the retry landed"
    );
    let doomed_writes = &writes[&doomed];
    // A 429 was never processed: it waits at the account's window and uses up no attempt.
    let counted = doomed_writes
        .iter()
        .filter(|a| a.status != Some(429))
        .count();
    assert_eq!(counted, WRITE_ATTEMPTS, "{doomed_writes:?}");
    assert!(
        doomed_writes.iter().all(|a| a.fault.is_some()),
        "{doomed_writes:?}"
    );
    assert_eq!(doomed_writes.last(), Some(&faulted("status:503")));
    assert_eq!(
        tally("status:503"),
        doomed_writes
            .iter()
            .filter(|a| a.fault.as_deref() == Some("status:503"))
            .count(),
        "503 only on the doomed number"
    );
    for (sid, attempts) in writes.iter().filter(|(sid, _)| **sid != doomed) {
        let (last, retried) = attempts.split_last().unwrap();
        assert_eq!(last, &answered(200), "{sid}: {attempts:?}");
        assert!(
            retried.iter().all(|a| a.fault.is_some()),
            "{sid}: only a faulted write is retried: {attempts:?}"
        );
    }
    let retried = writes.values().filter(|a| a.len() > 1).count();
    assert!(retried >= 4, "faults were spread over numbers: {writes:?}");

    w.admin(reqwest::Method::DELETE, "faults", json!({})).await;
    let numbers = w.core.numbers_refresh(&connector.id).await.unwrap().numbers;
    let expected = w.core.webhook_url(&connector.id).unwrap().url;
    for number in &numbers {
        if number.e164 == failed[0].e164 {
            assert!(number.webhook_url.is_none());
        } else {
            assert_eq!(number.webhook_url, expected, "{}", number.e164);
        }
    }
    // Rollback restores exactly the previous values (none here), read back from the sandbox;
    // the number that answered 503 is restored too (a 5xx write may have landed).
    let rollback = w
        .core
        .webhook_rollback(&job.id, Some(8), &quiet)
        .await
        .unwrap();
    assert_eq!(rollback.count(JobOutcome::Changed), 40);
    let after = w.core.numbers_refresh(&connector.id).await.unwrap().numbers;
    assert!(after.iter().all(|n| n.webhook_url.is_none()));
}

#[tokio::test]
async fn a_number_is_bound_to_one_agent_only_and_unbinding_keeps_the_connector() {
    let w = world().await;
    let connector = w.seeded_twilio(ConnectorKind::Sms);
    w.core.numbers_refresh(&connector.id).await.unwrap();
    let number = "+14155550103".to_owned();
    let agent = |name: &str| {
        w.core
            .agent_create(&AgentDraft {
                org_id: w.org.clone(),
                name: name.into(),
                description: None,
            })
            .unwrap()
    };
    let (front, night) = (agent("Front desk"), agent("Night porter"));
    let inactive = w
        .core
        .channel_bind(&front.id, &connector.id, &number)
        .unwrap_err();
    assert!(inactive.to_string().contains("not active"));
    w.core
        .numbers_set_active(&connector.id, std::slice::from_ref(&number), true)
        .unwrap();
    let channel = w
        .core
        .channel_bind("Front desk", &connector.id, &number)
        .unwrap();
    assert_eq!(channel.agent_name, "Front desk");
    let twice = w
        .core
        .channel_bind(&night.id, &connector.id, &number)
        .unwrap_err();
    assert!(twice.to_string().starts_with("Already bound"), "{twice}");
    let listed = w.core.numbers(&connector.id).unwrap();
    let bound = listed.numbers.iter().find(|n| n.e164 == number).unwrap();
    assert_eq!(bound.agent.as_ref().unwrap().name, "Front desk");
    let deactivate = w
        .core
        .numbers_set_active(&connector.id, std::slice::from_ref(&number), false)
        .unwrap_err();
    assert!(deactivate.to_string().contains("unbind it first"));

    w.core.channel_unbind("Front desk", &number).unwrap();
    assert!(w.core.channels(Some(&w.org)).unwrap().is_empty());
    let kept = w.core.connector(&connector.id).unwrap();
    assert_eq!(kept.settings, connector.settings);
    assert!(
        w.core
            .numbers(&connector.id)
            .unwrap()
            .numbers
            .iter()
            .any(|n| n.e164 == number && n.active)
    );
    w.core
        .channel_bind(&night.id, &connector.id, &number)
        .unwrap();
}

#[test]
fn the_database_refuses_a_second_channel_on_a_number() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("switchboard.db");
    drop(Store::open(&path).unwrap());
    let conn = rusqlite_connection(&path);
    conn.execute_batch(
        "INSERT INTO organizations VALUES ('o', 'Hotel', NULL, 't', 't');
         INSERT INTO connectors (id, org_id, kind, provider, name, settings, webhook_token, created_at, updated_at)
             VALUES ('c', 'o', 'sms', 'twilio', 'SMS', '{}', 'tok', 't', 't');
         INSERT INTO numbers (connector_id, e164, provider_id, kind, active, last_seen_at)
             VALUES ('c', '+14155550101', 'PN1', 'number', 1, 't');
         INSERT INTO agents VALUES ('a1', 'o', 'Front', NULL, 't');
         INSERT INTO agents VALUES ('a2', 'o', 'Night', NULL, 't');
         INSERT INTO channels VALUES ('a1', 'c', '+14155550101', 't');",
    )
    .unwrap();
    let error = conn
        .execute(
            "INSERT INTO channels VALUES ('a2', 'c', '+14155550101', 't')",
            [],
        )
        .unwrap_err();
    assert!(error.to_string().contains("UNIQUE"), "{error}");
}

fn rusqlite_connection(path: &std::path::Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.pragma_update(None, "foreign_keys", "ON").unwrap();
    conn
}

/// A Twilio account of `numbers` plain numbers and an SMS connector on it.
async fn twilio_account(w: &World, numbers: u32) -> (Connector, String, String) {
    let account = w
        .admin(
            reqwest::Method::POST,
            "accounts",
            json!({"provider": "twilio", "numbers": numbers}),
        )
        .await;
    let sid = account["twilio"]["account_sid"]
        .as_str()
        .unwrap()
        .to_owned();
    let token = account["twilio"]["auth_token"].as_str().unwrap().to_owned();
    let from = account["numbers"][0].as_str().unwrap();
    (w.twilio(ConnectorKind::Sms, &sid, &token, from), sid, token)
}

impl World {
    /// Changes a number at the provider behind Switchboard's back (or as a write that landed
    /// although its answer was lost).
    async fn twilio_write(&self, auth: (&str, &str), number_sid: &str, url: &str, method: &str) {
        let (sid, token) = auth;
        let response = self
            .http
            .post(format!(
                "{}/2010-04-01/Accounts/{sid}/IncomingPhoneNumbers/{number_sid}.json",
                self.sandbox.twilio_base()
            ))
            .basic_auth(sid, Some(token))
            .form(&[("SmsUrl", url), ("SmsMethod", method)])
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success(), "{}", response.status());
    }

    async fn telnyx(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let key = self.sandbox.seed().telnyx.api_key.clone();
        let mut request = self
            .http
            .request(method, format!("{}/v2/{path}", self.sandbox.telnyx_base()))
            .bearer_auth(key);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        assert!(
            response.status().is_success(),
            "{path}: {}",
            response.status()
        );
        response.json().await.unwrap()
    }
}

#[tokio::test]
async fn a_set_journals_what_the_provider_has_not_the_cached_list() {
    let w = world().await;
    let (connector, sid, token) = twilio_account(&w, 2).await;
    let list = w.core.numbers_refresh(&connector.id).await.unwrap();
    let number = list.numbers[0].clone();
    assert!(number.webhook_url.is_none());
    w.core
        .numbers_set_active(&connector.id, std::slice::from_ref(&number.e164), true)
        .unwrap();
    // Someone changes the number in the Twilio console after the list was fetched.
    let behind = "https://elsewhere.example/sms";
    w.twilio_write((&sid, &token), &number.provider_id, behind, "POST")
        .await;

    let job = w
        .core
        .webhook_set(&connector.id, &[], None, &quiet)
        .await
        .unwrap();
    assert_eq!(job.items.len(), 1);
    assert_eq!(
        job.items[0].previous_url.as_deref(),
        Some(behind),
        "the journal holds what the provider had, not the cached list"
    );
    w.core
        .webhook_rollback(&job.id, None, &quiet)
        .await
        .unwrap();
    let after = w.core.numbers_refresh(&connector.id).await.unwrap();
    let restored = after
        .numbers
        .iter()
        .find(|n| n.e164 == number.e164)
        .unwrap();
    assert_eq!(restored.webhook_url.as_deref(), Some(behind));
}

#[tokio::test]
async fn rollback_restores_numbers_whose_failed_write_may_have_landed() {
    let w = world().await;
    let (connector, sid, token) = twilio_account(&w, 3).await;
    let list = w.core.numbers_refresh(&connector.id).await.unwrap();
    let [five, held, refused] = [0, 1, 2].map(|i| list.numbers[i].clone());
    let old = |n: &switchboard_core::numbers::PhoneNumber| {
        format!("https://old.example/{}", n.provider_id)
    };
    for number in [&five, &held, &refused] {
        w.twilio_write((&sid, &token), &number.provider_id, &old(number), "POST")
            .await;
    }
    let all: Vec<String> = list.numbers.iter().map(|n| n.e164.clone()).collect();
    w.core
        .numbers_set_active(&connector.id, &all, true)
        .unwrap();
    // Every attempt on `five` answers 500 and every one on `held` times out; `refused` gets a
    // 400 (the provider said no: certainly not applied).
    for fault in [
        json!({"method": "POST", "path": format!("*IncomingPhoneNumbers/{}.json", five.provider_id), "status": 500}),
        json!({"method": "POST", "path": format!("*IncomingPhoneNumbers/{}.json", held.provider_id), "kind": "timeout"}),
        json!({"method": "POST", "path": format!("*IncomingPhoneNumbers/{}.json", refused.provider_id), "status": 400}),
    ] {
        w.admin(reqwest::Method::POST, "faults", fault).await;
    }
    w.admin(reqwest::Method::DELETE, "requests", json!({}))
        .await;
    let job = w
        .core
        .webhook_set(&connector.id, &[], None, &quiet)
        .await
        .unwrap();
    assert_eq!(job.count(JobOutcome::Failed), 3, "{job:?}");
    // The faults really fired: the 500s and the timeouts on every attempt the policy allows (a
    // webhook write may be repeated), the 400 once (the provider said no).
    let writes = w.webhook_writes().await;
    assert_eq!(
        writes[&five.provider_id],
        vec![faulted("status:500"); WRITE_ATTEMPTS]
    );
    assert_eq!(
        writes[&held.provider_id],
        vec![faulted("timeout"); WRITE_ATTEMPTS]
    );
    assert_eq!(writes[&refused.provider_id], [faulted("status:400")]);
    let item = |e164: &str| job.items.iter().find(|i| i.e164 == e164).unwrap().clone();
    assert!(item(&five.e164).may_have_landed && item(&held.e164).may_have_landed);
    assert!(!item(&refused.e164).may_have_landed);

    // The two writes did reach Twilio; only their answers were lost.
    w.admin(reqwest::Method::DELETE, "faults", json!({})).await;
    let expected = w.core.webhook_url(&connector.id).unwrap().url.unwrap();
    for number in [&five, &held] {
        w.twilio_write((&sid, &token), &number.provider_id, &expected, "POST")
            .await;
    }
    let rollback = w
        .core
        .webhook_rollback(&job.id, None, &quiet)
        .await
        .unwrap();
    let mut rolled: Vec<&str> = rollback.items.iter().map(|i| i.e164.as_str()).collect();
    rolled.sort_unstable();
    let mut wanted = vec![five.e164.as_str(), held.e164.as_str()];
    wanted.sort_unstable();
    assert_eq!(rolled, wanted, "the refused number is left alone");
    assert_eq!(rollback.count(JobOutcome::Changed), 2, "{rollback:?}");
    let after = w.core.numbers_refresh(&connector.id).await.unwrap();
    for number in [&five, &held, &refused] {
        let now = after
            .numbers
            .iter()
            .find(|n| n.e164 == number.e164)
            .unwrap();
        assert_eq!(
            now.webhook_url.as_deref(),
            Some(old(number).as_str()),
            "{}",
            number.e164
        );
    }
}

#[tokio::test]
async fn rollback_gives_a_twilio_number_its_get_method_back() {
    let w = world().await;
    let (connector, sid, token) = twilio_account(&w, 1).await;
    let list = w.core.numbers_refresh(&connector.id).await.unwrap();
    let number = list.numbers[0].clone();
    let old = "https://old.example/sms-by-get";
    w.twilio_write((&sid, &token), &number.provider_id, old, "GET")
        .await;
    w.core
        .numbers_set_active(&connector.id, std::slice::from_ref(&number.e164), true)
        .unwrap();
    let job = w
        .core
        .webhook_set(&connector.id, &[], None, &quiet)
        .await
        .unwrap();
    assert_eq!(job.items[0].previous_method.as_deref(), Some("GET"));
    let set = w.core.numbers_refresh(&connector.id).await.unwrap();
    assert_eq!(set.numbers[0].webhook_method.as_deref(), Some("POST"));

    w.core
        .webhook_rollback(&job.id, None, &quiet)
        .await
        .unwrap();
    let after = w.core.numbers_refresh(&connector.id).await.unwrap();
    assert_eq!(after.numbers[0].webhook_url.as_deref(), Some(old));
    assert_eq!(
        after.numbers[0].webhook_method.as_deref(),
        Some("GET"),
        "the previous SmsMethod comes back"
    );
}

#[tokio::test]
async fn rollback_puts_a_telnyx_number_back_on_its_old_profile() {
    let w = world().await;
    // The seeded numbers are on "Sandbox profile", but the last, which is on none. The connector
    // uses another profile: a set moves the numbers onto it.
    let profiles = w
        .telnyx(reqwest::Method::GET, "messaging_profiles", None)
        .await;
    let old_profile = profiles["data"][0]["id"].as_str().unwrap().to_owned();
    let old_url = "https://old.example/telnyx";
    w.telnyx(
        reqwest::Method::PATCH,
        &format!("messaging_profiles/{old_profile}"),
        Some(json!({"webhook_url": old_url})),
    )
    .await;
    let created = w
        .telnyx(
            reqwest::Method::POST,
            "messaging_profiles",
            Some(json!({"name": "Switchboard", "whitelisted_destinations": ["US"]})),
        )
        .await;
    let new_profile = created["data"]["id"].as_str().unwrap().to_owned();
    let seed = w.sandbox.seed().clone();
    let connector = w.connector(
        ConnectorKind::Sms,
        "Telnyx",
        ConnectorSettings::Telnyx(TelnyxSettings {
            base_url: Some(w.sandbox.telnyx_base()),
            messaging_profile_id: Some(new_profile.clone()),
            from: Some("+13125550101".into()),
            public_key: None,
        }),
        &seed.telnyx.api_key,
    );
    let list = w.core.numbers_refresh(&connector.id).await.unwrap();
    let on_old = list
        .numbers
        .iter()
        .find(|n| n.webhook_url.as_deref() == Some(old_url))
        .unwrap()
        .clone();
    let on_none = list
        .numbers
        .iter()
        .find(|n| n.webhook_url.is_none())
        .unwrap()
        .clone();
    let chosen = vec![on_old.e164.clone(), on_none.e164.clone()];
    w.core
        .numbers_set_active(&connector.id, &chosen, true)
        .unwrap();
    let profile_of = |id: String| {
        let w = &w;
        async move {
            let settings = w
                .telnyx(
                    reqwest::Method::GET,
                    &format!("phone_numbers/{id}/messaging"),
                    None,
                )
                .await;
            settings["data"]["messaging_profile_id"]
                .as_str()
                .map(str::to_owned)
        }
    };

    let job = w
        .core
        .webhook_set(&connector.id, &[], None, &quiet)
        .await
        .unwrap();
    assert_eq!(job.count(JobOutcome::Changed), 2, "{job:?}");
    for number in [&on_old, &on_none] {
        assert_eq!(
            profile_of(number.provider_id.clone()).await.as_deref(),
            Some(new_profile.as_str())
        );
    }

    let rollback = w
        .core
        .webhook_rollback(&job.id, None, &quiet)
        .await
        .unwrap();
    assert_eq!(rollback.count(JobOutcome::Changed), 2, "{rollback:?}");
    assert_eq!(
        profile_of(on_old.provider_id.clone()).await.as_deref(),
        Some(old_profile.as_str()),
        "back on its old profile"
    );
    assert_eq!(
        profile_of(on_none.provider_id.clone()).await,
        None,
        "back on no profile"
    );
    let after = w.core.numbers_refresh(&connector.id).await.unwrap();
    let restored = after
        .numbers
        .iter()
        .find(|n| n.e164 == on_old.e164)
        .unwrap();
    assert_eq!(restored.webhook_url.as_deref(), Some(old_url));
}

/// Every admin action, each followed by a read of the audit log: the newest entry is that action,
/// with what it changed from and to, and no secret anywhere in the log.
#[tokio::test]
async fn every_admin_action_is_audited_with_before_and_after() {
    use switchboard_core::{AuditEntry, AuditFilter};

    let w = world().await;
    let newest = |w: &World| -> AuditEntry {
        w.core
            .audit_log(&AuditFilter {
                org_id: Some(w.org.clone()),
                limit: Some(1),
                ..AuditFilter::default()
            })
            .unwrap()
            .entries
            .remove(0)
    };
    let check = |w: &World, action: &str, before: Option<&str>, after: Option<&str>| {
        let entry = newest(w);
        assert_eq!(entry.action, action);
        match before {
            Some(text) => assert!(
                entry.before.as_deref().unwrap_or_default().contains(text),
                "{action} before: {:?}",
                entry.before
            ),
            None => assert_eq!(entry.before, None, "{action} before"),
        }
        match after {
            Some(text) => assert!(
                entry.after.as_deref().unwrap_or_default().contains(text),
                "{action} after: {:?}",
                entry.after
            ),
            None => assert_eq!(entry.after, None, "{action} after"),
        }
        entry
    };

    check(&w, "organization.create", None, Some("Grand Hotel"));
    w.core
        .organization_update(
            &w.org,
            &OrganizationDraft {
                name: "Grand Hotel".into(),
                inbound_base_url: Some("https://in.grand-hotel.example".into()),
            },
        )
        .unwrap();
    check(
        &w,
        "organization.inbound_base_url",
        Some(BASE),
        Some("https://in.grand-hotel.example"),
    );
    w.core
        .organization_update(
            &w.org,
            &OrganizationDraft {
                name: "Grand Hotel Stockholm".into(),
                inbound_base_url: Some("https://in.grand-hotel.example".into()),
            },
        )
        .unwrap();
    check(
        &w,
        "organization.rename",
        Some("Grand Hotel"),
        Some("Grand Hotel Stockholm"),
    );

    let agent = w
        .core
        .agent_create(&AgentDraft {
            org_id: w.org.clone(),
            name: "Front desk".into(),
            description: Some("Days".into()),
        })
        .unwrap();
    check(&w, "agent.create", None, Some("Days"));
    w.core.agent_rename(&agent.id, "Reception desk").unwrap();
    check(
        &w,
        "agent.rename",
        Some("Front desk"),
        Some("Reception desk"),
    );

    let seed = w.sandbox.seed().twilio.clone();
    let connector = w.seeded_twilio(ConnectorKind::Sms);
    // Creating with a secret records the secret as set (never its value) after the creation.
    check(
        &w,
        "connector.secret_replaced",
        None,
        Some("a new secret is in the system keychain"),
    );
    let created = w
        .core
        .audit_log(&AuditFilter {
            org_id: Some(w.org.clone()),
            actions: vec!["connector.create".into()],
            ..AuditFilter::default()
        })
        .unwrap()
        .entries;
    assert_eq!(created.len(), 1);
    assert!(created[0].before.is_none());
    assert!(
        created[0]
            .after
            .as_deref()
            .unwrap()
            .contains(&seed.account_sid)
    );

    let mut draft = ConnectorDraft {
        org_id: w.org.clone(),
        kind: ConnectorKind::Sms,
        name: "Reception SMS".into(),
        settings: connector.settings.clone(),
        recipients: vec![],
        receive_inbound: true,
        secret: None,
    };
    w.core.connector_update(&connector.id, &draft).unwrap();
    check(
        &w,
        "connector.update",
        Some(&connector.name),
        Some("Reception SMS"),
    );
    draft.secret = Some(seed.auth_token.clone());
    w.core.connector_update(&connector.id, &draft).unwrap();
    let replaced = check(
        &w,
        "connector.secret_replaced",
        None,
        Some("a new secret is in the system keychain"),
    );
    assert_eq!(
        replaced.connector_id.as_deref(),
        Some(connector.id.as_str())
    );

    w.core.numbers_refresh(&connector.id).await.unwrap();
    let number = "+14155550103".to_owned();
    w.core
        .numbers_set_active(&connector.id, std::slice::from_ref(&number), true)
        .unwrap();
    let activated = check(&w, "number.activate", Some("inactive"), Some("active"));
    assert_eq!(activated.target, number);
    w.core
        .webhook_set(
            &connector.id,
            std::slice::from_ref(&number),
            Some(4),
            &quiet,
        )
        .await
        .unwrap();
    let set = check(
        &w,
        "webhook.set",
        Some(""),
        Some("https://in.grand-hotel.example/inbound/"),
    );
    assert!(
        set.after.unwrap().ends_with("/[redacted]"),
        "no webhook token"
    );

    w.core
        .channel_bind(&agent.id, &connector.id, &number)
        .unwrap();
    check(&w, "channel.bind", None, Some("agent Reception desk"));
    w.core.channel_unbind(&agent.id, &number).unwrap();
    check(&w, "channel.unbind", Some("agent Reception desk"), None);
    w.core
        .channel_bind(&agent.id, &connector.id, &number)
        .unwrap();
    w.core.agent_delete(&agent.id).unwrap();
    check(
        &w,
        "agent.delete",
        Some(&format!("agent Reception desk answering on {number}")),
        None,
    );
    assert!(w.core.channels(Some(&w.org)).unwrap().is_empty());
    w.core
        .numbers_set_active(&connector.id, std::slice::from_ref(&number), false)
        .unwrap();
    check(&w, "number.deactivate", Some("active"), Some("inactive"));

    w.core.connector_delete(&connector.id).unwrap();
    check(&w, "connector.delete", Some("Reception SMS"), None);
    // The removed connector's entries are still found by its id.
    let of_removed = w
        .core
        .audit_log(&AuditFilter {
            connector_id: Some(connector.id.clone()),
            limit: Some(1000),
            ..AuditFilter::default()
        })
        .unwrap();
    assert!(of_removed.entries.len() >= 8);

    let everything = serde_json::to_string(
        &w.core
            .audit_log(&AuditFilter {
                limit: Some(1000),
                ..AuditFilter::default()
            })
            .unwrap(),
    )
    .unwrap();
    assert!(
        !everything.contains(&seed.auth_token),
        "a secret reached the audit log"
    );
}

/// Two jobs on one Twilio account (two connectors), the sandbox refusing more than 4 requests
/// in flight and the app not told: the shared window finds the limit and every number ends
/// with its job's URL. Today's fixed 8 per job (16 at once) left numbers failed with 429.
#[tokio::test]
async fn jobs_on_one_account_share_its_window_and_every_number_ends_right() {
    let w = world().await;
    let (first, sid, token) = twilio_account(&w, 60).await;
    let second = w.connector(
        ConnectorKind::Sms,
        "Second desk",
        ConnectorSettings::Twilio(TwilioSettings {
            account_sid: sid.clone(),
            base_url: Some(w.sandbox.twilio_base()),
            from: match &first.settings {
                ConnectorSettings::Twilio(twilio) => twilio.from.clone(),
                _ => None,
            },
            ..TwilioSettings::default()
        }),
        &token,
    );
    assert!(Arc::ptr_eq(
        &w.core.account_limiter(&first),
        &w.core.account_limiter(&second)
    ));
    let list = w.core.numbers_refresh(&first.id).await.unwrap();
    w.core.numbers_refresh(&second.id).await.unwrap();
    let all: Vec<String> = list.numbers.iter().map(|n| n.e164.clone()).collect();
    let (one, two) = all.split_at(30);
    w.core.numbers_set_active(&first.id, one, true).unwrap();
    w.core.numbers_set_active(&second.id, two, true).unwrap();
    w.admin(reqwest::Method::POST, "latency", json!({"ms": 20}))
        .await;
    w.admin(reqwest::Method::POST, "concurrency", json!({"limit": 4}))
        .await;
    w.admin(reqwest::Method::DELETE, "requests", json!({}))
        .await;

    let (a, b) = tokio::join!(
        w.core.webhook_set(&first.id, &[], None, &quiet),
        w.core.webhook_set(&second.id, &[], None, &quiet)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.count(JobOutcome::Changed), 30, "{a:#?}");
    assert_eq!(b.count(JobOutcome::Changed), 30, "{b:#?}");
    let throttled = w
        .requests()
        .await
        .iter()
        .filter(|r| r["status"] == 429)
        .count();
    // The window started above the limit (32): it was found by 429s (the first burst's
    // overshoot, at most 31), then held at it with few probes.
    assert!(throttled > 0);
    assert!(throttled <= 31 + 8, "{throttled} requests refused");
    let window = w.core.account_limiter(&first).snapshot();
    assert_eq!(window.ceiling(), Some(4));
    assert!(window.allowed() <= 4);

    w.admin(reqwest::Method::POST, "concurrency", json!({"limit": null}))
        .await;
    for (connector, numbers) in [(&first, one), (&second, two)] {
        let expected = w.core.webhook_url(&connector.id).unwrap().url;
        let fresh = w.core.numbers_refresh(&connector.id).await.unwrap();
        for number in fresh.numbers.iter().filter(|n| numbers.contains(&n.e164)) {
            assert_eq!(number.webhook_url, expected, "{}", number.e164);
        }
    }
}

/// A 429 with Retry-After pauses the account's attempts; the job still ends every number
/// right (the pause is honoured, not counted as a failed attempt).
#[tokio::test]
async fn a_retry_after_pause_is_honoured_and_every_number_ends_right() {
    let w = world().await;
    let (connector, _, _) = twilio_account(&w, 24).await;
    let list = w.core.numbers_refresh(&connector.id).await.unwrap();
    let all: Vec<String> = list.numbers.iter().map(|n| n.e164.clone()).collect();
    w.core
        .numbers_set_active(&connector.id, &all, true)
        .unwrap();
    w.admin(reqwest::Method::POST, "latency", json!({"ms": 20}))
        .await;
    w.admin(
        reqwest::Method::POST,
        "concurrency",
        json!({"limit": 3, "retry_after": 1}),
    )
    .await;
    w.admin(reqwest::Method::DELETE, "requests", json!({}))
        .await;
    let job = w
        .core
        .webhook_set(&connector.id, &[], None, &quiet)
        .await
        .unwrap();
    assert_eq!(job.count(JobOutcome::Changed), 24, "{job:#?}");
    let requests = w.requests().await;
    assert!(requests.iter().any(|r| r["status"] == 429));
    let window = w.core.account_limiter(&connector).snapshot();
    assert!(window.throttled > 0 && window.allowed() <= 3);
}

/// One bulk job per connector: two services on one data folder (as the app and the CLI are)
/// start a job on one connector at once; exactly one runs, the other is refused with
/// `job_running` (and so are a resume and a rollback of the running job), the journal holds the
/// running job's numbers only, and every number ends with the URL. A job on another connector
/// runs meanwhile. Without the lock both jobs ran, interleaving their writes and journals.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_jobs_on_one_connector_at_once_one_runs_the_other_is_refused() {
    use switchboard_core::numbers::WebhookJob;
    use switchboard_core::{CoreError, ErrorCode, FailureCode};

    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemorySecretStore::default());
    let open = || {
        Switchboard::open_with_secrets(dir.path(), secrets.clone())
            .unwrap()
            .with_provider_timeout(std::time::Duration::from_secs(5))
    };
    let mut w = world().await;
    w.core = open();
    let second = open();
    w.org = w
        .core
        .organization_create(&OrganizationDraft {
            name: "Grand Hotel".into(),
            inbound_base_url: Some(BASE.into()),
        })
        .unwrap()
        .id;
    let (connector, _, _) = twilio_account(&w, 12).await;
    let (other, _, _) = twilio_account(&w, 4).await;
    for c in [&connector, &other] {
        let list = w.core.numbers_refresh(&c.id).await.unwrap();
        let all: Vec<String> = list.numbers.iter().map(|n| n.e164.clone()).collect();
        w.core.numbers_set_active(&c.id, &all, true).unwrap();
    }
    w.admin(reqwest::Method::POST, "latency", json!({"ms": 200}))
        .await;

    let (started, mut journaled) = tokio::sync::mpsc::unbounded_channel();
    let progress = move |p: &switchboard_core::numbers::JobProgress| {
        let _ = started.send(p.job_id.clone());
    };
    let first = w.core.clone();
    let running = {
        let id = connector.id.clone();
        tokio::spawn(async move { first.webhook_set(&id, &[], Some(2), &progress).await })
    };
    let job_id = journaled.recv().await.unwrap();

    let is_refused = |result: Result<WebhookJob, CoreError>| match result {
        Err(error) => {
            assert_eq!(
                error.code(),
                FailureCode::Core(ErrorCode::JobRunning),
                "{error}"
            );
            assert!(error.to_string().contains(&connector.name), "{error}");
        }
        Ok(job) => panic!("a second job ran beside the first: {job:#?}"),
    };
    is_refused(second.webhook_set(&connector.id, &[], None, &quiet).await);
    is_refused(second.webhook_resume(&job_id, None, &quiet).await);
    is_refused(second.webhook_rollback(&job_id, None, &quiet).await);
    // Within one service the same.
    is_refused(w.core.webhook_set(&connector.id, &[], None, &quiet).await);
    // Another connector runs at once.
    let beside = second
        .webhook_set(&other.id, &[], None, &quiet)
        .await
        .unwrap();
    assert_eq!(beside.count(JobOutcome::Changed), 4);

    let done = running.await.unwrap().unwrap();
    assert_eq!(done.count(JobOutcome::Changed), 12, "{done:#?}");
    let jobs = second.webhook_jobs(&connector.id).unwrap();
    assert_eq!(
        jobs.len(),
        1,
        "only the running job was journaled: {jobs:#?}"
    );
    assert_eq!(jobs[0].id, job_id);
    assert_eq!(jobs[0].items.len(), 12);
    w.admin(reqwest::Method::POST, "latency", json!({"ms": 0}))
        .await;
    let expected = w.core.webhook_url(&connector.id).unwrap().url;
    let fresh = second.numbers_refresh(&connector.id).await.unwrap();
    for number in &fresh.numbers {
        assert_eq!(number.webhook_url, expected, "{}", number.e164);
    }
    // The job over, the connector is free again, from either service.
    let rollback = second
        .webhook_rollback(&job_id, None, &quiet)
        .await
        .unwrap();
    assert_eq!(rollback.count(JobOutcome::Changed), 12);
}

#[tokio::test]
async fn the_list_is_read_a_page_at_a_time_in_its_own_order_with_its_counts() {
    let w = world().await;
    let connector = w.seeded_twilio(ConnectorKind::Whatsapp);
    let list = w.core.numbers_refresh(&connector.id).await.unwrap();
    assert!(list.numbers.len() >= 3, "a few numbers to page through");
    let chosen = [list.numbers[1].e164.clone()];
    w.core
        .numbers_set_active(&connector.id, &chosen, true)
        .unwrap();
    let whole = w.core.numbers(&connector.id).unwrap();

    // Pages of two, put together, are the whole list in its order, each with the list's counts.
    let mut paged = Vec::new();
    let mut offset = 0;
    loop {
        let page = w.core.numbers_page(&connector.id, offset, 2).unwrap();
        assert_eq!(page.total as usize, whole.numbers.len());
        assert_eq!(page.active, 1);
        assert_eq!(page.offset, offset);
        assert_eq!(page.fetched_at, whole.fetched_at);
        if page.numbers.is_empty() {
            break;
        }
        assert!(page.numbers.len() <= 2);
        paged.extend(page.numbers);
        offset += 2;
    }
    assert_eq!(paged, whole.numbers);

    // A refresh that only counts (the window's): the same list kept, its size and time told.
    let fetched = w.core.numbers_fetch(&connector.id).await.unwrap();
    assert_eq!(fetched.total as usize, whole.numbers.len());
    assert_eq!(fetched.active, 1, "activation survives a refresh");
    assert!(!fetched.freshness.stale);
    let after = w.core.numbers(&connector.id).unwrap();
    assert_eq!(fetched.fetched_at, after.fetched_at);
    assert_ne!(
        fetched.fetched_at, whole.fetched_at,
        "the time of this fetch"
    );
    assert_eq!(
        after.numbers.iter().map(|n| &n.e164).collect::<Vec<_>>(),
        whole.numbers.iter().map(|n| &n.e164).collect::<Vec<_>>()
    );

    // A page too small or too large names the argument; a page past the end is empty.
    for limit in [0, MAX_PAGE + 1] {
        let refused = w.core.numbers_page(&connector.id, 0, limit).unwrap_err();
        assert_eq!(refused.fields()[0].field, "limit", "{refused}");
    }
    assert!(
        w.core
            .numbers_page(&connector.id, u32::MAX, MAX_PAGE)
            .unwrap()
            .numbers
            .is_empty()
    );
    assert!(matches!(
        w.core.numbers_page("no-such-connector", 0, 10),
        Err(switchboard_core::CoreError::NotFound { .. })
    ));
}

/// What the pickers of an agent's channel and a test send's sender offer: the active numbers
/// still in the account, by E.164; not the inactive ones, not an active one that vanished.
#[tokio::test]
async fn the_active_numbers_are_those_in_use_and_still_in_the_account() {
    let w = world().await;
    let connector = w.seeded_twilio(ConnectorKind::Whatsapp);
    let list = w.core.numbers_refresh(&connector.id).await.unwrap();
    assert!(list.numbers.len() >= 3, "{list:?}");
    let chosen: Vec<String> = list.numbers[..3].iter().map(|n| n.e164.clone()).collect();
    w.core
        .numbers_set_active(&connector.id, &chosen, true)
        .unwrap();
    let active = w.core.numbers_active(&connector.id).unwrap();
    let e164s: Vec<&str> = active.numbers.iter().map(|n| n.e164.as_str()).collect();
    let mut sorted = chosen.clone();
    sorted.sort_unstable();
    assert_eq!(e164s, sorted, "{active:?}");
    assert_eq!(active.fetched_at, list.fetched_at);
    // Each with the agent it is bound to: the picker shows "Already bound" from it.
    let front = w
        .core
        .agent_create(&AgentDraft {
            org_id: w.org.clone(),
            name: "Front desk".into(),
            description: None,
        })
        .unwrap();
    w.core
        .channel_bind(&front.id, &connector.id, &sorted[1])
        .unwrap();
    let active = w.core.numbers_active(&connector.id).unwrap();
    let bound: Vec<(&str, Option<&str>)> = active
        .numbers
        .iter()
        .map(|n| (n.e164.as_str(), n.agent.as_ref().map(|a| a.name.as_str())))
        .collect();
    assert_eq!(
        bound,
        [
            (sorted[0].as_str(), None),
            (sorted[1].as_str(), Some("Front desk")),
            (sorted[2].as_str(), None),
        ]
    );

    // One of them leaves the account: still active in the kept list, no longer offered.
    let vanished = &list.numbers[0];
    w.delete_sender(&vanished.provider_id).await;
    w.core.numbers_refresh(&connector.id).await.unwrap();
    let active = w.core.numbers_active(&connector.id).unwrap();
    assert!(active.numbers.iter().all(|n| n.active && !n.gone));
    assert_eq!(active.numbers.len(), 2, "{active:?}");
    assert!(active.numbers.iter().all(|n| n.e164 != vanished.e164));
    let unknown = w.core.numbers_active("no-such-connector").unwrap_err();
    assert!(
        unknown.to_string().contains("no-such-connector"),
        "{unknown}"
    );
}
