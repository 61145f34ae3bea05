//! Numbers and WhatsApp senders: the provider's list kept in SQLite, activation, the connector's
//! inbound webhook URL, setting and verifying it per number, bulk jobs with a journal and
//! rollback, and the drift report.

mod jobs;
mod lock;
mod provider;
mod store;

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use switchboard_providers::ProviderFailure;

pub use jobs::DEFAULT_CONCURRENCY;
pub use jobs::{
    JobItem, JobOutcome, JobProgress, JobState, JobStep, ProgressSink, WebhookJob, WebhookPlanItem,
};
pub use provider::WebhookOverride;

use crate::adapter::client_for_gated;
use crate::clock::now;
use crate::error::CoreError;
use crate::freshness::{Freshness, offline_failure};
use crate::ids::new_id;
use crate::model::{Connector, ConnectorKind, ProviderKind};
use crate::service::Switchboard;
use crate::store::{Store, StoreError};
use provider::{Listed, NumberOps, Observed};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum NumberKind {
    Number,
    WhatsappSender,
}

impl NumberKind {
    fn as_str(self) -> &'static str {
        match self {
            NumberKind::Number => "number",
            NumberKind::WhatsappSender => "whatsapp_sender",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum WebhookState {
    /// Not compared yet (no inbound base URL, or never listed).
    Unknown,
    /// The provider has the connector's URL and nothing overrides it.
    Configured,
    /// The provider has no URL, another URL, another method, or something overrides it.
    NotSet,
    /// The connector's URL was regenerated after this number was set.
    NeedsReset,
    /// The last attempt to set it failed (see the reason).
    Failed,
}

impl WebhookState {
    fn as_str(self) -> &'static str {
        match self {
            WebhookState::Unknown => "unknown",
            WebhookState::Configured => "configured",
            WebhookState::NotSet => "not_set",
            WebhookState::NeedsReset => "needs_reset",
            WebhookState::Failed => "failed",
        }
    }

    fn parse(value: &str) -> Self {
        match value {
            "configured" => WebhookState::Configured,
            "not_set" => WebhookState::NotSet,
            "needs_reset" => WebhookState::NeedsReset,
            "failed" => WebhookState::Failed,
            _ => WebhookState::Unknown,
        }
    }
}

/// An agent a number is bound to (through a channel).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct BoundAgent {
    pub id: String,
    pub name: String,
}

/// A number or WhatsApp sender of the connector's provider account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct PhoneNumber {
    pub connector_id: String,
    pub e164: String,
    /// `PN…` / `XE…` (Twilio), the Telnyx number id, `n…` (46elks).
    pub provider_id: String,
    pub kind: NumberKind,
    pub friendly_name: Option<String>,
    pub capabilities: Vec<String>,
    /// The provider's status (for senders, the Senders API status such as `ONLINE`, `OFFLINE`).
    pub provider_status: Option<String>,
    pub quality_rating: Option<String>,
    pub messaging_limit: Option<String>,
    pub offline_reasons: Vec<String>,
    /// The inbound webhook as last read from the provider.
    pub webhook_url: Option<String>,
    pub webhook_method: Option<String>,
    pub webhook_override: Option<WebhookOverride>,
    /// Chosen for use in Switchboard (only active numbers get webhooks and channels).
    pub active: bool,
    pub webhook_state: WebhookState,
    pub webhook_reason: Option<String>,
    /// No longer in the provider account at the last refresh.
    pub gone: bool,
    pub last_seen_at: String,
    pub agent: Option<BoundAgent>,
}

/// The most numbers one page of the list may hold ([`Switchboard::numbers_page`]).
pub const MAX_PAGE: u32 = 1000;

