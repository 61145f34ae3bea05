//! The one source of truth for input rules. The UI shows these messages beside its fields (it
//! calls `connector_validate` as the user types); the CLI prints them naming its flags.

use crate::error::FieldError;
use crate::model::{
    ConnectorDraft, ConnectorKind, ConnectorSettings, OrganizationDraft, ProviderKind,
    RecipientDraft, SmtpSecurity,
};

const NAME_MAX: usize = 80;
const ELKS_ALPHA_MAX: usize = 11;

/// Parses any common notation of an international number (`+46 70-123 45 67`) and returns it in
/// E.164 (`+46701234567`).
pub fn e164(input: &str) -> Result<String, String> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err("Enter a phone number in international format, e.g. +46 70 123 45 67".into());
    }
    if !trimmed.starts_with('+') && !trimmed.starts_with("00") {
        return Err(format!(
            "'{trimmed}' has no country code: start with + and the country code, \
             e.g. +46 70 123 45 67"
        ));
    }
    let normalized = trimmed
        .strip_prefix("00")
        .map_or(trimmed.to_owned(), |rest| format!("+{rest}"));
    let parsed = phonenumber::parse(None, &normalized).map_err(|_| {
        format!(
            "'{trimmed}' is not a phone number: use + and the country code, e.g. +46 70 123 45 67"
        )
    })?;
    if !phonenumber::is_valid(&parsed) {
        return Err(format!(
            "'{trimmed}' is not a valid number for its country code: check the digits"
        ));
    }
    Ok(parsed.format().mode(phonenumber::Mode::E164).to_string())
}

/// A 46elks sender: an E.164 number, or an alphanumeric name of 1–11 letters, digits and spaces
/// with at least one letter (what handsets show as the sender).
pub fn elks_sender(input: &str) -> Result<String, String> {
    let trimmed = input.trim();
    if trimmed.starts_with('+') || trimmed.chars().all(|c| c.is_ascii_digit()) {
        return e164(trimmed);
    }
    let length = trimmed.chars().count();
    let allowed = trimmed
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == ' ');
    let has_letter = trimmed.chars().any(|c| c.is_ascii_alphabetic());
    if length == 0 || length > ELKS_ALPHA_MAX || !allowed || !has_letter {
        return Err(format!(
            "Use a number in international format (+46…) or a name of at most {ELKS_ALPHA_MAX} \
             letters, digits and spaces with at least one letter (got {length} characters)"
        ));
    }
    Ok(trimmed.to_owned())
}

pub fn email(input: &str) -> Result<String, String> {
    let trimmed = input.trim();
    let well_formed = match trimmed.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains("..")
        }
        None => false,
    };
    if !well_formed || trimmed.chars().any(char::is_whitespace) {
        return Err(format!(
            "'{trimmed}' is not an email address, e.g. frontdesk@hotel.example"
        ));
    }
    Ok(trimmed.to_owned())
}

fn sid(input: &str, prefix: &str, what: &str) -> Result<String, String> {
    let trimmed = input.trim();
    let hex = trimmed.strip_prefix(prefix).unwrap_or_default();
    if !trimmed.starts_with(prefix)
        || hex.len() != 32
        || !hex.chars().all(|c| c.is_ascii_hexdigit())
    {
        return Err(format!(
            "{what} starts with {prefix} followed by 32 hexadecimal characters \
             (34 in all; got {} characters)",
            trimmed.chars().count()
        ));
    }
    Ok(trimmed.to_owned())
}

pub fn account_sid(input: &str) -> Result<String, String> {
    sid(input, "AC", "An Account SID")
}

pub fn api_key_sid(input: &str) -> Result<String, String> {
    sid(input, "SK", "An API Key SID")
}

/// An API base URL, parsed the way the provider clients will use it: https with a host (plain
/// http only to this machine), no user name or password, no query or fragment. The reason never
/// repeats the input, which might hold a password.
pub fn base_url(input: &str) -> Result<String, String> {
    if input.trim().chars().any(char::is_whitespace) {
        return Err("The URL must not contain spaces".to_owned());
    }
    switchboard_providers::BaseUrl::parse(input)
        .map(|url| url.as_str().to_owned())
        .map_err(|error| {
            let reason = error.to_string();
            let mut chars = reason.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect())
                .unwrap_or(reason)
        })
}

