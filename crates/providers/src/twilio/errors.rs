//! Twilio error bodies and error codes.
//!
//! Body: `{"code": 21211, "message": "…", "more_info": "https://www.twilio.com/docs/errors/21211",
//! "status": 400}`; newer APIs may answer RFC 9457 style (`title`, `detail`), read as well.

use serde::Deserialize;
use serde_json::Value;

use crate::error::{ApiErrorBody, ErrorKind, Explanation, classify_http_status};
use crate::lenient;

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
pub fn classify_error_code(code: i64) -> Option<ErrorKind> {
    use ErrorKind::*;
    Some(match code {
        20001 => InvalidMessage,
        20003 => Auth,
        20403 => Permission,
        20404 => NotFound,
        20429 => RateLimited,
        // 'To' invalid, unroutable, unsubscribed / blocked, missing.
        21211 | 21612 | 21610 | 21604 => InvalidRecipient,
        // As in the product's table: 21614 and 21408 are reported as problems of the sending
        // side (number not able / not allowed to send to that destination).
        21212 | 21606 | 21614 | 21408 | 63007 => InvalidSender,
        21611 => RateLimited,
        // Body missing or too long, neither body nor media.
        21602 | 21617 | 21619 => InvalidMessage,
        // ContentSid / ContentVariables invalid, template missing for the language.
        21655 | 21656 | 63027 => Template,
        63016 => OutsideWhatsAppWindow,
        63100..=63116 => SenderRegistration,
        // Delivery failures reported in a message's error_code.
        30003..=30006 => InvalidRecipient,
        30007 => InvalidMessage,
        _ => return None,
    })
}

pub(crate) fn classify(http_status: u16, code: Option<&str>, message: &str) -> ErrorKind {
    let code = code.and_then(|code| code.trim().parse::<i64>().ok());
    if code == Some(20403) && mentions_inactive_account(message) {
        return ErrorKind::AccountSuspended;
    }
    if http_status == 429 {
        return ErrorKind::RateLimited;
    }
    code.and_then(classify_error_code)
        .unwrap_or_else(|| classify_http_status(http_status))
}

fn mentions_inactive_account(message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    message.contains("suspended") || message.contains("closed")
}

