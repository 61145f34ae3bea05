//! Diagnose a connector (issue 11 §1): checks run as a dependency graph — independent branches at
//! once, each branch's steps in order — and every finding is pushed to the caller as it arrives,
//! then the whole run is stored and compared with the previous one.
//!
//! The branches:
//! * provider: credentials → account status and type → numbers and senders → webhook drift and
//!   what overrides it (checks after a failed credential check are skipped, with why);
//! * network: for each provider host, DNS → TCP → TLS/HTTP, whose answer's `Date` header is
//!   compared with the local clock;
//! * inbound: the inbound URL's shape → a signed test request posted to it;
//! * local: recent provider errors (imported history and the error log, grouped by code), the
//!   last delivery outcome, and the backup-email path.
//!
//! Nothing a finding carries is secret: texts go through [`redact`] before they leave, which
//! removes webhook tokens, and no check ever puts a credential into a finding.

mod bundle;
mod checks;
mod inbound;
mod local;
mod network;
mod numbers;
mod store;
mod url_shape;

#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use switchboard_providers::ProviderFailure;

pub use bundle::BundleInfo;
pub use url_shape::{UrlProblem, inbound_url_problems};

use crate::clock::now;
use crate::error::CoreError;
use crate::freshness::{Freshness, is_out_of_reach};
use crate::ids::new_id;
use crate::model::Connector;
use crate::service::Switchboard;

/// How much a finding matters. `Error` makes `switchboard diagnose` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Ok,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Ok => "ok",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Warnings and errors: what "fixed since last time" and "new since last time" track.
    pub fn is_problem(self) -> bool {
        matches!(self, Severity::Warning | Severity::Error)
    }
}

/// What a check saw: the request it made and what came back, redacted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Evidence {
    /// e.g. `GET /2010-04-01/Accounts/{Sid}.json` (identifiers as placeholders).
    pub request: Option<String>,
    pub status: Option<u16>,
    /// What the answer said, in one line.
    pub summary: String,
    pub latency_ms: Option<u32>,
}

/// How a finding compares with the previous run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum SinceLast {
    /// A problem the previous run did not have.
    New,
    /// The same problem as last time.
    Again,
    /// A problem last time, not any more.
    Fixed,
}

/// One finding of a diagnosis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// Stable across runs (`credentials`, `webhook.+15551234567`…): runs are compared on it.
    pub id: String,
    /// The check it came from (`credentials`, `reachability`, `webhook`…).
    pub check: String,
    pub severity: Severity,
    pub title: String,
    /// What it means, in plain words.
    pub meaning: String,
    /// The one thing to do, when there is something to do.
    pub fix: Option<String>,
    pub evidence: Vec<Evidence>,
    /// The check did not run (the reason is the meaning).
    pub skipped: bool,
    /// Compared with the previous run (`None`: no previous run, or nothing to say).
    pub since_last: Option<SinceLast>,
}

impl Finding {
    pub(crate) fn new(
        id: impl Into<String>,
        check: &str,
        severity: Severity,
        title: impl Into<String>,
        meaning: impl Into<String>,
    ) -> Self {
        Self {
            id: id.into(),
            check: check.to_owned(),
            severity,
            title: title.into(),
            meaning: meaning.into(),
            fix: None,
            evidence: Vec::new(),
            skipped: false,
            since_last: None,
        }
    }

    pub(crate) fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    pub(crate) fn evidence(mut self, evidence: Evidence) -> Self {
        self.evidence.push(evidence);
        self
    }

    pub(crate) fn skipped(id: &str, check: &str, title: &str, why: impl Into<String>) -> Self {
        let mut finding = Self::new(id, check, Severity::Info, title, why);
        finding.skipped = true;
        finding
    }

    /// The finding with every text cleared of webhook tokens.
    fn redacted(mut self) -> Self {
        self.title = redact(&self.title);
        self.meaning = redact(&self.meaning);
        self.fix = self.fix.map(|fix| redact(&fix));
        for evidence in &mut self.evidence {
            evidence.request = evidence.request.as_deref().map(redact);
            evidence.summary = redact(&evidence.summary);
        }
        self
    }
}

/// A problem of the previous run that this run no longer has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct FixedFinding {
    pub id: String,
    pub title: String,
    /// Its severity last time.
    pub severity: Severity,
}

/// How long one step took and which branch of the graph it is on (for the bench and support).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct StepTiming {
    pub branch: String,
    pub step: String,
    pub ms: u32,
}

