//! `inspect --paste FILE|-`: explains a webhook request captured on the hotel's own server.

use std::io::Read as _;

use switchboard_core::Switchboard;
use switchboard_core::inspect::{InspectReport, Verdict, WebhookKind, parse_captured};

use crate::args::InspectArgs;
use crate::output::{Failure, Output};

pub fn run(core: &Switchboard, args: InspectArgs, out: &Output) -> Result<(), Failure> {
    let Some(path) = args.paste else {
        return Err(Failure::bad_input(
            "--paste",
            "Give the captured request to explain: --paste FILE, or --paste - to read stdin",
        ));
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
