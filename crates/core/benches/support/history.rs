//! A large sending history written straight into SQLite, in the shape `message_send` leaves it:
//! shared by the messaging bench and the app's performance suite (`examples/perf_seed.rs`).

use std::error::Error;

use chrono::{DateTime, Utc};
use rusqlite::{Transaction, params};

/// Where a history goes: organization `org`'s `connectors` (rows round robin over them), spread
/// evenly over the `days` days before `now`.
pub struct Spread<'a> {
    pub org: &'a str,
    pub connectors: &'a [String],
    pub days: i64,
    pub now: DateTime<Utc>,
}

impl Spread<'_> {
    /// Row `index` of `count`: its connector and its time.
    fn place(&self, index: usize, count: usize) -> (&str, DateTime<Utc>) {
        let start = self.now - chrono::Duration::days(self.days);
        let offset = (index as i64 * (self.now - start).num_milliseconds()) / count as i64;
        (
            &self.connectors[index % self.connectors.len()],
            start + chrono::Duration::milliseconds(offset),
        )
    }
}

fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Writes `count` final send attempts over `spread`; one in ten failed, with one of four codes.
pub fn insert_attempts(
    tx: &Transaction<'_>,
    spread: &Spread<'_>,
    count: usize,
) -> Result<(), Box<dyn Error>> {
    let mut attempt = tx.prepare(
        "INSERT INTO message_attempts (id, connector_id, org_id, provider, channel,
             from_address, to_number, kind, body, provider_message_id, status, outcome,
             final, error_code, error_kind, created_at, updated_at, accepted_at,
             delivered_at, final_at)
         VALUES (?1, ?2, ?3, 'twilio', 'whatsapp', '+14155550101', ?4, 'text', 'Hello',
             ?5, ?6, ?7, 1, ?8, ?9, ?10, ?11, ?10, ?12, ?11)",
    )?;
    for index in 0..count {
        let (connector, created) = spread.place(index, count);
        let done = created + chrono::Duration::milliseconds(1_000 + (index % 9_000) as i64);
        let failed = index % 10 == 0;
        let code = ["30003", "30005", "21610", "63016"][index % 4];
        attempt.execute(params![
            format!("{index:032x}"),
            connector,
            spread.org,
            format!("+4670{:07}", index % 10_000_000),
            format!("SM{index:032x}"),
            if failed { "undelivered" } else { "delivered" },
            if failed { "failed" } else { "delivered" },
            failed.then_some(code),
            failed.then_some("INVALID_RECIPIENT"),
            stamp(created),
            stamp(done),
            (!failed).then(|| stamp(done)),
        ])?;
    }
    Ok(())
}

/// Writes `count` error-log rows over `spread`: a third warnings, the rest errors, over four
/// actions.
pub fn insert_log_rows(
    tx: &Transaction<'_>,
    spread: &Spread<'_>,
    count: usize,
) -> Result<(), Box<dyn Error>> {
    let mut log = tx.prepare(
        "INSERT INTO events (connector_id, org_id, level, kind, code, message, action,
             number, created_at)
         VALUES (?1, ?2, ?3, 'INVALID_RECIPIENT', '30003', 'Unreachable handset', ?4,
             ?5, ?6)",
    )?;
    let actions = ["send", "status_query", "credential_check", "webhook_set"];
    for index in 0..count {
        let (connector, at) = spread.place(index, count);
        log.execute(params![
            connector,
            spread.org,
            if index % 3 == 0 { "warning" } else { "error" },
            actions[index % actions.len()],
            format!("+4670{:07}", index % 10_000_000),
            stamp(at),
        ])?;
    }
    Ok(())
}
