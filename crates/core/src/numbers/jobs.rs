//! Bulk webhook changes: a job and its journal in SQLite, written before any change reaches the
//! provider, so a crash or a kill loses nothing: the job can be resumed or rolled back.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use switchboard_providers::ProviderFailure;
use tokio::task::JoinSet;

use crate::audit::{AuditEntry, audit_entry, insert_audit_on};
use crate::clock::now;
use crate::error::CoreError;
use crate::ids::new_id;
use crate::logs::{LogAction, LogRecord};
use crate::model::Connector;
use crate::service::Switchboard;
use crate::store::{Store, StoreError};

use super::provider::{NumberOps, Observed, WebhookOverride, WebhookWrite, WriteFailure};
use super::store::{record_webhook, record_webhook_failure};
use super::{PhoneNumber, WebhookState, assess, normalize_e164};

/// The most numbers a job has under way at once unless the caller sets a cap. How many of
/// them are actually in flight is the account's window, learned from the provider's answers
/// (see [`crate::limiter`]); the app and the CLI pass `None` to get this.
pub const DEFAULT_CONCURRENCY: usize = crate::limiter::MAX_WINDOW as usize;
/// Numbers a job keeps waiting at the account's window beyond what it lets in, so a slot that
/// frees is taken at once (and a growing window is seen to be the limit).
const WAITING_AT_WINDOW: usize = 4;

/// Where a running job reports each step (the CLI prints them on stderr; the app pushes them
/// to the UI over a channel).
pub type ProgressSink<'a> = &'a (dyn Fn(&JobProgress) + Send + Sync);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// Started and not finished: after a crash, resume or roll it back.
    Running,
    Finished,
    RolledBack,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum JobOutcome {
    /// Journaled, not (known to be) done: the change may or may not have reached the provider.
    Pending,
    /// The provider took the change (its answer was read back).
    Changed,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct JobItem {
    pub e164: String,
    pub provider_id: String,
    /// What the provider had before (what a rollback restores).
    pub previous_url: Option<String>,
    pub previous_method: Option<String>,
    pub new_url: Option<String>,
    /// The method written with `new_url` (POST when absent).
    pub new_method: Option<String>,
    /// Telnyx: the messaging profile the number was on before (empty: none). Absent for other
    /// providers and for jobs journaled before the profile was kept.
    pub previous_profile: Option<String>,
    /// Telnyx: the messaging profile the job puts the number on (empty: none).
    pub new_profile: Option<String>,
    pub outcome: JobOutcome,
    /// A failed write that may still have reached the provider (a timeout, a 5xx): a rollback
    /// restores it too.
    pub may_have_landed: bool,
    /// Why it failed, or why the read-back differs from what was written.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct WebhookJob {
    pub id: String,
    pub connector_id: String,
    /// `set` or `rollback`.
    pub kind: String,
    pub rollback_of: Option<String>,
    pub state: JobState,
    pub created_at: String,
    pub finished_at: Option<String>,
    pub items: Vec<JobItem>,
}

impl WebhookJob {
    pub fn count(&self, outcome: JobOutcome) -> usize {
        self.items.iter().filter(|i| i.outcome == outcome).count()
    }
}

/// How far a running job is: sent once before the first write and once after each number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct JobProgress {
    pub job_id: String,
    pub done: u32,
    pub total: u32,
    pub changed: u32,
    pub failed: u32,
    /// The number just finished; absent in the first message.
    pub current: Option<JobStep>,
}

/// One number's result within a [`JobProgress`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct JobStep {
    pub e164: String,
    pub outcome: JobOutcome,
    pub reason: Option<String>,
}

/// The preview of a bulk set: old → new per number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct WebhookPlanItem {
    pub e164: String,
    pub current_url: Option<String>,
    pub new_url: String,
    pub webhook_state: WebhookState,
}

fn outcome_str(outcome: JobOutcome) -> &'static str {
    match outcome {
        JobOutcome::Pending => "pending",
        JobOutcome::Changed => "changed",
        JobOutcome::Failed => "failed",
    }
}

