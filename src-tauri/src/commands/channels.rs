use switchboard_core::AgentChannel;
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn channel_list(
    state: State<'_, AppState>,
    org_id: String,
) -> Result<Vec<AgentChannel>, CommandError> {
    state.run(move |core| core.channels(Some(&org_id))).await
}

/// Binds an active number to an agent; a number bound elsewhere is refused ("Already bound").
#[tauri::command]
#[specta::specta]
pub async fn channel_bind(
    state: State<'_, AppState>,
    agent_id: String,
    connector_id: String,
    number: String,
) -> Result<AgentChannel, CommandError> {
    state
        .run(move |core| core.channel_bind(&agent_id, &connector_id, &number))
        .await
}

/// Unbinds only: the connector and the number stay as they are.
#[tauri::command]
#[specta::specta]
pub async fn channel_unbind(
    state: State<'_, AppState>,
    agent_id: String,
    number: String,
) -> Result<(), CommandError> {
    state
        .run(move |core| core.channel_unbind(&agent_id, &number))
        .await
}
