use switchboard_core::{Organization, OrganizationDraft, OrganizationUpdate};
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn org_list(state: State<'_, AppState>) -> Result<Vec<Organization>, CommandError> {
    state.run(|core| core.organizations()).await
}

#[tauri::command]
#[specta::specta]
pub async fn org_create(
    state: State<'_, AppState>,
    draft: OrganizationDraft,
) -> Result<Organization, CommandError> {
    state
        .run(move |core| core.organization_create(&draft))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn org_update(
    state: State<'_, AppState>,
    id: String,
    draft: OrganizationDraft,
) -> Result<OrganizationUpdate, CommandError> {
    state
        .run(move |core| core.organization_update(&id, &draft))
        .await
}
