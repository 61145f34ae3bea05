//! What importing a file would change: every item of the file and of the organization, matched
//! by stable keys (the organization; a connector by name; a number and a channel by connector
//! and number; an agent by name), as added, changed, removed, unchanged or in conflict.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::{Value, json};

use super::document::{
    AgentConfig, ConfigDocument, ConnectorConfig, NumberConfig, parse_config, same_name,
};
use super::{Snapshot, connector_config};
use crate::agents::Agent;
use crate::error::CoreError;
use crate::model::{Connector, ConnectorSettings};
use crate::service::Switchboard;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ImportItemKind {
    Organization,
    Connector,
    Number,
    Agent,
    Channel,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ImportChange {
    /// In the file, not here: applying creates it.
    Added,
    /// In both, different: applying makes it as in the file.
    Changed,
    /// Here, not in the file: applying removes it (never ticked unless the user ticks it).
    Removed,
    /// The same in both: nothing to apply.
    Unchanged,
    /// Cannot be applied (a connector's kind or provider cannot change); `details` says why.
    Conflict,
}

/// The secret a connector of the import asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SecretPrompt {
    /// The connector's name in the file.
    pub connector: String,
    /// What the provider calls it (`Auth Token or API key secret`).
    pub label: String,
    /// A new connector cannot work without it; for an existing one, a value replaces the stored
    /// secret and no value keeps it.
    pub required: bool,
}

/// One line of the diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ImportItem {
    /// Stable and readable: `organization`, `connector:NAME`, `number:CONNECTOR/+E164`,
    /// `agent:NAME`, `channel:CONNECTOR/+E164`. What a selection (and `--only`) names.
    pub key: String,
    pub kind: ImportItemKind,
    pub change: ImportChange,
    /// What it is, in words.
    pub label: String,
    /// What changes, one line per field (`settings.from: "+1…" → "+1…"`), or why it conflicts.
    pub details: Vec<String>,
    /// Items that must be applied with this one (its new connector, its new agent…).
    pub requires: Vec<String>,
    pub secret: Option<SecretPrompt>,
    /// Ticked at first: what is new or changed, and what that needs.
    pub selected: bool,
}

/// What importing the file into the organization would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ImportPreview {
    /// The organization it applies to; `None` when the import creates it.
    pub organization_id: Option<String>,
    pub organization_name: String,
    pub items: Vec<ImportItem>,
}

impl ImportPreview {
    /// The keys ticked at first.
    pub fn default_keys(&self) -> Vec<String> {
        self.items
            .iter()
            .filter(|item| item.selected)
            .map(|item| item.key.clone())
            .collect()
    }

    pub fn item(&self, key: &str) -> Option<&ImportItem> {
        self.items.iter().find(|item| item.key == key)
    }
}

/// What applying one item does.
#[derive(Debug, Clone)]
pub(crate) enum Action {
    Nothing,
    OrgCreate,
    OrgBaseUrl {
        before: Option<String>,
        after: Option<String>,
    },
    ConnectorCreate(ConnectorConfig),
    ConnectorUpdate {
        current: Box<Connector>,
        config: ConnectorConfig,
    },
    ConnectorDelete(Box<Connector>),
    NumberInsert {
        connector: String,
        number: NumberConfig,
    },
    NumberActive {
        connector: String,
        e164: String,
        active: bool,
    },
    AgentCreate(AgentConfig),
    AgentUpdate {
        current: Agent,
        description: Option<String>,
    },
    AgentDelete(Agent),
    /// Binds the number to `agent`; `before` is the agent it answered for until now.
    ChannelBind {
        agent: String,
        connector: String,
        e164: String,
        before: Option<String>,
    },
    ChannelUnbind {
        connector: String,
        e164: String,
        agent: String,
    },
}

pub(crate) struct Plan {
    pub preview: ImportPreview,
    pub document: ConfigDocument,
    pub snapshot: Option<Snapshot>,
    /// One per item, in the same order.
    pub actions: Vec<Action>,
}

impl Switchboard {
    /// Reads the file and compares it with the organization it names (or `org_ref`).
    pub(crate) fn import_plan(&self, text: &str, org_ref: Option<&str>) -> Result<Plan, CoreError> {
        let document = parse_config(text)?;
        let org = match org_ref {
            Some(reference) => Some(self.organization_resolve(reference)?),
            None => self
                .store()
                .organization_by_name(&document.organization.name)?,
        };
        let snapshot = org.map(|org| self.snapshot(&org)).transpose()?;
        Ok(build(document, snapshot))
    }

