//! The Tauri shell: window, state and commands. All behaviour lives in `switchboard-core`.

mod commands;
mod error;
pub mod plugins;
mod state;

#[cfg(test)]
mod ipc_concurrency_tests;
#[cfg(test)]
mod ipc_diagnose_tests;
#[cfg(test)]
mod ipc_hostile_tests;
#[cfg(test)]
mod ipc_inspect_tests;
#[cfg(test)]
mod ipc_plugins_tests;
#[cfg(test)]
mod ipc_progress_tests;
#[cfg(test)]
mod ipc_secret_scan_tests;
#[cfg(test)]
mod ipc_senders_tests;
#[cfg(test)]
mod ipc_support;
#[cfg(test)]
mod ipc_tests;
#[cfg(test)]
mod ipc_transfer_tests;

use tauri::{Manager, Runtime};

pub use error::CommandError;
pub use state::{AppState, Keychain, SANDBOX_ENV, Startup};

/// Every command the UI may call, with the types the TypeScript bindings are generated from.
pub fn specta_builder<R: Runtime>() -> tauri_specta::Builder<R> {
    tauri_specta::Builder::<R>::new()
        // What the connector form offers for each kind and provider, with the fields' labels.
        .constant("CONNECTOR_CATALOG", switchboard_core::connector_catalog())
        // Twilio's WhatsApp Sandbox: its number, label and join step, offered as a From.
        .constant("WHATSAPP_SANDBOX", switchboard_core::whatsapp_sandbox())
        // No command names it since it became the tag of the settings; the UI still does.
        .typ::<switchboard_core::ProviderKind>()
        .commands(tauri_specta::collect_commands![
            commands::app::app_status,
            commands::app::app_first_screen,
            commands::orgs::org_list,
            commands::orgs::org_create,
            commands::orgs::org_update,
            commands::transfer::config_export,
            commands::transfer::config_export_save,
            commands::transfer::config_import_preview,
            commands::transfer::config_import_apply,
            commands::connectors::connector_list,
            commands::connectors::connector_get,
            commands::connectors::connector_validate,
            commands::connectors::connector_create,
            commands::connectors::connector_update,
            commands::connectors::connector_delete,
            commands::connectors::connector_check,
            commands::connectors::connector_events,
            commands::sandbox::sandbox_try,
            commands::sandbox::sandbox_leave,
            commands::sandbox::sandbox_whatsapp_join,
            commands::numbers::numbers_active,
            commands::numbers::numbers_page,
            commands::numbers::numbers_refresh,
            commands::numbers::numbers_set_active,
            commands::numbers::webhook_url,
            commands::numbers::webhook_regenerate,
            commands::numbers::webhook_plan,
            commands::numbers::webhook_set,
            commands::numbers::webhook_rollback,
            commands::numbers::webhook_resume,
            commands::numbers::webhook_jobs,
            commands::numbers::drift_report,
            commands::agents::agent_list,
            commands::agents::agent_create,
            commands::agents::agent_rename,
            commands::agents::agent_delete,
            commands::channels::channel_list,
            commands::channels::channel_bind,
            commands::channels::channel_unbind,
            commands::audit::audit_list,
            commands::senders::senders_list,
            commands::senders::sender_get,
            commands::senders::sender_register,
            commands::senders::sender_verify,
            commands::senders::sender_follow,
            commands::senders::sender_update,
            commands::senders::sender_remove,
            commands::senders::sender_verticals,
            commands::messaging::message_send,
            commands::messaging::message_list,
            commands::messaging::message_get,
            commands::messaging::message_reconcile,
            commands::messaging::message_templates,
            commands::messaging::message_stats,
            commands::messaging::log_list,
            commands::messaging::log_export,
            commands::history::messages_sync,
            commands::history::messages_imported,
            commands::diagnose::diagnosis_run,
            commands::diagnose::diagnosis_last,
            commands::diagnose::support_bundle_create,
            commands::inspect::inspector_explain,
            commands::inspect::inspector_start,
            commands::inspect::inspector_stop,
            commands::inspect::inspector_status,
            commands::updates::updates_settings,
            commands::updates::updates_set_check_on_launch,
            commands::updates::updates_check,
            commands::updates::updates_install,
        ])
}

/// How the app starts.
pub enum Launch {
    /// What the real app does: read the environment, open the data folder and the keychain,
    /// bring the demo back (see [`Startup::launch`]), all in Tauri's setup.
    Startup(Startup),
    /// On a state built beforehand (tests of single commands).
    State(AppState),
}

