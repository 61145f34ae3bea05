//! The data behind [`FailureKind`]: each kind's stable name, cause and fix; which provider code
//! is which kind (with a more specific cause and fix where the kind's would be vague); and the
//! HTTP-status and transport fallbacks. To support a new code, add a row — no code changes.
//!
//! Provider codes were checked against the providers' error references: Twilio's
//! `twilio.com/docs/api/errors/<code>` pages, Telnyx's api-errors list
//! (developers.telnyx.com/development/api-fundamentals/api-errors); 46elks documents no codes.

use super::{FailureKind, Hint, TransportKind};
use crate::provider::Provider;

use FailureKind::*;

/// A kind's stable name and its general wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindText {
    pub name: &'static str,
    pub cause: &'static str,
    pub fix: &'static str,
}

const fn text(name: &'static str, cause: &'static str, fix: &'static str) -> KindText {
    KindText { name, cause, fix }
}

/// Every kind, in the order the enum declares them (a test checks the names against serde).
pub const ALL_KINDS: [FailureKind; 23] = [
    InvalidRecipient,
    InvalidSender,
    InvalidMessage,
    SendMessageFailed,
    InvalidConnectionSettings,
    MissingFromNumber,
    MissingContentSid,
    InvalidWhatsappNumber,
    StatusQueryFailed,
    CredentialCheckFailed,
    RequestFailed,
    InvalidCredentials,
    PermissionDenied,
    AccountSuspended,
    OutsideSessionWindow,
    RateLimited,
    NotFound,
    TemplateRejected,
    SenderRegistrationFailed,
    ProviderUnavailable,
    Unreachable,
    UnreadableResponse,
    UnknownOutcome,
];

pub fn kind_text(kind: FailureKind) -> KindText {
    match kind {
        InvalidRecipient => text(
            "INVALID_RECIPIENT",
            "The recipient's phone number is not valid, cannot receive messages, or has opted out.",
            "Check the guest's number including the country code (for example +44…), or contact \
             them another way.",
        ),
        InvalidSender => text(
            "INVALID_SENDER",
            "The number or WhatsApp sender used to send is not set up to send this message.",
            "Check in Numbers that the sending number is active and belongs to this connector; \
             ask your administrator if it keeps failing.",
        ),
        InvalidMessage => text(
            "INVALID_MESSAGE",
            "The provider refused the message because of its content or a missing part.",
            "Check the text, attachments and template, then try again.",
        ),
        SendMessageFailed => text(
            "SEND_MESSAGE_FAILED",
            "The provider did not send the message.",
            "Read the provider's message and code below; try again, and if it keeps failing \
             send a diagnostic bundle to your administrator.",
        ),
        InvalidConnectionSettings => text(
            "INVALID_CONNECTION_SETTINGS",
            "The connector's settings cannot be used to reach the provider.",
            "Open the connector settings and correct the values named in the message.",
        ),
        MissingFromNumber => text(
            "MISSING_FROM_NUMBER",
            "No sending number was given for this message.",
            "Choose the number or WhatsApp sender to send from.",
        ),
        MissingContentSid => text(
            "MISSING_CONTENT_SID",
            "A WhatsApp template message needs the template's Content SID (HX…).",
            "Pick an approved template for the message.",
        ),
        InvalidWhatsappNumber => text(
            "INVALID_WHATSAPP_NUMBER",
            "The WhatsApp number is not in the form whatsapp:+ followed by the country code and \
             number.",
            "Write the number as whatsapp:+447700900123 (or as +447700900123).",
        ),
        StatusQueryFailed => text(
            "STATUS_QUERY_FAILED",
            "The provider did not say what happened to the message.",
            "Try again in a few minutes; the message itself may have been sent.",
        ),
        CredentialCheckFailed => text(
            "CREDENTIAL_CHECK_FAILED",
            "The provider refused the credential check for a reason it did not explain further.",
            "Read the provider's message and code below, then check the connector settings.",
        ),
        RequestFailed => text(
            "REQUEST_FAILED",
            "The provider refused the request.",
            "Read the provider's message and code below; try again, and if it keeps failing \
             send a diagnostic bundle to your administrator.",
        ),
        InvalidCredentials => text(
            "INVALID_CREDENTIALS",
            "The provider did not accept the saved credentials.",
            "Open the connector settings and enter the current credentials from the provider's \
             console.",
        ),
        PermissionDenied => text(
            "PERMISSION_DENIED",
            "The credentials are valid but are not allowed to do this at the provider.",
            "Use credentials with full access, or ask the account owner to allow this.",
        ),
        AccountSuspended => text(
            "ACCOUNT_SUSPENDED",
            "The provider account is suspended or closed.",
            "Contact the provider's support or your administrator to reactivate the account.",
        ),
        OutsideSessionWindow => text(
            "OUTSIDE_SESSION_WINDOW",
            "The guest has not written in the last 24 hours, so WhatsApp only allows an approved \
             template.",
            "Send an approved template instead of free text; once the guest replies you can \
             write freely again.",
        ),
        RateLimited => text(
            "RATE_LIMITED",
            "The provider is receiving too many requests right now.",
            "Wait a minute and try again; Switchboard already retried automatically.",
        ),
        NotFound => text(
            "NOT_FOUND",
            "The provider could not find this number, sender, template or message.",
            "Refresh the list of numbers; it may have been removed or belong to another account.",
        ),
        TemplateRejected => text(
            "TEMPLATE_REJECTED",
            "The WhatsApp template was refused: it is not approved, not found, or its variables \
             do not match.",
            "Pick an approved template and fill in all its variables.",
        ),
        SenderRegistrationFailed => text(
            "SENDER_REGISTRATION_FAILED",
            "The WhatsApp sender could not be registered.",
            "Open the sender in the provider's console, correct what it reports and submit the \
             registration again.",
        ),
        ProviderUnavailable => text(
            "PROVIDER_UNAVAILABLE",
            "The provider had a temporary problem of its own.",
            "Try again in a few minutes; check the provider's status page if it keeps happening.",
        ),
        Unreachable => text(
            "UNREACHABLE",
            "The provider could not be reached.",
            "Check the internet connection and the connector's API address, then try again.",
        ),
        UnreadableResponse => text(
            "UNREADABLE_RESPONSE",
            "The provider answered, but not in the format Switchboard expects.",
            "Try again later; if it keeps happening, send a diagnostic bundle to your \
             administrator.",
        ),
        UnknownOutcome => text(
            "UNKNOWN_OUTCOME",
            "The message may or may not have been sent: the provider did not confirm it.",
            "Do not send it again yet; check the provider's recent messages first.",
        ),
    }
}

