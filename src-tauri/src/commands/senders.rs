//! WhatsApp senders (Twilio Senders API v2): one-line delegations into core's senders service.
//! Following a sender's status pushes each status over the `Channel` the UI passes.

use switchboard_core::last_known::SenderList;
use switchboard_core::senders::{
    RemovedSender, SenderDraft, SenderUpdateDraft, SenderView, VERTICALS,
};
use tauri::State;
use tauri::ipc::Channel;

use crate::error::CommandError;
use crate::state::AppState;

/// Every WhatsApp sender of the connector's Twilio account, read afresh (or the last known ones,
/// marked stale, when Twilio cannot be reached).
#[tauri::command]
#[specta::specta]
pub async fn senders_list(
    state: State<'_, AppState>,
    connector_id: String,
) -> Result<SenderList, CommandError> {
    Ok(state
        .core()?
        .senders_list_or_last_known(&connector_id)
        .await?)
}

/// One sender, by number or `XE…` SID.
#[tauri::command]
#[specta::specta]
pub async fn sender_get(
    state: State<'_, AppState>,
    connector_id: String,
    sender: String,
) -> Result<SenderView, CommandError> {
    Ok(state.core()?.sender_show(&connector_id, &sender).await?)
}

/// Registers a sender (field errors name the draft's fields); follow it with `sender_follow`.
#[tauri::command]
#[specta::specta]
pub async fn sender_register(
    state: State<'_, AppState>,
    connector_id: String,
    draft: SenderDraft,
) -> Result<SenderView, CommandError> {
    Ok(state.core()?.sender_register(&connector_id, &draft).await?)
}

/// Submits the verification code the number received.
#[tauri::command]
#[specta::specta]
pub async fn sender_verify(
    state: State<'_, AppState>,
    connector_id: String,
    sender: String,
    code: String,
) -> Result<SenderView, CommandError> {
    Ok(state
        .core()?
        .sender_verify(&connector_id, &sender, &code)
        .await?)
}

/// Follows the sender until its status settles, pushing every status to `on_progress`.
#[tauri::command]
#[specta::specta]
pub async fn sender_follow(
    state: State<'_, AppState>,
    connector_id: String,
    sender: String,
    on_progress: Channel<SenderView>,
) -> Result<SenderView, CommandError> {
    // A status the window can no longer receive is dropped; the result still comes back.
    let push = |view: &SenderView| {
        let _ = on_progress.send(view.clone());
    };
    Ok(state
        .core()?
        .sender_follow(&connector_id, &sender, None, &push)
        .await?)
}

/// Changes the profile and/or webhook; only the fields given change.
#[tauri::command]
#[specta::specta]
pub async fn sender_update(
    state: State<'_, AppState>,
    connector_id: String,
    sender: String,
    draft: SenderUpdateDraft,
) -> Result<SenderView, CommandError> {
    Ok(state
        .core()?
        .sender_update(&connector_id, &sender, &draft)
        .await?)
}

/// Removes the sender at Twilio (show its `removalWarning` first).
#[tauri::command]
#[specta::specta]
pub async fn sender_remove(
    state: State<'_, AppState>,
    connector_id: String,
    sender: String,
) -> Result<RemovedSender, CommandError> {
    Ok(state.core()?.sender_remove(&connector_id, &sender).await?)
}

/// The business categories a sender's profile may name (the spec's `vertical` values).
#[tauri::command]
#[specta::specta]
pub fn sender_verticals() -> Vec<String> {
    VERTICALS.iter().map(|v| (*v).to_owned()).collect()
}
