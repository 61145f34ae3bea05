//! One bulk job per connector at a time, whoever starts it: the app (any window), the CLI, or a
//! second job in the same process. A job holds an OS advisory lock on a file per connector in the
//! data folder ([`crate::paths::job_lock_file`]) from before it journals anything until it ends;
//! the OS frees it when the process dies, so a job whose process was killed can be resumed at
//! once. Within one process a set of held locks refuses the second job without relying on how the
//! platform treats two locks taken by one process.

use std::collections::BTreeSet;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;
use std::sync::{Mutex, PoisonError};

use crate::error::CoreError;
use crate::model::Connector;
use crate::paths;
use crate::service::Switchboard;

/// The locks this process holds: the lock file's path, or `memory:<connector id>` for a
/// database in memory (which no other process can see).
static HELD: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// Held while a job runs; dropping it (the job ended, failed or was cancelled) frees the
/// connector.
#[derive(Debug)]
pub(crate) struct JobLock {
    key: String,
    file: Option<File>,
}

impl Drop for JobLock {
    fn drop(&mut self) {
        if let Some(file) = self.file.take() {
            // Closing the file frees the lock too; unlocking first frees it before the key.
            let _ = file.unlock();
        }
        HELD.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&self.key);
    }
}

impl Switchboard {
    /// Takes the connector's bulk-job lock, or refuses with [`CoreError::JobRunning`] when a job
    /// on it runs anywhere (this process or another one on the same data folder).
    pub(crate) fn lock_bulk_job(&self, connector: &Connector) -> Result<JobLock, CoreError> {
        let data_dir = self.store().path().and_then(Path::parent);
        lock(data_dir, &connector.id, &connector.name)
    }
}

/// The lock of connector `id` (called `name` in the refusal) in `data_dir` (`None`: a database
/// in memory, locked within this process only).
fn lock(data_dir: Option<&Path>, id: &str, name: &str) -> Result<JobLock, CoreError> {
    let running = || CoreError::JobRunning {
        connector: name.to_owned(),
    };
    let file = data_dir.map(|dir| paths::job_lock_file(dir, id));
    let key = match &file {
        Some(path) => path.display().to_string(),
        None => format!("memory:{id}"),
    };
    if !HELD
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(key.clone())
    {
        return Err(running());
    }
    // From here on, an early return frees the key again.
    let mut lock = JobLock { key, file: None };
    let Some(path) = file else {
        return Ok(lock);
    };
    let cannot = |error: std::io::Error| {
        CoreError::Interrupted(format!(
            "Could not take the bulk-job lock {}: {error}",
            path.display()
        ))
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(cannot)?;
    }
    let handle = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(cannot)?;
    match handle.try_lock() {
        Ok(()) => {
            lock.file = Some(handle);
            Ok(lock)
        }
        Err(TryLockError::WouldBlock) => Err(running()),
        Err(TryLockError::Error(error)) => Err(cannot(error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    fn refused(result: Result<JobLock, CoreError>) -> String {
        match result {
            Err(error) => {
                assert_eq!(error.code(), ErrorCode::JobRunning.into(), "{error}");
                error.to_string()
            }
            Ok(lock) => panic!("a second job got the lock: {lock:?}"),
        }
    }

    #[test]
    fn one_job_per_connector_until_it_ends() {
        let dir = tempfile::tempdir().unwrap();
        let first = lock(Some(dir.path()), "c1", "Reception SMS").unwrap();
        let message = refused(lock(Some(dir.path()), "c1", "Reception SMS"));
        assert!(message.contains("'Reception SMS'"), "{message}");
        assert!(
            message.contains("another Switchboard window or the CLI"),
            "{message}"
        );
        // Another connector runs at once.
        let other = lock(Some(dir.path()), "c2", "Front desk").unwrap();
        drop(first);
        let again = lock(Some(dir.path()), "c1", "Reception SMS").unwrap();
        drop((again, other));
    }

    #[test]
    fn a_lock_another_holder_took_on_the_file_refuses_the_job() {
        // What another process does: its own open file, locked.
        let dir = tempfile::tempdir().unwrap();
        let path = paths::job_lock_file(dir.path(), "c1");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let other = File::create(&path).unwrap();
        other.try_lock().unwrap();
        refused(lock(Some(dir.path()), "c1", "Reception SMS"));
        other.unlock().unwrap();
        drop(lock(Some(dir.path()), "c1", "Reception SMS").unwrap());
    }

    #[test]
    fn a_database_in_memory_locks_within_the_process() {
        let first = lock(None, "m1", "Memory").unwrap();
        refused(lock(None, "m1", "Memory"));
        drop(first);
        drop(lock(None, "m1", "Memory").unwrap());
    }
}
