//! Checking a connector's credentials against its provider, and saying what the result means.

use std::time::Duration;

use switchboard_providers::elks::ElksClient;
use switchboard_providers::telnyx::TelnyxClient;
use switchboard_providers::twilio::{TwilioClient, TwilioCredentials, TwilioEndpoints};
use switchboard_providers::{
    AccountType, AnyProviderClient, BaseUrl, HttpOptions, ProviderClient, ProviderError, Secret,
    TransportKind,
};

use crate::clock::now;
use crate::error::CoreError;
use crate::model::{CheckRecord, Connector, ConnectorState, Event, EventLevel, ProviderKind};
use crate::secrets::Sensitive;
use crate::service::Switchboard;

/// A provider call must answer while the user waits (e.g. on the Save button).
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);

fn parse_base(url: Option<&str>, fallback: BaseUrl) -> Result<BaseUrl, String> {
    match url {
        Some(url) => {
            BaseUrl::parse(url).map_err(|e| format!("The API base URL '{url}' cannot be used: {e}"))
        }
        None => Ok(fallback),
    }
}

/// When set (the test suites set it), provider calls may only go to this machine: a test can
/// never reach a real provider by mistake.
pub const LOOPBACK_ONLY_ENV: &str = "SWITCHBOARD_LOOPBACK_ONLY";

fn is_loopback(url: &str) -> bool {
    let rest = url.split("://").nth(1).unwrap_or_default();
    let host = rest.split(['/', '?']).next().unwrap_or_default();
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    host == "localhost"
        || host.starts_with("localhost:")
        || host.starts_with("127.")
        || host.starts_with("[::1]")
}

/// The provider client for a connector, or why there is none (a plain reason for the user).
pub(crate) fn client_for(
    connector: &Connector,
    secret: Option<Sensitive<String>>,
    timeout: Duration,
) -> Result<AnyProviderClient, String> {
    let http_options = || HttpOptions {
        request_timeout: timeout,
        ..HttpOptions::default()
    };
    let settings = &connector.settings;
    let secret = match secret {
        Some(secret) => Secret::new(secret.expose().clone()),
        None => {
            return Err(
                "No secret is stored for this connector: edit it and enter the secret.".into(),
            );
        }
    };
    let base = settings.base_url.as_deref();
    if std::env::var_os(LOOPBACK_ONLY_ENV).is_some() {
        let urls = [
            base,
            settings.messaging_base_url.as_deref(),
            settings.content_base_url.as_deref(),
        ];
        if base.is_none() || urls.into_iter().flatten().any(|url| !is_loopback(url)) {
            return Err(format!(
                "{LOOPBACK_ONLY_ENV} is set: only a provider on this machine (the sandbox) may be called; set the API base URL."
            ));
        }
    }
    let built = match connector.provider {
        ProviderKind::Twilio => {
            let defaults = TwilioEndpoints::default();
            let messaging = settings.messaging_base_url.as_deref().or(base);
            let content = settings.content_base_url.as_deref().or(base);
            let endpoints = TwilioEndpoints {
                api: parse_base(base, defaults.api)?,
                messaging: parse_base(messaging, defaults.messaging)?,
                content: parse_base(content, defaults.content)?,
            };
            let account_sid = settings.account_sid.clone().unwrap_or_default();
            let credentials = match &settings.api_key_sid {
                Some(key) => TwilioCredentials::with_api_key(account_sid, key.clone(), secret),
                None => TwilioCredentials::with_auth_token(account_sid, secret),
            };
            TwilioClient::new(credentials, endpoints, &http_options()).map(AnyProviderClient::from)
        }
        ProviderKind::Telnyx => {
            let base = parse_base(base, TelnyxClient::default_base())?;
            TelnyxClient::new(secret, base, &http_options()).map(AnyProviderClient::from)
        }
        ProviderKind::Elks46 => {
            let base = parse_base(base, ElksClient::default_base())?;
            let username = settings.username.clone().unwrap_or_default();
            ElksClient::new(username, secret, base, &http_options()).map(AnyProviderClient::from)
        }
        ProviderKind::Smtp => {
            return Err("Email connectors are checked when a backup email is sent.".into());
        }
    };
    built.map_err(|e| e.to_string())
}

