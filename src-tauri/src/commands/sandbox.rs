use switchboard_core::SandboxDemo;
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

/// "Try the sandbox": starts the provider emulator in the app and creates a demo organization
/// with one connector per provider pointing at it.
#[tauri::command]
#[specta::specta]
pub async fn sandbox_try(state: State<'_, AppState>) -> Result<SandboxDemo, CommandError> {
    Ok(state.demo().try_demo(&state.core()?).await?)
}

/// "Leave the sandbox": stops the emulator and removes the demo organization and what the app
/// remembered of it; it does not come back by itself.
#[tauri::command]
#[specta::specta]
pub async fn sandbox_leave(state: State<'_, AppState>) -> Result<(), CommandError> {
    Ok(state.demo().leave(&state.core()?).await?)
}