/// One page of the last fetched list, in the list's order (those in the account by E.164, then
/// those gone from it), with what the Numbers section shows of the whole list: a list of
/// thousands is read a page at a time as it scrolls instead of sent whole to the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct NumberPage {
    pub connector_id: String,
    /// When the list was last fetched from the provider (`None`: never; press Refresh).
    pub fetched_at: Option<String>,
    /// How many numbers the whole list holds (gone ones included).
    pub total: u32,
    /// How many of them are active.
    pub active: u32,
    /// The position of this page's first number in the list (0-based).
    pub offset: u32,
    pub numbers: Vec<PhoneNumber>,
}

/// What a refresh of the list tells: how many numbers it holds and how fresh it is. Its rows are
/// read a page at a time ([`Switchboard::numbers_page`]), not sent whole again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct NumberSummary {
    pub connector_id: String,
    /// When the list was last fetched from the provider (`None`: never).
    pub fetched_at: Option<String>,
    /// How many numbers the list holds (gone ones included).
    pub total: u32,
    /// How many of them are active.
    pub active: u32,
    /// Fresh, or the last known list because the provider could not be reached.
    pub freshness: Freshness,
}

/// The Numbers section: the last fetched list and how old it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct NumberList {
    pub connector_id: String,
    /// When the list was last fetched from the provider (`None`: never; press Refresh).
    pub fetched_at: Option<String>,
    /// The URL every active number should have (`None` without an inbound base URL).
    pub expected_webhook_url: Option<String>,
    pub numbers: Vec<PhoneNumber>,
    /// Fresh, or the last known list because the provider could not be reached.
    pub freshness: Freshness,
}

/// The connector's inbound webhook URL, or why there is none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct WebhookUrl {
    pub connector_id: String,
    pub url: Option<String>,
    /// Why `url` is missing (no inbound base URL on the organization).
    pub missing_reason: Option<String>,
    /// Active numbers flagged "Webhook needs to be set again" (after a regenerate).
    pub needs_reset: u32,
}

/// The drift report, with how fresh it is: stale when any connector's provider could not be
/// reached (its lines then compare with its last known list; `asOf` is the oldest such list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DriftReport {
    pub entries: Vec<DriftEntry>,
    pub freshness: Freshness,
}

/// One line of the drift report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DriftEntry {
    pub connector_id: String,
    pub connector_name: String,
    pub e164: String,
    pub expected_url: Option<String>,
    pub actual_url: Option<String>,
    pub actual_method: Option<String>,
    /// Empty when the number is as expected.
    pub reasons: Vec<DriftReason>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum DriftReason {
    NoInboundBaseUrl,
    NotSet,
    UrlMismatch,
    WrongMethod { method: String },
    OverriddenByMessagingService { sid: String, name: Option<String> },
    OverriddenByApplication { sid: String },
    SenderOffline { reasons: Vec<String> },
    NumberGone,
    NeedsReset,
}

impl DriftReason {
    pub fn describe(&self) -> String {
        match self {
            DriftReason::NoInboundBaseUrl => {
                "The organization has no inbound base URL, so there is no URL to expect".into()
            }
            DriftReason::NotSet => "Webhook not set up in provider".into(),
            DriftReason::UrlMismatch => "The provider has another URL".into(),
            DriftReason::WrongMethod { method } => {
                format!("The provider calls it with {method}, not POST")
            }
            DriftReason::OverriddenByMessagingService { sid, name } => format!(
                "Overridden by the Messaging Service {}{sid}",
                name.as_deref()
                    .map(|n| format!("'{n}' "))
                    .unwrap_or_default()
            ),
            DriftReason::OverriddenByApplication { sid } => {
                format!("Overridden by the application {sid}")
            }
            DriftReason::SenderOffline { reasons } if reasons.is_empty() => {
                "The sender is offline".into()
            }
            DriftReason::SenderOffline { reasons } => {
                format!("The sender is offline: {}", reasons.join("; "))
            }
            DriftReason::NumberGone => "The number is no longer in the provider account".into(),
            DriftReason::NeedsReset => {
                "The webhook URL was regenerated: set the webhook again".into()
            }
        }
    }
}