    /// What importing the configuration file `text` would change, item by item. Changes
    /// nothing. `org_ref` (id or name) picks the organization; without it, the one the file
    /// names (created if there is none).
    pub fn config_import_preview(
        &self,
        text: &str,
        org_ref: Option<&str>,
    ) -> Result<ImportPreview, CoreError> {
        Ok(self.import_plan(text, org_ref)?.preview)
    }
}

struct Builder {
    items: Vec<ImportItem>,
    actions: Vec<Action>,
    /// Requirements every item has (the organization, when the import creates it).
    base: Vec<String>,
}

impl Builder {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        key: String,
        kind: ImportItemKind,
        change: ImportChange,
        label: String,
        details: Vec<String>,
        mut requires: Vec<String>,
        action: Action,
    ) -> usize {
        if kind != ImportItemKind::Organization && change != ImportChange::Removed {
            requires.splice(0..0, self.base.iter().cloned());
        }
        requires.dedup();
        self.items.push(ImportItem {
            key,
            kind,
            change,
            label,
            details,
            requires,
            secret: None,
            selected: matches!(change, ImportChange::Added | ImportChange::Changed),
            // (requirements of ticked items are ticked at the end)
        });
        self.actions.push(action);
        self.items.len() - 1
    }

    fn change_of(&self, key: &str) -> Option<ImportChange> {
        self.items
            .iter()
            .find(|item| item.key == key)
            .map(|item| item.change)
    }
}

fn connector_key(name: &str) -> String {
    format!("connector:{name}")
}

fn number_key(connector: &str, e164: &str) -> String {
    format!("number:{connector}/{e164}")
}

fn agent_key(name: &str) -> String {
    format!("agent:{name}")
}

fn channel_key(connector: &str, e164: &str) -> String {
    format!("channel:{connector}/{e164}")
}

/// Whether a new connector of these settings cannot work without a secret (the form's rule),
/// or the file says it had one.
fn secret_required(config: &ConnectorConfig) -> bool {
    let by_rule = match &config.settings {
        ConnectorSettings::Smtp(smtp) => smtp.username.is_some(),
        _ => true,
    };
    by_rule || config.secret.as_ref().is_some_and(|need| need.needed)
}

/// The parts of a connector an import compares (not its numbers, nor its secret).
fn body(config: &ConnectorConfig) -> Value {
    json!({
        "name": config.name,
        "kind": config.kind,
        "settings": config.settings,
        "recipients": config.recipients,
        "receiveInbound": config.receive_inbound,
    })
}

