//! Telnyx API v2 (Bearer API key, JSON wrapped in `data`).

use serde::Deserialize;

use crate::error::{Provider, ProviderError};
use crate::http::{Http, HttpConfig};
use crate::retry::RequestClass;
use crate::{AccountCheck, AccountType, Secret, join};

pub const TELNYX_BASE: &str = "https://api.telnyx.com";

#[derive(Debug, Clone)]
pub struct TelnyxClient {
    base: String,
    api_key: Secret,
    http: Http,
}

#[derive(Debug, Deserialize)]
struct Wrapped<T> {
    data: T,
}

#[derive(Debug, Deserialize)]
struct Balance {
    balance: Option<String>,
    currency: Option<String>,
}

impl TelnyxClient {
    pub fn new(
        base: Option<&str>,
        api_key: Secret,
        config: &HttpConfig,
    ) -> Result<Self, ProviderError> {
        Ok(Self {
            base: base.unwrap_or(TELNYX_BASE).to_owned(),
            api_key,
            http: Http::new(Provider::Telnyx, config)?,
        })
    }

    /// `GET /v2/balance`: the minimal read-only request Telnyx recommends for a credential check.
    pub async fn check_credentials(&self) -> Result<AccountCheck, ProviderError> {
        let url = join(&self.base, "/v2/balance");
        let balance: Wrapped<Balance> = self
            .http
            .json(RequestClass::Read, || {
                self.http
                    .client()
                    .get(&url)
                    .bearer_auth(self.api_key.expose())
            })
            .await?;
        let name = match (balance.data.balance, balance.data.currency) {
            (Some(amount), Some(currency)) => Some(format!("balance {amount} {currency}")),
            _ => None,
        };
        Ok(AccountCheck {
            provider: Provider::Telnyx,
            account_name: name,
            account_type: AccountType::Unknown,
            checked_with: "GET /v2/balance".into(),
            warnings: vec![],
        })
    }
}