/// Where providers post inbound messages: the same rules as [`base_url`] (https, plain http only
/// to this machine).
pub fn inbound_base_url(input: &str) -> Result<String, String> {
    base_url(input)
}

fn name(input: &str, what: &str) -> Result<String, String> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(format!("Give the {what} a name"));
    }
    if trimmed.chars().count() > NAME_MAX {
        return Err(format!("Keep the name under {NAME_MAX} characters"));
    }
    Ok(trimmed.to_owned())
}

/// Collects field errors while normalizing values.
#[derive(Default)]
struct Check {
    errors: Vec<FieldError>,
}

impl Check {
    fn take<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        result
            .map_err(|message| self.errors.push(FieldError::new(field, message)))
            .ok()
    }

    fn fail(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, message));
    }

    /// An optional text field: blank means absent.
    fn optional(
        &mut self,
        field: &str,
        value: &Option<String>,
        rule: impl Fn(&str) -> Result<String, String>,
    ) -> Option<String> {
        let value = value.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
        self.take(field, rule(value))
    }

    fn required(
        &mut self,
        field: &str,
        value: &Option<String>,
        missing: &str,
        rule: impl Fn(&str) -> Result<String, String>,
    ) -> Option<String> {
        if value.as_deref().is_none_or(|v| v.trim().is_empty()) {
            self.fail(field, missing);
            return None;
        }
        self.optional(field, value, rule)
    }
}

fn keep(value: &str) -> Result<String, String> {
    Ok(value.to_owned())
}

pub fn organization(draft: &OrganizationDraft) -> Result<OrganizationDraft, Vec<FieldError>> {
    let mut check = Check::default();
    let name = check.take("name", name(&draft.name, "organization"));
    let inbound_base_url =
        check.optional("inboundBaseUrl", &draft.inbound_base_url, inbound_base_url);
    match (check.errors.is_empty(), name) {
        (true, Some(name)) => Ok(OrganizationDraft {
            name,
            inbound_base_url,
        }),
        _ => Err(check.errors),
    }
}

/// Validates a connector draft and returns it normalized (trimmed, numbers in E.164, blank
/// optional fields removed, fields of other providers dropped). `is_new` makes the secret required.
pub fn connector(draft: &ConnectorDraft, is_new: bool) -> Result<ConnectorDraft, Vec<FieldError>> {
    let mut check = Check::default();
    let name = check.take("name", name(&draft.name, "connector"));
    if !draft.kind.providers().contains(&draft.provider) {
        let allowed: Vec<&str> = draft.kind.providers().iter().map(|p| p.as_str()).collect();
        check.fail(
            "provider",
            format!(
                "A {} connector works with {}, not {}",
                draft.kind.as_str(),
                allowed.join(", "),
                draft.provider.as_str()
            ),
        );
    }
    let settings = settings(&mut check, draft.provider, &draft.settings);
    let secret = draft
        .secret
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    let secret_needed =
        is_new && (draft.provider != ProviderKind::Smtp || settings.username.is_some());
    if let Some(value) = &secret {
        if value.trim() != value || value.contains(['\n', '\r']) {
            check.fail(
                "secret",
                format!(
                    "The {} has spaces or line breaks at its ends: paste it again without them",
                    draft.provider.secret_label()
                ),
            );
        }
    } else if secret_needed {
        check.fail(
            "secret",
            format!("Enter the {}", draft.provider.secret_label()),
        );
    }
    let recipients = recipients(&mut check, &draft.recipients);
    if draft.kind == ConnectorKind::Email && !recipients.is_empty() {
        check.fail(
            "recipients",
            "Email connectors have no phone recipients; remove them",
        );
    }
    match (check.errors.is_empty(), name) {
        (true, Some(name)) => Ok(ConnectorDraft {
            org_id: draft.org_id.trim().to_owned(),
            kind: draft.kind,
            provider: draft.provider,
            name,
            settings,
            recipients,
            receive_inbound: draft.receive_inbound,
            secret,
        }),
        _ => Err(check.errors),
    }
}

