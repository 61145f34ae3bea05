//! `switchboard-sandbox`: a local emulator of the Twilio, Telnyx and 46elks APIs that Switchboard
//! talks to, faithful enough (paths, auth, status codes, error bodies, pagination, signed
//! webhooks, message lifecycles) that the real provider clients can run against it unchanged.
//!
//! Start it in-process with [`start`] (tests bind `127.0.0.1:0`), or blocking with
//! [`run_until_ctrl_c`], which prints the start line the `switchboard sandbox` command shows:
//!
//! ```text
//! {"url":"http://127.0.0.1:PORT","admin_token":…,"twilio":{"account_sid":…,"auth_token":…},"telnyx":{"api_key":…},"46elks":{"username":…,"password":…}}
//! ```
//!
//! Provider base URLs are `url + "/twilio"`, `url + "/telnyx"` and `url + "/46elks"`; the admin
//! API lives under `url + "/_sandbox"` (see [`admin`]) and takes only calls to the sandbox's own
//! loopback address that carry `Authorization: Bearer <admin_token>`.

pub mod admin;
mod admin_guard;
mod clock;
mod delivery;
mod elks;
mod faults;
mod history;
mod ids;
mod lifecycle;
mod params;
mod provider;
mod request_log;
mod router;
mod seed;
mod server;
pub mod signature;
mod state;
mod telnyx;
mod twilio;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

pub use lifecycle::{FAILED_SUFFIX, UNDELIVERED_SUFFIX};
use state::Sandbox;

/// How to run the sandbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxConfig {
    /// Address to bind; loopback by default so the emulator is never reachable from outside.
    pub host: IpAddr,
    /// Port to bind; 0 picks a free one.
    pub port: u16,
    /// Delay added before every provider answer (`--latency-ms`).
    pub latency_ms: u64,
    /// More provider requests than this in flight at once get HTTP 429 (`--concurrency-limit`).
    pub concurrency_limit: Option<usize>,
    /// Time between two steps of a message's lifecycle (queued → sent → delivered).
    pub lifecycle_step_ms: u64,
    /// Makes credentials, SIDs and the Telnyx signing key the same on every start (useful for a
    /// demo mode that stores the seeded credentials). `None` draws fresh random ones.
    pub seed: Option<u64>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            latency_ms: 0,
            concurrency_limit: None,
            lifecycle_step_ms: 500,
            seed: None,
        }
    }
}

/// Credentials of the seeded account, printed as the start line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedCredentials {
    /// Sandbox root, e.g. `http://127.0.0.1:4010`; provider bases are `url + "/twilio"` etc.
    pub url: String,
    /// What every admin call carries: `Authorization: Bearer <admin_token>`. Random on every
    /// start, also with a fixed seed.
    pub admin_token: String,
    pub twilio: TwilioCredentials,
    pub telnyx: TelnyxCredentials,
    #[serde(rename = "46elks")]
    pub elks: ElksCredentials,
}

