//! The sandbox's shared state: the emulated accounts ("world") and the knobs of the admin API.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use ed25519_dalek::SigningKey;
use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};
use tokio_util::sync::CancellationToken;

use crate::delivery::DeliveryRecord;
use crate::elks::ElksAccount;
use crate::faults::FaultBook;
use crate::request_log::RequestLog;
use crate::telnyx::TelnyxAccount;
use crate::twilio::accounts::TwilioAccount;
use crate::{SandboxConfig, SandboxError, SeedCredentials, admin_guard, ids, seed, signature};

/// Every emulated account of every provider.
#[derive(Debug, Default)]
pub struct World {
    /// By account SID.
    pub twilio: BTreeMap<String, TwilioAccount>,
    /// By API key.
    pub telnyx: BTreeMap<String, TelnyxAccount>,
    /// By API username.
    pub elks: BTreeMap<String, ElksAccount>,
    generated_numbers: u64,
}

impl World {
    /// A fresh US number, unique in this world.
    pub fn next_us_number(&mut self) -> String {
        self.generated_numbers += 1;
        ids::us_number(self.generated_numbers)
    }

    /// A fresh Swedish mobile number, unique in this world.
    pub fn next_swedish_number(&mut self) -> String {
        self.generated_numbers += 1;
        ids::swedish_number(self.generated_numbers)
    }
}

pub struct Sandbox {
    /// Root URL, e.g. `http://127.0.0.1:4010`.
    pub base_url: String,
    pub seed: SeedCredentials,
    /// What every admin call must carry (`Authorization: Bearer …`); random on every start,
    /// whatever the seed, so knowing the seed (the demo remembers it) does not open the admin API.
    pub admin_token: String,
    /// `Host` values that name this sandbox (see [`admin_guard`](crate::admin_guard)).
    pub own_hosts: Vec<String>,
    seed_value: u64,
    world: Mutex<World>,
    /// Each IncomingPhoneNumber's JSON as a list page writes it (see [`NumberJson`]).
    number_json: Mutex<NumberJson>,
    faults: Mutex<FaultBook>,
    requests: Mutex<RequestLog>,
    deliveries: Mutex<Vec<DeliveryRecord>>,
    latency_ms: AtomicU64,
    configured_latency_ms: u64,
    concurrency_limit: Mutex<Option<usize>>,
    configured_concurrency_limit: Option<usize>,
    /// `Retry-After` seconds on a concurrency-limit 429; none by default (Twilio documents
    /// none for 20429: "wait a short period … or issue fewer concurrent requests").
    concurrency_retry_after: Mutex<Option<u64>>,
    pub in_flight: AtomicUsize,
    pub lifecycle_step: Duration,
    /// Signs Telnyx webhooks; its public half is in the start line.
    pub telnyx_key: SigningKey,
    /// Posts callbacks and webhooks.
    pub http: reqwest::Client,
    pub shutdown: CancellationToken,
}

