//! `senders`: WhatsApp senders (Twilio Senders API v2, seed 004). Progress of `--wait` goes to
//! stderr, the result to stdout (`--json`: the sender as core returns it).

use std::io::{BufRead, IsTerminal, Write};

use serde_json::json;
use switchboard_core::last_known::offline_failure;
use switchboard_core::senders::{
    Explained, RemovedSender, SenderDraft, SenderProfileDraft, SenderUpdateDraft,
    SenderVerificationMethod, SenderView, SenderWebhookDraft,
};
use switchboard_core::{CoreError, Switchboard};
use tokio::runtime::Runtime;

use crate::args::{SenderProfileArgs, SenderWebhookArgs, SendersCommand, VerificationMethodArg};
use crate::output::{Failure, Output, stale_line, stale_notice};

pub fn run(
    core: &Switchboard,
    runtime: &Runtime,
    command: SendersCommand,
    out: &Output,
) -> Result<(), Failure> {
    match command {
        SendersCommand::List { connector } => {
            let list = runtime.block_on(core.senders_list_or_last_known(&connector))?;
            // `--json` keeps the list; the freshness goes to stderr.
            stale_notice(&list.freshness, out);
            let senders = list.senders;
            if out.is_json() {
                out.print_json(&senders);
            } else if senders.is_empty() {
                println!(
                    "No WhatsApp senders. Register one with: switchboard senders register \
                     {connector} --sender +E164 --profile-name NAME"
                );
            }
            if !out.is_json() {
                for sender in &senders {
                    print_line(sender);
                }
            }
            Ok(())
        }
        SendersCommand::Show { connector, sender } => {
            let shown = runtime
                .block_on(core.sender_show_or_last_known(&connector, &sender))
                .map_err(sender_flags)?;
            stale_notice(&shown.freshness, out);
            if out.is_json() {
                // The sender's own keys, plus `freshness`.
                out.print_json(&shown);
            } else {
                print_sender(&shown.sender, out);
            }
            Ok(())
        }
        SendersCommand::Register {
            connector,
            sender,
            waba_id,
            verification_method,
            profile,
            webhook,
            wait,
        } => {
            let draft = SenderDraft {
                sender,
                waba_id,
                verification_method: verification_method.map(|m| match m {
                    VerificationMethodArg::Sms => SenderVerificationMethod::Sms,
                    VerificationMethodArg::Voice => SenderVerificationMethod::Voice,
                }),
                profile: profile_draft(profile),
                webhook: webhook_draft(webhook),
            };
            let created = runtime
                .block_on(core.sender_register(&connector, &draft))
                .map_err(|e| Failure::core(e).with_flags(|f| flag_of(f, "--sender")))?;
            finish(core, runtime, &connector, created, wait, out)
        }
        SendersCommand::Verify {
            connector,
            sender,
            code,
            wait,
        } => {
            let verifying = match runtime.block_on(core.sender_verify(&connector, &sender, &code)) {
                Ok(view) => view,
                Err(error) => {
                    if offline_failure(&error).is_some() {
                        last_known_before_verify(core, runtime, &connector, &sender);
                    }
                    return Err(sender_flags(error));
                }
            };
            finish(core, runtime, &connector, verifying, wait, out)
        }
        SendersCommand::Update {
            connector,
            sender,
            profile,
            webhook,
            wait,
        } => {
            let draft = SenderUpdateDraft {
                profile: profile_draft(profile),
                webhook: webhook_draft(webhook),
            };
            let updated = runtime
                .block_on(core.sender_update(&connector, &sender, &draft))
                .map_err(sender_flags)?;
            finish(core, runtime, &connector, updated, wait, out)
        }
        SendersCommand::Remove {
            connector,
            sender,
            yes,
        } => remove(core, runtime, &connector, &sender, yes, out),
    }
}

fn profile_draft(args: SenderProfileArgs) -> SenderProfileDraft {
    SenderProfileDraft {
        name: args.profile_name,
        about: args.about,
        address: args.address,
        description: args.description,
        emails: args.emails,
        logo_url: args.logo_url,
        vertical: args.vertical,
        websites: args.websites,
    }
}

