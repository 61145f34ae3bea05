//! Agents, channels (an agent answering on one active number) and the audit log.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::error::CoreError;
use crate::model::Connector;
use crate::numbers::normalize_e164;
use crate::service::{Switchboard, now};
use crate::store::{Store, StoreError};

pub use crate::numbers::AuditEntry;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Agent {
    pub id: String,
    pub org_id: String,
    pub name: String,
    pub description: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AgentDraft {
    pub org_id: String,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
/// (Not `Channel`: the generated TypeScript has Tauri's own IPC `Channel`.)
pub struct AgentChannel {
    pub agent_id: String,
    pub agent_name: String,
    pub connector_id: String,
    pub connector_name: String,
    pub e164: String,
    pub created_at: String,
}

impl Store {
    fn agents(&self, org_id: Option<&str>) -> Result<Vec<Agent>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare(
            "SELECT id, org_id, name, description, created_at FROM agents
             WHERE ?1 IS NULL OR org_id = ?1 ORDER BY name",
        )?;
        let rows = statement.query_map([org_id], |row| {
            Ok(Agent {
                id: row.get(0)?,
                org_id: row.get(1)?,
                name: row.get(2)?,
                description: row.get(3)?,
                created_at: row.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn insert_agent(&self, agent: &Agent) -> Result<(), StoreError> {
        self.conn().execute(
            "INSERT INTO agents (id, org_id, name, description, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                agent.id,
                agent.org_id,
                agent.name,
                agent.description,
                agent.created_at
            ],
        )?;
        Ok(())
    }

    fn channels(&self, org_id: Option<&str>) -> Result<Vec<AgentChannel>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare(
            "SELECT c.agent_id, a.name, c.connector_id, k.name, c.e164, c.created_at
             FROM channels c JOIN agents a ON a.id = c.agent_id
             JOIN connectors k ON k.id = c.connector_id
             WHERE ?1 IS NULL OR a.org_id = ?1 ORDER BY a.name, c.e164",
        )?;
        let rows = statement.query_map([org_id], |row| {
            Ok(AgentChannel {
                agent_id: row.get(0)?,
                agent_name: row.get(1)?,
                connector_id: row.get(2)?,
                connector_name: row.get(3)?,
                e164: row.get(4)?,
                created_at: row.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Binds; the primary key (connector, number) refuses a number bound elsewhere.
    fn insert_channel(
        &self,
        agent_id: &str,
        connector_id: &str,
        e164: &str,
        now: &str,
    ) -> Result<(), StoreError> {
        self.conn().execute(
            "INSERT INTO channels (agent_id, connector_id, e164, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![agent_id, connector_id, e164, now],
        )?;
        Ok(())
    }

    fn channel_of(
        &self,
        connector_id: &str,
        e164: &str,
    ) -> Result<Option<(String, String)>, StoreError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT a.id, a.name FROM channels c JOIN agents a ON a.id = c.agent_id
                 WHERE c.connector_id = ?1 AND c.e164 = ?2",
                params![connector_id, e164],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?)
    }

    fn delete_channels(&self, agent_id: &str, e164: &str) -> Result<Vec<String>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare(
            "DELETE FROM channels WHERE agent_id = ?1 AND e164 = ?2 RETURNING connector_id",
        )?;
        let rows = statement.query_map(params![agent_id, e164], |row| row.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

fn is_unique_violation(error: &StoreError) -> bool {
    matches!(
        error,
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::ConstraintViolation
    )
}

impl Switchboard {
    pub fn agent_create(&self, draft: &AgentDraft) -> Result<Agent, CoreError> {
        let org = self.organization_resolve(&draft.org_id)?;
        let name = draft.name.trim();
        if name.is_empty() {
            return Err(CoreError::field("name", "Give the agent a name"));
        }
        if self
            .store()
            .agents(Some(&org.id))?
            .iter()
            .any(|a| a.name == name)
        {
            return Err(CoreError::field(
                "name",
                format!("'{}' already has an agent named '{name}'", org.name),
            ));
        }
        let agent = Agent {
            id: uuid::Uuid::new_v4().simple().to_string(),
            org_id: org.id,
            name: name.to_owned(),
            description: draft
                .description
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(str::to_owned),
            created_at: now(),
        };
        self.store().insert_agent(&agent)?;
        Ok(agent)
    }

    pub fn agents(&self, org_id: Option<&str>) -> Result<Vec<Agent>, CoreError> {
        Ok(self.store().agents(org_id)?)
    }

    /// An agent by id, id prefix or name.
    pub fn agent_resolve(&self, reference: &str) -> Result<Agent, CoreError> {
        let reference = reference.trim();
        let agents = self.store().agents(None)?;
        let matches: Vec<_> = agents
            .iter()
            .filter(|a| a.id == reference || a.name == reference)
            .chain(
                agents
                    .iter()
                    .filter(|a| reference.len() >= 4 && a.id.starts_with(reference)),
            )
            .collect();
        let mut ids: Vec<&str> = matches.iter().map(|a| a.id.as_str()).collect();
        ids.dedup();
        match (ids.as_slice(), matches.first()) {
            ([_], Some(agent)) => Ok((*agent).clone()),
            ([], _) | (_, None) => Err(CoreError::NotFound {
                what: "Agent",
                reference: reference.to_owned(),
            }),
            _ => Err(CoreError::Ambiguous(format!(
                "'{reference}' names more than one agent: use its id"
            ))),
        }
    }

    pub fn channels(&self, org_id: Option<&str>) -> Result<Vec<AgentChannel>, CoreError> {
        Ok(self.store().channels(org_id)?)
    }

    /// Binds an active number of the connector to the agent. A number bound to another agent is
    /// refused ("Already bound"), here and by the database.
    pub fn channel_bind(
        &self,
        agent_ref: &str,
        connector_ref: &str,
        number: &str,
    ) -> Result<AgentChannel, CoreError> {
        let agent = self.agent_resolve(agent_ref)?;
        let connector = self.connector_resolve(connector_ref)?;
        if connector.org_id != agent.org_id {
            return Err(CoreError::Conflict(format!(
                "'{}' and the agent '{}' belong to different organizations",
                connector.name, agent.name
            )));
        }
        let e164 = normalize_e164(number);
        let Some(found) = self.store().number(&connector.id, &e164)? else {
            return Err(CoreError::field(
                "number",
                format!(
                    "'{number}' is not in the list of '{}': refresh it",
                    connector.name
                ),
            ));
        };
        if !found.active {
            return Err(CoreError::Conflict(format!(
                "{e164} is not active: activate it before binding it to an agent"
            )));
        }
        if let Some((_, bound_to)) = self.store().channel_of(&connector.id, &e164)? {
            return Err(already_bound(&e164, &bound_to));
        }
        if let Err(error) = self
            .store()
            .insert_channel(&agent.id, &connector.id, &e164, &now())
        {
            // Another writer bound it between the check and the insert.
            if is_unique_violation(&error)
                && let Some((_, bound_to)) = self.store().channel_of(&connector.id, &e164)?
            {
                return Err(already_bound(&e164, &bound_to));
            }
            return Err(error.into());
        }
        self.audit(
            &connector,
            "channel.bind",
            &e164,
            None,
            Some(&format!("agent {}", agent.name)),
        )?;
        self.store()
            .channels(Some(&agent.org_id))?
            .into_iter()
            .find(|c| c.connector_id == connector.id && c.e164 == e164)
            .ok_or_else(|| CoreError::NotFound {
                what: "Channel",
                reference: e164,
            })
    }

    /// Unbinds the number from the agent; the connector and the number stay as they are.
    pub fn channel_unbind(&self, agent_ref: &str, number: &str) -> Result<(), CoreError> {
        let agent = self.agent_resolve(agent_ref)?;
        let e164 = normalize_e164(number);
        let removed = self.store().delete_channels(&agent.id, &e164)?;
        if removed.is_empty() {
            return Err(CoreError::NotFound {
                what: "Channel",
                reference: format!("{} on {e164}", agent.name),
            });
        }
        for connector_id in removed {
            let connector = self.connector(&connector_id)?;
            self.audit(
                &connector,
                "channel.unbind",
                &e164,
                Some(&format!("agent {}", agent.name)),
                None,
            )?;
        }
        Ok(())
    }

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
            target: target.to_owned(),
            before: before.map(str::to_owned),
            after: after.map(str::to_owned),
            created_at: now(),
        })?;
        Ok(())
    }

    /// The audit log, newest first.
    pub fn audit_log(
        &self,
        org_id: Option<&str>,
        limit: u32,
    ) -> Result<Vec<AuditEntry>, CoreError> {
        Ok(self.store().audit(org_id, limit)?)
    }
}

fn already_bound(e164: &str, agent: &str) -> CoreError {
    CoreError::Conflict(format!(
        "Already bound: {e164} answers for the agent '{agent}'. Unbind it there first."
    ))
}
