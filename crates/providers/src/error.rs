//! Typed provider errors and their plain-language classification.
//!
//! Four kinds of failure are kept apart because the app reacts differently to each: the provider
//! said no ([`ProviderError::Api`]), the provider could not be reached
//! ([`ProviderError::Transport`]), the provider answered something unreadable
//! ([`ProviderError::Decode`]), and a send may or may not have happened
//! ([`ProviderError::UnknownOutcome`], which must be reconciled before anyone retries).

use std::fmt;

use crate::client::Provider;
use crate::secret::Secret;
use crate::{elks, telnyx, twilio};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    /// The provider answered with a non-success status. `code` is the provider's own error code
    /// (Twilio `21211`, Telnyx `"10009"`) as text; `field` is the request field it blamed, when
    /// it says so (Telnyx `source.pointer`).
    #[error("{} rejected the request (HTTP {}{}): {}", .provider, .http_status, code_label(.code), .message)]
    Api {
        provider: Provider,
        http_status: u16,
        code: Option<String>,
        message: String,
        more_info: Option<String>,
        field: Option<String>,
    },

    /// No usable HTTP answer: DNS, TLS, timeout, refused or reset connection.
    #[error("could not reach {provider} ({kind}): {message}")]
    Transport {
        provider: Provider,
        kind: TransportKind,
        message: String,
    },

    /// A success status whose body was not what the API documents.
    #[error("{provider} sent an answer that could not be read: {message}")]
    Decode { provider: Provider, message: String },

    /// A non-idempotent request (a message send) may have reached the provider, but no answer
    /// says what happened: it must not be re-sent blindly.
    #[error(
        "the outcome of {operation} at {provider} is unknown ({detail}); check the provider's \
         recent messages before trying again"
    )]
    UnknownOutcome {
        provider: Provider,
        operation: String,
        http_status: Option<u16>,
        detail: String,
    },

    /// The credentials work but the account cannot be used (Twilio `suspended` / `closed`).
    #[error("the {provider} account is {status}")]
    AccountInactive { provider: Provider, status: String },

    /// The client could not be built from the given settings.
    #[error("invalid {provider} settings: {message}")]
    InvalidConfig { provider: Provider, message: String },

    /// The request was refused before anything was sent (e.g. a message with no content).
    #[error("invalid request to {provider}: {message}")]
    InvalidRequest { provider: Provider, message: String },
}

fn code_label(code: &Option<String>) -> String {
    match code {
        Some(code) => format!(", code {code}"),
        None => String::new(),
    }
}

/// What went wrong below HTTP, read from the error's source chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum TransportKind {
    Dns,
    Tls,
    Timeout,
    Refused,
    Reset,
    Other,
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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

/// What a failure means for the person using the app; see [`ErrorKind::cause`] and
/// [`ErrorKind::fix`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum ErrorKind {
    InvalidRecipient,
    InvalidSender,
    InvalidMessage,
    Auth,
    Permission,
    AccountSuspended,
    RateLimited,
    NotFound,
    Template,
    OutsideWhatsAppWindow,
    SenderRegistration,
    Unavailable,
    Unknown,
}

impl ErrorKind {
    /// What happened, in words for hotel staff.
    pub fn cause(self) -> &'static str {
        match self {
            ErrorKind::InvalidRecipient => {
                "The recipient's phone number is not valid, cannot receive messages, or has \
                 opted out."
            }
            ErrorKind::InvalidSender => {
                "The number or WhatsApp sender used to send is not set up to send this message."
            }
            ErrorKind::InvalidMessage => {
                "The provider refused the message because of its content or a missing part."
            }
            ErrorKind::Auth => "The provider did not accept the saved credentials.",
            ErrorKind::Permission => {
                "The credentials are valid but are not allowed to do this at the provider."
            }
            ErrorKind::AccountSuspended => "The provider account is suspended or closed.",
            ErrorKind::RateLimited => "The provider is receiving too many requests right now.",
            ErrorKind::NotFound => {
                "The provider could not find this number, sender, template or message."
            }
            ErrorKind::Template => {
                "The WhatsApp template was refused: it is not approved, not found, or its \
                 variables do not match."
            }
            ErrorKind::OutsideWhatsAppWindow => {
                "The guest has not written in the last 24 hours, so WhatsApp only allows an \
                 approved template."
            }
            ErrorKind::SenderRegistration => "The WhatsApp sender could not be registered.",
            ErrorKind::Unavailable => {
                "The provider could not be reached or had a temporary problem."
            }
            ErrorKind::Unknown => "The provider reported an unexpected problem.",
        }
    }

    /// What to do next.
    pub fn fix(self) -> &'static str {
        match self {
            ErrorKind::InvalidRecipient => {
                "Check the guest's number including the country code (for example +44…), or \
                 contact them another way."
            }
            ErrorKind::InvalidSender => {
                "Check in Numbers that the sending number is active and belongs to this \
                 connector; ask your administrator if it keeps failing."
            }
            ErrorKind::InvalidMessage => {
                "Check the text, attachments and template, then try again."
            }
            ErrorKind::Auth => {
                "Open the connector settings and enter the current credentials from the \
                 provider's console."
            }
            ErrorKind::Permission => {
                "Use credentials with full access, or ask the account owner to allow this."
            }
            ErrorKind::AccountSuspended => {
                "Contact the provider's support or your administrator to reactivate the account."
            }
            ErrorKind::RateLimited => {
                "Wait a minute and try again; Switchboard already retried automatically."
            }
            ErrorKind::NotFound => {
                "Refresh the list of numbers; it may have been removed or belong to another \
                 account."
            }
            ErrorKind::Template => "Pick an approved template and fill in all its variables.",
            ErrorKind::OutsideWhatsAppWindow => {
                "Send an approved template instead of free text; once the guest replies you can \
                 write freely again."
            }
            ErrorKind::SenderRegistration => {
                "Open the sender in the provider's console, correct what it reports and submit \
                 the registration again."
            }
            ErrorKind::Unavailable => {
                "Check the internet connection and try again in a few minutes."
            }
            ErrorKind::Unknown => {
                "Try again; if it keeps happening, send a diagnostic bundle to your administrator."
            }
        }
    }
}

