//! `messages sync`: import a connector's message history from its provider now.

use switchboard_core::Switchboard;
use switchboard_core::history::SyncReport;
use tokio::runtime::Runtime;

use crate::output::{Failure, Output, stale_notice};

/// Imports now; `--json` prints the report (`connectorId`, `fetched`, `new`, `updated`,
/// `pages`, `since`, `first`, `freshness`). The provider out of reach: the last import's
/// state with its age, exit 0.
pub fn sync(
    core: &Switchboard,
    runtime: &Runtime,
    connector: &str,
    out: &Output,
) -> Result<(), Failure> {
    let report = runtime.block_on(core.messages_sync_or_last_known(connector))?;
    print_report(&report, out);
    Ok(())
}

fn print_report(report: &SyncReport, out: &Output) {
    // `--json` carries `freshness`; the notice goes to stderr there.
    stale_notice(&report.freshness, out);
    if out.is_json() {
        return out.print_json(report);
    }
    if report.freshness.stale {
        println!(
            "Nothing imported: the messages stay as the last import left them (it asked for \
             messages sent since {}). Import again once the provider answers.",
            report.since
        );
        return;
    }
    println!(
        "Fetched {} messages in {} page(s): {} new, {} updated",
        report.fetched, report.pages, report.new, report.updated
    );
    let window = if report.first {
        "first import: the last 30 days"
    } else {
        "since the last import, with an overlap"
    };
    println!("Asked for messages sent since {} ({window})", report.since);
}

/// `messages history`: what the imports stored, newest first.
pub fn list(core: &Switchboard, connector: &str, limit: u32, out: &Output) -> Result<(), Failure> {
    let messages = core.imported_messages(connector, limit)?;
    if out.is_json() {
        out.print_json(&messages);
        return Ok(());
    }
    if messages.is_empty() {
        println!("Nothing imported yet. Import with: switchboard messages sync ID");
    }
    for m in messages {
        println!(
            "{}  {:<8} {:<12} {:<10} {} → {}  {}",
            m.sent_at,
            m.direction,
            m.status,
            m.error_code.as_deref().unwrap_or("-"),
            m.from,
            m.to,
            m.body_excerpt.as_deref().unwrap_or("")
        );
    }
    Ok(())
}