/// Code-specific wording where the kind's general text would be vague.
pub(crate) fn explain_code(code: &str) -> Option<Explanation> {
    let code: i64 = code.trim().parse().ok()?;
    let kind = classify_error_code(code)?;
    let (cause, fix) = match code {
        20003 => (
            "Twilio did not accept the Account SID and token (or API key), or the account is \
             suspended or closed.",
            "Copy the Account SID and Auth Token (or API key) again from the Twilio console \
             into the connector settings.",
        ),
        21211 => (
            "The recipient's number is not a valid phone number.",
            "Check the guest's number, including the country code (for example +44…).",
        ),
        21610 => (
            "The recipient has unsubscribed from this number (replied STOP) or is blocked.",
            "The guest must reply START to receive messages again; contact them another way \
             meanwhile.",
        ),
        21612 => (
            "Twilio cannot deliver to this number from this sender.",
            "Check the number, or try another sending number or channel.",
        ),
        21606 | 21212 => (
            "The sending number is not a valid, message-capable number of this Twilio account.",
            "Choose a sending number that belongs to this account and can send SMS.",
        ),
        21614 => (
            "The destination cannot exchange SMS with this sender (for example the recipient's \
             number is a landline).",
            "Use the guest's mobile number, or contact them another way.",
        ),
        21408 => (
            "The Twilio account is not allowed to send SMS to the recipient's country.",
            "Enable that country in the Twilio console's messaging geographic permissions.",
        ),
        63007 => (
            "Twilio could not find a WhatsApp sender for the 'From' number: it is not \
             registered, not approved yet, or belongs to another account.",
            "Check in Numbers that the WhatsApp sender is Online and that the connector uses the \
             same Twilio account.",
        ),
        63100 => (
            "The WhatsApp sender request was incomplete or invalid (for example a missing \
             display name or a badly formatted number).",
            "Check the number (with + and country code) and the profile name, then submit again.",
        ),
        63104 => (
            "The WhatsApp Business Account already has the most phone numbers it may have.",
            "Remove an unused sender or ask Meta to raise the limit.",
        ),
        63110 => (
            "This phone number is already registered with WhatsApp (on a phone or with another \
             provider).",
            "Delete the WhatsApp account on that number or migrate it, then register again.",
        ),
        63111 => (
            "WhatsApp could not find the phone number or the WhatsApp Business Account.",
            "Check the number and the WhatsApp Business Account ID in the sender settings.",
        ),
        63113 => (
            "The WhatsApp sender could not be verified.",
            "Make sure the number can receive the verification SMS or call, then verify again.",
        ),
        63114 => (
            "Too many verification codes were requested for this number.",
            "Wait a few hours before asking for a new code.",
        ),
        63116 => (
            "The verification code did not arrive, so the sender could not be registered \
             automatically.",
            "Check that the number can receive SMS or calls and register again, choosing voice \
             verification if SMS does not arrive.",
        ),
        _ => return None,
    };
    Some(Explanation::new(kind, cause, fix))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ErrorKind::*;

    #[test]
    fn twilio_classification_table() {
        // (HTTP status, code, message, kind)
        let table: &[(u16, Option<&str>, &str, ErrorKind)] = &[
            (
                400,
                Some("21211"),
                "Invalid 'To' Phone Number",
                InvalidRecipient,
            ),
            (
                400,
                Some("21610"),
                "Attempt to send to unsubscribed recipient",
                InvalidRecipient,
            ),
            (400, Some("21612"), "cannot route", InvalidRecipient),
            (
                400,
                Some("21614"),
                "'To' number is not a valid mobile number",
                InvalidSender,
            ),
            (
                400,
                Some("21408"),
                "Permission to send an SMS has not been enabled",
                InvalidSender,
            ),
            (
                400,
                Some("21606"),
                "'From' phone number not valid",
                InvalidSender,
            ),
            (400, Some("21212"), "Invalid 'From' number", InvalidSender),
            (
                400,
                Some("63007"),
                "could not find a Channel with the specified From",
                InvalidSender,
            ),
            (400, Some("20001"), "Unknown parameter", InvalidMessage),
            (
                400,
                Some("21602"),
                "Message body is required",
                InvalidMessage,
            ),
            (401, Some("20003"), "Authenticate", Auth),
            (403, Some("20403"), "Forbidden", Permission),
            (
                403,
                Some("20403"),
                "Your account is suspended",
                AccountSuspended,
            ),
            (
                403,
                Some("20403"),
                "The account is closed",
                AccountSuspended,
            ),
            (
                404,
                Some("20404"),
                "The requested resource was not found",
                NotFound,
            ),
            (429, Some("20429"), "Too Many Requests", RateLimited),
            (429, None, "", RateLimited),
            (400, Some("21611"), "queue is full", RateLimited),
            (
                400,
                Some("63016"),
                "outside the allowed window",
                OutsideWhatsAppWindow,
            ),
            (400, Some("21656"), "ContentVariables invalid", Template),
            (
                400,
                Some("63100"),
                "Senders API validation error",
                SenderRegistration,
            ),
            (
                400,
                Some("63104"),
                "Maximum number of phone numbers",
                SenderRegistration,
            ),
            (409, Some("63110"), "already registered", SenderRegistration),
            (400, Some("63116"), "OTP not received", SenderRegistration),
            (400, Some("63117"), "unknown", Unknown),
            (400, Some("99999"), "unknown", Unknown),
            (401, None, "", Auth),
            (404, Some("not-a-number"), "", NotFound),
            (500, None, "", Unavailable),
            (503, Some("20500"), "Internal error", Unavailable),
        ];
        for (status, code, message, kind) in table {
            assert_eq!(
                classify(*status, *code, message),
                *kind,
                "{status} {code:?} {message}"
            );
        }
    }

    #[test]
    fn message_error_codes() {
        assert_eq!(classify_error_code(30003), Some(InvalidRecipient));
        assert_eq!(classify_error_code(30006), Some(InvalidRecipient));
        assert_eq!(classify_error_code(30007), Some(InvalidMessage));
        assert_eq!(classify_error_code(30008), None);
        assert_eq!(classify_error_code(63016), Some(OutsideWhatsAppWindow));
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

    #[test]
    fn explanations_are_specific_for_registration_codes() {
        for code in [
            "63100", "63104", "63110", "63111", "63113", "63114", "63116",
        ] {
            let explanation = explain_code(code).unwrap();
            assert_eq!(explanation.kind, SenderRegistration);
            assert_ne!(explanation.cause, SenderRegistration.cause(), "{code}");
        }
        assert_eq!(explain_code("63105").map(|e| e.kind), None);
        assert_eq!(explain_code("21211").unwrap().kind, InvalidRecipient);
    }
}
