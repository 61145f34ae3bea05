//! The support bundle (issue 11 §2): a zip a hotel can send to its support engineer — the
//! diagnosis, the connector's configuration, the drift table, the last log entries and message
//! statuses, app and OS versions. Nothing secret goes in, and every file passes through
//! [`mask`] before it is written: Account SIDs, API key SIDs, phone numbers and email addresses
//! keep only their last four characters, webhook tokens and every stored secret are removed.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::{Value, json};

use super::Diagnosis;
use crate::error::CoreError;
use crate::logs::LogFilter;
use crate::messaging::AttemptFilter;
use crate::model::{Connector, ConnectorKind};
use crate::numbers::number_drift;
use crate::service::Switchboard;

const LOG_ENTRIES: u32 = 200;
const MESSAGES: u32 = 50;
/// How much of the app's log file goes into a bundle.
const LOG_TAIL_BYTES: u64 = 64 * 1024;
const REMOVED: &str = "[removed]";

/// Where the bundle went and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct BundleInfo {
    pub path: String,
    pub files: Vec<String>,
    pub bytes: u32,
}

#[derive(Debug, thiserror::Error)]
enum BundleError {
    #[error(
        "Could not write the support bundle to {path}: {source}. Choose a folder you may write to."
    )]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("Could not write the support bundle to {path}: {source}")]
    Zip {
        path: PathBuf,
        source: zip::result::ZipError,
    },
}

impl From<BundleError> for CoreError {
    fn from(error: BundleError) -> Self {
        CoreError::Conflict(error.to_string())
    }
}

/// What must never appear in a bundle, besides the patterns [`mask`] replaces.
#[derive(Debug, Default)]
pub(crate) struct Scrub {
    /// Stored secrets and webhook tokens, replaced wherever they occur.
    pub exact: Vec<String>,
    /// Account identifiers no pattern recognises (a 46elks API username): masked like a SID.
    pub identifiers: Vec<String>,
}

/// Keeps the last four characters of `text`, the rest as `*`.
fn keep_last4(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let keep = chars.len().min(4);
    let hidden = chars.len() - keep;
    let mut out = "*".repeat(hidden);
    out.extend(&chars[hidden..]);
    out
}

fn is_email_local(c: char) -> bool {
    c.is_ascii_alphanumeric() || "._%+-".contains(c)
}

fn is_email_domain(c: char) -> bool {
    c.is_ascii_alphanumeric() || ".-".contains(c)
}

/// Masks phone numbers (`+` and 7–15 digits), Twilio Account and API key SIDs (`AC`/`SK` and 32
/// hex digits) and email addresses, keeping the last four characters; removes every exact
/// string in `scrub` and every webhook token.
pub(crate) fn mask(text: &str, scrub: &Scrub) -> String {
    let mut text = crate::audit::redact_webhook_tokens(text);
    for secret in scrub.exact.iter().filter(|s| s.len() >= 4) {
        text = text.replace(secret.as_str(), REMOVED);
    }
    for identifier in scrub.identifiers.iter().filter(|s| s.len() > 4) {
        text = text.replace(identifier.as_str(), &keep_last4(identifier));
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // A phone number.
        if c == '+' {
            let digits = chars[i + 1..]
                .iter()
                .take_while(|d| d.is_ascii_digit())
                .count();
            if (7..=15).contains(&digits) {
                out.push('+');
                out.push_str(&keep_last4(
                    &chars[i + 1..i + 1 + digits].iter().collect::<String>(),
                ));
                i += 1 + digits;
                continue;
            }
        }
        // An Account or API key SID.
        if (c == 'A' || c == 'S')
            && chars.get(i + 1) == Some(&if c == 'A' { 'C' } else { 'K' })
            && chars.len() >= i + 34
            && chars[i + 2..i + 34].iter().all(char::is_ascii_hexdigit)
            && !chars.get(i + 34).is_some_and(char::is_ascii_alphanumeric)
            && !(i > 0 && chars[i - 1].is_ascii_alphanumeric())
        {
            out.push(c);
            out.push(chars[i + 1]);
            out.push_str(&keep_last4(
                &chars[i + 2..i + 34].iter().collect::<String>(),
            ));
            i += 34;
            continue;
        }
        // An email address: mask from the start of its local part, which is already in `out`.
        if c == '@' {
            let local = out.chars().rev().take_while(|c| is_email_local(*c)).count();
            let domain = chars[i + 1..]
                .iter()
                .take_while(|c| is_email_domain(**c))
                .count();
            let domain_text: String = chars[i + 1..i + 1 + domain].iter().collect();
            if local > 0 && domain_text.trim_end_matches('.').contains('.') {
                let kept: String = out.chars().collect::<Vec<_>>()[..out.chars().count() - local]
                    .iter()
                    .collect();
                let local_text: String = out.chars().skip(out.chars().count() - local).collect();
                let address = format!("{local_text}@{domain_text}");
                out = kept;
                out.push_str(&keep_last4(&address));
                i += 1 + domain;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

fn pretty(value: &impl Serialize) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".to_owned())
}

/// The OS name and version, as far as this system tells without running anything.
fn os_version() -> Value {
    let release = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("PRETTY_NAME="))
                .map(|v| v.trim_matches('"').to_owned())
        });
    json!({
        "os": std::env::consts::OS,
        "arch": std::env::consts::ARCH,
        "family": std::env::consts::FAMILY,
        "release": release,
    })
}

