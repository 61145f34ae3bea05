//! The app's own preferences (issue 12 §1), kept in SQLite so the app and the CLI read the same
//! ones: today whether the app looks for a signed update when it starts.

use rusqlite::{OptionalExtension, params};

use crate::clock::now;
use crate::error::CoreError;
use crate::service::Switchboard;
use crate::store::{Store, StoreError};

/// Turns every update check off, whatever the stored setting says: tests and CI set it to `off`
/// so no test ever asks the release feed.
pub const UPDATES_ENV: &str = "SWITCHBOARD_UPDATES";

const UPDATES_CHECK: &str = "updates.check";

/// Whether `SWITCHBOARD_UPDATES` (as `lookup` reads it) turns the update check off.
pub fn updates_disabled_by_env(lookup: impl Fn(&str) -> Option<String>) -> bool {
    lookup(UPDATES_ENV).is_some_and(|value| {
        matches!(
            value.trim().to_ascii_lowercase().as_str(),
            "off" | "0" | "false" | "no"
        )
    })
}

impl Store {
    fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT value FROM app_settings WHERE key = ?1",
                params![key],
                |row| row.get(0),
            )
            .optional()?)
    }

    fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn().execute(
            "INSERT INTO app_settings (key, value, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            params![key, value, now()],
        )?;
        Ok(())
    }
}

impl Switchboard {
    /// Whether the app looks for an update when it starts (on unless turned off).
    pub fn update_check_enabled(&self) -> Result<bool, CoreError> {
        Ok(self.store().setting(UPDATES_CHECK)?.as_deref() != Some("off"))
    }

    /// Turns the update check on launch on or off (the app's About panel, `switchboard settings`).
    pub fn set_update_check(&self, enabled: bool) -> Result<(), CoreError> {
        let value = if enabled { "on" } else { "off" };
        self.store().set_setting(UPDATES_CHECK, value)?;
        tracing::info!(enabled, "update check on launch changed");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::MemorySecretStore;

    #[test]
    fn the_update_check_is_on_until_turned_off_and_stays_as_set() {
        let dir = tempfile::tempdir().unwrap();
        let core =
            Switchboard::open_with_secrets(dir.path(), Arc::new(MemorySecretStore::default()))
                .unwrap();
        assert!(core.update_check_enabled().unwrap(), "on by default");
        core.set_update_check(false).unwrap();
        assert!(!core.update_check_enabled().unwrap());
        drop(core);
        // Another process (the CLI, the app's next launch) reads the same file.
        let again =
            Switchboard::open_with_secrets(dir.path(), Arc::new(MemorySecretStore::default()))
                .unwrap();
        assert!(!again.update_check_enabled().unwrap(), "kept in SQLite");
        again.set_update_check(true).unwrap();
        assert!(again.update_check_enabled().unwrap());
    }

    #[test]
    fn the_environment_turns_updates_off() {
        let env =
            |value: &'static str| move |name: &str| (name == UPDATES_ENV).then(|| value.to_owned());
        assert!(updates_disabled_by_env(env("off")));
        assert!(updates_disabled_by_env(env("OFF")));
        assert!(updates_disabled_by_env(env("0")));
        assert!(!updates_disabled_by_env(env("on")));
        assert!(!updates_disabled_by_env(|_: &str| None));
    }
}
