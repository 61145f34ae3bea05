//! Findings from the numbers and senders the provider lists: what is there and in which status,
//! and each active number's webhook against the expected URL, with what overrides it.

use super::{Collector, Evidence, Finding, Severity};
use crate::model::Connector;
use crate::numbers::{DriftReason, NumberKind, NumberList, PhoneNumber, number_drift};

fn is_online(status: Option<&str>) -> bool {
    status.is_none_or(|s| {
        let s = s.to_ascii_uppercase();
        s.starts_with("ONLINE") || s == "ACTIVE" || s == "PURCHASED" || s == "IN-USE"
    })
}

pub(crate) fn numbers_findings(
    connector: &Connector,
    list: &NumberList,
    latency: u32,
    collector: &Collector,
) {
    let present: Vec<&PhoneNumber> = list.numbers.iter().filter(|n| !n.gone).collect();
    let senders = present
        .iter()
        .filter(|n| n.kind == NumberKind::WhatsappSender)
        .count();
    let active = present.iter().filter(|n| n.active).count();
    let evidence = Evidence {
        request: Some("list numbers and senders".into()),
        status: Some(200),
        summary: format!(
            "{} numbers, {senders} WhatsApp senders, {active} active in Switchboard",
            present.len() - senders
        ),
        latency_ms: Some(latency),
    };
    if present.is_empty() {
        collector.emit(
            Finding::new(
                "numbers",
                "numbers",
                Severity::Warning,
                "The account has no numbers or senders",
                "Nothing can be sent or received without a number (or a WhatsApp sender).",
            )
            .fix(
                "Buy a number or register a sender at the provider, then refresh the Numbers list.",
            )
            .evidence(evidence),
        );
    } else {
        collector.emit(
            Finding::new(
                "numbers",
                "numbers",
                Severity::Ok,
                format!("{} numbers and senders, {active} active", present.len()),
                "The provider lists the account's numbers and senders.",
            )
            .evidence(evidence),
        );
    }
    if let Some(from) = connector.settings.sender()
        && from.starts_with('+')
    {
        let bare = from.trim_start_matches("whatsapp:");
        if !present.iter().any(|n| n.e164 == bare) {
            collector.emit(
                Finding::new(
                    "numbers.from",
                    "numbers",
                    Severity::Error,
                    format!("The sending number {bare} is not in the account"),
                    "The connector sends from a number the provider does not list for this \
                     account, so every send is refused.",
                )
                .fix("Choose one of the account's numbers as the connector's From."),
            );
        }
    }
    for number in &present {
        if is_online(number.provider_status.as_deref()) {
            continue;
        }
        let status = number.provider_status.clone().unwrap_or_default();
        let offline = status.eq_ignore_ascii_case("OFFLINE");
        let severity = match (offline, number.active) {
            (true, true) => Severity::Error,
            (true, false) => Severity::Warning,
            _ => Severity::Info,
        };
        let reasons = if number.offline_reasons.is_empty() {
            String::new()
        } else {
            let listed: Vec<String> = number
                .offline_reasons
                .iter()
                .map(|r| {
                    let r = r.trim();
                    if r.ends_with('.') {
                        r.to_owned()
                    } else {
                        format!("{r}.")
                    }
                })
                .collect();
            format!(" Reasons given: {}", listed.join(" "))
        };
        collector.emit(
            Finding::new(
                format!("numbers.{}", number.e164),
                "numbers",
                severity,
                format!("{} is {status}", number.e164),
                format!(
                    "The provider reports {} as {status}: it {} send or receive until it is online.{reasons}",
                    number.e164,
                    if offline { "cannot" } else { "may not" }
                ),
            )
            .fix("Open the sender in the provider's console (or Senders) and resolve what it names."),
        );
    }
}

pub(crate) fn webhook_findings(connector: &Connector, list: &NumberList, collector: &Collector) {
    let Some(expected) = list.expected_webhook_url.as_deref() else {
        collector.emit(
            Finding::new(
                "webhook",
                "webhook",
                Severity::Warning,
                "No webhook URL to compare",
                "The organization has no inbound base URL, so no number can have the right \
                 webhook.",
            )
            .fix("Set the organization's inbound base URL, then set the webhooks."),
        );
        return;
    };
    let active: Vec<&PhoneNumber> = list.numbers.iter().filter(|n| n.active).collect();
    if active.is_empty() {
        collector.emit(
            Finding::new(
                "webhook",
                "webhook",
                Severity::Info,
                "No number is active in Switchboard",
                "Only active numbers get Switchboard's webhook; none is active, so none is \
                 compared.",
            )
            .fix("Activate the numbers this connector should receive on (Numbers → Activate)."),
        );
        return;
    }
    let mut drifted = 0;
    for number in &active {
        let reasons = number_drift(Some(expected), number);
        if reasons.is_empty() {
            continue;
        }
        drifted += 1;
        let overridden = reasons.iter().find(|r| {
            matches!(
                r,
                DriftReason::OverriddenByMessagingService { .. }
                    | DriftReason::OverriddenByApplication { .. }
            )
        });
        let (title, fix) = match overridden {
            Some(DriftReason::OverriddenByMessagingService { sid, name }) => (
                format!(
                    "A Messaging Service decides where inbound messages to {} go",
                    number.e164
                ),
                format!(
                    "In Twilio, open the Messaging Service {}{sid} and turn on \"Use inbound \
                     webhook on number\" (or remove the number from the service).",
                    name.as_deref()
                        .map(|n| format!("'{n}' "))
                        .unwrap_or_default()
                ),
            ),
            Some(DriftReason::OverriddenByApplication { sid }) => (
                format!(
                    "A TwiML application takes inbound messages to {}",
                    number.e164
                ),
                format!(
                    "In Twilio, clear the number's SMS application ({sid}), then set the webhook again."
                ),
            ),
            _ => (
                format!(
                    "Inbound messages to {} do not reach Switchboard",
                    number.e164
                ),
                format!(
                    "Set the webhook: Numbers → Set webhook, or switchboard webhook set {} {}",
                    connector.id, number.e164
                ),
            ),
        };
        let chain = number
            .webhook_override
            .as_ref()
            .map(|o| format!(" {}", o.describe()))
            .unwrap_or_default();
        collector.emit(
            Finding::new(
                format!("webhook.{}", number.e164),
                "webhook",
                Severity::Warning,
                title,
                format!(
                    "{}.{chain}",
                    reasons
                        .iter()
                        .map(DriftReason::describe)
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            )
            .fix(fix)
            .evidence(Evidence {
                request: Some(format!("read back the webhook of {}", number.e164)),
                status: None,
                summary: format!(
                    "expected {expected}, the provider has {} ({})",
                    number.webhook_url.as_deref().unwrap_or("no URL"),
                    number.webhook_method.as_deref().unwrap_or("no method"),
                ),
                latency_ms: None,
            }),
        );
    }
    if drifted == 0 {
        collector.emit(Finding::new(
            "webhook",
            "webhook",
            Severity::Ok,
            "Every active number has Switchboard's webhook",
            format!(
                "The provider sends inbound messages for all {} active numbers to the connector's \
                 URL, and nothing overrides it.",
                active.len()
            ),
        ));
    } else {
        collector.emit(Finding::new(
            "webhook",
            "webhook",
            Severity::Info,
            format!("{drifted} of {} active numbers differ", active.len()),
            "See the findings per number above.",
        ));
    }
}
