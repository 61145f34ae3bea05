//! What the shell holds: the core, or why it could not start (shown by the UI, not a crash), and
//! the in-process sandbox when the user tried it.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use switchboard_core::{Connector, CoreError, DemoAccounts, Switchboard};
use switchboard_sandbox::{RunningSandbox, SandboxConfig};

use crate::commands::sandbox::SandboxDemo;
use crate::error::CommandError;

/// `make run` sets this: with no connector anywhere, the app opens on the sandbox demo.
pub const SANDBOX_ENV: &str = "SWITCHBOARD_SANDBOX";

/// Remembers the sandbox between launches, so the demo connectors keep working: the same seed
/// gives the same credentials, and the same port keeps their base URLs valid.
const SANDBOX_FILE: &str = "sandbox.json";

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SandboxMemo {
    url: String,
    port: u16,
    seed: u64,
}

pub struct AppState {
    core: Result<Arc<Switchboard>, CommandError>,
    data_dir: PathBuf,
    sandbox: tauri::async_runtime::Mutex<Option<RunningSandbox>>,
    sandbox_url: Mutex<Option<String>>,
}

impl AppState {
    pub fn open(data_dir: &Path) -> Self {
        let core = Switchboard::open(data_dir)
            .map(Arc::new)
            .map_err(CommandError::from);
        if let Err(error) = &core {
            tracing::error!(code = ?error.code, message = %error.message, "core did not start");
        }
        Self::new(core, data_dir)
    }

    /// An app that cannot work (no data folder): the UI shows `error` and nothing else.
    pub fn unavailable(error: CommandError) -> Self {
        Self::new(Err(error), Path::new(""))
    }

    pub fn with_core(core: Switchboard, data_dir: &Path) -> Self {
        Self::new(Ok(Arc::new(core)), data_dir)
    }

    fn new(core: Result<Arc<Switchboard>, CommandError>, data_dir: &Path) -> Self {
        Self {
            core,
            data_dir: data_dir.to_owned(),
            sandbox: tauri::async_runtime::Mutex::new(None),
            sandbox_url: Mutex::new(None),
        }
    }

    pub fn data_dir(&self) -> String {
        self.data_dir.display().to_string()
    }

    pub fn startup_error(&self) -> Option<CommandError> {
        self.core.as_ref().err().cloned()
    }

    /// The in-process sandbox's address, while it runs.
    pub fn sandbox_url(&self) -> Option<String> {
        self.sandbox_url.lock().ok().and_then(|url| url.clone())
    }

    /// Saves with `save` (off the async threads), then checks the saved connector's credentials
    /// against its provider. A failed check is recorded on the connector, not returned as an error.
    pub async fn save_and_check<F>(&self, save: F) -> Result<Connector, CommandError>
    where
        F: FnOnce(&Switchboard) -> Result<Connector, CoreError> + Send + 'static,
    {
        let saved = self.run(save).await?;
        self.check(saved.id).await
    }

    /// The core, for calls that are async themselves (provider calls).
    pub fn core(&self) -> Result<Arc<Switchboard>, CommandError> {
        self.core.clone()
    }

    pub async fn check(&self, id: String) -> Result<Connector, CommandError> {
        let core = self.core.clone()?;
        Ok(core.connector_check(&id).await?)
    }

    /// Runs a core call off the async runtime's threads (SQLite and the keychain block).
    pub async fn run<T, F>(&self, call: F) -> Result<T, CommandError>
    where
        T: Send + 'static,
        F: FnOnce(&Switchboard) -> Result<T, CoreError> + Send + 'static,
    {
        let core = self.core.clone()?;
        tauri::async_runtime::spawn_blocking(move || call(&core))
            .await
            .map_err(|e| {
                CommandError::not_ready(format!("The operation stopped unexpectedly: {e}"))
            })?
            .map_err(CommandError::from)
    }

