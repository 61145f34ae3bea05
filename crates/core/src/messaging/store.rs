//! The SQL of messaging: attempts, their status history, and error-log rows.

use std::collections::BTreeMap;

use rusqlite::{OptionalExtension, Row, params};

use switchboard_providers::failure::table;
use switchboard_providers::{FailureKind, Provider};

use super::{AttemptFilter, MessageAttempt, MessageKind, Outcome, StatusChange};
use crate::store::{Store, StoreError};

/// A new attempt, as written before the request goes out.
pub(super) struct NewAttempt<'a> {
    pub id: &'a str,
    pub connector_id: &'a str,
    pub org_id: &'a str,
    pub provider: &'a str,
    pub channel: &'a str,
    pub from: &'a str,
    pub to: &'a str,
    pub kind: MessageKind,
    pub body: Option<&'a str>,
    pub template_sid: Option<&'a str>,
    pub template_variables: Option<String>,
    pub media_urls: String,
    pub validity_period: Option<u32>,
    pub status_callback: Option<&'a str>,
    pub now: &'a str,
}

/// A status change to record on an attempt.
#[derive(Debug, Clone, Default)]
pub(super) struct Update {
    pub status: String,
    pub outcome: Option<Outcome>,
    pub r#final: bool,
    pub provider_message_id: Option<String>,
    pub error_code: Option<String>,
    pub error_kind: Option<String>,
    pub error_message: Option<String>,
    pub price: Option<String>,
    pub price_unit: Option<String>,
    /// The provider took the message (first answer with an id).
    pub accepted: bool,
}

const ATTEMPT_COLUMNS: &str = "id, connector_id, channel, from_address, to_number, kind, body,
    template_sid, template_variables, media_urls, validity_period, status_callback,
    provider_message_id, status, outcome, final, error_code, error_kind, error_message, price,
    price_unit, created_at, updated_at, accepted_at, delivered_at, final_at, fallback_status,
    fallback_to, fallback_error, provider";

fn attempt_row(row: &Row<'_>) -> rusqlite::Result<MessageAttempt> {
    let kind: String = row.get(5)?;
    let variables: Option<String> = row.get(8)?;
    let media: String = row.get(9)?;
    let outcome: String = row.get(14)?;
    let provider: String = row.get(29)?;
    let error_code: Option<String> = row.get(16)?;
    let error_kind: Option<String> = row.get(17)?;
    let (cause, fix) = explain(&provider, error_code.as_deref(), error_kind.as_deref());
    Ok(MessageAttempt {
        id: row.get(0)?,
        connector_id: row.get(1)?,
        channel: row.get(2)?,
        from: row.get(3)?,
        to: row.get(4)?,
        kind: MessageKind::parse(&kind),
        body: row.get(6)?,
        template_sid: row.get(7)?,
        template_variables: variables
            .and_then(|json| serde_json::from_str::<BTreeMap<String, String>>(&json).ok()),
        media_urls: serde_json::from_str(&media).unwrap_or_default(),
        validity_period: row.get(10)?,
        status_callback: row.get(11)?,
        provider_message_id: row.get(12)?,
        status: row.get(13)?,
        outcome: Outcome::parse(&outcome),
        r#final: row.get(15)?,
        error_code,
        error_kind,
        cause,
        fix,
        error_message: row.get(18)?,
        price: row.get(19)?,
        price_unit: row.get(20)?,
        created_at: row.get(21)?,
        updated_at: row.get(22)?,
        accepted_at: row.get(23)?,
        delivered_at: row.get(24)?,
        final_at: row.get(25)?,
        fallback_status: row.get(26)?,
        fallback_to: row.get(27)?,
        fallback_error: row.get(28)?,
        history: Vec::new(),
    })
}

/// The cause and fix of a stored failure: the provider code's own wording when the failure table
/// has one, otherwise the kind's.
pub(super) fn explain(
    provider: &str,
    code: Option<&str>,
    kind: Option<&str>,
) -> (Option<String>, Option<String>) {
    let provider = serde_json::from_value::<Provider>(serde_json::Value::String(provider.into()));
    let hint = match (provider, code) {
        (Ok(provider), Some(code)) => table::lookup(provider, code).and_then(|row| row.hint),
        _ => None,
    };
    if let Some(hint) = hint {
        return (Some(hint.cause.to_owned()), Some(hint.fix.to_owned()));
    }
    let kind = kind.and_then(|kind| {
        serde_json::from_value::<FailureKind>(serde_json::Value::String(kind.into())).ok()
    });
    match kind {
        Some(kind) => (Some(kind.cause().to_owned()), Some(kind.fix().to_owned())),
        None => (None, None),
    }
}