/// Which provider codes a row covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codes {
    One(&'static str),
    /// Inclusive range of numeric codes.
    Range(u32, u32),
}

impl Codes {
    fn covers(self, code: &str) -> bool {
        match self {
            Codes::One(one) => one == code,
            Codes::Range(low, high) => code.parse::<u32>().is_ok_and(|c| (low..=high).contains(&c)),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeRow {
    pub provider: Provider,
    pub codes: Codes,
    pub kind: FailureKind,
    pub hint: Option<Hint>,
}

const fn row(provider: Provider, code: &'static str, kind: FailureKind) -> CodeRow {
    CodeRow {
        provider,
        codes: Codes::One(code),
        kind,
        hint: None,
    }
}

const fn explained(
    provider: Provider,
    code: &'static str,
    kind: FailureKind,
    cause: &'static str,
    fix: &'static str,
) -> CodeRow {
    CodeRow {
        provider,
        codes: Codes::One(code),
        kind,
        hint: Some(Hint { cause, fix }),
    }
}

const fn range(provider: Provider, low: u32, high: u32, kind: FailureKind) -> CodeRow {
    CodeRow {
        provider,
        codes: Codes::Range(low, high),
        kind,
        hint: None,
    }
}

const TWILIO: Provider = Provider::Twilio;
const TELNYX: Provider = Provider::Telnyx;

/// Twilio's code for a send from the WhatsApp Sandbox to a number that has not joined it (or
/// whose 72 hours are over); its row's cause and fix are the sandbox's join instructions.
pub const WHATSAPP_SANDBOX_JOIN_CODE: &str = "63015";

/// The WhatsApp Sandbox's join instructions (cause, fix): the 63015 row's own words, for the
/// places that explain the join step before anything is sent.
pub fn whatsapp_sandbox_join_hint() -> Hint {
    lookup(TWILIO, WHATSAPP_SANDBOX_JOIN_CODE)
        .and_then(|row| row.hint)
        .unwrap_or(Hint {
            cause: InvalidRecipient.cause(),
            fix: InvalidRecipient.fix(),
        })
}

/// Provider code → kind. The first row that covers a code wins, so specific codes come before
/// the ranges that include them.
pub const CODE_TABLE: &[CodeRow] = &[
    // Twilio, from the seed connector's table (Ratatosk.Twilio) …
    explained(
        TWILIO,
        "21211",
        InvalidRecipient,
        "The recipient's number is not a valid phone number.",
        "Check the guest's number, including the country code (for example +44…).",
    ),
    explained(
        TWILIO,
        "21610",
        InvalidRecipient,
        "The recipient has unsubscribed from this number (replied STOP) or is blocked.",
        "The guest must reply START to receive messages again; contact them another way \
         meanwhile.",
    ),
    // As in the product's table: 21614 and 21408 are reported as problems of the sending side
    // (number not able / not allowed to send to that destination).
    explained(
        TWILIO,
        "21614",
        InvalidSender,
        "The destination cannot exchange SMS with this sender (for example the recipient's \
         number is a landline).",
        "Use the guest's mobile number, or contact them another way.",
    ),
    explained(
        TWILIO,
        "21408",
        InvalidSender,
        "The Twilio account is not allowed to send SMS to the recipient's country.",
        "Enable that country in the Twilio console's messaging geographic permissions.",
    ),
    row(TWILIO, "20001", InvalidMessage),
    // … and what a support engineer needs beyond it.
    explained(
        TWILIO,
        "20003",
        InvalidCredentials,
        "Twilio did not accept the credentials: the Account SID, the API Key SID or the Auth \
         Token / key secret is wrong, or the account is suspended or closed.",
        "Copy the Account SID and Auth Token (or API key) again from the Twilio console into the \
         connector settings; if they are right, check in the console that the account is active.",
    ),
    explained(
        TWILIO,
        "20403",
        PermissionDenied,
        "Twilio refused: these credentials may not do this (a restricted API key, or another \
         account's SID).",
        "Use the account's Auth Token or an API key with full access.",
    ),
    row(TWILIO, "20404", NotFound),
    row(TWILIO, "20429", RateLimited),
    explained(
        TWILIO,
        "10001",
        AccountSuspended,
        "The Twilio account exists but is not active (pending activation, disabled or closed).",
        "Check the account's status in the Twilio console; contact Twilio support if it was \
         working before.",
    ),
    explained(
        TWILIO,
        "30002",
        AccountSuspended,
        "Twilio accepted the message, but the account was suspended before it could be sent.",
        "Resolve the suspension with Twilio (billing or policy notice), then send again.",
    ),
    explained(
        TWILIO,
        "21612",
        InvalidRecipient,
        "Twilio cannot deliver to this number from this sender.",
        "Check the number, or try another sending number or channel.",
    ),
    row(TWILIO, "21604", InvalidRecipient),
    explained(
        TWILIO,
        "21212",
        InvalidSender,
        "The sending number is not a valid, message-capable number of this Twilio account.",
        "Choose a sending number that belongs to this account and can send SMS.",
    ),
    explained(
        TWILIO,
        "21606",
        InvalidSender,
        "The sending number is not a valid, message-capable number of this Twilio account.",
        "Choose a sending number that belongs to this account and can send SMS.",
    ),
    explained(
        TWILIO,
        "63007",
        InvalidSender,
        "Twilio could not find a WhatsApp sender for the 'From' number: it is not registered, \
         not approved yet, or belongs to another account.",
        "Check in Numbers that the WhatsApp sender is Online and that the connector uses the \
         same Twilio account.",
    ),
    // 'From' has too many queued messages.
    row(TWILIO, "21611", RateLimited),
    // Body missing or too long, neither body nor media.
    row(TWILIO, "21602", InvalidMessage),
    row(TWILIO, "21617", InvalidMessage),
    row(TWILIO, "21619", InvalidMessage),
    // ContentSid / ContentVariables invalid, template missing for the language.
    row(TWILIO, "21655", TemplateRejected),
    row(TWILIO, "21656", TemplateRejected),
    row(TWILIO, "63027", TemplateRejected),
    row(TWILIO, "63016", OutsideSessionWindow),
    explained(
        TWILIO,
        "63100",
        SenderRegistrationFailed,
        "The WhatsApp sender request was incomplete or invalid (for example a missing display \
         name or a badly formatted number).",
        "Check the number (with + and country code) and the profile name, then submit again.",
    ),
    explained(
        TWILIO,
        "63101",
        SenderRegistrationFailed,
        "Twilio cannot use the WhatsApp Business Account (WABA) with this ID: it was deleted, \
         is not shared with Twilio, or is linked to another Twilio account.",
        "Check the WhatsApp Business Account ID in Meta's WhatsApp Manager and that the account \
         is shared with Twilio, then register the sender again.",
    ),
    explained(
        TWILIO,
        "63104",
        SenderRegistrationFailed,
        "The WhatsApp Business Account already has the most phone numbers it may have.",
        "Remove an unused sender or ask Meta to raise the limit.",
    ),
    explained(
        TWILIO,
        "63110",
        SenderRegistrationFailed,
        "This phone number is already registered with WhatsApp (on a phone or with another \
         provider).",
        "Delete the WhatsApp account on that number or migrate it, then register again.",
    ),
    explained(
        TWILIO,
        "63111",
        SenderRegistrationFailed,
        "WhatsApp could not find the phone number or the WhatsApp Business Account.",
        "Check the number and the WhatsApp Business Account ID in the sender settings.",
    ),
    explained(
        TWILIO,
        "63113",
        SenderRegistrationFailed,
        "The WhatsApp sender could not be verified: the verification code was wrong or has \
         expired.",
        "Enter the code from the latest SMS or call to this number exactly as received; make \
         sure the number can receive the verification SMS or call.",
    ),
    explained(
        TWILIO,
        "63114",
        SenderRegistrationFailed,
        "Too many verification codes were requested for this number.",
        "Wait a few hours before asking for a new code.",
    ),
    explained(
        TWILIO,
        "63116",
        SenderRegistrationFailed,
        "The verification code did not arrive, so the sender could not be registered \
         automatically.",
        "Check that the number can receive SMS or calls and register again, choosing voice \
         verification if SMS does not arrive.",
    ),
    range(TWILIO, 63100, 63116, SenderRegistrationFailed),
    // Delivery failures reported in a message's error_code.
    range(TWILIO, 30003, 30006, InvalidRecipient),
    row(TWILIO, "30007", InvalidMessage),
    explained(
        TWILIO,
        "30008",
        SendMessageFailed,
        "The recipient's carrier reported an error without saying why.",
        "Try again later; if it keeps happening, give Twilio support the message SID.",
    ),
    // WhatsApp recipients (field notes, Twilio's error pages).
    //
    // 63015, Twilio's WhatsApp Sandbox: twilio.com/docs/whatsapp/sandbox ("You can only message
    // end users who have joined your Sandbox. Messaging other users will fail with Error
    // 63015"; "The Sandbox session expires three days after joining. After this, end users need
    // to rejoin") and twilio.com/docs/api/errors/63015 (joined another sandbox, or "more than
    // three days ago"). Three days = 72 hours. The app shows this wording before a sandbox send
    // too (`WHATSAPP_SANDBOX_JOIN_CODE` below), so it lives here once.
    explained(
        TWILIO,
        WHATSAPP_SANDBOX_JOIN_CODE,
        InvalidRecipient,
        "The recipient has not joined your Twilio WhatsApp Sandbox (+1 415 523 8886), joined \
         another account's sandbox, or joined more than 72 hours ago: the sandbox only sends to \
         numbers that joined it in the last 72 hours.",
        "Ask the recipient to send \"join <code>\" from WhatsApp to +1 415 523 8886 (your code \
         is in the Twilio Console under Messaging → Try it out → Send a WhatsApp message), wait \
         for Twilio's reply, then send again; or send from your own WhatsApp sender.",
    ),
    explained(
        TWILIO,
        "63024",
        InvalidRecipient,
        "The recipient cannot receive WhatsApp messages: the number is not on WhatsApp, has not \
         accepted WhatsApp's terms, or uses an outdated app.",
        "Ask the guest to open or update WhatsApp, or reach them by SMS instead.",
    ),
    // Telnyx.
    explained(
        TELNYX,
        "10009",
        InvalidCredentials,
        "Telnyx did not accept the credentials: the API key is wrong.",
        "Copy the API key (V2) again from the Telnyx portal into the connector settings.",
    ),
    row(TELNYX, "10010", PermissionDenied),
    row(TELNYX, "10011", RateLimited),
    row(TELNYX, "10005", NotFound),
    row(TELNYX, "10006", NotFound),
    row(TELNYX, "10017", NotFound),
    row(TELNYX, "10007", ProviderUnavailable),
    row(TELNYX, "10008", ProviderUnavailable),
    // Inactive number: the sending side is not usable.
    row(TELNYX, "10001", InvalidSender),
    // Invalid phone number / not +E.164, unless the blamed field says otherwise (dialect).
    row(TELNYX, "10002", InvalidRecipient),
    row(TELNYX, "10016", InvalidRecipient),
    row(TELNYX, "10003", InvalidMessage),
    row(TELNYX, "10004", InvalidMessage),
    row(TELNYX, "10015", InvalidMessage),
    // Messaging (developers.telnyx.com error pages; see the project's messaging notes).
    explained(
        TELNYX,
        "40305",
        InvalidSender,
        "The sending number is not on a messaging profile in this Telnyx account, so Telnyx \
         cannot send from it.",
        "Assign the number to a messaging profile in Mission Control, refresh Numbers, and send \
         again.",
    ),
    explained(
        TELNYX,
        "40302",
        InvalidMessage,
        "The message is longer than Telnyx sends (10 parts).",
        "Shorten the text, or turn on auto-chunking on the messaging profile.",
    ),
    row(TELNYX, "40310", InvalidRecipient),
    row(TELNYX, "40319", InvalidRecipient),
];

/// A provider's wording for a bare HTTP status, where its answer has no code that says more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusRow {
    pub provider: Provider,
    pub http_status: u16,
    pub kind: FailureKind,
    pub hint: Hint,
}

pub const STATUS_TABLE: &[StatusRow] = &[
    StatusRow {
        provider: TWILIO,
        http_status: 401,
        kind: InvalidCredentials,
        hint: Hint {
            cause: "Twilio did not accept the credentials: the Account SID, the API Key SID or \
                    the Auth Token / key secret is wrong.",
            fix: "Copy the Account SID and Auth Token (or API key) again from the Twilio console \
                  into the connector settings.",
        },
    },
    StatusRow {
        provider: TELNYX,
        http_status: 401,
        kind: InvalidCredentials,
        hint: Hint {
            cause: "Telnyx did not accept the credentials: the API key is wrong.",
            fix: "Copy the API key (V2) again from the Telnyx portal into the connector settings.",
        },
    },
    StatusRow {
        provider: Provider::Elks,
        http_status: 401,
        kind: InvalidCredentials,
        hint: Hint {
            cause: "46elks did not accept the credentials: the API username or password is wrong.",
            fix: "Copy the API username and password again from the 46elks dashboard (Account) \
                  into the connector settings.",
        },
    },
];

/// The provider's own wording for a status, when the table has one for that kind.
pub fn status_hint(
    provider: Provider,
    http_status: u16,
    kind: FailureKind,
) -> Option<&'static Hint> {
    STATUS_TABLE
        .iter()
        .find(|row| row.provider == provider && row.http_status == http_status && row.kind == kind)
        .map(|row| &row.hint)
}

/// The row for a provider's code, if the table knows it.
pub fn lookup(provider: Provider, code: &str) -> Option<&'static CodeRow> {
    let code = code.trim();
    CODE_TABLE
        .iter()
        .find(|row| row.provider == provider && row.codes.covers(code))
}

