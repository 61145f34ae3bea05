//! Test sends, their timeline pushed over a channel, the connector's messages, statistics and the
//! error log.

use switchboard_core::last_known::TemplateList;
use switchboard_core::paths::SavedFile;
use switchboard_core::{
    AttemptFilter, AttemptPage, FollowOptions, LogFilter, LogPage, MessageAttempt, MessagingStats,
    SendRequest,
};
use tauri::State;
use tauri::ipc::Channel;

use crate::error::CommandError;
use crate::state::AppState;

/// Sends a test message and returns the stored attempt at once; every later status change is
/// pushed to `on_progress` while it is followed to a final state in the background.
#[tauri::command]
#[specta::specta]
pub async fn message_send(
    state: State<'_, AppState>,
    connector_id: String,
    request: SendRequest,
    on_progress: Channel<MessageAttempt>,
) -> Result<MessageAttempt, CommandError> {
    let core = state.core()?;
    let attempt = core.message_send(&connector_id, &request).await?;
    let sink: switchboard_core::AttemptSink = std::sync::Arc::new(move |a: &MessageAttempt| {
        // A window that went away drops the update; the attempt is stored either way.
        let _ = on_progress.send(a.clone());
    });
    drop(core.message_follow_in_background(&attempt.id, FollowOptions::default(), Some(sink)));
    Ok(attempt)
}

/// A page of the connector's messages, newest first, filtered (see `AttemptFilter`).
#[tauri::command]
#[specta::specta]
pub async fn message_list(
    state: State<'_, AppState>,
    connector_id: String,
    filter: AttemptFilter,
) -> Result<AttemptPage, CommandError> {
    state
        .run(move |core| core.message_attempts(&connector_id, &filter))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn message_get(
    state: State<'_, AppState>,
    attempt_id: String,
) -> Result<MessageAttempt, CommandError> {
    state
        .run(move |core| core.message_attempt(&attempt_id))
        .await
}

/// "Check": finds out what became of a send whose outcome is unknown (never sends it again).
#[tauri::command]
#[specta::specta]
pub async fn message_reconcile(
    state: State<'_, AppState>,
    attempt_id: String,
) -> Result<MessageAttempt, CommandError> {
    Ok(state.core()?.message_reconcile(&attempt_id).await?)
}

/// The account's WhatsApp templates (approved ones; with `all`, every one with its status), or
/// the last known ones, marked stale, when Twilio cannot be reached.
#[tauri::command]
#[specta::specta]
pub async fn message_templates(
    state: State<'_, AppState>,
    connector_id: String,
    all: bool,
) -> Result<TemplateList, CommandError> {
    Ok(state
        .core()?
        .templates_or_last_known(&connector_id, all)
        .await?)
}

/// The statistics panel, with the chart over the last `days` days.
#[tauri::command]
#[specta::specta]
pub async fn message_stats(
    state: State<'_, AppState>,
    connector_id: String,
    days: u32,
) -> Result<MessagingStats, CommandError> {
    state
        .run(move |core| core.messaging_stats(&connector_id, days))
        .await
}

/// A page of the error log, newest first.
#[tauri::command]
#[specta::specta]
pub async fn log_list(
    state: State<'_, AppState>,
    filter: LogFilter,
) -> Result<LogPage, CommandError> {
    state.run(move |core| core.logs(&filter)).await
}

/// Saves the error log that matches `filter` as CSV into the exports folder (the Downloads
/// folder unless set otherwise) and says where, and how many entries it holds.
#[tauri::command]
#[specta::specta]
pub async fn log_export(
    state: State<'_, AppState>,
    filter: LogFilter,
) -> Result<SavedFile, CommandError> {
    let scope = filter
        .connector_id
        .clone()
        .or_else(|| filter.org_id.clone())
        .unwrap_or_else(|| "all".into());
    let (csv, rows) = state
        .run(move |core| core.logs_csv_counted(&filter))
        .await?;
    state
        .save_export(
            format!("switchboard-logs-{scope}.csv"),
            csv.into_bytes(),
            Some(rows),
        )
        .await
}
