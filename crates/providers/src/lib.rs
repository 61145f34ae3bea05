//! Provider HTTP clients (Twilio, Telnyx, 46elks) behind one interface. Every base URL can be
//! pointed elsewhere (a region, the sandbox, Prism); secrets are held by the clients only and
//! never appear in their `Debug` output or errors.

mod elks;
mod error;
mod http;
pub mod retry;
mod telnyx;
mod twilio;

pub use elks::ElksClient;
pub use error::{ErrorKind, Provider, ProviderError, TransportKind, classify};
pub use http::HttpConfig;
pub use telnyx::TelnyxClient;
pub use twilio::{TwilioAuth, TwilioClient, TwilioEndpoints};

/// A secret handed to a client: readable by it, redacted everywhere else.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountType {
    Trial,
    Full,
    Unknown,
}

/// What a successful credential check learned about the account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountCheck {
    pub provider: Provider,
    pub account_name: Option<String>,
    pub account_type: AccountType,
    /// The call that proved the credentials (restricted Twilio keys cannot read the account).
    pub checked_with: String,
    pub warnings: Vec<String>,
}

/// The provider side of a connector.
#[derive(Debug, Clone)]
pub enum ProviderClient {
    Twilio(TwilioClient),
    Telnyx(TelnyxClient),
    Elks46(ElksClient),
}

impl ProviderClient {
    /// Proves the credentials with the lightest call the provider offers for it.
    pub async fn check_credentials(&self) -> Result<AccountCheck, ProviderError> {
        match self {
            Self::Twilio(client) => client.check_credentials().await,
            Self::Telnyx(client) => client.check_credentials().await,
            Self::Elks46(client) => client.check_credentials().await,
        }
    }
}

/// Joins a base URL (which may carry a path prefix such as `/twilio`) and an absolute path.
pub(crate) fn join(base: &str, path: &str) -> String {
    format!("{}{}", base.trim_end_matches('/'), path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_keep_their_prefix() {
        assert_eq!(
            join(
                "http://127.0.0.1:9/twilio/",
                "/2010-04-01/Accounts/AC1.json"
            ),
            "http://127.0.0.1:9/twilio/2010-04-01/Accounts/AC1.json"
        );
        assert_eq!(
            join("https://api.46elks.com", "/a1/me"),
            "https://api.46elks.com/a1/me"
        );
    }

    #[test]
    fn secrets_are_redacted() {
        assert_eq!(format!("{:?}", Secret::new("hunter2")), "[redacted]");
    }
}
