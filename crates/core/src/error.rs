use serde::Serialize;

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
    /// The provider refused or could not be reached; the message says why, in plain words.
    #[error("{0}")]
    Provider(String),
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
    /// The operation failed; the message says why.
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

impl CoreError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Validation(_) => ErrorCode::Validation,
            Self::NotFound { .. } => ErrorCode::NotFound,
            Self::Ambiguous(_) => ErrorCode::Ambiguous,
            Self::Conflict(_) => ErrorCode::Conflict,
            Self::Provider(_) => ErrorCode::Failed,
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
