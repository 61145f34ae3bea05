//! A sender's status, quality rating, messaging limit and offline reasons in plain words, each
//! with what to do. Offline reasons take their wording from the providers crate's table of
//! Twilio codes, so a code reads the same wherever it shows up.

use serde::{Deserialize, Serialize};
use switchboard_providers::Provider;
use switchboard_providers::failure::table;

/// What a value means, and what to do about it (`None`: nothing to do).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Explained {
    pub meaning: String,
    pub action: Option<String>,
}

fn explained(meaning: &str, action: Option<&str>) -> Explained {
    Explained {
        meaning: meaning.to_owned(),
        action: action.map(str::to_owned),
    }
}

/// What seed 004 says to do before a removed sender's number can be registered again.
pub const REMOVAL_WARNING: &str = "Removing the sender unregisters the number from WhatsApp at \
    Twilio; messages to and from it stop at once. To register the same number again (here or \
    with another provider), first turn off two-step verification (two-factor authentication) \
    for the number in Meta's WhatsApp Manager.";

/// Statuses that move on by themselves; following a sender waits until it leaves them.
pub fn is_transient(status: &str) -> bool {
    matches!(status, "CREATING" | "VERIFYING" | "ONLINE:UPDATING")
}

pub fn status(status: &str) -> Explained {
    match status {
        "CREATING" => explained(
            "Twilio is creating the sender and registering the number with WhatsApp.",
            Some("Wait: this usually takes a few seconds to a few minutes."),
        ),
        "PENDING_VERIFICATION" => explained(
            "Waiting for the verification code WhatsApp sent to this number by SMS or voice call.",
            Some("Enter the code the number received (Verify)."),
        ),
        "VERIFYING" => explained(
            "WhatsApp is checking the verification code.",
            Some("Wait: the sender comes online when the code is accepted."),
        ),
        "ONLINE" => explained(
            "Online: the sender can send and receive WhatsApp messages.",
            None,
        ),
        "ONLINE:UPDATING" => explained(
            "Online; a change to its profile is being applied.",
            Some("Nothing to do: the change shows on WhatsApp once it is applied."),
        ),
        "OFFLINE" => explained(
            "Offline: the sender cannot send or receive WhatsApp messages.",
            Some("Read the reasons below and fix each one; the sender comes back online after."),
        ),
        "TWILIO_REVIEW" => explained(
            "Twilio is reviewing the sender before it can go online (this can take a few days).",
            Some("Wait for Twilio's email; there is nothing to do meanwhile."),
        ),
        "DRAFT" => explained(
            "A draft: the registration was started but never submitted.",
            Some("Finish the registration in the Twilio Console, or remove it and register again."),
        ),
        "STUBBED" => explained(
            "A placeholder Twilio keeps for this number; it is not registered with WhatsApp.",
            Some("Register the sender again, or remove it if it is not needed."),
        ),
        other => Explained {
            meaning: format!(
                "Twilio reports the status '{other}', which Switchboard does not know."
            ),
            action: Some("Look the sender up in the Twilio Console.".to_owned()),
        },
    }
}

pub fn quality_rating(rating: &str) -> Explained {
    match rating.to_ascii_uppercase().as_str() {
        "HIGH" | "GREEN" => explained(
            "High quality: recipients rarely block or report this sender.",
            None,
        ),
        "MEDIUM" | "YELLOW" => explained(
            "Medium quality: some recipients block or report this sender's messages.",
            Some(
                "Send only messages recipients asked for, and make it easy to opt out; a low \
                 rating lowers the messaging limit.",
            ),
        ),
        "LOW" | "RED" => explained(
            "Low quality: many recipients block or report this sender. WhatsApp may lower its \
             messaging limit or take it offline.",
            Some(
                "Stop marketing messages, check that every recipient opted in, and review the \
                 templates that are reported.",
            ),
        ),
        _ => explained(
            "Not rated yet: WhatsApp rates a sender once it has sent messages.",
            None,
        ),
    }
}

