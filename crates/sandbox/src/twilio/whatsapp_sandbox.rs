//! Twilio's WhatsApp Sandbox: one shared number, `whatsapp:+14155238886`, that every Twilio
//! account may send from, but only to WhatsApp users who joined that account's sandbox by sending
//! it "join <code>" — and only for three days after they joined.
//!
//! What Twilio documents and what users report (the evidence, also in `../../README.md`):
//! - twilio.com/docs/whatsapp/sandbox: "Twilio provides the Sandbox with a shared phone number
//!   (+14155238886)"; "You can only message end users who have joined your Sandbox. Messaging
//!   other users will fail with Error 63015"; "The Sandbox session expires three days after
//!   joining. After this, end users need to rejoin the Sandbox."
//! - twilio.com/docs/api/errors/63015 ("Channel Sandbox can only send messages to phone numbers
//!   that have joined the Sandbox"): log type APPLICATION — raised while the message is
//!   processed, not as the create request's answer. twilio/twilio-csharp#488: a send from the
//!   sandbox number to a number that had not joined came back "queued" and failed afterwards (the
//!   status callback carried the error); RocketChat/Rocket.Chat#21426: 63015 appears in the
//!   account's message log, i.e. on a created message. So a create is answered 201 `queued`, and
//!   the message then goes to `failed` with `error_code` 63015 (never `sent`).
//! - The replies on WhatsApp, as users quote them: after a right code "Twilio Sandbox: ✅ You are
//!   all set! The sandbox can now send/receive messages from whatsapp:+14155238886. Reply stop to
//!   leave the sandbox any time."; after a wrong one (no sandbox has that code) "Your number
//!   whatsapp:+… is not connected to a Sandbox. You need to connect it first by sending join
//!   <sandbox name>."
//! - A number is in one sandbox at a time (63015's causes: "The recipient joined a different
//!   sandbox").
//!
//! Not emulated: the one-message-every-three-seconds limit, "stop", and the sandbox's own inbound
//! webhook (set only in the Console, so no API call of the app can touch it).

use std::collections::BTreeMap;

use crate::clock::{self, Timestamp};

/// The sandbox's number, as a `From`.
pub const SENDER: &str = "whatsapp:+14155238886";
/// How long a join lasts: three days.
pub const SESSION_HOURS: i64 = 72;
/// Twilio's code and message for a send to a number that has not joined.
pub const NOT_JOINED_CODE: u32 = 63015;
pub const NOT_JOINED_MESSAGE: &str =
    "Channel Sandbox can only send messages to phone numbers that have joined the Sandbox";

/// Twilio's reply on WhatsApp to a right join code.
pub const JOINED_REPLY: &str = "Twilio Sandbox: ✅ You are all set! The sandbox can now \
    send/receive messages from whatsapp:+14155238886. Reply stop to leave the sandbox any time.";

/// Twilio's reply on WhatsApp to a number in no sandbox (a wrong join code, or anything else).
pub fn not_connected_reply(from: &str) -> String {
    format!(
        "Twilio Sandbox: ⚠️ Your number {from} is not connected to a Sandbox. You need to \
         connect it first by sending join <sandbox name>."
    )
}

/// One account's sandbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhatsappSandbox {
    /// The two words after "join", e.g. `brave-otter`.
    pub keyword: String,
    /// `whatsapp:+E164` → when it joined.
    pub participants: BTreeMap<String, Timestamp>,
}

const ADJECTIVES: [&str; 16] = [
    "brave", "calm", "eager", "fancy", "gentle", "happy", "jolly", "kind", "lucky", "merry",
    "noble", "proud", "quiet", "silly", "swift", "witty",
];
const NOUNS: [&str; 16] = [
    "otter", "tiger", "falcon", "badger", "walrus", "panda", "heron", "lynx", "koala", "bison",
    "gecko", "moose", "raven", "squid", "yak", "zebra",
];

/// FNV-1a: the keyword depends on the account SID only, so it is the same on every start with
/// the same seed and after a reset, without drawing from the seeded random streams.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The `attempt`-th keyword for an account (a later attempt when an earlier one is taken).
pub fn keyword(account_sid: &str, attempt: u32) -> String {
    let hash = fnv1a(&format!("{account_sid}/{attempt}"));
    let adjective = ADJECTIVES[(hash % 16) as usize];
    let noun = NOUNS[((hash >> 8) % 16) as usize];
    if attempt < 16 {
        format!("{adjective}-{noun}")
    } else {
        format!("{adjective}-{noun}-{attempt}")
    }
}

/// The keyword a "join <code>" message names (case and spacing as people type them).
pub fn join_keyword(body: &str) -> Option<String> {
    let mut words = body.split_whitespace();
    let first = words.next()?;
    let code = words.next()?;
    (first.eq_ignore_ascii_case("join") && words.next().is_none()).then(|| code.to_lowercase())
}

impl WhatsappSandbox {
    pub fn new(keyword: String) -> Self {
        Self {
            keyword,
            participants: BTreeMap::new(),
        }
    }

    /// What a participant sends to join, e.g. `join brave-otter`.
    pub fn join_code(&self) -> String {
        format!("join {}", self.keyword)
    }

    /// Whether `to` (`whatsapp:+E164`) joined less than 72 hours before `now`.
    pub fn has_joined(&self, to: &str, now: Timestamp) -> bool {
        self.participants
            .get(to)
            .is_some_and(|joined| now - *joined < chrono::Duration::hours(SESSION_HOURS))
    }

    pub fn join(&mut self, who: &str) {
        self.participants.insert(who.to_string(), clock::now());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_join_lasts_72_hours() {
        let mut sandbox = WhatsappSandbox::new("brave-otter".into());
        let joined = clock::now();
        sandbox
            .participants
            .insert("whatsapp:+46701234567".into(), joined);
        let later = |hours| joined + chrono::Duration::hours(hours);
        assert!(sandbox.has_joined("whatsapp:+46701234567", later(71)));
        assert!(!sandbox.has_joined("whatsapp:+46701234567", later(72)));
        assert!(!sandbox.has_joined("whatsapp:+46709999999", joined));
    }

    #[test]
    fn join_messages_are_read_as_people_type_them() {
        assert_eq!(
            join_keyword("join brave-otter").as_deref(),
            Some("brave-otter")
        );
        assert_eq!(
            join_keyword("  JOIN  Brave-Otter ").as_deref(),
            Some("brave-otter")
        );
        assert_eq!(join_keyword("join"), None);
        assert_eq!(join_keyword("hello there"), None);
        assert_eq!(join_keyword("join brave otter"), None);
    }

    #[test]
    fn keywords_are_stable_and_vary() {
        let sid = "AC0123456789abcdef0123456789abcdef";
        assert_eq!(keyword(sid, 0), keyword(sid, 0));
        assert_ne!(keyword(sid, 0), keyword(sid, 16));
        assert_eq!(keyword(sid, 0).split('-').count(), 2);
    }
}
