//! The account's concurrency, found as TCP finds its window.
//!
//! Providers do not publish an account's concurrency limit: Twilio answers 429 (error 20429,
//! "never processed and always safe to retry") when the account has too many requests in
//! flight. So the window grows while answers come back clean and backs off on a 429:
//!
//! * **Slow start**: from [`INITIAL_WINDOW`], +1 per clean answer (the window doubles each
//!   round trip) until the first 429.
//! * **Multiplicative decrease**: the first 429, from an attempt that entered at level *k*
//!   (itself included), says the account took at most *k − 1*: that is the ceiling, and the
//!   window drops to [`BETA_PROBE`] × the ceiling; the rest of that burst's 429s then tighten
//!   the ceiling to the others in flight, while nothing has entered since (refusals come back
//!   at once, taken attempts a round trip later). Once a ceiling is known, a 429 says
//!   the account took at most the *others in flight* when it came (the provider counts an
//!   attempt over less time than the client does), not *k − 1*: attempts that enter together
//!   reach the provider in any order, so the refused one may be one the client counted well
//!   below the limit. Within one of the ceiling, that is a refused probe (or the ceiling was
//!   one too high): the window goes back to what the account took, and probing slows; but a
//!   second 429 from that same window says more than the probe was refused. Then, and when
//!   far fewer were in flight, the limit fell, to at most what the refused attempts' levels
//!   say: the window goes to [`BETA_PROBE`] × the new ceiling when it is a few below (the
//!   first estimate, from a burst, was high), to [`BETA`] × (CUBIC's β) when far below
//!   (another client took part of the account). Otherwise one decrease per window: a 429 from an attempt
//!   that entered before the last decrease says nothing new, nor does its clean answer.
//! * **Recovery**: slow start again, up to the ceiling (the level the account just took; a
//!   429 is a measured limit, not a guess from a lost packet, so there is no reason to creep
//!   back to it over many round trips).
//! * **Probing**: at the ceiling the window grows by 1 / 2ⁿ per round trip, *n* the probes
//!   refused at that same ceiling, so a limit that does not move costs fewer and fewer 429s.
//!   A clean answer from two above the ceiling says the limit rose (another job ended): the
//!   ceiling moves up and probing is back at full speed (+1 per round trip, additive
//!   increase).
//! * **Retry-After**: a 429 that carries one pauses every attempt on the account until then.
//!   A 429 at a window of 1 with none pauses with exponential backoff instead (another client
//!   holds the whole account).
//! * A clean answer grows the window only when the window was the limit (attempts were
//!   waiting, or it was full), as TCP does not grow a window the application leaves unused.
//!
//! [`Window`] is the pure state machine (time is an argument, so tests are deterministic);
//! [`AccountLimiter`] shares one between every job on the account and is the HTTP executor's
//! [`AttemptGate`].

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use switchboard_providers::{AttemptGate, GateAnswer, GateTicket};
use tokio::sync::Notify;
use tokio::time::Instant;

use crate::model::{Connector, ConnectorSettings};

/// Where a new account's window starts. Slow start reaches a limit of 100 in two round trips;
/// the overshoot is refused unprocessed (a 429 costs a request, not time), at most 31 requests
/// once per account.
pub const INITIAL_WINDOW: f64 = 32.0;
/// The window after a 429 that shows the limit below the window, as a share of the ceiling
/// (CUBIC's β, RFC 9438).
pub const BETA: f64 = 0.7;
/// The window after the first 429, or one a few below the known ceiling, as a share of the
/// new ceiling: an estimate corrected, not a limit that fell.
pub const BETA_PROBE: f64 = 0.9;
/// No account is driven harder than this.
pub const MAX_WINDOW: f64 = 512.0;
/// First pause after a 429 at a window of 1 without a Retry-After; doubles each time.
const BACKOFF_BASE: Duration = Duration::from_millis(100);
const BACKOFF_CAP: Duration = Duration::from_secs(5);
/// Probing at the ceiling never slows below 1 / 2^this per round trip.
const MAX_PROBE_HALVINGS: u32 = 6;