fn settings(
    check: &mut Check,
    provider: ProviderKind,
    input: &ConnectorSettings,
) -> ConnectorSettings {
    let mut out = ConnectorSettings {
        base_url: check.optional("settings.baseUrl", &input.base_url, base_url),
        ..ConnectorSettings::default()
    };
    match provider {
        ProviderKind::Twilio => {
            out.account_sid = check.required(
                "settings.accountSid",
                &input.account_sid,
                "Enter the Account SID (AC…) from the Twilio Console",
                account_sid,
            );
            out.api_key_sid = check.optional("settings.apiKeySid", &input.api_key_sid, api_key_sid);
            out.from = check.optional("settings.from", &input.from, e164);
            out.messaging_base_url = check.optional(
                "settings.messagingBaseUrl",
                &input.messaging_base_url,
                base_url,
            );
            out.content_base_url =
                check.optional("settings.contentBaseUrl", &input.content_base_url, base_url);
        }
        ProviderKind::Telnyx => {
            out.from = check.optional("settings.from", &input.from, e164);
            out.messaging_profile_id = check.optional(
                "settings.messagingProfileId",
                &input.messaging_profile_id,
                keep,
            );
        }
        ProviderKind::Elks46 => {
            out.username = check.required(
                "settings.username",
                &input.username,
                "Enter the API username (u…) from the 46elks dashboard",
                keep,
            );
            out.from = check.optional("settings.from", &input.from, elks_sender);
        }
        ProviderKind::Smtp => {
            out.smtp_host = check.required(
                "settings.smtpHost",
                &input.smtp_host,
                "Enter the SMTP server's host name, e.g. smtp.hotel.example",
                |host| match host.contains(char::is_whitespace) || host.contains("://") {
                    true => Err(format!(
                        "'{host}' should be a host name only, e.g. smtp.hotel.example"
                    )),
                    false => Ok(host.to_owned()),
                },
            );
            match input.smtp_port {
                Some(0) => check.fail("settings.smtpPort", "The port must be between 1 and 65535"),
                Some(port) => out.smtp_port = Some(port),
                None => check.fail(
                    "settings.smtpPort",
                    "Enter the SMTP port (587 for STARTTLS, 465 for TLS)",
                ),
            }
            out.smtp_security = Some(input.smtp_security.unwrap_or(SmtpSecurity::Starttls));
            out.username = check.optional("settings.username", &input.username, keep);
            out.from = check.required(
                "settings.from",
                &input.from,
                "Enter the address the backup emails come from",
                email,
            );
        }
    }
    out
}