/// A whole diagnosis run, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Diagnosis {
    pub id: String,
    pub connector_id: String,
    pub connector_name: String,
    pub started_at: String,
    pub finished_at: String,
    pub wall_ms: u32,
    /// The longest branch: the sum of its dependent steps (the floor of `wall_ms`).
    pub longest_chain_ms: u32,
    /// In the order they arrived.
    pub findings: Vec<Finding>,
    /// Problems of the previous run that are gone.
    pub fixed_since_last: Vec<FixedFinding>,
    /// When the previous run was (`None`: this is the first).
    pub previous_run_at: Option<String>,
    pub errors: u32,
    pub warnings: u32,
    pub timings: Vec<StepTiming>,
    /// The provider could not be reached in this run (its answers are unknown, not wrong).
    #[serde(default)]
    pub provider_unreachable: bool,
    /// When it could not be reached: what the last run that reached it found, with its age.
    #[serde(default)]
    pub last_known: Option<LastKnownRun>,
}

/// The last run that reached the provider, shown beside a run that could not (issue 11 §5):
/// what was known about the account, how old it is and what could not be refreshed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct LastKnownRun {
    pub run_id: String,
    /// Stale: `asOf` is when that run started; `failure` why this run could not refresh it.
    pub freshness: Freshness,
    pub errors: u32,
    pub warnings: u32,
    /// The findings of that run (the checks it could run).
    pub findings: Vec<Finding>,
}

impl LastKnownRun {
    /// What `previous` knew, for a run that could not reach the provider because of `failure`:
    /// `previous` itself when it reached the provider, else what it was showing in turn.
    fn carried(previous: &Diagnosis, failure: ProviderFailure) -> Option<Self> {
        if previous.provider_unreachable {
            return previous.last_known.clone().map(|mut known| {
                known.freshness.failure = Some(failure);
                known
            });
        }
        Some(Self {
            run_id: previous.id.clone(),
            freshness: Freshness::stale(Some(previous.started_at.clone()), failure),
            errors: previous.errors,
            warnings: previous.warnings,
            findings: previous
                .findings
                .iter()
                .filter(|f| !f.skipped)
                .cloned()
                .collect(),
        })
    }
}

impl Diagnosis {
    pub fn has_errors(&self) -> bool {
        self.errors > 0
    }

    /// Problems this run has that the previous one did not.
    pub fn new_since_last(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.since_last == Some(SinceLast::New))
    }
}

/// Receives each finding as soon as it is known.
pub type FindingSink = Arc<dyn Fn(&Finding) + Send + Sync>;

/// Removes webhook tokens from a text (`/inbound/{connector}/[redacted]`).
pub(crate) fn redact(text: &str) -> String {
    crate::audit::redact_webhook_tokens(text)
}

/// Collects the findings of one run from every branch, compares each with the previous run and
/// pushes it to the sink.
pub(crate) struct Collector {
    sink: Option<FindingSink>,
    previous: HashMap<String, Severity>,
    had_previous: bool,
    findings: Mutex<Vec<Finding>>,
    timings: Mutex<Vec<StepTiming>>,
    /// Why the provider could not be asked, when that happened.
    out_of_reach: Mutex<Option<ProviderFailure>>,
}

impl Collector {
    fn new(sink: Option<FindingSink>, previous: Option<&Diagnosis>) -> Self {
        let previous_map = previous
            .map(|run| {
                run.findings
                    .iter()
                    .map(|f| (f.id.clone(), f.severity))
                    .collect()
            })
            .unwrap_or_default();
        Self {
            sink,
            previous: previous_map,
            had_previous: previous.is_some(),
            findings: Mutex::new(Vec::new()),
            timings: Mutex::new(Vec::new()),
            out_of_reach: Mutex::new(None),
        }
    }

    /// Notes a provider failure; one that says the provider could not be asked makes the run
    /// show the last known state beside its findings.
    pub(crate) fn provider_failed(&self, failure: &ProviderFailure) {
        if is_out_of_reach(failure) {
            self.out_of_reach
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .get_or_insert_with(|| failure.clone());
        }
    }

    pub(crate) fn emit(&self, finding: Finding) {
        let mut finding = finding.redacted();
        if self.had_previous {
            let before = self.previous.get(&finding.id).copied();
            finding.since_last = match (before.is_some_and(Severity::is_problem), finding.severity)
            {
                (false, now) if now.is_problem() => Some(SinceLast::New),
                (true, now) if now.is_problem() => Some(SinceLast::Again),
                (true, _) if !finding.skipped => Some(SinceLast::Fixed),
                _ => None,
            };
        }
        if let Some(sink) = &self.sink {
            sink(&finding);
        }
        self.findings
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(finding);
    }

