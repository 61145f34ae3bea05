//! SQLite for numbers and the webhook token.

use std::collections::{HashMap, HashSet};

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::store::{Store, StoreError};

use super::provider::{Listed, Observed, WebhookOverride};
use super::{BoundAgent, NumberKind, PhoneNumber, WebhookState};

/// A number's own columns (`numbers n`); `number_row` reads its agent's id and name after them.
const NUMBER_COLUMNS_UNBOUND: &str = "n.connector_id, n.e164, n.provider_id, n.kind,
    n.friendly_name, n.capabilities, n.provider_status, n.quality_rating, n.messaging_limit,
    n.offline_reasons, n.webhook_url, n.webhook_method, n.webhook_override, n.active,
    n.webhook_state, n.webhook_reason, n.gone, n.last_seen_at";

fn json_list(text: String) -> Result<Vec<String>, rusqlite::Error> {
    serde_json::from_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".into())
}

fn number_row(row: &Row<'_>) -> Result<PhoneNumber, rusqlite::Error> {
    let kind: String = row.get(3)?;
    let override_text: Option<String> = row.get(12)?;
    let state: String = row.get(14)?;
    let agent_id: Option<String> = row.get(18)?;
    let agent_name: Option<String> = row.get(19)?;
    Ok(PhoneNumber {
        connector_id: row.get(0)?,
        e164: row.get(1)?,
        provider_id: row.get(2)?,
        kind: if kind == "whatsapp_sender" {
            NumberKind::WhatsappSender
        } else {
            NumberKind::Number
        },
        friendly_name: row.get(4)?,
        capabilities: json_list(row.get(5)?)?,
        provider_status: row.get(6)?,
        quality_rating: row.get(7)?,
        messaging_limit: row.get(8)?,
        offline_reasons: json_list(row.get(9)?)?,
        webhook_url: row.get(10)?,
        webhook_method: row.get(11)?,
        webhook_override: override_text.and_then(|t| serde_json::from_str(&t).ok()),
        active: row.get(13)?,
        webhook_state: WebhookState::parse(&state),
        webhook_reason: row.get(15)?,
        gone: row.get(16)?,
        last_seen_at: row.get(17)?,
        agent: agent_id
            .zip(agent_name)
            .map(|(id, name)| BoundAgent { id, name }),
    })
}

impl Store {
    pub(crate) fn webhook_token(&self, connector_id: &str) -> Result<String, StoreError> {
        Ok(self.conn().query_row(
            "SELECT webhook_token FROM connectors WHERE id = ?1",
            [connector_id],
            |row| row.get(0),
        )?)
    }

