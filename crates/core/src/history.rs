//! Message history from the provider (issue 9 §5): what the account really sent and received
//! through a connector's numbers and senders, imported into SQLite so statistics are made of
//! real traffic, not only of test sends. Endpoints, filters and paging are recorded in
//! `docs/history-import.md`.
//!
//! Incremental: the first import asks for the last [`FIRST_SYNC_DAYS`] days; later ones for what
//! was sent since the start of the last finished import minus [`OVERLAP`] (late status changes,
//! clock skew between us and the provider). Rows are keyed by the provider's message id per
//! connector, so a message listed twice is stored once (and its status brought up to date).
//! Each page is stored while the next one is on its way, so the import runs at network speed.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration as TimeDelta, NaiveDateTime, SecondsFormat, SubsecRound, Utc};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use switchboard_providers::AnyProviderClient;
use switchboard_providers::elks::Sms;
use switchboard_providers::elks::history::{HISTORY_PAGE_SIZE, SmsHistoryFilter};
use switchboard_providers::telnyx::history::{
    DetailRecordFilter, MessageDetailRecord, RECORDS_PAGE_SIZE,
};
use switchboard_providers::twilio::{Message as TwilioMessage, MessageFilter};
use tokio::task::JoinHandle;

use crate::adapter::client_for;
use crate::error::CoreError;
use crate::freshness::{Freshness, offline_failure};
use crate::model::{Connector, ConnectorKind};
use crate::numbers::NumberKind;
use crate::service::Switchboard;
use crate::store::{Store, StoreError};

/// The first import reaches this far back.
pub const FIRST_SYNC_DAYS: i64 = 30;
/// Later imports start this long before the previous one started.
pub const OVERLAP: TimeDelta = TimeDelta::hours(1);
/// Twilio's largest page (`PageSize` 1..=1000).
const TWILIO_PAGE_SIZE: u32 = 1000;
/// Longest text kept of a message.
const EXCERPT_CHARS: usize = 160;

/// What one import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SyncReport {
    pub connector_id: String,
    /// Messages the provider listed (including ones already stored, in the overlap).
    pub fetched: u32,
    /// Messages stored for the first time.
    pub new: u32,
    /// Messages already stored whose status, error or price changed.
    pub updated: u32,
    /// Pages requested from the provider.
    pub pages: u32,
    /// The import asked for messages sent since this time (RFC 3339).
    pub since: String,
    /// The first import of this connector (the last 30 days).
    pub first: bool,
    /// Imported just now, or (the provider out of reach) nothing new: the messages stay as the
    /// last import left them, `asOf` that import's time.
    pub freshness: Freshness,
}

/// One imported message, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ImportedMessage {
    pub provider_message_id: String,
    /// `inbound` or `outbound`.
    pub direction: String,
    pub from: String,
    pub to: String,
    /// The provider's own status word.
    pub status: String,
    /// `pending`, `sent`, `delivered`, `failed` or `received`.
    pub outcome: String,
    pub error_code: Option<String>,
    pub price: Option<String>,
    pub price_unit: Option<String>,
    /// RFC 3339, UTC.
    pub sent_at: String,
    pub body_excerpt: Option<String>,
}

fn rfc3339(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub(crate) fn excerpt(text: Option<&str>) -> Option<String> {
    text.filter(|t| !t.is_empty())
        .map(|t| t.chars().take(EXCERPT_CHARS).collect())
}

/// Twilio's `date_sent` (RFC 2822).
fn parse_rfc2822(value: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc2822(value)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Telnyx (ISO 8601 with a zone) and 46elks (UTC without a zone, or with `Z`).
fn parse_iso(value: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(value)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|t| t.and_utc())
        })
}

