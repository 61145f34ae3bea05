//! The audit log: every admin action (organizations, agents, connectors and their secrets,
//! numbers, webhooks, channels, senders) with what it was before and after, read newest first
//! through a filter with keyset paging. The secret token of an inbound webhook URL never reaches
//! it, and no secret value ever does.

use rusqlite::params;
use rusqlite::types::Value as SqlValue;
use serde::{Deserialize, Serialize};

use crate::clock::{now, parse_time};
use crate::error::CoreError;
use crate::model::Connector;
use crate::service::Switchboard;
use crate::store::{Store, StoreError};

/// One audit entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub id: i32,
    pub org_id: Option<String>,
    pub connector_id: Option<String>,
    pub action: String,
    pub target: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub created_at: String,
}

/// What stands in the audit log where a webhook token was.
pub(crate) const REDACTED_TOKEN: &str = "[redacted]";

/// Replaces the token segment of every `/inbound/{connector}/{token}` in `value`: whoever knows
/// the token can post forged inbound messages, and the audit log is shown and exported freely.
pub(crate) fn redact_webhook_tokens(value: &str) -> String {
    const MARKER: &str = "/inbound/";
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find(MARKER) {
        let after_marker = at + MARKER.len();
        out.push_str(&rest[..after_marker]);
        rest = &rest[after_marker..];
        let connector_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        if !rest[connector_end..].starts_with('/') {
            continue;
        }
        out.push_str(&rest[..=connector_end]);
        rest = &rest[connector_end + 1..];
        let token_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        if token_end > 0 {
            out.push_str(REDACTED_TOKEN);
        }
        rest = &rest[token_end..];
    }
    out.push_str(rest);
    out
}

/// Every action the audit log records (`--action` and the UI's action filter take these).
pub const AUDIT_ACTIONS: &[&str] = &[
    "organization.create",
    "organization.rename",
    "organization.inbound_base_url",
    "agent.create",
    "agent.rename",
    "agent.update",
    "agent.delete",
    "connector.create",
    "connector.update",
    "connector.delete",
    "connector.secret_replaced",
    "number.activate",
    "number.deactivate",
    "number.import",
    "webhook.regenerate",
    "webhook.set",
    "webhook.rollback",
    "channel.bind",
    "channel.unbind",
    "sender.register",
    "sender.verify",
    "sender.update",
    "sender.remove",
    "config.import",
];

/// What to show of the audit log. Every field narrows it; `before` is the id of the last entry
/// of the previous page (keyset paging, newest first).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", default)]
pub struct AuditFilter {
    pub org_id: Option<String>,
    /// A connector's id, id prefix or name; the id of a removed connector finds its entries too.
    pub connector_id: Option<String>,
    /// Entries of any of these actions (empty: every action).
    pub actions: Vec<String>,
    /// Words to find in the target, before or after.
    pub text: Option<String>,
    /// RFC 3339; entries at or after it.
    pub since: Option<String>,
    /// RFC 3339; entries before it.
    pub until: Option<String>,
    pub before: Option<u32>,
    pub limit: Option<u32>,
}

/// A page of the audit log, the cursor of the next one (`None`: this was the last), and the
/// actions the log of the organization (or of every organization) holds, for a filter to offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub next_before: Option<u32>,
    pub actions: Vec<String>,
}

const DEFAULT_PAGE: u32 = 100;
const MAX_PAGE: u32 = 1_000;

/// Inserts one audit entry on `conn` (the store's connection, or a transaction of it: a job
/// records each number's result and its audit entry together).
pub(crate) fn insert_audit_on(
    conn: &rusqlite::Connection,
    entry: &AuditEntry,
) -> Result<(), StoreError> {
    // The filters offer AUDIT_ACTIONS: an action missing there could never be found.
    debug_assert!(
        AUDIT_ACTIONS.contains(&entry.action.as_str()),
        "{}",
        entry.action
    );
    conn.prepare_cached(
        "INSERT INTO audit (org_id, connector_id, action, target, before, after, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        entry.org_id,
        entry.connector_id,
        entry.action,
        entry.target,
        entry.before,
        entry.after,
        entry.created_at
    ])?;
    Ok(())
}

impl Store {
    pub(crate) fn insert_audit(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        insert_audit_on(&self.conn(), entry)
    }

