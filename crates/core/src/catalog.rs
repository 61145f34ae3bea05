//! What a connector form shows: which providers carry each kind of connector, and each
//! provider's fields in form order with the labels the providers' own guides use. The app hands
//! it to the UI as a constant of the generated bindings, so the UI keeps no copy of its own. A
//! field's `path` is its place in the draft: the name of its input and of its field errors.

use serde::Serialize;

use crate::model::{ConnectorKind, ProviderKind};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectorCatalog {
    /// In the order the form offers them.
    pub kinds: Vec<KindEntry>,
    pub providers: Vec<ProviderEntry>,
    /// The fields of one recipient, relative to `recipients[i]`.
    pub recipient_fields: Vec<CatalogField>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KindEntry {
    pub kind: ConnectorKind,
    pub label: &'static str,
    /// The providers that carry this kind, the first being the form's default.
    pub providers: Vec<ProviderKind>,
    /// Whether its connectors have phone recipients (an email connector has none).
    pub has_recipients: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderEntry {
    pub provider: ProviderKind,
    pub label: &'static str,
    /// In form order; `secret` marks where the secret goes.
    pub fields: Vec<CatalogField>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogField {
    /// `settings.accountSid`, `secret`, … (for a recipient: `number`, `backupEmail`).
    pub path: &'static str,
    pub label: &'static str,
    /// Whether the validator refuses the draft without it (on create, for the secret).
    pub required: bool,
    pub input: FieldInput,
    pub placeholder: Option<&'static str>,
    pub hint: Option<&'static str>,
    /// Kept out of the way (under "Advanced"): only needed for a sandbox or a region.
    pub advanced: bool,
    /// The label to use instead while another field is filled.
    pub label_when_filled: Option<LabelWhenFilled>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelWhenFilled {
    pub path: &'static str,
    pub label: &'static str,
}

/// What kind of input a field takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum FieldInput {
    Text,
    /// A phone number in international format.
    Tel,
    Email,
    Url,
    /// Write-only: it goes to the keychain and is never shown again.
    Secret,
    /// A whole number (a port); the wire carries 0 for "not given".
    Number,
    /// Several lines of text pasted in, such as a PEM certificate.
    Pem,
    /// One of fixed values; the first is the default.
    Choice {
        options: Vec<Choice>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
}

const BASE_URL_HINT: &str = "Leave empty to use the provider's own; set it to use a sandbox.";

fn field(
    path: &'static str,
    label: &'static str,
    required: bool,
    input: FieldInput,
) -> CatalogField {
    CatalogField {
        path,
        label,
        required,
        input,
        placeholder: None,
        hint: None,
        advanced: false,
        label_when_filled: None,
    }
}

impl CatalogField {
    fn placeholder(mut self, placeholder: &'static str) -> Self {
        self.placeholder = Some(placeholder);
        self
    }

    fn hint(mut self, hint: &'static str) -> Self {
        self.hint = Some(hint);
        self
    }

    fn advanced(mut self) -> Self {
        self.advanced = true;
        self
    }
}

fn base_url(placeholder: &'static str) -> CatalogField {
    field("settings.baseUrl", "API Base URL", false, FieldInput::Url)
        .placeholder(placeholder)
        .hint(BASE_URL_HINT)
        .advanced()
}

fn phone_sender() -> CatalogField {
    field("settings.from", "From", true, FieldInput::Tel)
        .placeholder("+46 70 123 45 67")
        .hint("The sender number, in international format.")
}

impl ProviderKind {
    /// The provider's name as people write it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Twilio => "Twilio",
            Self::Telnyx => "Telnyx",
            Self::Elks46 => "46elks",
            Self::Smtp => "SMTP",
        }
    }

    /// The provider's fields in form order.
    pub fn fields(self) -> Vec<CatalogField> {
        match self {
            Self::Twilio => vec![
                field("settings.accountSid", "Account SID", true, FieldInput::Text)
                    .placeholder("AC…")
                    .hint("On the dashboard of the Twilio Console."),
                field("settings.apiKeySid", "API Key SID", false, FieldInput::Text)
                    .placeholder("SK…")
                    .hint("Fill in to sign in with an API key instead of the Auth Token."),
                CatalogField {
                    label_when_filled: Some(LabelWhenFilled {
                        path: "settings.apiKeySid",
                        label: "API Key Secret",
                    }),
                    ..field("secret", "Auth Token", true, FieldInput::Secret)
                },
                field("settings.from", "From", true, FieldInput::Tel)
                    .placeholder("+46 70 123 45 67")
                    .hint(
                        "The approved sender number in international format, or a Messaging \
                         Service SID (MG…) to send through the service's numbers.",
                    ),
                base_url("https://api.twilio.com"),
                field(
                    "settings.messagingBaseUrl",
                    "Messaging Base URL",
                    false,
                    FieldInput::Url,
                )
                .placeholder("https://messaging.twilio.com")
                .hint("Leave empty to use the API base URL.")
                .advanced(),
                field(
                    "settings.contentBaseUrl",
                    "Content Base URL",
                    false,
                    FieldInput::Url,
                )
                .placeholder("https://content.twilio.com")
                .hint("Leave empty to use the API base URL.")
                .advanced(),
            ],
            Self::Telnyx => vec![
                field("secret", "API Key", true, FieldInput::Secret),
                field(
                    "settings.messagingProfileId",
                    "Messaging Profile ID",
                    false,
                    FieldInput::Text,
                )
                .hint("The profile whose webhook receives inbound messages."),
                phone_sender(),
                base_url("https://api.telnyx.com"),
            ],
            Self::Elks46 => vec![
                field("settings.username", "API Username", true, FieldInput::Text)
                    .placeholder("u…"),
                field("secret", "API Password", true, FieldInput::Secret),
                field("settings.from", "From", true, FieldInput::Text)
                    .placeholder("GrandHotel")
                    .hint(
                        "A number in international format, or a name of at most 11 letters \
                         and digits.",
                    ),
                base_url("https://api.46elks.com"),
            ],
            Self::Smtp => vec![
                field("settings.host", "SMTP Host", true, FieldInput::Text)
                    .placeholder("smtp.hotel.example"),
                field("settings.port", "SMTP Port", true, FieldInput::Number).placeholder("587"),
                field(
                    "settings.security",
                    "Security",
                    true,
                    FieldInput::Choice {
                        options: vec![
                            Choice {
                                value: "starttls",
                                label: "STARTTLS (port 587)",
                            },
                            Choice {
                                value: "tls",
                                label: "TLS (port 465)",
                            },
                            Choice {
                                value: "none",
                                label: "None (local relay only)",
                            },
                        ],
                    },
                ),
                field("settings.username", "Username", false, FieldInput::Text)
                    .hint("When the server asks for a login."),
                field("secret", "Password", false, FieldInput::Secret)
                    .hint("Needed when a username is set."),
                field("settings.from", "From", true, FieldInput::Email)
                    .placeholder("noreply@hotel.example"),
                field(
                    "settings.caPem",
                    "Extra Trusted CA Certificate (PEM)",
                    false,
                    FieldInput::Pem,
                )
                .placeholder("-----BEGIN CERTIFICATE-----")
                .hint(
                    "Only for a mail server whose certificate your own CA signed: paste that CA's \
                     certificate.",
                )
                .advanced(),
            ],
        }
    }
}

impl ConnectorKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Whatsapp => "WhatsApp",
            Self::Sms => "SMS",
            Self::Email => "Email",
        }
    }
}