/// The last [`LOG_TAIL_BYTES`] of the app's log file, from the first whole line; `None` when it
/// cannot be read (no log yet, or the app never ran on this machine).
fn log_tail(path: &Path) -> Option<String> {
    use std::io::{Read as _, Seek as _, SeekFrom};
    let mut file = std::fs::File::open(path).ok()?;
    let length = file.metadata().ok()?.len();
    let start = length.saturating_sub(LOG_TAIL_BYTES);
    file.seek(SeekFrom::Start(start)).ok()?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let text = match (start > 0, text.split_once('\n')) {
        (true, Some((_, rest))) => rest,
        _ => &text,
    };
    Some(text.to_owned())
}

impl Switchboard {
    /// Writes the support bundle for `diagnosis`'s connector to `path` (a new zip file).
    /// `app_version` names the program that made it (the app's or the CLI's version).
    pub fn support_bundle(
        &self,
        diagnosis: &Diagnosis,
        path: &Path,
        app_version: &str,
    ) -> Result<BundleInfo, CoreError> {
        self.support_bundle_with_log(diagnosis, path, app_version, None)
    }

    /// [`Self::support_bundle`], with the tail of the app's log file (`log_file`, which the app
    /// names) as `app.log` when it can be read — masked and scrubbed like every other file.
    pub fn support_bundle_with_log(
        &self,
        diagnosis: &Diagnosis,
        path: &Path,
        app_version: &str,
        log_file: Option<&Path>,
    ) -> Result<BundleInfo, CoreError> {
        let connector = self.connector(&diagnosis.connector_id)?;
        let scrub = self.bundle_scrub(&connector)?;
        let mut files = vec![
            ("diagnosis.json", pretty(diagnosis)),
            (
                "connector.json",
                pretty(&self.bundle_connector(&connector)?),
            ),
            ("drift.json", pretty(&self.bundle_drift(&connector)?)),
            ("logs.json", pretty(&self.bundle_logs(&connector)?)),
            ("messages.json", pretty(&self.bundle_messages(&connector)?)),
            (
                "versions.json",
                pretty(&json!({
                    "switchboard": app_version,
                    "core": env!("CARGO_PKG_VERSION"),
                    "schema": crate::store::SCHEMA_VERSION,
                    "system": os_version(),
                })),
            ),
        ];
        if let Some(tail) = log_file.and_then(log_tail) {
            files.push(("app.log", tail));
        }
        let io = |source| BundleError::Io {
            path: path.to_owned(),
            source,
        };
        let zip_error = |source| BundleError::Zip {
            path: path.to_owned(),
            source,
        };
        let file = std::fs::File::create(path).map_err(io)?;
        let mut zip = zip::ZipWriter::new(file);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let mut names = Vec::new();
        for (name, content) in files {
            zip.start_file(name, options).map_err(zip_error)?;
            zip.write_all(mask(&content, &scrub).as_bytes())
                .map_err(io)?;
            names.push(name.to_owned());
        }
        zip.finish().map_err(zip_error)?;
        let bytes = std::fs::metadata(path).map_err(io)?.len();
        Ok(BundleInfo {
            path: path.display().to_string(),
            files: names,
            bytes: u32::try_from(bytes).unwrap_or(u32::MAX),
        })
    }

    /// Every secret and webhook token of the organization's connectors: removed wherever they
    /// would occur, although no file is built from them.
    fn bundle_scrub(&self, connector: &Connector) -> Result<Scrub, CoreError> {
        let mut scrub = Scrub::default();
        for other in self.connectors(Some(&connector.org_id))? {
            if let Ok(Some(secret)) = self.connector_secret(&other.id) {
                scrub.exact.push(secret.expose().clone());
            }
            if let Ok(token) = self.store().webhook_token(&other.id) {
                scrub.exact.push(token);
            }
            if let crate::model::ConnectorSettings::Elks46(elks) = &other.settings {
                scrub.identifiers.push(elks.username.clone());
            }
        }
        Ok(scrub)
    }

