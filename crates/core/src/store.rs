//! The SQLite store: one file in the app data dir, shared by the app and the CLI (WAL and a busy
//! timeout let both open it at once). Migrations are numbered SQL files applied all-or-nothing.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, Row, params};
use rusqlite_migration::{M, Migrations};

use crate::model::{
    CheckRecord, Connector, ConnectorDraft, ConnectorKind, ConnectorSettings, ConnectorState,
    Event, EventLevel, Organization, OrganizationDraft, ProviderKind, Recipient,
};

const MIGRATION_FILES: &[&str] = &[
    include_str!("../migrations/0001_initial.sql"),
    include_str!("../migrations/0002_credential_checks.sql"),
    include_str!("../migrations/0003_numbers_channels.sql"),
    include_str!("../migrations/0004_check_failures.sql"),
    include_str!("../migrations/0005_job_journal_restore.sql"),
    include_str!("../migrations/0006_tagged_settings.sql"),
    include_str!("../migrations/0007_messaging.sql"),
    include_str!("../migrations/0008_history.sql"),
    include_str!("../migrations/0009_audit_filters.sql"),
    include_str!("../migrations/0010_diagnosis_runs.sql"),
    include_str!("../migrations/0011_last_known.sql"),
    include_str!("../migrations/0012_app_settings.sql"),
    include_str!("../migrations/0013_attempts_by_status.sql"),
    include_str!("../migrations/0014_numbers_in_list_order.sql"),
];

/// The schema version this build writes; a database with a higher `user_version` is refused.
pub const SCHEMA_VERSION: usize = MIGRATION_FILES.len();

const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "The database {path} was written by a newer Switchboard (schema {found}; this version \
         knows up to {supported}). Install the newer Switchboard, or point SWITCHBOARD_DATA_DIR at \
         another folder."
    )]
    TooNew {
        path: String,
        found: i64,
        supported: usize,
    },
    #[error("Could not create the data folder {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("Could not open the database {path}: {source}")]
    Open {
        path: String,
        source: rusqlite::Error,
    },
    #[error("Could not upgrade the database to schema {SCHEMA_VERSION}: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("Database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("The database holds a value this version cannot read: {0}")]
    Corrupt(String),
}

impl StoreError {
    /// SQLite's "database is locked" (SQLITE_BUSY), however it reached us.
    fn is_busy(&self) -> bool {
        let busy = |error: &rusqlite::Error| {
            error.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
        };
        match self {
            Self::Open { source, .. } | Self::Sqlite(source) => busy(source),
            Self::Migration(rusqlite_migration::Error::RusqliteError { err, .. }) => busy(err),
            _ => false,
        }
    }
}

pub struct Store {
    conn: Mutex<Connection>,
    path: Option<PathBuf>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

pub(crate) fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATION_FILES.iter().map(|sql| M::up(sql)).collect())
}

/// Brings `conn` to the latest schema, refusing a database newer than `migrations` knows.
pub(crate) fn migrate(
    conn: &mut Connection,
    migrations: &Migrations<'_>,
    known: usize,
    path: &str,
) -> Result<(), StoreError> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if usize::try_from(found).map_or(true, |found| found > known) {
        return Err(StoreError::TooNew {
            path: path.to_owned(),
            found,
            supported: known,
        });
    }
    if let Err(error) = migrations.to_latest(conn) {
        // Another process (the app, the CLI) opening the same new file may have migrated it
        // between our reading its version and our taking the write lock: ours then fails on
        // tables that exist. Seen that way, the file is up to date; else the error stands.
        let now: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
        if now == found {
            return Err(error.into());
        }
        migrations.to_latest(conn)?;
    }
    Ok(())
}

