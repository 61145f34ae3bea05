//! What the CLI prints: tables for people, JSON on stdout for `--json`, errors on stderr.

use std::process::ExitCode;

use serde::Serialize;
use serde_json::json;
use switchboard_core::{
    Connector, ConnectorSettings, CoreError, ErrorCode, FailureCode, FieldError, Organization,
    ProviderFailure, SmtpSecurity, last_known::Freshness, readable,
};

/// A failed command: the error code, a message, the flags at fault and, for a provider failure,
/// the typed failure (printed as cause, fix and code; carried whole in `--json`).
#[derive(Debug)]
pub struct Failure {
    code: FailureCode,
    message: String,
    fields: Vec<FieldError>,
    provider: Option<Box<ProviderFailure>>,
    /// The JSON answer was already printed on stdout; only the message goes to stderr.
    answered: bool,
}

impl Failure {
    pub fn core(error: CoreError) -> Self {
        Self {
            code: error.code(),
            // What the user typed is quoted back: never a terminal escape or a megabyte of it.
            message: readable(&error.to_string()),
            fields: error
                .fields()
                .iter()
                .map(|field| FieldError::new(&field.field, readable(&field.message)))
                .collect(),
            provider: error.provider_failure().cloned().map(Box::new),
            answered: false,
        }
    }

    pub fn operation(message: impl Into<String>) -> Self {
        Self {
            code: ErrorCode::Failed.into(),
            message: message.into(),
            fields: Vec::new(),
            provider: None,
            answered: false,
        }
    }

    /// A credential check that left the connector in state Error.
    pub fn check_failed(connector: &Connector) -> Self {
        let reason = connector
            .state_reason
            .as_deref()
            .unwrap_or("no reason given");
        match &connector.state_failure {
            Some(failure) => Self {
                code: FailureCode::Provider(failure.kind),
                message: format!("the check failed: {reason}"),
                fields: Vec::new(),
                provider: Some(Box::new(failure.clone())),
                answered: false,
            },
            None => Self::operation(format!("the check failed: {reason}")),
        }
    }

    /// Marks that stdout already has the command's JSON answer.
    pub fn silent_json(mut self) -> Self {
        self.answered = true;
        self
    }

    pub fn bad_input(flag: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self {
            code: ErrorCode::Validation.into(),
            fields: vec![FieldError::new(flag, message.clone())],
            message: format!("{flag}: {message}"),
            provider: None,
            answered: false,
        }
    }

    /// Renames the fields of a validation error after the flags the user typed.
    pub fn with_flags(mut self, flag_of: impl Fn(&str) -> String) -> Self {
        for field in &mut self.fields {
            field.field = flag_of(&field.field);
        }
        if !self.fields.is_empty() {
            self.message = self
                .fields
                .iter()
                .map(|f| format!("{}: {}", f.field, f.message))
                .collect::<Vec<_>>()
                .join("\n");
        }
        self
    }

    fn exit_code(&self) -> u8 {
        if self.code.is_bad_input() { 2 } else { 1 }
    }
}

pub struct Output {
    json: bool,
}

impl Output {
    pub fn new(json: bool) -> Self {
        Self { json }
    }

    pub fn is_json(&self) -> bool {
        self.json
    }

    pub fn print_json(&self, value: &impl Serialize) {
        match serde_json::to_string_pretty(value) {
            Ok(text) => println!("{text}"),
            Err(error) => eprintln!("error: could not format the output as JSON: {error}"),
        }
    }

    pub fn failure(&self, failure: &Failure) -> ExitCode {
        if self.json && !failure.answered {
            self.print_json(&json!({
                "error": {
                    "code": failure.code,
                    "message": failure.message,
                    "fields": failure.fields,
                    "provider": failure.provider,
                }
            }));
        }
        match &failure.provider {
            Some(provider) => {
                eprintln!("error: {}", provider.cause);
                for line in failure_lines(provider) {
                    eprintln!("  {line}");
                }
            }
            None => eprintln!("error: {}", failure.message),
        }
        ExitCode::from(failure.exit_code())
    }

    pub fn organization(&self, org: &Organization) {
        if self.json {
            return self.print_json(org);
        }
        println!("{}  {}", org.id, org.name);
        if let Some(url) = &org.inbound_base_url {
            println!("  inbound base URL: {url}");
        }
    }

    pub fn organizations(&self, orgs: &[Organization]) {
        if self.json {
            return self.print_json(&orgs);
        }
        if orgs.is_empty() {
            println!("No organizations yet. Create one with: switchboard org add NAME");
        }
        for org in orgs {
            println!("{}  {}", org.id, org.name);
        }
    }

