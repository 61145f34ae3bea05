//! Applying the ticked items of an import: the secrets first (each write noted so it can be
//! undone), then every database change in one transaction with its audit entries. If anything
//! fails, the transaction rolls back and the keychain is put back as it was: nothing is
//! half-applied.

use std::collections::{BTreeSet, HashMap};

use rusqlite::{Transaction, TransactionBehavior, params};
use serde::{Deserialize, Serialize};

use super::document::{ConnectorConfig, same_name};
use super::plan::{Action, ImportChange, Plan};
use crate::audit::redact_webhook_tokens;
use crate::clock::now;
use crate::error::{CoreError, FieldError};
use crate::ids::new_id;
use crate::model::{Connector, Organization};
use crate::numbers::NumberKind;
use crate::secrets::{SecretKey, Sensitive};
use crate::service::Switchboard;
use crate::store::StoreError;

/// What the user ticked, and the secrets typed for the connectors that need one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ImportSelection {
    /// Keys of the preview's items; unchanged items are accepted and do nothing.
    pub keys: Vec<String>,
    #[serde(default)]
    pub secrets: Vec<ImportSecret>,
}

/// A secret for one connector of the import (by its name in the file). Write-only.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ImportSecret {
    pub connector: String,
    pub secret: String,
}

impl std::fmt::Debug for ImportSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportSecret")
            .field("connector", &self.connector)
            .field("secret", &"[redacted]")
            .finish()
    }
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ImportApplied {
    pub organization: Organization,
    /// The keys applied, in the preview's order.
    pub applied: Vec<String>,
    /// The connectors created, changed or given a new secret, as they are now (after their
    /// credential check, when the import ran one).
    pub connectors: Vec<Connector>,
    /// Active numbers whose webhook must be set (imported ones, or all of them after a new
    /// inbound base URL).
    pub numbers_to_reset: u32,
}

/// What to do to the keychain if the import does not go through.
enum Undo {
    Remove(SecretKey),
    Restore(SecretKey, Sensitive<String>),
}

/// The items to apply and the secrets, once the selection is checked.
struct Chosen {
    keys: BTreeSet<String>,
    /// By connector name in lowercase.
    secrets: HashMap<String, Sensitive<String>>,
}

impl Plan {
    fn choose(&self, selection: &ImportSelection) -> Result<Chosen, CoreError> {
        let mut errors = Vec::new();
        let mut keys = BTreeSet::new();
        for (index, key) in selection.keys.iter().enumerate() {
            match self.preview.item(key) {
                None => errors.push(FieldError::new(
                    format!("keys[{index}]"),
                    format!("'{key}' is not an item of this import"),
                )),
                Some(item) if item.change == ImportChange::Conflict => {
                    errors.push(FieldError::new(
                        key.clone(),
                        format!("cannot be applied: {}", item.details.join("; ")),
                    ));
                }
                Some(item) if item.change == ImportChange::Unchanged => {}
                Some(_) => {
                    keys.insert(key.clone());
                }
            }
        }
        for key in &keys {
            let Some(item) = self.preview.item(key) else {
                continue;
            };
            for needed in &item.requires {
                let applies = self
                    .preview
                    .item(needed)
                    .is_some_and(|n| n.change != ImportChange::Unchanged);
                if applies && !keys.contains(needed) {
                    errors.push(FieldError::new(
                        key.clone(),
                        format!("needs '{needed}' applied with it: tick that too"),
                    ));
                }
            }
        }
        let mut secrets = HashMap::new();
        for given in &selection.secrets {
            if given.secret.is_empty() {
                continue;
            }
            let field = format!("secrets.{}", given.connector);
            let prompt = self
                .preview
                .items
                .iter()
                .filter(|item| keys.contains(&item.key))
                .find_map(|item| {
                    item.secret
                        .as_ref()
                        .filter(|p| same_name(&p.connector, &given.connector))
                });
            match prompt {
                None => errors.push(FieldError::new(
                    field,
                    format!(
                        "No connector named '{}' is imported with a secret: check the name, \
                         and that its item is ticked",
                        given.connector
                    ),
                )),
                Some(prompt)
                    if given.secret.trim() != given.secret
                        || given.secret.contains(['\n', '\r']) =>
                {
                    errors.push(FieldError::new(
                        field,
                        format!(
                            "The {} has spaces or line breaks at its ends: paste it again \
                             without them",
                            prompt.label
                        ),
                    ));
                }
                Some(_) => {
                    secrets.insert(
                        given.connector.to_lowercase(),
                        Sensitive::new(given.secret.clone()),
                    );
                }
            }
        }
        for item in self.preview.items.iter().filter(|i| keys.contains(&i.key)) {
            if let Some(prompt) = item.secret.as_ref().filter(|p| p.required)
                && !secrets.contains_key(&prompt.connector.to_lowercase())
            {
                errors.push(FieldError::new(
                    format!("secrets.{}", prompt.connector),
                    format!("Enter the {} of '{}'", prompt.label, prompt.connector),
                ));
            }
        }
        match errors.is_empty() {
            true => Ok(Chosen { keys, secrets }),
            false => Err(CoreError::Validation(errors)),
        }
    }