pub(crate) fn build(document: ConfigDocument, snapshot: Option<Snapshot>) -> Plan {
    let mut plan = Builder {
        items: Vec::new(),
        actions: Vec::new(),
        base: Vec::new(),
    };
    let org = &document.organization;
    match &snapshot {
        None => {
            let details = org
                .inbound_base_url
                .iter()
                .map(|url| format!("inbound base URL: {url}"))
                .collect();
            plan.push(
                "organization".into(),
                ImportItemKind::Organization,
                ImportChange::Added,
                format!("Organization '{}'", org.name),
                details,
                Vec::new(),
                Action::OrgCreate,
            );
            plan.base = vec!["organization".into()];
        }
        Some(current) => {
            let (before, after) = (&current.org.inbound_base_url, &org.inbound_base_url);
            let changed = before != after;
            plan.push(
                "organization".into(),
                ImportItemKind::Organization,
                if changed {
                    ImportChange::Changed
                } else {
                    ImportChange::Unchanged
                },
                format!("Organization '{}': inbound base URL", current.org.name),
                changed
                    .then(|| format!("inbound base URL: {} → {}", shown(before), shown(after)))
                    .into_iter()
                    .collect(),
                Vec::new(),
                match changed {
                    true => Action::OrgBaseUrl {
                        before: before.clone(),
                        after: after.clone(),
                    },
                    false => Action::Nothing,
                },
            );
        }
    }
    let current_connectors: &[(Connector, Vec<crate::numbers::PhoneNumber>)] =
        snapshot.as_ref().map_or(&[], |s| s.connectors.as_slice());
    let current_channels = snapshot.as_ref().map_or(&[][..], |s| s.channels.as_slice());
    let current_agents = snapshot.as_ref().map_or(&[][..], |s| s.agents.as_slice());
    // The name a current connector goes by in keys: the file's spelling when it is in the file.
    let key_name = |current: &str| -> String {
        document
            .connector(current)
            .map_or_else(|| current.to_owned(), |c| c.name.clone())
    };
    let mut conflicting: BTreeSet<String> = BTreeSet::new();
    for config in &document.connectors {
        let key = connector_key(&config.name);
        let label = format!(
            "Connector '{}' ({}, {})",
            config.name,
            config.kind.as_str(),
            config.settings.provider().as_str()
        );
        let prompt = |required| SecretPrompt {
            connector: config.name.clone(),
            label: config.settings.provider().secret_label().to_owned(),
            required,
        };
        let current = current_connectors
            .iter()
            .find(|(c, _)| same_name(&c.name, &config.name));
        let index = match current {
            None => {
                let index = plan.push(
                    key.clone(),
                    ImportItemKind::Connector,
                    ImportChange::Added,
                    label,
                    Vec::new(),
                    Vec::new(),
                    Action::ConnectorCreate(config.clone()),
                );
                plan.items[index].secret = Some(prompt(secret_required(config)));
                index
            }
            Some((current, _))
                if current.kind != config.kind
                    || current.provider() != config.settings.provider() =>
            {
                conflicting.insert(config.name.to_lowercase());
                plan.push(
                    key.clone(),
                    ImportItemKind::Connector,
                    ImportChange::Conflict,
                    label,
                    vec![format!(
                        "This organization's '{}' is {} on {}; the file's is {} on {}. A \
                         connector's kind and provider cannot change: rename it in the file, or \
                         remove the connector here first",
                        current.name,
                        current.kind.as_str(),
                        current.provider().as_str(),
                        config.kind.as_str(),
                        config.settings.provider().as_str()
                    )],
                    Vec::new(),
                    Action::Nothing,
                )
            }
            Some((current, _)) => {
                let details = differences(&body(&connector_config(current, &[])), &body(config));
                let changed = !details.is_empty();
                let index = plan.push(
                    key.clone(),
                    ImportItemKind::Connector,
                    if changed {
                        ImportChange::Changed
                    } else {
                        ImportChange::Unchanged
                    },
                    label,
                    details,
                    Vec::new(),
                    match changed {
                        true => Action::ConnectorUpdate {
                            current: Box::new(current.clone()),
                            config: config.clone(),
                        },
                        false => Action::Nothing,
                    },
                );
                if changed {
                    plan.items[index].secret = Some(prompt(false));
                }
                index
            }
        };
        let connector_change = plan.items[index].change;
        for number in &config.numbers {
            let label = format!(
                "Number {} of '{}': {}",
                number.number,
                config.name,
                if number.active { "active" } else { "inactive" }
            );
            let key = number_key(&config.name, &number.number);
            if connector_change == ImportChange::Conflict {
                plan.push(
                    key,
                    ImportItemKind::Number,
                    ImportChange::Conflict,
                    label,
                    vec![format!("Its connector '{}' is in conflict", config.name)],
                    Vec::new(),
                    Action::Nothing,
                );
                continue;
            }
            let insert = Action::NumberInsert {
                connector: config.name.clone(),
                number: number.clone(),
            };
            let known =
                current.and_then(|(_, numbers)| numbers.iter().find(|n| n.e164 == number.number));
            match known {
                None => {
                    let requires = match connector_change {
                        ImportChange::Added => vec![connector_key(&config.name)],
                        _ => Vec::new(),
                    };
                    plan.push(
                        key,
                        ImportItemKind::Number,
                        ImportChange::Added,
                        label,
                        vec!["Kept until the provider's list is refreshed".into()],
                        requires,
                        insert,
                    );
                }
                Some(found) if found.active == number.active => {
                    plan.push(
                        key,
                        ImportItemKind::Number,
                        ImportChange::Unchanged,
                        label,
                        Vec::new(),
                        Vec::new(),
                        Action::Nothing,
                    );
                }
                Some(found) => {
                    // A number that stops being active leaves its channel first.
                    let requires = current_channels
                        .iter()
                        .filter(|c| c.connector_id == found.connector_id && c.e164 == found.e164)
                        .map(|c| channel_key(&key_name(&c.connector_name), &c.e164))
                        .filter(|_| !number.active)
                        .collect();
                    plan.push(
                        key,
                        ImportItemKind::Number,
                        ImportChange::Changed,
                        label,
                        vec![format!(
                            "active: {} → {}",
                            yes_no(found.active),
                            yes_no(number.active)
                        )],
                        requires,
                        Action::NumberActive {
                            connector: config.name.clone(),
                            e164: number.number.clone(),
                            active: number.active,
                        },
                    );
                }
            }
        }
    }
    // Connectors here and not in the file.
    for (current, _) in current_connectors {
        if document.connector(&current.name).is_some() {
            continue;
        }
        let requires = current_channels
            .iter()
            .filter(|c| c.connector_id == current.id)
            .map(|c| channel_key(&current.name, &c.e164))
            .collect();
        plan.push(
            connector_key(&current.name),
            ImportItemKind::Connector,
            ImportChange::Removed,
            format!(
                "Connector '{}' ({}, {})",
                current.name,
                current.kind.as_str(),
                current.provider().as_str()
            ),
            vec![
                "Not in the file: applying removes it with its numbers, message history and \
                 keychain entry"
                    .into(),
            ],
            requires,
            Action::ConnectorDelete(Box::new(current.clone())),
        );
    }
    for config in &document.agents {
        let key = agent_key(&config.name);
        let label = format!("Agent '{}'", config.name);
        match current_agents.iter().find(|a| a.name == config.name) {
            None => {
                plan.push(
                    key,
                    ImportItemKind::Agent,
                    ImportChange::Added,
                    label,
                    config
                        .description
                        .iter()
                        .map(|d| format!("description: {d}"))
                        .collect(),
                    Vec::new(),
                    Action::AgentCreate(config.clone()),
                );
            }
            Some(agent) if agent.description == config.description => {
                plan.push(
                    key,
                    ImportItemKind::Agent,
                    ImportChange::Unchanged,
                    label,
                    Vec::new(),
                    Vec::new(),
                    Action::Nothing,
                );
            }
            Some(agent) => {
                plan.push(
                    key,
                    ImportItemKind::Agent,
                    ImportChange::Changed,
                    label,
                    vec![format!(
                        "description: {} → {}",
                        shown(&agent.description),
                        shown(&config.description)
                    )],
                    Vec::new(),
                    Action::AgentUpdate {
                        current: agent.clone(),
                        description: config.description.clone(),
                    },
                );
            }
        }
    }
    // Channels: the file's, then those here that the file does not have.
    let mut matched: BTreeSet<(String, String)> = BTreeSet::new();
    for channel in &document.channels {
        let connector_name = document
            .connector(&channel.connector)
            .map_or(channel.connector.clone(), |c| c.name.clone());
        let key = channel_key(&connector_name, &channel.number);
        let label = format!(
            "Channel {} of '{}' → agent '{}'",
            channel.number, connector_name, channel.agent
        );
        if conflicting.contains(&connector_name.to_lowercase()) {
            plan.push(
                key,
                ImportItemKind::Channel,
                ImportChange::Conflict,
                label,
                vec![format!("Its connector '{connector_name}' is in conflict")],
                Vec::new(),
                Action::Nothing,
            );
            continue;
        }
        let current = current_channels
            .iter()
            .find(|c| same_name(&c.connector_name, &connector_name) && c.e164 == channel.number);
        if let Some(current) = current {
            matched.insert((current.connector_id.clone(), current.e164.clone()));
        }
        let mut requires = Vec::new();
        let connector = connector_key(&connector_name);
        if plan.change_of(&connector) == Some(ImportChange::Added) {
            requires.push(connector);
        }
        let number = number_key(&connector_name, &channel.number);
        if matches!(
            plan.change_of(&number),
            Some(ImportChange::Added | ImportChange::Changed)
        ) {
            requires.push(number);
        }
        let agent = agent_key(&channel.agent);
        if plan.change_of(&agent) == Some(ImportChange::Added) {
            requires.push(agent);
        }
        let bind = |before: Option<String>| Action::ChannelBind {
            agent: channel.agent.clone(),
            connector: connector_name.clone(),
            e164: channel.number.clone(),
            before,
        };
        match current {
            None => plan.push(
                key,
                ImportItemKind::Channel,
                ImportChange::Added,
                label,
                Vec::new(),
                requires,
                bind(None),
            ),
            Some(current) if current.agent_name == channel.agent => plan.push(
                key,
                ImportItemKind::Channel,
                ImportChange::Unchanged,
                label,
                Vec::new(),
                Vec::new(),
                Action::Nothing,
            ),
            Some(current) => plan.push(
                key,
                ImportItemKind::Channel,
                ImportChange::Changed,
                label,
                vec![format!(
                    "agent: '{}' → '{}'",
                    current.agent_name, channel.agent
                )],
                requires,
                bind(Some(current.agent_name.clone())),
            ),
        };
    }
    for current in current_channels {
        if matched.contains(&(current.connector_id.clone(), current.e164.clone())) {
            continue;
        }
        let connector_name = key_name(&current.connector_name);
        plan.push(
            channel_key(&connector_name, &current.e164),
            ImportItemKind::Channel,
            ImportChange::Removed,
            format!(
                "Channel {} of '{}' → agent '{}'",
                current.e164, connector_name, current.agent_name
            ),
            vec!["Not in the file: applying unbinds the number from the agent".into()],
            Vec::new(),
            Action::ChannelUnbind {
                connector: connector_name.clone(),
                e164: current.e164.clone(),
                agent: current.agent_name.clone(),
            },
        );
    }
    // Agents here and not in the file go last: removing one unbinds its channels, so those
    // channels' own items (removed, or bound to another agent) must go with it.
    for agent in current_agents {
        if document.agents.iter().any(|a| a.name == agent.name) {
            continue;
        }
        let requires: Vec<String> = current_channels
            .iter()
            .filter(|c| c.agent_id == agent.id)
            .map(|c| channel_key(&key_name(&c.connector_name), &c.e164))
            .collect();
        plan.push(
            agent_key(&agent.name),
            ImportItemKind::Agent,
            ImportChange::Removed,
            format!("Agent '{}'", agent.name),
            vec!["Not in the file: applying removes the agent and unbinds its numbers".into()],
            requires,
            Action::AgentDelete(agent.clone()),
        );
    }
    tick_requirements(&mut plan.items);
    Plan {
        preview: ImportPreview {
            organization_id: snapshot.as_ref().map(|s| s.org.id.clone()),
            organization_name: snapshot
                .as_ref()
                .map_or_else(|| org.name.clone(), |s| s.org.name.clone()),
            items: plan.items,
        },
        document,
        snapshot,
        actions: plan.actions,
    }
}

