//! What a provider call can fail with. Provider answers (an API error with a code), transport
//! failures (nothing or not all of it reached the provider) and undecodable answers are kept
//! apart, because each means something different to the person reading it.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    Twilio,
    Telnyx,
    Elks46,
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Twilio => "Twilio",
            Self::Telnyx => "Telnyx",
            Self::Elks46 => "46elks",
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportKind {
    Dns,
    Tls,
    Timeout,
    Refused,
    Reset,
    Other,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum ProviderError {
    #[error("{provider} answered HTTP {http_status}{}: {message}", code_suffix(.code))]
    Api {
        provider: Provider,
        http_status: u16,
        code: Option<String>,
        message: String,
        more_info: Option<String>,
    },
    #[error("{provider} could not be reached ({}): {message}", transport_words(*.kind))]
    Transport {
        provider: Provider,
        kind: TransportKind,
        message: String,
    },
    #[error("{provider} sent an answer Switchboard could not read: {message}")]
    Decode { provider: Provider, message: String },
    #[error("The {provider} account is {status}")]
    AccountSuspended { provider: Provider, status: String },
    /// A send whose outcome is unknown: it may have reached the provider. Never re-sent blindly.
    #[error(
        "{provider} may or may not have accepted the message ({message}); check before retrying"
    )]
    UnknownOutcome { provider: Provider, message: String },
}

fn code_suffix(code: &Option<String>) -> String {
    code.as_deref()
        .map(|c| format!(" (code {c})"))
        .unwrap_or_default()
}

fn transport_words(kind: TransportKind) -> &'static str {
    match kind {
        TransportKind::Dns => "its host name did not resolve",
        TransportKind::Tls => "the secure connection failed",
        TransportKind::Timeout => "it did not answer in time",
        TransportKind::Refused => "the connection was refused",
        TransportKind::Reset => "the connection was cut",
        TransportKind::Other => "network error",
    }
}

/// The few kinds of failure a user needs to tell apart, each with a cause and a fix in plain words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    Unreachable,
    Unavailable,
    Unknown,
}

impl ErrorKind {
    pub fn cause(self) -> &'static str {
        match self {
            Self::InvalidRecipient => {
                "The recipient's number is not valid or cannot receive messages from you."
            }
            Self::InvalidSender => {
                "The sending number or WhatsApp sender cannot send this message."
            }
            Self::InvalidMessage => "The provider rejected the message content.",
            Self::Auth => {
                "The provider did not accept the credentials: the account ID or the secret is wrong."
            }
            Self::Permission => "The credentials are valid but not allowed to do this.",
            Self::AccountSuspended => "The provider account is suspended or closed.",
            Self::RateLimited => "Too many requests at once; the provider asked to slow down.",
            Self::NotFound => "The provider does not know this account, number or resource.",
            Self::Template => {
                "The WhatsApp template is missing, not approved or its variables do not fit."
            }
            Self::OutsideWhatsAppWindow => {
                "More than 24 hours passed since the guest last wrote; WhatsApp only allows approved templates now."
            }
            Self::SenderRegistration => {
                "The WhatsApp sender is not (yet) registered with WhatsApp."
            }
            Self::Unreachable => "The provider could not be reached from this computer.",
            Self::Unavailable => "The provider had a problem answering.",
            Self::Unknown => "The provider refused the request.",
        }
    }

    pub fn fix(self) -> &'static str {
        match self {
            Self::InvalidRecipient => {
                "Check the number (with country code) and that the guest has not unsubscribed."
            }
            Self::InvalidSender => {
                "Use an active number or WhatsApp sender of this account, and check the country permissions."
            }
            Self::InvalidMessage => "Shorten the text or check the media link and try again.",
            Self::Auth => {
                "Copy the Account SID / username and the secret again from the provider's console and save."
            }
            Self::Permission => {
                "Use credentials with full access (not a restricted key) or ask the account owner."
            }
            Self::AccountSuspended => {
                "Sign in to the provider's console to reactivate the account, then check again."
            }
            Self::RateLimited => "Wait a moment; Switchboard retries on its own.",
            Self::NotFound => "Check the account ID and the API base URL.",
            Self::Template => "Pick an approved template and fill in every variable.",
            Self::OutsideWhatsAppWindow => {
                "Send an approved template (Content SID) instead of free text."
            }
            Self::SenderRegistration => {
                "Finish the sender's registration in the provider's console, then try again."
            }
            Self::Unreachable => {
                "Check the internet connection, proxy or firewall, and the API base URL."
            }
            Self::Unavailable => {
                "Try again in a few minutes; check the provider's status page if it persists."
            }
            Self::Unknown => "Read the provider's message and code below and check the settings.",
        }
    }
}