/// The reason shown on a connector in state Error: what happened, in words that tell the cases
/// apart, and what to do.
pub(crate) fn reason(provider: ProviderKind, error: &ProviderError) -> String {
    let explanation = error.explanation();
    let what = match (provider, error) {
        (ProviderKind::Twilio, ProviderError::Api { http_status: 401, .. }) => {
            "Twilio did not accept the credentials: the Account SID, the API Key SID or the Auth Token / key secret is wrong.".to_owned()
        }
        (ProviderKind::Twilio, ProviderError::Api { code: Some(code), .. }) if code == "20403" => {
            "Twilio refused: these credentials may not read this account (a restricted key, or another account's SID).".to_owned()
        }
        (_, ProviderError::Api { http_status: 401, .. }) => {
            format!("{} did not accept the credentials: the {} is wrong.", label(provider), secret_words(provider))
        }
        (_, ProviderError::Transport { kind: TransportKind::Dns, .. }) => {
            format!("{} could not be reached: its host name did not resolve (DNS).", label(provider))
        }
        (_, ProviderError::Transport { kind: TransportKind::Tls, .. }) => {
            format!("{} could not be reached securely: the TLS connection failed (a proxy or wrong clock?).", label(provider))
        }
        (_, ProviderError::Transport { .. }) => {
            format!("{} could not be reached from this computer.", label(provider))
        }
        _ => explanation.cause.clone(),
    };
    let detail = match error {
        ProviderError::Api { code, message, .. } => match code {
            Some(code) => format!(" (provider code {code}: {message})"),
            None => format!(" (provider said: {message})"),
        },
        ProviderError::Transport { message, .. } | ProviderError::Decode { message, .. } => {
            format!(" ({message})")
        }
        _ => String::new(),
    };
    format!("{what}{detail} {}", explanation.fix)
}

fn label(provider: ProviderKind) -> &'static str {
    match provider {
        ProviderKind::Twilio => "Twilio",
        ProviderKind::Telnyx => "Telnyx",
        ProviderKind::Elks46 => "46elks",
        ProviderKind::Smtp => "The SMTP server",
    }
}

fn secret_words(provider: ProviderKind) -> &'static str {
    match provider {
        ProviderKind::Elks46 => "API username or password",
        _ => provider.secret_label(),
    }
}

impl Switchboard {
    /// Checks the connector's credentials against its provider and records the outcome (state,
    /// reason, account, an event). A failed check is a result, not an error: the connector is
    /// saved in state Error with the reason.
    pub async fn connector_check(&self, id: &str) -> Result<Connector, CoreError> {
        let connector = self.connector(id)?;
        if connector.provider == ProviderKind::Smtp {
            return Ok(connector);
        }
        let secret = self.connector_secret(&connector.id)?;
        let record = match client_for(&connector, secret, self.provider_timeout()) {
            Err(reason) => failure(reason, None),
            Ok(client) => match client.check_credentials().await {
                Ok(check) => {
                    let account_type = match check.account_type {
                        Some(AccountType::Trial) => Some("Trial".to_owned()),
                        Some(AccountType::Full) => Some("Full".to_owned()),
                        _ => None,
                    };
                    let warning = (!check.warnings.is_empty()).then(|| check.warnings.join(" "));
                    let name = check
                        .account_name
                        .clone()
                        .unwrap_or_else(|| "the account".into());
                    CheckRecord {
                        state: ConnectorState::Active,
                        reason: None,
                        account_name: check.account_name,
                        account_type,
                        event: Event {
                            level: if warning.is_some() {
                                EventLevel::Warning
                            } else {
                                EventLevel::Info
                            },
                            code: None,
                            message: format!("Connected to {name} ({})", check.checked_with),
                            created_at: String::new(),
                        },
                        warning,
                    }
                }
                Err(error) => failure(
                    reason(connector.provider, &error),
                    error.code().map(str::to_owned),
                ),
            },
        };
        self.store().record_check(&connector.id, &record, &now())?;
        self.connector(&connector.id)
    }
}

fn failure(reason: String, code: Option<String>) -> CheckRecord {
    CheckRecord {
        state: ConnectorState::Error,
        event: Event {
            level: EventLevel::Error,
            code,
            message: reason.clone(),
            created_at: String::new(),
        },
        reason: Some(reason),
        account_name: None,
        account_type: None,
        warning: None,
    }
}
