//! `switchboard export ORG` and `switchboard import FILE`: an organization's configuration as a
//! file without secrets, and applying one with a diff first.

use std::io::Read;
use std::path::PathBuf;

use serde_json::json;
use switchboard_core::transfer::ConfigDocument;
use switchboard_core::{
    ImportApplied, ImportChange, ImportPreview, ImportSecret, ImportSelection, Switchboard,
};

use crate::args::ImportArgs;
use crate::output::{Failure, Output};

pub fn export(
    core: &Switchboard,
    org: &str,
    file: Option<PathBuf>,
    out: &Output,
) -> Result<(), Failure> {
    let document = core
        .config_export(org)
        .map_err(|e| Failure::from(e).with_flags(|_| "ORG".into()))?;
    let text = document.to_json()?;
    let Some(path) = file else {
        // The document is the answer, with or without --json.
        print!("{text}");
        return Ok(());
    };
    std::fs::write(&path, &text)
        .map_err(|e| Failure::operation(format!("could not write '{}': {e}", path.display())))?;
    let counts = Counts::of(&document);
    if out.is_json() {
        out.print_json(&json!({
            "path": path.display().to_string(),
            "organization": document.organization.name,
            "connectors": counts.connectors,
            "numbers": counts.numbers,
            "agents": counts.agents,
            "channels": counts.channels,
        }));
    } else {
        println!(
            "Exported '{}' to {}: {} connector(s), {} number(s), {} agent(s), {} channel(s).",
            document.organization.name,
            path.display(),
            counts.connectors,
            counts.numbers,
            counts.agents,
            counts.channels
        );
        println!(
            "The file holds no secret: `switchboard import` asks for each connector's secret \
             (--secret-env CONNECTOR=VAR)."
        );
    }
    Ok(())
}

struct Counts {
    connectors: usize,
    numbers: usize,
    agents: usize,
    channels: usize,
}

impl Counts {
    fn of(document: &ConfigDocument) -> Self {
        Self {
            connectors: document.connectors.len(),
            numbers: document.connectors.iter().map(|c| c.numbers.len()).sum(),
            agents: document.agents.len(),
            channels: document.channels.len(),
        }
    }
}

pub fn import(
    core: &Switchboard,
    runtime: &tokio::runtime::Runtime,
    args: ImportArgs,
    out: &Output,
) -> Result<(), Failure> {
    let text = read(&args.file)?;
    let shown = args.file.display().to_string();
    let preview = core
        .config_import_preview(&text, args.org.as_deref())
        .map_err(|e| in_file(e, &shown))?;
    let keys = match args.only.is_empty() {
        true => preview.default_keys(),
        false => args.only.clone(),
    };
    if args.dry_run {
        if out.is_json() {
            out.print_json(&json!({ "dryRun": true, "preview": preview, "applied": null }));
        } else {
            print_preview(&preview, &keys);
            println!("Dry run: nothing was changed.");
        }
        return Ok(());
    }
    let secrets = secrets(&args.secret_env)?;
    if !out.is_json() {
        print_preview(&preview, &keys);
    }
    let selection = ImportSelection { keys, secrets };
    let applied = runtime
        .block_on(core.config_import(text, args.org.clone(), selection))
        .map_err(|e| selection_failure(e, &args.only))?;
    if out.is_json() {
        out.print_json(&json!({ "dryRun": false, "preview": preview, "applied": applied }));
    } else {
        print_applied(&applied);
    }
    Ok(())
}

fn read(file: &PathBuf) -> Result<String, Failure> {
    if file.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::bad_input("FILE", format!("could not read stdin: {e}")))?;
        return Ok(text);
    }
    std::fs::read_to_string(file).map_err(|e| {
        Failure::bad_input(
            "FILE",
            format!("could not read the file '{}': {e}", file.display()),
        )
    })
}