/// What a ticked item needs is ticked too (e.g. a number that stops being active and the
/// removal of its channel).
fn tick_requirements(items: &mut [ImportItem]) {
    loop {
        let needed: BTreeSet<String> = items
            .iter()
            .filter(|item| item.selected)
            .flat_map(|item| item.requires.iter().cloned())
            .collect();
        let mut more = false;
        for item in items.iter_mut() {
            if !item.selected
                && needed.contains(&item.key)
                && matches!(
                    item.change,
                    ImportChange::Added | ImportChange::Changed | ImportChange::Removed
                )
            {
                item.selected = true;
                more = true;
            }
        }
        if !more {
            return;
        }
    }
}

fn yes_no(value: bool) -> &'static str {
    if value { "yes" } else { "no" }
}

fn shown(value: &Option<String>) -> String {
    value.as_deref().map_or("(none)".to_owned(), short)
}

fn short(text: &str) -> String {
    const MAX: usize = 80;
    match text.chars().count() > MAX {
        true => format!("{}…", text.chars().take(MAX).collect::<String>()),
        false => text.to_owned(),
    }
}

/// One line per leaf that differs: `settings.from: "+1…" → "+1…"`.
pub(crate) fn differences(before: &Value, after: &Value) -> Vec<String> {
    let (mut old, mut new) = (BTreeMap::new(), BTreeMap::new());
    leaves("", before, &mut old);
    leaves("", after, &mut new);
    let paths: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    paths
        .into_iter()
        .filter(|path| old.get(*path) != new.get(*path))
        .map(|path| {
            let side = |map: &BTreeMap<String, String>| {
                map.get(path.as_str())
                    .map_or("(none)".to_owned(), |v| short(v))
            };
            format!("{path}: {} → {}", side(&old), side(&new))
        })
        .collect()
}

fn leaves(prefix: &str, value: &Value, out: &mut BTreeMap<String, String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let path = match prefix {
                    "" => key.clone(),
                    _ => format!("{prefix}.{key}"),
                };
                leaves(&path, inner, out);
            }
        }
        Value::Array(items) => {
            for (index, inner) in items.iter().enumerate() {
                leaves(&format!("{prefix}[{index}]"), inner, out);
            }
        }
        Value::Null => {}
        other => {
            out.insert(prefix.to_owned(), other.to_string());
        }
    }
}