    /// The SQL and its values for `filter` (already checked), newest first, one row more than a
    /// page so the caller can tell whether another page follows.
    fn audit_query(filter: &AuditFilter, limit: u32) -> (String, Vec<SqlValue>) {
        let mut clauses: Vec<String> = Vec::new();
        let mut values: Vec<SqlValue> = Vec::new();
        let text = |v: &Option<String>| v.as_ref().map(|v| SqlValue::Text(v.clone()));
        for (column, value) in [
            ("org_id = ?", text(&filter.org_id)),
            ("connector_id = ?", text(&filter.connector_id)),
            ("created_at >= ?", text(&filter.since)),
            ("created_at < ?", text(&filter.until)),
        ] {
            if let Some(value) = value {
                clauses.push(column.to_owned());
                values.push(value);
            }
        }
        if !filter.actions.is_empty() {
            let marks = vec!["?"; filter.actions.len()].join(", ");
            clauses.push(format!("action IN ({marks})"));
            values.extend(filter.actions.iter().cloned().map(SqlValue::Text));
        }
        if let Some(words) = filter
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            let pattern = format!(
                "%{}%",
                words
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            );
            clauses.push(
                "(target LIKE ? ESCAPE '\\' OR before LIKE ? ESCAPE '\\' \
                  OR after LIKE ? ESCAPE '\\')"
                    .to_owned(),
            );
            for _ in 0..3 {
                values.push(SqlValue::Text(pattern.clone()));
            }
        }
        if let Some(before) = filter.before {
            clauses.push("id < ?".to_owned());
            values.push(SqlValue::Integer(before.into()));
        }
        let mut sql = String::from(
            "SELECT id, org_id, connector_id, action, target, before, after, created_at FROM audit",
        );
        if !clauses.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&clauses.join(" AND "));
        }
        sql.push_str(&format!(" ORDER BY id DESC LIMIT {}", limit + 1));
        (sql, values)
    }

    pub(crate) fn audit(&self, filter: &AuditFilter) -> Result<AuditPage, StoreError> {
        let limit = filter.limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE);
        let (sql, values) = Self::audit_query(filter, limit);
        let conn = self.conn();
        let mut statement = conn.prepare(&sql)?;
        let rows = statement.query_map(rusqlite::params_from_iter(values.iter()), |row| {
            Ok(AuditEntry {
                id: row.get(0)?,
                org_id: row.get(1)?,
                connector_id: row.get(2)?,
                action: row.get(3)?,
                target: row.get(4)?,
                before: row.get(5)?,
                after: row.get(6)?,
                created_at: row.get(7)?,
            })
        })?;
        let mut entries: Vec<AuditEntry> = rows.collect::<Result<_, _>>()?;
        let next_before = if entries.len() > limit as usize {
            entries.truncate(limit as usize);
            entries.last().and_then(|e| u32::try_from(e.id).ok())
        } else {
            None
        };
        let mut statement = conn.prepare(
            "SELECT DISTINCT action FROM audit WHERE ?1 IS NULL OR org_id = ?1 ORDER BY action",
        )?;
        let actions = statement
            .query_map(params![filter.org_id], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(AuditPage {
            entries,
            next_before,
            actions,
        })
    }

    /// Whether any audit entry names this connector id (a removed connector's entries stay).
    fn audit_names_connector(&self, connector_id: &str) -> Result<bool, StoreError> {
        Ok(self.conn().query_row(
            "SELECT EXISTS (SELECT 1 FROM audit WHERE connector_id = ?1)",
            params![connector_id],
            |row| row.get(0),
        )?)
    }
}

