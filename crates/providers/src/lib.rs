//! HTTP clients for the messaging providers Switchboard talks to — Twilio (SMS and WhatsApp),
//! Telnyx (SMS) and 46elks (SMS) — behind one [`ProviderClient`] trait.
//!
//! * Every call goes through one executor ([`http`]) that applies the pure retry policy
//!   ([`retry::RetryPolicy`]) with the request's [`RequestClass`], so a message send is never
//!   repeated once it may have reached the provider.
//! * Failures are typed ([`ProviderError`]): the provider's own error body, transport failures,
//!   undecodable answers and sends whose outcome is unknown are kept apart, and each maps to a
//!   plain-language [`ErrorKind`] with a cause and a fix for the people using the app.
//! * Secrets live in [`Secret`], which never prints itself; error messages are scrubbed of the
//!   client's secret before they leave the crate.

pub mod base_url;
pub mod client;
pub mod elks;
pub mod error;
pub mod http;
mod lenient;
pub mod retry;
pub mod secret;
pub mod signature;
pub mod telnyx;
pub mod twilio;

pub use base_url::{BaseUrl, BaseUrlError};
pub use client::{AccountCheck, AccountType, AnyProviderClient, Provider, ProviderClient};
pub use error::{ErrorKind, Explanation, ProviderError, TransportKind};
pub use http::HttpOptions;
pub use retry::{RequestClass, RetryPolicy};
pub use secret::Secret;
