//! Statistics over a scripted sequence of attempts (clock injected), and the error log's filters,
//! paging and CSV.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::store::{NewAttempt, Update};
use super::{MessageKind, Outcome};
use crate::logs::{LogFilter, NewLogEntry, csv_field};
use crate::model::{
    ConnectorDraft, ConnectorKind, ConnectorSettings, OrganizationDraft, TwilioSettings,
};
use crate::{MemorySecretStore, Store, Switchboard};

fn core() -> (Switchboard, String) {
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
    let connector = core
        .connector_create(&ConnectorDraft {
            org_id: org.id,
            kind: ConnectorKind::Whatsapp,
            name: "Front desk".into(),
            settings: ConnectorSettings::Twilio(TwilioSettings {
                account_sid: "AC0123456789abcdef0123456789abcdef".into(),
                from: Some("+14155550101".into()),
                ..TwilioSettings::default()
            }),
            recipients: vec![],
            receive_inbound: true,
            secret: Some("token".into()),
        })
        .unwrap();
    (core, connector.id)
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

/// One attempt made at `created`, going through `steps` (status, outcome, final, code, time).
fn script(
    core: &Switchboard,
    connector: &str,
    id: &str,
    created: &str,
    steps: &[(&str, Outcome, bool, Option<&str>, &str)],
) {
    let connector = core.connector(connector).unwrap();
    core.store()
        .insert_attempt(&NewAttempt {
            id,
            connector_id: &connector.id,
            org_id: &connector.org_id,
            provider: "twilio",
            channel: "whatsapp",
            from: "+14155550101",
            to: "+46701234567",
            kind: MessageKind::Text,
            body: Some("Hello"),
            template_sid: None,
            template_variables: None,
            media_urls: "[]".into(),
            validity_period: None,
            status_callback: None,
            now: created,
        })
        .unwrap();
    for (status, outcome, is_final, code, time) in steps {
        core.store()
            .update_attempt(
                id,
                &Update {
                    status: (*status).into(),
                    outcome: Some(*outcome),
                    r#final: *is_final,
                    provider_message_id: Some(format!("SM{id}")),
                    error_code: code.map(str::to_owned),
                    error_kind: code.map(|_| "INVALID_RECIPIENT".to_owned()),
                    accepted: true,
                    ..Update::default()
                },
                time,
            )
            .unwrap();
        if outcome == &Outcome::Failed {
            core.store()
                .insert_log(&NewLogEntry {
                    connector_id: Some(&connector.id),
                    org_id: None,
                    level: "error",
                    kind: Some("INVALID_RECIPIENT"),
                    code: *code,
                    message: "Unreachable destination handset",
                    action: "send",
                    number: Some("+46701234567"),
                    attempt_id: Some(id),
                    at: time,
                })
                .unwrap();
        }
    }
}

#[test]
fn a_scripted_sequence_gives_exactly_the_eight_figures_across_a_month_boundary() {
    let (core, connector) = core();
    let empty = core
        .messaging_stats_at(&connector, 30, at("2026-01-31T12:00:00Z"))
        .unwrap();
    assert_eq!(
        (empty.total_sent, empty.total_fails, empty.attempts),
        (0, 0, 0)
    );
    assert_eq!(empty.success_rate, None);
    assert!(empty.last_sent.is_none() && empty.last_error.is_none());

    use Outcome::*;
    // January: two delivered, one still "sent" (counts as sent), one undelivered.
    script(
        &core,
        &connector,
        "a1",
        "2026-01-30T10:00:00.000Z",
        &[
            ("queued", Sent, false, None, "2026-01-30T10:00:00.100Z"),
            (
                "delivered",
                Delivered,
                true,
                None,
                "2026-01-30T10:00:02.100Z",
            ),
        ],
    );
    script(
        &core,
        &connector,
        "a2",
        "2026-01-31T23:59:59.000Z",
        &[
            ("queued", Sent, false, None, "2026-01-31T23:59:59.100Z"),
            (
                "delivered",
                Delivered,
                true,
                None,
                "2026-02-01T00:00:03.100Z",
            ),
        ],
    );
    script(
        &core,
        &connector,
        "a3",
        "2026-01-31T08:00:00.000Z",
        &[
            ("queued", Sent, false, None, "2026-01-31T08:00:00.100Z"),
            ("sent", Sent, false, None, "2026-01-31T08:00:01.000Z"),
        ],
    );
    script(
        &core,
        &connector,
        "a4",
        "2026-01-31T09:00:00.000Z",
        &[
            ("queued", Sent, false, None, "2026-01-31T09:00:00.100Z"),
            (
                "undelivered",
                Failed,
                true,
                Some("30003"),
                "2026-01-31T09:00:05.000Z",
            ),
        ],
    );
    // February: one delivered, one refused at once, one unknown (counted nowhere yet).
    script(
        &core,
        &connector,
        "b1",
        "2026-02-01T00:00:00.000Z",
        &[
            ("queued", Sent, false, None, "2026-02-01T00:00:00.100Z"),
            (
                "delivered",
                Delivered,
                true,
                None,
                "2026-02-01T00:00:10.100Z",
            ),
        ],
    );
    script(
        &core,
        &connector,
        "b2",
        "2026-02-02T07:00:00.000Z",
        &[(
            "refused",
            Failed,
            true,
            Some("21211"),
            "2026-02-02T07:00:00.200Z",
        )],
    );
    script(
        &core,
        &connector,
        "b3",
        "2026-02-02T08:00:00.000Z",
        &[("unknown", Unknown, false, None, "2026-02-02T08:00:01.000Z")],
    );

    // Seen on the last day of January, the February sends are in the future of that month.
    let january = core
        .messaging_stats_at(&connector, 30, at("2026-01-31T23:59:59.500Z"))
        .unwrap();
    assert_eq!(january.sent_this_month, 3, "a1, a2, a3");

    let stats = core
        .messaging_stats_at(&connector, 7, at("2026-02-02T12:00:00Z"))
        .unwrap();
    assert_eq!(stats.total_sent, 4, "a1, a2, a3, b1");
    assert_eq!(stats.total_fails, 2, "a4, b2");
    assert_eq!(stats.attempts, 6);
    assert_eq!(stats.sent_this_month, 1, "only b1 was sent in February");
    assert_eq!(stats.success_rate, Some(66.7));
    assert_eq!(stats.last_sent.as_deref(), Some("2026-02-01T00:00:00.000Z"));
    assert_eq!(
        stats.last_failed.as_deref(),
        Some("2026-02-02T07:00:00.200Z")
    );
    let last_error = stats.last_error.clone().unwrap();
    assert_eq!(last_error.code.as_deref(), Some("21211"));
    assert_eq!(last_error.at, "2026-02-02T07:00:00.200Z");

    // The chart: seven days ending today, oldest first, days without sends at zero.
    let days: Vec<(&str, u32, u32)> = stats
        .per_day
        .iter()
        .map(|d| (d.day.as_str(), d.sent, d.failed))
        .collect();
    assert_eq!(
        days,
        [
            ("2026-01-27", 0, 0),
            ("2026-01-28", 0, 0),
            ("2026-01-29", 0, 0),
            ("2026-01-30", 1, 0),
            ("2026-01-31", 2, 1),
            ("2026-02-01", 1, 0),
            ("2026-02-02", 0, 1),
        ]
    );
    let codes: Vec<(&str, u32)> = stats
        .top_errors
        .iter()
        .map(|e| (e.code.as_str(), e.count))
        .collect();
    assert_eq!(codes, [("21211", 1), ("30003", 1)]);
    assert!(stats.top_errors.iter().all(|e| e.fix.is_some()));
    // Delivery times 2 s, 4 s and 10 s: nearest-rank p50 = 4 s, p95 = 10 s.
    assert_eq!(stats.delivery_p50_ms, Some(4_000));
    assert_eq!(stats.delivery_p95_ms, Some(10_000));

    // The CLI's eight keys, exactly.
    let json = serde_json::to_value(&stats).unwrap();
    for key in [
        "totalSent",
        "totalFails",
        "sentThisMonth",
        "successRate",
        "attempts",
        "lastSent",
        "lastFailed",
        "lastError",
    ] {
        assert!(json.get(key).is_some(), "{key}");
    }
    assert_eq!(json["lastError"]["code"], "21211");
}

fn log(core: &Switchboard, connector: &str, level: &str, action: &str, message: &str, at: &str) {
    core.store()
        .insert_log(&NewLogEntry {
            connector_id: Some(connector),
            org_id: None,
            level,
            kind: Some("INVALID_RECIPIENT"),
            code: Some("21211"),
            message,
            action,
            number: Some("+46701234567"),
            attempt_id: None,
            at,
        })
        .unwrap();
}

#[test]
fn the_error_log_filters_pages_newest_first_and_exports_csv() {
    let (core, connector) = core();
    for minute in 0..25 {
        let (level, action) = match minute % 3 {
            0 => ("error", "send"),
            1 => ("warning", "status_query"),
            _ => ("error", "webhook_set"),
        };
        log(
            &core,
            &connector,
            level,
            action,
            &format!("failure {minute}, \"quoted\""),
            &format!("2026-02-01T10:{minute:02}:00.000Z"),
        );
    }
    let org = core.connector(&connector).unwrap().org_id;
    let sends = core
        .logs(&LogFilter {
            connector_id: Some(connector[..6].to_owned()),
            org_id: Some(org),
            action: Some("send".into()),
            level: Some("error".into()),
            ..LogFilter::default()
        })
        .unwrap();
    assert_eq!(sends.entries.len(), 9);
    assert_eq!(
        sends.entries[0].message, "failure 24, \"quoted\"",
        "newest first"
    );

    let mut seen = Vec::new();
    let mut filter = LogFilter {
        limit: Some(10),
        since: Some("2026-02-01T10:05:00Z".into()),
        until: Some("2026-02-01T10:20:00Z".into()),
        ..LogFilter::default()
    };
    loop {
        let page = core.logs(&filter).unwrap();
        seen.extend(page.entries.iter().map(|e| e.message.clone()));
        match page.next_before {
            Some(before) => filter.before = Some(before),
            None => break,
        }
    }
    assert_eq!(
        seen.len(),
        15,
        "10:05 up to but not including 10:20: {seen:?}"
    );
    assert_eq!(seen[0], "failure 19, \"quoted\"");
    assert_eq!(seen[14], "failure 5, \"quoted\"");

    let words = core
        .logs(&LogFilter {
            text: Some("failure 1".into()),
            ..LogFilter::default()
        })
        .unwrap();
    assert_eq!(words.entries.len(), 11, "1 and 10–19");
    let none = core
        .logs(&LogFilter {
            text: Some("100%".into()),
            ..LogFilter::default()
        })
        .unwrap();
    assert!(none.entries.is_empty(), "% is a character, not a wildcard");

    let bad = core.logs(&LogFilter {
        action: Some("teleport".into()),
        ..LogFilter::default()
    });
    assert!(matches!(bad, Err(crate::CoreError::Validation(f)) if f[0].field == "action"));

    let csv = core
        .logs_csv(&LogFilter {
            action: Some("webhook-set".into()),
            ..LogFilter::default()
        })
        .unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "time,level,action,kind,code,message,number,connector,attempt"
    );
    assert_eq!(lines.len(), 1 + 8);
    assert!(
        lines[1].starts_with(
            "2026-02-01T10:23:00.000Z,error,webhook_set,INVALID_RECIPIENT,21211,\"failure 23, \
             \"\"quoted\"\"\",+46701234567,"
        ),
        "{}",
        lines[1]
    );
    assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
    assert_eq!(csv_field("+46701234567"), "+46701234567");
}

