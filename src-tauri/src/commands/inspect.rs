//! The webhook inspector: explain a request captured on the hotel's own server, or run the
//! listener that explains what providers post to it.

use switchboard_core::inspect::{
    CapturedRequest, InspectReport, InspectorListener, ListenOptions, ListenerStatus,
};
use tauri::State;
use tauri::async_runtime::Mutex;

use crate::error::CommandError;
use crate::state::AppState;

/// The running listener, if any (one per app).
#[derive(Default)]
pub struct InspectorState(Mutex<Option<InspectorListener>>);

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

/// Starts the listener (loopback unless `allow_remote` confirms another address); a running
/// one is stopped first.
#[tauri::command]
#[specta::specta]
pub async fn inspector_start(
    state: State<'_, AppState>,
    inspector: State<'_, InspectorState>,
    bind: Option<String>,
    port: u16,
    allow_remote: bool,
) -> Result<ListenerStatus, CommandError> {
    let options = ListenOptions::parse(bind.as_deref(), port, allow_remote)?;
    let mut slot = inspector.0.lock().await;
    if let Some(running) = slot.take() {
        running.stop().await;
    }
    let listener = state.core()?.inspector_listen(options, None).await?;
    let status = listener.status();
    *slot = Some(listener);
    Ok(status)
}

#[tauri::command]
#[specta::specta]
pub async fn inspector_stop(
    inspector: State<'_, InspectorState>,
) -> Result<ListenerStatus, CommandError> {
    if let Some(running) = inspector.0.lock().await.take() {
        running.stop().await;
    }
    Ok(ListenerStatus::default())
}

/// Whether the listener runs, its URL, its counts and the last requests, newest first.
#[tauri::command]
#[specta::specta]
pub async fn inspector_status(
    inspector: State<'_, InspectorState>,
) -> Result<ListenerStatus, CommandError> {
    Ok(inspector
        .0
        .lock()
        .await
        .as_ref()
        .map(InspectorListener::status)
        .unwrap_or_default())
}
