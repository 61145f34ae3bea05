//! The sandbox demo: an organization with one connector per provider, all pointing at a local
//! provider emulator, so a newcomer can click through everything offline. This module holds what
//! the demo is in the database (create, rebase, remove); [`DemoSandbox`] runs the emulator and
//! remembers it between launches, for the app and the CLI alike.

mod sandbox;

use rusqlite::params;
use serde::Serialize;
use url::{Origin, Url};

use crate::error::CoreError;
use crate::model::{
    Connector, ConnectorDraft, ConnectorKind, ConnectorSettings, ElksSettings, Organization,
    OrganizationDraft, RecipientDraft, TelnyxSettings, TwilioSettings,
};
use crate::service::Switchboard;
use crate::store::{Store, StoreError};

pub use sandbox::{DemoSandbox, SANDBOX_LEFT_FILE, SANDBOX_MEMO_FILE, SandboxJoin};

/// Name of the organization the demo creates.
pub const DEMO_ORGANIZATION: &str = "Sandbox demo";

/// Where the emulator listens and the credentials of its seeded accounts.
#[derive(Clone)]
pub struct DemoAccounts {
    /// Root URL, e.g. `http://127.0.0.1:4010`; providers live under `/twilio`, `/telnyx`, `/46elks`.
    pub url: String,
    pub twilio_account_sid: String,
    pub twilio_auth_token: String,
    pub telnyx_api_key: String,
    pub elks_username: String,
    pub elks_password: String,
}

impl std::fmt::Debug for DemoAccounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoAccounts")
            .field("url", &self.url)
            .field("twilio_account_sid", &self.twilio_account_sid)
            .field("elks_username", &self.elks_username)
            .finish_non_exhaustive()
    }
}

/// The demo organization and its connectors (not yet checked).
#[derive(Debug, Clone)]
pub struct Demo {
    pub organization: Organization,
    pub connectors: Vec<Connector>,
}

/// What "Try the sandbox" shows: the demo, its connectors checked, and where the emulator runs.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SandboxDemo {
    pub organization: Organization,
    /// Checked against the sandbox: Active unless something is wrong.
    pub connectors: Vec<Connector>,
    pub sandbox_url: String,
}

/// The connectors the demo creates in `org_id`, all pointing at the emulator at `url`.
fn demo_drafts(org_id: &str, url: &str, accounts: &DemoAccounts) -> Vec<ConnectorDraft> {
    let twilio = |kind, name: &str, from: &str| ConnectorDraft {
        org_id: org_id.to_owned(),
        kind,
        name: name.to_owned(),
        settings: ConnectorSettings::Twilio(TwilioSettings {
            account_sid: accounts.twilio_account_sid.clone(),
            from: Some(from.to_owned()),
            base_url: Some(format!("{url}/twilio")),
            ..TwilioSettings::default()
        }),
        recipients: vec![RecipientDraft {
            number: "+14155550199".to_owned(),
            backup_email: Some("front-desk@example.com".to_owned()),
        }],
        receive_inbound: true,
        secret: Some(accounts.twilio_auth_token.clone()),
    };
    vec![
        twilio(ConnectorKind::Whatsapp, "WhatsApp (Twilio)", "+14155550101"),
        twilio(ConnectorKind::Sms, "SMS (Twilio)", "+14155550102"),
        ConnectorDraft {
            org_id: org_id.to_owned(),
            kind: ConnectorKind::Sms,
            name: "SMS (Telnyx)".to_owned(),
            settings: ConnectorSettings::Telnyx(TelnyxSettings {
                from: Some("+13125550101".to_owned()),
                base_url: Some(format!("{url}/telnyx")),
                ..TelnyxSettings::default()
            }),
            recipients: Vec::new(),
            receive_inbound: true,
            secret: Some(accounts.telnyx_api_key.clone()),
        },
        ConnectorDraft {
            org_id: org_id.to_owned(),
            kind: ConnectorKind::Sms,
            name: "SMS (46elks)".to_owned(),
            settings: ConnectorSettings::Elks46(ElksSettings {
                username: accounts.elks_username.clone(),
                from: Some("Hotel".to_owned()),
                base_url: Some(format!("{url}/46elks")),
            }),
            recipients: Vec::new(),
            receive_inbound: true,
            secret: Some(accounts.elks_password.clone()),
        },
    ]
}

/// `value` with its origin (scheme, host, port) replaced by `to`, when its origin is `from`.
/// Origins are compared parsed, so `:40100` is not `:4010` and `localhost` is not `127.0.0.1`.
fn rebase_url(value: &str, from: &Origin, to: &Url) -> Option<String> {
    let mut parsed = Url::parse(value).ok()?;
    if parsed.origin() != *from {
        return None;
    }
    parsed.set_scheme(to.scheme()).ok()?;
    parsed.set_host(to.host_str()).ok()?;
    parsed.set_port(to.port_or_known_default()).ok()?;
    let mut moved = parsed.to_string();
    // Url writes a bare origin with a trailing slash; keep the value's own shape.
    if !value.ends_with('/') && moved.ends_with('/') && parsed.path() == "/" {
        moved.pop();
    }
    Some(moved)
}