    fn bundle_connector(&self, connector: &Connector) -> Result<Value, CoreError> {
        let org = self.organization(&connector.org_id)?;
        Ok(json!({
            "connector": connector,
            "organization": {
                "name": org.name,
                "inboundBaseUrl": org.inbound_base_url,
            },
            "note": "No secret is included: the connector's secret stays in the system keychain.",
        }))
    }

    fn bundle_drift(&self, connector: &Connector) -> Result<Value, CoreError> {
        if connector.kind == ConnectorKind::Email {
            return Ok(json!([]));
        }
        let expected = self.expected_url(connector)?;
        let numbers = self.store().numbers(&connector.id)?;
        let rows: Vec<Value> = numbers
            .iter()
            .map(|number| {
                let reasons: Vec<String> = if number.active {
                    number_drift(expected.as_deref(), number)
                        .iter()
                        .map(|r| r.describe())
                        .collect()
                } else {
                    Vec::new()
                };
                json!({
                    "number": number.e164,
                    "kind": number.kind,
                    "active": number.active,
                    "providerStatus": number.provider_status,
                    "offlineReasons": number.offline_reasons,
                    "expectedUrl": if number.active { expected.clone() } else { None },
                    "actualUrl": number.webhook_url,
                    "actualMethod": number.webhook_method,
                    "webhookState": number.webhook_state,
                    "override": number.webhook_override,
                    "reasons": reasons,
                    "lastSeenAt": number.last_seen_at,
                })
            })
            .collect();
        Ok(Value::Array(rows))
    }

    fn bundle_logs(&self, connector: &Connector) -> Result<Value, CoreError> {
        let page = self.logs(&LogFilter {
            connector_id: Some(connector.id.clone()),
            limit: Some(LOG_ENTRIES),
            ..LogFilter::default()
        })?;
        Ok(serde_json::to_value(page.entries).unwrap_or(Value::Null))
    }

    /// Statuses and codes only: no message text.
    fn bundle_messages(&self, connector: &Connector) -> Result<Value, CoreError> {
        if connector.kind == ConnectorKind::Email {
            return Ok(json!({}));
        }
        let attempts: Vec<Value> = self
            .message_attempts(
                &connector.id,
                &AttemptFilter {
                    limit: Some(MESSAGES),
                    ..AttemptFilter::default()
                },
            )?
            .attempts
            .into_iter()
            .map(|a| {
                json!({
                    "at": a.created_at,
                    "to": a.to,
                    "from": a.from,
                    "kind": a.kind,
                    "status": a.status,
                    "outcome": a.outcome,
                    "errorCode": a.error_code,
                    "errorKind": a.error_kind,
                    "fallbackStatus": a.fallback_status,
                })
            })
            .collect();
        let imported: Vec<Value> = self
            .imported_messages(&connector.id, MESSAGES)?
            .into_iter()
            .map(|m| {
                json!({
                    "at": m.sent_at,
                    "direction": m.direction,
                    "from": m.from,
                    "to": m.to,
                    "status": m.status,
                    "outcome": m.outcome,
                    "errorCode": m.error_code,
                })
            })
            .collect();
        Ok(json!({ "sentThroughSwitchboard": attempts, "imported": imported }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_keep_their_last_four() {
        let scrub = Scrub {
            exact: vec!["s3cr3t-token-value".into()],
            identifiers: vec!["u0123456789abcdef".into()],
        };
        let text = "from +46701234567 sid ACaaaaaaaaaaaaaaaaaaaaaaaaaaaa1234 key \
                    SKbbbbbbbbbbbbbbbbbbbbbbbbbbbb9876 mail frontdesk@grand-hotel.example \
                    secret s3cr3t-token-value url https://h.example/inbound/c1/tok123?x=1 \
                    elks u0123456789abcdef";
        let masked = mask(text, &scrub);
        assert!(masked.contains("+*******4567"), "{masked}");
        assert!(
            masked.contains("AC****************************1234"),
            "{masked}"
        );
        assert!(
            masked.contains("SK****************************9876"),
            "{masked}"
        );
        assert!(masked.contains("mple"), "{masked}");
        assert!(!masked.contains("frontdesk"), "{masked}");
        assert!(!masked.contains("grand-hotel"), "{masked}");
        assert!(!masked.contains("s3cr3t"), "{masked}");
        assert!(!masked.contains("tok123"), "{masked}");
        assert!(masked.contains("/inbound/c1/[redacted]?x=1"), "{masked}");
        assert!(masked.contains("elks *************cdef"), "{masked}");
    }

    #[test]
    fn text_without_identifiers_is_unchanged() {
        let text = "status delivered, code 30003 at 2026-12-04T10:00:00.000Z (+12 s) a@b";
        assert_eq!(mask(text, &Scrub::default()), text);
    }
}
