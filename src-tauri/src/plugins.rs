//! What desktop users expect of an installed app, from Tauri's own plugins (issue 12 §1): one
//! instance at a time, the window's size and place remembered, a rotating log file, signed
//! in-app updates. Registered by [`crate::run`] only; the IPC tests run without them.

use std::path::Path;
use std::sync::Arc;

use tauri::plugin::TauriPlugin;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_log::{RotationStrategy, Target, TargetKind, TimezoneStrategy};

use crate::commands::updates::UpdatesState;

/// The log file's name in the app's log folder (`switchboard.log`, older ones rotated beside it).
pub const LOG_FILE_NAME: &str = "switchboard";
/// One log file is at most this big before it is rotated…
pub const LOG_MAX_BYTES: u128 = 1_000_000;
/// …and this many rotated files are kept beside the current one.
pub const LOG_KEEP: usize = 4;
/// The log level (`error`, `warn`, `info`, `debug`, `trace`), or a default level followed by
/// `target=level` pairs (`info,switchboard_core=debug`). Info when unset.
pub const LOG_ENV: &str = "SWITCHBOARD_LOG";

/// One instance at a time: a second launch hands over to the first (which comes to the front)
/// and exits, so two apps never write one database at once. On Linux the instance is found on
/// the session bus under a name made from the data folder, so two installs with different data
/// folders (`SWITCHBOARD_DATA_DIR`) may still run side by side.
pub fn single_instance<R: Runtime>(data_dir: Option<&Path>) -> TauriPlugin<R> {
    tauri_plugin_single_instance::Builder::new()
        .dbus_id(dbus_id(data_dir))
        .callback(|app, _args, _cwd| {
            tracing::info!("a second launch was handed over to this window");
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.show();
                let _ = window.set_focus();
            }
        })
        .build()
}

/// `app.switchboard.admin`, with a digest of the data folder when one is given (D-Bus names
/// take letters, digits and `_` in each dot-separated part, which may not start with a digit).
fn dbus_id(data_dir: Option<&Path>) -> String {
    match data_dir {
        None => switchboard_core::APP_IDENTIFIER.to_owned(),
        Some(dir) => {
            // FNV-1a: stable across runs and builds (the std hasher is not).
            let digest = dir
                .as_os_str()
                .as_encoded_bytes()
                .iter()
                .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
                    (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
                });
            format!("{}.d{digest:016x}", switchboard_core::APP_IDENTIFIER)
        }
    }
}

fn window_flags() -> tauri_plugin_window_state::StateFlags {
    use tauri_plugin_window_state::StateFlags;
    StateFlags::SIZE | StateFlags::POSITION | StateFlags::MAXIMIZED
}

/// The window's size, place and maximized state, kept in the app's config folder.
pub fn window_state<R: Runtime>() -> TauriPlugin<R> {
    tauri_plugin_window_state::Builder::new()
        .with_state_flags(window_flags())
        .build()
}

/// The plugin writes its file when the app exits normally; an app that is killed (a session
/// ending, a crash) would forget. So the file is also written whenever the window is resized,
/// moved or closed.
pub fn save_window_state<R: Runtime>(window: &tauri::Window<R>, event: &tauri::WindowEvent) {
    use tauri::WindowEvent;
    use tauri_plugin_window_state::AppHandleExt as _;
    if matches!(
        event,
        WindowEvent::Resized(_)
            | WindowEvent::Moved(_)
            | WindowEvent::CloseRequested { .. }
            | WindowEvent::Destroyed
    ) && let Err(error) = window.app_handle().save_window_state(window_flags())
    {
        tracing::debug!(%error, "could not save the window state");
    }
}

/// The log as the app writes it: the level from [`LOG_ENV`] (info by default), UTC times, the
/// file rotated at [`LOG_MAX_BYTES`] keeping [`LOG_KEEP`] old ones. Its targets are the caller's.
/// `tracing`'s events reach it through tracing's `log` feature (the app sets no tracing
/// subscriber of its own).
pub fn log_builder(spec: Option<&str>) -> tauri_plugin_log::Builder {
    let (level, per_target) = log_levels(spec);
    let mut builder = tauri_plugin_log::Builder::new()
        .clear_targets()
        .level(level)
        .rotation_strategy(RotationStrategy::KeepSome(LOG_KEEP))
        .max_file_size(LOG_MAX_BYTES)
        .timezone_strategy(TimezoneStrategy::UseUtc);
    for (target, level) in per_target {
        builder = builder.level_for(target, level);
    }
    builder
}