impl SeedCredentials {
    /// The single JSON line printed on start.
    pub fn start_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwilioCredentials {
    pub account_sid: String,
    pub auth_token: String,
    /// An API key (`SK…`) of the same account; Basic auth with `api_key_sid:api_key_secret`
    /// works like `account_sid:auth_token`, webhooks are still signed with the auth token.
    pub api_key_sid: String,
    pub api_key_secret: String,
    /// Twilio's WhatsApp Sandbox as this account has it (absent in start lines of older
    /// versions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub whatsapp_sandbox: Option<WhatsappSandboxInfo>,
}

/// The WhatsApp Sandbox number every Twilio account may send from, and what a WhatsApp user
/// sends to it to join this account's sandbox (`POST /_sandbox/inbound`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WhatsappSandboxInfo {
    /// `whatsapp:+14155238886`.
    pub number: String,
    /// e.g. `join brave-otter`.
    pub join_code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TelnyxCredentials {
    pub api_key: String,
    /// Base64 Ed25519 public key that verifies the sandbox's Telnyx webhooks.
    pub public_key: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElksCredentials {
    pub username: String,
    pub password: String,
}

/// Credentials of an account made with `POST /_sandbox/accounts`: the start line's shape with
/// only the requested provider filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountCredentials {
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub twilio: Option<TwilioCredentials>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub telnyx: Option<TelnyxCredentials>,
    #[serde(rename = "46elks", skip_serializing_if = "Option::is_none")]
    pub elks: Option<ElksCredentials>,
    /// The account's numbers (E.164), in the order made: a connector on it needs a From.
    #[serde(default)]
    pub numbers: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("could not listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("could not build the HTTP client used for webhooks: {0}")]
    HttpClient(#[source] reqwest::Error),
    #[error("could not wait for Ctrl-C: {0}")]
    Signal(#[source] std::io::Error),
}

/// A sandbox serving in the background; dropping it stops it too.
pub struct RunningSandbox {
    sandbox: Arc<Sandbox>,
    addr: SocketAddr,
    shutdown: CancellationToken,
    server: Option<JoinHandle<()>>,
}

impl RunningSandbox {
    /// Sandbox root URL, e.g. `http://127.0.0.1:4010`.
    pub fn url(&self) -> &str {
        &self.sandbox.base_url
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Base URL to give a Twilio client (`url + "/twilio"`).
    pub fn twilio_base(&self) -> String {
        format!("{}/twilio", self.url())
    }

    /// Base URL to give a Telnyx client (`url + "/telnyx"`).
    pub fn telnyx_base(&self) -> String {
        format!("{}/telnyx", self.url())
    }

    /// Base URL to give a 46elks client (`url + "/46elks"`).
    pub fn elks_base(&self) -> String {
        format!("{}/46elks", self.url())
    }

    /// The token every admin call must carry (`Authorization: Bearer <token>`).
    pub fn admin_token(&self) -> &str {
        &self.sandbox.admin_token
    }

    /// The URL of an admin route, e.g. `admin_url("faults")` → `…/_sandbox/faults`.
    pub fn admin_url(&self, path: &str) -> String {
        format!("{}/_sandbox/{}", self.url(), path.trim_start_matches('/'))
    }

    /// Seeded account credentials (what the start line prints).
    pub fn seed(&self) -> &SeedCredentials {
        &self.sandbox.seed
    }

    /// The one JSON line to print on start.
    pub fn start_line(&self) -> String {
        self.sandbox.seed.start_line()
    }

    /// Stops accepting, drops open connections and ends message lifecycles.
    pub async fn shutdown(mut self) {
        self.shutdown.cancel();
        if let Some(server) = self.server.take() {
            // A panicked server task has nothing left to stop.
            let _ = server.await;
        }
    }
}

impl Drop for RunningSandbox {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// Binds, seeds and starts serving in the background.
pub async fn start(config: SandboxConfig) -> Result<RunningSandbox, SandboxError> {
    let addr = SocketAddr::new(config.host, config.port);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| SandboxError::Bind { addr, source })?;
    let addr = listener
        .local_addr()
        .map_err(|source| SandboxError::Bind { addr, source })?;
    let shutdown = CancellationToken::new();
    let sandbox = Arc::new(Sandbox::new(&config, addr, shutdown.clone())?);
    let app = router::build(sandbox.clone());
    let server = tokio::spawn(server::serve(listener, app, shutdown.clone()));
    Ok(RunningSandbox {
        sandbox,
        addr,
        shutdown,
        server: Some(server),
    })
}

/// Starts the sandbox, prints the start line on stdout and serves until Ctrl-C.
pub async fn run_until_ctrl_c(config: SandboxConfig) -> Result<(), SandboxError> {
    let running = start(config).await?;
    println!("{}", running.start_line());
    let waited = tokio::signal::ctrl_c().await;
    running.shutdown().await;
    waited.map_err(SandboxError::Signal)
}

impl SandboxConfig {
    pub(crate) fn lifecycle_step(&self) -> Duration {
        Duration::from_millis(self.lifecycle_step_ms)
    }
}