fn parse_outcome(value: &str) -> JobOutcome {
    match value {
        "changed" => JobOutcome::Changed,
        "failed" => JobOutcome::Failed,
        _ => JobOutcome::Pending,
    }
}

fn parse_state(value: &str) -> JobState {
    match value {
        "finished" => JobState::Finished,
        "rolled_back" => JobState::RolledBack,
        _ => JobState::Running,
    }
}

impl Store {
    fn insert_job(
        &self,
        id: &str,
        connector_id: &str,
        kind: &str,
        rollback_of: Option<&str>,
        items: &[JobItem],
        now: &str,
    ) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO webhook_jobs (id, connector_id, kind, rollback_of, state, created_at)
             VALUES (?1, ?2, ?3, ?4, 'running', ?5)",
            params![id, connector_id, kind, rollback_of, now],
        )?;
        {
            let mut insert = tx.prepare(
                "INSERT INTO webhook_job_items (job_id, e164, provider_id, previous_url,
                     previous_method, new_url, new_method, previous_profile, new_profile,
                     outcome, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'pending', ?10)",
            )?;
            for item in items {
                insert.execute(params![
                    id,
                    item.e164,
                    item.provider_id,
                    item.previous_url,
                    item.previous_method,
                    item.new_url,
                    item.new_method,
                    item.previous_profile,
                    item.new_profile,
                    now
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn set_job_state(&self, id: &str, state: &str, now: &str) -> Result<(), StoreError> {
        self.conn().execute(
            "UPDATE webhook_jobs SET state = ?2, finished_at = COALESCE(finished_at, ?3)
             WHERE id = ?1",
            params![id, state, now],
        )?;
        Ok(())
    }

    fn job(&self, id: &str) -> Result<Option<WebhookJob>, StoreError> {
        let conn = self.conn();
        let job = conn
            .query_row(
                "SELECT id, connector_id, kind, rollback_of, state, created_at, finished_at
                 FROM webhook_jobs WHERE id = ?1",
                [id],
                |row| {
                    let state: String = row.get(4)?;
                    Ok(WebhookJob {
                        id: row.get(0)?,
                        connector_id: row.get(1)?,
                        kind: row.get(2)?,
                        rollback_of: row.get(3)?,
                        state: parse_state(&state),
                        created_at: row.get(5)?,
                        finished_at: row.get(6)?,
                        items: Vec::new(),
                    })
                },
            )
            .optional()?;
        let Some(mut job) = job else {
            return Ok(None);
        };
        let mut statement = conn.prepare(
            "SELECT e164, provider_id, previous_url, previous_method, new_url, outcome, reason,
                 new_method, previous_profile, new_profile, may_have_landed
             FROM webhook_job_items WHERE job_id = ?1 ORDER BY e164",
        )?;
        let items = statement.query_map([id], |row| {
            let outcome: String = row.get(5)?;
            Ok(JobItem {
                e164: row.get(0)?,
                provider_id: row.get(1)?,
                previous_url: row.get(2)?,
                previous_method: row.get(3)?,
                new_url: row.get(4)?,
                new_method: row.get(7)?,
                previous_profile: row.get(8)?,
                new_profile: row.get(9)?,
                outcome: parse_outcome(&outcome),
                reason: row.get(6)?,
                may_have_landed: row.get(10)?,
            })
        })?;
        job.items = items.collect::<Result<_, _>>()?;
        Ok(Some(job))
    }

    fn job_ids(&self, connector_id: Option<&str>, prefix: &str) -> Result<Vec<String>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare(
            "SELECT id FROM webhook_jobs WHERE (?1 IS NULL OR connector_id = ?1)
             AND id LIKE ?2 || '%' ORDER BY created_at DESC",
        )?;
        let rows = statement.query_map(params![connector_id, prefix], |row| row.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl Switchboard {
    /// The numbers a bulk set would change, old → new. `numbers` empty means every active
    /// number. Refused when the connector does not receive inbound data, when there is no URL
    /// to set, or when a named number is not active.
    pub fn webhook_plan(
        &self,
        reference: &str,
        numbers: &[String],
    ) -> Result<Vec<WebhookPlanItem>, CoreError> {
        let connector = self.connector_resolve(reference)?;
        if !connector.receive_inbound {
            return Err(CoreError::Conflict(format!(
                "'{}' has \"Receive inbound data\" off: turn it on to set webhooks",
                connector.name
            )));
        }
        let Some(url) = self.expected_url(&connector)? else {
            return Err(CoreError::Conflict(
                "The organization has no inbound base URL: set it first (org edit --inbound-base-url)"
                    .into(),
            ));
        };
        let known = self.store().numbers(&connector.id)?;
        let chosen: Vec<_> = if numbers.is_empty() {
            known.into_iter().filter(|n| n.active && !n.gone).collect()
        } else {
            let mut chosen = Vec::new();
            for (index, raw) in numbers.iter().enumerate() {
                let e164 = normalize_e164(raw);
                let Some(number) = known.iter().find(|n| n.e164 == e164) else {
                    return Err(CoreError::field(
                        format!("numbers[{index}]"),
                        format!("'{raw}' is not in this connector's list"),
                    ));
                };
                if !number.active {
                    return Err(CoreError::Conflict(format!(
                        "{e164} is not active: activate it first (only active numbers get a webhook)"
                    )));
                }
                if number.gone {
                    return Err(CoreError::Conflict(format!(
                        "{e164} is no longer in the provider account"
                    )));
                }
                chosen.push(number.clone());
            }
            chosen
        };
        if chosen.is_empty() {
            return Err(CoreError::Conflict(
                "No active numbers: activate the numbers to use first".into(),
            ));
        }
        Ok(chosen
            .into_iter()
            .map(|n| WebhookPlanItem {
                e164: n.e164,
                current_url: n.webhook_url,
                new_url: url.clone(),
                webhook_state: n.webhook_state,
            })
            .collect())
    }

    /// Sets the connector's webhook URL on the chosen numbers (see [`Self::webhook_plan`]),
    /// as many at a time as the account takes (its learned window), at most `concurrency`
    /// (`None`: [`DEFAULT_CONCURRENCY`]). Reads the provider's list
    /// first, so the journal keeps what each number has there now, not what was cached.
    pub async fn webhook_set(
        &self,
        reference: &str,
        numbers: &[String],
        concurrency: Option<usize>,
        progress: ProgressSink<'_>,
    ) -> Result<WebhookJob, CoreError> {
        let connector = self.connector_resolve(reference)?;
        // Refused early (no inbound data, no URL, a number not active) without a provider call.
        self.webhook_plan(&connector.id, numbers)?;
        // One job per connector, across windows and processes: held until this job ends.
        let _lock = self.lock_bulk_job(&connector)?;
        let ops = self.number_ops(&connector)?;
        self.numbers_refresh(&connector.id).await?;
        let plan = self.webhook_plan(&connector.id, numbers)?;
        let known: HashMap<String, PhoneNumber> = self
            .store()
            .numbers(&connector.id)?
            .into_iter()
            .map(|n| (n.e164.clone(), n))
            .collect();
        let mut items = Vec::with_capacity(plan.len());
        for p in &plan {
            let Some(number) = known.get(&p.e164) else {
                continue;
            };
            let (previous_profile, new_profile) = if ops.is_telnyx() {
                let current = self.store().number_profile(&connector.id, &p.e164)?;
                // No target: the write fails, saying to set the connector's profile.
                let target = ops.target_profile(current.as_deref());
                (Some(current.unwrap_or_default()), target)
            } else {
                (None, None)
            };
            items.push(JobItem {
                e164: p.e164.clone(),
                provider_id: number.provider_id.clone(),
                previous_url: number.webhook_url.clone(),
                previous_method: number.webhook_method.clone(),
                new_url: Some(p.new_url.clone()),
                new_method: Some("POST".into()),
                previous_profile,
                new_profile,
                outcome: JobOutcome::Pending,
                reason: None,
                may_have_landed: false,
            });
        }
        let id = new_id();
        self.store()
            .insert_job(&id, &connector.id, "set", None, &items, &now())?;
        self.run_job(&connector, &ops, &id, items, concurrency, progress)
            .await
    }

    /// Goes on with a job that was interrupted (its pending numbers are written again: a
    /// webhook write is idempotent).
    pub async fn webhook_resume(
        &self,
        job_ref: &str,
        concurrency: Option<usize>,
        progress: ProgressSink<'_>,
    ) -> Result<WebhookJob, CoreError> {
        let job = self.webhook_job(job_ref)?;
        let connector = self.connector(&job.connector_id)?;
        let _lock = self.lock_bulk_job(&connector)?;
        // Read again under the lock: the job may have ended while another process ran it.
        let job = self.webhook_job(&job.id)?;
        if job.state != JobState::Running {
            return Err(CoreError::Conflict(format!(
                "Job {} is not interrupted: nothing to resume",
                job.id
            )));
        }
        let ops = self.number_ops(&connector)?;
        let pending = job
            .items
            .into_iter()
            .filter(|i| i.outcome == JobOutcome::Pending)
            .collect();
        self.run_job(&connector, &ops, &job.id, pending, concurrency, progress)
            .await
    }

    /// Restores every number a job changed (or may have changed) to its previous URL, method
    /// and (Telnyx) profile, as a new job of kind `rollback`. Only a number whose write
    /// certainly did not land (the provider refused it) is left alone.
    pub async fn webhook_rollback(
        &self,
        job_ref: &str,
        concurrency: Option<usize>,
        progress: ProgressSink<'_>,
    ) -> Result<WebhookJob, CoreError> {
        let job = self.webhook_job(job_ref)?;
        let connector = self.connector(&job.connector_id)?;
        let _lock = self.lock_bulk_job(&connector)?;
        // Read again under the lock: another process may have finished or rolled it back.
        let job = self.webhook_job(&job.id)?;
        if job.state == JobState::RolledBack {
            return Err(CoreError::Conflict(format!(
                "Job {} was rolled back already",
                job.id
            )));
        }
        let ops = self.number_ops(&connector)?;
        let items: Vec<JobItem> = job
            .items
            .iter()
            .filter(|i| i.outcome != JobOutcome::Failed || i.may_have_landed)
            .map(|i| JobItem {
                e164: i.e164.clone(),
                provider_id: i.provider_id.clone(),
                previous_url: i.new_url.clone(),
                previous_method: i.new_method.clone(),
                new_url: i.previous_url.clone(),
                new_method: i.previous_method.clone(),
                previous_profile: i.new_profile.clone(),
                new_profile: i.previous_profile.clone(),
                outcome: JobOutcome::Pending,
                reason: None,
                may_have_landed: false,
            })
            .collect();
        let id = new_id();
        self.store().insert_job(
            &id,
            &connector.id,
            "rollback",
            Some(&job.id),
            &items,
            &now(),
        )?;
        let rollback = self
            .run_job(&connector, &ops, &id, items, concurrency, progress)
            .await?;
        if rollback.count(JobOutcome::Failed) == 0 {
            self.store().set_job_state(&job.id, "rolled_back", &now())?;
        }
        Ok(rollback)
    }

    pub fn webhook_job(&self, reference: &str) -> Result<WebhookJob, CoreError> {
        let reference = reference.trim();
        let ids = if reference.is_empty() {
            Vec::new()
        } else {
            self.store().job_ids(None, reference)?
        };
        match ids.as_slice() {
            [id] => self.store().job(id)?.ok_or_else(|| CoreError::NotFound {
                what: "Job",
                reference: reference.to_owned(),
            }),
            [] => Err(CoreError::NotFound {
                what: "Job",
                reference: reference.to_owned(),
            }),
            _ => Err(CoreError::Ambiguous(format!(
                "'{reference}' matches {} jobs: give more of the id",
                ids.len()
            ))),
        }
    }

    /// The connector's jobs, newest first.
    pub fn webhook_jobs(&self, reference: &str) -> Result<Vec<WebhookJob>, CoreError> {
        let connector = self.connector_resolve(reference)?;
        let mut jobs = Vec::new();
        for id in self.store().job_ids(Some(&connector.id), "")? {
            if let Some(job) = self.store().job(&id)? {
                jobs.push(job);
            }
        }
        Ok(jobs)
    }

    async fn run_job(
        &self,
        connector: &Connector,
        ops: &NumberOps,
        job_id: &str,
        items: Vec<JobItem>,
        concurrency: Option<usize>,
        progress: ProgressSink<'_>,
    ) -> Result<WebhookJob, CoreError> {
        let action = match self.store().job(job_id)?.map(|job| job.kind) {
            Some(kind) if kind == "rollback" => "webhook.rollback",
            _ => "webhook.set",
        };
        let expected = self.expected_url(connector)?;
        // Each number's profile and override, read once rather than once per number.
        let contexts = self.store().number_contexts(&connector.id)?;
        let mut report = JobProgress {
            job_id: job_id.to_owned(),
            done: 0,
            total: u32::try_from(items.len()).unwrap_or(u32::MAX),
            changed: 0,
            failed: 0,
            current: None,
        };
        progress(&report);
        let mut queue = items.into_iter();
        let mut running = JoinSet::new();
        // An explicit concurrency is a cap; the account's window decides below it.
        let cap = concurrency.unwrap_or(DEFAULT_CONCURRENCY).max(1);
        let window = self.account_limiter(connector);
        let mut top_up = |running: &mut JoinSet<_>| {
            while running.len() < cap.min(window.allowed() + WAITING_AT_WINDOW) {
                let Some(item) = queue.next() else { break };
                let context = contexts.get(&item.e164).cloned().unwrap_or_default();
                let ops = ops.clone();
                running.spawn(async move {
                    let write = WebhookWrite {
                        url: item.new_url.as_deref(),
                        method: item.new_method.as_deref(),
                        profile: item.new_profile.as_deref(),
                    };
                    let result = ops
                        .set(&item.provider_id, context.profile.as_deref(), &write)
                        .await;
                    (item, context.webhook_override, result)
                });
            }
        };
        loop {
            top_up(&mut running);
            let Some(joined) = running.join_next().await else {
                break;
            };
            // Every answer already in, then the freed slots refilled before the bookkeeping:
            // recording a result never holds a slot of the account's window idle.
            let mut finished = vec![joined];
            while let Some(more) = running.try_join_next() {
                finished.push(more);
            }
            top_up(&mut running);
            let mut results = Vec::with_capacity(finished.len());
            for joined in finished {
                let (item, known_override, result) = joined.map_err(|e| {
                    CoreError::Interrupted(format!("A webhook update stopped unexpectedly: {e}"))
                })?;
                results.push(self.item_result(
                    connector,
                    action,
                    expected.as_deref(),
                    item,
                    known_override,
                    result,
                ));
            }
            self.store()
                .record_results(&connector.id, job_id, &results)?;
            for result in results {
                if let Some(failure) = &result.failure {
                    self.log(
                        LogRecord::provider(connector, LogAction::WebhookSet, failure)
                            .number(Some(&result.e164)),
                    );
                }
                report.done += 1;
                match result.outcome {
                    JobOutcome::Changed => report.changed += 1,
                    JobOutcome::Failed => report.failed += 1,
                    JobOutcome::Pending => {}
                }
                report.current = Some(JobStep {
                    e164: result.e164,
                    outcome: result.outcome,
                    reason: result.reason,
                });
                progress(&report);
            }
        }
        self.store().set_job_state(job_id, "finished", &now())?;
        self.store()
            .job(job_id)?
            .ok_or_else(|| CoreError::NotFound {
                what: "Job",
                reference: job_id.to_owned(),
            })
    }

    /// What one number's write ended with, as the journal, the numbers list and the audit
    /// log record it.
    fn item_result(
        &self,
        connector: &Connector,
        action: &str,
        expected: Option<&str>,
        item: JobItem,
        known_override: Option<WebhookOverride>,
        result: Result<Observed, WriteFailure>,
    ) -> ItemResult {
        match result {
            Ok(mut observed) => {
                // A number's write answer cannot show a Messaging Service taking it over; the
                // list read before the job can.
                if observed.overridden_by.is_none()
                    && let Some(service @ WebhookOverride::MessagingService { .. }) = known_override
                {
                    observed.overridden_by = Some(service);
                }
                let (state, why) = assess(expected, &observed);
                let differs = observed.url != item.new_url;
                // Without the URL itself: a step's reason is pushed to the window as the job
                // runs, where no webhook token may travel (the number's row and the drift
                // report show the URL the provider kept).
                let note = if differs {
                    Some(if observed.url.is_some() {
                        "The provider kept another URL than the one written: the drift report \
                         shows it"
                            .to_owned()
                    } else {
                        "The provider answered with no URL instead of the one written".to_owned()
                    })
                } else {
                    why.clone()
                };
                let audit = audit_entry(
                    connector,
                    action,
                    &item.e164,
                    item.previous_url.as_deref(),
                    observed.url.as_deref(),
                );
                ItemResult {
                    webhook: RecordedWebhook::Read {
                        observed,
                        state,
                        reason: why,
                    },
                    audit: Some(audit),
                    outcome: if differs {
                        JobOutcome::Failed
                    } else {
                        JobOutcome::Changed
                    },
                    reason: note,
                    // The provider took a write, if not the value sent: a rollback undoes it.
                    landed: differs,
                    failure: None,
                    e164: item.e164,
                }
            }
            Err(failure) => {
                let provider_failure = failure.error.failure();
                let text = provider_failure.summary();
                ItemResult {
                    webhook: RecordedWebhook::Failed(text.clone()),
                    audit: None,
                    outcome: JobOutcome::Failed,
                    reason: Some(text),
                    landed: failure.may_have_landed,
                    failure: Some(provider_failure),
                    e164: item.e164,
                }
            }
        }
    }
}

/// What a job writes to the numbers list for one number.
enum RecordedWebhook {
    /// What the provider answered the write with.
    Read {
        observed: Observed,
        state: WebhookState,
        reason: Option<String>,
    },
    /// The write failed: why.
    Failed(String),
}

/// One number's result in a job.
struct ItemResult {
    e164: String,
    webhook: RecordedWebhook,
    audit: Option<AuditEntry>,
    outcome: JobOutcome,
    reason: Option<String>,
    landed: bool,
    /// The provider failure, for the log.
    failure: Option<ProviderFailure>,
}

impl Store {
    /// Records the results that came in together, in one transaction: each number's webhook
    /// in the list, its audit entry and its journal line.
    fn record_results(
        &self,
        connector_id: &str,
        job_id: &str,
        results: &[ItemResult],
    ) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let at = now();
        for result in results {
            match &result.webhook {
                RecordedWebhook::Read {
                    observed,
                    state,
                    reason,
                } => record_webhook(
                    &tx,
                    connector_id,
                    &result.e164,
                    observed,
                    *state,
                    reason.as_deref(),
                )?,
                RecordedWebhook::Failed(reason) => {
                    record_webhook_failure(&tx, connector_id, &result.e164, reason)?;
                }
            }
            if let Some(entry) = &result.audit {
                insert_audit_on(&tx, entry)?;
            }
            tx.prepare_cached(
                "UPDATE webhook_job_items SET outcome = ?3, reason = ?4, may_have_landed = ?5,
                     updated_at = ?6
                 WHERE job_id = ?1 AND e164 = ?2",
            )?
            .execute(params![
                job_id,
                result.e164,
                outcome_str(result.outcome),
                result.reason,
                result.landed,
                at
            ])?;
        }
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_round_trip() {
        for outcome in [JobOutcome::Pending, JobOutcome::Changed, JobOutcome::Failed] {
            assert_eq!(parse_outcome(outcome_str(outcome)), outcome);
        }
        assert_eq!(parse_state("rolled_back"), JobState::RolledBack);
    }
}