fn parse_origin(url: &str) -> Result<Url, CoreError> {
    Url::parse(url)
        .ok()
        .filter(|parsed| parsed.has_host())
        .ok_or_else(|| CoreError::field("url", format!("'{url}' is not a sandbox address")))
}

impl Store {
    /// Removes an organization that has no connectors left, and its audit entries (agents and
    /// their channels go with it through the schema's cascades).
    fn delete_empty_organization(&self, org_id: &str) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute("DELETE FROM audit WHERE org_id = ?1", params![org_id])?;
        tx.execute("DELETE FROM organizations WHERE id = ?1", params![org_id])?;
        tx.commit()?;
        Ok(())
    }
}

impl Switchboard {
    /// The demo organization, when it exists.
    pub fn demo_organization(&self) -> Result<Option<Organization>, CoreError> {
        Ok(self.store().organization_by_name(DEMO_ORGANIZATION)?)
    }

    /// Creates the demo organization with a WhatsApp (Twilio) connector and SMS connectors for
    /// Twilio, Telnyx and 46elks, all pointing at the emulator at `accounts.url`. Refused when the
    /// demo organization exists already (the caller shows it instead). All or nothing: when a
    /// step fails, what the earlier steps created (rows and keychain entries) is removed again.
    pub fn demo_create(&self, accounts: &DemoAccounts) -> Result<Demo, CoreError> {
        if self.demo_organization()?.is_some() {
            return Err(CoreError::field(
                "name",
                format!("The organization '{DEMO_ORGANIZATION}' exists already: open it instead"),
            ));
        }
        let url = accounts.url.trim_end_matches('/');
        // The emulator's sink stands in for the hotel's inbound service.
        let organization = self.organization_create(&OrganizationDraft {
            name: DEMO_ORGANIZATION.to_owned(),
            inbound_base_url: Some(format!("{url}/_sandbox/sink")),
        })?;
        let mut connectors = Vec::new();
        for draft in demo_drafts(&organization.id, url, accounts) {
            match self.connector_create(&draft) {
                Ok(connector) => connectors.push(connector),
                Err(error) => {
                    if let Err(cleanup) = self.remove_organization(&organization.id) {
                        tracing::warn!(%cleanup, "could not remove a half-created sandbox demo");
                    }
                    return Err(error);
                }
            }
        }
        Ok(Demo {
            organization,
            connectors,
        })
    }

    /// Removes the demo organization with its connectors (and their keychain entries), agents,
    /// channels and audit entries. Returns whether there was one.
    pub fn demo_remove(&self) -> Result<bool, CoreError> {
        match self.demo_organization()? {
            Some(org) => {
                self.remove_organization(&org.id)?;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Connectors first (each takes its keychain entry with it), then the organization.
    fn remove_organization(&self, org_id: &str) -> Result<(), CoreError> {
        for connector in self.connectors(Some(org_id))? {
            self.connector_delete(&connector.id)?;
        }
        self.store().delete_empty_organization(org_id)?;
        Ok(())
    }

    /// Points the demo organization's inbound base URL and its connectors' base URLs that are on
    /// the emulator's old address (`old_url`'s origin) at `new_url` instead: the emulator came back
    /// on another port. Nothing outside the demo organization, and no URL on another origin, is
    /// touched. Returns how many connectors changed.
    pub fn demo_rebase(&self, old_url: &str, new_url: &str) -> Result<usize, CoreError> {
        let from = parse_origin(old_url)?.origin();
        let to = parse_origin(new_url)?;
        if from == to.origin() {
            return Ok(0);
        }
        let Some(org) = self.demo_organization()? else {
            return Ok(0);
        };
        if let Some(base) = org
            .inbound_base_url
            .as_deref()
            .and_then(|base| rebase_url(base, &from, &to))
        {
            self.organization_update(
                &org.id,
                &OrganizationDraft {
                    name: org.name.clone(),
                    inbound_base_url: Some(base),
                },
            )?;
        }
        let mut changed = 0;
        for connector in self.connectors(Some(&org.id))? {
            let mut settings = connector.settings.clone();
            let mut moved = false;
            for value in settings.api_urls_mut() {
                if let Some(url) = value.as_deref().and_then(|url| rebase_url(url, &from, &to)) {
                    *value = Some(url);
                    moved = true;
                }
            }
            if !moved {
                continue;
            }
            let draft = ConnectorDraft {
                org_id: connector.org_id.clone(),
                kind: connector.kind,
                name: connector.name.clone(),
                settings,
                recipients: connector
                    .recipients
                    .iter()
                    .map(|r| RecipientDraft {
                        number: r.number.clone(),
                        backup_email: r.backup_email.clone(),
                    })
                    .collect(),
                receive_inbound: connector.receive_inbound,
                secret: None,
            };
            self.connector_update(&connector.id, &draft)?;
            changed += 1;
        }
        Ok(changed)
    }
}

#[cfg(test)]
mod tests;
