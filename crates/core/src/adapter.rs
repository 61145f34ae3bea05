//! The one place core meets the providers crate: a connector's provider client, built from its
//! settings and secret, and provider failures turned into [`CoreError`]s. The wording of every
//! cause and fix comes from the providers crate; nothing here writes its own.
//!
//! Core's [`ProviderKind`] is the provider of a *connector*, which may be an SMTP server; the
//! three messaging providers map onto the providers crate's [`Provider`], the one enum both
//! crates share for them (and the one a [`ProviderFailure`] names).

use std::sync::Arc;
use std::time::Duration;

use switchboard_providers::elks::ElksClient;
use switchboard_providers::telnyx::TelnyxClient;
use switchboard_providers::twilio::{TwilioClient, TwilioCredentials, TwilioEndpoints};
use switchboard_providers::{
    AnyProviderClient, AttemptGate, BaseUrl, Gate, HttpOptions, Provider, ProviderError,
    ProviderFailure, Secret,
};

use crate::error::CoreError;
use crate::model::{Connector, ConnectorSettings, ProviderKind};
use crate::secrets::Sensitive;

/// A provider call must answer while the user waits (e.g. on the Save button).
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);

/// When set (the test suites set it), provider calls may only go to this machine: a test can
/// never reach a real provider by mistake.
pub const LOOPBACK_ONLY_ENV: &str = "SWITCHBOARD_LOOPBACK_ONLY";

impl ProviderKind {
    /// The messaging provider behind this connector; `None` for an SMTP server.
    pub fn messaging_provider(self) -> Option<Provider> {
        match self {
            ProviderKind::Twilio => Some(Provider::Twilio),
            ProviderKind::Telnyx => Some(Provider::Telnyx),
            ProviderKind::Elks46 => Some(Provider::Elks),
            ProviderKind::Smtp => None,
        }
    }
}

impl From<ProviderError> for CoreError {
    fn from(error: ProviderError) -> Self {
        CoreError::Provider(Box::new(error.failure()))
    }
}

impl From<ProviderFailure> for CoreError {
    fn from(failure: ProviderFailure) -> Self {
        CoreError::Provider(Box::new(failure))
    }
}

/// The parsed host is this machine (see [`switchboard_providers::loopback`]).
fn is_loopback(url: &str) -> bool {
    switchboard_providers::loopback::is_loopback(url)
}

fn no_provider_api(connector: &Connector) -> CoreError {
    CoreError::Conflict(format!(
        "'{}' is an email connector: it has no provider API to call",
        connector.name
    ))
}

/// The connector's provider client. Settings that cannot make one are a provider failure of
/// kind `INVALID_CONNECTION_SETTINGS` (so a check records it like any other); an email
/// connector has no provider client at all.
pub(crate) fn client_for(
    connector: &Connector,
    secret: Option<Sensitive<String>>,
    timeout: Duration,
) -> Result<AnyProviderClient, CoreError> {
    client_for_gated(connector, secret, timeout, None)
}

