//! An organization's configuration as a file (issue 11 §4): exported as JSON without secrets,
//! imported by showing what would change against the current state and applying only the items
//! the user ticks, with the secrets new connectors need, all or nothing.

mod apply;
mod document;
mod plan;
#[cfg(test)]
mod tests;

pub use apply::{ImportApplied, ImportSecret, ImportSelection};
pub use document::{
    AgentConfig, CONFIG_FORMAT, CONFIG_VERSION, ChannelConfig, ConfigDocument, ConnectorConfig,
    NumberConfig, OrganizationConfig, RecipientConfig, SecretNeed, parse_config,
};
pub use plan::{ImportChange, ImportItem, ImportItemKind, ImportPreview, SecretPrompt};

use serde::Serialize;

use crate::agents::Agent;
use crate::channels::AgentChannel;
use crate::clock::now;
use crate::error::CoreError;
use crate::model::{Connector, Organization};
use crate::numbers::PhoneNumber;
use crate::service::Switchboard;

/// An export ready to save: the file's text and a name for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ConfigExport {
    /// e.g. `switchboard-config-grand-hotel.json`.
    pub file_name: String,
    pub json: String,
}

/// What an organization holds now, as the export and the diff read it.
pub(crate) struct Snapshot {
    pub org: Organization,
    pub connectors: Vec<(Connector, Vec<PhoneNumber>)>,
    pub agents: Vec<Agent>,
    pub channels: Vec<AgentChannel>,
}

impl Switchboard {
    pub(crate) fn snapshot(&self, org: &Organization) -> Result<Snapshot, CoreError> {
        let connectors = self
            .connectors(Some(&org.id))?
            .into_iter()
            .map(|connector| {
                let numbers = self.store().numbers(&connector.id)?;
                Ok((connector, numbers))
            })
            .collect::<Result<_, CoreError>>()?;
        Ok(Snapshot {
            org: org.clone(),
            connectors,
            agents: self.agents(Some(&org.id))?,
            channels: self.channels(Some(&org.id))?,
        })
    }

    /// The organization's configuration (found by id or name) as a document: connectors with
    /// their settings, recipients and numbers' active flags, agents and channels. No secret and
    /// no webhook token is in it; it says which secret each connector needs.
    pub fn config_export(&self, org_ref: &str) -> Result<ConfigDocument, CoreError> {
        let org = self.organization_resolve(org_ref)?;
        let mut document = document_of(&self.snapshot(&org)?);
        document.exported_at = Some(now());
        Ok(document)
    }

    /// [`Switchboard::config_export`] as the text of a file, with a name for it.
    pub fn config_export_file(&self, org_ref: &str) -> Result<ConfigExport, CoreError> {
        let document = self.config_export(org_ref)?;
        Ok(ConfigExport {
            file_name: file_name(&document.organization.name),
            json: document.to_json()?,
        })
    }
}

/// `switchboard-config-<name in lowercase letters, digits and dashes>.json`.
pub fn file_name(org_name: &str) -> String {
    let mut slug = String::new();
    for c in org_name.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-');
    match slug.is_empty() {
        true => "switchboard-config.json".to_owned(),
        false => format!("switchboard-config-{slug}.json"),
    }
}

/// The document of a snapshot, in a stable order (by name, then number), without a time.
pub(crate) fn document_of(snapshot: &Snapshot) -> ConfigDocument {
    let mut connectors: Vec<ConnectorConfig> = snapshot
        .connectors
        .iter()
        .map(|(connector, numbers)| connector_config(connector, numbers))
        .collect();
    connectors.sort_by_key(|c| (c.name.to_lowercase(), c.name.clone()));
    let mut agents: Vec<AgentConfig> = snapshot
        .agents
        .iter()
        .map(|agent| AgentConfig {
            name: agent.name.clone(),
            description: agent.description.clone(),
        })
        .collect();
    agents.sort_by(|a, b| a.name.cmp(&b.name));
    let mut channels: Vec<ChannelConfig> = snapshot
        .channels
        .iter()
        .map(|channel| ChannelConfig {
            agent: channel.agent_name.clone(),
            connector: channel.connector_name.clone(),
            number: channel.e164.clone(),
        })
        .collect();
    channels.sort_by_key(|c| (c.connector.to_lowercase(), c.number.clone()));
    ConfigDocument {
        format: CONFIG_FORMAT.to_owned(),
        version: CONFIG_VERSION,
        exported_at: None,
        organization: OrganizationConfig {
            name: snapshot.org.name.clone(),
            inbound_base_url: snapshot.org.inbound_base_url.clone(),
        },
        connectors,
        agents,
        channels,
    }
}

pub(crate) fn connector_config(connector: &Connector, numbers: &[PhoneNumber]) -> ConnectorConfig {
    let mut numbers: Vec<NumberConfig> = numbers
        .iter()
        .map(|number| NumberConfig {
            number: number.e164.clone(),
            kind: number.kind,
            provider_id: number.provider_id.clone(),
            active: number.active,
        })
        .collect();
    numbers.sort_by(|a, b| a.number.cmp(&b.number));
    ConnectorConfig {
        name: connector.name.clone(),
        kind: connector.kind,
        settings: connector.settings.clone(),
        recipients: connector
            .recipients
            .iter()
            .map(|r| RecipientConfig {
                number: r.number.clone(),
                backup_email: r.backup_email.clone(),
            })
            .collect(),
        receive_inbound: connector.receive_inbound,
        secret: Some(SecretNeed {
            needed: connector.has_secret,
            label: Some(connector.provider().secret_label().to_owned()),
        }),
        numbers,
    }
}