impl Store {
    pub(super) fn insert_attempt(&self, new: &NewAttempt<'_>) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO message_attempts (id, connector_id, org_id, channel, from_address,
                 to_number, kind, body, template_sid, template_variables, media_urls,
                 validity_period, status_callback, status, outcome, created_at, updated_at,
                 provider)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 'sending', 'sending',
                 ?14, ?14, ?15)",
            params![
                new.id,
                new.connector_id,
                new.org_id,
                new.channel,
                new.from,
                new.to,
                new.kind.as_str(),
                new.body,
                new.template_sid,
                new.template_variables,
                new.media_urls,
                new.validity_period,
                new.status_callback,
                new.now,
                new.provider
            ],
        )?;
        tx.execute(
            "INSERT INTO message_status_history (attempt_id, status, at) VALUES (?1, 'sending', ?2)",
            params![new.id, new.now],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Records a status (a history row only when the status changed) and what came with it.
    pub(super) fn update_attempt(
        &self,
        id: &str,
        update: &Update,
        now: &str,
    ) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let current: Option<String> = tx
            .query_row(
                "SELECT status FROM message_attempts WHERE id = ?1",
                [id],
                |row| row.get(0),
            )
            .optional()?;
        let Some(current) = current else {
            return Ok(());
        };
        let outcome = update.outcome.map(Outcome::as_str);
        tx.execute(
            "UPDATE message_attempts SET
                 status = ?2,
                 outcome = COALESCE(?3, outcome),
                 final = ?4,
                 provider_message_id = COALESCE(?5, provider_message_id),
                 error_code = COALESCE(?6, error_code),
                 error_kind = COALESCE(?7, error_kind),
                 error_message = COALESCE(?8, error_message),
                 price = COALESCE(?9, price),
                 price_unit = COALESCE(?10, price_unit),
                 accepted_at = CASE WHEN ?11 THEN COALESCE(accepted_at, ?12) ELSE accepted_at END,
                 delivered_at = CASE WHEN ?3 = 'delivered' THEN COALESCE(delivered_at, ?12)
                                ELSE delivered_at END,
                 delivery_ms = CASE WHEN ?3 = 'delivered' AND delivery_ms IS NULL THEN
                                   CAST(ROUND((julianday(?12) - julianday(COALESCE(accepted_at,
                                       ?12))) * 86400000.0) AS INTEGER)
                               ELSE delivery_ms END,
                 final_at = CASE WHEN ?4 THEN COALESCE(final_at, ?12) ELSE final_at END,
                 updated_at = ?12
             WHERE id = ?1",
            params![
                id,
                update.status,
                outcome,
                update.r#final,
                update.provider_message_id,
                update.error_code,
                update.error_kind,
                update.error_message,
                update.price,
                update.price_unit,
                update.accepted,
                now
            ],
        )?;
        if current != update.status {
            tx.execute(
                "INSERT INTO message_status_history (attempt_id, status, at, error_code)
                 VALUES (?1, ?2, ?3, ?4)",
                params![id, update.status, now, update.error_code],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Forgets the attempt's error (before a reconciled status says what is true now).
    pub(super) fn clear_attempt_error(&self, id: &str) -> Result<(), StoreError> {
        self.conn().execute(
            "UPDATE message_attempts SET error_code = NULL, error_kind = NULL,
                 error_message = NULL WHERE id = ?1",
            [id],
        )?;
        Ok(())
    }

    pub(super) fn attempt(&self, id: &str) -> Result<Option<MessageAttempt>, StoreError> {
        let conn = self.conn();
        let attempt = conn
            .query_row(
                &format!("SELECT {ATTEMPT_COLUMNS} FROM message_attempts WHERE id = ?1"),
                [id],
                attempt_row,
            )
            .optional()?;
        let Some(mut attempt) = attempt else {
            return Ok(None);
        };
        let mut statement = conn.prepare_cached(
            "SELECT status, at, error_code FROM message_status_history WHERE attempt_id = ?1
             ORDER BY id",
        )?;
        attempt.history = statement
            .query_map([id], |row| {
                Ok(StatusChange {
                    status: row.get(0)?,
                    at: row.get(1)?,
                    error_code: row.get(2)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(Some(attempt))
    }

    /// Ids of attempts whose id starts with `prefix` (4+ characters) or equals it.
    pub(super) fn attempt_ids_matching(&self, reference: &str) -> Result<Vec<String>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare(
            "SELECT id FROM message_attempts WHERE id = ?1
             UNION SELECT id FROM message_attempts
                 WHERE length(?1) >= 4 AND substr(id, 1, length(?1)) = ?1",
        )?;
        let ids = statement
            .query_map([reference], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(ids)
    }

    /// A page of the connector's attempts, newest first (without their history), and whether
    /// more follow. `filter` holds checked values: times in the stored form, `number` digits,
    /// `cursor` the id of an attempt of this connector.
    pub(super) fn attempts(
        &self,
        connector_id: &str,
        filter: &AttemptFilter,
        limit: u32,
    ) -> Result<(Vec<MessageAttempt>, bool), StoreError> {
        let conn = self.conn();
        // Only the conditions asked for are written: `?n IS NULL OR …` would keep SQLite from
        // seeking an index on that column, so a page deep in a million sends read them all.
        let mut narrowed = String::new();
        let mut values: Vec<(&str, &dyn rusqlite::ToSql)> = vec![(":connector", &connector_id)];
        if let Some(since) = &filter.since {
            narrowed.push_str(" AND created_at >= :since");
            values.push((":since", since));
        }
        if let Some(until) = &filter.until {
            narrowed.push_str(" AND created_at < :until");
            values.push((":until", until));
        }
        if let Some(number) = &filter.number {
            narrowed.push_str(
                " AND (instr(to_number, :number) > 0 OR instr(from_address, :number) > 0)",
            );
            values.push((":number", number));
        }
        if let Some(cursor) = &filter.cursor {
            // Keyset paging on (created_at, id): the cursor's row says where the page starts;
            // the bound on created_at alone is what an index can seek to.
            narrowed.push_str(
                " AND created_at <= (SELECT created_at FROM message_attempts WHERE id = :cursor)
                  AND (created_at, id) <
                      (SELECT created_at, id FROM message_attempts WHERE id = :cursor)",
            );
            values.push((":cursor", cursor));
        }
        let page = limit + 1;
        values.push((":page", &page));
        const NEWEST: &str = "ORDER BY created_at DESC, id DESC LIMIT :page";
        // A status word matches the provider's status or the outcome. Asked as one condition,
        // SQLite walks every attempt of the connector by time, and a word few sends have (the
        // recovery banner's `unknown`) reads them all; each side on its own index seeks, and
        // the page is the newest of the two sides' pages.
        let sql = match &filter.status {
            Some(status) => {
                values.push((":status", status));
                format!(
                    "SELECT {ATTEMPT_COLUMNS} FROM message_attempts WHERE id IN (
                         SELECT id FROM (SELECT id FROM message_attempts
                             WHERE connector_id = :connector AND status = :status{narrowed}
                             {NEWEST})
                         UNION
                         SELECT id FROM (SELECT id FROM message_attempts
                             WHERE connector_id = :connector AND outcome = :status{narrowed}
                             {NEWEST}))
                     {NEWEST}"
                )
            }
            None => format!(
                "SELECT {ATTEMPT_COLUMNS} FROM message_attempts
                 WHERE connector_id = :connector{narrowed} {NEWEST}"
            ),
        };
        let mut statement = conn.prepare(&sql)?;
        let rows = statement.query_map(values.as_slice(), attempt_row)?;
        let mut attempts: Vec<MessageAttempt> = rows.collect::<Result<_, _>>()?;
        let more = attempts.len() > limit as usize;
        attempts.truncate(limit as usize);
        Ok((attempts, more))
    }

    /// Whether the connector has an attempt with this id.
    pub(super) fn attempt_of_connector(
        &self,
        connector_id: &str,
        id: &str,
    ) -> Result<bool, StoreError> {
        Ok(self.conn().query_row(
            "SELECT EXISTS (SELECT 1 FROM message_attempts WHERE id = ?1 AND connector_id = ?2)",
            params![id, connector_id],
            |row| row.get(0),
        )?)
    }

    /// Attempts not final yet, created at or after `since`, oldest first.
    pub(super) fn open_attempts(&self, since: &str) -> Result<Vec<String>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare(
            "SELECT id FROM message_attempts WHERE final = 0 AND created_at >= ?1
             ORDER BY created_at",
        )?;
        let rows = statement.query_map([since], |row| row.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The connector's attempt that holds this provider message id.
    pub(crate) fn attempt_id_by_provider_id(
        &self,
        connector_id: &str,
        provider_message_id: &str,
    ) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT id FROM message_attempts
                 WHERE connector_id = ?1 AND provider_message_id = ?2",
                params![connector_id, provider_message_id],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// Whether another attempt already holds this provider message id.
    pub(super) fn provider_id_taken(
        &self,
        provider_message_id: &str,
        except: &str,
    ) -> Result<bool, StoreError> {
        Ok(self.conn().query_row(
            "SELECT EXISTS (SELECT 1 FROM message_attempts
                 WHERE provider_message_id = ?1 AND id <> ?2)",
            params![provider_message_id, except],
            |row| row.get(0),
        )?)
    }
}