/// Registers the commands on `builder` and the state they work on.
pub fn app_builder<R: Runtime>(builder: tauri::Builder<R>, launch: Launch) -> tauri::Builder<R> {
    let builder = builder
        .invoke_handler(specta_builder::<R>().invoke_handler())
        .manage(commands::app::FirstScreenState::default())
        .manage(commands::inspect::InspectorState::default())
        .manage(commands::updates::UpdatesState::default());
    match launch {
        Launch::State(state) => builder.manage(state),
        Launch::Startup(startup) => builder.setup(move |app| {
            let opening = std::time::Instant::now();
            let mut state = startup.launch();
            commands::app::log_setup(opening);
            if let Some(file) = plugins::log_file(app.handle()) {
                state = state.with_log_file(file);
            }
            // Sends not final yet (up to 72 h old) are followed again in the background.
            if let Ok(core) = state.core() {
                tauri::async_runtime::spawn(async move {
                    let _ = core
                        .messages_resume(switchboard_core::FollowOptions::default(), None)
                        .await;
                });
            }
            app.manage(state);
            commands::updates::check_on_launch(app.handle());
            Ok(())
        }),
    }
}

pub fn run() {
    commands::app::mark_launch();
    let startup = Startup::from_env();
    // The single-instance plugin first: a second launch hands over and exits before anything
    // else starts (never two writers on one database).
    let builder = tauri::Builder::default()
        .plugin(plugins::single_instance(startup.data_dir.as_deref()))
        .plugin(plugins::log())
        .plugin(plugins::window_state())
        .plugin(plugins::updater())
        .plugin(plugins::updates_bridge())
        .on_window_event(plugins::save_window_state)
        .on_page_load(|_, payload| {
            if payload.event() == tauri::webview::PageLoadEvent::Finished {
                commands::app::log_page_loaded();
            }
        });
    let result = app_builder(builder, Launch::Startup(startup)).run(tauri::generate_context!());
    if let Err(error) = result {
        tracing::error!(%error, "the app stopped with an error");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use specta_typescript::Typescript;

    use super::*;

    const BINDINGS: &str = "ui/src/bindings.ts";

    /// The committed TypeScript bindings must match the Rust commands and types. Run with
    /// `UPDATE_BINDINGS=1` to regenerate them (`make bindings`).
    #[test]
    fn typescript_bindings_are_current() {
        let dir = tempfile::tempdir().unwrap();
        let fresh = dir.path().join("bindings.ts");
        specta_builder::<tauri::test::MockRuntime>()
            .export(
                Typescript::default()
                    .header("// Generated by `make bindings`: do not edit.\n// @ts-nocheck"),
                &fresh,
            )
            .unwrap();
        let fresh = std::fs::read_to_string(&fresh).unwrap();
        let committed_path = Path::new(env!("CARGO_MANIFEST_DIR")).join(BINDINGS);
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&committed_path, &fresh).unwrap();
            return;
        }
        let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
        assert!(
            committed == fresh,
            "{BINDINGS} is stale: run `make bindings` and commit the result"
        );
    }

    #[test]
    fn the_identifier_is_the_one_core_uses_for_the_keychain() {
        let config: serde_json::Value =
            serde_json::from_str(include_str!("../../tauri.conf.json")).unwrap();
        assert_eq!(config["identifier"], switchboard_core::APP_IDENTIFIER);
    }

    /// The capability grants exactly the commands there are (no more, no fewer), and build.rs
    /// makes a permission for each of them.
    #[test]
    fn the_capability_grants_exactly_the_commands() {
        use std::collections::BTreeSet;

        let build = include_str!("../build.rs");
        let capability: serde_json::Value =
            serde_json::from_str(include_str!("../capabilities/default.json")).unwrap();
        let granted: BTreeSet<String> = capability["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().to_owned())
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("b.ts");
        specta_builder::<tauri::test::MockRuntime>()
            .export(Typescript::default(), &out)
            .unwrap();
        let bindings = std::fs::read_to_string(out).unwrap();
        // Each command is `__TAURI_INVOKE("name", …)` or `__TAURI_INVOKE<Type>("name")`.
        let commands: BTreeSet<String> = bindings
            .split("__TAURI_INVOKE")
            .skip(1)
            .filter_map(|rest| rest.split_once("(\"")?.1.split('"').next())
            .map(str::to_owned)
            .collect();
        assert!(commands.len() > 10, "{commands:?}");
        let permissions: BTreeSet<String> = commands
            .iter()
            .map(|command| format!("allow-{}", command.replace('_', "-")))
            .collect();
        assert_eq!(
            granted, permissions,
            "capabilities/default.json vs the commands"
        );
        let listed: BTreeSet<String> = build
            .split("commands(&[")
            .nth(1)
            .and_then(|rest| rest.split("])").next())
            .unwrap()
            .split(',')
            .map(|item| item.trim().trim_matches('"').to_owned())
            .filter(|item| !item.is_empty())
            .collect();
        assert_eq!(listed, commands, "build.rs vs the commands");
    }
}
