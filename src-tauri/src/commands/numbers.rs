use switchboard_core::numbers::{
    DriftReport, JobProgress, NumberList, NumberPage, NumberSummary, WebhookJob, WebhookPlanItem,
    WebhookUrl,
};
use tauri::State;
use tauri::ipc::Channel;

use crate::error::CommandError;
use crate::state::AppState;

/// The last fetched list's active numbers still in the account: what the pickers of an agent's
/// channel and of a test send's sender offer (a list of thousands is not read for a handful).
#[tauri::command]
#[specta::specta]
pub async fn numbers_active(
    state: State<'_, AppState>,
    connector_id: String,
) -> Result<NumberList, CommandError> {
    state
        .run(move |core| core.numbers_active(&connector_id))
        .await
}

/// `limit` numbers of the last fetched list from position `offset`, with the list's counts: the
/// Numbers section reads the rows it shows as it scrolls.
#[tauri::command]
#[specta::specta]
pub async fn numbers_page(
    state: State<'_, AppState>,
    connector_id: String,
    offset: u32,
    limit: u32,
) -> Result<NumberPage, CommandError> {
    state
        .run(move |core| core.numbers_page(&connector_id, offset, limit))
        .await
}

/// Fetches the provider's list again (all pages) and says how many numbers it holds and how
/// fresh it is (the rows follow a page at a time, `numbers_page`); when the provider cannot be
/// reached, the kept list's counts with `freshness.stale` and why.
#[tauri::command]
#[specta::specta]
pub async fn numbers_refresh(
    state: State<'_, AppState>,
    connector_id: String,
) -> Result<NumberSummary, CommandError> {
    Ok(state
        .core()?
        .numbers_fetch_or_last_known(&connector_id)
        .await?)
}

#[tauri::command]
#[specta::specta]
pub async fn numbers_set_active(
    state: State<'_, AppState>,
    connector_id: String,
    numbers: Vec<String>,
    active: bool,
) -> Result<NumberSummary, CommandError> {
    state
        .run(move |core| core.numbers_set_active(&connector_id, &numbers, active))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn webhook_url(
    state: State<'_, AppState>,
    connector_id: String,
) -> Result<WebhookUrl, CommandError> {
    state.run(move |core| core.webhook_url(&connector_id)).await
}

/// A new URL; every active number is flagged "Webhook needs to be set again".
#[tauri::command]
#[specta::specta]
pub async fn webhook_regenerate(
    state: State<'_, AppState>,
    connector_id: String,
) -> Result<WebhookUrl, CommandError> {
    state
        .run(move |core| core.webhook_regenerate(&connector_id))
        .await
}

/// Old → new per number, changing nothing (`numbers` empty: every active number).
#[tauri::command]
#[specta::specta]
pub async fn webhook_plan(
    state: State<'_, AppState>,
    connector_id: String,
    numbers: Vec<String>,
) -> Result<Vec<WebhookPlanItem>, CommandError> {
    state
        .run(move |core| core.webhook_plan(&connector_id, &numbers))
        .await
}

/// Sets and reads back the webhook on the numbers, pushing each step to `on_progress`.
#[tauri::command]
#[specta::specta]
pub async fn webhook_set(
    state: State<'_, AppState>,
    connector_id: String,
    numbers: Vec<String>,
    on_progress: Channel<JobProgress>,
) -> Result<WebhookJob, CommandError> {
    let push = forward(&on_progress);
    Ok(state
        .core()?
        .webhook_set(&connector_id, &numbers, None, &push)
        .await?)
}

#[tauri::command]
#[specta::specta]
pub async fn webhook_rollback(
    state: State<'_, AppState>,
    job_id: String,
    on_progress: Channel<JobProgress>,
) -> Result<WebhookJob, CommandError> {
    let push = forward(&on_progress);
    Ok(state.core()?.webhook_rollback(&job_id, None, &push).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn webhook_resume(
    state: State<'_, AppState>,
    job_id: String,
    on_progress: Channel<JobProgress>,
) -> Result<WebhookJob, CommandError> {
    let push = forward(&on_progress);
    Ok(state.core()?.webhook_resume(&job_id, None, &push).await?)
}

/// Core's progress sink, sending to the UI. A message that cannot be delivered (the window
/// went away) is dropped: the job itself goes on and its journal holds every result.
fn forward(channel: &Channel<JobProgress>) -> impl Fn(&JobProgress) + Send + Sync + '_ {
    move |progress| {
        let _ = channel.send(progress.clone());
    }
}

/// The connector's bulk jobs, newest first (an interrupted one can be resumed).
#[tauri::command]
#[specta::specta]
pub async fn webhook_jobs(
    state: State<'_, AppState>,
    connector_id: String,
) -> Result<Vec<WebhookJob>, CommandError> {
    state
        .run(move |core| core.webhook_jobs(&connector_id))
        .await
}

/// Expected vs actual webhooks; a provider out of reach is compared from its last known list.
#[tauri::command]
#[specta::specta]
pub async fn drift_report(
    state: State<'_, AppState>,
    connector_id: Option<String>,
) -> Result<DriftReport, CommandError> {
    Ok(state
        .core()?
        .drift_or_last_known(connector_id.as_deref())
        .await?)
}
