//! What a provider failure means, in one vocabulary for every provider: a [`FailureKind`] with a
//! stable name (support engineers search for it, scripts match it, IPC and `--json` carry it as
//! `code`), its cause and fix in plain words, and a serializable [`ProviderFailure`] that keeps
//! the provider's own code and HTTP status beside the kind.
//!
//! Which provider code means which kind is data ([`table`]), not logic spread through the code —
//! Twilio itself advises against building logic on its error codes.

pub mod table;

use serde::{Deserialize, Serialize};

use crate::provider::Provider;

/// What went wrong below HTTP, read from the error's source chain (the `kind` of a
/// [`crate::ProviderError::Transport`]); [`table::transport_hint`] words it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum TransportKind {
    Dns,
    Tls,
    Timeout,
    Refused,
    Reset,
    Other,
}

impl std::fmt::Display for TransportKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TransportKind::Dns => "address lookup failed",
            TransportKind::Tls => "secure connection failed",
            TransportKind::Timeout => "timed out",
            TransportKind::Refused => "connection refused",
            TransportKind::Reset => "connection closed unexpectedly",
            TransportKind::Other => "network error",
        })
    }
}

/// What a failure means for the people using the app. The serialized names are a contract: add
/// kinds freely, never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FailureKind {
    /// The recipient's number is invalid, unroutable or opted out (Twilio 21211, 21610…).
    InvalidRecipient,
    /// The sending number or sender cannot send this (Twilio 21614, 21408, 63007…).
    InvalidSender,
    /// The message's content or parameters were refused (Twilio 20001…).
    InvalidMessage,
    /// A send failed for a reason no more specific kind names.
    SendMessageFailed,
    /// The connector's settings cannot be used to build a client (SID shape, base URL, no secret).
    InvalidConnectionSettings,
    /// A send without a sending number.
    MissingFromNumber,
    /// A WhatsApp template send without its Content SID (HX…).
    MissingContentSid,
    /// A number that is not `whatsapp:+E164`.
    InvalidWhatsappNumber,
    /// Reading a message's status failed for a reason no more specific kind names.
    StatusQueryFailed,
    /// A credential check failed for a reason no more specific kind names.
    CredentialCheckFailed,
    /// Any other call failed for a reason no more specific kind names.
    RequestFailed,
    /// The provider did not accept the credentials (Twilio 20003, Telnyx 10009, HTTP 401).
    InvalidCredentials,
    /// The credentials work but may not do this (Twilio 20403, Telnyx 10010, HTTP 403).
    PermissionDenied,
    /// The account is suspended or closed (Twilio 10001, 30002, an Account status).
    AccountSuspended,
    /// A WhatsApp free-form message outside the 24-hour session (Twilio 63016).
    OutsideSessionWindow,
    /// Too many requests (HTTP 429, Twilio 20429, Telnyx 10011).
    RateLimited,
    /// The number, sender, template or message does not exist (HTTP 404, Twilio 20404).
    NotFound,
    /// A WhatsApp template is not approved or its variables do not match (Twilio 21656, 63027).
    TemplateRejected,
    /// A WhatsApp sender could not be registered (Twilio 631xx).
    SenderRegistrationFailed,
    /// The provider had a problem of its own (HTTP 5xx, Telnyx 10007).
    ProviderUnavailable,
    /// No HTTP answer: DNS, TLS, connect, reset or timeout.
    Unreachable,
    /// The provider answered something Switchboard cannot read (or too large to read).
    UnreadableResponse,
    /// A send may or may not have happened; it must be reconciled before anyone retries.
    UnknownOutcome,
}

impl FailureKind {
    /// The stable name, as serialized (`INVALID_RECIPIENT`).
    pub fn as_str(self) -> &'static str {
        table::kind_text(self).name
    }

    /// What happened, in words for hotel staff.
    pub fn cause(self) -> &'static str {
        table::kind_text(self).cause
    }

    /// What to do next.
    pub fn fix(self) -> &'static str {
        table::kind_text(self).fix
    }
}

impl std::fmt::Display for FailureKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the call was for; it decides the kind when nothing more specific does, so "any other
/// send failure" is `SEND_MESSAGE_FAILED` and a failed status read `STATUS_QUERY_FAILED`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub enum CallContext {
    Send,
    StatusQuery,
    CredentialCheck,
    #[default]
    Other,
}

impl CallContext {
    pub fn fallback_kind(self) -> FailureKind {
        match self {
            CallContext::Send => FailureKind::SendMessageFailed,
            CallContext::StatusQuery => FailureKind::StatusQueryFailed,
            CallContext::CredentialCheck => FailureKind::CredentialCheckFailed,
            CallContext::Other => FailureKind::RequestFailed,
        }
    }
}

/// A cause and fix more specific than the kind's, for one provider code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hint {
    pub cause: &'static str,
    pub fix: &'static str,
}

/// A provider failure as the app, the CLI and the store carry it: everything a support engineer
/// needs, nothing secret (the message is the provider's, scrubbed of the client's secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ProviderFailure {
    pub provider: Provider,
    pub kind: FailureKind,
    /// The provider's own error code (Twilio `21211`, Telnyx `10009`); 46elks has none.
    #[cfg_attr(feature = "specta", specta(optional))]
    pub provider_code: Option<String>,
    #[cfg_attr(feature = "specta", specta(optional))]
    pub http_status: Option<u16>,
    /// What the provider (or the network layer) said.
    pub message: String,
    pub cause: String,
    pub fix: String,
    /// The provider's page for this code, when it has one.
    #[cfg_attr(feature = "specta", specta(optional))]
    pub docs_url: Option<String>,
}

impl ProviderFailure {
    /// One line for logs, the event log and a connector's state reason:
    /// `cause (Twilio code 20003: Authenticate) fix`.
    pub fn summary(&self) -> String {
        let detail = match (&self.provider_code, self.message.trim()) {
            (Some(code), "") => format!(" ({} code {code})", self.provider),
            (Some(code), message) => format!(" ({} code {code}: {message})", self.provider),
            (None, "") => String::new(),
            (None, message) => format!(" ({message})"),
        };
        format!("{}{detail} {}", self.cause, self.fix)
    }
}

impl std::fmt::Display for ProviderFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.summary())
    }
}
