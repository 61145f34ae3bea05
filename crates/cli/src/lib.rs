//! `switchboard`: the command-line tool for support engineers, over the same core as the app.
//! Exit codes: 0 success, 1 the operation failed, 2 bad input.
//!
//! A library so that one binary can serve both: the `switchboard` binary (this crate's, the one
//! the macOS and Windows bundles carry beside the app) and, on Linux, the app's own binary, which
//! the packages' `/usr/bin/switchboard` runs as `switchboard-app cli …` (see [`cli_arguments`]).

mod agents;
mod args;
mod audit;
mod channels;
mod connector;
mod diagnose;
mod history;
mod inspect;
mod messaging;
mod numbers;
mod output;
mod senders;
mod transfer;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use switchboard_core::{CoreError, OrganizationDraft, Switchboard, paths};

use crate::args::{Cli, Command, OnOff, OrgCommand, SettingsCommand};
use crate::output::{Failure, Output};

/// The name the CLI goes by, in its usage, help and `--version`, whichever binary serves it.
const NAME: &str = "switchboard";

/// The first argument that makes the app's binary the CLI: `switchboard-app cli connector list`.
pub const APP_SUBCOMMAND: &str = "cli";

/// The CLI's arguments when a process's arguments (`argv[0]` first) ask the app's binary for the
/// CLI: called as `switchboard` (a link by that name), or with [`APP_SUBCOMMAND`] first. `None`
/// means the app: anything else, the window opening as usual.
pub fn cli_arguments(args: impl IntoIterator<Item = OsString>) -> Option<Vec<OsString>> {
    let mut args = args.into_iter();
    let program = args.next()?;
    let rest: Vec<OsString> = args.collect();
    if Path::new(&program).file_stem() == Some(NAME.as_ref()) {
        return Some(rest);
    }
    match rest.split_first() {
        Some((first, tail)) if first == APP_SUBCOMMAND => Some(tail.to_vec()),
        _ => None,
    }
}

/// Runs the CLI on `args` (without the program name) and says how it ended: 0 success, 1 the
/// operation failed, 2 bad input.
pub fn main(args: Vec<OsString>) -> ExitCode {
    let cli = match Cli::try_parse_from(std::iter::once(OsString::from(NAME)).chain(args)) {
        Ok(cli) => cli,
        Err(error) => {
            let code = if error.use_stderr() { 2 } else { 0 };
            // clap prints help and version to stdout and usage errors to stderr.
            let _ = error.print();
            return ExitCode::from(code);
        }
    };
    let out = Output::new(cli.json);
    match run(cli, &out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => out.failure(&failure),
    }
}

fn open(data_dir: Option<PathBuf>) -> Result<Switchboard, Failure> {
    let dir = data_dir.or_else(paths::default_data_dir).ok_or_else(|| {
        Failure::bad_input(
            "--data-dir",
            "No data folder is known here: pass --data-dir DIR",
        )
    })?;
    Ok(Switchboard::open(&dir)?)
}