fn from_twilio(message: TwilioMessage) -> Option<(DateTime<Utc>, ImportedMessage)> {
    // Not sent yet: no date_sent, and a DateSent filter would not list it anyway.
    let sent = parse_rfc2822(message.date_sent.as_deref()?)?;
    let status = message.status.map(|s| s.to_string()).unwrap_or_default();
    let outcome = match status.as_str() {
        "delivered" | "read" => "delivered",
        "sent" => "sent",
        "failed" | "undelivered" | "canceled" => "failed",
        "received" | "receiving" => "received",
        _ => "pending",
    };
    let inbound = message.direction.as_deref() == Some("inbound");
    Some((
        sent,
        ImportedMessage {
            provider_message_id: message.sid?,
            direction: if inbound { "inbound" } else { "outbound" }.into(),
            from: message.from.unwrap_or_default(),
            to: message.to.unwrap_or_default(),
            outcome: outcome.into(),
            status,
            error_code: message.error_code.map(|c| c.to_string()),
            price: message.price,
            price_unit: message.price_unit,
            sent_at: rfc3339(&sent),
            body_excerpt: excerpt(message.body.as_deref()),
        },
    ))
}

fn from_telnyx(record: MessageDetailRecord) -> Option<(DateTime<Utc>, ImportedMessage)> {
    let sent = record
        .sent_at
        .as_deref()
        .or(record.created_at.as_deref())
        .and_then(parse_iso)?;
    let status = record.status.unwrap_or_default();
    let outcome = match status.as_str() {
        "delivered" => "delivered",
        "failed" | "gw_reject" | "gw_timeout" => "failed",
        // No delivery report (yet, or ever): it left Telnyx.
        "dlr_unconfirmed" | "dlr_timeout" => "sent",
        "received" => "received",
        _ => "pending",
    };
    let inbound = record.direction.as_deref() == Some("inbound");
    Some((
        sent,
        ImportedMessage {
            provider_message_id: record.uuid?,
            direction: if inbound { "inbound" } else { "outbound" }.into(),
            from: record.cli.unwrap_or_default(),
            to: record.cld.unwrap_or_default(),
            outcome: outcome.into(),
            status,
            error_code: record.errors.into_iter().next(),
            price: record.cost,
            price_unit: record.currency,
            sent_at: rfc3339(&sent),
            // Detail records carry no text.
            body_excerpt: None,
        },
    ))
}

fn from_elks(sms: Sms) -> Option<(DateTime<Utc>, ImportedMessage)> {
    let sent = parse_iso(sms.created.as_deref()?)?;
    let inbound = sms.direction.as_deref() == Some("incoming");
    // Incoming SMS have no status.
    let status = sms
        .status
        .unwrap_or_else(|| if inbound { "received" } else { "created" }.into());
    let outcome = match status.as_str() {
        "delivered" => "delivered",
        "failed" => "failed",
        "sent" => "sent",
        "received" => "received",
        _ if inbound => "received",
        _ => "pending",
    };
    Some((
        sent,
        ImportedMessage {
            provider_message_id: sms.id?,
            direction: if inbound { "inbound" } else { "outbound" }.into(),
            from: sms.from.unwrap_or_default(),
            to: sms.to.unwrap_or_default(),
            outcome: outcome.into(),
            status,
            error_code: None,
            // `cost` is in 1/10000 of the account's currency.
            price: sms.cost.map(|c| format!("{:.4}", c as f64 / 10_000.0)),
            price_unit: None,
            sent_at: rfc3339(&sent),
            body_excerpt: excerpt(sms.message.as_deref()),
        },
    ))
}

/// What an import needs before it calls the provider.
struct Plan {
    connector_id: String,
    client: AnyProviderClient,
    /// The connector's addresses as the provider writes them (`whatsapp:+…` on Twilio WhatsApp).
    addresses: BTreeSet<String>,
    since: DateTime<Utc>,
    first: bool,
}

#[derive(Default)]
struct Tally {
    pages: u32,
}

/// Decodes and stores pages on a blocking thread while the next page is fetched.
struct Writer {
    core: Switchboard,
    connector_id: String,
    pending: Option<JoinHandle<Result<Stored, CoreError>>>,
    fetched: u32,
    new: u32,
    updated: u32,
}

/// What storing a page did: (messages listed, new, updated).
type Stored = (u32, u32, u32);

