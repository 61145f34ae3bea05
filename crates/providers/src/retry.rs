//! When to try a request again: a pure policy, tested by tables. Only what the provider never
//! processed (HTTP 429, no connection) is retried for every request; timeouts, resets and 5xx
//! only for reads and idempotent writes. A send is never re-sent once it may have arrived.

use std::time::Duration;

/// What repeating the request would do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestClass {
    Read,
    /// Setting a value to the same thing again (e.g. a webhook URL) changes nothing.
    IdempotentWrite,
    /// Sending a message: a second try could send it twice.
    Send,
}

/// How one attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Status {
        status: u16,
        retry_after: Option<Duration>,
    },
    /// No connection was made (refused, DNS): the request never left.
    NotSent,
    /// The request may have been written (timeout, reset after connecting).
    MaybeSent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    RetryAfter(Duration),
    GiveUp,
}

#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// The longest a provider may ask us to wait before we give up instead.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// `attempt` counts from 1; `jitter` in [0, 1) picks the delay within the backoff window
    /// (full jitter), so callers and tests control randomness.
    pub fn decide(
        &self,
        attempt: u32,
        class: RequestClass,
        outcome: Outcome,
        jitter: f64,
    ) -> Decision {
        if attempt >= self.max_attempts {
            return Decision::GiveUp;
        }
        let retryable = match outcome {
            Outcome::Status { status: 429, .. } | Outcome::NotSent => true,
            Outcome::Status { status, .. } if (500..=599).contains(&status) => {
                class != RequestClass::Send
            }
            Outcome::Status { .. } => false,
            Outcome::MaybeSent => class != RequestClass::Send,
        };
        if !retryable {
            return Decision::GiveUp;
        }
        if let Outcome::Status {
            retry_after: Some(wait),
            ..
        } = outcome
        {
            return if wait <= self.max_retry_after {
                Decision::RetryAfter(wait)
            } else {
                Decision::GiveUp
            };
        }
        let window = self
            .base_delay
            .saturating_mul(1 << (attempt - 1).min(16))
            .min(self.max_delay);
        Decision::RetryAfter(window.mul_f64(jitter.clamp(0.0, 1.0)))
    }
}

/// Reads `Retry-After`: delta seconds or an HTTP date.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use Decision::*;
    use RequestClass::*;

    const MS: fn(u64) -> Duration = Duration::from_millis;

    fn status(status: u16) -> Outcome {
        Outcome::Status {
            status,
            retry_after: None,
        }
    }

    #[test]
    fn what_is_retried_for_which_class() {
        let policy = RetryPolicy::default();
        let table = [
            (Read, status(429), true),
            (Send, status(429), true),
            (Send, Outcome::NotSent, true),
            (Read, Outcome::NotSent, true),
            (Read, status(503), true),
            (IdempotentWrite, status(500), true),
            (Send, status(500), false),
            (Send, status(503), false),
            (Read, Outcome::MaybeSent, true),
            (IdempotentWrite, Outcome::MaybeSent, true),
            (Send, Outcome::MaybeSent, false),
            (Read, status(400), false),
            (Read, status(401), false),
            (Send, status(404), false),
        ];
        for (class, outcome, retried) in table {
            let decision = policy.decide(1, class, outcome, 0.5);
            assert_eq!(
                matches!(decision, RetryAfter(_)),
                retried,
                "{class:?} {outcome:?}"
            );
        }
    }

    #[test]
    fn retry_after_is_honoured_within_a_bound() {
        let policy = RetryPolicy::default();
        let asked = |secs| Outcome::Status {
            status: 429,
            retry_after: Some(Duration::from_secs(secs)),
        };
        assert_eq!(
            policy.decide(1, Send, asked(2), 0.9),
            RetryAfter(Duration::from_secs(2))
        );
        assert_eq!(policy.decide(1, Read, asked(3600), 0.9), GiveUp);
    }

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        let policy = RetryPolicy {
            max_attempts: 10,
            ..RetryPolicy::default()
        };
        assert_eq!(
            policy.decide(1, Read, status(503), 1.0),
            RetryAfter(MS(200))
        );
        assert_eq!(
            policy.decide(2, Read, status(503), 1.0),
            RetryAfter(MS(400))
        );
        assert_eq!(
            policy.decide(3, Read, status(503), 0.5),
            RetryAfter(MS(400))
        );
        assert_eq!(
            policy.decide(9, Read, status(503), 1.0),
            RetryAfter(Duration::from_secs(5))
        );
        assert_eq!(
            policy.decide(2, Read, status(503), 0.0),
            RetryAfter(Duration::ZERO)
        );
    }

    #[test]
    fn attempts_are_bounded() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.decide(4, Read, status(429), 0.5), GiveUp);
        assert!(matches!(
            policy.decide(3, Read, status(429), 0.5),
            RetryAfter(_)
        ));
    }

    #[test]
    fn retry_after_parses_seconds_and_dates() {
        assert_eq!(parse_retry_after("7"), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
    }
}
