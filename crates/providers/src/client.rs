//! What every provider client offers. [`crate::AnyProviderClient`] (in `any_client`) holds any of
//! them; it lives apart so this module, which every provider imports, imports no provider.

use std::future::Future;

use serde::{Deserialize, Serialize};

use crate::error::ProviderError;
pub use crate::provider::Provider;

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
/// use [`crate::AnyProviderClient`] where one value must hold any provider's client.
pub trait ProviderClient {
    fn provider(&self) -> Provider;

    /// Proves the credentials with the cheapest read-only call the provider has.
    fn check_credentials(&self)
    -> impl Future<Output = Result<AccountCheck, ProviderError>> + Send;
}
