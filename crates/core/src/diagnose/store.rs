//! Diagnosis runs in SQLite: the latest one is what the next run compares with.

use rusqlite::{OptionalExtension, params};

use super::Diagnosis;
use crate::store::{Store, StoreError};

/// Runs kept per connector; older ones are removed when a new one is stored.
const RUNS_KEPT: u32 = 20;

impl Store {
    pub(crate) fn insert_diagnosis(&self, run: &Diagnosis) -> Result<(), StoreError> {
        // Serializing plain data cannot fail; an empty object would only lose the comparison.
        let json = serde_json::to_string(run).unwrap_or_else(|_| "{}".to_owned());
        let conn = self.conn();
        conn.execute(
            "INSERT INTO diagnosis_runs
                 (id, connector_id, started_at, finished_at, wall_ms, errors, warnings, run)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                run.id,
                run.connector_id,
                run.started_at,
                run.finished_at,
                run.wall_ms,
                run.errors,
                run.warnings,
                json
            ],
        )?;
        conn.execute(
            "DELETE FROM diagnosis_runs WHERE connector_id = ?1 AND id NOT IN
                 (SELECT id FROM diagnosis_runs WHERE connector_id = ?1
                  ORDER BY started_at DESC, rowid DESC LIMIT ?2)",
            params![run.connector_id, RUNS_KEPT],
        )?;
        Ok(())
    }

    /// The connector's latest run; a row this build cannot read counts as none.
    pub(crate) fn last_diagnosis(
        &self,
        connector_id: &str,
    ) -> Result<Option<Diagnosis>, StoreError> {
        let json: Option<String> = self
            .conn()
            .query_row(
                "SELECT run FROM diagnosis_runs WHERE connector_id = ?1
                 ORDER BY started_at DESC, rowid DESC LIMIT 1",
                [connector_id],
                |row| row.get(0),
            )
            .optional()?;
        Ok(json.and_then(|text| serde_json::from_str(&text).ok()))
    }
}
