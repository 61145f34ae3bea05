//! `audit [--org ORG]`: every change made to numbers, webhooks and channels, newest first.

use switchboard_core::Switchboard;

use crate::output::{Failure, Output};

pub fn run(
    core: &Switchboard,
    org: Option<String>,
    limit: u32,
    out: &Output,
) -> Result<(), Failure> {
    let org_id = org
        .map(|o| core.organization_resolve(&o).map(|o| o.id))
        .transpose()?;
    let entries = core.audit_log(org_id.as_deref(), limit)?;
    if out.is_json() {
        out.print_json(&entries);
    } else {
        for e in entries {
            println!(
                "{}  {:<18} {:<16} {} → {}",
                e.created_at,
                e.action,
                e.target,
                e.before.as_deref().unwrap_or("-"),
                e.after.as_deref().unwrap_or("-")
            );
        }
    }
    Ok(())
}