/// A failure explained for the user: the kind plus the most specific cause and fix known (a
/// provider error code's own text when there is one, otherwise the kind's).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Explanation {
    pub kind: ErrorKind,
    pub cause: String,
    pub fix: String,
}

impl Explanation {
    fn of_kind(kind: ErrorKind) -> Self {
        Self::new(kind, kind.cause(), kind.fix())
    }

    pub(crate) fn new(kind: ErrorKind, cause: &str, fix: &str) -> Self {
        Self {
            kind,
            cause: cause.to_owned(),
            fix: fix.to_owned(),
        }
    }
}

/// The parts of a provider's error body, before they become a [`ProviderError::Api`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ApiErrorBody {
    pub code: Option<String>,
    pub message: Option<String>,
    pub more_info: Option<String>,
    pub field: Option<String>,
}

impl ApiErrorBody {
    pub(crate) fn into_error(self, provider: Provider, http_status: u16) -> ProviderError {
        ProviderError::Api {
            provider,
            http_status,
            code: self.code,
            message: self
                .message
                .filter(|message| !message.trim().is_empty())
                .unwrap_or_else(|| generic_status_message(http_status)),
            more_info: self.more_info,
            field: self.field,
        }
    }
}

/// The message used when the provider's error body says nothing readable.
pub(crate) fn generic_status_message(http_status: u16) -> String {
    let reason = match http_status {
        400 => "bad request",
        401 => "not authenticated",
        403 => "forbidden",
        404 => "not found",
        409 => "conflict",
        422 => "unprocessable request",
        429 => "too many requests",
        500 => "internal server error",
        502 => "bad gateway",
        503 => "service unavailable",
        504 => "gateway timeout",
        _ => "request failed",
    };
    format!("HTTP {http_status} ({reason}) without a readable error message")
}

impl ProviderError {
    pub fn provider(&self) -> Provider {
        match self {
            ProviderError::Api { provider, .. }
            | ProviderError::Transport { provider, .. }
            | ProviderError::Decode { provider, .. }
            | ProviderError::UnknownOutcome { provider, .. }
            | ProviderError::AccountInactive { provider, .. }
            | ProviderError::InvalidConfig { provider, .. }
            | ProviderError::InvalidRequest { provider, .. } => *provider,
        }
    }

    pub fn http_status(&self) -> Option<u16> {
        match self {
            ProviderError::Api { http_status, .. } => Some(*http_status),
            ProviderError::UnknownOutcome { http_status, .. } => *http_status,
            _ => None,
        }
    }

    /// The provider's error code, if it gave one.
    pub fn code(&self) -> Option<&str> {
        match self {
            ProviderError::Api { code, .. } => code.as_deref(),
            _ => None,
        }
    }

