//! The webhook inspector: explain a request captured on the hotel's own server.

use switchboard_core::inspect::{CapturedRequest, InspectReport};
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

/// Whose the request is, whether its token and signature are genuine, which URL the provider
/// signed, and why not (no secret in the answer).
#[tauri::command]
#[specta::specta]
pub async fn inspector_explain(
    state: State<'_, AppState>,
    request: CapturedRequest,
) -> Result<InspectReport, CommandError> {
    state
        .run(move |core| core.inspector_explain(&request))
        .await
}
