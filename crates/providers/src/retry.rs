//! When to try a request again — a pure policy, so every rule can be table-tested.
//!
//! The rules follow one principle: retry only what the provider certainly did not process, or
//! what does no harm when processed twice.
//! * HTTP 429 was never processed (Twilio error 20429: "always safe to retry"): retried for every
//!   request class, honouring `Retry-After`.
//! * DNS failures and refused connections happen before a byte is sent: retried for every class.
//! * Timeouts, resets and 5xx answers may come after the provider acted: retried only for reads
//!   and idempotent writes. A send is never repeated then; the executor reports
//!   [`crate::ProviderError::UnknownOutcome`] instead (see [`outcome_is_unknown`]).
//!
//! Delays are "full jitter" exponential backoff: a uniform draw in `[0, min(cap, base·2ⁿ))`. The
//! random draw is an input (`AttemptState::jitter`), so the policy itself holds no RNG.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::error::TransportKind;

/// How safe a request is to repeat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestClass {
    /// GET: repeating changes nothing.
    Read,
    /// A write that sets a value (a webhook URL, a profile assignment) or deletes: doing it twice
    /// ends in the same state.
    IdempotentWrite,
    /// A non-idempotent write — sending a message, creating a sender: doing it twice does it
    /// twice.
    Send,
}

/// What one attempt ended with, as far as the retry decision cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptOutcome {
    /// The provider answered with a non-success status.
    Http {
        status: u16,
        retry_after: Option<RetryAfter>,
    },
    /// No HTTP answer. `request_may_have_been_sent` is false only when the failure certainly
    /// happened before the request left (no connection was made).
    Transport {
        kind: TransportKind,
        request_may_have_been_sent: bool,
    },
}

/// A parsed `Retry-After` header: delay-seconds or an HTTP-date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryAfter {
    Delay(Duration),
    At(SystemTime),
}

impl RetryAfter {
    /// Parses `120` or `Sun, 06 Nov 1994 08:49:37 GMT`; anything else is ignored (`None`), which
    /// falls back to the normal backoff.
    pub fn parse(value: &str) -> Option<Self> {
        let value = value.trim();
        if let Ok(seconds) = value.parse::<u64>() {
            return Some(RetryAfter::Delay(Duration::from_secs(seconds)));
        }
        parse_http_date(value).map(RetryAfter::At)
    }

    /// How long to wait from `now`; a date in the past means "now".
    pub fn delay_from(self, now: SystemTime) -> Duration {
        match self {
            RetryAfter::Delay(delay) => delay,
            RetryAfter::At(when) => when.duration_since(now).unwrap_or(Duration::ZERO),
        }
    }
}

/// The policy's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    RetryAfter(Duration),
    GiveUp,
}

/// Where the request stands when an attempt has failed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AttemptState {
    /// The attempt that just failed, counting from 1.
    pub attempt: u32,
    /// Time since the first attempt started.
    pub elapsed: Duration,
    /// Wall-clock time, to read an HTTP-date `Retry-After`.
    pub now: SystemTime,
    /// A uniform random number in `[0, 1)` for the jitter.
    pub jitter: f64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, the first included (1 = never retry).
    pub max_attempts: u32,
    /// Backoff cap for the first retry; doubles each retry.
    pub base_delay: Duration,
    /// Upper bound of the backoff cap.
    pub max_backoff: Duration,
    /// Upper bound on a provider's `Retry-After`, so a bad header cannot stall the app.
    pub max_retry_after: Duration,
    /// No retry is started if it would end later than this after the first attempt.
    pub max_total: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(30),
            max_total: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn never() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    pub fn decide(
        &self,
        class: RequestClass,
        outcome: &AttemptOutcome,
        state: &AttemptState,
    ) -> RetryDecision {
        if !is_retryable(class, outcome) || state.attempt >= self.max_attempts {
            return RetryDecision::GiveUp;
        }
        let delay = match outcome {
            AttemptOutcome::Http {
                retry_after: Some(retry_after),
                ..
            } => retry_after.delay_from(state.now).min(self.max_retry_after),
            _ => self.backoff(state.attempt, state.jitter),
        };
        if state.elapsed.saturating_add(delay) > self.max_total {
            return RetryDecision::GiveUp;
        }
        RetryDecision::RetryAfter(delay)
    }

    /// Full-jitter backoff after failed attempt number `attempt` (1-based).
    pub fn backoff(&self, attempt: u32, jitter: f64) -> Duration {
        let exponent = attempt.saturating_sub(1).min(30);
        let cap = self
            .base_delay
            .saturating_mul(1u32 << exponent)
            .min(self.max_backoff);
        let jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.0
        };
        cap.mul_f64(jitter)
    }
}

