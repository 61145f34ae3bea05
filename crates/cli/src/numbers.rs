//! `numbers`, `webhook` and `drift`.

use serde_json::json;
use switchboard_core::Switchboard;
use switchboard_core::numbers::{
    DriftReport, JobOutcome, JobProgress, NumberList, NumberPage, PhoneNumber, WebhookJob,
    WebhookState,
};
use tokio::runtime::Runtime;

use crate::args::{Command, NumbersCommand, WebhookCommand};
use crate::output::{Failure, Output, stale_notice};

pub fn run(
    core: &Switchboard,
    runtime: &Runtime,
    command: Command,
    out: &Output,
) -> Result<(), Failure> {
    match command {
        Command::Numbers(command) => numbers(core, runtime, command, out),
        Command::Webhook(command) => webhook(core, runtime, command, out),
        Command::Drift { connector } => drift(core, runtime, connector.as_deref(), out),
        _ => Ok(()),
    }
}

fn state_words(state: WebhookState) -> &'static str {
    match state {
        WebhookState::Configured => "Webhook configured",
        WebhookState::NotSet => "Webhook not set up in provider",
        WebhookState::NeedsReset => "Webhook needs to be set again",
        WebhookState::Failed => "Webhook update failed",
        WebhookState::Unknown => "Webhook not checked",
    }
}

/// `noun` says what the list holds: "numbers", "active numbers".
fn print_list(list: &NumberList, noun: &str, out: &Output) {
    stale_notice(&list.freshness, out);
    if out.is_json() {
        return out.print_json(list);
    }
    match &list.fetched_at {
        Some(at) => println!("{} {noun}, fetched {at}", list.numbers.len()),
        None => println!("Never fetched: run `switchboard numbers list ID`"),
    }
    print_numbers(&list.numbers);
}

fn print_page(page: &NumberPage, out: &Output) {
    if out.is_json() {
        return out.print_json(page);
    }
    let Some(at) = &page.fetched_at else {
        return println!("Never fetched: run `switchboard numbers list ID`");
    };
    match page.numbers.len() {
        0 => println!(
            "No numbers from position {} on: the list holds {} ({} active), fetched {at}",
            page.offset, page.total, page.active
        ),
        shown => println!(
            "Numbers {}–{} of {} ({} active), fetched {at}",
            u64::from(page.offset) + 1,
            u64::from(page.offset) + shown as u64,
            page.total,
            page.active
        ),
    }
    print_numbers(&page.numbers);
}

fn print_numbers(numbers: &[PhoneNumber]) {
    for n in numbers {
        let mut line = format!(
            "{:<16} {:<8} {:<28}",
            n.e164,
            if n.active { "active" } else { "-" },
            state_words(n.webhook_state)
        );
        if let Some(status) = &n.provider_status {
            line.push_str(&format!(" {status}"));
        }
        if let Some(agent) = &n.agent {
            line.push_str(&format!(" agent: {}", agent.name));
        }
        if n.gone {
            line.push_str(" (gone from the account)");
        }
        println!("{line}");
        if let Some(reason) = n.webhook_reason.as_deref().filter(|_| n.active) {
            println!("    {reason}");
        }
    }
}

fn numbers(
    core: &Switchboard,
    runtime: &Runtime,
    command: NumbersCommand,
    out: &Output,
) -> Result<(), Failure> {
    let list = match command {
        NumbersCommand::List {
            connector,
            cached,
            offset,
            limit,
            active,
        } => {
            if active {
                // The active ones only: the list is fetched (unless --cached), not read back whole.
                if !cached {
                    let fetched = runtime.block_on(core.numbers_fetch_or_last_known(&connector))?;
                    stale_notice(&fetched.freshness, out);
                }
                print_list(&core.numbers_active(&connector)?, "active numbers", out);
                return Ok(());
            } else if offset.is_none() && limit.is_none() {
                if cached {
                    core.numbers(&connector)?
                } else {
                    runtime.block_on(core.numbers_refresh_or_last_known(&connector))?
                }
            } else {
                // A page: the list is fetched (unless --cached) but not read back whole.
                if !cached {
                    let fetched = runtime.block_on(core.numbers_fetch_or_last_known(&connector))?;
                    stale_notice(&fetched.freshness, out);
                }
                let page = core
                    .numbers_page(&connector, offset.unwrap_or(0), limit.unwrap_or(100))
                    .map_err(|e| Failure::core(e).with_flags(|field| format!("--{field}")))?;
                print_page(&page, out);
                return Ok(());
            }
        }
        NumbersCommand::Activate { connector, numbers } => {
            ensure_listed(core, runtime, &connector)?;
            core.numbers_set_active(&connector, &numbers, true)
                .map_err(number_flags)?;
            core.numbers(&connector)?
        }
        NumbersCommand::Deactivate { connector, numbers } => {
            core.numbers_set_active(&connector, &numbers, false)
                .map_err(number_flags)?;
            core.numbers(&connector)?
        }
    };
    print_list(&list, "numbers", out);
    Ok(())
}

