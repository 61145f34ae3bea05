//! The one source of truth for input rules. The UI shows these messages beside its fields (it
//! calls `connector_validate` as the user types); the CLI prints them naming its flags.

use crate::error::FieldError;
use crate::model::{
    ConnectorDraft, ConnectorKind, ConnectorSettings, ElksSettings, OrganizationDraft,
    RecipientDraft, SmtpSettings, TelnyxSettings, TwilioSettings,
};

const DESCRIPTION_MAX: usize = 1000;
const NAME_MAX: usize = 80;
/// Longer than any provider token, API key or SMTP password.
const SECRET_MAX: usize = 4096;
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
    not_a_service(
        "46elks",
        "a number in international format (+46…) or a name of at most 11 letters",
        trimmed,
    )?;
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

/// A Twilio connector's From (seeds 000 and 002: required): a number in E.164 (a WhatsApp one
/// may be written `whatsapp:+…`, as the seeds do), or a Messaging Service SID standing in for it.
pub fn twilio_sender(input: &str) -> Result<String, String> {
    let trimmed = input.trim();
    if trimmed.starts_with("MG") {
        return sid(trimmed, "MG", "A Messaging Service SID");
    }
    e164(trimmed.strip_prefix("whatsapp:").unwrap_or(trimmed))
}

/// A Messaging Service SID typed as another provider's From: say whose it is, instead of
/// judging it as a malformed number or name.
fn not_a_service(provider: &str, instead: &str, input: &str) -> Result<(), String> {
    match input.trim().starts_with("MG") && sid(input, "MG", "").is_ok() {
        true => Err(format!(
            "A Messaging Service SID (MG…) is Twilio's: {provider} sends from {instead}"
        )),
        false => Ok(()),
    }
}

/// A Telnyx connector's From: a number in E.164.
pub fn telnyx_sender(input: &str) -> Result<String, String> {
    not_a_service("Telnyx", "a number in international format (+1…)", input)?;
    e164(input)
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
        .map_err(capitalized)
}

/// Where providers post inbound messages: the same rules as [`base_url`] (https, plain http only
/// to this machine).
pub fn inbound_base_url(input: &str) -> Result<String, String> {
    base_url(input)
}

/// A name as shown in lists and used as a reference: trimmed, not empty, not too long, and
/// without control characters (a NUL byte or a line break would make it unreadable and let a
/// lookup by name collide with a hostile id).
pub fn name(input: &str, what: &str) -> Result<String, String> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(format!("Give the {what} a name"));
    }
    if trimmed.chars().count() > NAME_MAX {
        return Err(format!("Keep the name under {NAME_MAX} characters"));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(
            "Remove the control characters (such as a line break or a NUL byte) from the name"
                .to_owned(),
        );
    }
    Ok(trimmed.to_owned())
}

/// A free-text description: line breaks and tabs are fine, other control characters are not.
pub fn description(input: &str) -> Result<String, String> {
    let trimmed = input.trim();
    if trimmed.chars().count() > DESCRIPTION_MAX {
        return Err(format!(
            "Keep the description under {DESCRIPTION_MAX} characters"
        ));
    }
    if trimmed
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(
            "Remove the control characters (such as a NUL byte) from the description".into(),
        );
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

    /// A required field kept as an `Option` in the settings (stored rows from before it was
    /// required may lack it): blank is missing.
    fn required_option(
        &mut self,
        field: &str,
        value: &Option<String>,
        missing: &str,
        rule: impl Fn(&str) -> Result<String, String>,
    ) -> Option<String> {
        let value = self.required(field, value.as_deref().unwrap_or_default(), missing, rule);
        Some(value).filter(|v| !v.is_empty())
    }

    /// A required text field: blank is missing. On an error the result is empty (and unused:
    /// the draft is refused).
    fn required(
        &mut self,
        field: &str,
        value: &str,
        missing: &str,
        rule: impl Fn(&str) -> Result<String, String>,
    ) -> String {
        let value = value.trim();
        if value.is_empty() {
            self.fail(field, missing);
            return String::new();
        }
        self.take(field, rule(value)).unwrap_or_default()
    }
}

