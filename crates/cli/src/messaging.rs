//! `send`, `messages list|show|check`, `stats` and `logs`.

use std::sync::Arc;

use chrono::{Duration, NaiveDate, Utc};
use serde_json::json;
use switchboard_core::{
    AttemptFilter, FollowOptions, LogFilter, MessageAttempt, Outcome, SendRequest, Switchboard,
};
use tokio::runtime::Runtime;

use crate::args::{LogFormat, LogsArgs, MessagesCommand, SendArgs};
use crate::output::{Failure, Output, stale_notice};

/// The flag a field of a send names.
fn send_flag(field: &str) -> String {
    match field {
        "to" => "--to",
        "from" => "--from",
        "text" | "kind" => "--text",
        "media" => "--media",
        "caption" => "--caption",
        "template" => "--template",
        "variables" => "--var",
        "validityPeriod" => "--validity-period",
        "statusCallback" => "--status-callback",
        "connector" => "ID",
        other => other,
    }
    .to_owned()
}

pub fn send(
    core: &Switchboard,
    runtime: &Runtime,
    args: SendArgs,
    out: &Output,
) -> Result<(), Failure> {
    let mut variables = std::collections::BTreeMap::new();
    for pair in &args.vars {
        let Some((name, value)) = pair.split_once('=') else {
            return Err(Failure::bad_input(
                "--var",
                format!("'{pair}' is not NAME=VALUE, e.g. --var 1=Alice"),
            ));
        };
        variables.insert(name.trim().to_owned(), value.to_owned());
    }
    let request = SendRequest {
        from: args.from,
        to: args.to,
        text: args.text,
        media: args.media,
        caption: args.caption,
        template: args.template,
        variables,
        validity_period: args.validity_period,
        status_callback: args.status_callback,
    };
    let mut attempt = runtime
        .block_on(core.message_send(&args.connector, &request))
        .map_err(|e| Failure::from(e).with_flags(send_flag))?;
    if attempt.from == switchboard_core::WHATSAPP_SANDBOX_NUMBER && !attempt.failed() {
        // Twilio takes the message either way; say now what makes it arrive.
        let sandbox = switchboard_core::whatsapp_sandbox();
        eprintln!("Sent from {}: {}", sandbox.label, sandbox.join_fix);
    }
    if args.wait && !attempt.r#final {
        eprintln!("{}: {}", attempt.id, attempt.status);
        let progress: switchboard_core::AttemptSink =
            Arc::new(|a: &MessageAttempt| eprintln!("{}: {}", a.id, a.status));
        attempt = runtime.block_on(core.message_follow(
            &attempt.id,
            FollowOptions::default(),
            Some(progress),
        ))?;
    }
    if out.is_json() {
        out.print_json(&json!({
            "id": attempt.id,
            "providerMessageId": attempt.provider_message_id,
            "status": attempt.status,
            "outcome": attempt.outcome,
            "final": attempt.r#final,
            "code": attempt.error_kind,
            "providerCode": attempt.error_code,
            "message": attempt.error_message,
            "cause": attempt.cause,
            "fix": attempt.fix,
            "fallback": {"status": attempt.fallback_status, "to": attempt.fallback_to},
        }));
    } else {
        print_attempt(&attempt);
    }
    outcome_exit(&attempt, out)
}

/// Exit 1 for a send that failed, or whose outcome is still unknown (a script must not take it
/// for sent).
fn outcome_exit(attempt: &MessageAttempt, out: &Output) -> Result<(), Failure> {
    let failure = match attempt.outcome {
        Outcome::Failed => Failure::operation(format!(
            "the message was not sent or not delivered ({}{})",
            attempt.status,
            attempt
                .error_code
                .as_deref()
                .map(|c| format!(", code {c}"))
                .unwrap_or_default()
        )),
        Outcome::Unknown | Outcome::Sending => Failure::operation(format!(
            "whether the message went out is unknown: run `switchboard messages check {}` \
             (do not send it again before)",
            attempt.id
        )),
        Outcome::Sent | Outcome::Delivered => return Ok(()),
    };
    Err(if out.is_json() {
        failure.silent_json()
    } else {
        failure
    })
}

fn print_attempt(attempt: &MessageAttempt) {
    println!("{}  {} → {}", attempt.id, attempt.from, attempt.to);
    let provider_id = attempt
        .provider_message_id
        .as_deref()
        .map(|id| format!(" ({id})"))
        .unwrap_or_default();
    let finality = if attempt.r#final {
        "final"
    } else {
        "not final yet"
    };
    println!("  status:  {}{provider_id}, {finality}", attempt.status);
    if let Some(body) = &attempt.body {
        println!("  text:    {body}");
    }
    for url in &attempt.media_urls {
        println!("  media:   {url}");
    }
    if let Some(sid) = &attempt.template_sid {
        println!("  template: {sid}");
    }
    if let Some(kind) = &attempt.error_kind {
        let code = attempt
            .error_code
            .as_deref()
            .map(|c| format!(" · provider code {c}"))
            .unwrap_or_default();
        println!("  code:    {kind}{code}");
    }
    if let Some(message) = &attempt.error_message {
        println!("  said:    {message}");
    }
    if let Some(cause) = &attempt.cause {
        println!("  cause:   {cause}");
    }
    if let Some(fix) = &attempt.fix {
        println!("  fix:     {fix}");
    }
    if let Some(price) = &attempt.price {
        println!(
            "  price:   {price} {}",
            attempt.price_unit.as_deref().unwrap_or_default()
        );
    }
    for change in &attempt.history {
        println!("  {}  {}", change.at, change.status);
    }
}

