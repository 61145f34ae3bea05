//! Past traffic for tests and benchmarks: `POST /_sandbox/history` adds `count` sent messages
//! from one number of one account, spread evenly over the last `days` days, a `failed_rate`
//! share of them failed. The messages are ordinary messages of the account, so every list,
//! fetch and history endpoint serves them exactly like the ones sent through the API.

use chrono::{Duration as TimeDelta, NaiveDate};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::clock::{self, Timestamp};
use crate::elks::ElksSms;
use crate::ids;
use crate::provider::Provider;
use crate::state::World;
use crate::telnyx::TelnyxMessage;
use crate::twilio::messages::Message;

/// Upper bound per call: enough for the import benchmark's 100,000, small enough that a typo
/// cannot exhaust memory.
pub const MAX_HISTORY: usize = 1_000_000;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryRequest {
    pub provider: String,
    /// Account SID (Twilio), API key (Telnyx) or API username (46elks); default the seeded one.
    pub account: Option<String>,
    pub count: usize,
    /// The sending number (WhatsApp: `whatsapp:+E164`); default the account's first number.
    pub from: Option<String>,
    /// Share of failed messages, 0..=1 (default 0).
    pub failed_rate: Option<f64>,
    /// The messages end now and start this many days ago (default 30).
    pub days: Option<f64>,
}

/// Why a history request cannot be served (the admin API answers 400 or 404 with it).
#[derive(Debug)]
pub enum HistoryError {
    BadRequest(String),
    NoAccount(String),
}

/// The `i`-th of `count` messages (0 = newest) is failed: exactly `floor(count × rate)` fail,
/// spread evenly, so tests can count them.
fn is_failed(i: usize, rate: f64) -> bool {
    let before = (i as f64 * rate).floor();
    let after = ((i + 1) as f64 * rate).floor();
    after > before
}

/// When the `i`-th of `count` messages was sent: evenly spread over `span`, newest first, every
/// one a distinct millisecond before `now`.
fn sent_at(now: Timestamp, span: TimeDelta, i: usize, count: usize) -> Timestamp {
    let span_ms = span.num_milliseconds().max(count as i64 + 1);
    let offset = span_ms * (i as i64 + 1) / (count as i64 + 1);
    now - TimeDelta::milliseconds(offset.max(i as i64 + 1))
}

/// A recipient for the `i`-th message (in the 555 exchange, away from the seeded numbers).
fn recipient(i: usize, whatsapp: bool) -> String {
    let number = ids::us_number(1_000_000 + (i % 5_000) as u64);
    if whatsapp {
        format!("whatsapp:{number}")
    } else {
        number
    }
}

