//! Twilio error bodies and error codes.
//!
//! Body: `{"code": 21211, "message": "…", "more_info": "https://www.twilio.com/docs/errors/21211",
//! "status": 400}`; newer APIs may answer RFC 9457 style (`title`, `detail`), read as well. What
//! the codes mean is in the shared table ([`crate::failure::table`]).

use serde::Deserialize;
use serde_json::Value;

use crate::dialect::{Dialect, https_link_on};
use crate::error::ApiErrorBody;
use crate::failure::{FailureKind, table};
use crate::lenient;
use crate::provider::Provider;

#[derive(Deserialize, Default)]
#[serde(default)]
struct TwilioErrorBody {
    #[serde(deserialize_with = "lenient::string_or_number")]
    code: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    message: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    detail: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    title: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    more_info: Option<String>,
}

pub(crate) fn parse_error_body(body: &[u8]) -> ApiErrorBody {
    // Only a JSON object is an error body; anything else (an HTML page from a proxy) is not.
    let Ok(value @ Value::Object(_)) = serde_json::from_slice::<Value>(body) else {
        return ApiErrorBody::default();
    };
    let parsed: TwilioErrorBody = serde_json::from_value(value).unwrap_or_default();
    ApiErrorBody {
        code: parsed.code,
        message: parsed.message.or(parsed.detail).or(parsed.title),
        more_info: parsed.more_info,
        field: None,
    }
}

/// The kind of a Twilio error code, from API errors or a message's `error_code`.
pub fn classify_error_code(code: i64) -> Option<FailureKind> {
    table::kind_for_code(Provider::Twilio, &code.to_string())
}

/// Twilio's error dialect.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TwilioDialect;

pub(crate) static DIALECT: TwilioDialect = TwilioDialect;

impl Dialect for TwilioDialect {
    fn provider(&self) -> Provider {
        Provider::Twilio
    }

    fn parse_error_body(&self, body: &[u8]) -> ApiErrorBody {
        parse_error_body(body)
    }

    /// 20403 is "forbidden" in general but, with a message saying so, a suspended or closed
    /// account.
    fn refine(
        &self,
        _http_status: u16,
        body: &ApiErrorBody,
        by_table: Option<FailureKind>,
    ) -> Option<FailureKind> {
        let message = body.message.as_deref().unwrap_or_default();
        if body.code.as_deref().map(str::trim) == Some("20403")
            && mentions_inactive_account(message)
        {
            return Some(FailureKind::AccountSuspended);
        }
        by_table
    }

    /// The body's `more_info` when it is a Twilio https link, else the error's page.
    fn docs_url(&self, code: Option<&str>, more_info: Option<&str>) -> Option<String> {
        more_info
            .and_then(|link| https_link_on(link, "twilio.com"))
            .or_else(|| {
                let code = code?.trim();
                (!code.is_empty() && code.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| format!("https://www.twilio.com/docs/api/errors/{code}"))
            })
    }
}

