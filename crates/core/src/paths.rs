//! Where Switchboard keeps its database, and where it saves what the user exports.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::APP_IDENTIFIER;

/// Overrides the data directory (tests, the CLI, several installs side by side).
pub const DATA_DIR_ENV: &str = "SWITCHBOARD_DATA_DIR";
pub const DATABASE_FILE: &str = "switchboard.db";
/// Overrides the folder the app saves exports into (CSV logs, configurations, support bundles).
pub const DOWNLOAD_DIR_ENV: &str = "SWITCHBOARD_DOWNLOAD_DIR";

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

/// Where a bulk webhook job on `connector_id` holds its lock while it runs: one OS advisory lock
/// per connector under `<data dir>/locks/`, so a second job on it — from another window, the CLI
/// or this process — is refused, and a job whose process died frees it at once.
pub fn job_lock_file(data_dir: &Path, connector_id: &str) -> PathBuf {
    // Ids are hex; anything else never reaches the file name.
    let name: String = connector_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    data_dir.join("locks").join(format!("job-{name}.lock"))
}

/// The app's log file (`switchboard.log`, which tauri-plugin-log writes and rotates in Tauri's
/// app log folder), so the CLI's support bundle can hold its tail too.
pub fn app_log_file() -> Option<PathBuf> {
    let dir = if cfg!(target_os = "macos") {
        dirs::home_dir()?.join("Library/Logs").join(APP_IDENTIFIER)
    } else {
        dirs::data_local_dir()?.join(APP_IDENTIFIER).join("logs")
    };
    Some(dir.join("switchboard.log"))
}

/// Where the app saves what the user exports: `$SWITCHBOARD_DOWNLOAD_DIR`, else the user's
/// Downloads folder (where people look for a file they just saved), else `exports` in the data
/// folder. A webview's own download would land wherever the platform puts it — on Linux,
/// silently in the working directory — so the app writes the file itself and says where.
pub fn download_dir(lookup: impl Fn(&str) -> Option<String>, data_dir: &Path) -> PathBuf {
    match lookup(DOWNLOAD_DIR_ENV).filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => dirs::download_dir().unwrap_or_else(|| data_dir.join("exports")),
    }
}

/// A file the app saved for the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SavedFile {
    /// Where it is, to show and copy.
    pub path: String,
    pub bytes: u32,
    /// Records in it, where that means something (rows of a CSV).
    pub records: Option<u32>,
}

/// Writes `bytes` into a new file in `dir` (created when missing) named `name`, or `name (2)`,
/// `name (3)`… when taken: an export never overwrites an earlier one. `name` is the app's own
/// (never a path from outside): anything but letters, digits, `.`, `-` and `_` is replaced.
pub fn save_new_file(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<PathBuf> {
    let (path, mut file) = create_new_file(dir, name)?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    if let Err(error) = written {
        // A half-written export is worse than none.
        let _ = std::fs::remove_file(&path);
        return Err(error);
    }
    Ok(path)
}

/// Creates a new, empty file in `dir` under `name` as [`save_new_file`] names it, for a writer
/// that fills it itself (a support bundle's zip).
pub fn create_new_file(dir: &Path, name: &str) -> io::Result<(PathBuf, File)> {
    std::fs::create_dir_all(dir)?;
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let safe = safe.trim_start_matches('.');
    let (stem, extension) = match safe.rsplit_once('.') {
        Some((stem, extension)) if !stem.is_empty() => (stem, format!(".{extension}")),
        _ => (safe, String::new()),
    };
    for attempt in 1..=1000 {
        let candidate = match attempt {
            1 => dir.join(format!("{stem}{extension}")),
            n => dir.join(format!("{stem} ({n}){extension}")),
        };
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(file) => return Ok((candidate, file)),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(error) => return Err(error),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!("{} holds 1,000 files named {stem}", dir.display()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_export_never_overwrites_an_earlier_one() {
        let dir = tempfile::tempdir().unwrap();
        let first = save_new_file(dir.path(), "logs.csv", b"one").unwrap();
        let second = save_new_file(dir.path(), "logs.csv", b"two").unwrap();
        assert_eq!(first, dir.path().join("logs.csv"));
        assert_eq!(second, dir.path().join("logs (2).csv"));
        assert_eq!(std::fs::read(&first).unwrap(), b"one");
        assert_eq!(std::fs::read(&second).unwrap(), b"two");
    }

    #[test]
    fn a_name_cannot_leave_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let saved = save_new_file(&dir.path().join("new"), "../../etc/passwd", b"x").unwrap();
        assert_eq!(saved.parent(), Some(dir.path().join("new").as_path()));
        assert_eq!(saved.file_name().unwrap(), "_.._etc_passwd");
    }

    #[test]
    fn the_download_dir_setting_wins() {
        let data = Path::new("/data");
        let chosen = download_dir(
            |name| (name == DOWNLOAD_DIR_ENV).then(|| "/saves".to_owned()),
            data,
        );
        assert_eq!(chosen, PathBuf::from("/saves"));
        let empty = download_dir(|_| Some(String::new()), data);
        assert_ne!(empty, PathBuf::from(""));
    }
}