/// The audit entry of a change on `connector`, webhook tokens redacted.
pub(crate) fn audit_entry(
    connector: &Connector,
    action: &str,
    target: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> AuditEntry {
    AuditEntry {
        id: 0,
        org_id: Some(connector.org_id.clone()),
        connector_id: Some(connector.id.clone()),
        action: action.to_owned(),
        target: redact_webhook_tokens(target),
        before: before.map(redact_webhook_tokens),
        after: after.map(redact_webhook_tokens),
        created_at: now(),
    }
}

impl Switchboard {
    /// Records a change on `connector`. Webhook tokens in `before` / `after` are redacted.
    pub(crate) fn audit(
        &self,
        connector: &Connector,
        action: &str,
        target: &str,
        before: Option<&str>,
        after: Option<&str>,
    ) -> Result<(), CoreError> {
        self.store()
            .insert_audit(&audit_entry(connector, action, target, before, after))?;
        Ok(())
    }

    /// Records a change that belongs to an organization rather than one connector (the
    /// organization itself, its agents).
    pub(crate) fn audit_org(
        &self,
        org_id: &str,
        action: &str,
        target: &str,
        before: Option<&str>,
        after: Option<&str>,
    ) -> Result<(), CoreError> {
        self.store().insert_audit(&AuditEntry {
            id: 0,
            org_id: Some(org_id.to_owned()),
            connector_id: None,
            action: action.to_owned(),
            target: redact_webhook_tokens(target),
            before: before.map(redact_webhook_tokens),
            after: after.map(redact_webhook_tokens),
            created_at: now(),
        })?;
        Ok(())
    }

    /// A page of the audit log that matches `filter`, newest first. A value the filter cannot
    /// use is refused with the field it came in. Entries written before tokens were redacted are
    /// redacted as they are read.
    pub fn audit_log(&self, filter: &AuditFilter) -> Result<AuditPage, CoreError> {
        let filter = self.checked_audit_filter(filter)?;
        let mut page = self.store().audit(&filter)?;
        for entry in &mut page.entries {
            entry.target = redact_webhook_tokens(&entry.target);
            entry.before = entry.before.as_deref().map(redact_webhook_tokens);
            entry.after = entry.after.as_deref().map(redact_webhook_tokens);
        }
        Ok(page)
    }

    fn checked_audit_filter(&self, filter: &AuditFilter) -> Result<AuditFilter, CoreError> {
        let mut filter = filter.clone();
        if let Some(reference) = filter.org_id.as_deref() {
            filter.org_id = Some(self.organization_resolve(reference)?.id);
        }
        if let Some(reference) = filter.connector_id.as_deref() {
            let reference = reference.trim();
            filter.connector_id = Some(match self.connector_resolve(reference) {
                Ok(connector) => connector.id,
                Err(CoreError::NotFound { .. })
                    if self.store().audit_names_connector(reference)? =>
                {
                    reference.to_owned()
                }
                Err(CoreError::NotFound { .. }) => {
                    return Err(CoreError::field(
                        "connectorId",
                        format!(
                            "No connector (and no audit entry of a removed one) is named \
                             '{reference}': use its id, id prefix or name"
                        ),
                    ));
                }
                Err(other) => return Err(other),
            });
        }
        let mut actions = Vec::with_capacity(filter.actions.len());
        for action in &filter.actions {
            let action = action.trim();
            if !AUDIT_ACTIONS.contains(&action) {
                return Err(CoreError::field(
                    "actions",
                    format!(
                        "'{action}' is not an audit action: use one of {}",
                        AUDIT_ACTIONS.join(", ")
                    ),
                ));
            }
            if !actions.iter().any(|a| a == action) {
                actions.push(action.to_owned());
            }
        }
        filter.actions = actions;
        // Stored times are RFC 3339 UTC with milliseconds; compare like with like.
        for (field, value) in [("since", &mut filter.since), ("until", &mut filter.until)] {
            if let Some(text) = value.as_deref() {
                let Some(time) = parse_time(text.trim()) else {
                    return Err(CoreError::field(
                        field,
                        format!("'{text}' is not a time: use e.g. 2026-01-31T09:00:00Z"),
                    ));
                };
                *value = Some(time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
            }
        }
        if let (Some(since), Some(until)) = (&filter.since, &filter.until)
            && since >= until
        {
            return Err(CoreError::field(
                "until",
                format!("The end of the range ({until}) must come after its start ({since})"),
            ));
        }
        if filter.limit == Some(0) || filter.limit.is_some_and(|l| l > MAX_PAGE) {
            return Err(CoreError::field(
                "limit",
                format!("A page holds 1 to {MAX_PAGE} entries"),
            ));
        }
        Ok(filter)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::{
        ConnectorDraft, ConnectorKind, ConnectorSettings, OrganizationDraft, TelnyxSettings,
    };
    use crate::{MemorySecretStore, Store};

    fn of_org(org_id: &str) -> AuditFilter {
        AuditFilter {
            org_id: Some(org_id.into()),
            ..AuditFilter::default()
        }
    }

    fn token_of(url: &str) -> String {
        url.rsplit('/').next().unwrap().to_owned()
    }

    #[test]
    fn regenerating_a_webhook_url_audits_it_without_the_token() {
        let core = Switchboard::new(
            Store::open_in_memory().unwrap(),
            Arc::new(MemorySecretStore::default()),
        );
        let org = core
            .organization_create(&OrganizationDraft {
                name: "Grand Hotel".into(),
                inbound_base_url: Some("https://hooks.grand-hotel.example".into()),
            })
            .unwrap();
        let connector = core
            .connector_create(&ConnectorDraft {
                org_id: org.id.clone(),
                kind: ConnectorKind::Sms,
                name: "Reception".into(),
                settings: ConnectorSettings::Telnyx(TelnyxSettings {
                    from: Some("+13125550101".into()),
                    ..TelnyxSettings::default()
                }),
                recipients: Vec::new(),
                receive_inbound: true,
                secret: Some("KEYtelnyx".into()),
            })
            .unwrap();
        let old = core.webhook_url(&connector.id).unwrap().url.unwrap();
        let new = core.webhook_regenerate(&connector.id).unwrap().url.unwrap();
        let (old_token, new_token) = (token_of(&old), token_of(&new));
        assert_ne!(old_token, new_token);

        let entries = core.audit_log(&of_org(&org.id)).unwrap().entries;
        let entry = entries
            .iter()
            .find(|e| e.action == "webhook.regenerate")
            .unwrap();
        let redacted = Some(format!(
            "https://hooks.grand-hotel.example/inbound/{}/{REDACTED_TOKEN}",
            connector.id
        ));
        assert_eq!(entry.before, redacted);
        assert_eq!(entry.after, redacted);
        // Not in what is stored either (an export or another tool reads the table directly).
        let stored: Vec<String> = {
            let conn = core.store().conn();
            let mut statement = conn
                .prepare("SELECT coalesce(before, '') || ' ' || coalesce(after, '') FROM audit")
                .unwrap();
            statement
                .query_map([], |row| row.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        for text in stored {
            assert!(
                !text.contains(&old_token) && !text.contains(&new_token),
                "{text}"
            );
        }
    }

    #[test]
    fn entries_stored_with_a_token_are_redacted_when_read() {
        let core = Switchboard::new(
            Store::open_in_memory().unwrap(),
            Arc::new(MemorySecretStore::default()),
        );
        core.store()
            .insert_audit(&AuditEntry {
                id: 0,
                org_id: Some("o1".into()),
                connector_id: Some("c1".into()),
                action: "webhook.set".into(),
                target: "+14155550101".into(),
                before: Some("https://h.example/inbound/c1/0ldt0ken".into()),
                after: Some("https://h.example/inbound/c1/n3wt0ken".into()),
                created_at: now(),
            })
            .unwrap();
        core.store()
            .insert_organization(
                "o1",
                &OrganizationDraft {
                    name: "Old Hotel".into(),
                    inbound_base_url: None,
                },
                &now(),
            )
            .unwrap();
        let entry = &core.audit_log(&of_org("o1")).unwrap().entries[0];
        assert_eq!(
            entry.before.as_deref(),
            Some("https://h.example/inbound/c1/[redacted]")
        );
        assert_eq!(
            entry.after.as_deref(),
            Some("https://h.example/inbound/c1/[redacted]")
        );
    }

    #[test]
    fn the_token_segment_of_an_inbound_url_is_redacted() {
        let cases = [
            (
                "https://hooks.example/inbound/c0ffee/5ecret",
                "https://hooks.example/inbound/c0ffee/[redacted]",
            ),
            (
                "https://h.example/base/inbound/c1/t0k?x=1#f",
                "https://h.example/base/inbound/c1/[redacted]?x=1#f",
            ),
            (
                "a /inbound/c1/t1/more and /inbound/c2/t2",
                "a /inbound/c1/[redacted]/more and /inbound/c2/[redacted]",
            ),
            (
                "https://h.example/inbound/c1",
                "https://h.example/inbound/c1",
            ),
            (
                "https://h.example/inbound/c1/",
                "https://h.example/inbound/c1/",
            ),
            ("agent Front desk", "agent Front desk"),
            ("", ""),
        ];
        for (raw, redacted) in cases {
            assert_eq!(redact_webhook_tokens(raw), redacted, "{raw}");
        }
    }

    fn entry(
        org: &str,
        connector: Option<&str>,
        action: &str,
        target: &str,
        at: &str,
    ) -> AuditEntry {
        AuditEntry {
            id: 0,
            org_id: Some(org.into()),
            connector_id: connector.map(str::to_owned),
            action: action.into(),
            target: target.into(),
            before: Some(format!("before {target}")),
            after: Some(format!("after {target}")),
            created_at: at.into(),
        }
    }

    /// An organization "o1" with a connector "Reception" and the entries below, oldest first.
    fn filled() -> (Switchboard, String) {
        let core = Switchboard::new(
            Store::open_in_memory().unwrap(),
            Arc::new(MemorySecretStore::default()),
        );
        core.store()
            .insert_organization(
                "o1",
                &OrganizationDraft {
                    name: "Grand Hotel".into(),
                    inbound_base_url: None,
                },
                "2026-01-01T00:00:00.000Z",
            )
            .unwrap();
        let connector = core
            .connector_create(&ConnectorDraft {
                org_id: "o1".into(),
                kind: ConnectorKind::Sms,
                name: "Reception".into(),
                settings: ConnectorSettings::Telnyx(TelnyxSettings {
                    from: Some("+13125550101".into()),
                    ..TelnyxSettings::default()
                }),
                recipients: Vec::new(),
                receive_inbound: true,
                secret: Some("KEYtelnyx".into()),
            })
            .unwrap();
        core.store()
            .conn()
            .execute("DELETE FROM audit", [])
            .unwrap();
        let c = Some(connector.id.as_str());
        for e in [
            entry(
                "o1",
                c,
                "number.activate",
                "+13125550101",
                "2026-02-01T10:00:00.000Z",
            ),
            entry(
                "o1",
                c,
                "webhook.set",
                "+13125550101",
                "2026-02-02T10:00:00.000Z",
            ),
            entry(
                "o1",
                None,
                "agent.create",
                "Concierge",
                "2026-02-03T10:00:00.000Z",
            ),
            entry(
                "o1",
                c,
                "channel.bind",
                "+13125550101",
                "2026-02-04T10:00:00.000Z",
            ),
            entry(
                "o1",
                Some("gone1"),
                "connector.delete",
                "Old SMS 50%_off",
                "2026-02-05T10:00:00.000Z",
            ),
            entry(
                "o2",
                None,
                "agent.create",
                "Elsewhere",
                "2026-02-06T10:00:00.000Z",
            ),
        ] {
            core.store().insert_audit(&e).unwrap();
        }
        (core, connector.id)
    }

    fn targets(page: &AuditPage) -> Vec<&str> {
        page.entries.iter().map(|e| e.target.as_str()).collect()
    }

    #[test]
    fn the_audit_log_is_filtered_by_connector_action_text_and_time() {
        let (core, connector) = filled();
        let filter = |f: AuditFilter| {
            core.audit_log(&AuditFilter {
                org_id: Some("o1".into()),
                ..f
            })
            .unwrap()
        };
        let all = filter(AuditFilter::default());
        assert_eq!(all.entries.len(), 5, "not the other organization's");
        assert_eq!(all.entries[0].action, "connector.delete", "newest first");
        assert_eq!(
            all.actions,
            [
                "agent.create",
                "channel.bind",
                "connector.delete",
                "number.activate",
                "webhook.set"
            ]
        );

        // By the connector's name, and by the id of a removed one.
        let by_name = filter(AuditFilter {
            connector_id: Some("Reception".into()),
            ..AuditFilter::default()
        });
        assert_eq!(by_name.entries.len(), 3);
        assert!(
            by_name
                .entries
                .iter()
                .all(|e| e.connector_id.as_deref() == Some(connector.as_str()))
        );
        let removed = filter(AuditFilter {
            connector_id: Some("gone1".into()),
            ..AuditFilter::default()
        });
        assert_eq!(targets(&removed), ["Old SMS 50%_off"]);

        let actions = filter(AuditFilter {
            actions: vec!["webhook.set".into(), "agent.create".into()],
            ..AuditFilter::default()
        });
        assert_eq!(targets(&actions), ["Concierge", "+13125550101"]);

        // Words in the target, before or after; % and _ are themselves, not wildcards.
        let text = filter(AuditFilter {
            text: Some("after concierge".into()),
            ..AuditFilter::default()
        });
        assert_eq!(targets(&text), ["Concierge"]);
        let literal = filter(AuditFilter {
            text: Some("50%_".into()),
            ..AuditFilter::default()
        });
        assert_eq!(targets(&literal), ["Old SMS 50%_off"]);
        let wildcard = filter(AuditFilter {
            text: Some("S%S".into()),
            ..AuditFilter::default()
        });
        assert!(wildcard.entries.is_empty());

        // since is inclusive, until exclusive; a zone offset is read as the instant it names.
        let range = filter(AuditFilter {
            since: Some("2026-02-02T10:00:00Z".into()),
            until: Some("2026-02-04T12:00:00+02:00".into()),
            ..AuditFilter::default()
        });
        assert_eq!(targets(&range), ["Concierge", "+13125550101"]);
        assert_eq!(range.entries[1].action, "webhook.set");
    }

    #[test]
    fn the_audit_log_pages_with_a_cursor() {
        let (core, _) = filled();
        let mut filter = AuditFilter {
            org_id: Some("Grand Hotel".into()),
            limit: Some(2),
            ..AuditFilter::default()
        };
        let mut seen = Vec::new();
        let mut pages = 0;
        loop {
            let page = core.audit_log(&filter).unwrap();
            pages += 1;
            assert!(page.entries.len() <= 2);
            seen.extend(page.entries.iter().map(|e| e.id));
            match page.next_before {
                Some(before) => filter.before = Some(before),
                None => break,
            }
        }
        assert_eq!(pages, 3);
        assert_eq!(seen.len(), 5);
        let mut sorted = seen.clone();
        sorted.sort_unstable_by(|a, b| b.cmp(a));
        sorted.dedup();
        assert_eq!(seen, sorted, "newest first, each entry once");
    }

    #[test]
    fn a_filter_value_that_cannot_be_used_names_its_field() {
        let (core, _) = filled();
        let refused = |f: AuditFilter| match core.audit_log(&f) {
            Err(CoreError::Validation(fields)) => fields[0].field.clone(),
            other => panic!("{other:?}"),
        };
        let field = |f: AuditFilter| refused(f);
        assert_eq!(
            field(AuditFilter {
                actions: vec!["webhook.set".into(), "hack".into()],
                ..AuditFilter::default()
            }),
            "actions"
        );
        assert_eq!(
            field(AuditFilter {
                since: Some("yesterday".into()),
                ..AuditFilter::default()
            }),
            "since"
        );
        assert_eq!(
            field(AuditFilter {
                since: Some("2026-02-03T00:00:00Z".into()),
                until: Some("2026-02-02T00:00:00Z".into()),
                ..AuditFilter::default()
            }),
            "until"
        );
        assert_eq!(
            field(AuditFilter {
                limit: Some(0),
                ..AuditFilter::default()
            }),
            "limit"
        );
        assert_eq!(
            field(AuditFilter {
                connector_id: Some("nothing-like-it".into()),
                ..AuditFilter::default()
            }),
            "connectorId"
        );
    }

    #[test]
    fn filtered_reads_use_the_audit_indexes() {
        let core = Switchboard::new(
            Store::open_in_memory().unwrap(),
            Arc::new(MemorySecretStore::default()),
        );
        // A log of some size: 50 organizations with 4 connectors each, 10,000 entries.
        core.store()
            .conn()
            .execute_batch(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
                 INSERT INTO audit (org_id, connector_id, action, target, created_at)
                 SELECT 'o' || (i % 50), 'c' || (i % 200), 'webhook.set', '+1415555' || i,
                        '2026-01-01T00:00:00.000Z' FROM n;",
            )
            .unwrap();
        let plan = |filter: &AuditFilter| {
            let (sql, values) = Store::audit_query(filter, 100);
            let conn = core.store().conn();
            let mut statement = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
            let rows: Vec<String> = statement
                .query_map(rusqlite::params_from_iter(values.iter()), |row| row.get(3))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            rows.join("; ")
        };
        let by_org = AuditFilter {
            org_id: Some("o1".into()),
            ..AuditFilter::default()
        };
        let by_connector = AuditFilter {
            org_id: Some("o1".into()),
            connector_id: Some("c1".into()),
            ..AuditFilter::default()
        };
        // Without statistics (a fresh database) and with them (after ANALYZE).
        for analyzed in [false, true] {
            if analyzed {
                core.store().conn().execute_batch("ANALYZE").unwrap();
            }
            let org_plan = plan(&by_org);
            assert!(org_plan.contains("audit_by_org"), "{analyzed}: {org_plan}");
            let connector_plan = plan(&by_connector);
            assert!(
                connector_plan.contains("audit_by_connector"),
                "{analyzed}: {connector_plan}"
            );
        }
    }
}