/// `250 Customers/24hr`, `10K Customers/24hr`, `Unlimited`.
pub fn messaging_limit(limit: &str) -> Explained {
    let trimmed = limit.trim();
    if trimmed.eq_ignore_ascii_case("unlimited") {
        return explained(
            "No limit on the number of customers the sender may start conversations with.",
            None,
        );
    }
    let count = trimmed.split_whitespace().next().unwrap_or_default();
    if count == "250" {
        return explained(
            "The sender may start conversations with at most 250 customers in 24 hours: Meta has \
             not approved its display name (it is pending, or was rejected) or has not verified \
             the business. Replies to customers who wrote first do not count.",
            Some(
                "Check the display name in Meta's WhatsApp Manager; if it was rejected, change \
                 the profile name to follow Meta's display name guidelines (Update profile), and \
                 complete Meta's business verification. The limit rises once both are approved.",
            ),
        );
    }
    if count.is_empty() || !count.starts_with(|c: char| c.is_ascii_digit()) {
        return Explained {
            meaning: format!("WhatsApp's messaging limit for this sender: {trimmed}."),
            action: None,
        };
    }
    Explained {
        meaning: format!(
            "The sender may start conversations with up to {count} customers in 24 hours; \
             replies to customers who wrote first do not count."
        ),
        action: Some(
            "The limit rises as the sender keeps a good quality rating while sending more.".into(),
        ),
    }
}

/// One reason a sender is offline, from Twilio's `offline_reasons`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct OfflineReason {
    pub code: Option<String>,
    /// What Twilio said.
    pub message: Option<String>,
    pub meaning: String,
    pub fix: String,
    pub more_info: Option<String>,
}

pub fn offline_reason(
    code: Option<&str>,
    message: Option<&str>,
    more_info: Option<&str>,
) -> OfflineReason {
    let row = code.and_then(|code| table::lookup(Provider::Twilio, code));
    let (meaning, fix) = match (row, message) {
        (Some(row), _) => match row.hint {
            Some(hint) => (hint.cause.to_owned(), hint.fix.to_owned()),
            None => (row.kind.cause().to_owned(), row.kind.fix().to_owned()),
        },
        (None, Some(message)) => (
            format!("Twilio says: {message}."),
            "Open Twilio's page for this code (below) and follow its advice; the sender comes \
             back online once the cause is fixed."
                .to_owned(),
        ),
        (None, None) => (
            "Twilio took the sender offline without giving a reason.".to_owned(),
            "Look the sender up in the Twilio Console, or ask Twilio support.".to_owned(),
        ),
    };
    OfflineReason {
        code: code.map(str::to_owned),
        message: message.map(str::to_owned),
        meaning,
        fix,
        more_info: more_info
            .map(str::to_owned)
            .or_else(|| code.map(|code| format!("https://www.twilio.com/docs/api/errors/{code}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_of_the_spec_has_words_and_the_waiting_ones_an_action() {
        for value in [
            "CREATING",
            "ONLINE",
            "OFFLINE",
            "PENDING_VERIFICATION",
            "VERIFYING",
            "ONLINE:UPDATING",
            "TWILIO_REVIEW",
            "DRAFT",
            "STUBBED",
        ] {
            let words = status(value);
            assert!(!words.meaning.contains("does not know"), "{value}");
            assert_eq!(words.action.is_none(), value == "ONLINE", "{value}");
        }
        assert!(status("NEW_ONE").meaning.contains("'NEW_ONE'"));
        assert!(is_transient("VERIFYING"));
        assert!(!is_transient("PENDING_VERIFICATION"));
        assert!(!is_transient("ONLINE"));
    }

    #[test]
    fn a_250_limit_says_the_display_name_is_not_approved() {
        let words = messaging_limit("250 Customers/24hr");
        assert!(words.meaning.contains("250 customers in 24 hours"));
        assert!(words.meaning.contains("display name"));
        assert!(words.action.unwrap().contains("display name guidelines"));
        let words = messaging_limit("10K Customers/24hr");
        assert!(words.meaning.contains("up to 10K customers"));
        assert!(messaging_limit("Unlimited").action.is_none());
    }

    #[test]
    fn quality_ratings_say_what_to_do_when_not_high() {
        assert!(quality_rating("HIGH").action.is_none());
        assert!(quality_rating("medium").action.is_some());
        assert!(quality_rating("LOW").meaning.contains("offline"));
        assert!(quality_rating("UNKNOWN").meaning.contains("Not rated"));
    }

    #[test]
    fn offline_reasons_use_the_providers_wording_of_their_code() {
        let reason = offline_reason(Some("63101"), Some("WABA ID provided is not valid"), None);
        assert!(reason.meaning.contains("WhatsApp Business Account"));
        assert!(reason.fix.contains("WhatsApp Manager"));
        assert_eq!(
            reason.more_info.as_deref(),
            Some("https://www.twilio.com/docs/api/errors/63101")
        );
        let unknown = offline_reason(Some("99999"), Some("No delivery"), None);
        assert!(unknown.meaning.contains("No delivery"));
        let bare = offline_reason(None, None, None);
        assert!(bare.meaning.contains("without giving a reason"));
    }
}
