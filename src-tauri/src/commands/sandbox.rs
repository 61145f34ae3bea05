use serde::Serialize;
use switchboard_core::{Connector, Organization};
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SandboxDemo {
    pub organization: Organization,
    /// Checked against the sandbox: Active unless something is wrong.
    pub connectors: Vec<Connector>,
    pub sandbox_url: String,
}

/// "Try the sandbox": starts the provider emulator in the app and creates a demo organization
/// with one connector per provider pointing at it.
#[tauri::command]
#[specta::specta]
pub async fn sandbox_try(state: State<'_, AppState>) -> Result<SandboxDemo, CommandError> {
    state.sandbox_demo().await
}