fn keep(value: &str) -> Result<String, String> {
    Ok(value.to_owned())
}

/// A reason as a field error shows it: its first letter capitalized.
fn capitalized(reason: impl std::fmt::Display) -> String {
    let reason = reason.to_string();
    let mut chars = reason.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or(reason)
}

/// Telnyx's webhook public key: base64 of a 32-byte Ed25519 key.
fn telnyx_key(value: &str) -> Result<String, String> {
    switchboard_providers::signature::telnyx_public_key_check(value)
        .map(|()| value.to_owned())
        .map_err(capitalized)
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
/// optional fields removed). `is_new` makes the secret required.
pub fn connector(draft: &ConnectorDraft, is_new: bool) -> Result<ConnectorDraft, Vec<FieldError>> {
    let mut check = Check::default();
    let name = check.take("name", name(&draft.name, "connector"));
    let provider = draft.provider();
    if !draft.kind.providers().contains(&provider) {
        let allowed: Vec<&str> = draft.kind.providers().iter().map(|p| p.as_str()).collect();
        check.fail(
            "settings.provider",
            format!(
                "A {} connector works with {}, not {}",
                draft.kind.as_str(),
                allowed.join(", "),
                provider.as_str()
            ),
        );
    }
    let settings = settings(&mut check, &draft.settings);
    if let Some(from) = settings.sender()
        && crate::whatsapp_sandbox::is_sandbox_number(from)
        && let Some(why) = crate::whatsapp_sandbox::refusal(draft.kind, provider)
    {
        check.fail("settings.from", why);
    }
    let secret = draft
        .secret
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    let secret_needed = is_new
        && match &settings {
            ConnectorSettings::Smtp(smtp) => smtp.username.is_some(),
            _ => true,
        };
    if let Some(value) = &secret {
        if value.trim() != value || value.contains(['\n', '\r']) {
            check.fail(
                "secret",
                format!(
                    "The {} has spaces or line breaks at its ends: paste it again without them",
                    provider.secret_label()
                ),
            );
        } else if value.chars().count() > SECRET_MAX || value.chars().any(char::is_control) {
            check.fail(
                "secret",
                format!(
                    "That is not a {}: it is longer than {SECRET_MAX} characters or holds \
                     control characters. Paste it again from the provider's console",
                    provider.secret_label()
                ),
            );
        }
    } else if secret_needed {
        check.fail("secret", format!("Enter the {}", provider.secret_label()));
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
            name,
            settings,
            recipients,
            receive_inbound: draft.receive_inbound,
            secret,
        }),
        _ => Err(check.errors),
    }
}

