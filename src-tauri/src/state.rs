//! What the shell holds: the core, or why it could not start (shown by the UI, not a crash).

use std::path::Path;
use std::sync::Arc;

use switchboard_core::{Connector, CoreError, Switchboard};

use crate::error::CommandError;

pub struct AppState {
    core: Result<Arc<Switchboard>, CommandError>,
    data_dir: String,
}

impl AppState {
    pub fn open(data_dir: &Path) -> Self {
        let core = Switchboard::open(data_dir)
            .map(Arc::new)
            .map_err(CommandError::from);
        if let Err(error) = &core {
            tracing::error!(code = ?error.code, message = %error.message, "core did not start");
        }
        Self {
            core,
            data_dir: data_dir.display().to_string(),
        }
    }

    pub fn with_core(core: Switchboard, data_dir: impl Into<String>) -> Self {
        Self {
            core: Ok(Arc::new(core)),
            data_dir: data_dir.into(),
        }
    }

    pub fn data_dir(&self) -> &str {
        &self.data_dir
    }

    pub fn startup_error(&self) -> Option<CommandError> {
        self.core.as_ref().err().cloned()
    }

    /// Saves with `save` (off the async threads), then checks the saved connector's credentials
    /// against its provider. A failed check is recorded on the connector, not returned as an error.
    pub async fn save_and_check<F>(&self, save: F) -> Result<Connector, CommandError>
    where
        F: FnOnce(&Switchboard) -> Result<Connector, CoreError> + Send + 'static,
    {
        let saved = self.run(save).await?;
        let core = self.core.clone()?;
        Ok(core.connector_check(&saved.id).await?)
    }

    pub async fn check(&self, id: String) -> Result<Connector, CommandError> {
        let core = self.core.clone()?;
        Ok(core.connector_check(&id).await?)
    }

    /// Runs a core call off the async runtime's threads (SQLite and the keychain block).
    pub async fn run<T, F>(&self, call: F) -> Result<T, CommandError>
    where
        T: Send + 'static,
        F: FnOnce(&Switchboard) -> Result<T, CoreError> + Send + 'static,
    {
        let core = self.core.clone()?;
        tauri::async_runtime::spawn_blocking(move || call(&core))
            .await
            .map_err(|e| {
                CommandError::not_ready(format!("The operation stopped unexpectedly: {e}"))
            })?
            .map_err(CommandError::from)
    }
}
