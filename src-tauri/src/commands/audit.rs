use switchboard_core::AuditEntry;
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

/// The organization's audit log, newest first (webhook tokens redacted).
#[tauri::command]
#[specta::specta]
pub async fn audit_list(
    state: State<'_, AppState>,
    org_id: String,
) -> Result<Vec<AuditEntry>, CommandError> {
    state
        .run(move |core| core.audit_log(Some(&org_id), 200))
        .await
}