#[test]
fn a_credential_check_event_lands_in_the_error_log_with_its_organization_and_kind() {
    let (core, connector) = core();
    let failure = switchboard_providers::ProviderFailure {
        provider: switchboard_providers::Provider::Twilio,
        kind: switchboard_providers::FailureKind::InvalidCredentials,
        provider_code: Some("20003".into()),
        http_status: Some(401),
        message: "Authenticate".into(),
        cause: "c".into(),
        fix: "f".into(),
        docs_url: None,
    };
    let record = crate::model::CheckRecord {
        state: crate::ConnectorState::Error,
        reason: Some(failure.summary()),
        failure: Some(failure),
        account_name: None,
        account_type: None,
        warning: None,
        verified_at: None,
        event: crate::Event {
            level: crate::EventLevel::Error,
            code: Some("20003".into()),
            message: "refused".into(),
            created_at: String::new(),
        },
    };
    core.store()
        .record_check(&connector, &record, "2026-02-01T10:00:00.000Z")
        .unwrap();
    let org = core.connector(&connector).unwrap().org_id;
    let page = core
        .logs(&LogFilter {
            org_id: Some(org),
            action: Some("credential_check".into()),
            ..LogFilter::default()
        })
        .unwrap();
    assert_eq!(page.entries.len(), 1);
    assert_eq!(page.entries[0].kind.as_deref(), Some("INVALID_CREDENTIALS"));
    assert_eq!(page.entries[0].code.as_deref(), Some("20003"));

    // A check that passes is an info row: in the log only when asked for.
    let passed = crate::model::CheckRecord {
        state: crate::ConnectorState::Active,
        reason: None,
        failure: None,
        event: crate::Event {
            level: crate::EventLevel::Info,
            code: None,
            message: "Connected".into(),
            created_at: String::new(),
        },
        ..record
    };
    core.store()
        .record_check(&connector, &passed, "2026-02-01T10:05:00.000Z")
        .unwrap();
    let errors_only = core.logs(&LogFilter::default()).unwrap();
    assert_eq!(errors_only.entries.len(), 1);
    let everything = core
        .logs(&LogFilter {
            level: Some("info".into()),
            ..LogFilter::default()
        })
        .unwrap();
    assert_eq!(everything.entries.len(), 2);
    assert_eq!(everything.entries[0].message, "Connected");
    assert_eq!(
        everything.entries[0].kind, None,
        "a passed check has no failure kind"
    );
}

