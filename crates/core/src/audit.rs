//! The audit log: every change made to numbers, webhooks and channels, with what it was before
//! and after. The secret token of an inbound webhook URL never reaches it.

use rusqlite::params;
use serde::Serialize;

use crate::clock::now;
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

impl Store {
    pub(crate) fn insert_audit(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        self.conn().execute(
            "INSERT INTO audit (org_id, connector_id, action, target, before, after, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                entry.org_id,
                entry.connector_id,
                entry.action,
                entry.target,
                entry.before,
                entry.after,
                entry.created_at
            ],
        )?;
        Ok(())
    }

    pub(crate) fn audit(
        &self,
        org_id: Option<&str>,
        limit: u32,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare(
            "SELECT id, org_id, connector_id, action, target, before, after, created_at
             FROM audit WHERE ?1 IS NULL OR org_id = ?1 ORDER BY id DESC LIMIT ?2",
        )?;
        let rows = statement.query_map(params![org_id, limit], |row| {
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
        Ok(rows.collect::<Result<_, _>>()?)
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
        self.store().insert_audit(&AuditEntry {
            id: 0,
            org_id: Some(connector.org_id.clone()),
            connector_id: Some(connector.id.clone()),
            action: action.to_owned(),
            target: redact_webhook_tokens(target),
            before: before.map(redact_webhook_tokens),
            after: after.map(redact_webhook_tokens),
            created_at: now(),
        })?;
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

    /// The audit log, newest first. Entries written before tokens were redacted are redacted
    /// as they are read.
    pub fn audit_log(
        &self,
        org_id: Option<&str>,
        limit: u32,
    ) -> Result<Vec<AuditEntry>, CoreError> {
        let mut entries = self.store().audit(org_id, limit)?;
        for entry in &mut entries {
            entry.target = redact_webhook_tokens(&entry.target);
            entry.before = entry.before.as_deref().map(redact_webhook_tokens);
            entry.after = entry.after.as_deref().map(redact_webhook_tokens);
        }
        Ok(entries)
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

        let entries = core.audit_log(Some(&org.id), 10).unwrap();
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
        let entry = &core.audit_log(Some("o1"), 10).unwrap()[0];
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
}