/// The settings normalized; every error is named by its path in the draft (`settings.<field>`,
/// the names the UI's inputs carry and the CLI maps to its flags).
fn settings(check: &mut Check, input: &ConnectorSettings) -> ConnectorSettings {
    match input {
        ConnectorSettings::Twilio(twilio) => ConnectorSettings::Twilio(TwilioSettings {
            account_sid: check.required(
                "settings.accountSid",
                &twilio.account_sid,
                "Enter the Account SID (AC…) from the Twilio Console",
                account_sid,
            ),
            api_key_sid: check.optional("settings.apiKeySid", &twilio.api_key_sid, api_key_sid),
            from: check.required_option(
                "settings.from",
                &twilio.from,
                "Enter the sender: the approved number in international format (+1…), or a \
                 Messaging Service SID (MG…)",
                twilio_sender,
            ),
            base_url: check.optional("settings.baseUrl", &twilio.base_url, base_url),
            messaging_base_url: check.optional(
                "settings.messagingBaseUrl",
                &twilio.messaging_base_url,
                base_url,
            ),
            content_base_url: check.optional(
                "settings.contentBaseUrl",
                &twilio.content_base_url,
                base_url,
            ),
        }),
        ConnectorSettings::Telnyx(telnyx) => ConnectorSettings::Telnyx(TelnyxSettings {
            messaging_profile_id: check.optional(
                "settings.messagingProfileId",
                &telnyx.messaging_profile_id,
                keep,
            ),
            from: check.required_option(
                "settings.from",
                &telnyx.from,
                "Enter the sender number in international format (+1…)",
                telnyx_sender,
            ),
            base_url: check.optional("settings.baseUrl", &telnyx.base_url, base_url),
            public_key: check.optional("settings.publicKey", &telnyx.public_key, telnyx_key),
        }),
        ConnectorSettings::Elks46(elks) => ConnectorSettings::Elks46(ElksSettings {
            username: check.required(
                "settings.username",
                &elks.username,
                "Enter the API username (u…) from the 46elks dashboard",
                keep,
            ),
            from: check.required_option(
                "settings.from",
                &elks.from,
                "Enter the sender: a number in international format (+46…) or a name of at most \
                 11 letters and digits",
                elks_sender,
            ),
            base_url: check.optional("settings.baseUrl", &elks.base_url, base_url),
        }),
        ConnectorSettings::Smtp(smtp) => {
            let host = check.required(
                "settings.host",
                &smtp.host,
                "Enter the SMTP server's host name, e.g. smtp.hotel.example",
                |host| match host.contains(char::is_whitespace) || host.contains("://") {
                    true => Err(format!(
                        "'{host}' should be a host name only, e.g. smtp.hotel.example"
                    )),
                    false => Ok(host.to_owned()),
                },
            );
            if smtp.port == 0 {
                check.fail(
                    "settings.port",
                    "Enter the SMTP port, from 1 to 65535 (587 for STARTTLS, 465 for TLS)",
                );
            }
            if let Some(Err(reason)) =
                (!host.is_empty()).then(|| crate::smtp::security_for_host(smtp.security, &host))
            {
                check.fail("settings.security", reason);
            }
            let ca_pem = check.optional("settings.caPem", &smtp.ca_pem, crate::smtp::ca_pem);
            ConnectorSettings::Smtp(SmtpSettings {
                host,
                port: smtp.port,
                security: smtp.security,
                username: check.optional("settings.username", &smtp.username, keep),
                from: check.required(
                    "settings.from",
                    &smtp.from,
                    "Enter the address the backup emails come from",
                    email,
                ),
                ca_pem,
            })
        }
    }
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

    fn twilio(settings: TwilioSettings) -> ConnectorSettings {
        ConnectorSettings::Twilio(settings)
    }

    /// Hostile input from a broken or compromised webview (ipc_hostile_tests.rs drives it over
    /// IPC): a NUL byte or a line break in a name, a megabyte secret.
    #[test]
    fn names_and_secrets_refuse_control_characters_and_absurd_lengths() {
        for bad in ["a\u{0}b", "Front\ndesk", "\u{1b}[2J"] {
            let mut draft = twilio_draft();
            draft.name = bad.into();
            let errors = connector(&draft, true).unwrap_err();
            assert_eq!(errors[0].field, "name", "{bad:?}");
            assert!(name(bad, "agent").is_err(), "{bad:?}");
        }
        let mut draft = twilio_draft();
        draft.secret = Some("9".repeat(1 << 20));
        let errors = connector(&draft, true).unwrap_err();
        assert_eq!(errors[0].field, "secret");
        assert!(
            errors[0].message.contains("longer than 4096"),
            "{}",
            errors[0].message
        );
        draft.secret = Some("a\u{0}b".into());
        assert_eq!(connector(&draft, true).unwrap_err()[0].field, "secret");
        assert!(description(&"x".repeat(1001)).is_err());
        assert!(description("a\u{0}b").is_err());
        assert_eq!(
            description(" Night shift\nfront desk ").unwrap(),
            "Night shift\nfront desk"
        );
        assert_eq!(name(" Front desk ", "agent").unwrap(), "Front desk");
    }

    fn twilio_draft() -> ConnectorDraft {
        ConnectorDraft {
            org_id: "org".into(),
            kind: ConnectorKind::Whatsapp,
            name: " Front desk ".into(),
            settings: twilio(TwilioSettings {
                account_sid: " AC0123456789abcdef0123456789abcdef".into(),
                from: Some("+46 70 123 45 67".into()),
                api_key_sid: Some("  ".into()),
                ..TwilioSettings::default()
            }),
            recipients: vec![RecipientDraft {
                number: "+1 415 555 2671".into(),
                backup_email: Some(" ops@hotel.example ".into()),
            }],
            receive_inbound: true,
            secret: Some("0123456789abcdef0123456789abcdef".into()),
        }
    }

    fn smtp_settings() -> SmtpSettings {
        SmtpSettings {
            host: "smtp.hotel.example".into(),
            port: 587,
            from: "noreply@hotel.example".into(),
            ..SmtpSettings::default()
        }
    }

    #[test]
    fn a_good_draft_comes_back_normalized() {
        let normalized = connector(&twilio_draft(), true).unwrap();
        assert_eq!(normalized.name, "Front desk");
        assert_eq!(
            normalized.settings,
            twilio(TwilioSettings {
                account_sid: "AC0123456789abcdef0123456789abcdef".into(),
                from: Some("+46701234567".into()),
                api_key_sid: None,
                ..TwilioSettings::default()
            }),
            "trimmed, in E.164, a blank optional field absent"
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
        draft.settings = twilio(TwilioSettings {
            account_sid: "XX123".into(),
            from: Some("0701234567".into()),
            ..TwilioSettings::default()
        });
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
            name: "Backup".into(),
            settings: ConnectorSettings::Smtp(smtp_settings()),
            recipients: vec![],
            secret: None,
            ..draft
        };
        assert!(connector(&smtp, true).is_ok());
        let with_login = ConnectorDraft {
            settings: ConnectorSettings::Smtp(SmtpSettings {
                username: Some("mailer".into()),
                ..smtp_settings()
            }),
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
        draft.settings = ConnectorSettings::Telnyx(TelnyxSettings {
            from: Some("+1 312 555 0101".into()),
            ..TelnyxSettings::default()
        });
        let errors = connector(&draft, true).unwrap_err();
        assert_eq!(fields(&errors), ["settings.provider"]);
        assert!(errors[0].message.contains("works with twilio"));
    }

    #[test]
    fn provider_specific_required_fields() {
        let elks = ConnectorDraft {
            kind: ConnectorKind::Sms,
            settings: ConnectorSettings::Elks46(ElksSettings {
                username: " ".into(),
                from: Some("GrandHotelXYZ".into()),
                ..ElksSettings::default()
            }),
            ..twilio_draft()
        };
        assert_eq!(
            fields(&connector(&elks, true).unwrap_err()),
            ["settings.username", "settings.from"]
        );
        let smtp = ConnectorDraft {
            kind: ConnectorKind::Email,
            settings: ConnectorSettings::Smtp(SmtpSettings::default()),
            recipients: vec![],
            ..twilio_draft()
        };
        assert_eq!(
            fields(&connector(&smtp, true).unwrap_err()),
            ["settings.host", "settings.port", "settings.from"]
        );
    }

    const SERVICE: &str = "MG0123456789abcdef0123456789abcdef";

    fn sms(settings: ConnectorSettings) -> ConnectorDraft {
        ConnectorDraft {
            kind: ConnectorKind::Sms,
            settings,
            ..twilio_draft()
        }
    }

    fn telnyx_with(from: Option<&str>) -> ConnectorDraft {
        sms(ConnectorSettings::Telnyx(TelnyxSettings {
            from: from.map(str::to_owned),
            ..TelnyxSettings::default()
        }))
    }

    fn elks_with(from: Option<&str>) -> ConnectorDraft {
        sms(ConnectorSettings::Elks46(ElksSettings {
            username: "u0123456789abcdef".into(),
            from: from.map(str::to_owned),
            ..ElksSettings::default()
        }))
    }

    fn twilio_with(from: Option<&str>) -> ConnectorDraft {
        let mut draft = twilio_draft();
        if let ConnectorSettings::Twilio(twilio) = &mut draft.settings {
            twilio.from = from.map(str::to_owned);
        }
        draft
    }

    /// Seeds 000 and 002: the sender is required for every WhatsApp and SMS provider, on a new
    /// connector and on an edit alike (a stored one from before without it must get one).
    #[test]
    fn from_is_required_for_twilio_telnyx_and_46elks() {
        for draft in [
            twilio_with(None),
            twilio_with(Some("  ")),
            telnyx_with(None),
            telnyx_with(Some("")),
            elks_with(None),
            elks_with(Some(" ")),
        ] {
            let provider = draft.provider();
            for is_new in [true, false] {
                let errors = connector(&draft, is_new).unwrap_err();
                assert_eq!(fields(&errors), ["settings.from"], "{provider:?}");
                assert!(
                    errors[0].message.starts_with("Enter the sender"),
                    "{provider:?}: {}",
                    errors[0].message
                );
            }
        }
        for good in [
            twilio_with(Some("+46 70 123 45 67")),
            twilio_with(Some("whatsapp:+14155550101")),
            telnyx_with(Some("+1 312 555 0101")),
            elks_with(Some("+46 76 686 01 01")),
            elks_with(Some("GrandHotel")),
        ] {
            assert!(connector(&good, true).is_ok(), "{:?}", good.settings);
        }
    }

    #[test]
    fn a_messaging_service_sid_is_a_twilio_from_only() {
        let saved = connector(&twilio_with(Some(&format!(" {SERVICE} "))), true).unwrap();
        assert_eq!(
            saved.settings.sender(),
            Some(SERVICE),
            "kept as typed, trimmed"
        );
        for draft in [telnyx_with(Some(SERVICE)), elks_with(Some(SERVICE))] {
            let errors = connector(&draft, true).unwrap_err();
            assert_eq!(fields(&errors), ["settings.from"]);
            assert!(
                errors[0]
                    .message
                    .starts_with("A Messaging Service SID (MG…) is Twilio's"),
                "{}",
                errors[0].message
            );
        }
        assert!(
            connector(&elks_with(Some("MGHotel")), true).is_ok(),
            "a 46elks name that merely starts with MG is a name"
        );
        for bad in [
            "MG0123",
            "MG0123456789abcdef0123456789abcdeg",
            "MG0123456789abcdef0123456789abcdef0",
        ] {
            let errors = connector(&twilio_with(Some(bad)), true).unwrap_err();
            assert_eq!(fields(&errors), ["settings.from"], "{bad}");
            assert!(
                errors[0]
                    .message
                    .starts_with("A Messaging Service SID starts with MG"),
                "{bad}: {}",
                errors[0].message
            );
        }
    }

    /// The wire shape the UI sends and the bindings describe: the provider tags the settings.
    #[test]
    fn settings_are_tagged_with_their_provider() {
        let json = serde_json::json!({
            "orgId": "org",
            "kind": "sms",
            "name": "SMS",
            "settings": { "provider": "46elks", "username": "u1", "from": "Hotel", "baseUrl": null },
            "recipients": [],
            "secret": "pw"
        });
        let draft: ConnectorDraft = serde_json::from_value(json).unwrap();
        assert_eq!(
            draft.settings,
            ConnectorSettings::Elks46(ElksSettings {
                username: "u1".into(),
                from: Some("Hotel".into()),
                base_url: None,
            })
        );
        let mixed = serde_json::json!({
            "orgId": "org", "kind": "sms", "name": "SMS",
            "settings": { "provider": "smtp", "host": "h", "from": "a@b.se", "security": "tls" }
        });
        assert!(
            serde_json::from_value::<ConnectorDraft>(mixed).is_err(),
            "an SMTP draft without its port cannot be expressed"
        );
        let shown = serde_json::to_value(connector(&twilio_draft(), true).unwrap()).unwrap();
        assert_eq!(shown["settings"]["provider"], "twilio");
        assert_eq!(
            shown["settings"]["accountSid"],
            "AC0123456789abcdef0123456789abcdef"
        );
        assert!(
            shown.get("provider").is_none(),
            "the provider lives in the settings only"
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
