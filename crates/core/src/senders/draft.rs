//! What a user fills in to register or update a WhatsApp sender, checked field by field as the
//! Senders API spec (`messaging.v2.channels_sender.requests.create` / `.update`) and Meta's
//! profile rules describe, then turned into the provider request. Field names in errors are the
//! camelCase paths of the draft (`profile.emails[1]`, `webhook.callbackUrl`).

use serde::{Deserialize, Serialize};
use switchboard_providers::twilio::{
    ProfileEmail, ProfileWebsite, SenderConfigurationInput, SenderCreate, SenderProfileInput,
    SenderUpdate, SenderWebhookInput, SenderWebhookMethod, VerificationMethod,
};

use crate::error::FieldError;
use crate::validate;

/// `profile.vertical`: the values the spec allows.
pub const VERTICALS: [&str; 22] = [
    "Alcohol",
    "Automotive",
    "Beauty, Spa and Salon",
    "Clothing and Apparel",
    "Education",
    "Entertainment",
    "Event Planning and Service",
    "Finance and Banking",
    "Food and Grocery",
    "Hotel and Lodging",
    "Matrimony Service",
    "Medical and Health",
    "Non-profit",
    "Online Gambling",
    "OTC Drugs",
    "Other",
    "Physical Gambling",
    "Professional Services",
    "Public Service",
    "Restaurant",
    "Shopping and Retail",
    "Travel and Transportation",
];

// Meta's business profile limits.
const NAME_MIN: usize = 3;
const NAME_MAX: usize = 100;
const ABOUT_MAX: usize = 139;
const ADDRESS_MAX: usize = 256;
const DESCRIPTION_MAX: usize = 512;
const WEBSITES_MAX: usize = 2;
const EMAILS_MAX: usize = 2;

/// How WhatsApp sends the verification code to the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum SenderVerificationMethod {
    #[default]
    Sms,
    Voice,
}

/// The WhatsApp business profile; blank fields are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", default)]
pub struct SenderProfileDraft {
    /// The display name; required to register (Meta's display name guidelines apply).
    pub name: Option<String>,
    pub about: Option<String>,
    pub address: Option<String>,
    pub description: Option<String>,
    pub emails: Vec<String>,
    /// An https URL of the logo image.
    pub logo_url: Option<String>,
    /// One of [`VERTICALS`].
    pub vertical: Option<String>,
    pub websites: Vec<String>,
}

/// Where Twilio posts inbound messages and status callbacks; blank fields are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", default)]
pub struct SenderWebhookDraft {
    pub callback_url: Option<String>,
    /// `POST` or `PUT`.
    pub callback_method: Option<String>,
    pub fallback_url: Option<String>,
    /// `POST` or `PUT`.
    pub fallback_method: Option<String>,
    pub status_callback_url: Option<String>,
    /// `POST` or `GET`.
    pub status_callback_method: Option<String>,
}

/// A new WhatsApp sender.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", default)]
pub struct SenderDraft {
    /// The number in international format; Switchboard adds `whatsapp:`.
    pub sender: String,
    /// The WhatsApp Business Account ID (from Meta's WhatsApp Manager).
    pub waba_id: Option<String>,
    pub verification_method: Option<SenderVerificationMethod>,
    pub profile: SenderProfileDraft,
    pub webhook: SenderWebhookDraft,
}

/// A change to a sender: only the fields given change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", default)]
pub struct SenderUpdateDraft {
    pub profile: SenderProfileDraft,
    pub webhook: SenderWebhookDraft,
}

#[derive(Default)]
struct Check {
    errors: Vec<FieldError>,
}

impl Check {
    fn fail(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, message));
    }

    /// A text field: blank means absent; otherwise `rule` decides.
    fn text(
        &mut self,
        field: &str,
        value: &Option<String>,
        rule: impl Fn(&str) -> Result<String, String>,
    ) -> Option<String> {
        let value = value.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
        rule(value).map_err(|m| self.fail(field, m)).ok()
    }

    fn into_result<T>(self, value: T) -> Result<T, Vec<FieldError>> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(self.errors)
        }
    }
}

fn at_most(max: usize) -> impl Fn(&str) -> Result<String, String> {
    move |value| {
        let length = value.chars().count();
        if length > max {
            Err(format!(
                "Keep it to {max} characters or fewer (WhatsApp's limit; got {length})"
            ))
        } else {
            Ok(value.to_owned())
        }
    }
}

