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

/// The non-secret settings of a connector, one shape per provider. The provider is the tag
/// (`{"provider": "twilio", "accountSid": "AC…", …}`), so settings can only hold the fields of
/// their own provider, and a required field is not optional in the type. The validator checks
/// the values (and turns blank optional fields into absent ones).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "provider")]
pub enum ConnectorSettings {
    #[serde(rename = "twilio")]
    Twilio(TwilioSettings),
    #[serde(rename = "telnyx")]
    Telnyx(TelnyxSettings),
    #[serde(rename = "46elks")]
    Elks46(ElksSettings),
    #[serde(rename = "smtp")]
    Smtp(SmtpSettings),
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TwilioSettings {
    /// `AC` + 32 hex.
    pub account_sid: String,
    /// `SK` + 32 hex, when authenticating with an API key (the secret is then its secret).
    pub api_key_sid: Option<String>,
    /// Default sender, E.164.
    pub from: Option<String>,
    /// API base URL; Twilio's own when absent (set it to use the sandbox). It is the Messaging
    /// and Content base too, unless those are set apart.
    pub base_url: Option<String>,
    /// Messaging host (Senders API), when it differs from `baseUrl`.
    pub messaging_base_url: Option<String>,
    /// Content host (templates), when it differs from `baseUrl`.
    pub content_base_url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TelnyxSettings {
    /// The messaging profile that carries the inbound webhook.
    pub messaging_profile_id: Option<String>,
    /// Default sender, E.164.
    pub from: Option<String>,
    /// API base URL; Telnyx's own when absent.
    pub base_url: Option<String>,
    /// The account's webhook public key (base64, Mission Control → Keys & Credentials → Public
    /// Key): what the webhook inspector checks Telnyx's Ed25519 signatures with. Not a secret.
    #[serde(default)]
    #[cfg_attr(feature = "specta", specta(optional))]
    pub public_key: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ElksSettings {
    /// API username (`u…`).
    pub username: String,
    /// Default sender: E.164, or a name of up to 11 letters and digits.
    pub from: Option<String>,
    /// API base URL; 46elks' own when absent.
    pub base_url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SmtpSettings {
    /// Host name only, e.g. `smtp.hotel.example`.
    pub host: String,
    /// 1–65535 (0 in a draft means not given).
    pub port: u16,
    pub security: SmtpSecurity,
    /// Login, when the server asks for one (the password is the secret).
    pub username: Option<String>,
    /// The address backup emails come from.
    pub from: String,
    /// An extra CA certificate (PEM) to trust, e.g. for a hotel's own mail server.
    #[serde(default)]
    #[cfg_attr(feature = "specta", specta(optional))]
    pub ca_pem: Option<String>,
}

/// The API base URLs a connector's provider client uses (each `None`: the provider's own).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiUrls {
    pub base_url: Option<String>,
    pub messaging_base_url: Option<String>,
    pub content_base_url: Option<String>,
}

impl ConnectorSettings {
    pub fn provider(&self) -> ProviderKind {
        match self {
            Self::Twilio(_) => ProviderKind::Twilio,
            Self::Telnyx(_) => ProviderKind::Telnyx,
            Self::Elks46(_) => ProviderKind::Elks46,
            Self::Smtp(_) => ProviderKind::Smtp,
        }
    }

    /// The default sender, when one is set.
    pub fn sender(&self) -> Option<&str> {
        match self {
            Self::Twilio(s) => s.from.as_deref(),
            Self::Telnyx(s) => s.from.as_deref(),
            Self::Elks46(s) => s.from.as_deref(),
            Self::Smtp(s) => Some(&s.from),
        }
    }

    /// The provider API base URLs (all `None` for SMTP).
    pub fn api_urls(&self) -> ApiUrls {
        match self {
            Self::Twilio(s) => ApiUrls {
                base_url: s.base_url.clone(),
                messaging_base_url: s.messaging_base_url.clone(),
                content_base_url: s.content_base_url.clone(),
            },
            Self::Telnyx(TelnyxSettings { base_url, .. })
            | Self::Elks46(ElksSettings { base_url, .. }) => ApiUrls {
                base_url: base_url.clone(),
                ..ApiUrls::default()
            },
            Self::Smtp(_) => ApiUrls::default(),
        }
    }

    /// The API base URL fields, to change them in place (e.g. to follow the sandbox to a new
    /// port).
    pub fn api_urls_mut(&mut self) -> Vec<&mut Option<String>> {
        match self {
            Self::Twilio(s) => vec![
                &mut s.base_url,
                &mut s.messaging_base_url,
                &mut s.content_base_url,
            ],
            Self::Telnyx(TelnyxSettings { base_url, .. })
            | Self::Elks46(ElksSettings { base_url, .. }) => vec![base_url],
            Self::Smtp(_) => Vec::new(),
        }
    }
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
/// secret; `kind` and the provider (the tag of `settings`) cannot change.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ConnectorDraft {
    pub org_id: String,
    pub kind: ConnectorKind,
    pub name: String,
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
            .field("name", &self.name)
            .field("settings", &self.settings)
            .field("recipients", &self.recipients)
            .field("receive_inbound", &self.receive_inbound)
            .field("secret", &self.secret.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

impl ConnectorDraft {
    pub fn provider(&self) -> ProviderKind {
        self.settings.provider()
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
    pub name: String,
    /// Tagged with the provider.
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

impl Connector {
    pub fn provider(&self) -> ProviderKind {
        self.settings.provider()
    }
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
    /// Set when the check kept the last known state (the provider could not be asked): the
    /// connector's `checked_at` stays the time it was last verified.
    pub verified_at: Option<String>,
}
