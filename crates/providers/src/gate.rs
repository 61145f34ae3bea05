//! A hook around every attempt of an account's requests: something outside this crate (core's
//! per-account concurrency limiter) decides when an attempt may start and learns how it ended.
//!
//! With a gate, a 429 is the gate's business: the executor hands it over (with the provider's
//! `Retry-After`, if any) and tries again as soon as the gate lets it, without a backoff of its
//! own, so one account's pause and window are shared by every request that goes through it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

/// What the gate knew when an attempt entered; handed back when it leaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GateTicket {
    /// The gate's back-off epoch at entry: a 429 from an attempt that entered before the last
    /// back-off says nothing new.
    pub epoch: u64,
    /// Attempts in flight when this one entered, itself included.
    pub level: usize,
    /// The window was full when it entered (only then may a clean answer grow it).
    pub saturated: bool,
}

/// How an attempt ended, as far as the gate cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GateAnswer {
    /// An answer that was not a 429 (success or a refusal of the request itself).
    Clean,
    /// HTTP 429: not processed; the provider's `Retry-After`, if it sent one.
    Throttled { retry_after: Option<Duration> },
    /// No answer (timeout, reset) or a 5xx: neither grows nor shrinks the window.
    Failed,
    /// The attempt was dropped before it ended (its task was cancelled).
    Abandoned,
}

/// Decides when an attempt may start; told how each one ended.
pub trait AttemptGate: Send + Sync {
    /// Waits until an attempt may start.
    fn enter(&self) -> Pin<Box<dyn Future<Output = GateTicket> + Send + '_>>;
    /// The attempt that entered with `ticket` ended with `answer`.
    fn leave(&self, ticket: GateTicket, answer: GateAnswer);
}

/// A shared gate in [`crate::HttpOptions`]; two options are equal when they share the gate.
#[derive(Clone)]
pub struct Gate(pub Arc<dyn AttemptGate>);

impl fmt::Debug for Gate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Gate")
    }
}

impl PartialEq for Gate {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Gate {}

/// An attempt inside the gate; leaves as [`GateAnswer::Abandoned`] if dropped unanswered.
pub(crate) struct Entered<'a> {
    gate: &'a dyn AttemptGate,
    ticket: Option<GateTicket>,
}

impl<'a> Entered<'a> {
    pub(crate) async fn enter(gate: &'a Gate) -> Entered<'a> {
        let ticket = gate.0.enter().await;
        Entered {
            gate: gate.0.as_ref(),
            ticket: Some(ticket),
        }
    }

    pub(crate) fn leave(mut self, answer: GateAnswer) {
        if let Some(ticket) = self.ticket.take() {
            self.gate.leave(ticket, answer);
        }
    }
}

impl Drop for Entered<'_> {
    fn drop(&mut self) {
        if let Some(ticket) = self.ticket.take() {
            self.gate.leave(ticket, GateAnswer::Abandoned);
        }
    }
}