/// Locks ignoring poisoning: the data stays usable after a panicking request, and a sandbox
/// that keeps serving is more useful than one that cascades the panic.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Sandbox {
    pub fn new(
        config: &SandboxConfig,
        addr: SocketAddr,
        shutdown: CancellationToken,
    ) -> Result<Self, SandboxError> {
        let seed_value = config.seed.unwrap_or_else(|| rand::rng().random());
        let mut rng = StdRng::seed_from_u64(seed_value);
        let telnyx_key = SigningKey::from_bytes(&rng.random());
        let base_url = format!("http://{addr}");
        let admin_token = ids::hex(&mut rand::rng(), 64);
        let seed = seed::credentials(
            &mut rng,
            &base_url,
            &admin_token,
            &signature::telnyx_public_key(&telnyx_key),
        );
        let world = seed::world(seed_value, &seed);
        let mut seed = seed;
        seed.twilio.whatsapp_sandbox = world
            .twilio
            .get(&seed.twilio.account_sid)
            .map(|account| account.whatsapp_sandbox_info());
        let http = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(SandboxError::HttpClient)?;
        Ok(Self {
            base_url,
            seed,
            admin_token,
            own_hosts: admin_guard::own_hosts(addr),
            seed_value,
            world: Mutex::new(world),
            number_json: Mutex::default(),
            faults: Mutex::default(),
            requests: Mutex::default(),
            deliveries: Mutex::default(),
            latency_ms: AtomicU64::new(config.latency_ms),
            configured_latency_ms: config.latency_ms,
            concurrency_limit: Mutex::new(config.concurrency_limit),
            configured_concurrency_limit: config.concurrency_limit,
            concurrency_retry_after: Mutex::new(None),
            in_flight: AtomicUsize::new(0),
            lifecycle_step: config.lifecycle_step(),
            telnyx_key,
            http,
            shutdown,
        })
    }

    pub fn world(&self) -> MutexGuard<'_, World> {
        lock(&self.world)
    }

    /// Taken while the world is locked (never the other way round).
    pub fn number_json(&self) -> MutexGuard<'_, NumberJson> {
        lock(&self.number_json)
    }

    pub fn faults(&self) -> MutexGuard<'_, FaultBook> {
        lock(&self.faults)
    }

    pub fn requests(&self) -> MutexGuard<'_, RequestLog> {
        lock(&self.requests)
    }

    pub fn deliveries(&self) -> MutexGuard<'_, Vec<DeliveryRecord>> {
        lock(&self.deliveries)
    }

    pub fn latency(&self) -> Duration {
        Duration::from_millis(self.latency_ms.load(Ordering::Relaxed))
    }

    pub fn set_latency_ms(&self, ms: u64) {
        self.latency_ms.store(ms, Ordering::Relaxed);
    }

    pub fn concurrency_limit(&self) -> Option<usize> {
        *lock(&self.concurrency_limit)
    }

    pub fn set_concurrency_limit(&self, limit: Option<usize>) {
        *lock(&self.concurrency_limit) = limit;
    }

    pub fn concurrency_retry_after(&self) -> Option<u64> {
        *lock(&self.concurrency_retry_after)
    }

    pub fn set_concurrency_retry_after(&self, seconds: Option<u64>) {
        *lock(&self.concurrency_retry_after) = seconds;
    }

    /// Back to the state right after start: seeded accounts (same credentials and SIDs), no
    /// faults, configured latency and limit, empty logs.
    pub fn reset(&self) {
        *self.world() = seed::world(self.seed_value, &self.seed);
        self.faults().clear();
        self.requests().clear();
        self.deliveries().clear();
        self.set_latency_ms(self.configured_latency_ms);
        self.set_concurrency_limit(self.configured_concurrency_limit);
        self.set_concurrency_retry_after(None);
    }
}

/// The JSON of each IncomingPhoneNumber as a list page writes it, by number SID, with a digest
/// of everything it was written from: a page of 1,000 numbers copies the text of those not
/// changed since instead of writing it again (writing it was most of a page's time), and a
/// number that changed in any way is written afresh. The same bytes either way.
#[derive(Default)]
pub struct NumberJson {
    by_sid: std::collections::HashMap<String, (u64, Box<serde_json::value::RawValue>)>,
}

impl NumberJson {
    /// Entries beyond this are dropped all at once (numbers of accounts reset or gone).
    const MAX_ENTRIES: usize = 200_000;

    /// Makes room for a page of `count` numbers before they are kept.
    pub fn room_for(&mut self, count: usize) {
        if self.by_sid.len() + count > Self::MAX_ENTRIES {
            self.by_sid.clear();
        }
    }

    /// Keeps the JSON of the number with SID `sid` whose content digests to `digest`, written
    /// by `write` unless it is kept already for that content.
    pub fn keep(
        &mut self,
        sid: &str,
        digest: u64,
        write: impl FnOnce() -> serde_json::Result<Box<serde_json::value::RawValue>>,
    ) -> serde_json::Result<()> {
        if !matches!(self.by_sid.get(sid), Some((kept, _)) if *kept == digest) {
            self.by_sid.insert(sid.to_owned(), (digest, write()?));
        }
        Ok(())
    }

    /// The JSON kept for `sid`.
    pub fn get(&self, sid: &str) -> Option<&serde_json::value::RawValue> {
        self.by_sid.get(sid).map(|(_, json)| &**json)
    }
}
