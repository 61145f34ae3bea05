use switchboard_core::{Connector, ConnectorDraft, Event, FieldError};
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn connector_list(
    state: State<'_, AppState>,
    org_id: Option<String>,
) -> Result<Vec<Connector>, CommandError> {
    state
        .run(move |core| core.connectors(org_id.as_deref()))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn connector_get(
    state: State<'_, AppState>,
    id: String,
) -> Result<Connector, CommandError> {
    state.run(move |core| core.connector(&id)).await
}

/// The field errors of a draft, as the user types (empty when it can be saved).
#[tauri::command]
#[specta::specta]
pub async fn connector_validate(
    state: State<'_, AppState>,
    draft: ConnectorDraft,
    existing_id: Option<String>,
) -> Result<Vec<FieldError>, CommandError> {
    state
        .run(move |core| core.connector_validate(&draft, existing_id.as_deref()))
        .await
}

/// Saves a new connector and checks its credentials: Active, or Error with the reason.
#[tauri::command]
#[specta::specta]
pub async fn connector_create(
    state: State<'_, AppState>,
    draft: ConnectorDraft,
) -> Result<Connector, CommandError> {
    state
        .save_and_check(move |core| core.connector_create(&draft))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn connector_update(
    state: State<'_, AppState>,
    id: String,
    draft: ConnectorDraft,
) -> Result<Connector, CommandError> {
    state
        .save_and_check(move |core| core.connector_update(&id, &draft))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn connector_delete(state: State<'_, AppState>, id: String) -> Result<(), CommandError> {
    state.run(move |core| core.connector_delete(&id)).await
}

/// Checks the credentials against the provider again.
#[tauri::command]
#[specta::specta]
pub async fn connector_check(
    state: State<'_, AppState>,
    id: String,
) -> Result<Connector, CommandError> {
    state.check(id).await
}

/// The connector's event log, newest first.
#[tauri::command]
#[specta::specta]
pub async fn connector_events(
    state: State<'_, AppState>,
    id: String,
) -> Result<Vec<Event>, CommandError> {
    state.run(move |core| core.connector_events(&id, 100)).await
}
