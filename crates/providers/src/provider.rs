//! Which messaging provider (or, for a failure, an organization's own mail server) — a leaf
//! module, so every other module (errors, the executor, the failure table) can name a provider
//! without importing any provider's client.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum Provider {
    #[serde(rename = "twilio")]
    Twilio,
    #[serde(rename = "telnyx")]
    Telnyx,
    #[serde(rename = "46elks")]
    Elks,
    /// An organization's own mail server (the Email connector's backup emails).
    #[serde(rename = "smtp")]
    Smtp,
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Provider::Twilio => "Twilio",
            Provider::Telnyx => "Telnyx",
            Provider::Elks => "46elks",
            Provider::Smtp => "SMTP server",
        })
    }
}