    /// The actions to run, in the preview's order.
    fn chosen<'a>(&'a self, chosen: &'a Chosen) -> impl Iterator<Item = (&'a str, &'a Action)> {
        self.preview
            .items
            .iter()
            .zip(&self.actions)
            .filter(|(item, _)| chosen.keys.contains(&item.key))
            .map(|(item, action)| (item.key.as_str(), action))
    }
}

impl Switchboard {
    /// Applies the ticked items of the configuration file `text` (see
    /// [`Switchboard::config_import_preview`]) all or nothing, with audit entries. Connectors it
    /// creates or gives a new secret are left Not checked: [`Switchboard::config_import`] checks
    /// them afterwards.
    pub fn config_import_apply(
        &self,
        text: &str,
        org_ref: Option<&str>,
        selection: &ImportSelection,
    ) -> Result<ImportApplied, CoreError> {
        let plan = self.import_plan(text, org_ref)?;
        let chosen = plan.choose(selection)?;
        // Fresh ids for the new connectors, so their secrets can be stored before the rows.
        let new_ids: HashMap<String, String> = plan
            .chosen(&chosen)
            .filter_map(|(_, action)| match action {
                Action::ConnectorCreate(config) => Some((config.name.to_lowercase(), new_id())),
                _ => None,
            })
            .collect();
        let mut undo = Vec::new();
        if let Err(error) = self.write_secrets(&plan, &chosen, &new_ids, &mut undo) {
            self.undo_secrets(undo);
            return Err(error);
        }
        let written = self.write_import(&plan, &chosen, &new_ids);
        let (org_id, touched, numbers_to_reset) = match written {
            Ok(done) => done,
            Err(error) => {
                self.undo_secrets(undo);
                return Err(error);
            }
        };
        let connectors = touched
            .iter()
            .map(|id| self.connector(id))
            .collect::<Result<_, _>>()?;
        Ok(ImportApplied {
            organization: self.organization(&org_id)?,
            applied: plan
                .chosen(&chosen)
                .map(|(key, _)| key.to_owned())
                .collect(),
            connectors,
            numbers_to_reset,
        })
    }

    /// [`Switchboard::config_import_apply`], then the credentials of every connector it created
    /// or gave a new secret are checked as on save: each ends Active, or Error with the reason
    /// (a failed check does not undo the import).
    pub async fn config_import(
        &self,
        text: String,
        org_ref: Option<String>,
        selection: ImportSelection,
    ) -> Result<ImportApplied, CoreError> {
        let mut applied = self
            .blocking(move |core| core.config_import_apply(&text, org_ref.as_deref(), &selection))
            .await?;
        for connector in &mut applied.connectors {
            if connector.has_secret || connector.provider() == crate::ProviderKind::Smtp {
                // The import is done: a check that cannot run leaves the connector Not checked
                // rather than making an applied import look failed.
                match self.connector_check(&connector.id).await {
                    Ok(checked) => *connector = checked,
                    Err(error) => tracing::warn!(%error, "could not check an imported connector"),
                }
            }
        }
        Ok(applied)
    }