/// Activation needs a list to choose from: fetch it once if it never was.
fn ensure_listed(core: &Switchboard, runtime: &Runtime, connector: &str) -> Result<(), Failure> {
    if core.numbers(connector)?.fetched_at.is_none() {
        runtime.block_on(core.numbers_refresh(connector))?;
    }
    Ok(())
}

fn number_flags(error: switchboard_core::CoreError) -> Failure {
    Failure::core(error).with_flags(|field| {
        // `numbers[2]` → `NUMBER #3`: the third NUMBER argument.
        match field
            .strip_prefix("numbers[")
            .and_then(|rest| rest.strip_suffix(']'))
            .and_then(|index| index.parse::<usize>().ok())
        {
            Some(index) => format!("NUMBER #{}", index + 1),
            None => field.to_owned(),
        }
    })
}

/// Each step of a bulk job on stderr, so stdout keeps only the result (and `--json` stays clean).
fn progress(report: &JobProgress) {
    eprintln!("{}", progress_line(report));
}

fn progress_line(report: &JobProgress) -> String {
    let Some(step) = &report.current else {
        // Not "[…]": a line per number starts with the counts.
        return format!("job {}: {} numbers", report.job_id, report.total);
    };
    let counts = format!("[{}/{}]", report.done, report.total);
    let outcome = match step.outcome {
        JobOutcome::Changed => "set",
        JobOutcome::Failed => "FAILED",
        JobOutcome::Pending => "pending",
    };
    match &step.reason {
        Some(reason) if step.outcome == JobOutcome::Failed => {
            format!("{counts} {} {outcome}: {reason}", step.e164)
        }
        _ => format!("{counts} {} {outcome}", step.e164),
    }
}

fn concurrency(flag: Option<u16>) -> Option<usize> {
    flag.map(usize::from)
}

fn print_job(job: &WebhookJob, out: &Output) -> Result<(), Failure> {
    if out.is_json() {
        out.print_json(job);
    } else {
        println!(
            "job {} ({}, {:?}): {} set, {} failed, {} pending",
            job.id,
            job.kind,
            job.state,
            job.count(JobOutcome::Changed),
            job.count(JobOutcome::Failed),
            job.count(JobOutcome::Pending)
        );
        for item in &job.items {
            println!(
                "  {:<16} {:<8} {} → {}{}",
                item.e164,
                format!("{:?}", item.outcome).to_lowercase(),
                item.previous_url.as_deref().unwrap_or("(none)"),
                item.new_url.as_deref().unwrap_or("(none)"),
                item.reason
                    .as_deref()
                    .map(|r| format!("\n      {r}"))
                    .unwrap_or_default()
            );
            if item.may_have_landed {
                println!(
                    "      (the change may have reached the provider: a rollback restores it)"
                );
            }
        }
    }
    let failed = job.count(JobOutcome::Failed);
    if failed > 0 {
        return Err(Failure::operation(format!(
            "{failed} of {} numbers were not set; see the reasons above. Fix them and run `switchboard webhook resume`/`set` again, or `switchboard webhook rollback {}`.",
            job.items.len(),
            job.id
        ))
        .silent_json());
    }
    Ok(())
}

