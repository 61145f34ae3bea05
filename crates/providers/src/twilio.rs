//! Twilio: the 2010 REST API (api host), Messaging v1/v2 (messaging host), Content (content host).

use serde::Deserialize;

use crate::error::{Provider, ProviderError};
use crate::http::{Http, HttpConfig};
use crate::retry::RequestClass;
use crate::{AccountCheck, AccountType, Secret, join};

#[derive(Debug, Clone)]
pub struct TwilioEndpoints {
    pub api: String,
    pub messaging: String,
    pub content: String,
}

impl Default for TwilioEndpoints {
    fn default() -> Self {
        Self {
            api: "https://api.twilio.com".into(),
            messaging: "https://messaging.twilio.com".into(),
            content: "https://content.twilio.com".into(),
        }
    }
}

impl TwilioEndpoints {
    /// All three hosts at one base (the sandbox, or one Prism per host set apart later).
    pub fn all_at(base: &str) -> Self {
        Self {
            api: base.into(),
            messaging: base.into(),
            content: base.into(),
        }
    }
}

#[derive(Debug, Clone)]
pub enum TwilioAuth {
    AuthToken(Secret),
    /// An API key (SK…) and its secret: the better practice, and possibly restricted.
    ApiKey {
        sid: String,
        secret: Secret,
    },
}

#[derive(Debug, Clone)]
pub struct TwilioClient {
    account_sid: String,
    auth: TwilioAuth,
    endpoints: TwilioEndpoints,
    http: Http,
}

#[derive(Debug, Deserialize)]
struct Account {
    friendly_name: Option<String>,
    status: Option<String>,
    #[serde(rename = "type")]
    account_type: Option<String>,
}

impl TwilioClient {
    pub fn new(
        account_sid: impl Into<String>,
        auth: TwilioAuth,
        endpoints: TwilioEndpoints,
        config: &HttpConfig,
    ) -> Result<Self, ProviderError> {
        Ok(Self {
            account_sid: account_sid.into(),
            auth,
            endpoints,
            http: Http::new(Provider::Twilio, config)?,
        })
    }

    fn get(&self, url: &str) -> reqwest::RequestBuilder {
        let (user, password) = match &self.auth {
            TwilioAuth::AuthToken(token) => (self.account_sid.as_str(), token.expose()),
            TwilioAuth::ApiKey { sid, secret } => (sid.as_str(), secret.expose()),
        };
        self.http.client().get(url).basic_auth(user, Some(password))
    }

    pub async fn check_credentials(&self) -> Result<AccountCheck, ProviderError> {
        match &self.auth {
            TwilioAuth::AuthToken(_) => {
                let path = format!("/2010-04-01/Accounts/{}.json", self.account_sid);
                let url = join(&self.endpoints.api, &path);
                let account: Account = self
                    .http
                    .json(RequestClass::Read, || self.get(&url))
                    .await?;
                account_check(account)
            }
            TwilioAuth::ApiKey { .. } => {
                // Restricted keys may not read the Account resource; listing numbers is what
                // the app needs them for anyway.
                let path = format!(
                    "/2010-04-01/Accounts/{}/IncomingPhoneNumbers.json",
                    self.account_sid
                );
                let url = join(&self.endpoints.api, &path);
                let _: serde_json::Value = self
                    .http
                    .json(RequestClass::Read, || {
                        self.get(&url).query(&[("PageSize", "1")])
                    })
                    .await?;
                Ok(AccountCheck {
                    provider: Provider::Twilio,
                    account_name: None,
                    account_type: AccountType::Unknown,
                    checked_with: format!("GET {path}?PageSize=1 (API key)"),
                    warnings: vec![],
                })
            }
        }
    }
}

fn account_check(account: Account) -> Result<AccountCheck, ProviderError> {
    let status = account.status.unwrap_or_default();
    if status == "suspended" || status == "closed" {
        return Err(ProviderError::AccountSuspended {
            provider: Provider::Twilio,
            status,
        });
    }
    let account_type = match account.account_type.as_deref() {
        Some("Trial") => AccountType::Trial,
        Some("Full") => AccountType::Full,
        _ => AccountType::Unknown,
    };
    let warnings = match account_type {
        AccountType::Trial => vec![
            "Trial account: messages reach only verified numbers and carry a trial notice."
                .to_owned(),
        ],
        _ => vec![],
    };
    Ok(AccountCheck {
        provider: Provider::Twilio,
        account_name: account.friendly_name,
        account_type,
        checked_with: "GET /2010-04-01/Accounts/{Sid}.json".into(),
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(status: &str, kind: &str) -> Account {
        Account {
            friendly_name: Some("Grand".into()),
            status: Some(status.into()),
            account_type: Some(kind.into()),
        }
    }

    #[test]
    fn account_status_and_type() {
        let full = account_check(account("active", "Full")).unwrap();
        assert_eq!(full.account_type, AccountType::Full);
        assert!(full.warnings.is_empty());
        let trial = account_check(account("active", "Trial")).unwrap();
        assert!(trial.warnings[0].contains("verified numbers"));
        for status in ["suspended", "closed"] {
            let error = account_check(account(status, "Full")).unwrap_err();
            assert_eq!(error.kind(), crate::ErrorKind::AccountSuspended, "{status}");
            assert!(error.to_string().contains(status));
        }
    }

    #[test]
    fn the_client_does_not_show_its_secret() {
        let client = TwilioClient::new(
            "AC1",
            TwilioAuth::AuthToken(Secret::new("tok3n")),
            TwilioEndpoints::default(),
            &HttpConfig::default(),
        )
        .unwrap();
        assert!(!format!("{client:?}").contains("tok3n"));
    }
}