/// Whether this outcome may be retried for this class at all (attempt limits aside).
pub fn is_retryable(class: RequestClass, outcome: &AttemptOutcome) -> bool {
    let repeatable = class != RequestClass::Send;
    match *outcome {
        AttemptOutcome::Http { status: 429, .. } => true,
        AttemptOutcome::Http { status, .. } => is_server_failure(status) && repeatable,
        AttemptOutcome::Transport {
            kind: TransportKind::Dns | TransportKind::Refused,
            ..
        } => true,
        AttemptOutcome::Transport {
            kind: TransportKind::Timeout | TransportKind::Reset,
            request_may_have_been_sent,
        } => !request_may_have_been_sent || repeatable,
        // A TLS failure (bad certificate, interception) or an unrecognised error will not go
        // away by itself.
        AttemptOutcome::Transport {
            kind: TransportKind::Tls | TransportKind::Other,
            ..
        } => false,
    }
}

/// True when giving up on this outcome leaves a send in an unknown state: the request may have
/// reached the provider and no answer says whether it was processed.
pub fn outcome_is_unknown(class: RequestClass, outcome: &AttemptOutcome) -> bool {
    if class != RequestClass::Send {
        return false;
    }
    match *outcome {
        AttemptOutcome::Http { status, .. } => is_server_failure(status),
        AttemptOutcome::Transport {
            kind,
            request_may_have_been_sent,
        } => {
            request_may_have_been_sent
                && !matches!(
                    kind,
                    TransportKind::Dns | TransportKind::Refused | TransportKind::Tls
                )
        }
    }
}

fn is_server_failure(status: u16) -> bool {
    (500..=599).contains(&status)
}

