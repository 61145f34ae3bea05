//! The local branch: what Switchboard already knows, read from the database — recent provider
//! errors (imported history and the error log) grouped by code, the last delivery outcome, and
//! whether backup emails could go out.

use std::sync::Arc;

use rusqlite::params;

use super::{Collector, Evidence, Finding, Severity};
use crate::error::CoreError;
use crate::messaging::AttemptFilter;
use crate::model::{Connector, ConnectorKind, ConnectorState};
use crate::service::Switchboard;
use crate::store::{Store, StoreError};

/// How far back "recent" errors go.
const RECENT_DAYS: i64 = 7;

/// One provider error code and how often it came up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CodeCount {
    pub code: String,
    pub count: u32,
    pub last_at: String,
}

impl Store {
    /// Failed messages in the imported history since `since`, per error code, most frequent first.
    fn history_error_codes(
        &self,
        connector_id: &str,
        since: &str,
    ) -> Result<Vec<CodeCount>, StoreError> {
        self.code_counts(
            "SELECT COALESCE(error_code, 'none'), COUNT(*), MAX(sent_at) FROM messages
             WHERE connector_id = ?1 AND outcome = 'failed' AND sent_at >= ?2
             GROUP BY 1 ORDER BY 2 DESC, 3 DESC LIMIT 10",
            connector_id,
            since,
        )
    }

    /// Error entries of the connector's log since `since`, per code, most frequent first.
    fn log_error_codes(
        &self,
        connector_id: &str,
        since: &str,
    ) -> Result<Vec<CodeCount>, StoreError> {
        self.code_counts(
            "SELECT COALESCE(code, 'none'), COUNT(*), MAX(created_at) FROM events
             WHERE connector_id = ?1 AND level = 'error' AND created_at >= ?2
             GROUP BY 1 ORDER BY 2 DESC, 3 DESC LIMIT 10",
            connector_id,
            since,
        )
    }