fn display_name(value: &str) -> Result<String, String> {
    let length = value.chars().count();
    if !(NAME_MIN..=NAME_MAX).contains(&length) {
        return Err(format!(
            "The display name must have {NAME_MIN} to {NAME_MAX} characters (got {length})"
        ));
    }
    let lower = value.to_ascii_lowercase();
    if lower.contains("http://") || lower.contains("https://") || lower.contains("www.") {
        return Err(
            "A display name may not contain a web address (Meta's display name guidelines)".into(),
        );
    }
    Ok(value.to_owned())
}

/// An http(s) URL with a host.
fn url(value: &str) -> Result<String, String> {
    validate::base_url(value).map(|_| value.to_owned())
}

fn https_url(value: &str) -> Result<String, String> {
    let url = url(value)?;
    if !url.starts_with("https://") {
        return Err(format!("'{url}' must start with https://"));
    }
    Ok(url)
}

fn one_of(allowed: &'static [&'static str]) -> impl Fn(&str) -> Result<String, String> {
    move |value| {
        let upper = value.to_ascii_uppercase();
        if allowed.contains(&upper.as_str()) {
            Ok(upper)
        } else {
            Err(format!("Use {} (got '{value}')", allowed.join(" or ")))
        }
    }
}

fn vertical(value: &str) -> Result<String, String> {
    VERTICALS
        .iter()
        .find(|v| v.eq_ignore_ascii_case(value))
        .map(|v| (*v).to_owned())
        .ok_or_else(|| {
            format!(
                "'{value}' is not a WhatsApp business category; use one of: {}",
                VERTICALS.join(", ")
            )
        })
}

fn waba_id(value: &str) -> Result<String, String> {
    if value.len() < 5 || value.len() > 32 || !value.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "A WhatsApp Business Account ID is a number of 5 to 32 digits, as shown in Meta's \
             WhatsApp Manager (got '{value}')"
        ));
    }
    Ok(value.to_owned())
}

/// The number as `+E164`, accepting `whatsapp:+…` too.
pub fn sender_number(value: &str) -> Result<String, String> {
    let trimmed = value.trim();
    let bare = trimmed.strip_prefix("whatsapp:").unwrap_or(trimmed);
    validate::e164(bare)
}

fn check_profile(check: &mut Check, draft: &SenderProfileDraft) -> SenderProfileInput {
    let mut emails = Vec::new();
    for (index, email) in draft.emails.iter().enumerate() {
        if email.trim().is_empty() {
            continue;
        }
        if let Some(email) = check.text(
            &format!("profile.emails[{index}]"),
            &Some(email.clone()),
            validate::email,
        ) {
            emails.push(ProfileEmail {
                email,
                label: Some("Email".into()),
            });
        }
    }
    if emails.len() > EMAILS_MAX {
        check.fail(
            "profile.emails",
            format!("WhatsApp shows at most {EMAILS_MAX} email addresses"),
        );
    }
    let mut websites = Vec::new();
    for (index, website) in draft.websites.iter().enumerate() {
        if website.trim().is_empty() {
            continue;
        }
        if let Some(website) = check.text(
            &format!("profile.websites[{index}]"),
            &Some(website.clone()),
            url,
        ) {
            websites.push(ProfileWebsite {
                website,
                label: Some("Website".into()),
            });
        }
    }
    if websites.len() > WEBSITES_MAX {
        check.fail(
            "profile.websites",
            format!("WhatsApp shows at most {WEBSITES_MAX} websites"),
        );
    }
    SenderProfileInput {
        name: check.text("profile.name", &draft.name, display_name),
        about: check.text("profile.about", &draft.about, at_most(ABOUT_MAX)),
        address: check.text("profile.address", &draft.address, at_most(ADDRESS_MAX)),
        description: check.text(
            "profile.description",
            &draft.description,
            at_most(DESCRIPTION_MAX),
        ),
        logo_url: check.text("profile.logoUrl", &draft.logo_url, https_url),
        vertical: check.text("profile.vertical", &draft.vertical, vertical),
        websites,
        emails,
    }
}

fn hook_method(value: &str) -> SenderWebhookMethod {
    if value == "PUT" {
        SenderWebhookMethod::Put
    } else {
        SenderWebhookMethod::Post
    }
}