/// Compares what the provider has with what it should have.
fn drift_reasons(
    expected: Option<&str>,
    observed: &Observed,
    status: Option<&str>,
    offline_reasons: &[String],
) -> Vec<DriftReason> {
    let mut reasons = Vec::new();
    let Some(expected) = expected else {
        return vec![DriftReason::NoInboundBaseUrl];
    };
    match observed.url.as_deref() {
        None => reasons.push(DriftReason::NotSet),
        Some(url) if url != expected => reasons.push(DriftReason::UrlMismatch),
        Some(_) => {}
    }
    if let Some(method) = observed.method.as_deref()
        && !method.eq_ignore_ascii_case("POST")
        && observed.url.is_some()
    {
        reasons.push(DriftReason::WrongMethod {
            method: method.to_owned(),
        });
    }
    match &observed.overridden_by {
        Some(WebhookOverride::MessagingService { sid, name, .. }) => {
            reasons.push(DriftReason::OverriddenByMessagingService {
                sid: sid.clone(),
                name: name.clone(),
            });
        }
        Some(WebhookOverride::Application { sid }) => {
            reasons.push(DriftReason::OverriddenByApplication { sid: sid.clone() });
        }
        None => {}
    }
    if status.is_some_and(|s| s.eq_ignore_ascii_case("OFFLINE")) {
        reasons.push(DriftReason::SenderOffline {
            reasons: offline_reasons.to_vec(),
        });
    }
    reasons
}

/// Why a stored number differs from `expected` (empty when it does not): a drift report line.
pub(crate) fn number_drift(expected: Option<&str>, number: &PhoneNumber) -> Vec<DriftReason> {
    let observed = Observed {
        url: number.webhook_url.clone(),
        method: number.webhook_method.clone(),
        overridden_by: number.webhook_override.clone(),
        profile_id: None,
    };
    let mut reasons = if number.gone {
        vec![DriftReason::NumberGone]
    } else {
        drift_reasons(
            expected,
            &observed,
            number.provider_status.as_deref(),
            &number.offline_reasons,
        )
    };
    if number.webhook_state == WebhookState::NeedsReset
        && !reasons.contains(&DriftReason::NeedsReset)
    {
        reasons.push(DriftReason::NeedsReset);
    }
    reasons
}

/// The webhook state a read-back shows, with the reason when it is not configured.
fn assess(expected: Option<&str>, observed: &Observed) -> (WebhookState, Option<String>) {
    if expected.is_none() {
        return (
            WebhookState::Unknown,
            Some(DriftReason::NoInboundBaseUrl.describe()),
        );
    }
    let reasons = drift_reasons(expected, observed, None, &[]);
    if reasons.is_empty() {
        return (WebhookState::Configured, None);
    }
    let text = match &observed.overridden_by {
        Some(over) => over.describe(),
        None => reasons
            .iter()
            .map(DriftReason::describe)
            .collect::<Vec<_>>()
            .join("; "),
    };
    (WebhookState::NotSet, Some(text))
}

/// Each listed number with its webhook state and the reason, as the store keeps them.
fn assess_listed<'a>(
    expected: Option<&str>,
    listed: &'a [Listed],
) -> Vec<(&'a Listed, WebhookState, Option<String>)> {
    listed
        .iter()
        .map(|item| {
            let (state, why) = assess(expected, &item.observed);
            (item, state, why)
        })
        .collect()
}

/// How a number is named on the command line and in the UI: E.164, with or without `whatsapp:`.
pub(crate) fn normalize_e164(input: &str) -> String {
    let trimmed = input.trim();
    let bare = trimmed.strip_prefix("whatsapp:").unwrap_or(trimmed);
    bare.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect()
}