    /// Runs a `(code, count, last time)` query over `?1` = connector, `?2` = since.
    fn code_counts(
        &self,
        sql: &str,
        connector_id: &str,
        since: &str,
    ) -> Result<Vec<CodeCount>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare(sql)?;
        let rows = statement.query_map(params![connector_id, since], |row| {
            Ok(CodeCount {
                code: row.get(0)?,
                count: row.get(1)?,
                last_at: row.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

fn plural(count: u32, word: &str) -> String {
    if count == 1 {
        format!("1 {word}")
    } else {
        format!("{count} {word}s")
    }
}

/// What a provider's error code means, from the failure table.
fn code_meaning(connector: &Connector, code: &str) -> Option<(String, String)> {
    let provider = connector.provider().messaging_provider()?;
    let row = switchboard_providers::failure::table::lookup(provider, code)?;
    Some(match &row.hint {
        Some(hint) => (hint.cause.to_owned(), hint.fix.to_owned()),
        None => (row.kind.cause().to_owned(), row.kind.fix().to_owned()),
    })
}

fn codes_finding(connector: &Connector, id: &str, source: &str, codes: &[CodeCount]) -> Finding {
    if codes.is_empty() {
        return Finding::new(
            id,
            id,
            Severity::Ok,
            format!("No errors in the {source} for {RECENT_DAYS} days"),
            format!("The {source} shows no failure in the last {RECENT_DAYS} days."),
        );
    }
    let total: u32 = codes.iter().map(|c| c.count).sum();
    let top = &codes[0];
    let (cause, fix) = code_meaning(connector, &top.code).unwrap_or_else(|| {
        (
            format!("Code {} is the most frequent.", top.code),
            "Open the error log for the messages with this code and their details.".to_owned(),
        )
    });
    let mut finding = Finding::new(
        id,
        id,
        Severity::Warning,
        format!(
            "{} in the {source} in {RECENT_DAYS} days, most often code {}",
            plural(total, "error"),
            top.code
        ),
        format!(
            "Most frequent: code {} ({}). {cause}",
            top.code,
            plural(top.count, "time")
        ),
    )
    .fix(fix);
    for code in codes {
        finding = finding.evidence(Evidence {
            request: None,
            status: None,
            summary: format!(
                "code {}: {}, last {}",
                code.code,
                plural(code.count, "time"),
                code.last_at
            ),
            latency_ms: None,
        });
    }
    finding
}

impl Switchboard {
    pub(crate) async fn local_branch(&self, connector: &Connector, collector: &Arc<Collector>) {
        let prepared = connector.clone();
        let found = collector
            .timed(
                "local",
                "database",
                self.blocking(move |core| local_findings(core, &prepared)),
            )
            .await;
        match found {
            Ok(findings) => findings.into_iter().for_each(|f| collector.emit(f)),
            Err(error) => collector.emit(Finding::skipped(
                "local",
                "local",
                "Local records not read",
                format!("Switchboard's own records could not be read: {error}"),
            )),
        }
    }
}

fn local_findings(core: &Switchboard, connector: &Connector) -> Result<Vec<Finding>, CoreError> {
    let since = (chrono::Utc::now() - chrono::Duration::days(RECENT_DAYS))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let mut findings = Vec::new();
    if connector.kind != ConnectorKind::Email {
        let history = core.store().history_error_codes(&connector.id, &since)?;
        findings.push(codes_finding(
            connector,
            "errors.history",
            "imported history",
            &history,
        ));
    }
    let log = core.store().log_error_codes(&connector.id, &since)?;
    findings.push(codes_finding(connector, "errors.log", "error log", &log));
    if connector.kind != ConnectorKind::Email {
        findings.push(last_delivery(core, connector)?);
        findings.push(backup_email_path(core, connector)?);
    }
    Ok(findings)
}

fn last_delivery(core: &Switchboard, connector: &Connector) -> Result<Finding, CoreError> {
    let last = core.message_attempts(
        &connector.id,
        &AttemptFilter {
            limit: Some(1),
            ..AttemptFilter::default()
        },
    )?;
    let Some(attempt) = last.attempts.first() else {
        return Ok(Finding::new(
            "delivery.last",
            "delivery",
            Severity::Info,
            "No message sent through Switchboard yet",
            "There is no test send to judge delivery by.",
        )
        .fix("Send a test message (Send test) to see the whole path work."));
    };
    let evidence = Evidence {
        request: Some(format!("send at {}", attempt.created_at)),
        status: None,
        summary: format!(
            "status {}{}",
            attempt.status,
            attempt
                .error_code
                .as_deref()
                .map(|c| format!(", code {c}"))
                .unwrap_or_default()
        ),
        latency_ms: None,
    };
    let finding = if attempt.failed() {
        Finding::new(
            "delivery.last",
            "delivery",
            Severity::Warning,
            format!("The last message ended {}", attempt.status),
            attempt
                .cause
                .clone()
                .unwrap_or_else(|| "The provider reported a failure.".into()),
        )
        .fix(
            attempt
                .fix
                .clone()
                .unwrap_or_else(|| "Open the message for its details and try again.".into()),
        )
    } else if attempt.r#final {
        Finding::new(
            "delivery.last",
            "delivery",
            Severity::Ok,
            format!("The last message ended {}", attempt.status),
            "The last message sent through Switchboard reached a good final status.",
        )
    } else {
        Finding::new(
            "delivery.last",
            "delivery",
            Severity::Info,
            format!("The last message is {}", attempt.status),
            "The last message has no final status yet.",
        )
    };
    Ok(finding.evidence(evidence))
}

fn backup_email_path(core: &Switchboard, connector: &Connector) -> Result<Finding, CoreError> {
    let with_backup = connector
        .recipients
        .iter()
        .filter(|r| r.backup_email.is_some())
        .count();
    if with_backup == 0 {
        return Ok(Finding::new(
            "backup_email",
            "backup_email",
            Severity::Info,
            "No backup emails are used",
            "No recipient of this connector has a backup email address.",
        ));
    }
    let email_connectors: Vec<Connector> = core
        .connectors(Some(&connector.org_id))?
        .into_iter()
        .filter(|c| c.kind == ConnectorKind::Email)
        .collect();
    let finding = match email_connectors.iter().min_by_key(|c| match c.state {
        ConnectorState::Active => 0,
        ConnectorState::NotChecked => 1,
        ConnectorState::Error => 2,
    }) {
        None => Finding::new(
            "backup_email",
            "backup_email",
            Severity::Error,
            "Backup emails cannot be sent",
            format!(
                "{with_backup} recipients have a backup email, but the organization has no Email \
                 connector, so no backup email would go out when a message fails."
            ),
        )
        .fix("Add an Email connector (an SMTP server) to the organization."),
        Some(email) if email.state == ConnectorState::Active => Finding::new(
            "backup_email",
            "backup_email",
            Severity::Ok,
            "Backup emails can be sent",
            format!("The Email connector '{}' is Active.", email.name),
        ),
        Some(email) if email.state == ConnectorState::NotChecked => Finding::new(
            "backup_email",
            "backup_email",
            Severity::Warning,
            "The Email connector was never checked",
            format!(
                "Backup emails would go through '{}', which was never checked.",
                email.name
            ),
        )
        .fix("Check the Email connector (Check now)."),
        Some(email) => Finding::new(
            "backup_email",
            "backup_email",
            Severity::Error,
            "The Email connector is in state Error",
            format!(
                "Backup emails would go through '{}', whose last check failed: {}",
                email.name,
                email
                    .state_reason
                    .as_deref()
                    .unwrap_or("no reason recorded")
            ),
        )
        .fix("Fix the Email connector's settings and check it again."),
    };
    Ok(finding)
}