    /// True when a send may have happened: the caller records it as unknown and reconciles.
    pub fn is_unknown_outcome(&self) -> bool {
        matches!(self, ProviderError::UnknownOutcome { .. })
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            ProviderError::Api {
                provider,
                http_status,
                code,
                message,
                field,
                ..
            } => classify_api_error(
                *provider,
                *http_status,
                code.as_deref(),
                message,
                field.as_deref(),
            ),
            ProviderError::Transport { .. } => ErrorKind::Unavailable,
            ProviderError::Decode { .. } | ProviderError::UnknownOutcome { .. } => {
                ErrorKind::Unknown
            }
            ProviderError::AccountInactive { .. } => ErrorKind::AccountSuspended,
            ProviderError::InvalidConfig { .. } => ErrorKind::Unknown,
            ProviderError::InvalidRequest { .. } => ErrorKind::InvalidMessage,
        }
    }

    /// The kind with the most specific cause and fix known for this error.
    pub fn explanation(&self) -> Explanation {
        match self {
            ProviderError::Api {
                provider: Provider::Twilio,
                code: Some(code),
                ..
            } => twilio::errors::explain_code(code)
                .unwrap_or_else(|| Explanation::of_kind(self.kind())),
            ProviderError::Transport { kind, .. } => transport_explanation(*kind),
            ProviderError::Decode { .. } => Explanation::new(
                ErrorKind::Unknown,
                "The provider answered, but not in the format Switchboard expects.",
                "Try again later; if it keeps happening, send a diagnostic bundle to your \
                 administrator.",
            ),
            ProviderError::UnknownOutcome { .. } => Explanation::new(
                ErrorKind::Unknown,
                "The message may or may not have been sent: the provider did not confirm it.",
                "Do not send it again yet; Switchboard checks the provider's recent messages \
                 first and shows the result.",
            ),
            ProviderError::InvalidConfig { .. } => Explanation::new(
                ErrorKind::Unknown,
                "The connector's settings are not valid.",
                "Open the connector settings and correct the highlighted values.",
            ),
            _ => Explanation::of_kind(self.kind()),
        }
    }

    /// Removes the secret from every text this error carries (see [`Secret::scrub`]).
    pub(crate) fn scrubbed(self, secret: &Secret) -> Self {
        match self {
            ProviderError::Api {
                provider,
                http_status,
                code,
                message,
                more_info,
                field,
            } => ProviderError::Api {
                provider,
                http_status,
                code: code.map(|c| secret.scrub(&c)),
                message: secret.scrub(&message),
                more_info: more_info.map(|m| secret.scrub(&m)),
                field: field.map(|f| secret.scrub(&f)),
            },
            ProviderError::Transport {
                provider,
                kind,
                message,
            } => ProviderError::Transport {
                provider,
                kind,
                message: secret.scrub(&message),
            },
            ProviderError::Decode { provider, message } => ProviderError::Decode {
                provider,
                message: secret.scrub(&message),
            },
            ProviderError::UnknownOutcome {
                provider,
                operation,
                http_status,
                detail,
            } => ProviderError::UnknownOutcome {
                provider,
                operation,
                http_status,
                detail: secret.scrub(&detail),
            },
            ProviderError::AccountInactive { provider, status } => ProviderError::AccountInactive {
                provider,
                status: secret.scrub(&status),
            },
            ProviderError::InvalidConfig { provider, message } => ProviderError::InvalidConfig {
                provider,
                message: secret.scrub(&message),
            },
            ProviderError::InvalidRequest { provider, message } => ProviderError::InvalidRequest {
                provider,
                message: secret.scrub(&message),
            },
        }
    }
}

/// Classifies a provider's error answer; each provider module owns its code table.
pub fn classify_api_error(
    provider: Provider,
    http_status: u16,
    code: Option<&str>,
    message: &str,
    field: Option<&str>,
) -> ErrorKind {
    match provider {
        Provider::Twilio => twilio::errors::classify(http_status, code, message),
        Provider::Telnyx => telnyx::classify(http_status, code, field),
        Provider::Elks => elks::classify(http_status, message),
    }
}

/// The kind a bare HTTP status implies when the provider gave no code we know.
pub(crate) fn classify_http_status(http_status: u16) -> ErrorKind {
    match http_status {
        401 => ErrorKind::Auth,
        403 => ErrorKind::Permission,
        404 => ErrorKind::NotFound,
        429 => ErrorKind::RateLimited,
        500..=599 => ErrorKind::Unavailable,
        _ => ErrorKind::Unknown,
    }
}

