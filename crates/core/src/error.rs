use serde::Serialize;
use switchboard_providers::{FailureKind, ProviderFailure};

use crate::secrets::SecretError;
use crate::store::StoreError;

/// One problem with one input field. `field` is the camelCase path of the field in the draft the
/// user submitted (e.g. `settings.accountSid`, `recipients[1].backupEmail`), so a form can show the
/// message beside the field it names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Everything a core service can fail with. No variant ever carries a secret.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("{}", describe_fields(.0))]
    Validation(Vec<FieldError>),
    #[error("{what} '{reference}' was not found")]
    NotFound {
        what: &'static str,
        reference: String,
    },
    #[error("{0}")]
    Ambiguous(String),
    /// The request clashes with what is stored (a number bound elsewhere, not active, …).
    #[error("{0}")]
    Conflict(String),
    /// The provider refused, could not be reached, or the connector's settings cannot reach it:
    /// typed, with the provider's code, the cause and the fix.
    #[error("{0}")]
    Provider(Box<ProviderFailure>),
    /// The local provider emulator (the sandbox demo) could not start or stop.
    #[error("{0}")]
    Sandbox(String),
    /// Work stopped before it finished (a background task panicked or was cancelled).
    #[error("{0}")]
    Interrupted(String),
    /// A bulk webhook change is already running on the connector (in another window, the CLI or
    /// this process): one at a time per connector, never two interleaved.
    #[error(
        "A bulk webhook change is already running on '{connector}' in another Switchboard \
         window or the CLI. Wait for it to finish (its progress shows on the connector's \
         Numbers tab, its journal in `switchboard webhook jobs`), then start this one again."
    )]
    JobRunning { connector: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Secret(#[from] SecretError),
}

/// What kind of failure reached the user: the UI branches on it, the CLI maps it to its exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// One or more fields are wrong; `fields` says which.
    Validation,
    NotFound,
    Ambiguous,
    /// The request clashes with what is stored (e.g. a number already bound to another agent).
    Conflict,
    /// No usable OS keychain.
    KeychainUnavailable,
    KeychainRefused,
    /// The database was written by a newer version.
    DatabaseTooNew,
    Database,
    /// The app could not start its core (see the message).
    NotReady,
    /// A bulk job is already running on the connector, in another window or the CLI: try again
    /// once it has finished (CLI exit code 1).
    JobRunning,
    /// The operation failed; the message says why. (A provider failure has its own codes, see
    /// [`FailureCode`].)
    Failed,
}

impl ErrorCode {
    /// True when the user's input was at fault (CLI exit code 2) rather than the operation.
    pub fn is_bad_input(self) -> bool {
        matches!(
            self,
            Self::Validation | Self::NotFound | Self::Ambiguous | Self::Conflict
        )
    }
}

/// The `code` a failure reaches the UI and `--json` with: core's own code, or for a provider
/// failure the kind's stable name (`INVALID_CREDENTIALS`), so support engineers and scripts can
/// match on it. In TypeScript: `ErrorCode | FailureKind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(untagged)]
pub enum FailureCode {
    Core(ErrorCode),
    Provider(FailureKind),
}

impl FailureCode {
    /// True when the user's input was at fault (CLI exit code 2) rather than the operation.
    pub fn is_bad_input(self) -> bool {
        match self {
            Self::Core(code) => code.is_bad_input(),
            Self::Provider(_) => false,
        }
    }
}

impl From<ErrorCode> for FailureCode {
    fn from(code: ErrorCode) -> Self {
        Self::Core(code)
    }
}

impl CoreError {
    pub fn code(&self) -> FailureCode {
        match self {
            Self::Provider(failure) => FailureCode::Provider(failure.kind),
            other => FailureCode::Core(other.core_code()),
        }
    }

    /// The provider failure, when this is one.
    pub fn provider_failure(&self) -> Option<&ProviderFailure> {
        match self {
            Self::Provider(failure) => Some(failure),
            _ => None,
        }
    }

    fn core_code(&self) -> ErrorCode {
        match self {
            Self::Validation(_) => ErrorCode::Validation,
            Self::NotFound { .. } => ErrorCode::NotFound,
            Self::Ambiguous(_) => ErrorCode::Ambiguous,
            Self::Conflict(_) => ErrorCode::Conflict,
            Self::JobRunning { .. } => ErrorCode::JobRunning,
            Self::Provider(_) | Self::Interrupted(_) | Self::Sandbox(_) => ErrorCode::Failed,
            Self::Store(StoreError::TooNew { .. }) => ErrorCode::DatabaseTooNew,
            Self::Store(_) => ErrorCode::Database,
            Self::Secret(SecretError::Unavailable { .. }) => ErrorCode::KeychainUnavailable,
            Self::Secret(SecretError::Refused { .. }) => ErrorCode::KeychainRefused,
        }
    }

    /// The field errors of a validation failure; empty otherwise.
    pub fn fields(&self) -> &[FieldError] {
        match self {
            Self::Validation(fields) => fields,
            _ => &[],
        }
    }

    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }
}

fn describe_fields(errors: &[FieldError]) -> String {
    match errors {
        [] => "The input is not valid".to_owned(),
        [only] => format!("{}: {}", only.field, only.message),
        [first, rest @ ..] => {
            format!(
                "{}: {} (and {} more problems)",
                first.field,
                first.message,
                rest.len()
            )
        }
    }
}

/// Longest unbroken run of characters a message keeps: an id, a URL or a number fits; a value
/// someone pasted by the megabyte is cut.
const RUN_MAX: usize = 120;

/// A message as the UI and the terminal show it. Messages quote the value they refuse; a hostile
/// one (a huge string, a NUL byte, terminal escapes) is cut short and its control characters
/// made visible.
pub fn readable(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(1024));
    let mut run = 0;
    for c in message.chars() {
        if c == ' ' || c == '\n' {
            run = 0;
        } else {
            run += 1;
        }
        if run > RUN_MAX {
            if run == RUN_MAX + 1 {
                out.push('…');
            }
            continue;
        }
        if c.is_control() && c != '\n' {
            out.push('\u{FFFD}');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_providers::Provider;

    fn failure() -> ProviderFailure {
        ProviderFailure {
            provider: Provider::Twilio,
            kind: FailureKind::InvalidCredentials,
            provider_code: Some("20003".into()),
            http_status: Some(401),
            message: "Authenticate".into(),
            cause: "Twilio did not accept the credentials.".into(),
            fix: "Enter them again.".into(),
            docs_url: Some("https://www.twilio.com/docs/api/errors/20003".into()),
        }
    }

    #[test]
    fn a_provider_failure_is_typed_and_its_code_is_the_kind() {
        let error = CoreError::from(failure());
        assert_eq!(
            error.code(),
            FailureCode::Provider(FailureKind::InvalidCredentials)
        );
        assert_eq!(
            serde_json::to_value(error.code()).unwrap(),
            "INVALID_CREDENTIALS"
        );
        assert!(!error.code().is_bad_input(), "exit code 1, not 2");
        assert_eq!(error.provider_failure(), Some(&failure()));
        assert_eq!(
            error.to_string(),
            "Twilio did not accept the credentials. (Twilio code 20003: Authenticate) Enter them \
             again."
        );
        let core = CoreError::field("name", "required");
        assert_eq!(serde_json::to_value(core.code()).unwrap(), "validation");
        assert!(core.code().is_bad_input());
        assert_eq!(core.provider_failure(), None);
    }
}
