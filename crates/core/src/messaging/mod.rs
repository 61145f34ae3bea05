//! Messaging: test sends through a connector's provider, every attempt stored with each status it
//! went through, the status followed to a final state, sends whose outcome is unknown reconciled
//! against the provider's recent messages (never sent twice blindly), the statistics panel and
//! the error log.
//!
//! Where things live: [`settings`] reads the connector's settings (the one place that knows
//! their shape), [`checks`] turns what the user typed into a send plan or field errors, `send`
//! talks to the providers, `follow` polls statuses, `store` holds the SQL, [`stats`] and [`logs`]
//! answer the panel and the log.

mod callback;
mod checks;
mod fallback;
mod follow;

mod send;
pub(crate) mod settings;
pub mod stats;
mod store;
mod templates;
mod wire;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

pub use crate::whatsapp_sandbox::{WHATSAPP_SANDBOX_NUMBER, WhatsappSandbox, whatsapp_sandbox};
pub use fallback::FALLBACK_AFTER;
pub use follow::{AttemptSink, FollowOptions};
pub use stats::{DayCount, ErrorCodeCount, LastError, MessagingStats};
pub use templates::{Template, TemplateVariable};

/// What the user asks to send (the app's Send test dialog, `switchboard send`). Numbers are typed
/// as people type them; exactly one of `text`, `media` or `template` is given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", default)]
pub struct SendRequest {
    /// The sender: the connector's own, one of its active numbers or senders, or (Twilio) a
    /// Messaging Service SID `MG…`. Empty: the connector's sender.
    pub from: Option<String>,
    pub to: String,
    pub text: Option<String>,
    /// https URLs of the media to send (with `caption` as the text beside them).
    pub media: Vec<String>,
    pub caption: Option<String>,
    /// A Twilio Content SID (`HX…`).
    pub template: Option<String>,
    /// The template's variables, e.g. `{"1": "Alice"}`.
    pub variables: std::collections::BTreeMap<String, String>,
    /// Twilio: seconds the message may wait in Twilio's queue (1–36000).
    pub validity_period: Option<u32>,
    /// Twilio: where Twilio posts status changes.
    pub status_callback: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum MessageKind {
    Text,
    Media,
    Template,
}

impl MessageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Text => "text",
            MessageKind::Media => "media",
            MessageKind::Template => "template",
        }
    }

    fn parse(value: &str) -> Self {
        match value {
            "media" => MessageKind::Media,
            "template" => MessageKind::Template,
            _ => MessageKind::Text,
        }
    }
}

/// What an attempt amounts to, for the statistics and for what the UI offers next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// The request is being written (a crash here leaves it to be reconciled).
    Sending,
    /// It may or may not have reached the provider: "Check", never "Send again".
    Unknown,
    /// The provider took it and has not reported a failure (queued, sent, or final without a
    /// delivery report).
    Sent,
    /// The provider reports it delivered (or read).
    Delivered,
    /// Refused at once, not sent, or finally failed/undelivered.
    Failed,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Sending => "sending",
            Outcome::Unknown => "unknown",
            Outcome::Sent => "sent",
            Outcome::Delivered => "delivered",
            Outcome::Failed => "failed",
        }
    }

    fn parse(value: &str) -> Self {
        match value {
            "sending" => Outcome::Sending,
            "sent" => Outcome::Sent,
            "delivered" => Outcome::Delivered,
            "failed" => Outcome::Failed,
            _ => Outcome::Unknown,
        }
    }
}

/// One status an attempt went through.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct StatusChange {
    pub status: String,
    pub at: String,
    pub error_code: Option<String>,
}

/// A stored send attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct MessageAttempt {
    pub id: String,
    pub connector_id: String,
    pub channel: String,
    /// As sent (E.164, alphanumeric sender or `MG…`), without the `whatsapp:` prefix.
    pub from: String,
    /// E.164, without the `whatsapp:` prefix.
    pub to: String,
    pub kind: MessageKind,
    pub body: Option<String>,
    pub template_sid: Option<String>,
    pub template_variables: Option<std::collections::BTreeMap<String, String>>,
    pub media_urls: Vec<String>,
    pub validity_period: Option<u32>,
    pub status_callback: Option<String>,
    pub provider_message_id: Option<String>,
    /// The provider's own status word, or `sending` / `unknown` / `refused` / `not_sent`.
    pub status: String,
    pub outcome: Outcome,
    /// No further status change is expected.
    #[serde(rename = "final")]
    pub r#final: bool,
    pub error_code: Option<String>,
    /// The failure kind's stable name (`INVALID_RECIPIENT`…).
    pub error_kind: Option<String>,
    pub error_message: Option<String>,
    /// What the failure means and what to do, in plain words (from the failure table).
    pub cause: Option<String>,
    pub fix: Option<String>,
    pub price: Option<String>,
    pub price_unit: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub accepted_at: Option<String>,
    pub delivered_at: Option<String>,
    pub final_at: Option<String>,
    pub fallback_status: Option<String>,
    pub fallback_to: Option<String>,
    pub fallback_error: Option<String>,
    /// Every status with its time, oldest first.
    pub history: Vec<StatusChange>,
}

/// What to show of a connector's own sends, newest first. Every field narrows it; `cursor` is
/// the id of the last attempt of the previous page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", default)]
pub struct AttemptFilter {
    /// A provider status word or an outcome (`delivered`, `failed`, `unknown`…).
    pub status: Option<String>,
    /// The recipient's or the sender's number, or part of it, as people type it.
    pub number: Option<String>,
    /// RFC 3339: attempts made at or after it.
    pub since: Option<String>,
    /// RFC 3339: attempts made before it.
    pub until: Option<String>,
    pub cursor: Option<String>,
    /// Attempts a page (default 100, at most 1,000).
    pub limit: Option<u32>,
}

/// A page of a connector's sends and the cursor of the next one (`None`: this was the last).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AttemptPage {
    pub attempts: Vec<MessageAttempt>,
    pub next_cursor: Option<String>,
}

impl MessageAttempt {
    /// The send failed: refused at once, or its final status is a failure.
    pub fn failed(&self) -> bool {
        self.outcome == Outcome::Failed
    }
}