/// A page's work off the async thread: (messages listed, rows to store).
type PageJob = Box<dyn FnOnce() -> Result<(u32, Vec<ImportedMessage>), CoreError> + Send>;

impl Writer {
    async fn settle(&mut self) -> Result<(), CoreError> {
        if let Some(handle) = self.pending.take() {
            let (fetched, new, updated) = handle
                .await
                .map_err(|e| CoreError::Interrupted(format!("storing imported messages: {e}")))??;
            self.fetched += fetched;
            self.new += new;
            self.updated += updated;
        }
        Ok(())
    }

    /// Waits for the previous page, then hands this one over.
    async fn submit(&mut self, job: PageJob) -> Result<(), CoreError> {
        self.settle().await?;
        let core = self.core.clone();
        let connector_id = self.connector_id.clone();
        self.pending = Some(tokio::task::spawn_blocking(move || {
            let (fetched, rows) = job()?;
            let (new, updated) = if rows.is_empty() {
                (0, 0)
            } else {
                core.store_imported(&connector_id, &rows)?
            };
            Ok((fetched, new, updated))
        }));
        Ok(())
    }
}

impl Switchboard {
    /// Imports the connector's message history from its provider now (see the module doc).
    pub async fn messages_sync(&self, reference: &str) -> Result<SyncReport, CoreError> {
        let started = Utc::now();
        let owned = reference.to_owned();
        let listed = self
            .blocking(move |core| {
                let connector = core.connector_resolve(&owned)?;
                Ok(core.store().numbers_fetched_at(&connector.id)?.is_some())
            })
            .await?;
        if !listed {
            // The numbers decide what is imported: list them first.
            self.numbers_refresh(reference).await?;
        }
        let owned = reference.to_owned();
        let plan = self
            .blocking(move |core| core.sync_plan(&owned, started))
            .await?;
        let mut tally = Tally::default();
        let mut writer = Writer {
            core: self.clone(),
            connector_id: plan.connector_id.clone(),
            pending: None,
            fetched: 0,
            new: 0,
            updated: 0,
        };
        let result = self.fetch_all(&plan, &mut tally, &mut writer).await;
        // Whatever happened, what was fetched is stored before we answer.
        let settled = writer.settle().await;
        result?;
        settled?;
        let report = SyncReport {
            connector_id: plan.connector_id.clone(),
            fetched: writer.fetched,
            new: writer.new,
            updated: writer.updated,
            pages: tally.pages,
            since: rfc3339(&plan.since),
            first: plan.first,
            freshness: Freshness::fresh(Some(rfc3339(&started))),
        };
        let saved = report.clone();
        self.blocking(move |core| core.save_sync(&saved, &started))
            .await?;
        Ok(report)
    }

    /// Imports now; when the provider cannot be reached, nothing new with the last import's
    /// time and the failure (`freshness.stale`), the messages already imported staying as they
    /// are (issue 11 §5). An error when the history was never imported.
    pub async fn messages_sync_or_last_known(
        &self,
        reference: &str,
    ) -> Result<SyncReport, CoreError> {
        let error = match self.messages_sync(reference).await {
            Ok(report) => return Ok(report),
            Err(error) => error,
        };
        let Some(failure) = offline_failure(&error).cloned() else {
            return Err(error);
        };
        let owned = reference.to_owned();
        let last = self
            .blocking(move |core| {
                let connector = core.connector_resolve(&owned)?;
                Ok(core
                    .store()
                    .synced_until(&connector.id)?
                    .map(|until| (connector.id, until)))
            })
            .await?;
        // The last finished import: what it fetched is what the provider listed at its start.
        let Some((connector_id, until)) = last else {
            return Err(error);
        };
        Ok(SyncReport {
            connector_id,
            fetched: 0,
            new: 0,
            updated: 0,
            pages: 0,
            since: until.clone(),
            first: false,
            freshness: Freshness::stale(Some(until), failure),
        })
    }

    /// Messages imported for the connector, newest first.
    pub fn imported_messages(
        &self,
        reference: &str,
        limit: u32,
    ) -> Result<Vec<ImportedMessage>, CoreError> {
        let connector = self.connector_resolve(reference)?;
        Ok(self.store().imported_messages(&connector.id, limit)?)
    }

