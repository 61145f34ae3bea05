// No console window next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;

fn main() -> ExitCode {
    // `switchboard-app cli …` (or this binary called as `switchboard`) is the CLI: before anything
    // of the app starts (no window, no single-instance check, no log file).
    if let Some(args) = switchboard_cli::cli_arguments(std::env::args_os()) {
        return switchboard_cli::main(args);
    }
    switchboard_app::run();
    ExitCode::SUCCESS
}