/// A problem in the file: each line names the path in the file.
fn in_file(error: switchboard_core::CoreError, file: &str) -> Failure {
    let org_missing = matches!(error, switchboard_core::CoreError::NotFound { .. });
    let failure = Failure::from(error);
    match org_missing {
        true => failure.with_flags(|_| "--org".into()),
        false => failure.with_flags(|path| format!("{file}: {path}")),
    }
}

/// A problem with what was asked for: named after --only and --secret-env.
fn selection_failure(error: switchboard_core::CoreError, only: &[String]) -> Failure {
    Failure::from(error).with_flags(|field| {
        if let Some(connector) = field.strip_prefix("secrets.") {
            return format!("--secret-env '{connector}=VAR'");
        }
        if let Some(index) = field
            .strip_prefix("keys[")
            .and_then(|rest| rest.strip_suffix(']'))
            .and_then(|i| i.parse::<usize>().ok())
        {
            return match only.get(index) {
                Some(key) => format!("--only '{key}'"),
                None => "--only".into(),
            };
        }
        format!("--only '{field}'")
    })
}

/// `--secret-env CONNECTOR=VAR`: the secret comes from the variable, never from argv.
fn secrets(pairs: &[String]) -> Result<Vec<ImportSecret>, Failure> {
    pairs
        .iter()
        .map(|pair| {
            let Some((connector, var)) = pair.rsplit_once('=') else {
                return Err(Failure::bad_input(
                    "--secret-env",
                    format!(
                        "'{pair}' should be CONNECTOR=VAR (the name of an environment variable)"
                    ),
                ));
            };
            let secret = std::env::var(var).map_err(|_| {
                Failure::bad_input(
                    "--secret-env",
                    format!(
                        "the environment variable '{var}' (for '{connector}') is not set or not \
                         text"
                    ),
                )
            })?;
            Ok(ImportSecret {
                connector: connector.to_owned(),
                secret,
            })
        })
        .collect()
}

fn print_preview(preview: &ImportPreview, keys: &[String]) {
    match &preview.organization_id {
        Some(_) => println!("Importing into '{}':", preview.organization_name),
        None => println!(
            "Importing into a new organization '{}':",
            preview.organization_name
        ),
    }
    for item in &preview.items {
        let sign = match item.change {
            ImportChange::Added => "+",
            ImportChange::Changed => "~",
            ImportChange::Removed => "-",
            ImportChange::Unchanged => "=",
            ImportChange::Conflict => "!",
        };
        let tick = match item.change {
            ImportChange::Unchanged | ImportChange::Conflict => "   ",
            _ if keys.contains(&item.key) => "[x]",
            _ => "[ ]",
        };
        println!("{tick} {sign} {}  ({})", item.label, item.key);
        for detail in &item.details {
            println!("        {detail}");
        }
        if let Some(prompt) = &item.secret
            && item.change != ImportChange::Unchanged
        {
            let need = if prompt.required {
                "needs"
            } else {
                "may replace"
            };
            println!(
                "        {need} the {}: --secret-env '{}=VAR'",
                prompt.label, prompt.connector
            );
        }
    }
    let unchanged = preview
        .items
        .iter()
        .filter(|i| i.change == ImportChange::Unchanged)
        .count();
    println!(
        "[x] applied, [ ] not applied (name it with --only KEY); {unchanged} item(s) unchanged."
    );
}

fn print_applied(applied: &ImportApplied) {
    println!(
        "Applied {} item(s) to '{}'.",
        applied.applied.len(),
        applied.organization.name
    );
    for connector in &applied.connectors {
        let reason = connector
            .state_reason
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        println!(
            "  {}  {:<24} {}{reason}",
            connector.id,
            connector.name,
            connector.state.as_str()
        );
    }
    if applied.numbers_to_reset > 0 {
        println!(
            "{} active number(s) need their webhook set: switchboard webhook set ID --all for \
             each connector (after `switchboard numbers list ID` to refresh the list).",
            applied.numbers_to_reset
        );
    }
}