fn webhook_draft(args: SenderWebhookArgs) -> SenderWebhookDraft {
    SenderWebhookDraft {
        callback_url: args.callback_url,
        callback_method: args.callback_method,
        fallback_url: args.fallback_url,
        fallback_method: args.fallback_method,
        status_callback_url: args.status_callback_url,
        status_callback_method: args.status_callback_method,
    }
}

/// Core's field paths → the flags and arguments the user typed.
fn flag_of(field: &str, sender: &str) -> String {
    let indexed = |prefix: &str, flag: &str| {
        field
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(']'))
            .and_then(|index| index.parse::<usize>().ok())
            .map(|index| format!("{flag} #{}", index + 1))
    };
    if let Some(flag) = indexed("profile.emails[", "--email") {
        return flag;
    }
    if let Some(flag) = indexed("profile.websites[", "--website") {
        return flag;
    }
    match field {
        "sender" => sender,
        "code" => "CODE",
        "wabaId" => "--waba-id",
        "verificationMethod" => "--verification-method",
        "profile" => "--profile-name/--about/--callback-url/…",
        "profile.name" => "--profile-name",
        "profile.about" => "--about",
        "profile.address" => "--address",
        "profile.description" => "--description",
        "profile.emails" => "--email",
        "profile.logoUrl" => "--logo-url",
        "profile.vertical" => "--vertical",
        "profile.websites" => "--website",
        "webhook.callbackUrl" => "--callback-url",
        "webhook.callbackMethod" => "--callback-method",
        "webhook.fallbackUrl" => "--fallback-url",
        "webhook.fallbackMethod" => "--fallback-method",
        "webhook.statusCallbackUrl" => "--status-callback-url",
        "webhook.statusCallbackMethod" => "--status-callback-method",
        other => other,
    }
    .to_owned()
}

/// The code could not be sent (the provider out of reach): says on stderr where the sender
/// stood when last seen, so the user knows whether it still waits for the code.
fn last_known_before_verify(core: &Switchboard, runtime: &Runtime, connector: &str, sender: &str) {
    let Ok(shown) = runtime.block_on(core.sender_show_or_last_known(connector, sender)) else {
        return;
    };
    let age = stale_line(&shown.freshness, chrono::Utc::now()).unwrap_or_default();
    eprintln!(
        "The code was not sent. {} was {} ({}) — {age}. Enter the code again once Twilio answers.",
        shown.sender.e164, shown.sender.status, shown.sender.status_words.meaning
    );
}

fn sender_flags(error: CoreError) -> Failure {
    Failure::core(error).with_flags(|field| flag_of(field, "SENDER"))
}

/// Prints the sender, after following it until it settles when `--wait` was given. Exit 1 when
/// it ends offline or does not settle in time.
fn finish(
    core: &Switchboard,
    runtime: &Runtime,
    connector: &str,
    view: SenderView,
    wait: bool,
    out: &Output,
) -> Result<(), Failure> {
    if !wait {
        print_sender(&view, out);
        return Ok(());
    }
    let progress = |step: &SenderView| eprintln!("{}", progress_line(step));
    let last = runtime.block_on(core.sender_follow(connector, &view.sid, None, &progress))?;
    print_sender(&last, out);
    if !last.settled {
        return Err(Failure::operation(format!(
            "{} is still {} after waiting; check again later with `switchboard senders show \
             {connector} {}`",
            last.e164, last.status, last.sid
        ))
        .silent_json());
    }
    if last.status == "OFFLINE" {
        return Err(Failure::operation(format!(
            "{} is offline: {}",
            last.e164,
            last.offline_reasons
                .iter()
                .map(|r| r.meaning.clone())
                .collect::<Vec<_>>()
                .join(" ")
        ))
        .silent_json());
    }
    Ok(())
}

fn progress_line(view: &SenderView) -> String {
    format!(
        "{} {}: {}",
        view.e164, view.status, view.status_words.meaning
    )
}