fn transport_explanation(kind: TransportKind) -> Explanation {
    let (cause, fix) = match kind {
        TransportKind::Dns => (
            "The provider's address could not be looked up.",
            "Check that this computer is online and that the connector's API address is \
             spelled correctly.",
        ),
        TransportKind::Tls => (
            "A secure connection to the provider could not be set up.",
            "Check the computer's date and time, and any proxy or antivirus that inspects \
             secure traffic.",
        ),
        TransportKind::Timeout => (
            "The provider did not answer in time.",
            "Try again in a few minutes; if it keeps happening, check the internet connection.",
        ),
        TransportKind::Refused => (
            "The provider's server refused the connection.",
            "Check the connector's API address; try again in a few minutes.",
        ),
        TransportKind::Reset => (
            "The connection to the provider was cut off.",
            "Try again in a few minutes; if it keeps happening, check the internet connection.",
        ),
        TransportKind::Other => (ErrorKind::Unavailable.cause(), ErrorKind::Unavailable.fix()),
    };
    Explanation::new(ErrorKind::Unavailable, cause, fix)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(provider: Provider, status: u16, code: Option<&str>) -> ProviderError {
        ProviderError::Api {
            provider,
            http_status: status,
            code: code.map(str::to_owned),
            message: "m".into(),
            more_info: None,
            field: None,
        }
    }

    #[test]
    fn display_mentions_status_code_and_message() {
        let error = ProviderError::Api {
            provider: Provider::Twilio,
            http_status: 400,
            code: Some("21211".into()),
            message: "Invalid 'To' Phone Number".into(),
            more_info: None,
            field: None,
        };
        assert_eq!(
            error.to_string(),
            "Twilio rejected the request (HTTP 400, code 21211): Invalid 'To' Phone Number"
        );
        assert_eq!(error.kind(), ErrorKind::InvalidRecipient);
    }

    #[test]
    fn unreadable_error_body_still_gives_an_api_error() {
        let error = ApiErrorBody::default().into_error(Provider::Elks, 503);
        assert_eq!(
            error,
            ProviderError::Api {
                provider: Provider::Elks,
                http_status: 503,
                code: None,
                message: "HTTP 503 (service unavailable) without a readable error message".into(),
                more_info: None,
                field: None,
            }
        );
        assert_eq!(error.kind(), ErrorKind::Unavailable);
    }

    #[test]
    fn non_api_variants_have_fixed_kinds() {
        let p = Provider::Telnyx;
        let cases = [
            (
                ProviderError::Transport {
                    provider: p,
                    kind: TransportKind::Timeout,
                    message: "x".into(),
                },
                ErrorKind::Unavailable,
            ),
            (
                ProviderError::Decode {
                    provider: p,
                    message: "x".into(),
                },
                ErrorKind::Unknown,
            ),
            (
                ProviderError::AccountInactive {
                    provider: p,
                    status: "suspended".into(),
                },
                ErrorKind::AccountSuspended,
            ),
            (
                ProviderError::InvalidRequest {
                    provider: p,
                    message: "x".into(),
                },
                ErrorKind::InvalidMessage,
            ),
        ];
        for (error, kind) in cases {
            assert_eq!(error.kind(), kind, "{error}");
            assert_eq!(error.explanation().kind, kind, "{error}");
        }
    }

    #[test]
    fn every_kind_has_cause_and_fix() {
        use ErrorKind::*;
        for kind in [
            InvalidRecipient,
            InvalidSender,
            InvalidMessage,
            Auth,
            Permission,
            AccountSuspended,
            RateLimited,
            NotFound,
            Template,
            OutsideWhatsAppWindow,
            SenderRegistration,
            Unavailable,
            Unknown,
        ] {
            assert!(kind.cause().ends_with('.'), "{kind:?}");
            assert!(kind.fix().ends_with('.'), "{kind:?}");
        }
    }

    #[test]
    fn http_status_fallback_table() {
        let cases = [
            (401, ErrorKind::Auth),
            (403, ErrorKind::Permission),
            (404, ErrorKind::NotFound),
            (429, ErrorKind::RateLimited),
            (500, ErrorKind::Unavailable),
            (503, ErrorKind::Unavailable),
            (400, ErrorKind::Unknown),
            (409, ErrorKind::Unknown),
        ];
        for provider in [Provider::Twilio, Provider::Telnyx, Provider::Elks] {
            for (status, kind) in cases {
                assert_eq!(
                    api(provider, status, None).kind(),
                    kind,
                    "{provider} {status}"
                );
            }
        }
    }

    #[test]
    fn scrubbing_removes_the_secret_everywhere() {
        let secret = Secret::new("s3cr3t-value");
        let errors = [
            ProviderError::Api {
                provider: Provider::Twilio,
                http_status: 401,
                code: Some("20003".into()),
                message: "token s3cr3t-value rejected".into(),
                more_info: Some("https://x/s3cr3t-value".into()),
                field: None,
            },
            ProviderError::Transport {
                provider: Provider::Twilio,
                kind: TransportKind::Other,
                message: "s3cr3t-value".into(),
            },
            ProviderError::Decode {
                provider: Provider::Twilio,
                message: "s3cr3t-value".into(),
            },
            ProviderError::UnknownOutcome {
                provider: Provider::Twilio,
                operation: "op".into(),
                http_status: Some(500),
                detail: "s3cr3t-value".into(),
            },
        ];
        for error in errors {
            let scrubbed = error.scrubbed(&secret);
            assert!(!scrubbed.to_string().contains("s3cr3t-value"));
            assert!(!format!("{scrubbed:?}").contains("s3cr3t-value"));
        }
    }
}