impl Store {
    /// Opens (creating if needed) the database file at `path` and migrates it.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::DataDir {
                path: dir.to_owned(),
                source,
            })?;
        }
        let shown = path.display().to_string();
        // SQLite answers "database is locked" without calling the busy handler while another
        // process's last connection to the file is closing (it holds an exclusive lock to clean
        // up the WAL) or recovering it: opening again shortly after is the documented remedy.
        let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
        loop {
            match Self::open_once(path, &shown) {
                Err(error) if error.is_busy() && std::time::Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                opened => return opened,
            }
        }
    }

    fn open_once(path: &Path, shown: &str) -> Result<Self, StoreError> {
        let conn = Connection::open(path).map_err(|source| StoreError::Open {
            path: shown.to_owned(),
            source,
        })?;
        // Before anything that locks: switching to WAL waits for a writer in another process
        // (the app, the CLI) instead of failing with "database is locked".
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        Self::init(conn, Some(path.to_owned()), shown)
    }

    pub fn open_in_memory() -> Result<Self, StoreError> {
        let conn = Connection::open_in_memory().map_err(|source| StoreError::Open {
            path: ":memory:".into(),
            source,
        })?;
        Self::init(conn, None, ":memory:")
    }

    fn init(mut conn: Connection, path: Option<PathBuf>, shown: &str) -> Result<Self, StoreError> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Every transaction takes the write lock when it begins (waiting up to the busy
        // timeout). A deferred one that reads first cannot wait when it then writes after
        // another process did: SQLite fails it at once with "database is locked".
        conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        migrate(&mut conn, &migrations(), SCHEMA_VERSION, shown)?;
        Ok(Self {
            conn: Mutex::new(conn),
            path,
        })
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite inconsistent (transactions roll
        // back on drop), so a poisoned lock is safe to keep using.
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    // ---- organizations ----

    pub fn insert_organization(
        &self,
        id: &str,
        draft: &OrganizationDraft,
        now: &str,
    ) -> Result<Organization, StoreError> {
        self.conn().execute(
            "INSERT INTO organizations (id, name, inbound_base_url, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?4)",
            params![id, draft.name, draft.inbound_base_url, now],
        )?;
        self.organization(id)?
            .ok_or_else(|| StoreError::Corrupt("organization vanished".into()))
    }

    /// Writes the organization; when its inbound base URL changed, every active number of its
    /// connectors is flagged "needs to be set again" in the same transaction (their webhooks
    /// point at the old address). Returns how many numbers were flagged.
    pub fn update_organization(
        &self,
        id: &str,
        draft: &OrganizationDraft,
        now: &str,
        inbound_base_changed: bool,
    ) -> Result<u32, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "UPDATE organizations SET name = ?2, inbound_base_url = ?3, updated_at = ?4 WHERE id = ?1",
            params![id, draft.name, draft.inbound_base_url, now],
        )?;
        let flagged = if inbound_base_changed {
            tx.execute(
                "UPDATE numbers SET webhook_state = 'needs_reset',
                     webhook_reason = 'The organization''s inbound base URL changed: set the webhook again'
                 WHERE active = 1 AND gone = 0
                   AND connector_id IN (SELECT id FROM connectors WHERE org_id = ?1)",
                [id],
            )?
        } else {
            0
        };
        tx.commit()?;
        Ok(u32::try_from(flagged).unwrap_or(u32::MAX))
    }

    pub fn organizations(&self) -> Result<Vec<Organization>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare(
            "SELECT id, name, inbound_base_url, created_at, updated_at FROM organizations
             ORDER BY name COLLATE NOCASE",
        )?;
        let rows = statement.query_map([], organization_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn organization(&self, id: &str) -> Result<Option<Organization>, StoreError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT id, name, inbound_base_url, created_at, updated_at FROM organizations
                 WHERE id = ?1",
                [id],
                organization_from_row,
            )
            .optional()?)
    }

    pub fn organization_by_name(&self, name: &str) -> Result<Option<Organization>, StoreError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT id, name, inbound_base_url, created_at, updated_at FROM organizations
                 WHERE name = ?1",
                [name],
                organization_from_row,
            )
            .optional()?)
    }

    // ---- connectors ----

    /// Inserts the connector and its recipients in one transaction.
    pub fn insert_connector(
        &self,
        id: &str,
        draft: &ConnectorDraft,
        webhook_token: &str,
        now: &str,
    ) -> Result<(), StoreError> {
        let settings = settings_json(&draft.settings)?;
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO connectors (id, org_id, kind, provider, name, settings, receive_inbound,
                 secret_stored, webhook_token, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
            params![
                id,
                draft.org_id,
                draft.kind.as_str(),
                draft.provider().as_str(),
                draft.name,
                settings,
                draft.receive_inbound,
                draft.secret.is_some(),
                webhook_token,
                now
            ],
        )?;
        write_recipients(&tx, id, draft)?;
        tx.commit()?;
        Ok(())
    }

    /// Replaces the editable fields and the recipients in one transaction.
    pub fn update_connector(
        &self,
        id: &str,
        draft: &ConnectorDraft,
        now: &str,
    ) -> Result<(), StoreError> {
        let settings = settings_json(&draft.settings)?;
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "UPDATE connectors SET name = ?2, settings = ?3, receive_inbound = ?4,
                 secret_stored = secret_stored OR ?5, updated_at = ?6
             WHERE id = ?1",
            params![
                id,
                draft.name,
                settings,
                draft.receive_inbound,
                draft.secret.is_some(),
                now
            ],
        )?;
        tx.execute("DELETE FROM recipients WHERE connector_id = ?1", [id])?;
        write_recipients(&tx, id, draft)?;
        tx.commit()?;
        Ok(())
    }

    /// Records the outcome of a credential check and its event in one transaction.
    pub fn record_check(&self, id: &str, check: &CheckRecord, now: &str) -> Result<(), StoreError> {
        let failure_json = check
            .failure
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "UPDATE connectors SET state = ?2, state_reason = ?3, checked_at = COALESCE(?9, ?4),
                 account_name = ?5, account_type = ?6, state_warning = ?7, state_failure = ?8
             WHERE id = ?1",
            params![
                id,
                check.state.as_str(),
                check.reason,
                now,
                check.account_name,
                check.account_type,
                check.warning,
                failure_json,
                check.verified_at
            ],
        )?;
        tx.execute(
            "INSERT INTO events (connector_id, level, code, message, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                id,
                check.event.level.as_str(),
                check.event.code,
                check.event.message,
                now
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The connector's events, newest first.
    pub fn events(&self, connector_id: &str, limit: u32) -> Result<Vec<Event>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare(
            "SELECT level, code, message, created_at FROM events WHERE connector_id = ?1
             ORDER BY id DESC LIMIT ?2",
        )?;
        let rows = statement.query_map(params![connector_id, limit], |row| {
            let level: String = row.get(0)?;
            Ok(Event {
                level: EventLevel::parse(&level).unwrap_or(EventLevel::Error),
                code: row.get(1)?,
                message: row.get(2)?,
                created_at: row.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn delete_connector(&self, id: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn()
            .execute("DELETE FROM connectors WHERE id = ?1", [id])?
            > 0)
    }

    pub fn connector(&self, id: &str) -> Result<Option<Connector>, StoreError> {
        let conn = self.conn();
        let row = conn
            .query_row(
                &format!("{CONNECTOR_SELECT} WHERE c.id = ?1"),
                [id],
                ConnectorRow::read,
            )
            .optional()?;
        row.map(|row| row.into_connector(&conn)).transpose()
    }

    /// Connectors, optionally of one organization, by organization then name.
    pub fn connectors(&self, org_id: Option<&str>) -> Result<Vec<Connector>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare(&format!(
            "{CONNECTOR_SELECT} WHERE (?1 IS NULL OR c.org_id = ?1)
             ORDER BY c.org_id, c.name COLLATE NOCASE"
        ))?;
        let rows = statement
            .query_map([org_id], ConnectorRow::read)?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(|row| row.into_connector(&conn))
            .collect()
    }

    pub fn connector_name_taken(
        &self,
        org_id: &str,
        name: &str,
        except_id: Option<&str>,
    ) -> Result<bool, StoreError> {
        Ok(self.conn().query_row(
            "SELECT EXISTS (SELECT 1 FROM connectors
                 WHERE org_id = ?1 AND name = ?2 COLLATE NOCASE AND id IS NOT ?3)",
            params![org_id, name, except_id],
            |row| row.get(0),
        )?)
    }

    /// The ids of connectors whose id starts with `prefix` or whose name equals it.
    pub fn connector_ids_matching(&self, reference: &str) -> Result<Vec<String>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare(
            "SELECT id FROM connectors WHERE id = ?1 OR name = ?1
             UNION SELECT id FROM connectors WHERE length(?1) >= 4 AND substr(id, 1, length(?1)) = ?1",
        )?;
        let ids = statement
            .query_map([reference], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(ids)
    }
}

const CONNECTOR_SELECT: &str = "SELECT c.id, c.org_id, c.kind, c.provider, c.name, c.settings,
    c.receive_inbound, c.secret_stored, c.state, c.state_reason, c.checked_at, c.created_at,
    c.updated_at, c.account_name, c.account_type, c.state_warning, c.state_failure
    FROM connectors c";

fn organization_from_row(row: &Row<'_>) -> rusqlite::Result<Organization> {
    Ok(Organization {
        id: row.get(0)?,
        name: row.get(1)?,
        inbound_base_url: row.get(2)?,
        created_at: row.get(3)?,
        updated_at: row.get(4)?,
    })
}

fn settings_json(settings: &ConnectorSettings) -> Result<String, StoreError> {
    serde_json::to_string(settings).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn write_recipients(
    tx: &rusqlite::Transaction<'_>,
    connector_id: &str,
    draft: &ConnectorDraft,
) -> Result<(), StoreError> {
    let mut insert = tx.prepare(
        "INSERT INTO recipients (connector_id, position, number, backup_email)
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (position, recipient) in (0_i64..).zip(&draft.recipients) {
        insert.execute(params![
            connector_id,
            position,
            recipient.number,
            recipient.backup_email
        ])?;
    }
    Ok(())
}

/// A connector row as stored, before its text columns are parsed.
struct ConnectorRow {
    id: String,
    org_id: String,
    kind: String,
    provider: String,
    name: String,
    settings: String,
    receive_inbound: bool,
    secret_stored: bool,
    state: String,
    state_reason: Option<String>,
    checked_at: Option<String>,
    created_at: String,
    updated_at: String,
    account_name: Option<String>,
    account_type: Option<String>,
    state_warning: Option<String>,
    state_failure: Option<String>,
}

impl ConnectorRow {
    fn read(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get(0)?,
            org_id: row.get(1)?,
            kind: row.get(2)?,
            provider: row.get(3)?,
            name: row.get(4)?,
            settings: row.get(5)?,
            receive_inbound: row.get(6)?,
            secret_stored: row.get(7)?,
            state: row.get(8)?,
            state_reason: row.get(9)?,
            checked_at: row.get(10)?,
            created_at: row.get(11)?,
            updated_at: row.get(12)?,
            account_name: row.get(13)?,
            account_type: row.get(14)?,
            state_warning: row.get(15)?,
            state_failure: row.get(16)?,
        })
    }

    fn into_connector(self, conn: &Connection) -> Result<Connector, StoreError> {
        let corrupt = |what: &str, value: &str| StoreError::Corrupt(format!("{what} '{value}'"));
        let kind = ConnectorKind::parse(&self.kind).ok_or_else(|| corrupt("kind", &self.kind))?;
        let provider = ProviderKind::parse(&self.provider)
            .ok_or_else(|| corrupt("provider", &self.provider))?;
        let state =
            ConnectorState::parse(&self.state).ok_or_else(|| corrupt("state", &self.state))?;
        let settings: ConnectorSettings = serde_json::from_str(&self.settings)
            .map_err(|e| StoreError::Corrupt(format!("settings of {}: {e}", self.id)))?;
        if settings.provider() != provider {
            return Err(corrupt("settings of another provider than", &self.provider));
        }
        let mut statement = conn.prepare_cached(
            "SELECT number, backup_email FROM recipients WHERE connector_id = ?1 ORDER BY position",
        )?;
        let recipients = statement
            .query_map([&self.id], |row| {
                Ok(Recipient {
                    number: row.get(0)?,
                    backup_email: row.get(1)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(Connector {
            id: self.id,
            org_id: self.org_id,
            kind,
            name: self.name,
            settings,
            recipients,
            receive_inbound: self.receive_inbound,
            has_secret: self.secret_stored,
            state,
            state_reason: self.state_reason,
            // Diagnostic detail: one this version cannot read is dropped, not an error (the
            // reason beside it still says what happened).
            state_failure: self
                .state_failure
                .and_then(|json| serde_json::from_str(&json).ok()),
            checked_at: self.checked_at,
            account_name: self.account_name,
            account_type: self.account_type,
            state_warning: self.state_warning,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        migrations().validate().unwrap();
    }

    #[test]
    fn a_fresh_database_is_at_the_latest_schema_with_wal_and_foreign_keys() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("nested/switchboard.db")).unwrap();
        let conn = store.conn();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION as i64);
        let mode: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
    }

    #[test]
    fn a_failing_migration_leaves_the_database_untouched() {
        let mut conn = Connection::open_in_memory().unwrap();
        let broken = Migrations::new(vec![
            M::up("CREATE TABLE first (id INTEGER);"),
            M::up("CREATE TABLE second (id INTEGER); THIS IS NOT SQL;"),
        ]);
        assert!(migrate(&mut conn, &broken, 2, "test").is_err());
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, 0);
        let tables: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name IN ('first', 'second')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(tables, 0, "no table of a failed upgrade may remain");
    }

    #[test]
    fn a_newer_database_is_refused_and_left_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("switchboard.db");
        drop(Store::open(&path).unwrap());
        {
            let conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "user_version", 99).unwrap();
        }
        let error = Store::open(&path).unwrap_err();
        assert!(
            matches!(error, StoreError::TooNew { found: 99, .. }),
            "{error:?}"
        );
        let message = error.to_string();
        assert!(message.contains("newer Switchboard"), "{message}");
        let conn = Connection::open(&path).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, 99);
    }

    #[test]
    fn reopening_keeps_data() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("switchboard.db");
        let draft = OrganizationDraft {
            name: "Hotel".into(),
            inbound_base_url: None,
        };
        Store::open(&path)
            .unwrap()
            .insert_organization("o1", &draft, "now")
            .unwrap();
        let reopened = Store::open(&path).unwrap();
        assert_eq!(reopened.organizations().unwrap()[0].name, "Hotel");
    }
}
