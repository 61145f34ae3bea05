use switchboard_core::{Agent, AgentDraft};
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn agent_list(
    state: State<'_, AppState>,
    org_id: String,
) -> Result<Vec<Agent>, CommandError> {
    state.run(move |core| core.agents(Some(&org_id))).await
}

#[tauri::command]
#[specta::specta]
pub async fn agent_create(
    state: State<'_, AppState>,
    draft: AgentDraft,
) -> Result<Agent, CommandError> {
    state.run(move |core| core.agent_create(&draft)).await
}

/// Renames an agent; its channels stay.
#[tauri::command]
#[specta::specta]
pub async fn agent_rename(
    state: State<'_, AppState>,
    agent_id: String,
    name: String,
) -> Result<Agent, CommandError> {
    state
        .run(move |core| core.agent_rename(&agent_id, &name))
        .await
}

/// Removes an agent and unbinds its numbers; connectors and numbers stay.
#[tauri::command]
#[specta::specta]
pub async fn agent_delete(
    state: State<'_, AppState>,
    agent_id: String,
) -> Result<(), CommandError> {
    state.run(move |core| core.agent_delete(&agent_id)).await
}