/// Why an attempt cannot enter now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// The window is full: wait for an attempt to leave.
    Slot,
    /// Every attempt on the account is paused until then (Retry-After or backoff).
    Until(Instant),
}

/// A 429 taken for a refused probe: the window it came from, its level and the ceiling then.
#[derive(Debug, Clone, Copy)]
struct Probe {
    epoch: u64,
    level: f64,
    ceiling: f64,
}

/// One account's window (see the module docs).
#[derive(Debug, Clone)]
pub struct Window {
    cwnd: f64,
    ssthresh: f64,
    /// The most the account took before its last 429.
    ceiling: Option<f64>,
    /// 429s at the same ceiling in a row.
    failed_probes: u32,
    in_flight: usize,
    /// Attempts waiting for a slot (told by the caller).
    waiting: usize,
    epoch: u64,
    /// The last decrease, when it took a 429 for a refused probe.
    probe: Option<Probe>,
    /// Attempts let in since the last decrease.
    entered_since_decrease: usize,
    paused_until: Option<Instant>,
    /// 429s at a window of 1 without a clean answer since.
    backoffs: u32,
    /// Counters for benches and tests.
    pub throttled: u64,
    pub clean: u64,
}

impl Default for Window {
    fn default() -> Self {
        Self::new(INITIAL_WINDOW)
    }
}

impl Window {
    pub fn new(initial: f64) -> Self {
        Self {
            cwnd: initial.clamp(1.0, MAX_WINDOW),
            ssthresh: f64::INFINITY,
            ceiling: None,
            failed_probes: 0,
            in_flight: 0,
            waiting: 0,
            epoch: 0,
            probe: None,
            entered_since_decrease: 0,
            paused_until: None,
            backoffs: 0,
            throttled: 0,
            clean: 0,
        }
    }

    /// How many attempts may be in flight now.
    pub fn allowed(&self) -> usize {
        // A window of 4.9 lets 4 in.
        let whole = self.cwnd.floor() as usize;
        whole.max(1)
    }

    pub fn in_flight(&self) -> usize {
        self.in_flight
    }

    /// The learned ceiling, rounded down (None before the first 429).
    pub fn ceiling(&self) -> Option<usize> {
        self.ceiling.map(|c| c.floor() as usize)
    }

    pub fn paused_until(&self) -> Option<Instant> {
        self.paused_until
    }

    pub fn waiting_changed(&mut self, waiting: bool) {
        if waiting {
            self.waiting += 1;
        } else {
            self.waiting = self.waiting.saturating_sub(1);
        }
    }

    /// Lets an attempt in, or says what it waits for.
    pub fn try_enter(&mut self, now: Instant) -> Result<GateTicket, Wait> {
        if let Some(until) = self.paused_until {
            if now < until {
                return Err(Wait::Until(until));
            }
            self.paused_until = None;
        }
        if self.in_flight >= self.allowed() {
            return Err(Wait::Slot);
        }
        self.in_flight += 1;
        self.entered_since_decrease += 1;
        Ok(GateTicket {
            epoch: self.epoch,
            level: self.in_flight,
            saturated: self.in_flight >= self.allowed(),
        })
    }

    /// The attempt that entered with `ticket` ended with `answer`.
    pub fn leave(&mut self, ticket: GateTicket, answer: GateAnswer, now: Instant) {
        let limited = ticket.saturated || self.waiting > 0 || self.in_flight >= self.allowed();
        // In flight when the answer came, this attempt included.
        let in_flight = self.in_flight;
        self.in_flight = self.in_flight.saturating_sub(1);
        match answer {
            GateAnswer::Clean => {
                self.clean += 1;
                self.backoffs = 0;
                if ticket.epoch == self.epoch {
                    self.clean_at(ticket.level);
                }
                if limited {
                    self.grow();
                }
            }
            GateAnswer::Throttled { retry_after } => {
                self.throttled += 1;
                self.back_off(ticket, in_flight, retry_after, now);
            }
            GateAnswer::Failed | GateAnswer::Abandoned => {}
        }
    }