fn check_webhook(check: &mut Check, draft: &SenderWebhookDraft) -> SenderWebhookInput {
    const HOOK_METHODS: &[&str] = &["POST", "PUT"];
    const STATUS_METHODS: &[&str] = &["POST", "GET"];
    let input = SenderWebhookInput {
        callback_url: check.text("webhook.callbackUrl", &draft.callback_url, url),
        callback_method: check
            .text(
                "webhook.callbackMethod",
                &draft.callback_method,
                one_of(HOOK_METHODS),
            )
            .map(|m| hook_method(&m)),
        fallback_url: check.text("webhook.fallbackUrl", &draft.fallback_url, url),
        fallback_method: check
            .text(
                "webhook.fallbackMethod",
                &draft.fallback_method,
                one_of(HOOK_METHODS),
            )
            .map(|m| hook_method(&m)),
        status_callback_url: check.text(
            "webhook.statusCallbackUrl",
            &draft.status_callback_url,
            url,
        ),
        status_callback_method: check.text(
            "webhook.statusCallbackMethod",
            &draft.status_callback_method,
            one_of(STATUS_METHODS),
        ),
    };
    // A method alone changes nothing a user can see: ask for its URL.
    let pairs = [
        (
            "webhook.callbackMethod",
            &draft.callback_method,
            &draft.callback_url,
        ),
        (
            "webhook.fallbackMethod",
            &draft.fallback_method,
            &draft.fallback_url,
        ),
        (
            "webhook.statusCallbackMethod",
            &draft.status_callback_method,
            &draft.status_callback_url,
        ),
    ];
    for (field, method, url) in pairs {
        let blank = |v: &Option<String>| v.as_deref().is_none_or(|v| v.trim().is_empty());
        if !blank(method) && blank(url) {
            check.fail(field, "Give the URL this method is for");
        }
    }
    input
}

fn webhook_is_empty(webhook: &SenderWebhookInput) -> bool {
    *webhook == SenderWebhookInput::default()
}

fn profile_is_empty(profile: &SenderProfileInput) -> bool {
    *profile == SenderProfileInput::default()
}

/// The CreateChannelsSender body for a checked draft.
pub fn create_request(draft: &SenderDraft) -> Result<SenderCreate, Vec<FieldError>> {
    let mut check = Check::default();
    let number = if draft.sender.trim().is_empty() {
        check.fail(
            "sender",
            "Enter the number to register, in international format, e.g. +46 70 123 45 67",
        );
        None
    } else {
        sender_number(&draft.sender)
            .map_err(|m| check.fail("sender", m))
            .ok()
    };
    let waba_id = check.text("wabaId", &draft.waba_id, waba_id);
    let profile = check_profile(&mut check, &draft.profile);
    if draft
        .profile
        .name
        .as_deref()
        .is_none_or(|n| n.trim().is_empty())
    {
        check.fail(
            "profile.name",
            "Give the display name WhatsApp users will see (Meta's display name guidelines apply)",
        );
    }
    let webhook = check_webhook(&mut check, &draft.webhook);
    let configuration = SenderConfigurationInput {
        waba_id,
        verification_method: Some(match draft.verification_method.unwrap_or_default() {
            SenderVerificationMethod::Sms => VerificationMethod::Sms,
            SenderVerificationMethod::Voice => VerificationMethod::Voice,
        }),
        ..SenderConfigurationInput::default()
    };
    let request = number.map(|number| SenderCreate {
        configuration: Some(configuration),
        webhook: (!webhook_is_empty(&webhook)).then_some(webhook),
        profile: Some(profile),
        ..SenderCreate::whatsapp(&number)
    });
    check
        .into_result(request)
        .and_then(|request| request.ok_or_else(Vec::new))
}

/// The UpdateChannelsSender body for a checked change; at least one field must be given.
pub fn update_request(draft: &SenderUpdateDraft) -> Result<SenderUpdate, Vec<FieldError>> {
    let mut check = Check::default();
    let profile = check_profile(&mut check, &draft.profile);
    let webhook = check_webhook(&mut check, &draft.webhook);
    let update = SenderUpdate {
        configuration: None,
        webhook: (!webhook_is_empty(&webhook)).then_some(webhook),
        profile: (!profile_is_empty(&profile)).then_some(profile),
    };
    if check.errors.is_empty() && update.is_empty() {
        check.fail(
            "profile",
            "Give at least one profile or webhook field to change",
        );
    }
    check.into_result(update)
}