    /// Starts the in-process sandbox (or returns the running one's accounts). On a later launch
    /// it comes back with the same credentials, on the same port when that port is free.
    pub async fn sandbox_start(&self) -> Result<DemoAccounts, CommandError> {
        let mut running = self.sandbox.lock().await;
        if let Some(sandbox) = running.as_ref() {
            return Ok(demo_accounts(sandbox));
        }
        let memo_path = self.data_dir.join(SANDBOX_FILE);
        let remembered = std::fs::read(&memo_path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<SandboxMemo>(&bytes).ok());
        let seed = remembered
            .as_ref()
            .map_or_else(fresh_seed, |memo| memo.seed);
        let config = |port| SandboxConfig {
            port,
            seed: Some(seed),
            ..SandboxConfig::default()
        };
        let sandbox = match remembered {
            Some(memo) => match switchboard_sandbox::start(config(memo.port)).await {
                Ok(sandbox) => sandbox,
                Err(error) => {
                    tracing::warn!(%error, "the sandbox's last port is taken; moving it");
                    let sandbox = start_sandbox(config(0)).await?;
                    let old = memo.url;
                    let new = sandbox.url().to_owned();
                    self.run(move |core| core.demo_rebase(&old, &new)).await?;
                    sandbox
                }
            },
            None => start_sandbox(config(0)).await?,
        };
        let memo = SandboxMemo {
            url: sandbox.url().to_owned(),
            port: sandbox.addr().port(),
            seed,
        };
        if let Err(error) = serde_json::to_vec(&memo)
            .map_err(std::io::Error::other)
            .and_then(|bytes| std::fs::write(&memo_path, bytes))
        {
            tracing::warn!(%error, "could not remember the sandbox's port");
        }
        tracing::info!(url = sandbox.url(), "sandbox running");
        if let Ok(mut url) = self.sandbox_url.lock() {
            *url = Some(sandbox.url().to_owned());
        }
        let accounts = demo_accounts(&sandbox);
        *running = Some(sandbox);
        Ok(accounts)
    }

    /// Starts the sandbox and creates the demo organization, its connectors checked.
    pub async fn sandbox_demo(&self) -> Result<SandboxDemo, CommandError> {
        let accounts = self.sandbox_start().await?;
        let sandbox_url = accounts.url.clone();
        let demo = self.run(move |core| core.demo_create(&accounts)).await?;
        let mut connectors = Vec::with_capacity(demo.connectors.len());
        for connector in demo.connectors {
            connectors.push(self.check(connector.id).await?);
        }
        Ok(SandboxDemo {
            organization: demo.organization,
            connectors,
            sandbox_url,
        })
    }

    /// With no connector anywhere, opens on the sandbox demo (what `make run` asks for through
    /// `SWITCHBOARD_SANDBOX=auto` on a machine with no account configured). Returns whether it did.
    pub fn open_on_sandbox_if_empty(&self) -> bool {
        let empty = self
            .core
            .as_ref()
            .is_ok_and(|core| core.connectors(None).is_ok_and(|c| c.is_empty()));
        if !empty {
            return false;
        }
        match tauri::async_runtime::block_on(self.sandbox_demo()) {
            Ok(demo) => {
                tracing::info!(url = %demo.sandbox_url, "no account configured: opened on the sandbox demo");
                true
            }
            Err(error) => {
                tracing::warn!(message = %error.message, "could not open the sandbox demo");
                false
            }
        }
    }

    /// Brings the sandbox back on launch when the user tried it before.
    pub fn resume_sandbox(&self) {
        if self.core.is_err() || !self.data_dir.join(SANDBOX_FILE).exists() {
            return;
        }
        if let Err(error) = tauri::async_runtime::block_on(self.sandbox_start()) {
            tracing::warn!(message = %error.message, "could not restart the sandbox");
        }
    }
}

async fn start_sandbox(config: SandboxConfig) -> Result<RunningSandbox, CommandError> {
    switchboard_sandbox::start(config)
        .await
        .map_err(|e| CommandError::failed(format!("The sandbox could not start: {e}")))
}

fn demo_accounts(sandbox: &RunningSandbox) -> DemoAccounts {
    let seed = sandbox.seed();
    DemoAccounts {
        url: sandbox.url().to_owned(),
        twilio_account_sid: seed.twilio.account_sid.clone(),
        twilio_auth_token: seed.twilio.auth_token.clone(),
        telnyx_api_key: seed.telnyx.api_key.clone(),
        elks_username: seed.elks.username.clone(),
        elks_password: seed.elks.password.clone(),
    }
}

/// A seed for the emulator's credentials: they guard a loopback-only emulator, not real accounts.
fn fresh_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0x5eed, |elapsed| elapsed.as_nanos() as u64)
}