    /// Runs `step`, recording how long it took on `branch`.
    pub(crate) async fn timed<T>(
        &self,
        branch: &str,
        step: &str,
        future: impl std::future::Future<Output = T>,
    ) -> T {
        let started = Instant::now();
        let out = future.await;
        self.timings
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(StepTiming {
                branch: branch.to_owned(),
                step: step.to_owned(),
                ms: millis(started),
            });
        out
    }
}

pub(crate) fn millis(started: Instant) -> u32 {
    u32::try_from(started.elapsed().as_millis()).unwrap_or(u32::MAX)
}

/// The longest branch: the sum of its steps (steps on one branch depend on each other).
pub fn longest_chain_ms(timings: &[StepTiming]) -> u32 {
    let mut per_branch: HashMap<&str, u32> = HashMap::new();
    for timing in timings {
        let sum = per_branch.entry(timing.branch.as_str()).or_default();
        *sum = sum.saturating_add(timing.ms);
    }
    per_branch.into_values().max().unwrap_or(0)
}

/// Problems of `previous` this run no longer has: the same id now fine, or gone while its check
/// ran (a check skipped this time proves nothing).
fn fixed_since(previous: &Diagnosis, findings: &[Finding]) -> Vec<FixedFinding> {
    let now: HashMap<&str, &Finding> = findings.iter().map(|f| (f.id.as_str(), f)).collect();
    let skipped: HashSet<&str> = findings
        .iter()
        .filter(|f| f.skipped)
        .map(|f| f.check.as_str())
        .collect();
    let ran: HashSet<&str> = findings
        .iter()
        .filter(|f| !f.skipped)
        .map(|f| f.check.as_str())
        .collect();
    previous
        .findings
        .iter()
        .filter(|f| f.severity.is_problem())
        .filter(|f| match now.get(f.id.as_str()) {
            Some(current) => !current.severity.is_problem() && !current.skipped,
            None => ran.contains(f.check.as_str()) && !skipped.contains(f.check.as_str()),
        })
        .map(|f| FixedFinding {
            id: f.id.clone(),
            title: f.title.clone(),
            severity: f.severity,
        })
        .collect()
}

impl Switchboard {
    /// Diagnoses the connector: every finding goes to `sink` as it is known, and the whole run is
    /// stored and returned, compared with the previous run. A failed check is a finding, not an
    /// error; only an unknown connector or a database failure is an error.
    pub async fn diagnose(
        &self,
        reference: &str,
        sink: Option<FindingSink>,
    ) -> Result<Diagnosis, CoreError> {
        let reference = reference.to_owned();
        let (connector, previous) = self
            .blocking(move |core| {
                let connector = core.connector_resolve(&reference)?;
                let previous = core.store().last_diagnosis(&connector.id)?;
                Ok((connector, previous))
            })
            .await?;
        let started_at = now();
        let started = Instant::now();
        let collector = Arc::new(Collector::new(sink, previous.as_ref()));
        self.run_checks(&connector, &collector).await;
        let findings = std::mem::take(
            &mut *collector
                .findings
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        );
        let timings = std::mem::take(
            &mut *collector
                .timings
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        );
        let out_of_reach = collector
            .out_of_reach
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        let count = |severity| {
            let n = findings.iter().filter(|f| f.severity == severity).count();
            u32::try_from(n).unwrap_or(u32::MAX)
        };
        let diagnosis = Diagnosis {
            id: new_id(),
            connector_id: connector.id.clone(),
            connector_name: connector.name.clone(),
            started_at,
            finished_at: now(),
            wall_ms: millis(started),
            longest_chain_ms: longest_chain_ms(&timings),
            fixed_since_last: previous
                .as_ref()
                .map(|p| fixed_since(p, &findings))
                .unwrap_or_default(),
            provider_unreachable: out_of_reach.is_some(),
            last_known: out_of_reach.and_then(|failure| {
                previous
                    .as_ref()
                    .and_then(|p| LastKnownRun::carried(p, failure))
            }),
            previous_run_at: previous.map(|p| p.started_at),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            findings,
            timings,
        };
        let stored = diagnosis.clone();
        self.blocking(move |core| Ok(core.store().insert_diagnosis(&stored)?))
            .await?;
        Ok(diagnosis)
    }

    /// The connector's latest stored diagnosis, if any.
    pub fn diagnosis_last(&self, reference: &str) -> Result<Option<Diagnosis>, CoreError> {
        let connector = self.connector_resolve(reference)?;
        Ok(self.store().last_diagnosis(&connector.id)?)
    }

    /// The four branches at once; each is a chain of dependent steps.
    async fn run_checks(&self, connector: &Connector, collector: &Arc<Collector>) {
        tokio::join!(
            self.provider_branch(connector, collector),
            network::network_branch(connector, collector),
            self.inbound_branch(connector, collector),
            self.local_branch(connector, collector),
        );
    }
}