fn mentions_inactive_account(message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    message.contains("suspended") || message.contains("closed")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::api_error;
    use crate::failure::CallContext;
    use FailureKind::*;

    fn classify(
        status: u16,
        code: Option<&str>,
        message: &str,
        context: CallContext,
    ) -> FailureKind {
        let body = ApiErrorBody {
            code: code.map(str::to_owned),
            message: Some(message.to_owned()),
            ..ApiErrorBody::default()
        };
        api_error(&DIALECT, status, body, context).kind()
    }

    #[test]
    fn twilio_classification_table() {
        use CallContext::*;
        // (HTTP status, code, message, context, kind)
        let table: &[(u16, Option<&str>, &str, CallContext, FailureKind)] = &[
            (
                400,
                Some("21211"),
                "Invalid 'To' Phone Number",
                Send,
                InvalidRecipient,
            ),
            (
                400,
                Some("21610"),
                "unsubscribed recipient",
                Send,
                InvalidRecipient,
            ),
            (
                400,
                Some("21614"),
                "not a valid mobile number",
                Send,
                InvalidSender,
            ),
            (
                400,
                Some("21408"),
                "Permission to send an SMS",
                Send,
                InvalidSender,
            ),
            (
                400,
                Some("20001"),
                "Unknown parameter",
                Send,
                InvalidMessage,
            ),
            // Any other send failure.
            (400, Some("21999"), "something new", Send, SendMessageFailed),
            (400, None, "", Send, SendMessageFailed),
            (
                400,
                Some("21999"),
                "something new",
                StatusQuery,
                StatusQueryFailed,
            ),
            (
                400,
                Some("21999"),
                "something new",
                CredentialCheck,
                CredentialCheckFailed,
            ),
            (400, Some("21999"), "something new", Other, RequestFailed),
            (
                401,
                Some("20003"),
                "Authenticate",
                CredentialCheck,
                InvalidCredentials,
            ),
            (403, Some("20403"), "Forbidden", Other, PermissionDenied),
            (
                403,
                Some("20403"),
                "Your account is suspended",
                Other,
                AccountSuspended,
            ),
            (
                403,
                Some("20403"),
                "The account is closed",
                Other,
                AccountSuspended,
            ),
            (
                401,
                Some("10001"),
                "Account is not active",
                Other,
                AccountSuspended,
            ),
            (404, Some("20404"), "not found", StatusQuery, NotFound),
            (429, Some("20429"), "Too Many Requests", Send, RateLimited),
            (429, Some("21211"), "odd", Send, RateLimited),
            (429, None, "", Other, RateLimited),
            (
                400,
                Some("63016"),
                "outside the allowed window",
                Send,
                OutsideSessionWindow,
            ),
            (
                400,
                Some("21656"),
                "ContentVariables invalid",
                Send,
                TemplateRejected,
            ),
            (
                409,
                Some("63110"),
                "already registered",
                Other,
                SenderRegistrationFailed,
            ),
            (401, None, "", Other, InvalidCredentials),
            (404, Some("not-a-number"), "", Other, NotFound),
            (500, None, "", Send, ProviderUnavailable),
            (
                503,
                Some("20500"),
                "Internal error",
                Other,
                ProviderUnavailable,
            ),
        ];
        for (status, code, message, context, kind) in table {
            assert_eq!(
                classify(*status, *code, message, *context),
                *kind,
                "{status} {code:?} {message} {context:?}"
            );
        }
    }

    #[test]
    fn specific_wording_only_when_the_code_decided_the_kind() {
        let body = |code: &str, message: &str| ApiErrorBody {
            code: Some(code.into()),
            message: Some(message.into()),
            ..ApiErrorBody::default()
        };
        let registration = api_error(&DIALECT, 400, body("63110", "x"), CallContext::Other);
        assert_ne!(
            registration.failure().cause,
            SenderRegistrationFailed.cause(),
            "63110 has its own wording"
        );
        let suspended = api_error(
            &DIALECT,
            403,
            body("20403", "account suspended"),
            CallContext::Other,
        );
        assert_eq!(suspended.failure().cause, AccountSuspended.cause());
    }

    #[test]
    fn docs_links() {
        let d = DIALECT;
        assert_eq!(
            d.docs_url(Some("21211"), None).as_deref(),
            Some("https://www.twilio.com/docs/api/errors/21211")
        );
        assert_eq!(
            d.docs_url(
                Some("20003"),
                Some("https://www.twilio.com/docs/errors/20003")
            )
            .as_deref(),
            Some("https://www.twilio.com/docs/errors/20003")
        );
        // Legacy http links and foreign hosts give way to the error's own page.
        assert_eq!(
            d.docs_url(
                Some("20003"),
                Some("http://www.twilio.com/docs/errors/20003")
            )
            .as_deref(),
            Some("https://www.twilio.com/docs/api/errors/20003")
        );
        assert_eq!(
            d.docs_url(Some("20003"), Some("https://evil.example/20003"))
                .as_deref(),
            Some("https://www.twilio.com/docs/api/errors/20003")
        );
        assert_eq!(d.docs_url(None, None), None);
        assert_eq!(d.docs_url(Some("../x"), None), None);
    }

    #[test]
    fn message_error_codes() {
        assert_eq!(classify_error_code(30003), Some(InvalidRecipient));
        assert_eq!(classify_error_code(30006), Some(InvalidRecipient));
        assert_eq!(classify_error_code(30007), Some(InvalidMessage));
        // Its own wording; the kind is what a send falls back to anyway.
        assert_eq!(classify_error_code(30008), Some(SendMessageFailed));
        assert_eq!(classify_error_code(63016), Some(OutsideSessionWindow));
    }

    #[test]
    fn error_bodies() {
        let classic = parse_error_body(
            br#"{"code":20003,"message":"Authenticate","more_info":"https://www.twilio.com/docs/errors/20003","status":401}"#,
        );
        assert_eq!(
            classic,
            ApiErrorBody {
                code: Some("20003".into()),
                message: Some("Authenticate".into()),
                more_info: Some("https://www.twilio.com/docs/errors/20003".into()),
                field: None,
            }
        );
        let rfc9457 = parse_error_body(
            br#"{"type":"https://www.twilio.com/docs/errors/63100","title":"Validation error","status":400,"code":63100,"detail":"profile.name is required"}"#,
        );
        assert_eq!(rfc9457.code.as_deref(), Some("63100"));
        assert_eq!(rfc9457.message.as_deref(), Some("profile.name is required"));
        assert_eq!(
            parse_error_body(b"<html>Bad gateway</html>"),
            ApiErrorBody::default()
        );
        assert_eq!(parse_error_body(b"[1,2]"), ApiErrorBody::default());
        assert_eq!(parse_error_body(b""), ApiErrorBody::default());
        let odd = parse_error_body(br#"{"code":{"x":1},"message":42}"#);
        assert_eq!(odd.code, None);
        assert_eq!(odd.message.as_deref(), Some("42"));
    }
}