    fn grow(&mut self) {
        let w = self.cwnd;
        if w < self.ssthresh {
            // Slow start: +1 per clean answer, the window doubles per round trip; after a
            // back-off only up to the ceiling, the level the account took.
            let cap = if self.ceiling.is_some() {
                self.ssthresh
            } else {
                MAX_WINDOW
            };
            self.cwnd = (w + 1.0).min(cap).min(MAX_WINDOW);
            return;
        }
        let per_round_trip = match self.ceiling {
            // At the ceiling: probe above it, slower after each probe it refused.
            Some(_) => 1.0 / f64::from(1u32 << self.failed_probes.min(MAX_PROBE_HALVINGS)),
            None => 1.0,
        };
        self.cwnd = (w + per_round_trip / w).min(MAX_WINDOW);
    }

    /// A clean answer from two or more above the ceiling says the limit rose (one above
    /// proves little: the client counts an attempt from before it is sent until its answer is
    /// read, the provider for less). Probing is back at full speed from there. Only attempts
    /// that entered since the last decrease count: one from the larger window before it may have
    /// reached the provider early, when few others were there, so its level says nothing of
    /// the limit.
    fn clean_at(&mut self, level: usize) {
        if let Some(ceiling) = self.ceiling
            && level as f64 >= ceiling + 2.0
        {
            self.ceiling = Some(level as f64 - 1.0);
            self.failed_probes = 0;
        }
    }

    /// `in_flight`: the attempts in flight when the 429 came, this one included.
    fn back_off(
        &mut self,
        ticket: GateTicket,
        in_flight: usize,
        retry_after: Option<Duration>,
        now: Instant,
    ) {
        if let Some(delay) = retry_after {
            self.pause_until(now + delay);
        }
        let level = (ticket.level as f64 - 1.0).max(1.0);
        let before = self.cwnd;
        if ticket.epoch != self.epoch {
            // A second 429 from a window whose first was taken for a refused probe: more
            // than the one attempt above the ceiling was refused, so the limit fell (another
            // client took part of the account), to at most what either refused one's level
            // says.
            if let Some(probe) = self.probe.take_if(|probe| probe.epoch == ticket.epoch) {
                self.epoch += 1;
                self.entered_since_decrease = 0;
                let ceiling = level.min(probe.level);
                self.fall(ceiling, beta_below(ceiling, probe.ceiling), before);
            } else if ticket.epoch + 1 == self.epoch && self.entered_since_decrease == 0 {
                // The rest of the window the last decrease came from, refused too: with
                // nothing let in since, the others in flight are that window's attempts the
                // account took (refusals come back at once, taken ones a round trip later),
                // so each such 429 tightens the ceiling. A burst of 32 at a limit of 5 so
                // finds 5 in a round trip, where the first 429's level alone said 31.
                let took = (in_flight as f64 - 1.0).max(1.0);
                if let Some(ceiling) = self.ceiling.filter(|ceiling| took < *ceiling) {
                    self.ceiling = Some(took);
                    self.cwnd = self.cwnd.min(took);
                    self.ssthresh = took.max(self.cwnd).min(ceiling);
                }
            }
            return;
        }
        self.epoch += 1;
        self.entered_since_decrease = 0;
        self.probe = None;
        // What the 429 says the account took. The first time, this attempt's own level (the
        // others in flight are the burst whose refusals have not come back yet). Once a
        // ceiling is known, a 429 with at most one more than the ceiling in flight is a
        // refused probe, whatever its own level: attempts that enter together reach the
        // provider in any order, so the one refused may be one the client counted well below
        // the ceiling (at a limit of 100 the 92nd: taken for a limit of 91, it cut the window
        // to 64). The provider counts an attempt over less time than the client does (from
        // its arrival to its answer), so it had at most the others in flight.
        let took = (in_flight as f64 - 1.0).max(1.0);
        match self.ceiling {
            // Within one of the ceiling (or one at it: the ceiling was one too high): the
            // limit has not moved. Back to what the account takes, and probe more slowly;
            // unless a second 429 from this window says otherwise (above).
            Some(previous) if previous - took.min(previous) < 1.5 => {
                self.failed_probes += 1;
                self.probe = Some(Probe {
                    epoch: ticket.epoch,
                    level,
                    ceiling: previous,
                });
                self.cwnd = took.min(previous);
                self.ceiling = Some(self.cwnd);
                self.ssthresh = self.cwnd;
            }
            Some(previous) => {
                let ceiling = level.min(took);
                self.fall(ceiling, beta_below(ceiling, previous), before);
            }
            // The first: a mild decrease, as the rest of the burst's 429s tighten the ceiling
            // (above).
            None => self.fall(level, BETA_PROBE, before),
        }
        if before < 2.0 && retry_after.is_none() {
            let pause = BACKOFF_BASE
                .saturating_mul(1u32 << self.backoffs.min(16))
                .min(BACKOFF_CAP);
            self.backoffs += 1;
            self.pause_until(now + pause);
        }
    }

