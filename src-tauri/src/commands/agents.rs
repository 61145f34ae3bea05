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