impl ProviderError {
    /// Classifies the error for a person: by the provider's code first, then the HTTP status.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Api {
                provider,
                http_status,
                code,
                ..
            } => classify(*provider, *http_status, code.as_deref()),
            Self::Transport { .. } => ErrorKind::Unreachable,
            Self::AccountSuspended { .. } => ErrorKind::AccountSuspended,
            Self::Decode { .. } | Self::UnknownOutcome { .. } => ErrorKind::Unavailable,
        }
    }

    pub fn provider_code(&self) -> Option<&str> {
        match self {
            Self::Api { code, .. } => code.as_deref(),
            _ => None,
        }
    }
}

pub fn classify(provider: Provider, http_status: u16, code: Option<&str>) -> ErrorKind {
    let by_code = match (provider, code.and_then(|c| c.parse::<u32>().ok())) {
        (Provider::Twilio, Some(code)) => match code {
            21211 | 21610 | 21612 => Some(ErrorKind::InvalidRecipient),
            21614 | 21408 | 21606 | 21212 | 63007 => Some(ErrorKind::InvalidSender),
            20001 | 21602 | 21604 => Some(ErrorKind::InvalidMessage),
            20003 => Some(ErrorKind::Auth),
            20403 => Some(ErrorKind::Permission),
            20404 => Some(ErrorKind::NotFound),
            20429 => Some(ErrorKind::RateLimited),
            63016 => Some(ErrorKind::OutsideWhatsAppWindow),
            63100..=63116 => Some(ErrorKind::SenderRegistration),
            _ => None,
        },
        (Provider::Telnyx, Some(code)) => match code {
            10002 | 10016 => Some(ErrorKind::InvalidRecipient),
            10001 => Some(ErrorKind::InvalidSender),
            10009 => Some(ErrorKind::Auth),
            10010 => Some(ErrorKind::Permission),
            10005 | 10006 => Some(ErrorKind::NotFound),
            10011 => Some(ErrorKind::RateLimited),
            _ => None,
        },
        _ => None,
    };
    by_code.unwrap_or(match http_status {
        401 => ErrorKind::Auth,
        403 => ErrorKind::Permission,
        404 => ErrorKind::NotFound,
        429 => ErrorKind::RateLimited,
        500..=599 => ErrorKind::Unavailable,
        _ => ErrorKind::Unknown,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_kinds() {
        use ErrorKind::*;
        let table = [
            (Provider::Twilio, 400, Some("21211"), InvalidRecipient),
            (Provider::Twilio, 400, Some("21610"), InvalidRecipient),
            (Provider::Twilio, 400, Some("21614"), InvalidSender),
            (Provider::Twilio, 400, Some("21408"), InvalidSender),
            (Provider::Twilio, 400, Some("20001"), InvalidMessage),
            (Provider::Twilio, 401, Some("20003"), Auth),
            (Provider::Twilio, 404, Some("20404"), NotFound),
            (Provider::Twilio, 429, Some("20429"), RateLimited),
            (Provider::Twilio, 400, Some("21606"), InvalidSender),
            (Provider::Twilio, 400, Some("63007"), InvalidSender),
            (Provider::Twilio, 400, Some("63016"), OutsideWhatsAppWindow),
            (Provider::Twilio, 400, Some("63100"), SenderRegistration),
            (Provider::Twilio, 400, Some("63116"), SenderRegistration),
            (Provider::Twilio, 503, None, Unavailable),
            (Provider::Telnyx, 401, Some("10009"), Auth),
            (Provider::Telnyx, 429, Some("10011"), RateLimited),
            (Provider::Elks46, 401, None, Auth),
            (Provider::Elks46, 403, None, Permission),
            (Provider::Elks46, 418, None, Unknown),
        ];
        for (provider, status, code, kind) in table {
            assert_eq!(
                classify(provider, status, code),
                kind,
                "{provider} {status} {code:?}"
            );
        }
    }

    #[test]
    fn every_kind_has_words_for_people() {
        for error in [
            ProviderError::Transport {
                provider: Provider::Twilio,
                kind: TransportKind::Dns,
                message: "x".into(),
            },
            ProviderError::Decode {
                provider: Provider::Telnyx,
                message: "x".into(),
            },
        ] {
            assert!(!error.kind().cause().is_empty() && !error.kind().fix().is_empty());
            assert!(!error.to_string().is_empty());
        }
    }
}
