//! Where Switchboard keeps its database.

use std::path::PathBuf;

use crate::APP_IDENTIFIER;

/// Overrides the data directory (tests, the CLI, several installs side by side).
pub const DATA_DIR_ENV: &str = "SWITCHBOARD_DATA_DIR";
pub const DATABASE_FILE: &str = "switchboard.db";

/// `$SWITCHBOARD_DATA_DIR`, else the OS data dir + the app identifier — the same directory Tauri
/// calls `app_data_dir`, so the app and the CLI share one database.
pub fn default_data_dir() -> Option<PathBuf> {
    match std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()) {
        Some(dir) => Some(PathBuf::from(dir)),
        None => os_data_dir(),
    }
}

/// The OS data dir + the app identifier, whatever `$SWITCHBOARD_DATA_DIR` says.
pub fn os_data_dir() -> Option<PathBuf> {
    dirs::data_dir().map(|dir| dir.join(APP_IDENTIFIER))
}