    /// The limit is below the window (`before`): the window goes to `beta` × `ceiling`.
    fn fall(&mut self, ceiling: f64, beta: f64, before: f64) {
        self.failed_probes = 0;
        self.cwnd = (ceiling.min(before) * beta).max(1.0);
        self.ceiling = Some(ceiling);
        self.ssthresh = ceiling.max(self.cwnd);
    }

    fn pause_until(&mut self, until: Instant) {
        if self.paused_until.is_none_or(|current| current < until) {
            self.paused_until = Some(until);
        }
    }
}

/// The back-off when a 429 shows the limit at `ceiling`, below the `previous` one: the full one
/// when far below (another client took part of the account), the milder one when a few below.
fn beta_below(ceiling: f64, previous: f64) -> f64 {
    if ceiling >= BETA * previous {
        BETA_PROBE
    } else {
        BETA
    }
}

/// One account's window, shared by every bulk job and number list on it (sends, senders and
/// templates do not go through it yet).
#[derive(Debug, Default)]
pub struct AccountLimiter {
    window: Mutex<Window>,
    changed: Notify,
}

impl AccountLimiter {
    pub fn new(initial: f64) -> Self {
        Self {
            window: Mutex::new(Window::new(initial)),
            changed: Notify::new(),
        }
    }

    fn window(&self) -> MutexGuard<'_, Window> {
        // The window is plain numbers: a panic elsewhere cannot leave it half-written.
        self.window
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A copy of the window as it is now.
    pub fn snapshot(&self) -> Window {
        self.window().clone()
    }

    /// How many attempts may be in flight now.
    pub fn allowed(&self) -> usize {
        self.window().allowed()
    }

    async fn acquire(&self) -> GateTicket {
        let mut counted = false;
        loop {
            let notified = self.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let wait = {
                let mut window = self.window();
                match window.try_enter(Instant::now()) {
                    Ok(ticket) => {
                        if counted {
                            window.waiting_changed(false);
                        }
                        return ticket;
                    }
                    Err(wait) => {
                        if !counted {
                            window.waiting_changed(true);
                            counted = true;
                        }
                        wait
                    }
                }
            };
            // Dropped mid-wait (the task was cancelled): no longer waiting.
            let guard = WaitGuard { limiter: self };
            match wait {
                Wait::Slot => notified.await,
                Wait::Until(until) => {
                    tokio::select! {
                        () = tokio::time::sleep_until(until) => {}
                        () = &mut notified => {}
                    }
                }
            }
            std::mem::forget(guard);
        }
    }
}

/// Takes a cancelled waiter off the waiting count.
struct WaitGuard<'a> {
    limiter: &'a AccountLimiter,
}

impl Drop for WaitGuard<'_> {
    fn drop(&mut self) {
        self.limiter.window().waiting_changed(false);
        self.limiter.changed.notify_waiters();
    }
}