    /// How many messages are imported for the connector.
    pub fn imported_count(&self, reference: &str) -> Result<u64, CoreError> {
        let connector = self.connector_resolve(reference)?;
        Ok(self.store().imported_count(&connector.id)?)
    }

    fn sync_plan(&self, reference: &str, started: DateTime<Utc>) -> Result<Plan, CoreError> {
        let connector = self.connector_resolve(reference)?;
        if connector.kind == ConnectorKind::Email {
            return Err(CoreError::Conflict(format!(
                "'{}' is an email connector: it has no message history at a provider",
                connector.name
            )));
        }
        let secret = self.connector_secret(&connector.id)?;
        let client = client_for(&connector, secret, self.provider_timeout())?;
        let addresses = self.history_addresses(&connector)?;
        if addresses.is_empty() {
            return Err(CoreError::Conflict(format!(
                "'{}' has no numbers or senders to import messages for: refresh its numbers, or \
                 set its sender",
                connector.name
            )));
        }
        let synced_until = self.store().synced_until(&connector.id)?;
        let previous = synced_until.as_deref().and_then(parse_iso);
        let since = match previous {
            Some(until) => until - OVERLAP,
            None => started - TimeDelta::days(FIRST_SYNC_DAYS),
        }
        // To the millisecond, as stored and reported, so the request says what the report says.
        .trunc_subsecs(3);
        Ok(Plan {
            connector_id: connector.id,
            client,
            addresses,
            since,
            first: previous.is_none(),
        })
    }

    /// The active numbers (all listed ones when none is active) and the configured sender.
    fn history_addresses(&self, connector: &Connector) -> Result<BTreeSet<String>, CoreError> {
        let numbers = self.store().numbers(&connector.id)?;
        let listed: Vec<_> = numbers.iter().filter(|n| !n.gone).collect();
        let chosen: Vec<_> = if listed.iter().any(|n| n.active) {
            listed.into_iter().filter(|n| n.active).collect()
        } else {
            listed
        };
        let whatsapp =
            |number: &str| format!("whatsapp:{}", number.trim_start_matches("whatsapp:"));
        let mut addresses: BTreeSet<String> = chosen
            .iter()
            .map(|n| match n.kind {
                NumberKind::WhatsappSender => whatsapp(&n.e164),
                NumberKind::Number => n.e164.clone(),
            })
            .collect();
        // A Messaging Service SID (a Twilio From may be one) is no address: the service sends
        // from its numbers, which the list above holds when they are the connector's.
        if let Some(from) = crate::messaging::settings::default_from_address(connector) {
            addresses.insert(if connector.kind == ConnectorKind::Whatsapp {
                whatsapp(from)
            } else {
                from.to_string()
            });
        }
        Ok(addresses)
    }