/// The app's log plugin: stderr and `switchboard.log` in the app's log folder.
pub fn log<R: Runtime>() -> TauriPlugin<R> {
    let spec = std::env::var(LOG_ENV).ok();
    log_builder(spec.as_deref())
        .targets([
            Target::new(TargetKind::Stderr),
            Target::new(TargetKind::LogDir {
                file_name: Some(LOG_FILE_NAME.to_owned()),
            }),
        ])
        .build()
}

/// Where [`log`] writes: `switchboard.log` in Tauri's app log folder.
pub fn log_file<R: Runtime>(app: &AppHandle<R>) -> Option<std::path::PathBuf> {
    app.path()
        .app_log_dir()
        .ok()
        .map(|dir| dir.join(format!("{LOG_FILE_NAME}.log")))
}

/// `info` / `debug` / `info,switchboard_core=debug,hyper=warn`: the default level and the
/// levels of some targets. What cannot be read is left out (the default stays info).
fn log_levels(
    spec: Option<&str>,
) -> (
    tauri_plugin_log::log::LevelFilter,
    Vec<(String, tauri_plugin_log::log::LevelFilter)>,
) {
    let mut level = tauri_plugin_log::log::LevelFilter::Info;
    let mut per_target = Vec::new();
    for part in spec.unwrap_or_default().split(',').map(str::trim) {
        match part.split_once('=') {
            Some((target, value)) => {
                if let Ok(value) = value.trim().parse() {
                    per_target.push((target.trim().to_owned(), value));
                }
            }
            None => {
                if let Ok(value) = part.parse() {
                    level = value;
                }
            }
        }
    }
    (level, per_target)
}

/// Signed in-app updates: the plugin reads the feed and the public key from tauri.conf.json
/// (`plugins.updater`); the About panel's commands reach it through [`UpdatesState`].
pub fn updater<R: Runtime>() -> TauriPlugin<R, tauri_plugin_updater::Config> {
    tauri_plugin_updater::Builder::new().build()
}

/// Hands the updater to [`UpdatesState`]; registered after [`updater`].
pub fn updates_bridge<R: Runtime>() -> TauriPlugin<R> {
    tauri::plugin::Builder::new("switchboard-updates")
        .setup(|app, _api| {
            use tauri_plugin_updater::UpdaterExt as _;
            let for_check = app.clone();
            let for_restart = app.clone();
            app.state::<UpdatesState>().set_updater(
                Arc::new(move || for_check.updater().map_err(|error| error.to_string())),
                Arc::new(move || {
                    for_restart.restart();
                }),
            );
            Ok(())
        })
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_instance_is_one_per_data_folder() {
        let a = dbus_id(Some(Path::new(
            "/home/alice/.local/share/app.switchboard.admin",
        )));
        let b = dbus_id(Some(Path::new("/tmp/e2e/data")));
        assert_ne!(a, b);
        assert_eq!(
            a,
            dbus_id(Some(Path::new(
                "/home/alice/.local/share/app.switchboard.admin"
            )))
        );
        assert_eq!(dbus_id(None), switchboard_core::APP_IDENTIFIER);
        // A valid D-Bus name: no part starts with a digit, only [A-Za-z0-9_].
        for part in a.split('.') {
            assert!(
                part.chars().next().is_some_and(|c| c.is_ascii_alphabetic()),
                "{a}"
            );
            assert!(
                part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                "{a}"
            );
        }
    }

    #[test]
    fn the_log_level_is_info_unless_set() {
        assert_eq!(log_levels(None).0, tauri_plugin_log::log::LevelFilter::Info);
        assert_eq!(
            log_levels(Some("nonsense")).0,
            tauri_plugin_log::log::LevelFilter::Info
        );
        assert_eq!(
            log_levels(Some("debug")).0,
            tauri_plugin_log::log::LevelFilter::Debug
        );
        let (level, targets) = log_levels(Some("warn,switchboard_core=trace"));
        assert_eq!(level, tauri_plugin_log::log::LevelFilter::Warn);
        assert_eq!(
            targets,
            [(
                "switchboard_core".to_owned(),
                tauri_plugin_log::log::LevelFilter::Trace
            )]
        );
    }
}