    /// Stores a new token and flags the active numbers; returns how many were flagged.
    pub(crate) fn regenerate_token(
        &self,
        connector_id: &str,
        token: &str,
        now: &str,
    ) -> Result<u32, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "UPDATE connectors SET webhook_token = ?2, updated_at = ?3 WHERE id = ?1",
            params![connector_id, token, now],
        )?;
        let flagged = tx.execute(
            "UPDATE numbers SET webhook_state = 'needs_reset',
                 webhook_reason = 'The webhook URL was regenerated: set the webhook again'
             WHERE connector_id = ?1 AND active = 1 AND gone = 0",
            [connector_id],
        )?;
        tx.commit()?;
        Ok(u32::try_from(flagged).unwrap_or(u32::MAX))
    }

    pub(crate) fn count_needs_reset(&self, connector_id: &str) -> Result<u32, StoreError> {
        Ok(self.conn().query_row(
            "SELECT COUNT(*) FROM numbers WHERE connector_id = ?1 AND webhook_state = 'needs_reset'",
            [connector_id],
            |row| row.get(0),
        )?)
    }

    pub(crate) fn numbers_fetched_at(
        &self,
        connector_id: &str,
    ) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT fetched_at FROM number_lists WHERE connector_id = ?1",
                [connector_id],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// The connector's numbers: those in the account by E.164, then those gone from it.
    pub(crate) fn numbers(&self, connector_id: &str) -> Result<Vec<PhoneNumber>, StoreError> {
        let conn = self.conn();
        // The few bound numbers' agents first, and the numbers in their primary key's order:
        // a join per number (two index probes each) and sorting by `gone` took most of the
        // time of reading 10,000 numbers back.
        let mut agents: HashMap<String, BoundAgent> = {
            let mut statement = conn.prepare_cached(
                "SELECT c.e164, a.id, a.name FROM channels c JOIN agents a ON a.id = c.agent_id
                 WHERE c.connector_id = ?1",
            )?;
            let rows = statement.query_map([connector_id], |row| {
                Ok((
                    row.get(0)?,
                    BoundAgent {
                        id: row.get(1)?,
                        name: row.get(2)?,
                    },
                ))
            })?;
            rows.collect::<Result<_, _>>()?
        };
        let mut statement = conn.prepare_cached(&format!(
            "SELECT {NUMBER_COLUMNS_UNBOUND}, NULL, NULL FROM numbers n
             WHERE n.connector_id = ?1 ORDER BY n.e164"
        ))?;
        let (mut listed, gone): (Vec<PhoneNumber>, Vec<PhoneNumber>) = statement
            .query_map([connector_id], number_row)?
            .map(|row| {
                row.map(|mut number| {
                    number.agent = agents.remove(&number.e164);
                    number
                })
            })
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .partition(|number| !number.gone);
        listed.extend(gone);
        Ok(listed)
    }

    /// The connector's active numbers still in the account, by E.164: what a number picker
    /// offers (an agent's channel, a test send's sender), without reading the whole list.
    pub(crate) fn active_numbers(
        &self,
        connector_id: &str,
    ) -> Result<Vec<PhoneNumber>, StoreError> {
        self.numbers_bound(
            "n.connector_id = ?1 AND n.active = 1 AND n.gone = 0 ORDER BY n.e164",
            [connector_id],
        )
    }

    /// Numbers with the agent each is bound to, picked and ordered by `rest` (the query from
    /// its WHERE on).
    fn numbers_bound(
        &self,
        rest: &str,
        params: impl rusqlite::Params,
    ) -> Result<Vec<PhoneNumber>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare_cached(&format!(
            "SELECT {NUMBER_COLUMNS_UNBOUND}, a.id, a.name FROM numbers n
             LEFT JOIN channels c ON c.connector_id = n.connector_id AND c.e164 = n.e164
             LEFT JOIN agents a ON a.id = c.agent_id
             WHERE {rest}"
        ))?;
        let numbers = statement
            .query_map(params, number_row)?
            .collect::<Result<_, _>>()?;
        Ok(numbers)
    }

    /// `limit` of the connector's numbers from position `offset`, in the order of [`Self::numbers`].
    pub(crate) fn numbers_range(
        &self,
        connector_id: &str,
        offset: u32,
        limit: u32,
    ) -> Result<Vec<PhoneNumber>, StoreError> {
        self.numbers_bound(
            "n.connector_id = ?1 ORDER BY n.gone, n.e164 LIMIT ?2 OFFSET ?3",
            params![connector_id, limit, offset],
        )
    }

    /// How many numbers the connector has kept, and how many of them are active.
    pub(crate) fn number_counts(&self, connector_id: &str) -> Result<(u32, u32), StoreError> {
        Ok(self.conn().query_row(
            "SELECT COUNT(*), COALESCE(SUM(active), 0) FROM numbers WHERE connector_id = ?1",
            [connector_id],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?)
    }

    pub(crate) fn number(
        &self,
        connector_id: &str,
        e164: &str,
    ) -> Result<Option<PhoneNumber>, StoreError> {
        Ok(self
            .numbers_bound(
                "n.connector_id = ?1 AND n.e164 = ?2",
                params![connector_id, e164],
            )?
            .into_iter()
            .next())
    }

    pub(crate) fn has_active(&self, connector_id: &str) -> Result<bool, StoreError> {
        Ok(self.conn().query_row(
            "SELECT EXISTS (SELECT 1 FROM numbers WHERE connector_id = ?1 AND active = 1)",
            [connector_id],
            |row| row.get(0),
        )?)
    }

    /// Keeps a freshly fetched list: upserts what was listed (keeping activation), marks the
    /// rest gone, and records the time.
    pub(crate) fn keep_listed(
        &self,
        connector_id: &str,
        kind: NumberKind,
        listed: &[(&Listed, WebhookState, Option<String>)],
        now: &str,
    ) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        upsert_listed(&tx, connector_id, kind, listed, now)?;
        tx.execute(
            "UPDATE numbers SET gone = 1 WHERE connector_id = ?1 AND last_seen_at != ?2",
            params![connector_id, now],
        )?;
        record_fetched(&tx, connector_id, now)?;
        tx.commit()?;
        Ok(())
    }

    /// Keeps one page of a list being fetched (what the provider just said of those numbers),
    /// while the next page is on its way.
    pub(crate) fn keep_listed_page(
        &self,
        connector_id: &str,
        kind: NumberKind,
        listed: &[(&Listed, WebhookState, Option<String>)],
        now: &str,
    ) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        upsert_listed(&tx, connector_id, kind, listed, now)?;
        tx.commit()?;
        Ok(())
    }

    /// Ends a list kept page by page: every number of the connector it did not name is marked
    /// gone, and the time recorded. Only a complete list gets here.
    pub(crate) fn finish_listed(
        &self,
        connector_id: &str,
        listed: &HashSet<String>,
        now: &str,
    ) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let known: Vec<String> = {
            let mut statement =
                tx.prepare("SELECT e164 FROM numbers WHERE connector_id = ?1 AND gone = 0")?;
            let rows = statement.query_map([connector_id], |row| row.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        {
            let mut gone =
                tx.prepare("UPDATE numbers SET gone = 1 WHERE connector_id = ?1 AND e164 = ?2")?;
            for e164 in known.iter().filter(|e164| !listed.contains(*e164)) {
                gone.execute(params![connector_id, e164])?;
            }
        }
        record_fetched(&tx, connector_id, now)?;
        tx.commit()?;
        Ok(())
    }

    /// The Telnyx profile the number was last seen on (kept in `extra`).
    pub(crate) fn number_profile(
        &self,
        connector_id: &str,
        e164: &str,
    ) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT extra FROM numbers WHERE connector_id = ?1 AND e164 = ?2",
                params![connector_id, e164],
                |row| row.get(0),
            )
            .optional()?
            .flatten())
    }

    pub(crate) fn set_active(
        &self,
        connector_id: &str,
        numbers: &[String],
        active: bool,
        _now: &str,
    ) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        for e164 in numbers {
            tx.execute(
                "UPDATE numbers SET active = ?3 WHERE connector_id = ?1 AND e164 = ?2",
                params![connector_id, e164, active],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// What a job needs of each number of the connector, read once: the Telnyx profile it was
    /// last seen on (`extra`) and what overrides its webhook, by E.164.
    pub(crate) fn number_contexts(
        &self,
        connector_id: &str,
    ) -> Result<HashMap<String, NumberContext>, StoreError> {
        let conn = self.conn();
        let mut statement = conn
            .prepare("SELECT e164, extra, webhook_override FROM numbers WHERE connector_id = ?1")?;
        let rows = statement.query_map([connector_id], |row| {
            let override_text: Option<String> = row.get(2)?;
            Ok((
                row.get::<_, String>(0)?,
                NumberContext {
                    profile: row.get(1)?,
                    webhook_override: override_text.and_then(|t| serde_json::from_str(&t).ok()),
                },
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// A number's Telnyx profile and webhook override, as the store has them.
#[derive(Debug, Clone, Default)]
pub(crate) struct NumberContext {
    pub profile: Option<String>,
    pub webhook_override: Option<WebhookOverride>,
}

/// Records what a webhook write read back (on the store's connection or a transaction).
pub(crate) fn record_webhook(
    conn: &Connection,
    connector_id: &str,
    e164: &str,
    observed: &Observed,
    state: WebhookState,
    reason: Option<&str>,
) -> Result<(), StoreError> {
    let override_text = observed
        .overridden_by
        .as_ref()
        .map(|o: &WebhookOverride| to_json(o));
    conn.prepare_cached(
        "UPDATE numbers SET webhook_url = ?3, webhook_method = ?4,
             webhook_override = ?5,
             extra = COALESCE(?6, extra), webhook_state = ?7, webhook_reason = ?8
         WHERE connector_id = ?1 AND e164 = ?2",
    )?
    .execute(params![
        connector_id,
        e164,
        observed.url,
        observed.method,
        override_text,
        observed.profile_id,
        state.as_str(),
        reason
    ])?;
    Ok(())
}

pub(crate) fn record_webhook_failure(
    conn: &Connection,
    connector_id: &str,
    e164: &str,
    reason: &str,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE numbers SET webhook_state = 'failed', webhook_reason = ?3
         WHERE connector_id = ?1 AND e164 = ?2",
    )?
    .execute(params![connector_id, e164, reason])?;
    Ok(())
}

/// Upserts listed numbers, keeping what Switchboard knows of them (activation, a webhook that
/// must be set again).
fn upsert_listed(
    conn: &Connection,
    connector_id: &str,
    kind: NumberKind,
    listed: &[(&Listed, WebhookState, Option<String>)],
    now: &str,
) -> Result<(), StoreError> {
    let mut upsert = conn.prepare_cached(
        "INSERT INTO numbers (connector_id, e164, provider_id, kind, friendly_name,
             capabilities, provider_status, quality_rating, messaging_limit,
             offline_reasons, webhook_url, webhook_method, webhook_override, extra,
             webhook_state, webhook_reason, gone, last_seen_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, 0, ?17)
         ON CONFLICT (connector_id, e164) DO UPDATE SET
             provider_id = excluded.provider_id, kind = excluded.kind,
             friendly_name = excluded.friendly_name, capabilities = excluded.capabilities,
             provider_status = excluded.provider_status,
             quality_rating = excluded.quality_rating,
             messaging_limit = excluded.messaging_limit,
             offline_reasons = excluded.offline_reasons,
             webhook_url = excluded.webhook_url, webhook_method = excluded.webhook_method,
             webhook_override = excluded.webhook_override, extra = excluded.extra,
             webhook_state = CASE
                 WHEN numbers.webhook_state = 'needs_reset'
                      AND excluded.webhook_state != 'configured' THEN 'needs_reset'
                 ELSE excluded.webhook_state END,
             webhook_reason = CASE
                 WHEN numbers.webhook_state = 'needs_reset'
                      AND excluded.webhook_state != 'configured' THEN numbers.webhook_reason
                 ELSE excluded.webhook_reason END,
             gone = 0, last_seen_at = excluded.last_seen_at",
    )?;
    for (item, state, why) in listed {
        upsert.execute(params![
            connector_id,
            item.e164,
            item.provider_id,
            kind.as_str(),
            item.friendly_name,
            to_json(&item.capabilities),
            item.status,
            item.quality_rating,
            item.messaging_limit,
            to_json(&item.offline_reasons),
            item.observed.url,
            item.observed.method,
            item.observed.overridden_by.as_ref().map(to_json),
            item.observed.profile_id,
            state.as_str(),
            why,
            now,
        ])?;
    }
    Ok(())
}

fn record_fetched(conn: &Connection, connector_id: &str, now: &str) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO number_lists (connector_id, fetched_at) VALUES (?1, ?2)
         ON CONFLICT (connector_id) DO UPDATE SET fetched_at = excluded.fetched_at",
        params![connector_id, now],
    )?;
    Ok(())
}