impl Switchboard {
    pub(crate) fn number_ops(&self, connector: &Connector) -> Result<NumberOps, CoreError> {
        if connector.kind == ConnectorKind::Email || connector.provider() == ProviderKind::Smtp {
            return Err(CoreError::Conflict(format!(
                "'{}' is an email connector: it has no numbers",
                connector.name
            )));
        }
        let secret = self.connector_secret(&connector.id)?;
        // Every list and write on the account shares its concurrency window.
        let gate: std::sync::Arc<dyn switchboard_providers::AttemptGate> =
            self.account_limiter(connector);
        let client = client_for_gated(connector, secret, self.provider_timeout(), Some(gate))?;
        Ok(NumberOps::new(connector, client))
    }

    /// The connector's inbound webhook URL: the organization's inbound base URL plus the
    /// connector's id and secret token.
    pub fn webhook_url(&self, reference: &str) -> Result<WebhookUrl, CoreError> {
        let connector = self.connector_resolve(reference)?;
        let expected = self.expected_url(&connector)?;
        let needs_reset = self.store().count_needs_reset(&connector.id)?;
        Ok(WebhookUrl {
            connector_id: connector.id,
            missing_reason: expected.is_none().then(|| {
                "Set the organization's inbound base URL first (org edit --inbound-base-url)."
                    .to_owned()
            }),
            url: expected,
            needs_reset,
        })
    }

    pub(crate) fn expected_url(&self, connector: &Connector) -> Result<Option<String>, CoreError> {
        let org = self.organization(&connector.org_id)?;
        let token = self.store().webhook_token(&connector.id)?;
        Ok(org.inbound_base_url.map(|base| {
            format!(
                "{}/inbound/{}/{}",
                base.trim_end_matches('/'),
                connector.id,
                token
            )
        }))
    }

    /// Makes a new token (the old URL stops being the expected one) and flags every active
    /// number whose webhook must be set again.
    pub fn webhook_regenerate(&self, reference: &str) -> Result<WebhookUrl, CoreError> {
        let connector = self.connector_resolve(reference)?;
        let before = self.expected_url(&connector)?;
        let token = new_id();
        let flagged = self
            .store()
            .regenerate_token(&connector.id, &token, &now())?;
        let after = self.expected_url(&connector)?;
        self.audit(
            &connector,
            "webhook.regenerate",
            &connector.name,
            before.as_deref(),
            after.as_deref(),
        )?;
        tracing::info!(connector = %connector.id, flagged, "webhook URL regenerated");
        self.webhook_url(&connector.id)
    }

    /// The last fetched list, straight from SQLite.
    pub fn numbers(&self, reference: &str) -> Result<NumberList, CoreError> {
        self.kept_numbers(reference, Store::numbers)
    }

    /// The last fetched list's active numbers that are still in the account (what the pickers of
    /// an agent's channel and of a test send's sender offer), straight from SQLite.
    pub fn numbers_active(&self, reference: &str) -> Result<NumberList, CoreError> {
        self.kept_numbers(reference, Store::active_numbers)
    }

    /// The kept list's numbers that `read` picks, with the list's time and expected webhook.
    fn kept_numbers(
        &self,
        reference: &str,
        read: fn(&Store, &str) -> Result<Vec<PhoneNumber>, StoreError>,
    ) -> Result<NumberList, CoreError> {
        let connector = self.connector_resolve(reference)?;
        let fetched_at = self.store().numbers_fetched_at(&connector.id)?;
        Ok(NumberList {
            freshness: Freshness::fresh(fetched_at.clone()),
            fetched_at,
            expected_webhook_url: self.expected_url(&connector)?,
            numbers: read(self.store(), &connector.id)?,
            connector_id: connector.id,
        })
    }