    pub fn connector(&self, connector: &Connector) {
        if self.json {
            return self.print_json(connector);
        }
        println!("{}  {}", connector.id, connector.name);
        println!(
            "  kind:      {} via {}",
            connector.kind.as_str(),
            connector.provider().as_str()
        );
        match &connector.state_failure {
            Some(failure) => {
                println!(
                    "  state:     {} ({})",
                    connector.state.as_str(),
                    failure.cause
                );
                for line in failure_lines(failure) {
                    println!("             {line}");
                }
            }
            None => {
                let reason = connector
                    .state_reason
                    .as_deref()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default();
                println!("  state:     {}{reason}", connector.state.as_str());
            }
        }
        if let Some(account) = &connector.account_name {
            let kind = connector
                .account_type
                .as_deref()
                .map(|t| format!(" ({t})"))
                .unwrap_or_default();
            println!("  account:   {account}{kind}");
        }
        if let Some(warning) = &connector.state_warning {
            println!("  warning:   {warning}");
        }
        for (label, value) in settings_lines(&connector.settings) {
            println!("  {label:<10} {value}");
        }
        let secret = if connector.has_secret {
            "stored in the system keychain"
        } else {
            "none"
        };
        println!("  secret:    {secret}");
        println!(
            "  inbound:   {}",
            if connector.receive_inbound {
                "on"
            } else {
                "off"
            }
        );
        for recipient in &connector.recipients {
            match &recipient.backup_email {
                Some(email) => println!("  recipient: {} (backup {email})", recipient.number),
                None => println!("  recipient: {}", recipient.number),
            }
        }
    }

    pub fn connectors(&self, connectors: &[Connector]) {
        if self.json {
            return self.print_json(&connectors);
        }
        if connectors.is_empty() {
            println!("No connectors yet. Create one with: switchboard connector add --help");
        }
        for c in connectors {
            println!(
                "{}  {:<24} {:<9} {:<7} {}",
                c.id,
                c.name,
                c.kind.as_str(),
                c.provider().as_str(),
                c.state.as_str()
            );
        }
    }

    pub fn removed(&self, id: &str) {
        if self.json {
            return self.print_json(&json!({ "removed": id }));
        }
        println!("Removed connector {id} and its keychain entry");
    }
}

/// A provider failure for people: what the provider said, what to do, and the codes to search
/// for (the kind's stable name, the provider's own code and status) with the provider's page.
pub fn failure_lines(failure: &ProviderFailure) -> Vec<String> {
    let mut lines = Vec::new();
    if !failure.message.trim().is_empty() {
        lines.push(format!(
            "{} said: {}",
            failure.provider,
            failure.message.trim()
        ));
    }
    lines.push(format!("fix: {}", failure.fix));
    let mut code = format!("code: {}", failure.kind);
    if let Some(provider_code) = &failure.provider_code {
        code.push_str(&format!(" · {} {provider_code}", failure.provider));
    }
    if let Some(status) = failure.http_status {
        code.push_str(&format!(" (HTTP {status})"));
    }
    if let Some(url) = &failure.docs_url {
        code.push_str(&format!(" — {url}"));
    }
    lines.push(code);
    lines
}

/// The settings a person reads in `connector show`, labelled, the ones not set left out.
fn settings_lines(settings: &ConnectorSettings) -> Vec<(&'static str, String)> {
    let optional = |label, value: &Option<String>| value.clone().map(|value| (label, value));
    match settings {
        ConnectorSettings::Twilio(twilio) => [
            Some(("account", twilio.account_sid.clone())),
            optional("api key", &twilio.api_key_sid),
            optional("from", &twilio.from),
            optional("base URL", &twilio.base_url),
            optional("messaging", &twilio.messaging_base_url),
            optional("content", &twilio.content_base_url),
        ]
        .into_iter()
        .flatten()
        .collect(),
        ConnectorSettings::Telnyx(telnyx) => [
            optional("profile", &telnyx.messaging_profile_id),
            optional("public key", &telnyx.public_key),
            optional("from", &telnyx.from),
            optional("base URL", &telnyx.base_url),
        ]
        .into_iter()
        .flatten()
        .collect(),
        ConnectorSettings::Elks46(elks) => [
            Some(("username", elks.username.clone())),
            optional("from", &elks.from),
            optional("base URL", &elks.base_url),
        ]
        .into_iter()
        .flatten()
        .collect(),
        ConnectorSettings::Smtp(smtp) => [
            Some(("SMTP host", smtp.host.clone())),
            Some(("SMTP port", smtp.port.to_string())),
            Some(("security", security_name(smtp.security).to_owned())),
            optional("username", &smtp.username),
            Some(("from", smtp.from.clone())),
            smtp.ca_pem.as_ref().map(|_| {
                (
                    "SMTP CA",
                    "own CA certificate trusted (--ca-file)".to_owned(),
                )
            }),
        ]
        .into_iter()
        .flatten()
        .collect(),
    }
}