/// [`client_for`], with every attempt going through `gate` (the account's concurrency window).
pub(crate) fn client_for_gated(
    connector: &Connector,
    secret: Option<Sensitive<String>>,
    timeout: Duration,
    gate: Option<Arc<dyn AttemptGate>>,
) -> Result<AnyProviderClient, CoreError> {
    let Some(provider) = connector.provider().messaging_provider() else {
        return Err(no_provider_api(connector));
    };
    let invalid =
        |message: String| CoreError::from(ProviderError::InvalidConfig { provider, message });
    let parse_base = |url: Option<&str>, fallback: BaseUrl| match url {
        Some(url) => BaseUrl::parse(url)
            .map_err(|e| invalid(format!("the API base URL cannot be used: {e}"))),
        None => Ok(fallback),
    };
    let http_options = || HttpOptions {
        request_timeout: timeout,
        gate: gate.clone().map(Gate),
        ..HttpOptions::default()
    };
    // The base URLs, whatever the provider: what the loopback guard below looks at.
    let settings = connector.settings.api_urls();
    let Some(secret) = secret else {
        return Err(invalid(format!(
            "no {} is stored for this connector: edit it and enter it",
            connector.provider().secret_label()
        )));
    };
    let secret = Secret::new(secret.expose().clone());
    let base = settings.base_url.as_deref();
    if std::env::var_os(LOOPBACK_ONLY_ENV).is_some() {
        let urls = [
            base,
            settings.messaging_base_url.as_deref(),
            settings.content_base_url.as_deref(),
        ];
        if base.is_none() || urls.into_iter().flatten().any(|url| !is_loopback(url)) {
            return Err(invalid(format!(
                "{LOOPBACK_ONLY_ENV} is set: only a provider on this machine (the sandbox) may \
                 be called; set the API base URL"
            )));
        }
    }
    let built = match &connector.settings {
        ConnectorSettings::Twilio(twilio) => {
            let defaults = TwilioEndpoints::default();
            let messaging = twilio.messaging_base_url.as_deref().or(base);
            let content = twilio.content_base_url.as_deref().or(base);
            let endpoints = TwilioEndpoints {
                api: parse_base(base, defaults.api)?,
                messaging: parse_base(messaging, defaults.messaging)?,
                content: parse_base(content, defaults.content)?,
            };
            let account_sid = twilio.account_sid.clone();
            let credentials = match &twilio.api_key_sid {
                Some(key) => TwilioCredentials::with_api_key(account_sid, key.clone(), secret),
                None => TwilioCredentials::with_auth_token(account_sid, secret),
            };
            TwilioClient::new(credentials, endpoints, &http_options()).map(AnyProviderClient::from)
        }
        ConnectorSettings::Telnyx(_) => {
            let base = parse_base(base, TelnyxClient::default_base())?;
            TelnyxClient::new(secret, base, &http_options()).map(AnyProviderClient::from)
        }
        ConnectorSettings::Elks46(elks) => {
            let base = parse_base(base, ElksClient::default_base())?;
            ElksClient::new(elks.username.clone(), secret, base, &http_options())
                .map(AnyProviderClient::from)
        }
        ConnectorSettings::Smtp(_) => return Err(no_provider_api(connector)),
    };
    Ok(built?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connector_providers_map_onto_the_shared_enum() {
        assert_eq!(
            ProviderKind::Twilio.messaging_provider(),
            Some(Provider::Twilio)
        );
        assert_eq!(
            ProviderKind::Telnyx.messaging_provider(),
            Some(Provider::Telnyx)
        );
        assert_eq!(
            ProviderKind::Elks46.messaging_provider(),
            Some(Provider::Elks)
        );
        assert_eq!(ProviderKind::Smtp.messaging_provider(), None);
        // Both serialize a messaging provider the same way.
        for kind in [
            ProviderKind::Twilio,
            ProviderKind::Telnyx,
            ProviderKind::Elks46,
        ] {
            assert_eq!(
                serde_json::to_value(kind).unwrap(),
                serde_json::to_value(kind.messaging_provider().unwrap()).unwrap()
            );
        }
    }

    #[test]
    fn the_loopback_only_guard_reads_the_parsed_host() {
        for url in [
            "http://127.0.0.1:4010/twilio",
            "http://localhost:4010",
            "http://[::1]:4010/telnyx",
            "https://localhost/46elks",
        ] {
            assert!(is_loopback(url), "{url}");
        }
        for url in [
            "https://127.evil.example/twilio",
            "https://127.0.0.1.evil.example",
            "https://localhost.evil.example:4010",
            "https://localhost:1@evil.example",
            "https://[::1].evil.example",
            "https://evil.example/127.0.0.1",
            "https://api.twilio.com",
        ] {
            assert!(!is_loopback(url), "{url}");
        }
    }
}