fn webhook(
    core: &Switchboard,
    runtime: &Runtime,
    command: WebhookCommand,
    out: &Output,
) -> Result<(), Failure> {
    match command {
        WebhookCommand::Url {
            connector,
            regenerate,
        } => {
            let url = if regenerate {
                core.webhook_regenerate(&connector)?
            } else {
                core.webhook_url(&connector)?
            };
            if out.is_json() {
                out.print_json(&url);
            } else {
                match (&url.url, &url.missing_reason) {
                    (Some(u), _) => println!("{u}"),
                    (None, Some(why)) => println!("No URL: {why}"),
                    (None, None) => println!("No URL"),
                }
                if url.needs_reset > 0 {
                    eprintln!(
                        "{} active numbers still have the old URL: run `switchboard webhook set {} --all`",
                        url.needs_reset, url.connector_id
                    );
                }
            }
            Ok(())
        }
        WebhookCommand::Set {
            connector,
            numbers,
            all: _,
            dry_run,
            concurrency: flags,
        } => {
            if dry_run {
                // The preview shows what the provider has now (a set reads it again itself).
                runtime.block_on(core.numbers_refresh(&connector))?;
                let plan = core
                    .webhook_plan(&connector, &numbers)
                    .map_err(number_flags)?;
                if out.is_json() {
                    out.print_json(&json!({ "dryRun": true, "plan": plan }));
                } else {
                    for item in plan {
                        println!(
                            "{:<16} {} → {}",
                            item.e164,
                            item.current_url.as_deref().unwrap_or("(none)"),
                            item.new_url
                        );
                    }
                }
                return Ok(());
            }
            let job = runtime
                .block_on(core.webhook_set(&connector, &numbers, concurrency(flags), &progress))
                .map_err(number_flags)?;
            print_job(&job, out)
        }
        WebhookCommand::Rollback {
            job,
            concurrency: flags,
        } => {
            let job =
                runtime.block_on(core.webhook_rollback(&job, concurrency(flags), &progress))?;
            print_job(&job, out)
        }
        WebhookCommand::Resume {
            job,
            concurrency: flags,
        } => {
            let job = runtime.block_on(core.webhook_resume(&job, concurrency(flags), &progress))?;
            print_job(&job, out)
        }
        WebhookCommand::Jobs { connector } => {
            let jobs = core.webhook_jobs(&connector)?;
            if out.is_json() {
                out.print_json(&jobs);
            } else {
                for job in jobs {
                    println!(
                        "{}  {:<8} {:?}  {}  {} set, {} failed, {} pending",
                        job.id,
                        job.kind,
                        job.state,
                        job.created_at,
                        job.count(JobOutcome::Changed),
                        job.count(JobOutcome::Failed),
                        job.count(JobOutcome::Pending)
                    );
                }
            }
            Ok(())
        }
    }
}

fn drift(
    core: &Switchboard,
    runtime: &Runtime,
    connector: Option<&str>,
    out: &Output,
) -> Result<(), Failure> {
    let DriftReport {
        entries: report,
        freshness,
    } = runtime.block_on(core.drift_or_last_known(connector))?;
    // `--json` keeps the contract's list; the freshness goes to stderr.
    stale_notice(&freshness, out);
    if out.is_json() {
        out.print_json(&report);
        return Ok(());
    }
    if report.is_empty() {
        println!("No active numbers: nothing to compare.");
    }
    for entry in &report {
        if entry.reasons.is_empty() {
            println!("{:<16} {}  ok", entry.e164, entry.connector_name);
        } else {
            println!("{:<16} {}", entry.e164, entry.connector_name);
            println!(
                "    expected: {}",
                entry.expected_url.as_deref().unwrap_or("(none)")
            );
            println!(
                "    actual:   {}",
                entry.actual_url.as_deref().unwrap_or("(none)")
            );
            for reason in &entry.reasons {
                println!("    - {}", reason.describe());
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use switchboard_core::numbers::JobStep;

    use super::*;

    fn report(done: u32, current: Option<JobStep>) -> JobProgress {
        JobProgress {
            job_id: "j1".into(),
            done,
            total: 2,
            changed: 0,
            failed: 0,
            current,
        }
    }

    #[test]
    fn progress_lines_count_numbers_and_give_the_reason_of_a_failure() {
        // Only per-number lines start with "[": scripts count them.
        assert_eq!(progress_line(&report(0, None)), "job j1: 2 numbers");
        let failed = JobStep {
            e164: "+14155550101".into(),
            outcome: JobOutcome::Failed,
            reason: Some("Twilio answered 503".into()),
        };
        assert_eq!(
            progress_line(&report(1, Some(failed))),
            "[1/2] +14155550101 FAILED: Twilio answered 503"
        );
        let set = JobStep {
            e164: "+14155550103".into(),
            outcome: JobOutcome::Changed,
            reason: None,
        };
        assert_eq!(
            progress_line(&report(2, Some(set))),
            "[2/2] +14155550103 set"
        );
    }
}
