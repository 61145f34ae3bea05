//! Any provider's client in one value, for code that holds one per connector.

use crate::client::{AccountCheck, ProviderClient};
use crate::elks::ElksClient;
use crate::error::ProviderError;
use crate::provider::Provider;
use crate::telnyx::TelnyxClient;
use crate::twilio::TwilioClient;

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
