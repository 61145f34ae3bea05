//! Channels: one active number of a connector bound to one agent (a number in at most one).

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use crate::clock::now;
use crate::error::CoreError;
use crate::numbers::normalize_e164;
use crate::service::Switchboard;
use crate::store::{Store, StoreError};

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
}

fn already_bound(e164: &str, agent: &str) -> CoreError {
    CoreError::Conflict(format!(
        "Already bound: {e164} answers for the agent '{agent}'. Unbind it there first."
    ))
}
