//! The domain types, as the UI and the CLI see them (camelCase on the wire).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Organization {
    pub id: String,
    pub name: String,
    /// The public base URL the providers post inbound messages to (https, or http on localhost).
    pub inbound_base_url: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct OrganizationDraft {
    pub name: String,
    #[serde(default)]
    pub inbound_base_url: Option<String>,
}

/// An organization after an edit, and how many active numbers must have their webhook set again
/// because the inbound base URL changed (0 when it did not).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct OrganizationUpdate {
    pub organization: Organization,
    pub numbers_to_reset: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum ConnectorKind {
    Whatsapp,
    Sms,
    Email,
}

impl ConnectorKind {
    pub const ALL: [Self; 3] = [Self::Whatsapp, Self::Sms, Self::Email];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Whatsapp => "whatsapp",
            Self::Sms => "sms",
            Self::Email => "email",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == value)
    }

    /// The providers that can carry this kind of connector.
    pub fn providers(self) -> &'static [ProviderKind] {
        match self {
            Self::Whatsapp => &[ProviderKind::Twilio],
            Self::Sms => &[
                ProviderKind::Twilio,
                ProviderKind::Telnyx,
                ProviderKind::Elks46,
            ],
            Self::Email => &[ProviderKind::Smtp],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum ProviderKind {
    #[serde(rename = "twilio")]
    Twilio,
    #[serde(rename = "telnyx")]
    Telnyx,
    #[serde(rename = "46elks")]
    Elks46,
    #[serde(rename = "smtp")]
    Smtp,
}

impl ProviderKind {
    pub const ALL: [Self; 4] = [Self::Twilio, Self::Telnyx, Self::Elks46, Self::Smtp];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Twilio => "twilio",
            Self::Telnyx => "telnyx",
            Self::Elks46 => "46elks",
            Self::Smtp => "smtp",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|provider| provider.as_str() == value)
    }

    /// What the provider calls the secret, for messages and form labels.
    pub fn secret_label(self) -> &'static str {
        match self {
            Self::Twilio => "Auth Token or API key secret",
            Self::Telnyx => "API key",
            Self::Elks46 => "API password",
            Self::Smtp => "SMTP password",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS (port 587).
    #[default]
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the local network.
    None,
}

/// The non-secret settings of a connector. Which fields apply depends on the provider: the
/// validator rejects a required field that is missing or malformed, and drops (does not store)
/// the fields of other providers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", default)]
pub struct ConnectorSettings {
    /// Twilio Account SID (`AC` + 32 hex).
    pub account_sid: Option<String>,
    /// Twilio API Key SID (`SK` + 32 hex), when authenticating with an API key.
    pub api_key_sid: Option<String>,
    /// 46elks API username; SMTP login.
    pub username: Option<String>,
    /// Telnyx messaging profile that carries the inbound webhook.
    pub messaging_profile_id: Option<String>,
    /// Default sender: E.164 (Twilio, Telnyx), E.164 or alphanumeric (46elks), email (SMTP).
    pub from: Option<String>,
    /// Provider API base URL; the provider's own when empty (set it to use the sandbox).
    pub base_url: Option<String>,
    /// Twilio Messaging host (Senders API), when it differs from `baseUrl`.
    pub messaging_base_url: Option<String>,
    /// Twilio Content host (templates), when it differs from `baseUrl`.
    pub content_base_url: Option<String>,
    pub smtp_host: Option<String>,
    pub smtp_port: Option<u16>,
    pub smtp_security: Option<SmtpSecurity>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Recipient {
    /// E.164, normalized.
    pub number: String,
    /// Where to send the message by email when delivery to the number fails.
    pub backup_email: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RecipientDraft {
    pub number: String,
    #[serde(default)]
    pub backup_email: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ConnectorState {
    /// Saved; the credentials have not been checked against the provider yet.
    NotChecked,
    /// The provider accepted the credentials.
    Active,
    /// The last check failed; `stateReason` says why.
    Error,
}

impl ConnectorState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotChecked => "not_checked",
            Self::Active => "active",
            Self::Error => "error",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [Self::NotChecked, Self::Active, Self::Error]
            .into_iter()
            .find(|s| s.as_str() == value)
    }
}

/// What the user submits to create or edit a connector. On edit, `secret: None` keeps the stored
/// secret; `kind` and `provider` cannot change.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ConnectorDraft {
    pub org_id: String,
    pub kind: ConnectorKind,
    pub provider: ProviderKind,
    pub name: String,
    #[serde(default)]
    pub settings: ConnectorSettings,
    #[serde(default)]
    pub recipients: Vec<RecipientDraft>,
    #[serde(default = "default_true")]
    pub receive_inbound: bool,
    /// Write-only: goes to the OS keychain, never comes back.
    #[serde(default, skip_serializing)]
    pub secret: Option<String>,
}

impl std::fmt::Debug for ConnectorDraft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectorDraft")
            .field("org_id", &self.org_id)
            .field("kind", &self.kind)
            .field("provider", &self.provider)
            .field("name", &self.name)
            .field("settings", &self.settings)
            .field("recipients", &self.recipients)
            .field("receive_inbound", &self.receive_inbound)
            .field("secret", &self.secret.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

fn default_true() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Connector {
    pub id: String,
    pub org_id: String,
    pub kind: ConnectorKind,
    pub provider: ProviderKind,
    pub name: String,
    pub settings: ConnectorSettings,
    pub recipients: Vec<Recipient>,
    pub receive_inbound: bool,
    /// Whether a secret is stored in the keychain (the secret itself never leaves the backend).
    pub has_secret: bool,
    pub state: ConnectorState,
    pub state_reason: Option<String>,
    /// In state Error after a check: the typed failure behind `state_reason` (kind, the
    /// provider's code and HTTP status, cause, fix, link).
    pub state_failure: Option<switchboard_providers::ProviderFailure>,
    pub checked_at: Option<String>,
    /// What the last successful check learned: the account's name at the provider…
    pub account_name: Option<String>,
    /// …its type (`Trial`, `Full`) when the provider says…
    pub account_type: Option<String>,
    /// …and what the user should know although it works (e.g. a trial account's limits).
    pub state_warning: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum EventLevel {
    Info,
    Warning,
    Error,
}

impl EventLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [Self::Info, Self::Warning, Self::Error]
            .into_iter()
            .find(|l| l.as_str() == value)
    }
}

/// One entry of a connector's event log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub level: EventLevel,
    /// The provider's error code, when there is one.
    pub code: Option<String>,
    pub message: String,
    pub created_at: String,
}

/// What a credential check writes to the store.
#[derive(Debug, Clone)]
pub struct CheckRecord {
    pub state: ConnectorState,
    pub reason: Option<String>,
    pub failure: Option<switchboard_providers::ProviderFailure>,
    pub account_name: Option<String>,
    pub account_type: Option<String>,
    pub warning: Option<String>,
    pub event: Event,
}
