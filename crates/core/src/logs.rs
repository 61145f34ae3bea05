//! The error log: every failure of every action (send, status query, credential check, webhook
//! set, bulk job, backup email, import), kept in the connector event table (see migration 0007
//! for why), queried newest first with filters and keyset paging, and exported as CSV.

use rusqlite::params;
use rusqlite::types::Value as SqlValue;
use serde::{Deserialize, Serialize};
use switchboard_providers::ProviderFailure;

use crate::clock::{now, parse_time};
use crate::error::CoreError;
use crate::model::Connector;
use crate::service::Switchboard;
use crate::store::StoreError;

/// The action that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum LogAction {
    Send,
    StatusQuery,
    CredentialCheck,
    WebhookSet,
    BulkJob,
    BackupEmail,
    Import,
}

impl LogAction {
    pub const ALL: [Self; 7] = [
        Self::Send,
        Self::StatusQuery,
        Self::CredentialCheck,
        Self::WebhookSet,
        Self::BulkJob,
        Self::BackupEmail,
        Self::Import,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Send => "send",
            Self::StatusQuery => "status_query",
            Self::CredentialCheck => "credential_check",
            Self::WebhookSet => "webhook_set",
            Self::BulkJob => "bulk_job",
            Self::BackupEmail => "backup_email",
            Self::Import => "import",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        let value = value.trim().replace('-', "_");
        Self::ALL.into_iter().find(|a| a.as_str() == value)
    }
}

/// One row of the error log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct LogEntry {
    /// The row's id (the paging cursor).
    pub id: u32,
    pub at: String,
    /// `info`, `warning` or `error`.
    pub level: String,
    pub connector_id: Option<String>,
    pub org_id: Option<String>,
    /// The failure kind's stable name (`INVALID_RECIPIENT`…).
    pub kind: Option<String>,
    /// The provider's own code.
    pub code: Option<String>,
    pub message: String,
    pub action: String,
    pub number: Option<String>,
    pub attempt_id: Option<String>,
}

/// What to show of the log. Every field narrows it; `before` is the id of the last row of the
/// previous page (keyset paging, newest first).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", default)]
pub struct LogFilter {
    pub connector_id: Option<String>,
    pub org_id: Option<String>,
    /// The least severe level shown: `error`, `warning` (the default) or `info` (everything).
    pub level: Option<String>,
    pub kind: Option<String>,
    pub action: Option<String>,
    pub number: Option<String>,
    /// RFC 3339; rows at or after it.
    pub since: Option<String>,
    /// RFC 3339; rows before it.
    pub until: Option<String>,
    /// Words to find in the message, kind or code.
    pub text: Option<String>,
    pub before: Option<u32>,
    pub limit: Option<u32>,
}

/// A page of the log and the cursor of the next one (`None`: this was the last).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct LogPage {
    pub entries: Vec<LogEntry>,
    pub next_before: Option<u32>,
}

const DEFAULT_PAGE: u32 = 100;
const MAX_PAGE: u32 = 1_000;

/// A log row to write (built with the helpers below).
#[derive(Debug, Clone)]
pub(crate) struct LogRecord {
    connector_id: Option<String>,
    org_id: Option<String>,
    level: &'static str,
    action: LogAction,
    kind: Option<String>,
    code: Option<String>,
    message: String,
    number: Option<String>,
    attempt_id: Option<String>,
}

impl LogRecord {
    /// A provider failure of `action` on `connector`.
    pub(crate) fn provider(
        connector: &Connector,
        action: LogAction,
        failure: &ProviderFailure,
    ) -> Self {
        Self {
            connector_id: Some(connector.id.clone()),
            org_id: Some(connector.org_id.clone()),
            level: "error",
            action,
            kind: Some(failure.kind.as_str().to_owned()),
            code: failure.provider_code.clone(),
            message: failure.summary(),
            number: None,
            attempt_id: None,
        }
    }

    /// Any core failure of `action` on `connector`.
    pub(crate) fn failure(connector: &Connector, action: LogAction, error: &CoreError) -> Self {
        match error.provider_failure() {
            Some(failure) => Self::provider(connector, action, failure),
            None => Self {
                connector_id: Some(connector.id.clone()),
                org_id: Some(connector.org_id.clone()),
                level: "error",
                action,
                kind: None,
                code: None,
                message: error.to_string(),
                number: None,
                attempt_id: None,
            },
        }
    }

    pub(crate) fn level(mut self, level: &'static str) -> Self {
        self.level = level;
        self
    }