/// An unknown send the provider does not have, minutes later, was not sent: the user may send
/// it again.
#[tokio::test]
async fn an_old_unknown_send_the_provider_does_not_have_becomes_not_sent() {
    let sandbox = switchboard_sandbox::start(switchboard_sandbox::SandboxConfig::default())
        .await
        .unwrap();
    let (core, _) = core();
    let seed = sandbox.seed().twilio.clone();
    let org = core.organizations().unwrap()[0].id.clone();
    let connector = core
        .connector_create(&ConnectorDraft {
            org_id: org,
            kind: ConnectorKind::Sms,
            name: "Sandbox SMS".into(),
            settings: ConnectorSettings::Twilio(TwilioSettings {
                account_sid: seed.account_sid.clone(),
                base_url: Some(sandbox.twilio_base()),
                from: Some("+14155550101".into()),
                ..TwilioSettings::default()
            }),
            recipients: vec![],
            receive_inbound: false,
            secret: Some(seed.auth_token.clone()),
        })
        .unwrap();
    let ten_minutes_ago = (Utc::now() - chrono::Duration::minutes(10))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    script(&core, &connector.id, "lost", &ten_minutes_ago, &[]);
    core.store()
        .update_attempt(
            "lost",
            &Update {
                status: "unknown".into(),
                outcome: Some(Outcome::Unknown),
                ..Update::default()
            },
            &ten_minutes_ago,
        )
        .unwrap();
    let checked = core.message_reconcile("lost").await.unwrap();
    assert_eq!(checked.status, "not_sent", "{checked:?}");
    assert_eq!(checked.outcome, Outcome::Failed);
    assert!(checked.r#final);
    assert!(checked.error_message.unwrap().contains("may be sent again"));
    sandbox.shutdown().await;
}

#[test]
fn own_sends_page_by_cursor_newest_first_and_filter_by_status_number_and_time() {
    use super::AttemptFilter;
    let (core, connector) = core();
    let stored = core.connector(&connector).unwrap();
    // 250 sends, one a minute from 09:00; every third to another guest; every fifth failed.
    for n in 0..250u32 {
        let id = format!("a{n:03}");
        let created = (at("2026-03-01T09:00:00Z") + chrono::Duration::minutes(n.into()))
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let to = if n % 3 == 0 {
            "+46709990000"
        } else {
            "+46701234567"
        };
        core.store()
            .insert_attempt(&NewAttempt {
                id: &id,
                connector_id: &stored.id,
                org_id: &stored.org_id,
                provider: "twilio",
                channel: "sms",
                from: "+14155550101",
                to,
                kind: MessageKind::Text,
                body: Some("Hello"),
                template_sid: None,
                template_variables: None,
                media_urls: "[]".into(),
                validity_period: None,
                status_callback: None,
                now: &created,
            })
            .unwrap();
        let failed = n % 5 == 0;
        // A failure's status word is "failed" or, every other time, "undelivered".
        let status = match (failed, n % 10 == 0) {
            (false, _) => "delivered",
            (true, false) => "failed",
            (true, true) => "undelivered",
        };
        let update = Update {
            status: status.into(),
            outcome: Some(if failed {
                Outcome::Failed
            } else {
                Outcome::Delivered
            }),
            r#final: true,
            ..Update::default()
        };
        core.store().update_attempt(&id, &update, &created).unwrap();
    }

    let mut filter = AttemptFilter {
        limit: Some(100),
        ..AttemptFilter::default()
    };
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let page = core.message_attempts(&connector, &filter).unwrap();
        pages += 1;
        seen.extend(page.attempts.iter().map(|a| a.id.clone()));
        match page.next_cursor {
            Some(cursor) => filter.cursor = Some(cursor),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    let expected: Vec<String> = (0..250u32).rev().map(|n| format!("a{n:03}")).collect();
    assert_eq!(seen, expected, "every send once, newest first");

    let narrowed = core
        .message_attempts(
            &connector,
            &AttemptFilter {
                status: Some("failed".into()),
                number: Some("+46 70 999".into()),
                since: Some("2026-03-01T10:00:00Z".into()),
                until: Some("2026-03-01T11:00:00Z".into()),
                ..AttemptFilter::default()
            },
        )
        .unwrap();
    // Minutes 60..120 that are multiples of 15 (failed and to the other guest): 60, 75, 90, 105.
    let ids: Vec<&str> = narrowed.attempts.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["a105", "a090", "a075", "a060"]);
    assert_eq!(narrowed.next_cursor, None);

    // A status word pages like the whole list and matches the status or the outcome: "failed"
    // is every failure (status failed or undelivered), "undelivered" only that status, and
    // "unknown" none of these sends.
    for (word, matches) in [
        ("failed", (|n| n % 5 == 0) as fn(u32) -> bool),
        ("undelivered", |n| n % 10 == 0),
        ("unknown", |_| false),
    ] {
        let mut filter = AttemptFilter {
            status: Some(word.into()),
            limit: Some(20),
            ..AttemptFilter::default()
        };
        let mut seen = Vec::new();
        loop {
            let page = core.message_attempts(&connector, &filter).unwrap();
            assert!(page.attempts.len() <= 20);
            seen.extend(page.attempts.iter().map(|a| a.id.clone()));
            match page.next_cursor {
                Some(cursor) => filter.cursor = Some(cursor),
                None => break,
            }
        }
        let expected: Vec<String> = (0..250u32)
            .rev()
            .filter(|&n| matches(n))
            .map(|n| format!("a{n:03}"))
            .collect();
        assert_eq!(
            seen, expected,
            "sends matching '{word}', newest first, each once"
        );
    }

    for (filter, field) in [
        (
            AttemptFilter {
                since: Some("yesterday".into()),
                ..AttemptFilter::default()
            },
            "since",
        ),
        (
            AttemptFilter {
                until: Some("soon".into()),
                ..AttemptFilter::default()
            },
            "until",
        ),
        (
            AttemptFilter {
                number: Some("reception".into()),
                ..AttemptFilter::default()
            },
            "number",
        ),
        (
            AttemptFilter {
                cursor: Some("nosuchattempt".into()),
                ..AttemptFilter::default()
            },
            "cursor",
        ),
    ] {
        let error = core.message_attempts(&connector, &filter).unwrap_err();
        assert_eq!(error.fields()[0].field, field, "{error:?}");
    }
}

/// 46elks lists 100 messages a page: the search for an unknown send pages back, and one that the
/// page cap stops before the send's time says so (the caller then keeps the send unknown).
#[tokio::test]
async fn a_46elks_search_that_the_page_cap_stops_is_not_complete() {
    use super::checks::Channel;
    use super::wire::{Listing, Sought, find_recent};
    let sandbox = switchboard_sandbox::start(switchboard_sandbox::SandboxConfig::default())
        .await
        .unwrap();
    let (core, _) = core();
    let seed = sandbox.seed().elks.clone();
    let org = core.organizations().unwrap()[0].id.clone();
    let connector = core
        .connector_create(&ConnectorDraft {
            org_id: org,
            kind: ConnectorKind::Sms,
            name: "Sandbox 46elks".into(),
            settings: ConnectorSettings::Elks46(crate::model::ElksSettings {
                username: seed.username.clone(),
                base_url: Some(sandbox.elks_base()),
                from: Some("+46766860101".into()),
            }),
            recipients: vec![],
            receive_inbound: false,
            secret: Some(seed.password.clone()),
        })
        .unwrap();
    let since = Utc::now();
    let http = reqwest::Client::new();
    for n in 0..150 {
        let sent = http
            .post(format!("{}/a1/sms", sandbox.elks_base()))
            .basic_auth(&seed.username, Some(&seed.password))
            .form(&[
                ("from", "+46766860101"),
                ("to", "+46701234567"),
                ("message", &format!("News {n}")),
            ])
            .send()
            .await
            .unwrap();
        assert!(sent.status().is_success());
    }
    let secret = core.connector_secret(&connector.id).unwrap();
    let client =
        crate::adapter::client_for(&connector, secret, std::time::Duration::from_secs(5)).unwrap();
    let sought = Sought {
        channel: Channel::Sms,
        from: "+46766860101",
        from_is_service: false,
        to: "+46701234567",
        body: Some("Never sent"),
        since,
    };
    let listed = |listing: Listing| match listing {
        Listing::Listed {
            candidates,
            complete,
        } => (candidates.len(), complete),
        Listing::Unsupported => panic!("46elks lists its messages"),
    };
    assert_eq!(
        listed(find_recent(&client, &sought, 1).await.unwrap()),
        (0, false),
        "one page of 100 does not reach the send's time"
    );
    assert_eq!(
        listed(find_recent(&client, &sought, 5).await.unwrap()),
        (0, true),
        "two pages do"
    );
    sandbox.shutdown().await;
}

#[test]
fn a_twilio_messaging_service_is_no_from_address_but_a_46elks_name_starting_with_mg_is() {
    use super::settings::default_from_address;
    let (core, id) = core();
    let mut connector = core.connector(&id).unwrap();
    assert_eq!(default_from_address(&connector), Some("+14155550101"));
    let service = "MG0123456789abcdef0123456789abcdef";
    if let ConnectorSettings::Twilio(twilio) = &mut connector.settings {
        twilio.from = Some(service.into());
    }
    assert_eq!(default_from_address(&connector), None);
    connector.settings = ConnectorSettings::Elks46(crate::model::ElksSettings {
        from: Some("MGHotel".into()),
        ..Default::default()
    });
    assert_eq!(default_from_address(&connector), Some("MGHotel"));
}
