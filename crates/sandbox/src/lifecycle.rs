//! How a sent message's status moves over time. The outcome is decided by the recipient, so
//! tests can ask for each ending: numbers ending in [`UNDELIVERED_SUFFIX`] end undelivered,
//! numbers ending in [`FAILED_SUFFIX`] fail, every other number is delivered.

use crate::state::Sandbox;

/// Recipients ending with these digits end "undelivered" (Twilio 30003 / Telnyx delivery_failed
/// / 46elks failed).
pub const UNDELIVERED_SUFFIX: &str = "0666";
/// Recipients ending with these digits end "failed" (never left the provider: Twilio 30008 /
/// Telnyx sending_failed / 46elks failed).
pub const FAILED_SUFFIX: &str = "0999";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Delivered,
    Undelivered,
    Failed,
}

pub fn outcome_for(recipient: &str) -> Outcome {
    if recipient.ends_with(FAILED_SUFFIX) {
        Outcome::Failed
    } else if recipient.ends_with(UNDELIVERED_SUFFIX) {
        Outcome::Undelivered
    } else {
        Outcome::Delivered
    }
}

/// Waits one lifecycle step; `false` when the sandbox is shutting down meanwhile.
pub async fn pause(sandbox: &Sandbox) -> bool {
    tokio::select! {
        () = tokio::time::sleep(sandbox.lifecycle_step) => true,
        () = sandbox.shutdown.cancelled() => false,
    }
}
