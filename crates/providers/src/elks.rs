//! 46elks (Basic auth with the API username and password; form-encoded writes).

use serde::Deserialize;

use crate::error::{Provider, ProviderError};
use crate::http::{Http, HttpConfig};
use crate::retry::RequestClass;
use crate::{AccountCheck, AccountType, Secret, join};

pub const ELKS_BASE: &str = "https://api.46elks.com";

#[derive(Debug, Clone)]
pub struct ElksClient {
    base: String,
    username: String,
    password: Secret,
    http: Http,
}

#[derive(Debug, Deserialize)]
struct Me {
    displayname: Option<String>,
    currency: Option<String>,
    /// In 1/10000 of the currency.
    balance: Option<i64>,
}

impl ElksClient {
    pub fn new(
        base: Option<&str>,
        username: impl Into<String>,
        password: Secret,
        config: &HttpConfig,
    ) -> Result<Self, ProviderError> {
        Ok(Self {
            base: base.unwrap_or(ELKS_BASE).to_owned(),
            username: username.into(),
            password,
            http: Http::new(Provider::Elks46, config)?,
        })
    }

    pub async fn check_credentials(&self) -> Result<AccountCheck, ProviderError> {
        let url = join(&self.base, "/a1/me");
        let me: Me = self
            .http
            .json(RequestClass::Read, || {
                self.http
                    .client()
                    .get(&url)
                    .basic_auth(&self.username, Some(self.password.expose()))
            })
            .await?;
        let mut warnings = vec![];
        if me.balance.is_some_and(|b| b <= 0) {
            warnings.push(
                "The account has no credit left: messages will fail until it is topped up.".into(),
            );
        }
        let name = match (me.displayname, me.balance, me.currency) {
            (Some(name), Some(balance), Some(currency)) => Some(format!(
                "{name} (balance {:.2} {currency})",
                balance as f64 / 10_000.0
            )),
            (name, _, _) => name,
        };
        Ok(AccountCheck {
            provider: Provider::Elks46,
            account_name: name,
            account_type: AccountType::Unknown,
            checked_with: "GET /a1/me".into(),
            warnings,
        })
    }
}