/// The one-time code WhatsApp sent: digits only.
pub fn verification_code(value: &str) -> Result<String, Vec<FieldError>> {
    let code: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if code.len() < 4 || code.len() > 10 || !code.chars().all(|c| c.is_ascii_digit()) {
        return Err(vec![FieldError::new(
            "code",
            "Enter the code WhatsApp sent to the number: 4 to 10 digits, usually 6",
        )]);
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(errors: Vec<FieldError>) -> Vec<String> {
        errors.into_iter().map(|e| e.field).collect()
    }

    fn full() -> SenderDraft {
        SenderDraft {
            sender: "whatsapp:+46 70 123 45 67".into(),
            waba_id: Some("1234567890".into()),
            verification_method: Some(SenderVerificationMethod::Voice),
            profile: SenderProfileDraft {
                name: Some("Grand Hotel".into()),
                about: Some("Open 24/7".into()),
                address: Some("Storgatan 1, Stockholm".into()),
                description: Some("A hotel".into()),
                emails: vec!["desk@grand-hotel.example".into()],
                logo_url: Some("https://grand-hotel.example/logo.png".into()),
                vertical: Some("hotel and lodging".into()),
                websites: vec!["https://grand-hotel.example".into()],
            },
            webhook: SenderWebhookDraft {
                callback_url: Some("https://hooks.example/wa".into()),
                callback_method: Some("post".into()),
                status_callback_url: Some("https://hooks.example/status".into()),
                ..SenderWebhookDraft::default()
            },
        }
    }

    #[test]
    fn a_full_draft_becomes_the_spec_body() {
        let request = create_request(&full()).unwrap();
        let body = serde_json::to_value(&request).unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "sender_id": "whatsapp:+46701234567",
                "configuration": {"waba_id": "1234567890", "verification_method": "voice"},
                "webhook": {
                    "callback_url": "https://hooks.example/wa",
                    "callback_method": "POST",
                    "status_callback_url": "https://hooks.example/status",
                },
                "profile": {
                    "name": "Grand Hotel",
                    "about": "Open 24/7",
                    "address": "Storgatan 1, Stockholm",
                    "description": "A hotel",
                    "logo_url": "https://grand-hotel.example/logo.png",
                    "vertical": "Hotel and Lodging",
                    "websites": [{"website": "https://grand-hotel.example", "label": "Website"}],
                    "emails": [{"email": "desk@grand-hotel.example", "label": "Email"}],
                },
            })
        );
    }

    #[test]
    fn every_bad_field_is_named() {
        let draft = SenderDraft {
            sender: "0701234567".into(),
            waba_id: Some("abc".into()),
            verification_method: None,
            profile: SenderProfileDraft {
                name: Some("www.hotel.example".into()),
                about: Some("x".repeat(140)),
                emails: vec!["ok@hotel.example".into(), "not-an-email".into()],
                logo_url: Some("http://hotel.example/logo.png".into()),
                vertical: Some("Hotels".into()),
                websites: vec!["ftp://hotel.example".into()],
                ..SenderProfileDraft::default()
            },
            webhook: SenderWebhookDraft {
                callback_url: Some("hooks.example".into()),
                callback_method: Some("GET".into()),
                fallback_method: Some("POST".into()),
                ..SenderWebhookDraft::default()
            },
        };
        let errors = fields(create_request(&draft).unwrap_err());
        for field in [
            "sender",
            "wabaId",
            "profile.name",
            "profile.about",
            "profile.emails[1]",
            "profile.logoUrl",
            "profile.vertical",
            "profile.websites[0]",
            "webhook.callbackUrl",
            "webhook.callbackMethod",
            "webhook.fallbackMethod",
        ] {
            assert!(errors.iter().any(|f| f == field), "{field} in {errors:?}");
        }
        let missing = fields(create_request(&SenderDraft::default()).unwrap_err());
        assert_eq!(missing, ["sender", "profile.name"]);
    }

    #[test]
    fn an_update_sends_only_what_was_given() {
        let update = update_request(&SenderUpdateDraft {
            profile: SenderProfileDraft {
                about: Some("New hours".into()),
                ..SenderProfileDraft::default()
            },
            ..SenderUpdateDraft::default()
        })
        .unwrap();
        assert_eq!(
            serde_json::to_value(&update).unwrap(),
            serde_json::json!({"profile": {"about": "New hours"}})
        );
        let empty = fields(update_request(&SenderUpdateDraft::default()).unwrap_err());
        assert_eq!(empty, ["profile"]);
    }

    #[test]
    fn codes_are_digits() {
        assert_eq!(verification_code(" 123-456 ").unwrap(), "123456");
        assert!(verification_code("12a456").is_err());
        assert!(verification_code("12").is_err());
    }
}