/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the form RFC 9110 requires senders to use.
fn parse_http_date(value: &str) -> Option<SystemTime> {
    let mut parts = value.split_whitespace();
    let _weekday = parts.next()?.strip_suffix(',')?;
    let day: u32 = parts.next()?.parse().ok()?;
    let month = match parts.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year: i64 = parts.next()?.parse().ok()?;
    let mut clock = parts.next()?.split(':');
    let hour: u64 = clock.next()?.parse().ok()?;
    let minute: u64 = clock.next()?.parse().ok()?;
    let second: u64 = clock.next()?.parse().ok()?;
    if parts.next()? != "GMT" || parts.next().is_some() || clock.next().is_some() {
        return None;
    }
    if !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let days = u64::try_from(days_from_civil(year, month, day)).ok()?;
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second;
    UNIX_EPOCH.checked_add(Duration::from_secs(seconds))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = i64::from((month + 9) % 12);
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use RequestClass::*;
    use TransportKind::*;

    fn http(status: u16) -> AttemptOutcome {
        AttemptOutcome::Http {
            status,
            retry_after: None,
        }
    }

    fn transport(kind: TransportKind, sent: bool) -> AttemptOutcome {
        AttemptOutcome::Transport {
            kind,
            request_may_have_been_sent: sent,
        }
    }

    fn state(attempt: u32, jitter: f64) -> AttemptState {
        AttemptState {
            attempt,
            elapsed: Duration::ZERO,
            now: UNIX_EPOCH + Duration::from_secs(1_000_000),
            jitter,
        }
    }

    #[test]
    fn retryability_table() {
        // (class, outcome, retryable, unknown outcome when given up)
        let table = [
            (Read, http(429), true, false),
            (IdempotentWrite, http(429), true, false),
            (Send, http(429), true, false),
            (Read, http(500), true, false),
            (Read, http(502), true, false),
            (Read, http(503), true, false),
            (IdempotentWrite, http(504), true, false),
            (Send, http(500), false, true),
            (Send, http(503), false, true),
            (Read, http(400), false, false),
            (Read, http(401), false, false),
            (Send, http(400), false, false),
            (Send, http(404), false, false),
            (Read, transport(Refused, false), true, false),
            (IdempotentWrite, transport(Refused, false), true, false),
            (Send, transport(Refused, false), true, false),
            (Send, transport(Dns, false), true, false),
            (Read, transport(Dns, false), true, false),
            (Read, transport(Timeout, true), true, false),
            (IdempotentWrite, transport(Timeout, true), true, false),
            (Send, transport(Timeout, true), false, true),
            (Send, transport(Timeout, false), true, false),
            (Read, transport(Reset, true), true, false),
            (IdempotentWrite, transport(Reset, true), true, false),
            (Send, transport(Reset, true), false, true),
            (Read, transport(Tls, false), false, false),
            (Send, transport(Tls, false), false, false),
            (Read, transport(Other, true), false, false),
            (Send, transport(Other, true), false, true),
            (Send, transport(Other, false), false, false),
        ];
        for (class, outcome, retryable, unknown) in table {
            assert_eq!(
                is_retryable(class, &outcome),
                retryable,
                "retryable {class:?} {outcome:?}"
            );
            assert_eq!(
                outcome_is_unknown(class, &outcome),
                unknown,
                "unknown {class:?} {outcome:?}"
            );
        }
    }

    #[test]
    fn backoff_is_full_jitter_capped_exponential() {
        let policy = RetryPolicy {
            base_delay: Duration::from_millis(100),
            max_backoff: Duration::from_millis(1_000),
            ..RetryPolicy::default()
        };
        // (attempt, jitter, expected)
        let table = [
            (1, 0.0, 0),
            (1, 0.5, 50),
            (1, 0.75, 75),
            (2, 0.5, 100),
            (3, 0.5, 200),
            (4, 0.5, 400),
            (5, 0.5, 500),  // cap 1000
            (40, 0.5, 500), // no overflow
            (2, 7.0, 200),  // out-of-range jitter clamped
            (2, -1.0, 0),
            (2, f64::NAN, 0),
        ];
        for (attempt, jitter, millis) in table {
            assert_eq!(
                policy.backoff(attempt, jitter),
                Duration::from_millis(millis),
                "attempt {attempt} jitter {jitter}"
            );
        }
    }

    #[test]
    fn decision_table() {
        let policy = RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(100),
            max_backoff: Duration::from_secs(1),
            max_retry_after: Duration::from_secs(10),
            max_total: Duration::from_secs(20),
        };
        let now = state(1, 0.5).now;
        let retry_after = |value: RetryAfter| AttemptOutcome::Http {
            status: 429,
            retry_after: Some(value),
        };
        let table = [
            (
                Read,
                http(503),
                state(1, 0.5),
                RetryDecision::RetryAfter(Duration::from_millis(50)),
            ),
            (
                Read,
                http(503),
                state(2, 0.5),
                RetryDecision::RetryAfter(Duration::from_millis(100)),
            ),
            (Read, http(503), state(3, 0.5), RetryDecision::GiveUp), // attempts exhausted
            (Send, http(503), state(1, 0.5), RetryDecision::GiveUp),
            (
                Send,
                http(429),
                state(1, 0.5),
                RetryDecision::RetryAfter(Duration::from_millis(50)),
            ),
            (
                Send,
                retry_after(RetryAfter::Delay(Duration::from_secs(3))),
                state(1, 0.5),
                RetryDecision::RetryAfter(Duration::from_secs(3)),
            ),
            (
                Read,
                retry_after(RetryAfter::Delay(Duration::from_secs(600))),
                state(1, 0.5),
                RetryDecision::RetryAfter(Duration::from_secs(10)), // capped
            ),
            (
                Read,
                retry_after(RetryAfter::At(now + Duration::from_secs(4))),
                state(1, 0.5),
                RetryDecision::RetryAfter(Duration::from_secs(4)),
            ),
            (
                Read,
                retry_after(RetryAfter::At(now - Duration::from_secs(4))),
                state(1, 0.5),
                RetryDecision::RetryAfter(Duration::ZERO), // date already passed
            ),
            (
                Read,
                retry_after(RetryAfter::Delay(Duration::from_secs(5))),
                AttemptState {
                    elapsed: Duration::from_secs(16),
                    ..state(1, 0.5)
                },
                RetryDecision::GiveUp, // would end after max_total
            ),
            (
                Send,
                transport(Refused, false),
                state(2, 0.5),
                RetryDecision::RetryAfter(Duration::from_millis(100)),
            ),
            (
                Send,
                transport(Timeout, true),
                state(1, 0.5),
                RetryDecision::GiveUp,
            ),
            (
                IdempotentWrite,
                transport(Reset, true),
                state(1, 0.0),
                RetryDecision::RetryAfter(Duration::ZERO),
            ),
        ];
        for (class, outcome, state, expected) in table {
            assert_eq!(
                policy.decide(class, &outcome, &state),
                expected,
                "{class:?} {outcome:?} attempt {}",
                state.attempt
            );
        }
    }

    #[test]
    fn never_policy_gives_up_at_once() {
        let decision = RetryPolicy::never().decide(Read, &http(429), &state(1, 0.5));
        assert_eq!(decision, RetryDecision::GiveUp);
    }

    #[test]
    fn retry_after_parsing_table() {
        let table = [
            ("0", Some(RetryAfter::Delay(Duration::ZERO))),
            ("120", Some(RetryAfter::Delay(Duration::from_secs(120)))),
            (" 7 ", Some(RetryAfter::Delay(Duration::from_secs(7)))),
            (
                "Sun, 06 Nov 1994 08:49:37 GMT",
                Some(RetryAfter::At(
                    UNIX_EPOCH + Duration::from_secs(784_111_777),
                )),
            ),
            (
                "Thu, 01 Jan 1970 00:00:00 GMT",
                Some(RetryAfter::At(UNIX_EPOCH)),
            ),
            (
                "Tue, 29 Feb 2000 12:00:00 GMT",
                Some(RetryAfter::At(
                    UNIX_EPOCH + Duration::from_secs(951_825_600),
                )),
            ),
            ("-5", None),
            ("1.5", None),
            ("soon", None),
            ("Sun, 06 Nov 1994 08:49:37 PST", None),
            ("Sun, 06 Foo 1994 08:49:37 GMT", None),
            ("Sun, 06 Nov 1994 25:49:37 GMT", None),
            ("", None),
        ];
        for (header, expected) in table {
            assert_eq!(RetryAfter::parse(header), expected, "{header:?}");
        }
    }
}
