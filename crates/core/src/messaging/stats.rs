//! The statistics panel (seed 000's eight figures, plus a per-day chart, the top error codes and
//! delivery times), computed in SQL over the indexed attempts and the error log.
//!
//! What counts (times are UTC; a month is a UTC calendar month):
//! - **sent**: an attempt the provider took and has not reported failed — outcome `sent`
//!   (queued, accepted, sending, sent, or final without a delivery report such as Telnyx
//!   `delivery_unconfirmed`) or `delivered` (delivered, read). Counted at its send time
//!   (`created_at`).
//! - **failed**: an attempt the provider refused at once, that could not reach the provider, that
//!   reconciling showed was never sent, or whose final status is a failure (Twilio failed,
//!   undelivered, canceled; Telnyx sending_failed, delivery_failed, expired; 46elks failed).
//! - The account's own traffic imported from the provider (`messages sync`) counts the same way:
//!   an outbound message the provider lists as sent or delivered is sent, a failed or
//!   undelivered one is failed, at its send time; one that is also a Switchboard attempt (same
//!   provider message id) counts once, as the attempt. Inbound messages are not sends.
//! - Neither: a send whose outcome is still unknown (it is counted once reconciled) and one
//!   still being written. Input that failed the checks never became an attempt.
//! - **Attempts** = sent + failed; **Success Rate** = sent / attempts × 100 (one decimal; none
//!   without attempts); **Sent This Month** = sent attempts made in the current calendar month;
//!   **Last Sent** = send time of the newest sent attempt; **Last Failed** = the newest time an
//!   attempt became failed; **Last Error** = the newest error or warning in the connector's log
//!   (any action, so a failed credential check counts), with its code (the provider's, else the
//!   kind) and time.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use crate::error::CoreError;
use crate::service::Switchboard;
use crate::store::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct LastError {
    pub message: String,
    pub code: Option<String>,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DayCount {
    /// `YYYY-MM-DD` (UTC).
    pub day: String,
    pub sent: u32,
    pub failed: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ErrorCodeCount {
    /// The provider's code, or the kind when there is none.
    pub code: String,
    pub kind: Option<String>,
    pub count: u32,
    pub fix: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct MessagingStats {
    pub total_sent: u32,
    pub total_fails: u32,
    pub sent_this_month: u32,
    pub success_rate: Option<f64>,
    pub attempts: u32,
    pub last_sent: Option<String>,
    pub last_failed: Option<String>,
    pub last_error: Option<LastError>,
    /// Sent and failed per day for the last `days` days, oldest first, days without any too.
    pub per_day: Vec<DayCount>,
    /// The most frequent failure codes over those days, with what to do about each.
    pub top_errors: Vec<ErrorCodeCount>,
    /// Time from the provider taking a message to its delivery, over those days (ms).
    pub delivery_p50_ms: Option<u32>,
    pub delivery_p95_ms: Option<u32>,
}

fn stamp(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn month_start(now: DateTime<Utc>) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(now.year(), now.month(), 1, 0, 0, 0)
        .single()
        .unwrap_or(now)
}

fn next_month_start(now: DateTime<Utc>) -> DateTime<Utc> {
    let (year, month) = if now.month() == 12 {
        (now.year() + 1, 1)
    } else {
        (now.year(), now.month() + 1)
    };
    Utc.with_ymd_and_hms(year, month, 1, 0, 0, 0)
        .single()
        .unwrap_or(now)
}

impl Switchboard {
    /// The connector's statistics now, with the chart over the last `days` days (1–366).
    pub fn messaging_stats(&self, connector: &str, days: u32) -> Result<MessagingStats, CoreError> {
        self.messaging_stats_at(connector, days, Utc::now())
    }

    /// [`Switchboard::messaging_stats`] as of `now` (for tests and reports).
    pub fn messaging_stats_at(
        &self,
        connector: &str,
        days: u32,
        now: DateTime<Utc>,
    ) -> Result<MessagingStats, CoreError> {
        let connector = self.connector_resolve(connector)?;
        let provider = connector.provider().as_str();
        Ok(self
            .store()
            .messaging_stats(&connector.id, provider, days.clamp(1, 366), now)?)
    }
}

/// The imported messages that count: sent by the account (not received), final enough to say
/// sent or failed, and not also one of Switchboard's own attempts.
const IMPORTED: &str = "m.connector_id = ?1 AND m.direction = 'outbound'
    AND m.outcome IN ('sent', 'delivered', 'failed')
    AND NOT EXISTS (SELECT 1 FROM message_attempts a
                    WHERE a.provider_message_id = m.provider_message_id
                      AND a.connector_id = m.connector_id)";

impl Store {
    fn messaging_stats(
        &self,
        connector_id: &str,
        provider: &str,
        days: u32,
        now: DateTime<Utc>,
    ) -> Result<MessagingStats, StoreError> {
        let conn = self.conn();
        let (month, next_month) = (stamp(month_start(now)), stamp(next_month_start(now)));
        // One pass over the (connector, outcome, created_at) index.
        let mut statement = conn.prepare_cached(
            "SELECT outcome, COUNT(*), COALESCE(SUM(created_at >= ?2 AND created_at < ?3), 0),
                 MAX(created_at)
             FROM message_attempts WHERE connector_id = ?1
                 AND outcome IN ('sent', 'delivered', 'failed')
             GROUP BY outcome",
        )?;
        let rows = statement.query_map(params![connector_id, month, next_month], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, u32>(1)?,
                row.get::<_, u32>(2)?,
                row.get::<_, Option<String>>(3)?,
            ))
        })?;
        let (mut total_sent, mut total_fails, mut sent_this_month) = (0, 0, 0);
        let mut last_sent: Option<String> = None;
        for row in rows {
            let (outcome, count, this_month, newest) = row?;
            if outcome == "failed" {
                total_fails += count;
            } else {
                total_sent += count;
                sent_this_month += this_month;
                last_sent = last_sent.max(newest);
            }
        }
        // The account's own traffic, imported from the provider, counts too; a message that is
        // also one of Switchboard's attempts (same provider id) is counted once, as the attempt.
        let mut statement = conn.prepare_cached(&format!(
            "SELECT outcome, COUNT(*), COALESCE(SUM(sent_at >= ?2 AND sent_at < ?3), 0),
                 MAX(sent_at)
             FROM messages m WHERE {IMPORTED} GROUP BY outcome"
        ))?;
        let rows = statement.query_map(params![connector_id, month, next_month], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, u32>(1)?,
                row.get::<_, u32>(2)?,
                row.get::<_, Option<String>>(3)?,
            ))
        })?;
        let mut imported_last_failed: Option<String> = None;
        for row in rows {
            let (outcome, count, this_month, newest) = row?;
            if outcome == "failed" {
                total_fails += count;
                imported_last_failed = newest;
            } else {
                total_sent += count;
                sent_this_month += this_month;
                last_sent = last_sent.max(newest);
            }
        }
        // When the newest failure became final: one seek on (connector, outcome, final_at).
        let attempt_last_failed: Option<String> = conn.query_row(
            "SELECT MAX(final_at) FROM message_attempts
             WHERE connector_id = ?1 AND outcome = 'failed'",
            [connector_id],
            |row| row.get(0),
        )?;
        let last_failed = attempt_last_failed.max(imported_last_failed);
        let last_error = conn
            .query_row(
                "SELECT message, COALESCE(code, kind), created_at FROM events
                 WHERE connector_id = ?1 AND level IN ('error', 'warning')
                 ORDER BY id DESC LIMIT 1",
                [connector_id],
                |row| {
                    Ok(LastError {
                        message: row.get(0)?,
                        code: row.get(1)?,
                        at: row.get(2)?,
                    })
                },
            )
            .optional()?;
        let attempts = total_sent + total_fails;
        let success_rate = (attempts > 0)
            .then(|| (f64::from(total_sent) * 1000.0 / f64::from(attempts)).round() / 10.0);

        let first_day = (now - Duration::days(i64::from(days) - 1)).date_naive();
        let since = stamp(first_day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc());
        let mut per_day: Vec<DayCount> = (0..days)
            .map(|offset| DayCount {
                day: (first_day + Duration::days(i64::from(offset)))
                    .format("%Y-%m-%d")
                    .to_string(),
                sent: 0,
                failed: 0,
            })
            .collect();
        let mut statement = conn.prepare_cached(
            "SELECT substr(created_at, 1, 10), outcome = 'failed', COUNT(*)
             FROM message_attempts
             WHERE connector_id = ?1 AND outcome IN ('sent', 'delivered', 'failed')
                 AND created_at >= ?2
             GROUP BY 1, 2",
        )?;
        let day_row = |row: &rusqlite::Row<'_>| {
            let failed: bool = row.get(1)?;
            let count: u32 = row.get(2)?;
            let (sent, failed) = if failed { (0, count) } else { (count, 0) };
            Ok((row.get::<_, String>(0)?, sent, failed))
        };
        let mut counts = statement
            .query_map(params![connector_id, since], day_row)?
            .collect::<Result<Vec<_>, _>>()?;
        let mut imported_days = conn.prepare_cached(&format!(
            "SELECT substr(sent_at, 1, 10), outcome = 'failed', COUNT(*)
             FROM messages m WHERE {IMPORTED} AND sent_at >= ?2
             GROUP BY 1, 2"
        ))?;
        counts.extend(
            imported_days
                .query_map(params![connector_id, since], day_row)?
                .collect::<Result<Vec<_>, _>>()?,
        );
        for row in counts.into_iter().map(Ok::<_, StoreError>) {
            let (day, sent, failed) = row?;
            let index = NaiveDate::parse_from_str(&day, "%Y-%m-%d")
                .ok()
                .and_then(|d| usize::try_from((d - first_day).num_days()).ok());
            if let Some(slot) = index.and_then(|i| per_day.get_mut(i)) {
                slot.sent += sent;
                slot.failed += failed;
            }
        }

        let mut statement = conn.prepare_cached(
            "SELECT COALESCE(error_code, error_kind, 'UNKNOWN'), MAX(error_kind), COUNT(*),
                 MAX(error_code)
             FROM message_attempts
             WHERE connector_id = ?1 AND outcome = 'failed' AND created_at >= ?2
             GROUP BY 1 ORDER BY 3 DESC, 1 LIMIT 5",
        )?;
        let top_errors = statement
            .query_map(params![connector_id, since], |row| {
                let code: String = row.get(0)?;
                let kind: Option<String> = row.get(1)?;
                let provider_code: Option<String> = row.get(3)?;
                let (_, fix) =
                    super::store::explain(provider, provider_code.as_deref(), kind.as_deref());
                Ok(ErrorCodeCount {
                    code,
                    kind,
                    count: row.get(2)?,
                    fix,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut imported_errors = conn.prepare_cached(&format!(
            "SELECT COALESCE(error_code, 'UNKNOWN'), COUNT(*), MAX(error_code)
             FROM messages m WHERE {IMPORTED} AND outcome = 'failed' AND sent_at >= ?2
             GROUP BY 1"
        ))?;
        let mut top_errors = top_errors;
        for row in imported_errors.query_map(params![connector_id, since], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, u32>(1)?,
                row.get::<_, Option<String>>(2)?,
            ))
        })? {
            let (code, count, provider_code) = row?;
            match top_errors.iter_mut().find(|e| e.code == code) {
                Some(known) => known.count += count,
                None => {
                    let (_, fix) = super::store::explain(provider, provider_code.as_deref(), None);
                    top_errors.push(ErrorCodeCount {
                        code,
                        kind: None,
                        count,
                        fix,
                    });
                }
            }
        }
        top_errors.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.code.cmp(&b.code)));
        top_errors.truncate(5);

        // Nearest-rank percentiles over the delivered attempts' delivery times.
        let (delivery_p50_ms, delivery_p95_ms) = conn.query_row(
            "WITH times AS (
                 SELECT delivery_ms AS ms FROM message_attempts
                 WHERE connector_id = ?1 AND outcome = 'delivered' AND created_at >= ?2
                     AND delivery_ms IS NOT NULL),
             ranked AS (
                 SELECT ms, ROW_NUMBER() OVER (ORDER BY ms) AS rank, COUNT(*) OVER () AS n
                 FROM times)
             SELECT MIN(CASE WHEN rank >= 0.50 * n THEN ms END),
                    MIN(CASE WHEN rank >= 0.95 * n THEN ms END)
             FROM ranked",
            params![connector_id, since],
            |row| Ok((row.get::<_, Option<i64>>(0)?, row.get::<_, Option<i64>>(1)?)),
        )?;
        let clamp = |ms: Option<i64>| ms.map(|ms| u32::try_from(ms.max(0)).unwrap_or(u32::MAX));
        Ok(MessagingStats {
            total_sent,
            total_fails,
            sent_this_month,
            success_rate,
            attempts,
            last_sent,
            last_failed,
            last_error,
            per_day,
            top_errors,
            delivery_p50_ms: clamp(delivery_p50_ms),
            delivery_p95_ms: clamp(delivery_p95_ms),
        })
    }
}
