//! Twilio's WhatsApp Sandbox (seed 000: "use Twilio's WhatsApp Sandbox to send test messages
//! before your number is fully approved"). Its number is shared by every Twilio account, so it is
//! never among a connector's own numbers or senders: a Twilio WhatsApp connector may still use it
//! as its From and send tests from it, while any other connector is told it cannot. It has no
//! sender status to check; what can go wrong is the recipient not having joined (Twilio 63015),
//! and the words for that live once, in the providers crate's failure table.

use serde::Serialize;
use switchboard_providers::failure::table;

use crate::model::{ConnectorKind, ProviderKind};

pub use switchboard_providers::twilio::WHATSAPP_SANDBOX_NUMBER;

/// What the app's forms and the CLI say about the sandbox (a constant of the UI's bindings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WhatsappSandbox {
    /// E.164, as a connector's From takes it.
    pub number: &'static str,
    /// How a From picker names it.
    pub label: &'static str,
    /// One line under the From field.
    pub hint: &'static str,
    /// Twilio's code for "the recipient has not joined" (63015).
    pub provider_code: &'static str,
    /// The join step, in the failure table's words: why a send fails and what to do.
    pub join_cause: &'static str,
    pub join_fix: &'static str,
}

pub fn whatsapp_sandbox() -> WhatsappSandbox {
    let join = table::whatsapp_sandbox_join_hint();
    WhatsappSandbox {
        number: WHATSAPP_SANDBOX_NUMBER,
        label: "Twilio WhatsApp Sandbox (+1 415 523 8886)",
        hint: "Twilio's shared test number: it sends only to people who joined your sandbox by \
               sending \"join <code>\" to it on WhatsApp.",
        provider_code: table::WHATSAPP_SANDBOX_JOIN_CODE,
        join_cause: join.cause,
        join_fix: join.fix,
    }
}

/// True for the sandbox's number (already in E.164).
pub fn is_sandbox_number(e164: &str) -> bool {
    e164 == WHATSAPP_SANDBOX_NUMBER
}

/// Why a connector of this kind and provider may not use the sandbox number; `None` for a
/// Twilio WhatsApp connector, which may.
pub(crate) fn refusal(kind: ConnectorKind, provider: ProviderKind) -> Option<String> {
    match (kind, provider) {
        (ConnectorKind::Whatsapp, ProviderKind::Twilio) => None,
        (_, ProviderKind::Twilio) => Some(
            "+1 415 523 8886 is Twilio's WhatsApp Sandbox number: it sends WhatsApp messages \
             only, so only a Twilio WhatsApp connector can use it. Choose one of this \
             account's SMS numbers"
                .into(),
        ),
        (_, provider) => Some(format!(
            "+1 415 523 8886 is Twilio's WhatsApp Sandbox number, not a {} number: only a \
             Twilio WhatsApp connector can use it. Choose one of this account's own numbers",
            match provider {
                ProviderKind::Telnyx => "Telnyx",
                ProviderKind::Elks46 => "46elks",
                _ => "phone",
            }
        )),
    }
}