    pub(crate) fn number(mut self, number: Option<&str>) -> Self {
        self.number = number.map(str::to_owned);
        self
    }

    pub(crate) fn attempt(mut self, attempt_id: Option<&str>) -> Self {
        self.attempt_id = attempt_id.map(str::to_owned);
        self
    }
}

impl Switchboard {
    /// Writes a row to the error log. Logging never fails the action it reports: a row that
    /// cannot be written is traced instead.
    pub(crate) fn log(&self, record: LogRecord) {
        let at = now();
        let written = self.store().insert_log(&NewLogEntry {
            connector_id: record.connector_id.as_deref(),
            org_id: record.org_id.as_deref(),
            level: record.level,
            kind: record.kind.as_deref(),
            code: record.code.as_deref(),
            message: &record.message,
            action: record.action.as_str(),
            number: record.number.as_deref(),
            attempt_id: record.attempt_id.as_deref(),
            at: &at,
        });
        if let Err(error) = written {
            tracing::warn!(%error, action = record.action.as_str(), "could not write the error log");
        }
    }

    /// [`Switchboard::log`] from async code.
    pub(crate) async fn log_blocking(&self, record: LogRecord) {
        let _ = self
            .blocking(move |core| {
                core.log(record);
                Ok(())
            })
            .await;
    }