pub fn seed(
    world: &mut World,
    request: &HistoryRequest,
    default_account: &str,
) -> Result<Value, HistoryError> {
    let provider = Provider::parse(&request.provider).ok_or_else(|| {
        HistoryError::BadRequest(format!(
            "unknown provider {:?}: use \"twilio\", \"telnyx\" or \"46elks\"",
            request.provider
        ))
    })?;
    if request.count > MAX_HISTORY {
        return Err(HistoryError::BadRequest(format!(
            "at most {MAX_HISTORY} messages per call"
        )));
    }
    let rate = request.failed_rate.unwrap_or(0.0);
    if !(0.0..=1.0).contains(&rate) {
        return Err(HistoryError::BadRequest(
            "failed_rate must be between 0 and 1".into(),
        ));
    }
    let days = request.days.unwrap_or(30.0);
    if !(days.is_finite() && days > 0.0 && days <= 3650.0) {
        return Err(HistoryError::BadRequest(
            "days must be more than 0 and at most 3650".into(),
        ));
    }
    let span = TimeDelta::milliseconds((days * 86_400_000.0) as i64);
    let account = request
        .account
        .clone()
        .unwrap_or_else(|| default_account.to_string());
    let now = clock::now();
    let count = request.count;
    let mut rng = rand::rng();
    let missing =
        || HistoryError::NoAccount(format!("no {} account {account:?}", request.provider));
    let from = match provider {
        Provider::Twilio => {
            let target = world.twilio.get_mut(&account).ok_or_else(missing)?;
            let from = request
                .from
                .clone()
                .or_else(|| target.numbers.first().map(|n| n.phone_number.clone()))
                .ok_or_else(|| {
                    HistoryError::BadRequest("the account has no number: give \"from\"".into())
                })?;
            let whatsapp = from.starts_with("whatsapp:");
            target.messages.reserve(count);
            for i in 0..count {
                let sent = sent_at(now, span, i, count);
                let failed = is_failed(i, rate);
                let (status, error) = match (failed, i % 2) {
                    (false, _) if whatsapp => ("read", None),
                    (false, _) => ("delivered", None),
                    (true, 0) => (
                        "undelivered",
                        Some((30003, "Unreachable destination handset")),
                    ),
                    (true, _) => ("failed", Some((30008, "Unknown error"))),
                };
                target.messages.push(Message {
                    sid: ids::twilio_sid(&mut rng, "SM"),
                    messaging_service_sid: None,
                    from: from.clone(),
                    to: recipient(i, whatsapp),
                    body: format!("Your room is ready (history {i})"),
                    status,
                    direction: "outbound-api",
                    num_segments: 1,
                    num_media: 0,
                    error_code: error.map(|(code, _)| code),
                    error_message: error.map(|(_, text)| text.to_string()),
                    price: Some("-0.00790".into()),
                    date_created: sent - TimeDelta::seconds(1),
                    date_sent: Some(sent),
                    date_updated: sent + TimeDelta::seconds(3),
                    status_callback: None,
                });
            }
            // Newest first, as Twilio lists them (stable: equal times keep their order).
            target.messages.sort_by(|a, b| {
                b.date_sent
                    .unwrap_or(b.date_created)
                    .cmp(&a.date_sent.unwrap_or(a.date_created))
            });
            from
        }
        Provider::Telnyx => {
            let target = world.telnyx.get_mut(&account).ok_or_else(missing)?;
            let number = match &request.from {
                Some(from) => target.numbers.iter().find(|n| &n.phone_number == from),
                None => target.numbers.first(),
            };
            let profile = number.and_then(|n| n.messaging_profile_id.clone());
            let from = request
                .from
                .clone()
                .or_else(|| number.map(|n| n.phone_number.clone()))
                .ok_or_else(|| {
                    HistoryError::BadRequest("the account has no number: give \"from\"".into())
                })?;
            target.messages.reserve(count);
            for i in 0..count {
                let sent = sent_at(now, span, i, count);
                let failed = is_failed(i, rate);
                let (status, errors) = if failed {
                    (
                        "delivery_failed",
                        vec![json!({"code": "40008", "title": "Undeliverable"})],
                    )
                } else {
                    ("delivered", Vec::new())
                };
                target.messages.push(TelnyxMessage {
                    id: ids::uuid_v4(&mut rng),
                    direction: "outbound",
                    from: from.clone(),
                    to: recipient(i, false),
                    text: format!("Your room is ready (history {i})"),
                    media_urls: Vec::new(),
                    messaging_profile_id: profile.clone(),
                    status,
                    errors,
                    webhook_url: None,
                    webhook_failover_url: None,
                    received_at: sent - TimeDelta::seconds(1),
                    sent_at: Some(sent),
                    completed_at: Some(sent + TimeDelta::seconds(3)),
                });
            }
            target
                .messages
                .sort_by_key(|m| std::cmp::Reverse(m.received_at));
            from
        }
        Provider::Elks => {
            let target = world.elks.get_mut(&account).ok_or_else(missing)?;
            let from = request
                .from
                .clone()
                .or_else(|| target.numbers.first().map(|n| n.number.clone()))
                .ok_or_else(|| {
                    HistoryError::BadRequest("the account has no number: give \"from\"".into())
                })?;
            target.messages.reserve(count);
            for i in 0..count {
                let created = sent_at(now, span, i, count);
                let failed = is_failed(i, rate);
                target.messages.push(ElksSms {
                    id: ids::elks_id(&mut rng, 's'),
                    direction: "outgoing",
                    from: from.clone(),
                    to: ids::swedish_number(5_000_000 + (i % 5_000) as u64),
                    message: format!("Your room is ready (history {i})"),
                    status: if failed { "failed" } else { "delivered" },
                    created,
                    delivered: (!failed).then(|| created + TimeDelta::seconds(3)),
                    parts: 1,
                    whendelivered: None,
                });
            }
            target
                .messages
                .sort_by_key(|m| std::cmp::Reverse(m.created));
            from
        }
    };
    let failed = (0..count).filter(|&i| is_failed(i, rate)).count();
    Ok(json!({
        "provider": request.provider,
        "account": account,
        "from": from,
        "created": count,
        "failed": failed,
        "newest": (count > 0).then(|| clock::iso8601(&sent_at(now, span, 0, count))),
        "oldest": (count > 0).then(|| clock::iso8601(&sent_at(now, span, count - 1, count))),
    }))
}