impl AttemptGate for AccountLimiter {
    fn enter(&self) -> Pin<Box<dyn Future<Output = GateTicket> + Send + '_>> {
        Box::pin(self.acquire())
    }

    fn leave(&self, ticket: GateTicket, answer: GateAnswer) {
        self.window().leave(ticket, answer, Instant::now());
        self.changed.notify_waiters();
    }
}

/// The limiters of the accounts this service has called, by [`account_key`].
#[derive(Debug, Default)]
pub(crate) struct Limiters {
    by_account: Mutex<HashMap<String, Arc<AccountLimiter>>>,
}

impl Limiters {
    pub(crate) fn for_connector(&self, connector: &Connector) -> Arc<AccountLimiter> {
        let key = account_key(connector);
        let mut map = self
            .by_account
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        map.entry(key)
            .or_insert_with(|| Arc::new(AccountLimiter::default()))
            .clone()
    }
}

/// Provider + account + base URL: connectors on the same account share its limit.
pub(crate) fn account_key(connector: &Connector) -> String {
    let base = connector
        .settings
        .api_urls()
        .base_url
        .unwrap_or_default()
        .trim_end_matches('/')
        .to_owned();
    let account = match &connector.settings {
        ConnectorSettings::Twilio(twilio) => twilio.account_sid.clone(),
        ConnectorSettings::Elks46(elks) => elks.username.clone(),
        // A Telnyx key names no account; the connector's own id keeps them apart (two
        // connectors with one key then learn the limit separately).
        ConnectorSettings::Telnyx(_) | ConnectorSettings::Smtp(_) => connector.id.clone(),
    };
    format!("{:?}|{account}|{base}", connector.provider())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A provider that refuses anything beyond `limit` in flight, driven round by round: each
    /// round lets in as many attempts as the window allows (all waiting), then answers them.
    struct Account {
        limit: usize,
        window: Window,
        now: Instant,
        requests: u64,
        refused: u64,
        done: usize,
    }

    impl Account {
        fn new(limit: usize) -> Self {
            Self {
                limit,
                window: Window::default(),
                now: Instant::now(),
                requests: 0,
                refused: 0,
                done: 0,
            }
        }

        /// One round trip with `pending` numbers left; returns how many were done.
        fn round(&mut self, pending: usize) -> usize {
            let mut tickets = Vec::new();
            for _ in 0..pending {
                match self.window.try_enter(self.now) {
                    Ok(ticket) => tickets.push(ticket),
                    Err(_) => break,
                }
            }
            // The rest wait for a slot.
            let waiting = pending - tickets.len();
            for _ in 0..waiting {
                self.window.waiting_changed(true);
            }
            // Refusals come back at once (never processed), clean answers a round trip later.
            let (refused, taken): (Vec<_>, Vec<_>) = tickets
                .into_iter()
                .partition(|ticket| ticket.level > self.limit);
            self.requests += (refused.len() + taken.len()) as u64;
            self.refused += refused.len() as u64;
            for ticket in refused {
                self.window.leave(
                    ticket,
                    GateAnswer::Throttled { retry_after: None },
                    self.now,
                );
            }
            let done = taken.len();
            for ticket in taken {
                self.window.leave(ticket, GateAnswer::Clean, self.now);
            }
            for _ in 0..waiting {
                self.window.waiting_changed(false);
            }
            self.now += Duration::from_millis(50);
            self.done += done;
            done
        }

        fn run(&mut self, numbers: usize) -> usize {
            let mut rounds = 0;
            while self.done < numbers {
                self.round(numbers - self.done);
                rounds += 1;
                assert!(rounds < 10 * numbers, "no progress");
            }
            rounds
        }
    }

    #[test]
    fn slow_start_doubles_the_window_each_round_trip() {
        let mut account = Account::new(1_000);
        let allowed: Vec<usize> = (0..4)
            .map(|_| {
                account.round(10_000);
                account.window.allowed()
            })
            .collect();
        assert_eq!(allowed, [64, 128, 256, 512]);
        assert_eq!(account.refused, 0);
    }

    #[test]
    fn it_finds_each_limit_with_few_refusals_and_close_to_the_ideal_rounds() {
        for limit in [1, 5, 20, 100] {
            let mut account = Account::new(limit);
            let rounds = account.run(1_000);
            let ideal = 1_000usize.div_ceil(limit);
            assert!(
                rounds * 10 <= ideal * 13,
                "limit {limit}: {rounds} rounds for an ideal of {ideal}"
            );
            assert!(
                account.refused * 20 <= account.requests,
                "limit {limit}: {} of {} refused",
                account.refused,
                account.requests
            );
            assert!(account.window.allowed() <= limit + 1, "limit {limit}");
            assert_eq!(account.window.ceiling(), Some(limit), "limit {limit}");
        }
    }

    #[test]
    fn one_decrease_per_window_and_multiplicative() {
        let mut window = Window::new(10.0);
        let now = Instant::now();
        let tickets: Vec<_> = (0..10).map(|_| window.try_enter(now).unwrap()).collect();
        let throttled = GateAnswer::Throttled { retry_after: None };
        // The 7th to 10th were refused: the account took 6.
        for ticket in &tickets[6..] {
            window.leave(*ticket, throttled, now);
        }
        assert_eq!(window.ceiling(), Some(6));
        assert_eq!(window.allowed(), 5); // the first: 0.9 × 6 = 5.4
        // A probe one above the ceiling refused: back to the ceiling.
        let mut probed = Window::new(7.0);
        probed.ceiling = Some(6.0);
        probed.ssthresh = 5.0;
        let tickets: Vec<_> = (0..7).map(|_| probed.try_enter(now).unwrap()).collect();
        probed.leave(tickets[6], throttled, now);
        assert_eq!(probed.allowed(), 6, "back to what the account took");
        assert_eq!(probed.ceiling(), Some(6));
        for ticket in &tickets[..6] {
            window.leave(*ticket, GateAnswer::Clean, now);
        }
        assert_eq!(window.throttled, 4);
        assert_eq!(window.in_flight(), 0);
    }

    #[test]
    fn the_rest_of_a_refused_burst_tightens_the_ceiling_to_what_the_account_took() {
        // A new account's first 32 at once; it takes 5. The first 429 back is the 32nd's
        // (they reached the provider in another order): its level alone says 31.
        let throttled = GateAnswer::Throttled { retry_after: None };
        let now = Instant::now();
        let mut window = Window::default();
        let tickets: Vec<_> = (0..32).map(|_| window.try_enter(now).unwrap()).collect();
        window.leave(tickets[31], throttled, now);
        assert_eq!(window.ceiling(), Some(31));
        for ticket in tickets[5..31].iter().rev() {
            window.leave(*ticket, throttled, now);
            // Nothing is let in while the burst's refusals come back.
            assert!(window.in_flight() >= window.allowed());
        }
        assert_eq!(window.ceiling(), Some(5));
        assert_eq!(window.allowed(), 5);
        assert_eq!(window.in_flight(), 5);
        // Once an attempt entered since, the others in flight are no longer that window's.
        for ticket in &tickets[..5] {
            window.leave(*ticket, GateAnswer::Clean, now);
        }
        let mut later = Window::default();
        let tickets: Vec<_> = (0..32).map(|_| later.try_enter(now).unwrap()).collect();
        later.leave(tickets[31], throttled, now);
        for ticket in &tickets[..9] {
            later.leave(*ticket, GateAnswer::Clean, now);
        }
        let entered = later.try_enter(now).unwrap();
        later.leave(tickets[30], throttled, now);
        assert_eq!(
            later.ceiling(),
            Some(31),
            "an attempt entered since: no tightening"
        );
        later.leave(entered, GateAnswer::Clean, now);
    }

    #[test]
    fn a_429_with_no_more_than_the_ceiling_in_flight_lowers_it_to_those_and_probes_slowly() {
        let throttled = GateAnswer::Throttled { retry_after: None };
        let now = Instant::now();
        let mut window = Window::new(6.0);
        let tickets: Vec<_> = (0..6).map(|_| window.try_enter(now).unwrap()).collect();
        window.leave(tickets[5], throttled, now);
        for ticket in &tickets[..5] {
            window.leave(*ticket, GateAnswer::Clean, now);
        }
        assert_eq!(window.ceiling(), Some(5));
        // Refused with only 5 in flight: the provider had at most the 4 others (it counts an
        // attempt over less time than the client), so the account takes 4. One below the
        // ceiling is not a fallen limit: no full back-off, and probing stays slow.
        let probes_before = window.failed_probes;
        let tickets: Vec<_> = (0..5).map(|_| window.try_enter(now).unwrap()).collect();
        window.leave(tickets[4], throttled, now);
        assert_eq!(window.ceiling(), Some(4));
        assert_eq!(window.allowed(), 4);
        assert_eq!(window.failed_probes, probes_before + 1);
    }

    #[test]
    fn a_429_with_one_over_the_ceiling_in_flight_is_a_refused_probe_whatever_its_level() {
        // The account took 100; probing, 101 are in flight; the provider happened to refuse
        // the one the client counted 92nd (they reached it in another order).
        let now = Instant::now();
        let mut window = Window::new(101.5);
        window.ceiling = Some(100.0);
        window.ssthresh = 100.0;
        let tickets: Vec<_> = (0..101).map(|_| window.try_enter(now).unwrap()).collect();
        let probes_before = window.failed_probes;
        window.leave(
            tickets[91],
            GateAnswer::Throttled { retry_after: None },
            now,
        );
        assert_eq!(window.ceiling(), Some(100), "the limit did not move");
        assert_eq!(window.failed_probes, probes_before + 1);
        assert_eq!(window.allowed(), 100, "back to the ceiling, not 0.7 × 91");
        // A second 429 from that window: not a probe, the limit fell, to at most what the
        // lower of the two refused attempts' levels says (0.9 × 91: a few below).
        let mut twice = window.clone();
        twice.leave(
            tickets[95],
            GateAnswer::Throttled { retry_after: None },
            now,
        );
        assert_eq!(twice.ceiling(), Some(91));
        assert_eq!(twice.allowed(), 81);
        // Far fewer than the ceiling in flight: the limit fell (another client took part of
        // the account), to at most what the refused attempt's level says.
        let mut fell = Window::new(100.0);
        fell.ceiling = Some(100.0);
        fell.ssthresh = 100.0;
        let tickets: Vec<_> = (0..60).map(|_| fell.try_enter(now).unwrap()).collect();
        fell.leave(
            tickets[50],
            GateAnswer::Throttled { retry_after: None },
            now,
        );
        assert_eq!(fell.ceiling(), Some(50));
        assert_eq!(fell.allowed(), 35); // 0.7 × 50
    }

    #[test]
    fn a_clean_answer_from_before_a_decrease_does_not_raise_the_ceiling() {
        let now = Instant::now();
        let mut window = Window::new(10.0);
        let tickets: Vec<_> = (0..10).map(|_| window.try_enter(now).unwrap()).collect();
        window.leave(tickets[6], GateAnswer::Throttled { retry_after: None }, now);
        assert_eq!(window.ceiling(), Some(6));
        // The 10th entered the larger window before the decrease; it reached the provider
        // early and was taken: that says nothing of a limit above 6.
        window.leave(tickets[9], GateAnswer::Clean, now);
        assert_eq!(window.ceiling(), Some(6));
        // One that entered after the decrease, 8th in flight, taken: the limit rose.
        for ticket in tickets[..6].iter().chain(&tickets[7..9]) {
            window.leave(*ticket, GateAnswer::Clean, now);
        }
        window.cwnd = 8.0;
        let later: Vec<_> = (0..8).map(|_| window.try_enter(now).unwrap()).collect();
        window.leave(later[7], GateAnswer::Clean, now);
        assert_eq!(window.ceiling(), Some(7));
    }

    #[test]
    fn retry_after_pauses_every_attempt_until_then() {
        let mut window = Window::new(4.0);
        let now = Instant::now();
        let first = window.try_enter(now).unwrap();
        let second = window.try_enter(now).unwrap();
        window.leave(
            first,
            GateAnswer::Throttled {
                retry_after: Some(Duration::from_secs(2)),
            },
            now,
        );
        let until = now + Duration::from_secs(2);
        assert_eq!(window.try_enter(now), Err(Wait::Until(until)));
        assert_eq!(
            window.try_enter(now + Duration::from_millis(1_999)),
            Err(Wait::Until(until))
        );
        // A stale 429 with a shorter Retry-After does not shorten the pause.
        window.leave(
            second,
            GateAnswer::Throttled {
                retry_after: Some(Duration::from_secs(1)),
            },
            now,
        );
        assert_eq!(window.paused_until(), Some(until));
        assert!(window.try_enter(until).is_ok());
    }

    #[test]
    fn a_429_at_a_window_of_one_backs_off_exponentially() {
        let mut window = Window::new(1.0);
        let mut now = Instant::now();
        let mut pauses = Vec::new();
        for _ in 0..4 {
            let ticket = window.try_enter(now).unwrap();
            window.leave(ticket, GateAnswer::Throttled { retry_after: None }, now);
            let Err(Wait::Until(until)) = window.try_enter(now) else {
                panic!("not paused");
            };
            pauses.push((until - now).as_millis());
            now = until;
        }
        assert_eq!(pauses, [100, 200, 400, 800]);
        let ticket = window.try_enter(now).unwrap();
        window.leave(ticket, GateAnswer::Clean, now);
        let ticket = window.try_enter(now).unwrap();
        window.leave(ticket, GateAnswer::Throttled { retry_after: None }, now);
        assert_eq!(window.try_enter(now), Err(Wait::Until(now + BACKOFF_BASE)));
    }

    #[test]
    fn an_unused_window_does_not_grow() {
        // A job capped at 4 (`--concurrency 4`) on a window of 16: no waiting, never full.
        let mut window = Window::new(16.0);
        let now = Instant::now();
        for _ in 0..100 {
            let tickets: Vec<_> = (0..4).map(|_| window.try_enter(now).unwrap()).collect();
            for ticket in tickets {
                window.leave(ticket, GateAnswer::Clean, now);
            }
        }
        assert_eq!(window.allowed(), 16);
    }

    #[test]
    fn a_rising_limit_is_found_again() {
        let mut account = Account::new(10);
        account.run(500);
        assert_eq!(account.window.ceiling(), Some(10));
        account.limit = 40;
        account.done = 0;
        account.run(2_000);
        assert!(
            account.window.allowed() >= 30,
            "window {} after the limit rose to 40",
            account.window.allowed()
        );
    }

    #[test]
    fn a_falling_limit_is_found_without_a_storm_of_429s() {
        // Another client takes half the account: its limit for this one falls from 100 to 50.
        let mut account = Account::new(100);
        account.run(2_000);
        account.limit = 50;
        account.done = 0;
        let (requests, refused) = (account.requests, account.refused);
        let rounds = account.run(2_000);
        let refused = account.refused - refused;
        let requests = account.requests - requests;
        assert!(
            refused * 10 <= requests,
            "{refused} of {requests} refused after the limit fell"
        );
        assert!(rounds * 10 <= 40 * 13, "{rounds} rounds for an ideal of 40");
        assert!(
            account.window.allowed() <= 51,
            "window {}",
            account.window.allowed()
        );
    }

    #[test]
    fn failures_and_cancellations_free_the_slot_without_growing() {
        let mut window = Window::new(2.0);
        let now = Instant::now();
        let a = window.try_enter(now).unwrap();
        let b = window.try_enter(now).unwrap();
        assert_eq!(window.try_enter(now), Err(Wait::Slot));
        window.leave(a, GateAnswer::Failed, now);
        window.leave(b, GateAnswer::Abandoned, now);
        assert_eq!(window.in_flight(), 0);
        assert_eq!(window.allowed(), 2);
    }
}