    async fn fetch_all(
        &self,
        plan: &Plan,
        tally: &mut Tally,
        writer: &mut Writer,
    ) -> Result<(), CoreError> {
        let since = plan.since;
        let keep = |sent: &DateTime<Utc>| *sent >= since;
        match &plan.client {
            AnyProviderClient::Twilio(client) => {
                // Twilio's DateSent filters name GMT days, inclusive: ask for the whole day and
                // keep what is recent enough here.
                let day = since.date_naive().format("%Y-%m-%d").to_string();
                for address in &plan.addresses {
                    let filters = [
                        MessageFilter {
                            from: Some(address.clone()),
                            date_sent_after: Some(day.clone()),
                            ..MessageFilter::default()
                        },
                        MessageFilter {
                            to: Some(address.clone()),
                            date_sent_after: Some(day.clone()),
                            ..MessageFilter::default()
                        },
                    ];
                    for filter in filters {
                        let mut pages = client.message_pages(&filter, TWILIO_PAGE_SIZE);
                        // Decoding a page of 1000 takes a while: it runs beside the next fetch.
                        while let Some(raw) = pages.next_raw_page().await? {
                            tally.pages += 1;
                            writer
                                .submit(Box::new(move || {
                                    let page = raw.decode()?;
                                    let fetched = page.len() as u32;
                                    let rows = page
                                        .into_iter()
                                        .filter_map(from_twilio)
                                        .filter(|(sent, _)| *sent >= since)
                                        .map(|(_, row)| row)
                                        .collect();
                                    Ok((fetched, rows))
                                }))
                                .await?;
                        }
                    }
                }
            }
            AnyProviderClient::Telnyx(client) => {
                let filter = DetailRecordFilter {
                    created_at_gte: Some(rfc3339(&since)),
                    ..DetailRecordFilter::default()
                };
                let mut pages = client.message_detail_record_pages(&filter, RECORDS_PAGE_SIZE);
                while let Some(page) = pages.next_page().await? {
                    tally.pages += 1;
                    let fetched = page.len() as u32;
                    let rows: Vec<_> = page
                        .into_iter()
                        .filter_map(from_telnyx)
                        .filter(|(sent, row)| keep(sent) && plan.concerns(row))
                        .map(|(_, row)| row)
                        .collect();
                    writer.submit(Box::new(move || Ok((fetched, rows)))).await?;
                }
            }
            AnyProviderClient::Elks(client) => {
                let filter = SmsHistoryFilter {
                    after: Some(since.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()),
                    to: None,
                };
                let mut pages = client.sms_pages(&filter, HISTORY_PAGE_SIZE);
                while let Some(page) = pages.next_page().await? {
                    tally.pages += 1;
                    let fetched = page.len() as u32;
                    let rows: Vec<_> = page
                        .into_iter()
                        .filter_map(from_elks)
                        .filter(|(sent, row)| keep(sent) && plan.concerns(row))
                        .map(|(_, row)| row)
                        .collect();
                    writer.submit(Box::new(move || Ok((fetched, rows)))).await?;
                }
            }
        }
        Ok(())
    }

    pub(crate) fn store_imported(
        &self,
        connector_id: &str,
        rows: &[ImportedMessage],
    ) -> Result<(u32, u32), CoreError> {
        Ok(self.store().store_imported(connector_id, rows)?)
    }

    fn save_sync(&self, report: &SyncReport, started: &DateTime<Utc>) -> Result<(), CoreError> {
        Ok(self.store().save_sync(report, started)?)
    }
}

