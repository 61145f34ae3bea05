//! `diagnose ID [--bundle FILE]`: every finding printed as it arrives (or one JSON document with
//! `--json`), and optionally the support bundle. Exit 1 when any finding is an error.

use std::path::PathBuf;
use std::sync::Arc;

use switchboard_core::diagnose::{Diagnosis, Finding, FindingSink, Severity, SinceLast};
use switchboard_core::{Switchboard, paths};
use tokio::runtime::Runtime;

use crate::output::{Failure, Output, stale_line};

fn label(severity: Severity) -> &'static str {
    match severity {
        Severity::Ok => "OK     ",
        Severity::Info => "INFO   ",
        Severity::Warning => "WARNING",
        Severity::Error => "ERROR  ",
    }
}

fn print_finding(finding: &Finding) {
    let since = match finding.since_last {
        Some(SinceLast::New) => "  [new since last time]",
        Some(SinceLast::Fixed) => "  [fixed since last time]",
        Some(SinceLast::Again) | None => "",
    };
    println!("{}  {}{since}", label(finding.severity), finding.title);
    println!("         {}", finding.meaning);
    if let Some(fix) = &finding.fix {
        println!("         Fix: {fix}");
    }
    for evidence in &finding.evidence {
        let mut line = evidence.request.clone().unwrap_or_default();
        if let Some(status) = evidence.status {
            line.push_str(&format!(" → {status}"));
        }
        if !evidence.summary.is_empty() {
            line.push_str(&format!(" {}", evidence.summary));
        }
        if let Some(ms) = evidence.latency_ms {
            line.push_str(&format!(" ({ms} ms)"));
        }
        println!("         · {}", line.trim());
    }
}

fn print_summary(diagnosis: &Diagnosis) {
    println!();
    println!(
        "{} error(s), {} warning(s) in {} ms (longest chain of dependent checks: {} ms)",
        diagnosis.errors, diagnosis.warnings, diagnosis.wall_ms, diagnosis.longest_chain_ms
    );
    match &diagnosis.previous_run_at {
        None => println!("First diagnosis of this connector."),
        Some(at) => {
            println!("Compared with the run of {at}:");
            for fixed in &diagnosis.fixed_since_last {
                println!("  fixed since last time: {}", fixed.title);
            }
            for new in diagnosis.new_since_last() {
                println!("  new since last time:   {}", new.title);
            }
            if diagnosis.fixed_since_last.is_empty() && diagnosis.new_since_last().count() == 0 {
                println!("  nothing changed");
            }
        }
    }
}

/// The provider could not be reached: what the last run that reached it found, and how old it
/// is (`--json` carries it as `lastKnown`).
fn print_last_known(diagnosis: &Diagnosis) {
    let Some(known) = &diagnosis.last_known else {
        if diagnosis.provider_unreachable {
            println!("The provider could not be reached, and no earlier run reached it either.");
        }
        return;
    };
    println!();
    if let Some(line) = stale_line(&known.freshness, chrono::Utc::now()) {
        println!("The {line}");
    }
    println!(
        "The last run that reached the provider ({}) found {} error(s), {} warning(s):",
        known.freshness.as_of.as_deref().unwrap_or("unknown time"),
        known.errors,
        known.warnings
    );
    for finding in &known.findings {
        println!("  {}  {}", label(finding.severity), finding.title);
    }
}

pub fn run(
    core: &Switchboard,
    runtime: &Runtime,
    connector: &str,
    bundle: Option<PathBuf>,
    out: &Output,
) -> Result<(), Failure> {
    let sink: Option<FindingSink> = if out.is_json() {
        None
    } else {
        Some(Arc::new(print_finding))
    };
    let diagnosis = runtime.block_on(core.diagnose(connector, sink))?;
    let bundle = match bundle {
        Some(path) => Some(core.support_bundle_with_log(
            &diagnosis,
            &path,
            env!("CARGO_PKG_VERSION"),
            paths::app_log_file().as_deref(),
        )?),
        None => None,
    };
    if out.is_json() {
        let mut value = serde_json::to_value(&diagnosis).unwrap_or_default();
        if let (Some(map), Some(bundle)) = (value.as_object_mut(), &bundle) {
            map.insert(
                "bundle".into(),
                serde_json::to_value(bundle).unwrap_or_default(),
            );
        }
        out.print_json(&value);
    } else {
        print_summary(&diagnosis);
        print_last_known(&diagnosis);
        if let Some(bundle) = &bundle {
            println!(
                "Support bundle written to {} ({} files, {} bytes; identifiers masked, no secret)",
                bundle.path,
                bundle.files.len(),
                bundle.bytes
            );
        }
    }
    if diagnosis.has_errors() {
        let failure = Failure::operation(format!(
            "the diagnosis found {} error(s); each says what to do",
            diagnosis.errors
        ));
        return Err(if out.is_json() {
            failure.silent_json()
        } else {
            failure
        });
    }
    Ok(())
}