fn run(cli: Cli, out: &Output) -> Result<(), Failure> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failure::operation(format!("could not start the async runtime: {e}")))?;
    if let Command::Sandbox {
        port,
        latency_ms,
        concurrency_limit,
        seed,
    } = cli.command
    {
        let config = switchboard_sandbox::SandboxConfig {
            port,
            latency_ms,
            concurrency_limit: concurrency_limit.map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
            seed,
            ..Default::default()
        };
        return runtime
            .block_on(switchboard_sandbox::run_until_ctrl_c(config))
            .map_err(|e| Failure::operation(e.to_string()));
    }
    let core = open(cli.data_dir)?;
    match cli.command {
        Command::Org(command) => org(&core, command, out),
        Command::Connector(command) => connector::run(&core, &runtime, command, out),
        Command::Agent(command) => agents::run(&core, command, out),
        Command::Channel(command) => channels::run(&core, command, out),
        Command::Audit(args) => audit::run(&core, args, out),
        Command::Senders(command) => senders::run(&core, &runtime, *command, out),
        Command::Send(args) => messaging::send(&core, &runtime, args, out),
        Command::Messages(command) => messaging::messages(&core, &runtime, command, out),
        Command::Templates { connector, all } => {
            messaging::templates(&core, &runtime, &connector, all, out)
        }
        Command::Stats { connector, days } => messaging::stats(&core, &connector, days, out),
        Command::Logs(args) => messaging::logs(&core, args, out),
        Command::Export { org, out: file } => transfer::export(&core, &org, file, out),
        Command::Import(args) => transfer::import(&core, &runtime, args, out),
        Command::Diagnose { connector, bundle } => {
            diagnose::run(&core, &runtime, &connector, bundle, out)
        }
        Command::Inspect(args) => inspect::run(&core, &runtime, args, out),
        Command::Settings(SettingsCommand::Updates { value }) => {
            if let Some(value) = value {
                core.set_update_check(matches!(value, OnOff::On))?;
            }
            let enabled = core.update_check_enabled()?;
            if out.is_json() {
                out.print_json(&serde_json::json!({ "updatesCheckOnLaunch": enabled }));
            } else {
                println!(
                    "Check for updates when the app starts: {}",
                    if enabled { "on" } else { "off" }
                );
            }
            Ok(())
        }
        Command::Sandbox { .. } => Ok(()),
        other => numbers::run(&core, &runtime, other, out),
    }
}

fn org(core: &Switchboard, command: OrgCommand, out: &Output) -> Result<(), Failure> {
    match command {
        OrgCommand::Add {
            name,
            inbound_base_url,
        } => {
            let org = core
                .organization_create(&OrganizationDraft {
                    name,
                    inbound_base_url,
                })
                .map_err(|e| Failure::from(e).with_flags(org_flag))?;
            out.organization(&org);
        }
        OrgCommand::Edit {
            name,
            inbound_base_url,
            rename,
        } => {
            let current = core.organization_resolve(&name)?;
            let draft = OrganizationDraft {
                name: rename.unwrap_or(current.name.clone()),
                inbound_base_url: inbound_base_url.or(current.inbound_base_url.clone()),
            };
            let update = core
                .organization_update(&current.id, &draft)
                .map_err(|e| Failure::from(e).with_flags(org_flag))?;
            out.organization(&update.organization);
            if update.numbers_to_reset > 0 {
                eprintln!(
                    "The inbound base URL changed: {} active number(s) must have their webhook set \
                     again (switchboard webhook set ID --all for each connector).",
                    update.numbers_to_reset
                );
            }
        }
        OrgCommand::List => out.organizations(&core.organizations()?),
    }
    Ok(())
}

fn org_flag(field: &str) -> String {
    match field {
        "name" => "NAME".into(),
        "inboundBaseUrl" => "--inbound-base-url".into(),
        other => other.into(),
    }
}

impl From<CoreError> for Failure {
    fn from(error: CoreError) -> Self {
        Failure::core(error)
    }
}

#[cfg(test)]
mod tests {
    use std::ffi::OsString;

    use super::cli_arguments;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_app_binary_is_the_cli_when_asked_by_its_first_argument_or_its_name() {
        assert_eq!(
            cli_arguments(args(&[
                "/usr/bin/switchboard-app",
                "cli",
                "--json",
                "connector",
                "list"
            ])),
            Some(args(&["--json", "connector", "list"]))
        );
        assert_eq!(
            cli_arguments(args(&["/usr/bin/switchboard-app", "cli"])),
            Some(vec![])
        );
        assert_eq!(
            cli_arguments(args(&["/usr/local/bin/switchboard", "--version"])),
            Some(args(&["--version"]))
        );
        assert_eq!(
            cli_arguments(args(&["switchboard.exe", "org", "list"])),
            Some(args(&["org", "list"]))
        );
    }

    #[test]
    fn anything_else_opens_the_app() {
        assert_eq!(cli_arguments(args(&["/usr/bin/switchboard-app"])), None);
        // Only the first argument counts: `cli` later is an argument of something else.
        assert_eq!(
            cli_arguments(args(&["switchboard-app", "--flag", "cli"])),
            None
        );
        assert_eq!(cli_arguments(args(&["switchboard-app", "CLI"])), None);
        assert_eq!(cli_arguments(Vec::<OsString>::new()), None);
    }
}