/// The catalog of every kind and provider.
pub fn connector_catalog() -> ConnectorCatalog {
    ConnectorCatalog {
        kinds: ConnectorKind::ALL
            .into_iter()
            .map(|kind| KindEntry {
                kind,
                label: kind.label(),
                providers: kind.providers().to_vec(),
                has_recipients: kind != ConnectorKind::Email,
            })
            .collect(),
        providers: ProviderKind::ALL
            .into_iter()
            .map(|provider| ProviderEntry {
                provider,
                label: provider.label(),
                fields: provider.fields(),
            })
            .collect(),
        recipient_fields: vec![
            field("number", "To", true, FieldInput::Tel).placeholder("+46 70 123 45 67"),
            field("backupEmail", "Backup Email", false, FieldInput::Email)
                .placeholder("night@hotel.example")
                .hint("Gets the message by email when it cannot be delivered."),
        ],
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::model::{
        ConnectorDraft, ConnectorSettings, ElksSettings, RecipientDraft, SmtpSecurity,
        SmtpSettings, TelnyxSettings, TwilioSettings,
    };
    use crate::validate;

    fn every_settings_shape() -> Vec<ConnectorSettings> {
        vec![
            ConnectorSettings::Twilio(TwilioSettings::default()),
            ConnectorSettings::Telnyx(TelnyxSettings::default()),
            ConnectorSettings::Elks46(ElksSettings::default()),
            ConnectorSettings::Smtp(SmtpSettings::default()),
        ]
    }

    fn paths(provider: ProviderKind) -> BTreeSet<&'static str> {
        provider.fields().iter().map(|f| f.path).collect()
    }

    /// The form shows an input for every field of the settings' shape, and for nothing else.
    #[test]
    fn each_provider_lists_exactly_the_fields_of_its_settings() {
        for settings in every_settings_shape() {
            let provider = settings.provider();
            let json = serde_json::to_value(&settings).unwrap();
            let mut expected: BTreeSet<String> = json
                .as_object()
                .unwrap()
                .keys()
                .filter(|key| *key != "provider")
                .map(|key| format!("settings.{key}"))
                .collect();
            expected.insert("secret".to_owned());
            let listed: BTreeSet<String> = paths(provider).into_iter().map(str::to_owned).collect();
            assert_eq!(listed, expected, "{provider:?}");
        }
    }

    /// Whatever the validator refuses, the form has the input to show it under.
    #[test]
    fn every_field_error_names_a_catalog_field() {
        let wrong = [
            ConnectorSettings::Twilio(TwilioSettings {
                account_sid: "x".into(),
                api_key_sid: Some("x".into()),
                from: Some("x".into()),
                base_url: Some("x".into()),
                messaging_base_url: Some("x".into()),
                content_base_url: Some("x".into()),
            }),
            ConnectorSettings::Telnyx(TelnyxSettings {
                messaging_profile_id: Some("x".into()),
                from: Some("x".into()),
                base_url: Some("x".into()),
            }),
            ConnectorSettings::Elks46(ElksSettings {
                username: " ".into(),
                from: Some("!".into()),
                base_url: Some("x".into()),
            }),
            ConnectorSettings::Smtp(SmtpSettings {
                host: "smtp host".into(),
                port: 0,
                security: SmtpSecurity::None,
                username: Some("x".into()),
                from: "x".into(),
                ca_pem: Some("x".into()),
            }),
        ];
        for settings in wrong {
            let provider = settings.provider();
            let draft = ConnectorDraft {
                org_id: "org".into(),
                kind: ConnectorKind::Sms,
                name: String::new(),
                settings,
                recipients: vec![RecipientDraft {
                    number: "x".into(),
                    backup_email: Some("x".into()),
                }],
                receive_inbound: true,
                secret: Some(" x".into()),
            };
            let errors = validate::connector(&draft, true).unwrap_err();
            let known = paths(provider);
            let form = ["name", "kind", "settings.provider", "recipients"];
            for error in &errors {
                let recipient = error
                    .field
                    .split_once("].")
                    .filter(|(start, _)| start.starts_with("recipients["))
                    .map(|(_, rest)| rest);
                let placed = known.contains(error.field.as_str())
                    || form.contains(&error.field.as_str())
                    || recipient.is_some_and(|rest| {
                        connector_catalog()
                            .recipient_fields
                            .iter()
                            .any(|f| f.path == rest)
                    });
                assert!(placed, "{provider:?}: no input for {}", error.field);
            }
            assert!(errors.len() >= 3, "{provider:?}: {errors:?}");
        }
    }

    #[test]
    fn kinds_offer_their_providers_in_order() {
        let catalog = connector_catalog();
        let kinds: Vec<_> = catalog
            .kinds
            .iter()
            .map(|k| (k.kind, k.label, k.providers.clone(), k.has_recipients))
            .collect();
        assert_eq!(
            kinds,
            [
                (
                    ConnectorKind::Whatsapp,
                    "WhatsApp",
                    vec![ProviderKind::Twilio],
                    true
                ),
                (
                    ConnectorKind::Sms,
                    "SMS",
                    vec![
                        ProviderKind::Twilio,
                        ProviderKind::Telnyx,
                        ProviderKind::Elks46
                    ],
                    true
                ),
                (
                    ConnectorKind::Email,
                    "Email",
                    vec![ProviderKind::Smtp],
                    false
                ),
            ]
        );
    }

    /// The labels the providers' setup guides use, so a user finds the field they were told of.
    #[test]
    fn labels_follow_the_setup_guides() {
        let label = |provider: ProviderKind, path: &str| {
            provider
                .fields()
                .into_iter()
                .find(|f| f.path == path)
                .map(|f| f.label)
        };
        assert_eq!(
            label(ProviderKind::Twilio, "settings.accountSid"),
            Some("Account SID")
        );
        assert_eq!(label(ProviderKind::Twilio, "secret"), Some("Auth Token"));
        assert_eq!(label(ProviderKind::Twilio, "settings.from"), Some("From"));
        assert_eq!(label(ProviderKind::Telnyx, "secret"), Some("API Key"));
        assert_eq!(
            label(ProviderKind::Elks46, "settings.username"),
            Some("API Username")
        );
        assert_eq!(label(ProviderKind::Elks46, "secret"), Some("API Password"));
        let recipient: Vec<_> = connector_catalog()
            .recipient_fields
            .iter()
            .map(|f| f.label)
            .collect();
        assert_eq!(recipient, ["To", "Backup Email"]);
    }

    /// The form marks required exactly what the validator refuses to leave empty; seeds 000 and
    /// 002: the sender (From) is required for every WhatsApp and SMS provider.
    #[test]
    fn the_form_marks_required_what_the_validator_requires() {
        for settings in every_settings_shape() {
            let provider = settings.provider();
            let draft = ConnectorDraft {
                org_id: "org".into(),
                kind: match provider {
                    ProviderKind::Smtp => ConnectorKind::Email,
                    _ => ConnectorKind::Sms,
                },
                name: "Desk".into(),
                settings,
                recipients: vec![],
                receive_inbound: true,
                secret: None,
            };
            let errors = validate::connector(&draft, true).unwrap_err();
            let missing: BTreeSet<&str> = errors.iter().map(|e| e.field.as_str()).collect();
            // A choice always holds one of its options: it cannot be missing.
            let required: BTreeSet<&str> = provider
                .fields()
                .iter()
                .filter(|f| f.required && !matches!(f.input, FieldInput::Choice { .. }))
                .map(|f| f.path)
                .collect();
            let expected: BTreeSet<&str> = match provider {
                // SMTP needs its secret only with a login; the rest of the form is the same.
                ProviderKind::Smtp => required.into_iter().filter(|p| *p != "secret").collect(),
                _ => required,
            };
            assert_eq!(missing, expected, "{provider:?}");
            if provider != ProviderKind::Smtp {
                assert!(missing.contains("settings.from"), "{provider:?}");
            }
        }
    }

    #[test]
    fn the_security_choices_are_the_values_the_settings_take() {
        let fields = ProviderKind::Smtp.fields();
        let Some(FieldInput::Choice { options }) = fields
            .iter()
            .find(|f| f.path == "settings.security")
            .map(|f| f.input.clone())
        else {
            panic!("the security is a choice");
        };
        let values: Vec<SmtpSecurity> = options
            .iter()
            .map(|o| serde_json::from_value(serde_json::json!(o.value)).unwrap())
            .collect();
        assert_eq!(
            values,
            [
                SmtpSecurity::default(),
                SmtpSecurity::Tls,
                SmtpSecurity::None
            ],
            "the first is the default"
        );
    }
}