impl Store {
    fn imported_messages(
        &self,
        connector_id: &str,
        limit: u32,
    ) -> Result<Vec<ImportedMessage>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare(
            "SELECT provider_message_id, direction, from_address, to_address, status, outcome,
                    error_code, price, price_unit, sent_at, body_excerpt
             FROM messages WHERE connector_id = ?1
             ORDER BY sent_at DESC, provider_message_id LIMIT ?2",
        )?;
        let rows = statement
            .query_map(params![connector_id, limit], |row| {
                Ok(ImportedMessage {
                    provider_message_id: row.get(0)?,
                    direction: row.get(1)?,
                    from: row.get(2)?,
                    to: row.get(3)?,
                    status: row.get(4)?,
                    outcome: row.get(5)?,
                    error_code: row.get(6)?,
                    price: row.get(7)?,
                    price_unit: row.get(8)?,
                    sent_at: row.get(9)?,
                    body_excerpt: row.get(10)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    fn imported_count(&self, connector_id: &str) -> Result<u64, StoreError> {
        let count: i64 = self.conn().query_row(
            "SELECT COUNT(*) FROM messages WHERE connector_id = ?1",
            params![connector_id],
            |row| row.get(0),
        )?;
        Ok(u64::try_from(count).unwrap_or_default())
    }

    fn synced_until(&self, connector_id: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT synced_until FROM message_sync WHERE connector_id = ?1",
                params![connector_id],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// Upserts one page in one transaction: (new, updated).
    fn store_imported(
        &self,
        connector_id: &str,
        rows: &[ImportedMessage],
    ) -> Result<(u32, u32), StoreError> {
        let now = crate::clock::now();
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let (mut new, mut updated) = (0, 0);
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO messages (connector_id, provider_message_id, direction, from_address,
                     to_address, status, outcome, error_code, price, price_unit, sent_at,
                     body_excerpt, imported_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)
                 ON CONFLICT (connector_id, provider_message_id) DO NOTHING",
            )?;
            let mut update = tx.prepare_cached(
                "UPDATE messages SET status = ?3, outcome = ?4, error_code = ?5, price = ?6,
                     price_unit = ?7, updated_at = ?8
                 WHERE connector_id = ?1 AND provider_message_id = ?2
                   AND (status IS NOT ?3 OR error_code IS NOT ?5 OR price IS NOT ?6)",
            )?;
            for row in rows {
                let inserted = insert.execute(params![
                    connector_id,
                    row.provider_message_id,
                    row.direction,
                    row.from,
                    row.to,
                    row.status,
                    row.outcome,
                    row.error_code,
                    row.price,
                    row.price_unit,
                    row.sent_at,
                    row.body_excerpt,
                    now,
                ])?;
                if inserted > 0 {
                    new += 1;
                } else {
                    updated += update.execute(params![
                        connector_id,
                        row.provider_message_id,
                        row.status,
                        row.outcome,
                        row.error_code,
                        row.price,
                        row.price_unit,
                        now,
                    ])? as u32;
                }
            }
        }
        tx.commit()?;
        Ok((new, updated))
    }

    /// Brings an imported outbound message up to date from a status callback, never moving a
    /// final outcome (delivered, failed) back. Whether the row changed.
    pub(crate) fn update_imported_status(
        &self,
        connector_id: &str,
        provider_message_id: &str,
        status: &str,
        outcome: &str,
        error_code: Option<&str>,
    ) -> Result<bool, StoreError> {
        let changed = self.conn().execute(
            "UPDATE messages SET status = ?3, outcome = ?4, error_code = COALESCE(?5, error_code),
                 updated_at = ?6
             WHERE connector_id = ?1 AND provider_message_id = ?2 AND direction = 'outbound'
               AND outcome NOT IN ('delivered', 'failed') AND status IS NOT ?3",
            params![
                connector_id,
                provider_message_id,
                status,
                outcome,
                error_code,
                crate::clock::now()
            ],
        )?;
        Ok(changed > 0)
    }

    fn save_sync(&self, report: &SyncReport, started: &DateTime<Utc>) -> Result<(), StoreError> {
        self.conn().execute(
            "INSERT INTO message_sync (connector_id, synced_until, last_sync_at, last_fetched,
                 last_new, last_pages)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (connector_id) DO UPDATE SET synced_until = excluded.synced_until,
                 last_sync_at = excluded.last_sync_at, last_fetched = excluded.last_fetched,
                 last_new = excluded.last_new, last_pages = excluded.last_pages",
            params![
                report.connector_id,
                rfc3339(started),
                crate::clock::now(),
                report.fetched,
                report.new,
                report.pages,
            ],
        )?;
        Ok(())
    }
}

impl Plan {
    /// A listed message from or to one of the connector's addresses (Telnyx and 46elks list the
    /// whole account).
    fn concerns(&self, row: &ImportedMessage) -> bool {
        self.addresses.contains(&row.from) || self.addresses.contains(&row.to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_times_parse() {
        let twilio = parse_rfc2822("Thu, 30 Jul 2015 20:00:00 +0000").unwrap();
        assert_eq!(rfc3339(&twilio), "2015-07-30T20:00:00.000Z");
        let elks = parse_iso("2018-02-14T09:52:07.302000").unwrap();
        assert_eq!(rfc3339(&elks), "2018-02-14T09:52:07.302Z");
        let telnyx = parse_iso("2019-01-23T18:10:02.574Z").unwrap();
        assert_eq!(rfc3339(&telnyx), "2019-01-23T18:10:02.574Z");
    }

    #[test]
    fn outcomes() {
        let sms = |status: Option<&str>, direction: &str| Sms {
            id: Some("s1".into()),
            direction: Some(direction.into()),
            status: status.map(str::to_string),
            created: Some("2018-02-14T09:52:07.302000".into()),
            cost: Some(3500),
            ..Sms::default()
        };
        let (_, row) = from_elks(sms(Some("failed"), "outgoing")).unwrap();
        assert_eq!(
            (row.outcome.as_str(), row.price.as_deref()),
            ("failed", Some("0.3500"))
        );
        let (_, row) = from_elks(sms(None, "incoming")).unwrap();
        assert_eq!(
            (row.direction.as_str(), row.outcome.as_str()),
            ("inbound", "received")
        );
        let record = MessageDetailRecord {
            uuid: Some("u".into()),
            status: Some("gw_reject".into()),
            errors: vec!["40002".into()],
            created_at: Some("2019-01-23T18:10:02.574Z".into()),
            ..MessageDetailRecord::default()
        };
        let (_, row) = from_telnyx(record).unwrap();
        assert_eq!(
            (row.outcome.as_str(), row.error_code.as_deref()),
            ("failed", Some("40002"))
        );
        let queued = TwilioMessage {
            sid: Some("SM1".into()),
            ..TwilioMessage::default()
        };
        assert!(from_twilio(queued).is_none(), "not sent yet: no date_sent");
    }

    #[test]
    fn a_status_callback_brings_an_imported_message_up_to_date_and_never_back() {
        use std::sync::Arc;

        use crate::{
            ConnectorDraft, ConnectorSettings, MemorySecretStore, OrganizationDraft, TwilioSettings,
        };

        let core = Switchboard::new(
            Store::open_in_memory().unwrap(),
            Arc::new(MemorySecretStore::default()),
        );
        let org = core
            .organization_create(&OrganizationDraft {
                name: "Grand Hotel".into(),
                inbound_base_url: None,
            })
            .unwrap()
            .id;
        let connector = core
            .connector_create(&ConnectorDraft {
                org_id: org,
                kind: ConnectorKind::Sms,
                name: "Front desk".into(),
                settings: ConnectorSettings::Twilio(TwilioSettings {
                    account_sid: "AC0123456789abcdef0123456789abcdef".into(),
                    base_url: Some("http://127.0.0.1:9".into()),
                    from: Some("+14155550101".into()),
                    ..TwilioSettings::default()
                }),
                recipients: vec![],
                receive_inbound: true,
                secret: Some("token".into()),
            })
            .unwrap()
            .id;
        let sent = ImportedMessage {
            provider_message_id: "SM1".into(),
            direction: "outbound".into(),
            from: "+14155550101".into(),
            to: "+46701234567".into(),
            status: "sent".into(),
            outcome: "sent".into(),
            error_code: None,
            price: None,
            price_unit: None,
            sent_at: crate::clock::now(),
            body_excerpt: None,
        };
        core.store_imported(&connector, &[sent]).unwrap();
        let before = core.messaging_stats(&connector, 7).unwrap();
        assert_eq!((before.total_sent, before.total_fails), (1, 0));

        assert!(
            core.apply_status_to_imported(&connector, "SM1", "undelivered", Some("30003"))
                .unwrap()
        );
        let stored = &core.imported_messages(&connector, 10).unwrap()[0];
        assert_eq!(
            (
                stored.status.as_str(),
                stored.outcome.as_str(),
                stored.error_code.as_deref()
            ),
            ("undelivered", "failed", Some("30003"))
        );
        let after = core.messaging_stats(&connector, 7).unwrap();
        assert_eq!(
            (after.total_sent, after.total_fails),
            (0, 1),
            "the statistics follow"
        );

        // A late "sent" never moves a final outcome back; an unknown message changes nothing.
        assert!(
            !core
                .apply_status_to_imported(&connector, "SM1", "sent", None)
                .unwrap()
        );
        assert_eq!(
            core.imported_messages(&connector, 10).unwrap()[0].outcome,
            "failed"
        );
        assert!(
            !core
                .apply_status_to_imported(&connector, "SM404", "delivered", None)
                .unwrap()
        );
    }
}
