//! The one error shape the UI receives: `{ code, message, fields }`, never a secret.

use serde::Serialize;
use switchboard_core::{CoreError, ErrorCode, FieldError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CommandError {
    pub code: ErrorCode,
    pub message: String,
    /// For `validation`: which field is wrong and why; empty otherwise.
    pub fields: Vec<FieldError>,
}

impl From<CoreError> for CommandError {
    fn from(error: CoreError) -> Self {
        Self {
            code: error.code(),
            message: error.to_string(),
            fields: error.fields().to_vec(),
        }
    }
}

impl CommandError {
    pub fn not_ready(message: impl Into<String>) -> Self {
        Self {
            code: ErrorCode::NotReady,
            message: message.into(),
            fields: Vec::new(),
        }
    }

    pub fn failed(message: impl Into<String>) -> Self {
        Self {
            code: ErrorCode::Failed,
            message: message.into(),
            fields: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wire_shape_is_pinned() {
        let error = CommandError::from(CoreError::field("settings.accountSid", "starts with AC"));
        assert_eq!(
            serde_json::to_value(&error).unwrap(),
            serde_json::json!({
                "code": "validation",
                "message": "settings.accountSid: starts with AC",
                "fields": [{ "field": "settings.accountSid", "message": "starts with AC" }]
            })
        );
        let missing = CommandError::from(CoreError::NotFound {
            what: "Connector",
            reference: "x".into(),
        });
        assert_eq!(
            serde_json::to_value(&missing).unwrap(),
            serde_json::json!({ "code": "not_found", "message": "Connector 'x' was not found", "fields": [] })
        );
    }
}
