//! Signed in-app updates (tauri-plugin-updater): the About panel's "Check for updates", the
//! stored "check on launch" setting, and installing what a check found. The feed and the public
//! key that every update must be signed with are in tauri.conf.json (`plugins.updater`).
//! `SWITCHBOARD_UPDATES=off` (tests, CI) turns every check off: no request ever leaves.

use std::sync::{Arc, Mutex, PoisonError};

use serde::Serialize;
use tauri::State;
use tauri_plugin_updater::{Update, Updater};

use crate::error::CommandError;
use crate::state::AppState;

/// Builds an updater from the plugin's configuration (the real app registers it with the
/// plugin, see [`crate::plugins`]; a test app without the plugin has none, and a check says so).
pub type UpdaterFactory = Arc<dyn Fn() -> Result<Updater, String> + Send + Sync>;
/// Restarts the app after an update was installed.
pub type Restart = Arc<dyn Fn() + Send + Sync>;

/// The app's updater, the last check's answer, and the update it found (to install).
#[derive(Default)]
pub struct UpdatesState {
    factory: Mutex<Option<UpdaterFactory>>,
    restart: Mutex<Option<Restart>>,
    last: Mutex<Option<UpdateCheck>>,
    found: Mutex<Option<Update>>,
}

impl UpdatesState {
    pub fn set_updater(&self, factory: UpdaterFactory, restart: Restart) {
        *self.factory.lock().unwrap_or_else(PoisonError::into_inner) = Some(factory);
        *self.restart.lock().unwrap_or_else(PoisonError::into_inner) = Some(restart);
    }

    fn factory(&self) -> Option<UpdaterFactory> {
        self.factory
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn last(&self) -> Option<UpdateCheck> {
        self.last
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Asks the release feed once; the answer is kept for the About panel.
    pub async fn check(&self, state: &AppState) -> Result<UpdateCheck, CommandError> {
        if state.updates_disabled_by_env() {
            return Err(CommandError::failed(format!(
                "Update checks are turned off by {}=off.",
                switchboard_core::settings::UPDATES_ENV
            )));
        }
        let Some(factory) = self.factory() else {
            return Err(CommandError::failed(
                "This build of Switchboard cannot update itself.",
            ));
        };
        let updater = factory().map_err(|error| {
            CommandError::failed(format!("Could not prepare the update check: {error}"))
        })?;
        let found = updater.check().await.map_err(|error| {
            tracing::warn!(%error, "the update check failed");
            CommandError::failed(format!(
                "Could not check for updates: {error}. Check the network connection and try \
                 again later."
            ))
        })?;
        let check = UpdateCheck {
            checked_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            available: found.as_ref().map(|update| AvailableUpdate {
                version: update.version.clone(),
                notes: update.body.clone(),
                date: update.date.map(|date| date.to_string()),
            }),
        };
        match &check.available {
            Some(update) => tracing::info!(version = %update.version, "an update is available"),
            None => tracing::info!("no update available"),
        }
        *self.found.lock().unwrap_or_else(PoisonError::into_inner) = found;
        *self.last.lock().unwrap_or_else(PoisonError::into_inner) = Some(check.clone());
        Ok(check)
    }
}

/// What the About panel shows.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct UpdateSettings {
    pub current_version: String,
    /// Look for an update when the app starts (stored in SQLite; `switchboard settings`).
    pub check_on_launch: bool,
    /// `SWITCHBOARD_UPDATES=off`: no check at all, whatever the setting says.
    pub disabled_by_environment: bool,
    /// The last check's answer in this run of the app.
    pub last_check: Option<UpdateCheck>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct UpdateCheck {
    pub checked_at: String,
    /// `None`: this is the newest version.
    pub available: Option<AvailableUpdate>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AvailableUpdate {
    pub version: String,
    pub notes: Option<String>,
    pub date: Option<String>,
}

fn settings(state: &AppState, updates: &UpdatesState) -> Result<UpdateSettings, CommandError> {
    Ok(UpdateSettings {
        current_version: env!("CARGO_PKG_VERSION").to_owned(),
        check_on_launch: state.core()?.update_check_enabled()?,
        disabled_by_environment: state.updates_disabled_by_env(),
        last_check: updates.last(),
    })
}

#[tauri::command]
#[specta::specta]
pub async fn updates_settings(
    state: State<'_, AppState>,
    updates: State<'_, UpdatesState>,
) -> Result<UpdateSettings, CommandError> {
    settings(&state, &updates)
}

/// Turns the check on launch on or off.
#[tauri::command]
#[specta::specta]
pub async fn updates_set_check_on_launch(
    state: State<'_, AppState>,
    updates: State<'_, UpdatesState>,
    enabled: bool,
) -> Result<UpdateSettings, CommandError> {
    state
        .run(move |core| core.set_update_check(enabled))
        .await?;
    settings(&state, &updates)
}

/// "Check for updates": asks the release feed now.
#[tauri::command]
#[specta::specta]
pub async fn updates_check(
    state: State<'_, AppState>,
    updates: State<'_, UpdatesState>,
) -> Result<UpdateCheck, CommandError> {
    updates.check(&state).await
}

/// Downloads the update the last check found, verifies its signature against the public key in
/// tauri.conf.json, installs it and restarts the app (Windows: the installer closes it).
#[tauri::command]
#[specta::specta]
pub async fn updates_install(
    state: State<'_, AppState>,
    updates: State<'_, UpdatesState>,
) -> Result<(), CommandError> {
    if state.updates_disabled_by_env() {
        return Err(CommandError::failed(format!(
            "Updates are turned off by {}=off.",
            switchboard_core::settings::UPDATES_ENV
        )));
    }
    let found = updates
        .found
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    let Some(update) = found else {
        return Err(CommandError::failed(
            "No update to install: check for updates first.",
        ));
    };
    tracing::info!(version = %update.version, "installing an update");
    update
        .download_and_install(|_, _| {}, || {})
        .await
        .map_err(|error| {
            tracing::warn!(%error, "the update could not be installed");
            CommandError::failed(format!(
                "Could not install the update: {error}. The current version keeps working."
            ))
        })?;
    let restart = updates
        .restart
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    if let Some(restart) = restart {
        restart();
    }
    Ok(())
}

/// The check on launch, in the background: only when neither the environment nor the stored
/// setting turned it off.
pub fn check_on_launch<R: tauri::Runtime>(app: &tauri::AppHandle<R>) {
    use tauri::Manager;
    let handle = app.clone();
    tauri::async_runtime::spawn(async move {
        let state = handle.state::<AppState>();
        if state.updates_disabled_by_env() {
            tracing::info!("update checks are turned off by the environment");
            return;
        }
        let enabled = state
            .core()
            .and_then(|core| core.update_check_enabled().map_err(CommandError::from));
        if !matches!(enabled, Ok(true)) {
            return;
        }
        let _ = handle.state::<UpdatesState>().check(&state).await;
    });
}
