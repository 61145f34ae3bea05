//! Typed provider errors and their plain-language classification.
//!
//! Four kinds of failure are kept apart because the app reacts differently to each: the provider
//! said no ([`ProviderError::Api`]), the provider could not be reached
//! ([`ProviderError::Transport`]), the provider answered something unreadable
//! ([`ProviderError::Decode`]), and a send may or may not have happened
//! ([`ProviderError::UnknownOutcome`], which must be reconciled before anyone retries).

pub use crate::failure::TransportKind;
use crate::failure::{FailureKind, Hint, ProviderFailure, table};
use crate::provider::Provider;
use crate::secret::Secret;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    /// The provider answered with a non-success status. `code` is the provider's own error code
    /// (Twilio `21211`, Telnyx `"10009"`) as text; `field` is the request field it blamed, when
    /// it says so (Telnyx `source.pointer`). `kind`, `hint` and `docs_url` are decided when the
    /// error is made, by the provider's dialect and the shared code table.
    #[error("{} rejected the request (HTTP {}{}): {}", .provider, .http_status, code_label(.code), .message)]
    Api {
        provider: Provider,
        http_status: u16,
        code: Option<String>,
        message: String,
        field: Option<String>,
        kind: FailureKind,
        /// The code's own cause and fix, from the (static) table.
        hint: Option<&'static Hint>,
        /// The provider's page for the code: its body's link when that is one of the
        /// provider's https pages (Twilio `more_info`, Telnyx `meta.url`), else one built from
        /// the code where the provider has such pages.
        docs_url: Option<String>,
    },

    /// No usable HTTP answer: DNS, TLS, timeout, refused or reset connection.
    #[error("could not reach {provider} ({kind}): {message}")]
    Transport {
        provider: Provider,
        kind: TransportKind,
        message: String,
    },

    /// A success status whose body was not what the API documents (or was larger than the
    /// executor reads).
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

    /// The request was refused before anything was sent (e.g. a message with no content);
    /// `kind` names what was wrong.
    #[error("invalid request to {provider}: {message}")]
    InvalidRequest {
        provider: Provider,
        kind: FailureKind,
        message: String,
    },
}

