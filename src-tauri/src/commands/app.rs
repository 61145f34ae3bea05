use serde::Serialize;
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppStatus {
    pub version: String,
    pub data_dir: String,
    /// Why the app cannot work (e.g. a database from a newer version), when it cannot.
    pub startup_error: Option<CommandError>,
    /// The in-process sandbox's address while it runs ("Try the sandbox").
    pub sandbox_url: Option<String>,
    /// The words that join the demo's WhatsApp Sandbox ("join brave-otter"), while it runs.
    pub sandbox_whatsapp_join: Option<String>,
}

#[tauri::command]
#[specta::specta]
pub fn app_status(state: State<'_, AppState>) -> AppStatus {
    AppStatus {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        data_dir: state.data_dir(),
        startup_error: state.startup_error(),
        sandbox_url: state.sandbox_url(),
        sandbox_whatsapp_join: state.demo().whatsapp_join_words(),
    }
}
