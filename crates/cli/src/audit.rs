//! `audit [--org ORG] [--connector ID] [--action A]... [--search TEXT] [--since T] [--until T]
//! [--limit N]`: every admin action with before and after, newest first.

use switchboard_core::{AUDIT_ACTIONS, AuditFilter, CoreError, Switchboard};

use crate::args::AuditArgs;
use crate::messaging::time_flag;
use crate::output::{Failure, Output};

pub fn run(core: &Switchboard, args: AuditArgs, out: &Output) -> Result<(), Failure> {
    let org_id = args
        .org
        .map(|o| core.organization_resolve(&o).map(|o| o.id))
        .transpose()
        .map_err(|e| match e {
            CoreError::NotFound { .. } => Failure::bad_input("--org", e.to_string()),
            other => Failure::from(other),
        })?;
    if let Some(action) = args
        .actions
        .iter()
        .find(|a| !AUDIT_ACTIONS.contains(&a.trim()))
    {
        return Err(Failure::bad_input(
            "--action",
            format!(
                "'{action}' is not an audit action: use one of {}",
                AUDIT_ACTIONS.join(", ")
            ),
        ));
    }
    if !(1..=1000).contains(&args.limit) {
        return Err(Failure::bad_input(
            "--limit",
            format!("{} is out of range: use 1 to 1000", args.limit),
        ));
    }
    let filter = AuditFilter {
        org_id,
        connector_id: args.connector,
        actions: args.actions,
        text: args.search,
        since: args.since.map(|s| time_flag("--since", &s)).transpose()?,
        until: args.until.map(|s| time_flag("--until", &s)).transpose()?,
        before: None,
        limit: Some(args.limit),
    };
    let flags = |field: &str| match field {
        "orgId" => "--org".to_owned(),
        "connectorId" => "--connector".to_owned(),
        "actions" => "--action".to_owned(),
        "text" => "--search".to_owned(),
        "since" => "--since".to_owned(),
        "until" => "--until".to_owned(),
        "limit" => "--limit".to_owned(),
        other => other.to_owned(),
    };
    let page = core
        .audit_log(&filter)
        .map_err(|e| Failure::from(e).with_flags(flags))?;
    if out.is_json() {
        out.print_json(&page.entries);
        return Ok(());
    }
    if page.entries.is_empty() {
        println!("Nothing in the audit log matches.");
    }
    for e in &page.entries {
        println!(
            "{}  {:<30} {:<16} {} → {}",
            e.created_at,
            e.action,
            e.target,
            e.before.as_deref().unwrap_or("-"),
            e.after.as_deref().unwrap_or("-")
        );
    }
    if page.next_before.is_some() {
        eprintln!("(more entries: raise --limit, or narrow with --since / --action / --search)");
    }
    Ok(())
}
