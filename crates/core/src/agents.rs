//! Agents: who answers on an organization's numbers (bound to them through channels).

use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::clock::now;
use crate::error::CoreError;
use crate::ids::new_id;
use crate::service::Switchboard;
use crate::store::{Store, StoreError};

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

impl Store {
    pub(crate) fn agents(&self, org_id: Option<&str>) -> Result<Vec<Agent>, StoreError> {
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

    fn rename_agent(&self, id: &str, name: &str) -> Result<(), StoreError> {
        self.conn().execute(
            "UPDATE agents SET name = ?2 WHERE id = ?1",
            params![id, name],
        )?;
        Ok(())
    }

    /// Removes the agent and its channels; the numbers and connectors stay.
    fn delete_agent(&self, id: &str) -> Result<Vec<String>, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let numbers = {
            let mut statement =
                tx.prepare("SELECT e164 FROM channels WHERE agent_id = ?1 ORDER BY e164")?;
            statement
                .query_map(params![id], |row| row.get(0))?
                .collect::<Result<Vec<String>, _>>()?
        };
        tx.execute("DELETE FROM channels WHERE agent_id = ?1", params![id])?;
        tx.execute("DELETE FROM agents WHERE id = ?1", params![id])?;
        tx.commit()?;
        Ok(numbers)
    }
}

impl Switchboard {
    pub fn agent_create(&self, draft: &AgentDraft) -> Result<Agent, CoreError> {
        let org = self.organization_resolve(&draft.org_id)?;
        let name = crate::validate::name(&draft.name, "agent")
            .map_err(|why| CoreError::field("name", why))?;
        let name = name.as_str();
        let description = draft
            .description
            .as_deref()
            .map(crate::validate::description)
            .transpose()
            .map_err(|why| CoreError::field("description", why))?;
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
            id: new_id(),
            org_id: org.id,
            name: name.to_owned(),
            description: description.filter(|d| !d.is_empty()),
            created_at: now(),
        };
        self.store().insert_agent(&agent)?;
        self.audit_org(
            &agent.org_id,
            "agent.create",
            &agent.name,
            None,
            agent.description.as_deref().or(Some("")),
        )?;
        Ok(agent)
    }

    /// Renames an agent (found by id, id prefix or name); its channels stay.
    pub fn agent_rename(&self, reference: &str, name: &str) -> Result<Agent, CoreError> {
        let agent = self.agent_resolve(reference)?;
        let name =
            crate::validate::name(name, "agent").map_err(|why| CoreError::field("name", why))?;
        let name = name.as_str();
        if name == agent.name {
            return Ok(agent);
        }
        if self
            .store()
            .agents(Some(&agent.org_id))?
            .iter()
            .any(|a| a.name == name)
        {
            return Err(CoreError::field(
                "name",
                format!("This organization already has an agent named '{name}'"),
            ));
        }
        self.store().rename_agent(&agent.id, name)?;
        self.audit_org(
            &agent.org_id,
            "agent.rename",
            name,
            Some(&agent.name),
            Some(name),
        )?;
        Ok(Agent {
            name: name.to_owned(),
            ..agent
        })
    }

    /// Removes an agent and unbinds its numbers; the connectors and numbers stay as they are.
    pub fn agent_delete(&self, reference: &str) -> Result<(), CoreError> {
        let agent = self.agent_resolve(reference)?;
        let numbers = self.store().delete_agent(&agent.id)?;
        let before = if numbers.is_empty() {
            format!("agent {}", agent.name)
        } else {
            format!("agent {} answering on {}", agent.name, numbers.join(", "))
        };
        self.audit_org(
            &agent.org_id,
            "agent.delete",
            &agent.name,
            Some(&before),
            None,
        )?;
        Ok(())
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
}