fn recipients(check: &mut Check, input: &[RecipientDraft]) -> Vec<RecipientDraft> {
    let mut out: Vec<RecipientDraft> = Vec::with_capacity(input.len());
    for (index, recipient) in input.iter().enumerate() {
        let number_field = format!("recipients[{index}].number");
        let email_field = format!("recipients[{index}].backupEmail");
        let number = check.take(&number_field, e164(&recipient.number));
        let backup_email = check.optional(&email_field, &recipient.backup_email, email);
        if let Some(number) = number {
            if out.iter().any(|seen| seen.number == number) {
                check.fail(&number_field, format!("{number} is already in the list"));
            } else {
                out.push(RecipientDraft {
                    number,
                    backup_email,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_normalized_to_e164() {
        for (input, expected) in [
            ("+46 70-123 45 67", "+46701234567"),
            ("+46701234567", "+46701234567"),
            ("0046 70 123 45 67", "+46701234567"),
            ("+1 (415) 555-2671", "+14155552671"),
            ("  +44 20 7946 0958 ", "+442079460958"),
        ] {
            assert_eq!(e164(input).as_deref(), Ok(expected), "{input}");
        }
    }

    #[test]
    fn numbers_without_country_code_or_invalid_are_rejected() {
        let no_code = e164("070-123 45 67").unwrap_err();
        assert!(no_code.contains("no country code"), "{no_code}");
        for bad in [
            "",
            "+46 12",
            "+999 123456",
            "+46 70 123 45 67 89 01",
            "+hello",
        ] {
            assert!(e164(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn account_and_key_sids() {
        let good = "AC0123456789abcdef0123456789ABCDEF";
        assert_eq!(account_sid(good).as_deref(), Ok(good));
        for bad in [
            "",
            "AC123",
            "SK0123456789abcdef0123456789abcdef",
            "AC0123456789abcdef0123456789abcdeg",
        ] {
            let message = account_sid(bad).unwrap_err();
            assert!(message.contains("starts with AC"), "{bad}: {message}");
        }
        assert!(api_key_sid("SK0123456789abcdef0123456789abcdef").is_ok());
        assert!(api_key_sid(good).is_err());
    }

    #[test]
    fn elks_senders() {
        for good in ["Hotel", "Grand Hotel", "ABC123", "A", "Reception1 "] {
            assert!(elks_sender(good).is_ok(), "{good}");
        }
        assert_eq!(
            elks_sender("+46 70 123 45 67").as_deref(),
            Ok("+46701234567")
        );
        for bad in ["GrandHotel12", "Hotel-Spa", "12345", "", "Håtel"] {
            assert!(elks_sender(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn emails() {
        for good in ["a@b.se", "front.desk+night@hotel.example"] {
            assert!(email(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "frontdesk",
            "@hotel.se",
            "a@hotel",
            "a b@hotel.se",
            "a@@hotel.se",
            "a@hotel..se",
        ] {
            assert!(email(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn inbound_base_urls_need_https_except_on_localhost() {
        assert!(inbound_base_url("https://hooks.hotel.example").is_ok());
        assert!(inbound_base_url("http://localhost:8080").is_ok());
        assert!(inbound_base_url("http://127.0.0.1:9000/in").is_ok());
        assert!(inbound_base_url("http://[::1]:9000/in").is_ok());
        assert!(inbound_base_url("http://hooks.hotel.example").is_err());
        assert!(inbound_base_url("ftp://x").is_err());
    }

    /// Both URL fields are parsed, not matched as text: what a text check lets through.
    #[test]
    fn base_urls_refuse_credentials_queries_fragments_and_remote_plain_http() {
        let refused = [
            ("http://localhost:1@evil.example", "user name or password"),
            (
                "https://admin:hunter2@api.example.com",
                "user name or password",
            ),
            (
                "https://token@api.example.com/twilio",
                "user name or password",
            ),
            ("https://api.example.com/twilio?x=1", "query"),
            ("https://api.example.com/twilio#x", "fragment"),
            ("http://127.evil.example:4010", "https://"),
            ("http://localhost.evil.example", "https://"),
            ("http://hooks.hotel.example", "https://"),
            ("http://", "valid URL"),
            ("https://", "valid URL"),
            ("https://exa mple.com", "spaces"),
            ("api.example.com", "valid URL"),
            ("ftp://files.example.com", "https://"),
        ];
        for check in [base_url, inbound_base_url] {
            for (input, says) in refused {
                let reason = check(input).unwrap_err();
                assert!(reason.contains(says), "{input}: {reason}");
                for secret in ["hunter2", "token@", "1@evil", "admin:"] {
                    assert!(!reason.contains(secret), "{input}: {reason}");
                }
            }
            for (input, kept) in [
                (
                    "https://api.example.com/twilio/",
                    "https://api.example.com/twilio",
                ),
                (" http://127.0.0.1:4010 ", "http://127.0.0.1:4010"),
                (
                    "http://localhost:4010/_sandbox/sink",
                    "http://localhost:4010/_sandbox/sink",
                ),
                ("http://[::1]:4010/telnyx", "http://[::1]:4010/telnyx"),
            ] {
                assert_eq!(check(input).as_deref(), Ok(kept), "{input}");
            }
        }
    }

    fn twilio_draft() -> ConnectorDraft {
        ConnectorDraft {
            org_id: "org".into(),
            kind: ConnectorKind::Whatsapp,
            provider: ProviderKind::Twilio,
            name: " Front desk ".into(),
            settings: ConnectorSettings {
                account_sid: Some("AC0123456789abcdef0123456789abcdef".into()),
                from: Some("+46 70 123 45 67".into()),
                username: Some("ignored for twilio".into()),
                ..ConnectorSettings::default()
            },
            recipients: vec![RecipientDraft {
                number: "+1 415 555 2671".into(),
                backup_email: Some(" ops@hotel.example ".into()),
            }],
            receive_inbound: true,
            secret: Some("0123456789abcdef0123456789abcdef".into()),
        }
    }

    #[test]
    fn a_good_draft_comes_back_normalized() {
        let normalized = connector(&twilio_draft(), true).unwrap();
        assert_eq!(normalized.name, "Front desk");
        assert_eq!(normalized.settings.from.as_deref(), Some("+46701234567"));
        assert_eq!(
            normalized.settings.username, None,
            "fields of other providers are dropped"
        );
        assert_eq!(normalized.recipients[0].number, "+14155552671");
        assert_eq!(
            normalized.recipients[0].backup_email.as_deref(),
            Some("ops@hotel.example")
        );
    }

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn every_bad_field_is_named() {
        let mut draft = twilio_draft();
        draft.name = "  ".into();
        draft.settings.account_sid = Some("XX123".into());
        draft.settings.from = Some("0701234567".into());
        draft.secret = None;
        draft.recipients.push(RecipientDraft {
            number: "+1 415 555 2671".into(),
            backup_email: None,
        });
        draft.recipients.push(RecipientDraft {
            number: "12".into(),
            backup_email: Some("nope".into()),
        });
        let errors = connector(&draft, true).unwrap_err();
        assert_eq!(
            fields(&errors),
            [
                "name",
                "settings.accountSid",
                "settings.from",
                "secret",
                "recipients[1].number",
                "recipients[2].number",
                "recipients[2].backupEmail"
            ]
        );
    }

    #[test]
    fn the_secret_is_optional_on_edit_and_for_smtp_without_login() {
        let mut draft = twilio_draft();
        draft.secret = None;
        assert!(connector(&draft, false).is_ok());
        let smtp = ConnectorDraft {
            kind: ConnectorKind::Email,
            provider: ProviderKind::Smtp,
            name: "Backup".into(),
            settings: ConnectorSettings {
                smtp_host: Some("smtp.hotel.example".into()),
                smtp_port: Some(587),
                from: Some("noreply@hotel.example".into()),
                ..ConnectorSettings::default()
            },
            recipients: vec![],
            secret: None,
            ..draft
        };
        assert!(connector(&smtp, true).is_ok());
        let with_login = ConnectorDraft {
            settings: ConnectorSettings {
                username: Some("mailer".into()),
                ..smtp.settings.clone()
            },
            ..smtp
        };
        assert_eq!(
            fields(&connector(&with_login, true).unwrap_err()),
            ["secret"]
        );
    }

    #[test]
    fn kind_and_provider_must_fit() {
        let mut draft = twilio_draft();
        draft.provider = ProviderKind::Telnyx;
        let errors = connector(&draft, true).unwrap_err();
        assert_eq!(fields(&errors), ["provider"]);
        assert!(errors[0].message.contains("works with twilio"));
    }

    #[test]
    fn provider_specific_required_fields() {
        let elks = ConnectorDraft {
            kind: ConnectorKind::Sms,
            provider: ProviderKind::Elks46,
            settings: ConnectorSettings {
                from: Some("GrandHotelXYZ".into()),
                ..Default::default()
            },
            ..twilio_draft()
        };
        assert_eq!(
            fields(&connector(&elks, true).unwrap_err()),
            ["settings.username", "settings.from"]
        );
        let smtp = ConnectorDraft {
            kind: ConnectorKind::Email,
            provider: ProviderKind::Smtp,
            settings: ConnectorSettings {
                smtp_port: Some(0),
                ..Default::default()
            },
            recipients: vec![],
            ..twilio_draft()
        };
        assert_eq!(
            fields(&connector(&smtp, true).unwrap_err()),
            ["settings.smtpHost", "settings.smtpPort", "settings.from"]
        );
    }

    #[test]
    fn secrets_with_stray_whitespace_are_refused_without_echoing_them() {
        let mut draft = twilio_draft();
        draft.secret = Some("tok3n-value \n".into());
        let errors = connector(&draft, true).unwrap_err();
        assert_eq!(fields(&errors), ["secret"]);
        assert!(!errors[0].message.contains("tok3n"));
    }
}
