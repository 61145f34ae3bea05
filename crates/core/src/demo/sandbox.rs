//! The demo's emulator: started in-process, remembered between launches (same seed, so the same
//! credentials; same port when free, otherwise the demo is moved to the new one), and left for
//! good when the user asks.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Serialize};
use switchboard_sandbox::{RunningSandbox, SandboxConfig};

use super::{DemoAccounts, SandboxDemo};
use crate::error::CoreError;
use crate::service::Switchboard;

/// Remembers the emulator between launches, so the demo connectors keep working.
pub const SANDBOX_MEMO_FILE: &str = "sandbox.json";

/// Written when the user left the sandbox: it then never starts by itself again (neither on
/// launch nor through `SWITCHBOARD_SANDBOX=auto`), only when the user tries it again.
pub const SANDBOX_LEFT_FILE: &str = "sandbox-left";

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SandboxMemo {
    url: String,
    port: u16,
    seed: u64,
}

/// The emulator the demo runs on, for one data folder. Dropping it stops the emulator.
pub struct DemoSandbox {
    data_dir: PathBuf,
    running: tokio::sync::Mutex<Option<RunningSandbox>>,
    /// The running emulator's address and admin token, readable without waiting for a start in
    /// progress.
    running_at: Mutex<Option<Arc<RunningAt>>>,
}

struct RunningAt {
    url: String,
    admin_token: String,
    /// The emulated Twilio account's WhatsApp Sandbox words ("join brave-otter").
    whatsapp_join: Option<String>,
}

/// What the emulator answered a simulated "join <code>" from a guest's WhatsApp.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SandboxJoin {
    /// The guest, in E.164.
    pub guest: String,
    pub joined: bool,
    /// Twilio's reply on WhatsApp, as the emulator gives it.
    pub reply: String,
}

impl std::fmt::Debug for DemoSandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoSandbox")
            .field("data_dir", &self.data_dir)
            .field("url", &self.url())
            .finish_non_exhaustive()
    }
}

fn sandbox_failure(message: String) -> CoreError {
    CoreError::Sandbox(message)
}

/// A seed for the emulator's credentials: they guard a loopback-only emulator, not real accounts.
fn fresh_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0x5eed, |elapsed| elapsed.as_nanos() as u64)
}

impl DemoAccounts {
    /// The accounts a running emulator was seeded with.
    pub fn of(sandbox: &RunningSandbox) -> Self {
        demo_accounts(sandbox)
    }
}

fn demo_accounts(sandbox: &RunningSandbox) -> DemoAccounts {
    let seed = sandbox.seed();
    DemoAccounts {
        url: sandbox.url().to_owned(),
        twilio_account_sid: seed.twilio.account_sid.clone(),
        twilio_auth_token: seed.twilio.auth_token.clone(),
        telnyx_api_key: seed.telnyx.api_key.clone(),
        telnyx_public_key: Some(seed.telnyx.public_key.clone()),
        elks_username: seed.elks.username.clone(),
        elks_password: seed.elks.password.clone(),
    }
}

async fn start_on(
    port: u16,
    seed: u64,
) -> Result<RunningSandbox, switchboard_sandbox::SandboxError> {
    switchboard_sandbox::start(SandboxConfig {
        port,
        seed: Some(seed),
        ..SandboxConfig::default()
    })
    .await
}

impl DemoSandbox {
    pub fn new(data_dir: &Path) -> Self {
        Self {
            data_dir: data_dir.to_owned(),
            running: tokio::sync::Mutex::new(None),
            running_at: Mutex::new(None),
        }
    }

