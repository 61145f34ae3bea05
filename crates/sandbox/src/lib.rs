//! The provider emulator. Twilio under `/twilio`, Telnyx under `/telnyx`, 46elks under `/46elks`
//! with their real paths, auth, status codes, error bodies and pagination, and an admin API
//! under `/_sandbox`. Start it in-process with [`start`]; `switchboard sandbox` serves it.
//!
//! Its wire JSON is written from the providers' specs independently of the providers crate, so
//! the two readings check each other.

// Handlers answer errors as ready responses, the axum way; boxing them buys nothing here.
#![allow(clippy::result_large_err)]

mod admin;
mod auth;
mod elks;
mod log;
mod state;
mod telnyx;
mod twilio;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::Router;
use serde::Serialize;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

pub use state::{AccountStatus, AccountType};
use state::{ElksAccount, TelnyxAccount, TwilioAccount, World};

#[derive(Debug, Clone, Default)]
pub struct SandboxConfig {
    /// 0 picks a free port.
    pub port: u16,
    /// Delay added to every answer.
    pub latency_ms: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("could not listen on 127.0.0.1:{port}: {source}")]
    Bind { port: u16, source: std::io::Error },
}

/// Credentials in the shape of the start line (and of `POST /_sandbox/accounts`).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Credentials {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub twilio: Option<TwilioCredentials>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub telnyx: Option<TelnyxCredentials>,
    #[serde(rename = "46elks", skip_serializing_if = "Option::is_none")]
    pub elks: Option<ElksCredentials>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TwilioCredentials {
    pub account_sid: String,
    pub auth_token: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TelnyxCredentials {
    pub api_key: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ElksCredentials {
    pub username: String,
    pub password: String,
}

pub(crate) struct Shared {
    world: Mutex<World>,
    seed: World,
    latency: Mutex<Duration>,
    requests: Mutex<Vec<log::RequestRecord>>,
}

impl Shared {
    pub(crate) fn world(&self) -> MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

pub(crate) type AppState = Arc<Shared>;

pub struct RunningSandbox {
    url: String,
    seed: Credentials,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl RunningSandbox {
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The seeded account's credentials (the start line).
    pub fn seed(&self) -> &Credentials {
        &self.seed
    }

    pub fn twilio_base(&self) -> String {
        format!("{}/twilio", self.url)
    }

    pub fn telnyx_base(&self) -> String {
        format!("{}/telnyx", self.url)
    }

    pub fn elks_base(&self) -> String {
        format!("{}/46elks", self.url)
    }

    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.task).await;
    }
}

fn seeded_world() -> (World, Credentials) {
    let mut world = World::default();
    let twilio = admin::new_twilio(
        AccountType::Full,
        AccountStatus::Active,
        state::numbers("PN", 0, 5),
    );
    let telnyx = admin::new_telnyx(AccountStatus::Active, state::numbers("", 100, 3));
    let elks = admin::new_elks(AccountStatus::Active, state::numbers("n", 200, 3));
    let credentials = Credentials {
        url: None,
        twilio: Some(TwilioCredentials {
            account_sid: twilio.sid.clone(),
            auth_token: twilio.auth_token.clone(),
        }),
        telnyx: Some(TelnyxCredentials {
            api_key: telnyx.api_key.clone(),
        }),
        elks: Some(ElksCredentials {
            username: elks.username.clone(),
            password: elks.password.clone(),
        }),
    };
    insert(&mut world, Some(twilio), Some(telnyx), Some(elks));
    (world, credentials)
}

fn insert(
    world: &mut World,
    twilio: Option<TwilioAccount>,
    telnyx: Option<TelnyxAccount>,
    elks: Option<ElksAccount>,
) {
    if let Some(account) = twilio {
        world.twilio.insert(account.sid.clone(), account);
    }
    if let Some(account) = telnyx {
        world.telnyx.insert(account.api_key.clone(), account);
    }
    if let Some(account) = elks {
        world.elks.insert(account.username.clone(), account);
    }
}

fn router(state: AppState) -> Router {
    Router::new()
        .nest("/twilio", twilio::routes())
        .nest("/telnyx", telnyx::routes())
        .nest("/46elks", elks::routes())
        .nest("/_sandbox", admin::routes())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            log::record,
        ))
        .with_state(state)
}

/// Starts the sandbox on 127.0.0.1 in the current Tokio runtime.
pub async fn start(config: SandboxConfig) -> Result<RunningSandbox, SandboxError> {
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], config.port)))
        .await
        .map_err(|source| SandboxError::Bind {
            port: config.port,
            source,
        })?;
    let port = listener
        .local_addr()
        .map_err(|source| SandboxError::Bind {
            port: config.port,
            source,
        })?
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let (world, mut seed) = seeded_world();
    seed.url = Some(url.clone());
    let state = Arc::new(Shared {
        world: Mutex::new(world.clone()),
        seed: world,
        latency: Mutex::new(Duration::from_millis(config.latency_ms)),
        requests: Mutex::new(Vec::new()),
    });
    let (stop, stopped) = oneshot::channel::<()>();
    let app = router(state);
    let task = tokio::spawn(async move {
        let serve = axum::serve(listener, app).with_graceful_shutdown(async {
            let _ = stopped.await;
        });
        if let Err(error) = serve.await {
            tracing::error!(%error, "the sandbox stopped");
        }
    });
    Ok(RunningSandbox {
        url,
        seed,
        stop: Some(stop),
        task,
    })
}

/// Serves until Ctrl-C, printing the start line on stdout first (what `switchboard sandbox` does).
pub async fn run_until_ctrl_c(config: SandboxConfig) -> Result<(), SandboxError> {
    let sandbox = start(config).await?;
    match serde_json::to_string(sandbox.seed()) {
        Ok(line) => println!("{line}"),
        Err(error) => eprintln!("could not print the start line: {error}"),
    }
    let _ = tokio::signal::ctrl_c().await;
    sandbox.shutdown().await;
    Ok(())
}
