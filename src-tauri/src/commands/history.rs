use switchboard_core::history::{ImportedMessage, SyncReport};
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

/// Imports the connector's message history from its provider now (first time: the last 30
/// days; then what is new). The provider out of reach: the last import's state, stale.
#[tauri::command]
#[specta::specta]
pub async fn messages_sync(
    state: State<'_, AppState>,
    connector_id: String,
) -> Result<SyncReport, CommandError> {
    Ok(state
        .core()?
        .messages_sync_or_last_known(&connector_id)
        .await?)
}

/// The messages imported from the provider, newest first.
#[tauri::command]
#[specta::specta]
pub async fn messages_imported(
    state: State<'_, AppState>,
    connector_id: String,
    limit: u32,
) -> Result<Vec<ImportedMessage>, CommandError> {
    state
        .run(move |core| core.imported_messages(&connector_id, limit))
        .await
}