    fn write_secrets(
        &self,
        plan: &Plan,
        chosen: &Chosen,
        new_ids: &HashMap<String, String>,
        undo: &mut Vec<Undo>,
    ) -> Result<(), CoreError> {
        let keychain = self.secret_store();
        for (_, action) in plan.chosen(chosen) {
            match action {
                Action::ConnectorCreate(config) => {
                    let name = config.name.to_lowercase();
                    if let (Some(secret), Some(id)) =
                        (chosen.secrets.get(&name), new_ids.get(&name))
                    {
                        let key = SecretKey::connector(id);
                        keychain.set(&key, secret)?;
                        undo.push(Undo::Remove(key));
                    }
                }
                Action::ConnectorUpdate { current, config } => {
                    if let Some(secret) = chosen.secrets.get(&config.name.to_lowercase()) {
                        let key = SecretKey::connector(&current.id);
                        let previous = keychain.get(&key)?;
                        keychain.set(&key, secret)?;
                        undo.push(match previous {
                            Some(previous) => Undo::Restore(key, previous),
                            None => Undo::Remove(key),
                        });
                    }
                }
                Action::ConnectorDelete(current) => {
                    let key = SecretKey::connector(&current.id);
                    if let Some(previous) = keychain.get(&key)? {
                        keychain.delete(&key)?;
                        undo.push(Undo::Restore(key, previous));
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Puts the keychain back as it was, newest change first.
    fn undo_secrets(&self, undo: Vec<Undo>) {
        let keychain = self.secret_store();
        for step in undo.into_iter().rev() {
            let result = match &step {
                Undo::Remove(key) => keychain.delete(key),
                Undo::Restore(key, previous) => keychain.set(key, previous),
            };
            if let Err(error) = result {
                tracing::warn!(%error, "could not put the keychain back after a failed import");
            }
        }
    }

    /// Every database change of the import in one transaction. Returns the organization's id,
    /// the connectors created or changed, and how many active numbers need their webhook set.
    fn write_import(
        &self,
        plan: &Plan,
        chosen: &Chosen,
        new_ids: &HashMap<String, String>,
    ) -> Result<(String, Vec<String>, u32), CoreError> {
        let at = now();
        let mut conn = self.store().conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let mut writer = Writer {
            tx: &tx,
            at: &at,
            org_id: plan
                .snapshot
                .as_ref()
                .map_or_else(new_id, |s| s.org.id.clone()),
            connectors: HashMap::new(),
            agents: HashMap::new(),
            touched: Vec::new(),
            to_reset: 0,
            applied: 0,
        };
        if let Some(snapshot) = &plan.snapshot {
            for (connector, _) in &snapshot.connectors {
                writer
                    .connectors
                    .insert(connector.name.to_lowercase(), connector.id.clone());
            }
            for agent in &snapshot.agents {
                writer.agents.insert(agent.name.clone(), agent.id.clone());
            }
        }
        // Unbind before anything else (a number that stops being active leaves its channel
        // first), and remove agents and connectors last (channels bound elsewhere move first).
        let phase = |action: &Action| match action {
            Action::ChannelUnbind { .. } => 1,
            Action::AgentDelete(_) | Action::ConnectorDelete(_) => 3,
            Action::OrgCreate | Action::OrgBaseUrl { .. } => 0,
            _ => 2,
        };
        for step in 0..4 {
            for (key, action) in plan.chosen(chosen) {
                if phase(action) == step {
                    writer.apply(key, action, plan, chosen, new_ids)?;
                }
            }
        }
        writer.check_channels()?;
        let summary = format!(
            "{} change(s) applied from a configuration file",
            writer.applied
        );
        writer.audit(
            None,
            "config.import",
            &plan.document.organization.name,
            None,
            Some(&summary),
        )?;
        let Writer {
            org_id,
            touched,
            to_reset,
            ..
        } = writer;
        tx.commit().map_err(StoreError::from)?;
        Ok((org_id, touched, to_reset))
    }
}

struct Writer<'a> {
    tx: &'a Transaction<'a>,
    at: &'a str,
    org_id: String,
    /// Connector ids by lowercase name: those here, then those created.
    connectors: HashMap<String, String>,
    /// Agent ids by name.
    agents: HashMap<String, String>,
    touched: Vec<String>,
    to_reset: u32,
    applied: usize,
}

type Written = Result<(), CoreError>;

impl Writer<'_> {
    fn apply(
        &mut self,
        key: &str,
        action: &Action,
        plan: &Plan,
        chosen: &Chosen,
        new_ids: &HashMap<String, String>,
    ) -> Written {
        self.applied += 1;
        match action {
            Action::Nothing => Ok(()),
            Action::OrgCreate => {
                let org = &plan.document.organization;
                self.tx
                    .execute(
                        "INSERT INTO organizations (id, name, inbound_base_url, created_at,
                             updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
                        params![self.org_id, org.name, org.inbound_base_url, self.at],
                    )
                    .map_err(StoreError::from)?;
                self.audit(
                    None,
                    "organization.create",
                    &org.name,
                    None,
                    Some(&org.name),
                )
            }
            Action::OrgBaseUrl { before, after } => {
                self.tx
                    .execute(
                        "UPDATE organizations SET inbound_base_url = ?2, updated_at = ?3
                         WHERE id = ?1",
                        params![self.org_id, after, self.at],
                    )
                    .map_err(StoreError::from)?;
                let flagged = self
                    .tx
                    .execute(
                        "UPDATE numbers SET webhook_state = 'needs_reset',
                             webhook_reason = 'The organization''s inbound base URL changed: set the webhook again'
                         WHERE active = 1 AND gone = 0
                           AND connector_id IN (SELECT id FROM connectors WHERE org_id = ?1)",
                        [&self.org_id],
                    )
                    .map_err(StoreError::from)?;
                self.to_reset += u32::try_from(flagged).unwrap_or(u32::MAX);
                let name = &plan.preview.organization_name;
                self.audit(
                    None,
                    "organization.inbound_base_url",
                    name,
                    before.as_deref(),
                    after.as_deref(),
                )
            }
            Action::ConnectorCreate(config) => {
                let name = config.name.to_lowercase();
                let id = new_ids
                    .get(&name)
                    .cloned()
                    .ok_or_else(|| missing("the new connector's id", key))?;
                let has_secret = chosen.secrets.contains_key(&name);
                self.tx
                    .execute(
                        "INSERT INTO connectors (id, org_id, kind, provider, name, settings,
                             receive_inbound, secret_stored, webhook_token, created_at, updated_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
                        params![
                            id,
                            self.org_id,
                            config.kind.as_str(),
                            config.settings.provider().as_str(),
                            config.name,
                            settings_json(config)?,
                            config.receive_inbound,
                            has_secret,
                            new_id(),
                            self.at
                        ],
                    )
                    .map_err(StoreError::from)?;
                self.write_recipients(&id, config)?;
                self.audit(
                    Some(&id),
                    "connector.create",
                    &config.name,
                    None,
                    Some(&summary(config)),
                )?;
                if has_secret {
                    self.audit_secret(&id, &config.name)?;
                }
                self.connectors.insert(name, id.clone());
                self.touched.push(id);
                Ok(())
            }
            Action::ConnectorUpdate { current, config } => {
                let has_secret = chosen.secrets.contains_key(&config.name.to_lowercase());
                self.tx
                    .execute(
                        "UPDATE connectors SET name = ?2, settings = ?3, receive_inbound = ?4,
                             secret_stored = secret_stored OR ?5, updated_at = ?6
                         WHERE id = ?1",
                        params![
                            current.id,
                            config.name,
                            settings_json(config)?,
                            config.receive_inbound,
                            has_secret,
                            self.at
                        ],
                    )
                    .map_err(StoreError::from)?;
                self.tx
                    .execute(
                        "DELETE FROM recipients WHERE connector_id = ?1",
                        [&current.id],
                    )
                    .map_err(StoreError::from)?;
                self.write_recipients(&current.id, config)?;
                let before = summary(&super::connector_config(current, &[]));
                self.audit(
                    Some(&current.id),
                    "connector.update",
                    &config.name,
                    Some(&before),
                    Some(&summary(config)),
                )?;
                if has_secret {
                    self.audit_secret(&current.id, &config.name)?;
                }
                self.touched.push(current.id.clone());
                Ok(())
            }
            Action::ConnectorDelete(current) => {
                self.tx
                    .execute("DELETE FROM connectors WHERE id = ?1", [&current.id])
                    .map_err(StoreError::from)?;
                let before = summary(&super::connector_config(current, &[]));
                self.audit(
                    Some(&current.id),
                    "connector.delete",
                    &current.name,
                    Some(&before),
                    None,
                )
            }
            Action::NumberInsert { connector, number } => {
                let id = self.connector_id(connector, key)?;
                let (state, reason) = match number.active {
                    true => (
                        "needs_reset",
                        Some("Imported from a configuration file: set the webhook on this number"),
                    ),
                    false => ("unknown", None),
                };
                let kind = match number.kind {
                    NumberKind::Number => "number",
                    NumberKind::WhatsappSender => "whatsapp_sender",
                };
                self.tx
                    .execute(
                        "INSERT INTO numbers (connector_id, e164, provider_id, kind, active,
                             webhook_state, webhook_reason, last_seen_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                        params![
                            id,
                            number.number,
                            number.provider_id,
                            kind,
                            number.active,
                            state,
                            reason,
                            self.at
                        ],
                    )
                    .map_err(StoreError::from)?;
                if number.active {
                    self.to_reset += 1;
                }
                let after = if number.active { "active" } else { "inactive" };
                self.audit(
                    Some(&id),
                    "number.import",
                    &number.number,
                    None,
                    Some(after),
                )
            }
            Action::NumberActive {
                connector,
                e164,
                active,
            } => {
                let id = self.connector_id(connector, key)?;
                self.tx
                    .execute(
                        "UPDATE numbers SET active = ?3 WHERE connector_id = ?1 AND e164 = ?2",
                        params![id, e164, active],
                    )
                    .map_err(StoreError::from)?;
                let (action, before, after) = match active {
                    true => ("number.activate", "inactive", "active"),
                    false => ("number.deactivate", "active", "inactive"),
                };
                self.audit(Some(&id), action, e164, Some(before), Some(after))
            }
            Action::AgentCreate(config) => {
                let id = new_id();
                self.tx
                    .execute(
                        "INSERT INTO agents (id, org_id, name, description, created_at)
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                        params![id, self.org_id, config.name, config.description, self.at],
                    )
                    .map_err(StoreError::from)?;
                self.agents.insert(config.name.clone(), id);
                self.audit(
                    None,
                    "agent.create",
                    &config.name,
                    None,
                    config.description.as_deref().or(Some("")),
                )
            }
            Action::AgentUpdate {
                current,
                description,
            } => {
                self.tx
                    .execute(
                        "UPDATE agents SET description = ?2 WHERE id = ?1",
                        params![current.id, description],
                    )
                    .map_err(StoreError::from)?;
                self.audit(
                    None,
                    "agent.update",
                    &current.name,
                    current.description.as_deref().or(Some("")),
                    description.as_deref().or(Some("")),
                )
            }
            Action::AgentDelete(agent) => {
                self.tx
                    .execute("DELETE FROM agents WHERE id = ?1", [&agent.id])
                    .map_err(StoreError::from)?;
                self.audit(None, "agent.delete", &agent.name, Some(&agent.name), None)
            }
            Action::ChannelBind {
                agent,
                connector,
                e164,
                before,
            } => {
                let connector_id = self.connector_id(connector, key)?;
                let agent_id = self
                    .agents
                    .get(agent)
                    .cloned()
                    .ok_or_else(|| missing(&format!("the agent '{agent}'"), key))?;
                let written = match before {
                    Some(_) => self.tx.execute(
                        "UPDATE channels SET agent_id = ?3, created_at = ?4
                         WHERE connector_id = ?1 AND e164 = ?2",
                        params![connector_id, e164, agent_id, self.at],
                    ),
                    None => self.tx.execute(
                        "INSERT INTO channels (agent_id, connector_id, e164, created_at)
                         VALUES (?1, ?2, ?3, ?4)",
                        params![agent_id, connector_id, e164, self.at],
                    ),
                };
                written.map_err(StoreError::from)?;
                let before = before.as_ref().map(|a| format!("agent {a}"));
                self.audit(
                    Some(&connector_id),
                    "channel.bind",
                    e164,
                    before.as_deref(),
                    Some(&format!("agent {agent}")),
                )
            }
            Action::ChannelUnbind {
                connector,
                e164,
                agent,
            } => {
                let connector_id = self.connector_id(connector, key)?;
                self.tx
                    .execute(
                        "DELETE FROM channels WHERE connector_id = ?1 AND e164 = ?2",
                        params![connector_id, e164],
                    )
                    .map_err(StoreError::from)?;
                self.audit(
                    Some(&connector_id),
                    "channel.unbind",
                    e164,
                    Some(&format!("agent {agent}")),
                    None,
                )
            }
        }
    }

    fn connector_id(&self, name: &str, key: &str) -> Result<String, CoreError> {
        self.connectors
            .get(&name.to_lowercase())
            .cloned()
            .ok_or_else(|| missing(&format!("the connector '{name}'"), key))
    }

    fn write_recipients(&self, connector_id: &str, config: &ConnectorConfig) -> Written {
        for (position, recipient) in (0_i64..).zip(&config.recipients) {
            self.tx
                .execute(
                    "INSERT INTO recipients (connector_id, position, number, backup_email)
                     VALUES (?1, ?2, ?3, ?4)",
                    params![
                        connector_id,
                        position,
                        recipient.number,
                        recipient.backup_email
                    ],
                )
                .map_err(StoreError::from)?;
        }
        Ok(())
    }

    /// A channel needs an active number, whatever was ticked.
    fn check_channels(&self) -> Written {
        let inactive: Option<String> = self
            .tx
            .query_row(
                "SELECT c.e164 FROM channels c
                 JOIN numbers n ON n.connector_id = c.connector_id AND n.e164 = c.e164
                 JOIN connectors k ON k.id = c.connector_id
                 WHERE k.org_id = ?1 AND n.active = 0 LIMIT 1",
                [&self.org_id],
                |row| row.get(0),
            )
            .map(Some)
            .or_else(|error| match error {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                other => Err(other),
            })
            .map_err(StoreError::from)?;
        match inactive {
            Some(e164) => Err(CoreError::Conflict(format!(
                "{e164} would answer for an agent without being active: tick its number's change \
                 or the removal of its channel too. Nothing was imported"
            ))),
            None => Ok(()),
        }
    }

    fn audit(
        &self,
        connector_id: Option<&str>,
        action: &str,
        target: &str,
        before: Option<&str>,
        after: Option<&str>,
    ) -> Written {
        debug_assert!(crate::AUDIT_ACTIONS.contains(&action), "{action}");
        self.tx
            .execute(
                "INSERT INTO audit (org_id, connector_id, action, target, before, after, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    self.org_id,
                    connector_id,
                    action,
                    redact_webhook_tokens(target),
                    before.map(redact_webhook_tokens),
                    after.map(redact_webhook_tokens),
                    self.at
                ],
            )
            .map_err(StoreError::from)?;
        Ok(())
    }

    fn audit_secret(&self, connector_id: &str, name: &str) -> Written {
        self.audit(
            Some(connector_id),
            "connector.secret_replaced",
            name,
            None,
            Some("a new secret is in the system keychain"),
        )
    }
}

/// A plan that points at something the transaction did not make: a bug, never a user's input.
fn missing(what: &str, key: &str) -> CoreError {
    CoreError::Conflict(format!(
        "Could not apply '{key}': {what} is not there. Nothing was imported; preview the file \
         again"
    ))
}

fn settings_json(config: &ConnectorConfig) -> Result<String, CoreError> {
    serde_json::to_string(&config.settings)
        .map_err(|error| CoreError::Store(StoreError::Corrupt(error.to_string())))
}

/// What the audit log keeps of a connector (as the connector forms write it).
fn summary(config: &ConnectorConfig) -> String {
    serde_json::json!({
        "name": config.name,
        "settings": config.settings,
        "recipients": config.recipients,
        "receiveInbound": config.receive_inbound,
    })
    .to_string()
}