    /// `limit` numbers of the last fetched list from position `offset` (0-based), straight from
    /// SQLite, with the whole list's counts. A page past the end is empty.
    pub fn numbers_page(
        &self,
        reference: &str,
        offset: u32,
        limit: u32,
    ) -> Result<NumberPage, CoreError> {
        if !(1..=MAX_PAGE).contains(&limit) {
            return Err(CoreError::field(
                "limit",
                format!("A page holds 1 to {MAX_PAGE} numbers, not {limit}"),
            ));
        }
        let summary = self.numbers_summary(reference)?;
        Ok(NumberPage {
            numbers: self
                .store()
                .numbers_range(&summary.connector_id, offset, limit)?,
            fetched_at: summary.fetched_at,
            total: summary.total,
            active: summary.active,
            offset,
            connector_id: summary.connector_id,
        })
    }

    /// Fetches the list from the provider (all pages) and keeps it; numbers that vanished from
    /// the account are marked gone, not dropped. Returns the whole list as kept.
    pub async fn numbers_refresh(&self, reference: &str) -> Result<NumberList, CoreError> {
        let fetched = self.numbers_fetch(reference).await?;
        self.blocking(move |core| core.numbers(&fetched.connector_id))
            .await
    }

    /// [`Self::numbers_refresh`] without reading the list back: its counts and time (what the
    /// window's Refresh needs; the rows follow a page at a time).
    pub async fn numbers_fetch(&self, reference: &str) -> Result<NumberSummary, CoreError> {
        let reference = reference.to_owned();
        let (connector, ops) = self
            .blocking(move |core| {
                let connector = core.connector_resolve(&reference)?;
                let ops = core.number_ops(&connector)?;
                Ok((connector, ops))
            })
            .await?;
        let kind = ops.kind();
        let fetched_at = now();
        // Each page is kept as it comes (what the provider just said of those numbers) while
        // the next one is fetched; only the complete list marks the rest gone and records the
        // time. A list that fails half-way leaves those pages' numbers updated, nothing gone.
        let (pages, mut arriving) = tokio::sync::mpsc::unbounded_channel::<Vec<Listed>>();
        let listing = async {
            ops.list_each(move |batch| {
                // The receiver is gone only when keeping a page failed: so does the list.
                let _ = pages.send(batch);
            })
            .await
            .map_err(CoreError::from)
        };
        let keeping = async {
            let mut listed = HashSet::new();
            while let Some(batch) = arriving.recv().await {
                listed.extend(batch.iter().map(|item| item.e164.clone()));
                let (connector, at) = (connector.clone(), fetched_at.clone());
                self.blocking(move |core| {
                    let expected = core.expected_url(&connector)?;
                    let assessed = assess_listed(expected.as_deref(), &batch);
                    core.store()
                        .keep_listed_page(&connector.id, kind, &assessed, &at)?;
                    Ok(())
                })
                .await?;
            }
            Ok::<_, CoreError>(listed)
        };
        let ((), listed) = tokio::try_join!(listing, keeping)?;
        self.blocking(move |core| {
            core.store()
                .finish_listed(&connector.id, &listed, &fetched_at)?;
            core.numbers_summary(&connector.id)
        })
        .await
    }

    /// How many numbers the last fetched list holds, how many are active, and when it was fetched.
    pub fn numbers_summary(&self, reference: &str) -> Result<NumberSummary, CoreError> {
        let connector = self.connector_resolve(reference)?;
        let store = self.store();
        let (total, active) = store.number_counts(&connector.id)?;
        let fetched_at = store.numbers_fetched_at(&connector.id)?;
        Ok(NumberSummary {
            connector_id: connector.id,
            freshness: Freshness::fresh(fetched_at.clone()),
            fetched_at,
            total,
            active,
        })
    }

    fn keep_listed(
        &self,
        connector: &Connector,
        kind: NumberKind,
        listed: &[Listed],
    ) -> Result<(), CoreError> {
        let expected = self.expected_url(connector)?;
        let assessed = assess_listed(expected.as_deref(), listed);
        self.store()
            .keep_listed(&connector.id, kind, &assessed, &now())?;
        Ok(())
    }

