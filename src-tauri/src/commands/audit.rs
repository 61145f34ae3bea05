use switchboard_core::{AuditFilter, AuditPage};
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

/// A page of the organization's audit log that matches `filter`, newest first (webhook tokens
/// redacted), with the actions the organization's log holds.
#[tauri::command]
#[specta::specta]
pub async fn audit_list(
    state: State<'_, AppState>,
    org_id: String,
    filter: AuditFilter,
) -> Result<AuditPage, CommandError> {
    state
        .run(move |core| {
            core.audit_log(&AuditFilter {
                org_id: Some(org_id),
                ..filter
            })
        })
        .await
}
