use switchboard_core::{SandboxDemo, SandboxJoin};
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

/// In the demo, plays a guest joining Twilio's WhatsApp Sandbox: `to` sends the join words to
/// +1 415 523 8886, so test sends from the sandbox number reach them (a real guest does it from
/// WhatsApp).
#[tauri::command]
#[specta::specta]
pub async fn sandbox_whatsapp_join(
    state: State<'_, AppState>,
    to: String,
) -> Result<SandboxJoin, CommandError> {
    Ok(state.demo().whatsapp_join(&to).await?)
}