    /// Activates or deactivates numbers (E.164, with or without `whatsapp:`). Every number must
    /// be in the last fetched list; a number bound to an agent cannot be deactivated.
    pub fn numbers_set_active(
        &self,
        reference: &str,
        numbers: &[String],
        active: bool,
    ) -> Result<NumberSummary, CoreError> {
        let connector = self.connector_resolve(reference)?;
        if numbers.is_empty() {
            return Err(CoreError::field("numbers", "Name at least one number"));
        }
        // Each named number looked up by its key: a few changes in a list of thousands read
        // only those few.
        let store = self.store();
        let mut changes = Vec::new();
        let mut named = HashSet::new();
        for (index, raw) in numbers.iter().enumerate() {
            let e164 = normalize_e164(raw);
            let Some(number) = store.number(&connector.id, &e164)? else {
                return Err(CoreError::field(
                    format!("numbers[{index}]"),
                    format!(
                        "'{raw}' is not in this connector's list: refresh the list, or check the number"
                    ),
                ));
            };
            if active && number.gone {
                return Err(CoreError::Conflict(format!(
                    "{e164} is no longer in the provider account; it cannot be activated"
                )));
            }
            if !active && let Some(agent) = &number.agent {
                return Err(CoreError::Conflict(format!(
                    "{e164} is bound to the agent '{}': unbind it first (channel unbind)",
                    agent.name
                )));
            }
            if number.active != active && named.insert(e164.clone()) {
                changes.push(e164);
            }
        }
        store.set_active(&connector.id, &changes, active, &now())?;
        let action = if active {
            "number.activate"
        } else {
            "number.deactivate"
        };
        for e164 in &changes {
            let (before, after) = if active {
                ("inactive", "active")
            } else {
                ("active", "inactive")
            };
            self.audit(&connector, action, e164, Some(before), Some(after))?;
        }
        self.numbers_summary(&connector.id)
    }

    /// For every active number (of one connector, or of all), what the provider has now vs the
    /// expected URL, with the reasons they differ. Reads the provider afresh.
    pub async fn drift(&self, reference: Option<&str>) -> Result<Vec<DriftEntry>, CoreError> {
        Ok(self.drift_report(reference, false).await?.entries)
    }

    /// The drift report; with `last_known`, a connector whose provider cannot be reached is
    /// compared from its kept list and the report is marked stale.
    pub(crate) async fn drift_report(
        &self,
        reference: Option<&str>,
        last_known: bool,
    ) -> Result<DriftReport, CoreError> {
        let reference = reference.map(str::to_owned);
        let connectors = self
            .blocking(move |core| match reference {
                Some(reference) => Ok(vec![core.connector_resolve(&reference)?]),
                None => Ok(core
                    .connectors(None)?
                    .into_iter()
                    .filter(|c| c.kind != ConnectorKind::Email)
                    .collect()),
            })
            .await?;
        let mut report = Vec::new();
        let mut freshness = Freshness::fresh(Some(now()));
        for connector in connectors {
            let prepared = connector.clone();
            let Some(ops) = self
                .blocking(move |core| {
                    if !core.store().has_active(&prepared.id)? {
                        return Ok(None);
                    }
                    core.number_ops(&prepared).map(Some)
                })
                .await?
            else {
                continue;
            };
            let listed = match ops.list().await.map_err(CoreError::from) {
                Ok(listed) => Some(listed),
                Err(error) => match offline_failure(&error) {
                    Some(failure) if last_known => {
                        let failure = failure.clone();
                        let id = connector.id.clone();
                        let as_of = self
                            .blocking(move |core| Ok(core.store().numbers_fetched_at(&id)?))
                            .await?;
                        freshness = oldest_stale(freshness, as_of, failure);
                        None
                    }
                    _ => return Err(error),
                },
            };
            let (kind, listed_for) = (ops.kind(), connector.clone());
            let (expected, numbers) = self
                .blocking(move |core| {
                    if let Some(listed) = listed {
                        core.keep_listed(&listed_for, kind, &listed)?;
                    }
                    let expected = core.expected_url(&listed_for)?;
                    Ok((expected, core.store().numbers(&listed_for.id)?))
                })
                .await?;
            for number in numbers {
                if !number.active {
                    continue;
                }
                let reasons = number_drift(expected.as_deref(), &number);
                report.push(DriftEntry {
                    connector_id: connector.id.clone(),
                    connector_name: connector.name.clone(),
                    e164: number.e164,
                    expected_url: expected.clone(),
                    actual_url: number.webhook_url,
                    actual_method: number.webhook_method,
                    reasons,
                });
            }
        }
        Ok(DriftReport {
            entries: report,
            freshness,
        })
    }
}

