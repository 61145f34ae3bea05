//! HTTP clients for the messaging providers Switchboard talks to — Twilio (SMS and WhatsApp),
//! Telnyx (SMS) and 46elks (SMS) — behind one [`ProviderClient`] trait.
//!
//! * Every call goes through one executor ([`http`]) that applies the pure retry policy
//!   ([`retry::RetryPolicy`]) with the request's [`RequestClass`], so a message send is never
//!   repeated once it may have reached the provider.
//! * Failures are typed ([`ProviderError`]): the provider's own error body, transport failures,
//!   undecodable answers and sends whose outcome is unknown are kept apart, and each maps to a
//!   [`FailureKind`] with a stable name, a cause and a fix ([`failure::table`] holds the code →
//!   kind map as data). [`ProviderError::failure`] gives the serializable [`ProviderFailure`]
//!   the app, the CLI and the store carry.
//! * Each provider's error dialect (how it writes error bodies, what its answers add to its
//!   codes) is a [`dialect`] handed to the executor, so shared code imports no provider.
//! * Secrets live in [`Secret`], which never prints itself; error messages are scrubbed of the
//!   client's secret before they leave the crate.

pub mod any_client;
pub mod base_url;
pub mod client;
mod dialect;
pub mod elks;
pub mod error;
pub mod failure;
#[doc(hidden)]
pub mod fuzzing;
pub mod gate;
pub mod http;
mod lenient;
pub mod loopback;
pub mod provider;
pub mod retry;
pub mod secret;
pub mod signature;
pub mod telnyx;
pub mod twilio;

pub use any_client::AnyProviderClient;
pub use base_url::{BaseUrl, BaseUrlError};
pub use client::{AccountCheck, AccountType, ProviderClient};
pub use error::{ProviderError, TransportKind};
pub use failure::{CallContext, FailureKind, ProviderFailure};
pub use gate::{AttemptGate, Gate, GateAnswer, GateTicket};
pub use http::{HttpOptions, MAX_RESPONSE_BYTES};
pub use provider::Provider;
pub use retry::{RequestClass, RetryPolicy};
pub use secret::Secret;
