//! `inspect --paste FILE|-`: explains a webhook request captured on the hotel's own server;
//! `inspect [--port P] [--bind ADDR]`: listens and explains each webhook as it arrives.

use std::io::Read as _;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use switchboard_core::Switchboard;
use switchboard_core::inspect::{
    InspectReport, InspectedRequest, ListenOptions, RequestSink, Verdict, WebhookKind,
    parse_captured,
};
use tokio::runtime::Runtime;

use crate::args::InspectArgs;
use crate::output::{Failure, Output};

fn print_received(seen: &InspectedRequest, json: bool) {
    if json {
        println!("{}", serde_json::to_string(seen).unwrap_or_default());
        return;
    }
    println!();
    println!("{}  {} → {}", seen.received_at, seen.method, seen.answered);
    print_report(&seen.report);
    if let Some(applied) = &seen.applied {
        println!("  Recorded:    {applied}");
    }
}

fn listen(
    core: &Switchboard,
    runtime: &Runtime,
    args: InspectArgs,
    out: &Output,
) -> Result<(), Failure> {
    let json = out.is_json();
    let sink: RequestSink = Arc::new(move |seen| print_received(seen, json));
    let options = ListenOptions {
        bind: args.bind.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        port: args.port,
        allow_remote: args.allow_remote,
    };
    runtime.block_on(async {
        let listener = core
            .inspector_listen(options, Some(sink))
            .await
            .map_err(|e| {
                Failure::from(e).with_flags(|field| match field {
                    "bind" => "--bind".into(),
                    other => other.into(),
                })
            })?;
        if json {
            println!("{}", serde_json::json!({ "listening": listener.url() }));
        } else {
            println!(
                "Listening on {} for webhooks at /inbound/{{connector}}/{{token}} (Ctrl-C stops).",
                listener.url()
            );
            println!(
                "Providers cannot reach this computer directly: forward to it (a tunnel or your \
                 server's proxy), or paste captured requests with --paste."
            );
        }
        let _ = tokio::signal::ctrl_c().await;
        let counts = listener.counts();
        listener.stop().await;
        eprintln!(
            "Stopped: {} inbound message(s) ({} stored), {} status callback(s) ({} recorded on \
             attempts), {} refused.",
            counts.inbound_messages,
            counts.inbound_stored,
            counts.status_callbacks,
            counts.attempts_updated,
            counts.refused
        );
        Ok(())
    })
}

pub fn run(
    core: &Switchboard,
    runtime: &Runtime,
    args: InspectArgs,
    out: &Output,
) -> Result<(), Failure> {
    let Some(path) = args.paste else {
        return listen(core, runtime, args, out);
    };
    let text = if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::bad_input("--paste", format!("could not read stdin: {e}")))?;
        text
    } else {
        std::fs::read_to_string(&path).map_err(|e| {
            Failure::bad_input("--paste", format!("could not read {}: {e}", path.display()))
        })?
    };
    let request =
        parse_captured(&text).map_err(|e| Failure::bad_input("--paste", e.to_string()))?;
    let report = core.inspector_explain(&request)?;
    if out.is_json() {
        out.print_json(&report);
    } else {
        print_report(&report);
    }
    if report.valid {
        return Ok(());
    }
    let failure = Failure::operation(match report.verdict {
        Verdict::CannotVerify => {
            "the request could not be verified; the report says what is missing"
        }
        _ => "the request is not a genuine webhook for this connector; the report says why",
    });
    Err(if out.is_json() {
        failure.silent_json()
    } else {
        failure
    })
}

pub fn headline(report: &InspectReport) -> String {
    let verdict = match report.verdict {
        Verdict::Valid => "VALID",
        Verdict::Invalid => "INVALID",
        Verdict::CannotVerify => "CANNOT VERIFY",
    };
    let kind = match report.kind {
        WebhookKind::InboundMessage => "inbound message",
        WebhookKind::StatusCallback => "status callback",
        WebhookKind::Unknown => "request",
    };
    let provider = report
        .provider
        .map(|p| p.as_str())
        .unwrap_or("unknown provider");
    match (&report.connector_name, &report.connector_id) {
        (Some(name), Some(id)) => format!("{verdict}  {provider} {kind} for \"{name}\" ({id})"),
        _ => format!("{verdict}  {kind} for no known connector"),
    }
}

pub fn print_report(report: &InspectReport) {
    println!("{}", headline(report));
    println!("  Received at: {}", report.received_url);
    if let Some(public) = &report.public_url {
        println!("  Public URL:  {public}");
    }
    if let Some(variant) = &report.signed_variant {
        let port = match variant.port {
            switchboard_core::inspect::PortChange::AsIs => "",
            switchboard_core::inspect::PortChange::WithoutPort => ", without its port",
            switchboard_core::inspect::PortChange::WithDefaultPort => ", with the default port",
        };
        let body = if variant.body_sha256 {
            " (JSON body covered by bodySHA256)"
        } else {
            ""
        };
        println!(
            "  Signed over: {}{port}{body}: {}",
            variant.source.describe(),
            variant.url
        );
    }
    if let Some(number) = &report.number {
        let known = if report.number_known {
            "one of the connector's numbers"
        } else {
            "not among the connector's numbers"
        };
        println!("  Number:      {number} ({known})");
    }
    if let Some(other) = &report.other_party {
        println!("  Other party: {other}");
    }
    if let Some(id) = &report.message_id {
        println!("  Message:     {id}");
    }
    if let Some(status) = &report.status {
        let code = report
            .error_code
            .as_deref()
            .map(|c| format!(" (error {c})"))
            .unwrap_or_default();
        println!("  Status:      {status}{code}");
    }
    if let Some(attempt) = &report.attempt_id {
        println!("  Attempt:     {attempt}");
    }
    for reason in &report.reasons {
        println!("  - {}", reason.message);
    }
}
