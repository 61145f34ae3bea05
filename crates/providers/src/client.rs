//! What every provider client offers, and an enum to hold any of them.

use std::future::Future;

use serde::{Deserialize, Serialize};

use crate::elks::ElksClient;
use crate::error::ProviderError;
pub use crate::provider::Provider;
use crate::telnyx::TelnyxClient;
use crate::twilio::TwilioClient;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AccountType {
    Trial,
    Full,
    Unknown,
}

/// The result of a successful credential check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountCheck {
    pub provider: Provider,
    pub account_name: Option<String>,
    /// `None` when the call used cannot tell (e.g. a Twilio API key, Telnyx, 46elks).
    pub account_type: Option<AccountType>,
    /// The provider's own account status, when it reports one (Twilio `active`).
    pub status: Option<String>,
    /// The request that proved the credentials, e.g. `GET /2010-04-01/Accounts/{Sid}.json`.
    pub checked_with: String,
    /// Things the user should know although the check passed (trial limits, zero balance…).
    pub warnings: Vec<String>,
}

/// The operations every provider client has.
///
/// Written with `impl Future + Send` rather than `async fn` so callers can spawn the futures;
/// use [`AnyProviderClient`] where one value must hold any provider's client.
pub trait ProviderClient {
    fn provider(&self) -> Provider;

    /// Proves the credentials with the cheapest read-only call the provider has.
    fn check_credentials(&self)
    -> impl Future<Output = Result<AccountCheck, ProviderError>> + Send;
}

/// Any provider's client, for code that holds one per connector. (Twilio's client, with its
/// three base URLs, is boxed to keep the enum small.)
#[derive(Debug, Clone)]
pub enum AnyProviderClient {
    Twilio(Box<TwilioClient>),
    Telnyx(TelnyxClient),
    Elks(ElksClient),
}

impl ProviderClient for AnyProviderClient {
    fn provider(&self) -> Provider {
        match self {
            AnyProviderClient::Twilio(_) => Provider::Twilio,
            AnyProviderClient::Telnyx(_) => Provider::Telnyx,
            AnyProviderClient::Elks(_) => Provider::Elks,
        }
    }

    async fn check_credentials(&self) -> Result<AccountCheck, ProviderError> {
        match self {
            AnyProviderClient::Twilio(client) => client.check_credentials().await,
            AnyProviderClient::Telnyx(client) => client.check_credentials().await,
            AnyProviderClient::Elks(client) => client.check_credentials().await,
        }
    }
}

impl From<TwilioClient> for AnyProviderClient {
    fn from(client: TwilioClient) -> Self {
        AnyProviderClient::Twilio(Box::new(client))
    }
}

impl From<TelnyxClient> for AnyProviderClient {
    fn from(client: TelnyxClient) -> Self {
        AnyProviderClient::Telnyx(client)
    }
}

impl From<ElksClient> for AnyProviderClient {
    fn from(client: ElksClient) -> Self {
        AnyProviderClient::Elks(client)
    }
}
