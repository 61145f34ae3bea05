//! Diagnose a connector (findings pushed over a channel as they arrive), its last stored run, and
//! the support bundle.

use std::sync::Arc;

use switchboard_core::diagnose::{BundleInfo, Diagnosis, Finding, FindingSink};
use tauri::State;
use tauri::ipc::Channel;

use crate::error::CommandError;
use crate::state::AppState;

/// Runs the diagnosis; every finding is pushed to `on_finding` as soon as it is known, and the
/// whole stored run (with the comparison to the previous one) is the answer.
#[tauri::command]
#[specta::specta]
pub async fn diagnosis_run(
    state: State<'_, AppState>,
    connector_id: String,
    on_finding: Channel<Finding>,
) -> Result<Diagnosis, CommandError> {
    // A window that went away drops the finding; the run is stored either way.
    let sink: FindingSink = Arc::new(move |finding: &Finding| {
        let _ = on_finding.send(finding.clone());
    });
    Ok(state.core()?.diagnose(&connector_id, Some(sink)).await?)
}

/// The connector's last stored diagnosis, if it has one.
#[tauri::command]
#[specta::specta]
pub async fn diagnosis_last(
    state: State<'_, AppState>,
    connector_id: String,
) -> Result<Option<Diagnosis>, CommandError> {
    state
        .run(move |core| core.diagnosis_last(&connector_id))
        .await
}

/// Writes a support bundle of the last diagnosis (running one first when there is none) into
/// the exports folder (the Downloads folder unless set otherwise), and says where.
#[tauri::command]
#[specta::specta]
pub async fn support_bundle_create(
    state: State<'_, AppState>,
    connector_id: String,
) -> Result<BundleInfo, CommandError> {
    let core = state.core()?;
    let diagnosis = match core.diagnosis_last(&connector_id)? {
        Some(diagnosis) => diagnosis,
        None => core.diagnose(&connector_id, None).await?,
    };
    let folder = state.download_dir().to_owned();
    // The run's own time, in characters every file system takes.
    let stamp: String = diagnosis
        .started_at
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let name = format!("switchboard-support-{}-{stamp}.zip", diagnosis.connector_id);
    // The tail of the app's own log file goes in too (masked and scrubbed like the rest).
    let log_file = state.log_file().map(std::path::Path::to_owned);
    state
        .run(move |core| {
            // A new file every time (`… (2).zip`): a bundle never replaces an earlier one.
            let (path, _reserved) = switchboard_core::paths::create_new_file(&folder, &name)
                .map_err(|error| {
                    switchboard_core::CoreError::Conflict(format!(
                        "Could not create a file in {}: {error}. Check that it is writable, or \
                         set {} to another folder.",
                        folder.display(),
                        switchboard_core::paths::DOWNLOAD_DIR_ENV
                    ))
                })?;
            let made = core.support_bundle_with_log(
                &diagnosis,
                &path,
                env!("CARGO_PKG_VERSION"),
                log_file.as_deref(),
            );
            if made.is_err() {
                // No empty or half-written bundle is left behind.
                let _ = std::fs::remove_file(&path);
            }
            made
        })
        .await
}