/// The kind of a provider code alone (e.g. a message's `error_code`).
pub fn kind_for_code(provider: Provider, code: &str) -> Option<FailureKind> {
    lookup(provider, code).map(|row| row.kind)
}

/// The kind a bare HTTP status implies when no code says more.
pub fn kind_for_status(http_status: u16) -> Option<FailureKind> {
    match http_status {
        401 => Some(InvalidCredentials),
        403 => Some(PermissionDenied),
        404 => Some(NotFound),
        429 => Some(RateLimited),
        500..=599 => Some(ProviderUnavailable),
        _ => None,
    }
}

/// Transport failures are all `UNREACHABLE`; the cause and fix say which part failed.
pub fn transport_hint(kind: TransportKind) -> Hint {
    let (cause, fix) = match kind {
        TransportKind::Dns => (
            "The provider could not be reached: its address could not be looked up (DNS).",
            "Check that this computer is online and that the connector's API address is spelled \
             correctly.",
        ),
        TransportKind::Tls => (
            "The provider could not be reached securely: the TLS connection failed.",
            "Check the computer's date and time, and any proxy or antivirus that inspects secure \
             traffic.",
        ),
        TransportKind::Timeout => (
            "The provider could not be reached: it did not answer in time.",
            "Try again in a few minutes; if it keeps happening, check the internet connection.",
        ),
        TransportKind::Refused => (
            "The provider could not be reached: nothing answered at its address (connection \
             refused).",
            "Check the connector's API address (and that the sandbox is running, if it points \
             at one); try again in a few minutes.",
        ),
        TransportKind::Reset => (
            "The provider could not be reached: the connection was cut off.",
            "Try again in a few minutes; if it keeps happening, check the internet connection.",
        ),
        TransportKind::Other => (Unreachable.cause(), Unreachable.fix()),
    };
    Hint { cause, fix }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_serde_and_every_kind_has_words() {
        for kind in ALL_KINDS {
            let serialized = serde_json::to_value(kind).unwrap();
            assert_eq!(serialized, kind.as_str(), "{kind:?}");
            let back: FailureKind = serde_json::from_value(serialized).unwrap();
            assert_eq!(back, kind);
            assert!(kind.cause().ends_with('.'), "{kind:?}");
            assert!(kind.fix().ends_with('.'), "{kind:?}");
        }
    }

    #[test]
    fn listed_codes_map_to_their_kinds() {
        let table: &[(Provider, &str, FailureKind)] = &[
            // The seed connector's table.
            (TWILIO, "21211", InvalidRecipient),
            (TWILIO, "21610", InvalidRecipient),
            (TWILIO, "21614", InvalidSender),
            (TWILIO, "21408", InvalidSender),
            (TWILIO, "20001", InvalidMessage),
            // Beyond it.
            (TWILIO, "20003", InvalidCredentials),
            (TWILIO, "20403", PermissionDenied),
            (TWILIO, "10001", AccountSuspended),
            (TWILIO, "30002", AccountSuspended),
            (TWILIO, "63016", OutsideSessionWindow),
            (TWILIO, "20429", RateLimited),
            (TWILIO, "21611", RateLimited),
            (TWILIO, "63007", InvalidSender),
            (TWILIO, "21656", TemplateRejected),
            (TWILIO, "63105", SenderRegistrationFailed),
            (TWILIO, "30005", InvalidRecipient),
            (TWILIO, " 21211 ", InvalidRecipient),
            (TELNYX, "10009", InvalidCredentials),
            (TELNYX, "10011", RateLimited),
            (TELNYX, "10002", InvalidRecipient),
            (TWILIO, "30008", SendMessageFailed),
            (TWILIO, "63015", InvalidRecipient),
            (TWILIO, "63024", InvalidRecipient),
            (TELNYX, "40305", InvalidSender),
            (TELNYX, "40302", InvalidMessage),
            (TELNYX, "40310", InvalidRecipient),
        ];
        for (provider, code, kind) in table {
            assert_eq!(
                kind_for_code(*provider, code),
                Some(*kind),
                "{provider} {code}"
            );
        }
        // Codes are per provider, and unknown codes are left to the fallbacks.
        assert_eq!(kind_for_code(TELNYX, "21211"), None);
        assert_eq!(kind_for_code(Provider::Elks, "10009"), None);
        assert_eq!(kind_for_code(TWILIO, "63117"), None);
        assert_eq!(kind_for_code(TWILIO, "99999"), None);
        assert_eq!(kind_for_code(TWILIO, "not-a-number"), None);
    }

    #[test]
    fn the_sandbox_join_words_are_the_63015_row() {
        let hint = whatsapp_sandbox_join_hint();
        let row = lookup(TWILIO, "63015").unwrap();
        assert_eq!(row.hint, Some(hint));
        assert_eq!(row.kind, InvalidRecipient);
        assert!(hint.fix.contains("\"join <code>\""), "{}", hint.fix);
        assert!(hint.fix.contains("+1 415 523 8886"), "{}", hint.fix);
        assert!(hint.fix.contains("Messaging → Try it out"), "{}", hint.fix);
        assert!(hint.cause.contains("72 hours"), "{}", hint.cause);
    }

    #[test]
    fn specific_codes_come_before_their_ranges() {
        for code in [
            "63100", "63101", "63104", "63110", "63111", "63113", "63114", "63116",
        ] {
            let row = lookup(TWILIO, code).unwrap();
            assert!(row.hint.is_some(), "{code} lost its own wording");
        }
    }

    #[test]
    fn status_fallbacks() {
        let cases = [
            (401, Some(InvalidCredentials)),
            (403, Some(PermissionDenied)),
            (404, Some(NotFound)),
            (429, Some(RateLimited)),
            (500, Some(ProviderUnavailable)),
            (503, Some(ProviderUnavailable)),
            (400, None),
            (409, None),
        ];
        for (status, kind) in cases {
            assert_eq!(kind_for_status(status), kind, "{status}");
        }
    }
}
