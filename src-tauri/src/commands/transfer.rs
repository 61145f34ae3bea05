//! An organization's configuration as a file: export it, preview an import, apply the ticked items.

use switchboard_core::paths::SavedFile;
use switchboard_core::{ConfigExport, ImportApplied, ImportPreview, ImportSelection};
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

/// The organization's configuration as JSON without secrets, with a file name for it.
#[tauri::command]
#[specta::specta]
pub async fn config_export(
    state: State<'_, AppState>,
    org_id: String,
) -> Result<ConfigExport, CommandError> {
    state
        .run(move |core| core.config_export_file(&org_id))
        .await
}

/// Saves the organization's configuration (no secret) into the exports folder (the Downloads
/// folder unless set otherwise) and says where.
#[tauri::command]
#[specta::specta]
pub async fn config_export_save(
    state: State<'_, AppState>,
    org_id: String,
) -> Result<SavedFile, CommandError> {
    let export = state
        .run(move |core| core.config_export_file(&org_id))
        .await?;
    state
        .save_export(export.file_name, export.json.into_bytes(), None)
        .await
}

/// What importing `json` into the organization (or the one the file names) would change.
#[tauri::command]
#[specta::specta]
pub async fn config_import_preview(
    state: State<'_, AppState>,
    org_id: Option<String>,
    json: String,
) -> Result<ImportPreview, CommandError> {
    state
        .run(move |core| core.config_import_preview(&json, org_id.as_deref()))
        .await
}

/// Applies the ticked items all or nothing, then checks the new connectors' credentials.
#[tauri::command]
#[specta::specta]
pub async fn config_import_apply(
    state: State<'_, AppState>,
    org_id: Option<String>,
    json: String,
    selection: ImportSelection,
) -> Result<ImportApplied, CommandError> {
    Ok(state.core()?.config_import(json, org_id, selection).await?)
}