pub fn messages(
    core: &Switchboard,
    runtime: &Runtime,
    command: MessagesCommand,
    out: &Output,
) -> Result<(), Failure> {
    match command {
        MessagesCommand::Sync { connector } => crate::history::sync(core, runtime, &connector, out),
        MessagesCommand::History { connector, limit } => {
            crate::history::list(core, &connector, limit, out)
        }
        MessagesCommand::List {
            connector,
            status,
            number,
            since,
            until,
            limit,
            cursor,
        } => {
            if !(1..=1000).contains(&limit) {
                return Err(Failure::bad_input(
                    "--limit",
                    format!("{limit} is not a page size: use 1 to 1000"),
                ));
            }
            let filter = AttemptFilter {
                status,
                number,
                since: since.map(|s| time_flag("--since", &s)).transpose()?,
                until: until.map(|s| time_flag("--until", &s)).transpose()?,
                cursor,
                limit: Some(limit),
            };
            let page = core.message_attempts(&connector, &filter).map_err(|e| {
                Failure::from(e).with_flags(|f| match f {
                    "since" | "until" | "number" | "cursor" | "status" => format!("--{f}"),
                    other => other.into(),
                })
            })?;
            let attempts = page.attempts;
            // The page's last id is the next page's cursor; JSON keeps its plain list.
            if let Some(next) = &page.next_cursor {
                eprintln!("More messages follow: add --cursor {next}");
            }
            if out.is_json() {
                out.print_json(&attempts);
            } else {
                if attempts.is_empty() {
                    println!(
                        "No messages yet. Send one with: switchboard send ID --to NUMBER --text T"
                    );
                }
                for a in attempts {
                    println!(
                        "{}  {}  {:<14} {:<12} {} → {}",
                        a.id,
                        a.created_at,
                        a.status,
                        a.error_code.as_deref().unwrap_or("-"),
                        a.from,
                        a.to
                    );
                }
            }
            Ok(())
        }
        MessagesCommand::Show { attempt } => {
            let attempt = core.message_attempt(&attempt)?;
            if out.is_json() {
                out.print_json(&attempt);
            } else {
                print_attempt(&attempt);
            }
            Ok(())
        }
        MessagesCommand::Check { attempt } => {
            let attempt = runtime.block_on(core.message_reconcile(&attempt))?;
            if out.is_json() {
                out.print_json(&attempt);
            } else {
                print_attempt(&attempt);
            }
            outcome_exit(&attempt, out)
        }
    }
}

/// `templates`: `--json` gives a list of {sid, name, language, category, status, variables}.
pub fn templates(
    core: &Switchboard,
    runtime: &Runtime,
    connector: &str,
    all: bool,
    out: &Output,
) -> Result<(), Failure> {
    let list = runtime.block_on(core.templates_or_last_known(connector, all))?;
    // `--json` keeps the contract's list; the freshness goes to stderr.
    stale_notice(&list.freshness, out);
    let templates = list.templates;
    if out.is_json() {
        out.print_json(&templates);
        return Ok(());
    }
    if templates.is_empty() {
        println!(
            "No {}templates in this account.",
            if all { "" } else { "approved " }
        );
    }
    for template in &templates {
        let variables: Vec<String> = template
            .variables
            .iter()
            .map(|v| match &v.default {
                Some(default) => format!("{}={default}", v.name),
                None => v.name.clone(),
            })
            .collect();
        println!(
            "{}  {}  {}  {}  {}",
            template.sid,
            template.name,
            template.language.as_deref().unwrap_or("-"),
            template.category.as_deref().unwrap_or("-"),
            template.status
        );
        if let Some(body) = &template.body {
            println!("    {body}");
        }
        if !variables.is_empty() {
            println!("    variables: {}", variables.join(", "));
        }
    }
    Ok(())
}