    fn running_at(&self) -> Option<Arc<RunningAt>> {
        self.running_at
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The emulator's address while it runs.
    pub fn url(&self) -> Option<String> {
        self.running_at().map(|at| at.url.clone())
    }

    /// The token the emulator's admin API (`/_sandbox/…`) wants, while it runs: what the app
    /// (and its tests) use to steer the demo's emulator. It never leaves the process.
    pub fn admin_token(&self) -> Option<String> {
        self.running_at().map(|at| at.admin_token.clone())
    }

    /// The words that join the emulated account's WhatsApp Sandbox ("join brave-otter"), while
    /// the emulator runs.
    pub fn whatsapp_join_words(&self) -> Option<String> {
        self.running_at().and_then(|at| at.whatsapp_join.clone())
    }

    /// Plays the guest's part of Twilio's WhatsApp Sandbox in the demo: `guest` sends the join
    /// words to +1 415 523 8886, as a real guest does from WhatsApp, so a test send from the
    /// sandbox number can reach them. Only the demo's own emulator is ever asked.
    pub async fn whatsapp_join(&self, guest: &str) -> Result<SandboxJoin, CoreError> {
        let guest =
            crate::validate::e164(guest).map_err(|message| CoreError::field("to", message))?;
        let (Some(at), Some(words)) = (
            self.running_at(),
            self.running_at().and_then(|at| at.whatsapp_join.clone()),
        ) else {
            return Err(sandbox_failure(
                "The sandbox demo is not running: \"Try the sandbox\" starts it".into(),
            ));
        };
        let answer = reqwest::Client::new()
            .post(format!("{}/_sandbox/inbound", at.url))
            .bearer_auth(&at.admin_token)
            .json(&serde_json::json!({
                "to": format!("whatsapp:{}", crate::WHATSAPP_SANDBOX_NUMBER),
                "from": format!("whatsapp:{guest}"),
                "body": words,
            }))
            .send()
            .await
            .map_err(|error| sandbox_failure(format!("The sandbox did not answer: {error}")))?;
        if !answer.status().is_success() {
            return Err(sandbox_failure(format!(
                "The sandbox refused the join ({})",
                answer.status()
            )));
        }
        let body: serde_json::Value = answer.json().await.map_err(|error| {
            sandbox_failure(format!("The sandbox's answer was unreadable: {error}"))
        })?;
        Ok(SandboxJoin {
            guest,
            joined: body["joined"].as_bool().unwrap_or(false),
            reply: body["reply"].as_str().unwrap_or_default().to_owned(),
        })
    }

    /// Whether the user left the sandbox (see [`SANDBOX_LEFT_FILE`]).
    pub fn was_left(&self) -> bool {
        self.data_dir.join(SANDBOX_LEFT_FILE).exists()
    }

    fn memo(&self) -> Option<SandboxMemo> {
        let bytes = std::fs::read(self.data_dir.join(SANDBOX_MEMO_FILE)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    fn set_running_at(&self, sandbox: Option<&RunningSandbox>) {
        *self
            .running_at
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = sandbox.map(|sandbox| {
            Arc::new(RunningAt {
                url: sandbox.url().to_owned(),
                admin_token: sandbox.admin_token().to_owned(),
                whatsapp_join: sandbox
                    .seed()
                    .twilio
                    .whatsapp_sandbox
                    .as_ref()
                    .map(|info| info.join_code.clone()),
            })
        });
    }

    /// Starts the emulator (or returns the running one's accounts). After an earlier start it
    /// comes back with the same seed, on the same port when that port is free; otherwise on a
    /// new port, and the demo is moved there.
    async fn start(&self, core: &Switchboard) -> Result<DemoAccounts, CoreError> {
        let mut running = self.running.lock().await;
        if let Some(sandbox) = running.as_ref() {
            return Ok(demo_accounts(sandbox));
        }
        let remembered = self.memo();
        let seed = remembered
            .as_ref()
            .map_or_else(fresh_seed, |memo| memo.seed);
        let sandbox = match remembered {
            Some(memo) => match start_on(memo.port, seed).await {
                Ok(sandbox) => sandbox,
                Err(error) => {
                    tracing::warn!(%error, "the sandbox's last port is taken; moving it");
                    let sandbox = start_on(0, seed).await.map_err(|e| {
                        sandbox_failure(format!("The sandbox could not start: {e}"))
                    })?;
                    let new = sandbox.url().to_owned();
                    core.blocking(move |core| core.demo_rebase(&memo.url, &new))
                        .await?;
                    sandbox
                }
            },
            None => start_on(0, seed)
                .await
                .map_err(|e| sandbox_failure(format!("The sandbox could not start: {e}")))?,
        };
        let memo = SandboxMemo {
            url: sandbox.url().to_owned(),
            port: sandbox.addr().port(),
            seed,
        };
        if let Err(error) = serde_json::to_vec(&memo)
            .map_err(std::io::Error::other)
            .and_then(|bytes| std::fs::write(self.data_dir.join(SANDBOX_MEMO_FILE), bytes))
        {
            tracing::warn!(%error, "could not remember the sandbox's port");
        }
        tracing::info!(url = sandbox.url(), "sandbox running");
        self.set_running_at(Some(&sandbox));
        let accounts = demo_accounts(&sandbox);
        *running = Some(sandbox);
        Ok(accounts)
    }

    /// "Try the sandbox": starts the emulator and creates the demo organization, its connectors
    /// checked. Asking for it again after leaving is how the sandbox comes back.
    pub async fn try_demo(&self, core: &Switchboard) -> Result<SandboxDemo, CoreError> {
        if let Some(existing) = core.blocking(|core| core.demo_organization()).await? {
            return Err(CoreError::field(
                "name",
                format!(
                    "The organization '{}' exists already: open it instead",
                    existing.name
                ),
            ));
        }
        let left = self.data_dir.join(SANDBOX_LEFT_FILE);
        if left.exists()
            && let Err(error) = std::fs::remove_file(&left)
        {
            tracing::warn!(%error, "could not forget that the sandbox was left");
        }
        let accounts = self.start(core).await?;
        let sandbox_url = accounts.url.clone();
        let demo = core
            .blocking(move |core| core.demo_create(&accounts))
            .await?;
        let mut connectors = Vec::with_capacity(demo.connectors.len());
        for connector in demo.connectors {
            connectors.push(core.connector_check(&connector.id).await?);
        }
        Ok(SandboxDemo {
            organization: demo.organization,
            connectors,
            sandbox_url,
        })
    }

    /// With no connector anywhere, opens on the demo (`SWITCHBOARD_SANDBOX=auto`, what `make run`
    /// sets), unless the user left the sandbox. Returns whether it did.
    pub async fn open_if_empty(&self, core: &Switchboard) -> Result<bool, CoreError> {
        if self.was_left() {
            return Ok(false);
        }
        let empty = core
            .blocking(|core| Ok(core.connectors(None)?.is_empty()))
            .await?;
        if !empty {
            return Ok(false);
        }
        let demo = self.try_demo(core).await?;
        tracing::info!(url = %demo.sandbox_url, "no account configured: opened on the sandbox demo");
        Ok(true)
    }

    /// Brings the emulator back on launch when the user tried it before (and did not leave it).
    /// Returns whether it runs.
    pub async fn resume(&self, core: &Switchboard) -> Result<bool, CoreError> {
        if self.was_left() || self.memo().is_none() {
            return Ok(false);
        }
        self.start(core).await?;
        Ok(true)
    }

    /// "Leave the sandbox": removes the demo organization (its connectors, their keychain
    /// entries, agents, channels, audit entries), forgets the emulator and stops it. It does not
    /// start again by itself.
    pub async fn leave(&self, core: &Switchboard) -> Result<(), CoreError> {
        core.blocking(|core| core.demo_remove()).await?;
        let failed = |error: std::io::Error| {
            sandbox_failure(format!(
                "The demo was removed, but Switchboard could not note in {} that the sandbox was \
                 left ({error}); check that the folder is writable",
                self.data_dir.display()
            ))
        };
        std::fs::write(
            self.data_dir.join(SANDBOX_LEFT_FILE),
            "The user left the sandbox demo; \"Try the sandbox\" brings it back.\n",
        )
        .map_err(failed)?;
        match std::fs::remove_file(self.data_dir.join(SANDBOX_MEMO_FILE)) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                return Err(failed(error));
            }
            _ => {}
        }
        let stopped = self.running.lock().await.take();
        self.set_running_at(None);
        if let Some(sandbox) = stopped {
            sandbox.shutdown().await;
        }
        Ok(())
    }
}