    /// A page of the error log, newest first.
    pub fn logs(&self, filter: &LogFilter) -> Result<LogPage, CoreError> {
        let mut filter = filter.clone();
        if let Some(reference) = filter.connector_id.as_deref() {
            filter.connector_id = Some(self.connector_resolve(reference)?.id);
        }
        if let Some(level) = filter.level.as_deref()
            && !["info", "warning", "error"].contains(&level)
        {
            return Err(CoreError::field(
                "level",
                format!("'{level}' is not a level: use info, warning or error"),
            ));
        }
        if let Some(action) = filter.action.as_deref() {
            match LogAction::parse(action) {
                Some(parsed) => filter.action = Some(parsed.as_str().to_owned()),
                None => {
                    let known: Vec<&str> = LogAction::ALL.iter().map(|a| a.as_str()).collect();
                    return Err(CoreError::field(
                        "action",
                        format!(
                            "'{action}' is not an action: use one of {}",
                            known.join(", ")
                        ),
                    ));
                }
            }
        }
        // Stored times are RFC 3339 UTC with milliseconds; compare like with like.
        for (field, value) in [("since", &mut filter.since), ("until", &mut filter.until)] {
            if let Some(text) = value.as_deref() {
                let Some(time) = parse_time(text) else {
                    return Err(CoreError::field(
                        field,
                        format!("'{text}' is not a time: use e.g. 2026-01-31T09:00:00Z"),
                    ));
                };
                *value = Some(time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
            }
        }
        Ok(self.store().log_page(&filter)?)
    }

    /// The whole log that matches `filter` (up to 100,000 rows) as CSV, with a header row.
    pub fn logs_csv(&self, filter: &LogFilter) -> Result<String, CoreError> {
        Ok(self.logs_csv_counted(filter)?.0)
    }

    /// [`Self::logs_csv`] and how many entries it holds.
    pub fn logs_csv_counted(&self, filter: &LogFilter) -> Result<(String, u32), CoreError> {
        let mut rows = 0u32;
        let mut filter = filter.clone();
        filter.limit = Some(MAX_PAGE);
        let mut out =
            String::from("time,level,action,kind,code,message,number,connector,attempt\n");
        for _ in 0..100 {
            let page = self.logs(&filter)?;
            for entry in &page.entries {
                let fields = [
                    entry.at.as_str(),
                    &entry.level,
                    &entry.action,
                    entry.kind.as_deref().unwrap_or_default(),
                    entry.code.as_deref().unwrap_or_default(),
                    &entry.message,
                    entry.number.as_deref().unwrap_or_default(),
                    entry.connector_id.as_deref().unwrap_or_default(),
                    entry.attempt_id.as_deref().unwrap_or_default(),
                ];
                let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
                out.push_str(&line.join(","));
                out.push('\n');
                rows += 1;
            }
            match page.next_before {
                Some(before) => filter.before = Some(before),
                None => break,
            }
        }
        Ok((out, rows))
    }
}

/// RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. A field
/// that a spreadsheet would run as a formula gets a leading apostrophe.
pub(crate) fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) && !value.starts_with('+') {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

impl crate::store::Store {
    pub(crate) fn insert_log(&self, entry: &NewLogEntry<'_>) -> Result<(), StoreError> {
        self.conn().execute(
            "INSERT INTO events (connector_id, org_id, level, kind, code, message, action, number,
                 attempt_id, created_at)
             VALUES (?1, COALESCE(?2, (SELECT org_id FROM connectors WHERE id = ?1)), ?3, ?4, ?5,
                 ?6, ?7, ?8, ?9, ?10)",
            params![
                entry.connector_id,
                entry.org_id,
                entry.level,
                entry.kind,
                entry.code,
                entry.message,
                entry.action,
                entry.number,
                entry.attempt_id,
                entry.at
            ],
        )?;
        Ok(())
    }

    fn log_page(&self, filter: &LogFilter) -> Result<LogPage, StoreError> {
        let mut clauses: Vec<&str> = Vec::new();
        let mut values: Vec<SqlValue> = Vec::new();
        let add = |clauses: &mut Vec<&str>, values: &mut Vec<SqlValue>, clause, value| {
            clauses.push(clause);
            values.push(value);
        };
        let text = |v: &Option<String>| v.as_ref().map(|v| SqlValue::Text(v.clone()));
        if let Some(v) = text(&filter.connector_id) {
            add(&mut clauses, &mut values, "connector_id = ?", v);
        }
        if let Some(v) = text(&filter.org_id) {
            add(&mut clauses, &mut values, "org_id = ?", v);
        }
        // A level is the least severe shown: the error log leaves info out unless asked.
        match filter.level.as_deref() {
            Some("info") => {}
            Some("error") => clauses.push("level = 'error'"),
            _ => clauses.push("level IN ('warning', 'error')"),
        }
        if let Some(v) = text(&filter.kind) {
            add(&mut clauses, &mut values, "kind = ?", v);
        }
        if let Some(v) = text(&filter.action) {
            add(&mut clauses, &mut values, "action = ?", v);
        }
        if let Some(v) = text(&filter.number) {
            add(&mut clauses, &mut values, "number = ?", v);
        }
        if let Some(v) = text(&filter.since) {
            add(&mut clauses, &mut values, "created_at >= ?", v);
        }
        if let Some(v) = text(&filter.until) {
            add(&mut clauses, &mut values, "created_at < ?", v);
        }
        if let Some(words) = filter.text.as_deref().filter(|t| !t.trim().is_empty()) {
            let pattern = format!(
                "%{}%",
                words
                    .trim()
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            );
            clauses.push("(message LIKE ? ESCAPE '\\' OR kind LIKE ? ESCAPE '\\' OR code LIKE ? ESCAPE '\\')");
            for _ in 0..3 {
                values.push(SqlValue::Text(pattern.clone()));
            }
        }
        if let Some(before) = filter.before {
            add(
                &mut clauses,
                &mut values,
                "id < ?",
                SqlValue::Integer(before.into()),
            );
        }
        let limit = filter.limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE);
        let mut sql = String::from(
            "SELECT id, created_at, level, connector_id, org_id, kind, code, message, action,
                 number, attempt_id FROM events",
        );
        if !clauses.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&clauses.join(" AND "));
        }
        sql.push_str(&format!(" ORDER BY id DESC LIMIT {}", limit + 1));
        let conn = self.conn();
        let mut statement = conn.prepare(&sql)?;
        let rows = statement.query_map(rusqlite::params_from_iter(values.iter()), |row| {
            Ok(LogEntry {
                id: row.get(0)?,
                at: row.get(1)?,
                level: row.get(2)?,
                connector_id: row.get(3)?,
                org_id: row.get(4)?,
                kind: row.get(5)?,
                code: row.get(6)?,
                message: row.get(7)?,
                action: row.get(8)?,
                number: row.get(9)?,
                attempt_id: row.get(10)?,
            })
        })?;
        let mut entries: Vec<LogEntry> = rows.collect::<Result<_, _>>()?;
        let next_before = if entries.len() > limit as usize {
            entries.truncate(limit as usize);
            entries.last().map(|e| e.id)
        } else {
            None
        };
        Ok(LogPage {
            entries,
            next_before,
        })
    }
}

/// An error-log row to write.
pub(crate) struct NewLogEntry<'a> {
    pub connector_id: Option<&'a str>,
    pub org_id: Option<&'a str>,
    pub level: &'a str,
    pub kind: Option<&'a str>,
    pub code: Option<&'a str>,
    pub message: &'a str,
    pub action: &'a str,
    pub number: Option<&'a str>,
    pub attempt_id: Option<&'a str>,
    pub at: &'a str,
}