fn security_name(security: SmtpSecurity) -> &'static str {
    match security {
        SmtpSecurity::Starttls => "STARTTLS",
        SmtpSecurity::Tls => "TLS",
        SmtpSecurity::None => "none",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_core::{FailureKind, Provider};

    #[test]
    fn failure_lines_name_cause_fix_codes_and_link() {
        let failure = ProviderFailure {
            provider: Provider::Twilio,
            kind: FailureKind::InvalidRecipient,
            provider_code: Some("21211".into()),
            http_status: Some(400),
            message: "Invalid 'To' Phone Number".into(),
            cause: "The number is not valid.".into(),
            fix: "Check it.".into(),
            docs_url: Some("https://www.twilio.com/docs/api/errors/21211".into()),
        };
        assert_eq!(
            failure_lines(&failure),
            [
                "Twilio said: Invalid 'To' Phone Number",
                "fix: Check it.",
                "code: INVALID_RECIPIENT · Twilio 21211 (HTTP 400) — \
                 https://www.twilio.com/docs/api/errors/21211",
            ]
        );
        let elks = ProviderFailure {
            provider: Provider::Elks,
            provider_code: None,
            http_status: None,
            docs_url: None,
            message: String::new(),
            ..failure
        };
        assert_eq!(
            failure_lines(&elks),
            ["fix: Check it.", "code: INVALID_RECIPIENT"]
        );
    }
}

/// When the provider could not be reached: "last known state from 12 min ago: <reason>", on
/// stdout for people and on stderr with `--json` (whose stdout carries `freshness` or keeps the
/// contract's shape).
pub fn stale_notice(freshness: &Freshness, out: &Output) {
    let Some(line) = stale_line(freshness, chrono::Utc::now()) else {
        return;
    };
    if out.is_json() {
        eprintln!("{line}");
    } else {
        println!("{line}");
    }
}

pub fn stale_line(freshness: &Freshness, now: chrono::DateTime<chrono::Utc>) -> Option<String> {
    if !freshness.stale {
        return None;
    }
    let age = freshness
        .as_of
        .as_deref()
        .and_then(|at| chrono::DateTime::parse_from_rfc3339(at).ok())
        .map(|at| age_words(now.signed_duration_since(at.with_timezone(&chrono::Utc))))
        .unwrap_or_else(|| "an unknown time ago".to_owned());
    let reason = freshness.failure.as_ref().map_or_else(
        || "the provider could not be reached".to_owned(),
        |failure| failure.cause.clone(),
    );
    Some(format!("last known state from {age}: {reason}"))
}

fn age_words(age: chrono::TimeDelta) -> String {
    let minutes = age.num_minutes().max(0);
    match minutes {
        0 => "less than a minute ago".to_owned(),
        1..=59 => format!("{minutes} min ago"),
        60..=2879 => format!("{} h ago", minutes / 60),
        _ => format!("{} days ago", minutes / 1440),
    }
}

#[cfg(test)]
mod stale_tests {
    use switchboard_core::{FailureKind, Provider};

    use super::*;

    #[test]
    fn a_stale_answer_says_its_age_and_why() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-01-31T10:12:30Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let mut freshness = Freshness {
            as_of: Some("2026-01-31T10:00:00.000Z".into()),
            stale: false,
            failure: None,
        };
        assert_eq!(stale_line(&freshness, now), None, "fresh: nothing to say");
        freshness.stale = true;
        freshness.failure = Some(ProviderFailure {
            provider: Provider::Twilio,
            kind: FailureKind::Unreachable,
            provider_code: None,
            http_status: None,
            message: "connection refused".into(),
            cause: "Twilio could not be reached.".into(),
            fix: "Check the network.".into(),
            docs_url: None,
        });
        assert_eq!(
            stale_line(&freshness, now).unwrap(),
            "last known state from 12 min ago: Twilio could not be reached."
        );
        freshness.as_of = Some("2026-01-29T10:00:00.000Z".into());
        assert!(stale_line(&freshness, now).unwrap().contains("2 days ago"));
    }
}