/// The report's freshness after one more connector could not be refreshed: stale, as of the
/// oldest list it compares with, naming the first failure.
fn oldest_stale(so_far: Freshness, as_of: Option<String>, failure: ProviderFailure) -> Freshness {
    if !so_far.stale {
        return Freshness {
            as_of,
            stale: true,
            failure: Some(failure),
        };
    }
    let as_of = match (so_far.as_of, as_of) {
        (Some(a), Some(b)) => Some(a.min(b)),
        _ => None,
    };
    Freshness { as_of, ..so_far }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn observed(url: Option<&str>) -> Observed {
        Observed {
            url: url.map(str::to_owned),
            method: Some("POST".into()),
            ..Observed::default()
        }
    }

    #[test]
    fn drift_names_every_reason() {
        let expected = Some("https://hooks.example/inbound/c/t");
        assert!(drift_reasons(expected, &observed(expected), None, &[]).is_empty());
        assert_eq!(
            drift_reasons(expected, &observed(None), None, &[]),
            [DriftReason::NotSet]
        );
        assert_eq!(
            drift_reasons(expected, &observed(Some("https://old")), None, &[]),
            [DriftReason::UrlMismatch]
        );
        let mut get = observed(expected);
        get.method = Some("GET".into());
        assert_eq!(
            drift_reasons(expected, &get, None, &[]),
            [DriftReason::WrongMethod {
                method: "GET".into()
            }]
        );
        let mut service = observed(expected);
        service.overridden_by = Some(WebhookOverride::MessagingService {
            sid: "MG1".into(),
            name: Some("Front".into()),
            url: None,
        });
        assert_eq!(
            drift_reasons(expected, &service, None, &[]),
            [DriftReason::OverriddenByMessagingService {
                sid: "MG1".into(),
                name: Some("Front".into())
            }]
        );
        let offline = drift_reasons(
            expected,
            &observed(expected),
            Some("OFFLINE"),
            &["63100: x".into()],
        );
        assert_eq!(
            offline,
            [DriftReason::SenderOffline {
                reasons: vec!["63100: x".into()]
            }]
        );
        assert_eq!(
            drift_reasons(None, &observed(expected), None, &[]),
            [DriftReason::NoInboundBaseUrl]
        );
    }

    #[test]
    fn an_override_is_explained_when_assessing() {
        let expected = Some("https://hooks.example/inbound/c/t");
        let mut app = observed(expected);
        app.overridden_by = Some(WebhookOverride::Application { sid: "AP1".into() });
        let (state, why) = assess(expected, &app);
        assert_eq!(state, WebhookState::NotSet);
        assert!(why.unwrap().contains("application AP1"));
        assert_eq!(
            assess(expected, &observed(expected)).0,
            WebhookState::Configured
        );
    }

    #[test]
    fn numbers_are_named_with_or_without_the_whatsapp_prefix() {
        assert_eq!(normalize_e164("whatsapp:+1 415-555-0101"), "+14155550101");
        assert_eq!(normalize_e164(" +46766860101 "), "+46766860101");
    }
}