pub fn stats(core: &Switchboard, connector: &str, days: u32, out: &Output) -> Result<(), Failure> {
    let stats = core.messaging_stats(connector, days)?;
    if out.is_json() {
        // Exactly the keys of the CLI contract.
        out.print_json(&json!({
            "totalSent": stats.total_sent,
            "totalFails": stats.total_fails,
            "sentThisMonth": stats.sent_this_month,
            "successRate": stats.success_rate,
            "attempts": stats.attempts,
            "lastSent": stats.last_sent,
            "lastFailed": stats.last_failed,
            "lastError": stats.last_error,
        }));
        return Ok(());
    }
    let none = || "-".to_owned();
    println!("Total Sent:     {}", stats.total_sent);
    println!("Total Fails:    {}", stats.total_fails);
    println!("Sent This Month: {}", stats.sent_this_month);
    println!(
        "Success Rate:   {}",
        stats
            .success_rate
            .map_or_else(none, |rate| format!("{rate:.1}%"))
    );
    println!("Attempts:       {}", stats.attempts);
    println!(
        "Last Sent:      {}",
        stats.last_sent.clone().unwrap_or_else(none)
    );
    println!(
        "Last Failed:    {}",
        stats.last_failed.clone().unwrap_or_else(none)
    );
    match &stats.last_error {
        Some(error) => println!(
            "Last Error:     {} ({}) at {}",
            error.message,
            error.code.as_deref().unwrap_or("no code"),
            error.at
        ),
        None => println!("Last Error:     -"),
    }
    if let (Some(p50), Some(p95)) = (stats.delivery_p50_ms, stats.delivery_p95_ms) {
        println!(
            "Delivery time:  p50 {:.1} s, p95 {:.1} s",
            f64::from(p50) / 1000.0,
            f64::from(p95) / 1000.0
        );
    }
    for error in &stats.top_errors {
        println!(
            "  {:>4} × {}  {}",
            error.count,
            error.code,
            error.fix.as_deref().unwrap_or_default()
        );
    }
    Ok(())
}

/// A time as typed: RFC 3339, a date (midnight UTC), or an age such as `24h` / `7d` / `30m`.
pub(crate) fn time_flag(flag: &str, value: &str) -> Result<String, Failure> {
    let value = value.trim();
    let stamp = |t: chrono::DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    if let Ok(time) = chrono::DateTime::parse_from_rfc3339(value) {
        return Ok(stamp(time.with_timezone(&Utc)));
    }
    if let Ok(date) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        return Ok(stamp(
            date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(),
        ));
    }
    let (number, unit) = value.split_at(value.len().saturating_sub(1));
    let age = number.parse::<i64>().ok().and_then(|n| match unit {
        "d" => Some(Duration::days(n)),
        "h" => Some(Duration::hours(n)),
        "m" => Some(Duration::minutes(n)),
        _ => None,
    });
    match age {
        Some(age) => Ok(stamp(Utc::now() - age)),
        None => Err(Failure::bad_input(
            flag,
            format!("'{value}' is not a time: use 2026-01-31T09:00:00Z, 2026-01-31, 24h or 7d"),
        )),
    }
}

pub fn logs(core: &Switchboard, args: LogsArgs, out: &Output) -> Result<(), Failure> {
    let org_id = args
        .org
        .map(|o| core.organization_resolve(&o).map(|o| o.id))
        .transpose()?;
    let filter = LogFilter {
        connector_id: args.connector,
        org_id,
        level: args.level,
        kind: args.kind,
        action: args.action,
        number: args.number,
        since: args.since.map(|s| time_flag("--since", &s)).transpose()?,
        until: args.until.map(|s| time_flag("--until", &s)).transpose()?,
        text: args.text,
        before: None,
        limit: Some(args.limit),
    };
    let flags = |field: &str| match field {
        "level" => "--level".to_owned(),
        "action" => "--action".to_owned(),
        "since" => "--since".to_owned(),
        "until" => "--until".to_owned(),
        other => other.to_owned(),
    };
    let format = args.format.unwrap_or(if out.is_json() {
        LogFormat::Json
    } else {
        LogFormat::Text
    });
    if format == LogFormat::Csv {
        let csv = core
            .logs_csv(&filter)
            .map_err(|e| Failure::from(e).with_flags(flags))?;
        print!("{csv}");
        return Ok(());
    }
    let page = core
        .logs(&filter)
        .map_err(|e| Failure::from(e).with_flags(flags))?;
    if format == LogFormat::Json {
        out.print_json(&page.entries);
        return Ok(());
    }
    if page.entries.is_empty() {
        println!("Nothing in the log matches.");
    }
    for e in &page.entries {
        let code = match (&e.kind, &e.code) {
            (Some(kind), Some(code)) => format!("{kind} {code}"),
            (Some(kind), None) => kind.clone(),
            (None, Some(code)) => code.clone(),
            (None, None) => "-".into(),
        };
        println!(
            "{}  {:<7} {:<16} {:<28} {:<14} {}",
            e.at,
            e.level,
            e.action,
            code,
            e.number.as_deref().unwrap_or("-"),
            e.message
        );
    }
    if page.next_before.is_some() {
        eprintln!("(more rows: raise --limit, or narrow with --since / --level / --action)");
    }
    Ok(())
}
