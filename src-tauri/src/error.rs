//! The one error shape the UI receives: `{ code, message, fields, provider }`, never a secret.
//! `code` is core's own code or, for a provider failure, the kind's stable name
//! (`INVALID_CREDENTIALS`); `provider` then carries the typed failure (cause, fix, the
//! provider's code and its page).

use serde::Serialize;
use switchboard_core::{CoreError, ErrorCode, FailureCode, FieldError, ProviderFailure, readable};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CommandError {
    pub code: FailureCode,
    pub message: String,
    /// For `validation`: which field is wrong and why; empty otherwise.
    pub fields: Vec<FieldError>,
    /// For a provider failure: everything a support engineer needs; `null` otherwise. (Optional
    /// in TypeScript so the type reads the same in both directions.)
    #[specta(optional)]
    pub provider: Option<Box<ProviderFailure>>,
}

impl From<CoreError> for CommandError {
    fn from(error: CoreError) -> Self {
        Self {
            code: error.code(),
            message: readable(&error.to_string()),
            fields: error
                .fields()
                .iter()
                .map(|field| FieldError::new(&field.field, readable(&field.message)))
                .collect(),
            provider: error.provider_failure().cloned().map(Box::new),
        }
    }
}

impl CommandError {
    pub fn not_ready(message: impl Into<String>) -> Self {
        Self::plain(ErrorCode::NotReady, message)
    }

    pub fn failed(message: impl Into<String>) -> Self {
        Self::plain(ErrorCode::Failed, message)
    }

    fn plain(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            fields: Vec::new(),
            provider: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_core::{FailureKind, Provider};

    #[test]
    fn the_wire_shape_is_pinned() {
        let error = CommandError::from(CoreError::field("settings.accountSid", "starts with AC"));
        assert_eq!(
            serde_json::to_value(&error).unwrap(),
            serde_json::json!({
                "code": "validation",
                "message": "settings.accountSid: starts with AC",
                "fields": [{ "field": "settings.accountSid", "message": "starts with AC" }],
                "provider": null
            })
        );
        let missing = CommandError::from(CoreError::NotFound {
            what: "Connector",
            reference: "x".into(),
        });
        assert_eq!(
            serde_json::to_value(&missing).unwrap(),
            serde_json::json!({
                "code": "not_found",
                "message": "Connector 'x' was not found",
                "fields": [],
                "provider": null
            })
        );
    }

    #[test]
    fn a_refused_value_is_quoted_short_and_without_control_characters() {
        let huge = "9".repeat(1 << 20);
        let error = CommandError::from(CoreError::NotFound {
            what: "Connector",
            reference: format!("a\u{0}b {huge}"),
        });
        assert!(error.message.len() < 400, "{} bytes", error.message.len());
        assert!(
            error.message.starts_with("Connector 'a\u{FFFD}b 999"),
            "{}",
            error.message
        );
        assert!(
            error.message.ends_with("… was not found"),
            "{}",
            error.message
        );
        let field = CommandError::from(CoreError::field("level", format!("'{huge}' is unknown")));
        assert!(field.fields[0].message.len() < 400);
        // An ordinary message is left as it is.
        let plain = CommandError::from(CoreError::field("name", "Give the agent a name"));
        assert_eq!(plain.message, "name: Give the agent a name");
    }

    #[test]
    fn a_provider_failure_reaches_the_ui_typed() {
        let failure = ProviderFailure {
            provider: Provider::Twilio,
            kind: FailureKind::OutsideSessionWindow,
            provider_code: Some("63016".into()),
            http_status: Some(400),
            message: "outside the allowed window".into(),
            cause: "cause.".into(),
            fix: "fix.".into(),
            docs_url: Some("https://www.twilio.com/docs/api/errors/63016".into()),
        };
        let error = CommandError::from(CoreError::from(failure));
        assert_eq!(
            serde_json::to_value(&error).unwrap(),
            serde_json::json!({
                "code": "OUTSIDE_SESSION_WINDOW",
                "message": "cause. (Twilio code 63016: outside the allowed window) fix.",
                "fields": [],
                "provider": {
                    "provider": "twilio",
                    "kind": "OUTSIDE_SESSION_WINDOW",
                    "providerCode": "63016",
                    "httpStatus": 400,
                    "message": "outside the allowed window",
                    "cause": "cause.",
                    "fix": "fix.",
                    "docsUrl": "https://www.twilio.com/docs/api/errors/63016"
                }
            })
        );
    }
}