/// A date or date-time filter value as the providers' clients send them: `2024-05-01`,
/// `2024-05-01T10:00:00Z` (or with an offset or fractions), `2024-05-01 10:00:00`,
/// `2024-05-01T10:00:00.123456` (46elks, UTC without zone), or RFC 2822. A bare date is
/// midnight UTC.
pub fn parse_instant(value: &str) -> Option<Timestamp> {
    let value = value.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(value) {
        return Some(t.with_timezone(&chrono::Utc));
    }
    if let Ok(t) = chrono::DateTime::parse_from_rfc2822(value) {
        return Some(t.with_timezone(&chrono::Utc));
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(value, format) {
            return Some(t.and_utc());
        }
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
}

/// The UTC calendar day a Twilio `DateSent` filter names. Twilio documents day granularity
/// ("GMT dates … YYYY-MM-DD"), so a time part, when given, only picks the day. Its own
/// examples also show `06/11/2019 22:05:25 MST`; the date part of that form is read as written.
pub fn parse_day(value: &str) -> Option<NaiveDate> {
    if let Some(t) = parse_instant(value) {
        return Some(t.date_naive());
    }
    let date = value.split_whitespace().next()?;
    NaiveDate::parse_from_str(date, "%m/%d/%Y").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_exact_and_spread() {
        let failed = (0..1000).filter(|&i| is_failed(i, 0.1)).count();
        assert_eq!(failed, 100);
        assert_eq!((0..10).filter(|&i| is_failed(i, 0.0)).count(), 0);
        assert_eq!((0..10).filter(|&i| is_failed(i, 1.0)).count(), 10);
    }

    #[test]
    fn times_are_distinct_newest_first_and_in_the_span() {
        let now = clock::now();
        let span = TimeDelta::days(30);
        let times: Vec<_> = (0..1000).map(|i| sent_at(now, span, i, 1000)).collect();
        assert!(times.windows(2).all(|w| w[0] > w[1]));
        assert!(times[0] < now && times[999] > now - span);
    }

    #[test]
    fn filter_values_in_every_documented_form() {
        let day = NaiveDate::from_ymd_opt(2019, 6, 11).unwrap();
        for value in [
            "2019-06-11",
            "2019-06-11T22:05:25Z",
            "2019-06-11 22:05:25.000",
            "Tue, 11 Jun 2019 22:04:00 -0000",
            "06/11/2019 22:05:25 MST",
        ] {
            assert_eq!(parse_day(value), Some(day), "{value}");
        }
        assert_eq!(parse_day("yesterday"), None);
        let t = parse_instant("2018-02-14T09:52:07.302000").unwrap();
        assert_eq!(clock::elks(&t), "2018-02-14T09:52:07.302000");
    }
}
