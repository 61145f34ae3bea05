//! The configuration file: its shape, reading it strictly, and checking every value with the
//! rules the forms use. Every problem is named by its JSON path in the file
//! (`connectors[2].settings.accountSid`), so the user can find it.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{CoreError, FieldError};
use crate::model::{
    ConnectorDraft, ConnectorKind, ConnectorSettings, OrganizationDraft, RecipientDraft,
};
use crate::numbers::NumberKind;
use crate::validate;

/// The `format` every configuration file carries.
pub const CONFIG_FORMAT: &str = "switchboard-config";
/// The version of the format this build writes and reads.
pub const CONFIG_VERSION: u32 = 1;

/// One organization's configuration, without any secret: no keychain entry, no webhook token
/// (whoever knows a webhook URL's token can post forged inbound messages). It says which
/// secrets each connector needs, so an import can ask for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfigDocument {
    pub format: String,
    pub version: u32,
    /// When it was exported (RFC 3339); informational, never compared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exported_at: Option<String>,
    pub organization: OrganizationConfig,
    #[serde(default)]
    pub connectors: Vec<ConnectorConfig>,
    #[serde(default)]
    pub agents: Vec<AgentConfig>,
    /// Which agent answers on which number (a number in at most one channel).
    #[serde(default)]
    pub channels: Vec<ChannelConfig>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OrganizationConfig {
    pub name: String,
    #[serde(default)]
    pub inbound_base_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConnectorConfig {
    /// Unique in the organization (case does not count): how an import finds the connector.
    pub name: String,
    pub kind: ConnectorKind,
    /// The non-secret settings, tagged with the provider (`{"provider": "twilio", …}`).
    pub settings: ConnectorSettings,
    #[serde(default)]
    pub recipients: Vec<RecipientConfig>,
    #[serde(default = "yes")]
    pub receive_inbound: bool,
    /// The secret the connector needs (never its value).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<SecretNeed>,
    /// The numbers and senders known for the connector, with whether each is active.
    #[serde(default)]
    pub numbers: Vec<NumberConfig>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RecipientConfig {
    pub number: String,
    #[serde(default)]
    pub backup_email: Option<String>,
}

/// Which secret a connector needs: an import asks the user for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SecretNeed {
    pub needed: bool,
    /// What the provider calls it (informational; an import names it after the provider).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// A number or WhatsApp sender, by its number and the provider's id (never Switchboard's ids).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NumberConfig {
    /// E.164.
    pub number: String,
    pub kind: NumberKind,
    /// `PN…` / `XE…` (Twilio), the Telnyx number id, `n…` (46elks).
    pub provider_id: String,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AgentConfig {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChannelConfig {
    /// An agent of this file, by name.
    pub agent: String,
    /// A connector of this file, by name.
    pub connector: String,
    /// One of that connector's active numbers in this file.
    pub number: String,
}

impl ConfigDocument {
    /// Pretty JSON with a final newline, as a file is written.
    pub fn to_json(&self) -> Result<String, CoreError> {
        serde_json::to_string_pretty(self)
            .map(|mut text| {
                text.push('\n');
                text
            })
            .map_err(|error| CoreError::Interrupted(format!("Could not write the JSON: {error}")))
    }

    /// The connector of this file with that name (case does not count).
    pub(crate) fn connector(&self, name: &str) -> Option<&ConnectorConfig> {
        self.connectors.iter().find(|c| same_name(&c.name, name))
    }
}

/// Connector names are unique without regard to case (as the forms check them).
pub(crate) fn same_name(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}

fn bad(path: impl Into<String>, message: impl Into<String>) -> CoreError {
    CoreError::field(path, message)
}

/// Reads a configuration file: the format and version first (a newer file is named as such),
/// then the whole document strictly (no unknown field anywhere), then every value with the forms'
/// rules. The result is normalized (numbers in E.164, blank optional fields absent).
pub fn parse_config(text: &str) -> Result<ConfigDocument, CoreError> {
    let value: Value = serde_json::from_str(text).map_err(|error| {
        bad(
            "file",
            format!("The file is not valid JSON ({error}): export the configuration again"),
        )
    })?;
    let Some(object) = value.as_object() else {
        return Err(bad(
            "file",
            "The file holds JSON, but not a Switchboard configuration (an object with \
             \"format\": \"switchboard-config\")",
        ));
    };
    if object.get("format").and_then(Value::as_str) != Some(CONFIG_FORMAT) {
        return Err(bad(
            "format",
            format!(
                "This is not a Switchboard configuration file: \"format\" must be \
                 \"{CONFIG_FORMAT}\". Export one with Export configuration or `switchboard export`"
            ),
        ));
    }
    match object.get("version").and_then(Value::as_u64) {
        Some(version) if version == u64::from(CONFIG_VERSION) => {}
        Some(version) if version > u64::from(CONFIG_VERSION) => {
            return Err(bad(
                "version",
                format!(
                    "The file is version {version} of the format, written by a newer Switchboard; \
                     this one reads version {CONFIG_VERSION}. Update Switchboard to import it"
                ),
            ));
        }
        _ => {
            return Err(bad(
                "version",
                format!("Give the format's version as the number {CONFIG_VERSION}"),
            ));
        }
    }
    let mut reader = serde_json::Deserializer::from_str(text);
    let document: ConfigDocument =
        serde_path_to_error::deserialize(&mut reader).map_err(|error| {
            let path = match error.path().to_string() {
                root if root == "." => "file".to_owned(),
                path => path,
            };
            bad(path, error.inner().to_string())
        })?;
    unknown_settings_fields(&value)?;
    check(document).map_err(CoreError::Validation)
}

/// Settings are one shape per provider: a field of another provider (or a typo) would be
/// dropped without a word, so it is refused and named.
fn unknown_settings_fields(value: &Value) -> Result<(), CoreError> {
    let connectors = value.get("connectors").and_then(Value::as_array);
    for (index, connector) in connectors.into_iter().flatten().enumerate() {
        let Some(given) = connector.get("settings").and_then(Value::as_object) else {
            continue;
        };
        let known = serde_json::from_value::<ConnectorSettings>(Value::Object(given.clone()))
            .ok()
            .and_then(|settings| serde_json::to_value(settings).ok());
        let Some(Value::Object(known)) = known else {
            continue;
        };
        if let Some(field) = given.keys().find(|key| !known.contains_key(*key)) {
            let provider = given.get("provider").and_then(Value::as_str).unwrap_or("?");
            let fields: Vec<&str> = known
                .keys()
                .filter(|k| *k != "provider")
                .map(String::as_str)
                .collect();
            return Err(bad(
                format!("connectors[{index}].settings.{field}"),
                format!(
                    "unknown field `{field}` for the provider {provider}: it takes {}",
                    fields.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

/// Checks and normalizes every value; collects every problem, each named by its path.
fn check(mut document: ConfigDocument) -> Result<ConfigDocument, Vec<FieldError>> {
    let mut errors = Vec::new();
    match validate::organization(&OrganizationDraft {
        name: document.organization.name.clone(),
        inbound_base_url: document.organization.inbound_base_url.clone(),
    }) {
        Ok(org) => {
            document.organization = OrganizationConfig {
                name: org.name,
                inbound_base_url: org.inbound_base_url,
            };
        }
        Err(found) => errors.extend(prefixed("organization", found)),
    }
    let mut names: Vec<String> = Vec::new();
    for (index, connector) in document.connectors.iter_mut().enumerate() {
        let path = format!("connectors[{index}]");
        check_connector(&path, connector, &mut errors);
        if let Some(first) = names.iter().position(|n| same_name(n, &connector.name)) {
            errors.push(FieldError::new(
                format!("{path}.name"),
                format!(
                    "'{}' is also the name of connectors[{first}]: connector names are unique \
                     in an organization",
                    connector.name
                ),
            ));
        }
        names.push(connector.name.clone());
    }
    let mut agents: Vec<String> = Vec::new();
    for (index, agent) in document.agents.iter_mut().enumerate() {
        let path = format!("agents[{index}]");
        agent.name = agent.name.trim().to_owned();
        agent.description = agent
            .description
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_owned);
        if agent.name.is_empty() {
            errors.push(FieldError::new(
                format!("{path}.name"),
                "Give the agent a name",
            ));
        } else if let Some(first) = agents.iter().position(|n| *n == agent.name) {
            errors.push(FieldError::new(
                format!("{path}.name"),
                format!(
                    "'{}' is also the name of agents[{first}]: agent names are unique in an \
                     organization",
                    agent.name
                ),
            ));
        }
        agents.push(agent.name.clone());
    }
    let mut bound: Vec<(String, String)> = Vec::new();
    for index in 0..document.channels.len() {
        let path = format!("channels[{index}]");
        let channel = &document.channels[index];
        let (agent, connector_name) = (
            channel.agent.trim().to_owned(),
            channel.connector.trim().to_owned(),
        );
        let (agent, connector_name) = (agent.as_str(), connector_name.as_str());
        let number = crate::numbers::normalize_e164(&channel.number);
        if !agents.iter().any(|a| a == agent) {
            errors.push(FieldError::new(
                format!("{path}.agent"),
                format!("No agent named '{agent}' in this file's agents: add it or fix the name"),
            ));
        }
        match document.connector(connector_name) {
            None => errors.push(FieldError::new(
                format!("{path}.connector"),
                format!(
                    "No connector named '{connector_name}' in this file's connectors: add it or \
                     fix the name"
                ),
            )),
            Some(connector) => match connector.numbers.iter().find(|n| n.number == number) {
                None => errors.push(FieldError::new(
                    format!("{path}.number"),
                    format!(
                        "{number} is not among the numbers of '{}' in this file",
                        connector.name
                    ),
                )),
                Some(found) if !found.active => errors.push(FieldError::new(
                    format!("{path}.number"),
                    format!(
                        "{number} is not active in this file: a channel needs an active number"
                    ),
                )),
                Some(_) => {
                    let key = (connector.name.to_lowercase(), number.clone());
                    if let Some(first) = bound.iter().position(|b| *b == key) {
                        errors.push(FieldError::new(
                            format!("{path}.number"),
                            format!(
                                "{number} is already in channels[{first}]: a number answers for \
                                 one agent"
                            ),
                        ));
                    }
                    bound.push(key);
                }
            },
        }
        let channel = &mut document.channels[index];
        channel.agent = agent.to_owned();
        channel.connector = connector_name.to_owned();
        channel.number = number;
    }
    if errors.is_empty() {
        Ok(document)
    } else {
        Err(errors)
    }
}

fn check_connector(path: &str, connector: &mut ConnectorConfig, errors: &mut Vec<FieldError>) {
    let draft = ConnectorDraft {
        org_id: String::new(),
        kind: connector.kind,
        name: connector.name.clone(),
        settings: connector.settings.clone(),
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
    // An existing connector's rules: whether a secret is needed is asked at import time.
    match validate::connector(&draft, false) {
        Ok(normalized) => {
            connector.name = normalized.name;
            connector.settings = normalized.settings;
            connector.recipients = normalized
                .recipients
                .into_iter()
                .map(|r| RecipientConfig {
                    number: r.number,
                    backup_email: r.backup_email,
                })
                .collect();
        }
        Err(found) => errors.extend(prefixed(path, found)),
    }
    if connector.kind == ConnectorKind::Email && !connector.numbers.is_empty() {
        errors.push(FieldError::new(
            format!("{path}.numbers"),
            "An email connector has no numbers: remove them",
        ));
        return;
    }
    let mut seen = BTreeSet::new();
    for (index, number) in connector.numbers.iter_mut().enumerate() {
        let at = format!("{path}.numbers[{index}]");
        let e164 = crate::numbers::normalize_e164(&number.number);
        let digits = e164.strip_prefix('+').unwrap_or_default();
        if !(6..=15).contains(&digits.len()) || !digits.chars().all(|c| c.is_ascii_digit()) {
            errors.push(FieldError::new(
                format!("{at}.number"),
                format!(
                    "'{}' is not a number in international format (+ and 6 to 15 digits)",
                    number.number.trim()
                ),
            ));
        } else if !seen.insert(e164.clone()) {
            errors.push(FieldError::new(
                format!("{at}.number"),
                format!("{e164} is listed twice for this connector"),
            ));
        }
        number.number = e164;
        number.provider_id = number.provider_id.trim().to_owned();
        if number.provider_id.is_empty() {
            errors.push(FieldError::new(
                format!("{at}.providerId"),
                "Give the provider's id of the number (PN…, XE…, the Telnyx id or n…)",
            ));
        }
    }
}

fn prefixed(path: &str, errors: Vec<FieldError>) -> impl Iterator<Item = FieldError> + '_ {
    errors
        .into_iter()
        .map(move |e| FieldError::new(format!("{path}.{}", e.field), e.message))
}