fn remove(
    core: &Switchboard,
    runtime: &Runtime,
    connector: &str,
    sender: &str,
    yes: bool,
    out: &Output,
) -> Result<(), Failure> {
    let current = runtime
        .block_on(core.sender_show(connector, sender))
        .map_err(sender_flags)?;
    eprintln!("{}", current.removal_warning);
    if !yes && !confirm(&current)? {
        return Err(Failure::bad_input(
            "--yes",
            "Not removed: confirm with --yes (or answer y when asked)",
        ));
    }
    let removed = runtime
        .block_on(core.sender_remove(connector, &current.sid))
        .map_err(sender_flags)?;
    print_removed(&removed, out);
    Ok(())
}

/// Asks on the terminal; without one (a script) there is no answer, so nothing is removed.
fn confirm(sender: &SenderView) -> Result<bool, Failure> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Ok(false);
    }
    eprint!("Remove {} ({})? [y/N] ", sender.e164, sender.sid);
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    stdin
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Failure::operation(format!("could not read the answer: {e}")))?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes"))
}

fn print_removed(removed: &RemovedSender, out: &Output) {
    if out.is_json() {
        return out.print_json(&json!({
            "removed": removed.sid,
            "e164": removed.e164,
            "warning": removed.warning,
        }));
    }
    println!("Removed WhatsApp sender {} ({})", removed.e164, removed.sid);
}

fn print_line(sender: &SenderView) {
    println!(
        "{:<16} {}  {:<20} {}",
        sender.e164, sender.sid, sender.status, sender.status_words.meaning
    );
}

fn explained(label: &str, value: &str, words: &Explained) {
    println!("  {label:<9} {value}: {}", words.meaning);
    if let Some(action) = &words.action {
        println!("            → {action}");
    }
}

fn print_sender(sender: &SenderView, out: &Output) {
    if out.is_json() {
        return out.print_json(sender);
    }
    println!("{}  {}", sender.e164, sender.sid);
    explained("status", &sender.status, &sender.status_words);
    if let (Some(rating), Some(words)) = (&sender.quality_rating, &sender.quality_words) {
        explained("quality", rating, words);
    }
    if let (Some(limit), Some(words)) = (&sender.messaging_limit, &sender.limit_words) {
        explained("limit", limit, words);
    }
    for reason in &sender.offline_reasons {
        println!(
            "  offline   {}{}",
            reason
                .code
                .as_deref()
                .map(|c| format!("{c}: "))
                .unwrap_or_default(),
            reason.meaning
        );
        println!("            fix: {}", reason.fix);
        if let Some(url) = &reason.more_info {
            println!("            more: {url}");
        }
    }
    let profile = &sender.profile;
    let lines = [
        ("name", &profile.name),
        ("about", &profile.about),
        ("address", &profile.address),
        ("about us", &profile.description),
        ("logo", &profile.logo_url),
        ("category", &profile.vertical),
        ("WABA", &sender.waba_id),
        ("webhook", &sender.webhook.callback_url),
        ("fallback", &sender.webhook.fallback_url),
        ("status cb", &sender.webhook.status_callback_url),
    ];
    for (label, value) in lines {
        if let Some(value) = value {
            println!("  {label:<9} {value}");
        }
    }
    for email in &profile.emails {
        println!("  email     {email}");
    }
    for website in &profile.websites {
        println!("  website   {website}");
    }
    if sender.awaiting_code {
        println!(
            "  Next: switchboard senders verify {} {} CODE",
            sender.connector_id, sender.e164
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_named_after_the_flags() {
        assert_eq!(flag_of("profile.emails[1]", "SENDER"), "--email #2");
        assert_eq!(
            flag_of("webhook.callbackMethod", "SENDER"),
            "--callback-method"
        );
        assert_eq!(flag_of("sender", "--sender"), "--sender");
        assert_eq!(flag_of("code", "SENDER"), "CODE");
        assert_eq!(flag_of("profile.vertical", "SENDER"), "--vertical");
    }
}