fn code_label(code: &Option<String>) -> String {
    match code {
        Some(code) => format!(", code {code}"),
        None => String::new(),
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
    pub(crate) fn into_error(
        self,
        provider: Provider,
        http_status: u16,
        kind: FailureKind,
        hint: Option<&'static Hint>,
        docs_url: Option<String>,
    ) -> ProviderError {
        ProviderError::Api {
            provider,
            http_status,
            code: self.code,
            message: self
                .message
                .filter(|message| !message.trim().is_empty())
                .unwrap_or_else(|| generic_status_message(http_status)),
            field: self.field,
            kind,
            hint,
            docs_url,
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

    pub fn kind(&self) -> FailureKind {
        match self {
            ProviderError::Api { kind, .. } | ProviderError::InvalidRequest { kind, .. } => *kind,
            ProviderError::Transport { .. } => FailureKind::Unreachable,
            ProviderError::Decode { .. } => FailureKind::UnreadableResponse,
            ProviderError::UnknownOutcome { .. } => FailureKind::UnknownOutcome,
            ProviderError::AccountInactive { .. } => FailureKind::AccountSuspended,
            ProviderError::InvalidConfig { .. } => FailureKind::InvalidConnectionSettings,
        }
    }

    /// The most specific cause and fix known: a provider code's own wording (or the transport
    /// failure's) when there is one, otherwise the kind's.
    fn hint(&self) -> Hint {
        let specific = match self {
            ProviderError::Api { hint, .. } => hint.copied(),
            ProviderError::Transport { kind, .. } => Some(table::transport_hint(*kind)),
            _ => None,
        };
        specific.unwrap_or_else(|| {
            let kind = self.kind();
            Hint {
                cause: kind.cause(),
                fix: kind.fix(),
            }
        })
    }

    /// The failure as the app shows and stores it. Every text in it has already been scrubbed
    /// of the client's secret by the executor.
    pub fn failure(&self) -> ProviderFailure {
        let hint = self.hint();
        let message = match self {
            ProviderError::Api { message, .. }
            | ProviderError::Transport { message, .. }
            | ProviderError::Decode { message, .. }
            | ProviderError::InvalidConfig { message, .. }
            | ProviderError::InvalidRequest { message, .. } => message.clone(),
            ProviderError::UnknownOutcome { detail, .. } => detail.clone(),
            ProviderError::AccountInactive { status, .. } => format!("the account is {status}"),
        };
        let docs_url = match self {
            ProviderError::Api { docs_url, .. } => docs_url.clone(),
            _ => None,
        };
        ProviderFailure {
            provider: self.provider(),
            kind: self.kind(),
            provider_code: self.code().map(str::to_owned),
            http_status: self.http_status(),
            message,
            cause: hint.cause.to_owned(),
            fix: hint.fix.to_owned(),
            docs_url,
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
                field,
                kind,
                hint,
                docs_url,
            } => ProviderError::Api {
                provider,
                http_status,
                code: code.map(|c| secret.scrub(&c)),
                message: secret.scrub(&message),
                field: field.map(|f| secret.scrub(&f)),
                kind,
                hint,
                docs_url: docs_url.map(|d| secret.scrub(&d)),
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
            ProviderError::InvalidRequest {
                provider,
                kind,
                message,
            } => ProviderError::InvalidRequest {
                provider,
                kind,
                message: secret.scrub(&message),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(
        provider: Provider,
        status: u16,
        code: Option<&str>,
        kind: FailureKind,
    ) -> ProviderError {
        ApiErrorBody {
            code: code.map(str::to_owned),
            message: Some("Invalid 'To' Phone Number".into()),
            ..ApiErrorBody::default()
        }
        .into_error(provider, status, kind, None, None)
    }

    #[test]
    fn display_mentions_status_code_and_message() {
        let error = api(
            Provider::Twilio,
            400,
            Some("21211"),
            FailureKind::InvalidRecipient,
        );
        assert_eq!(
            error.to_string(),
            "Twilio rejected the request (HTTP 400, code 21211): Invalid 'To' Phone Number"
        );
        assert_eq!(error.kind(), FailureKind::InvalidRecipient);
    }

    #[test]
    fn unreadable_error_body_still_gives_an_api_error() {
        let error = ApiErrorBody::default().into_error(
            Provider::Elks,
            503,
            FailureKind::ProviderUnavailable,
            None,
            None,
        );
        let failure = error.failure();
        assert_eq!(
            failure.message,
            "HTTP 503 (service unavailable) without a readable error message"
        );
        assert_eq!(failure.http_status, Some(503));
        assert_eq!(failure.provider_code, None);
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
                FailureKind::Unreachable,
            ),
            (
                ProviderError::Decode {
                    provider: p,
                    message: "x".into(),
                },
                FailureKind::UnreadableResponse,
            ),
            (
                ProviderError::UnknownOutcome {
                    provider: p,
                    operation: "POST /v2/messages".into(),
                    http_status: None,
                    detail: "x".into(),
                },
                FailureKind::UnknownOutcome,
            ),
            (
                ProviderError::AccountInactive {
                    provider: p,
                    status: "suspended".into(),
                },
                FailureKind::AccountSuspended,
            ),
            (
                ProviderError::InvalidConfig {
                    provider: p,
                    message: "x".into(),
                },
                FailureKind::InvalidConnectionSettings,
            ),
            (
                ProviderError::InvalidRequest {
                    provider: p,
                    kind: FailureKind::MissingContentSid,
                    message: "x".into(),
                },
                FailureKind::MissingContentSid,
            ),
        ];
        for (error, kind) in cases {
            assert_eq!(error.kind(), kind, "{error}");
            assert_eq!(error.failure().kind, kind, "{error}");
        }
    }

    #[test]
    fn failure_carries_every_field_and_the_specific_wording() {
        let hint = table::lookup(Provider::Twilio, "20003").and_then(|row| row.hint.as_ref());
        let error = ApiErrorBody {
            code: Some("20003".into()),
            message: Some("Authenticate".into()),
            ..ApiErrorBody::default()
        }
        .into_error(
            Provider::Twilio,
            401,
            FailureKind::InvalidCredentials,
            hint,
            Some("https://www.twilio.com/docs/api/errors/20003".into()),
        );
        let json = serde_json::to_value(error.failure()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "provider": "twilio",
                "kind": "INVALID_CREDENTIALS",
                "providerCode": "20003",
                "httpStatus": 401,
                "message": "Authenticate",
                "cause": hint.unwrap().cause,
                "fix": hint.unwrap().fix,
                "docsUrl": "https://www.twilio.com/docs/api/errors/20003",
            })
        );
        let transport = ProviderError::Transport {
            provider: Provider::Elks,
            kind: TransportKind::Dns,
            message: "dns error".into(),
        }
        .failure();
        assert_eq!(transport.kind, FailureKind::Unreachable);
        assert!(transport.cause.contains("DNS"), "{}", transport.cause);
    }

    #[test]
    fn scrubbing_removes_the_secret_everywhere() {
        let secret = Secret::new("s3cr3t-value");
        let errors = [
            ApiErrorBody {
                code: Some("20003".into()),
                message: Some("token s3cr3t-value rejected".into()),
                more_info: Some("https://x/s3cr3t-value".into()),
                field: None,
            }
            .into_error(
                Provider::Twilio,
                401,
                FailureKind::InvalidCredentials,
                None,
                Some("https://x/s3cr3t-value".into()),
            ),
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
            let failure = serde_json::to_string(&scrubbed.failure()).unwrap();
            assert!(!failure.contains("s3cr3t-value"), "{failure}");
        }
    }
}
