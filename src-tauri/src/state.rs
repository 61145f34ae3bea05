//! What the shell holds: the core, or why it could not start (shown by the UI, not a crash), and
//! a handle on the demo's emulator. What the demo does lives in core ([`DemoSandbox`]).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use switchboard_core::{
    Connector, CoreError, DemoSandbox, KeyringSecretStore, SecretStore, Switchboard,
};

use crate::error::CommandError;

/// `make run` sets this to `auto`: with no connector anywhere, the app opens on the sandbox demo.
pub const SANDBOX_ENV: &str = "SWITCHBOARD_SANDBOX";

/// Which keychain the core uses.
#[derive(Clone)]
pub enum Keychain {
    /// The OS keychain, its service name namespaced as core reads it from the environment.
    System { namespace: Option<String> },
    /// A given store (tests).
    Given(Arc<dyn SecretStore>),
}

impl std::fmt::Debug for Keychain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::System { namespace } => f
                .debug_struct("System")
                .field("namespace", namespace)
                .finish(),
            Self::Given(_) => f.write_str("Given"),
        }
    }
}

/// What the app starts from: everything it reads from the environment, read in one place.
#[derive(Debug, Clone)]
pub struct Startup {
    /// `None`: this system names no folder for application data.
    pub data_dir: Option<PathBuf>,
    pub keychain: Keychain,
    /// `SWITCHBOARD_SANDBOX=auto`.
    pub sandbox_auto: bool,
    /// Where exports are saved (`SWITCHBOARD_DOWNLOAD_DIR`, else the Downloads folder).
    pub download_dir: Option<PathBuf>,
    /// `SWITCHBOARD_UPDATES=off`: no update check at all (tests, CI).
    pub updates_off: bool,
}

impl Startup {
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// The startup an environment holding `lookup`'s variables asks for.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let data_dir = match lookup(switchboard_core::paths::DATA_DIR_ENV).filter(|v| !v.is_empty())
        {
            Some(dir) => Some(PathBuf::from(dir)),
            // The same folder the CLI uses (what Tauri's app_data_dir names too).
            None => switchboard_core::paths::os_data_dir(),
        };
        let download_dir = data_dir
            .as_deref()
            .map(|dir| switchboard_core::paths::download_dir(&lookup, dir));
        Self {
            data_dir,
            download_dir,
            keychain: Keychain::System {
                namespace: lookup(switchboard_core::KEYRING_NAMESPACE_ENV)
                    .filter(|v| !v.is_empty()),
            },
            sandbox_auto: lookup(SANDBOX_ENV).as_deref() == Some("auto"),
            updates_off: switchboard_core::settings::updates_disabled_by_env(&lookup),
        }
    }

    /// Opens the core (or notes why it cannot), brings the demo back when it ran before, and
    /// opens on it when asked to and nothing is configured.
    pub fn launch(self) -> AppState {
        let state = match &self.data_dir {
            Some(dir) => {
                let secrets: Arc<dyn SecretStore> = match self.keychain {
                    Keychain::System { namespace } => {
                        Arc::new(KeyringSecretStore::with_namespace(namespace.as_deref()))
                    }
                    Keychain::Given(store) => store,
                };
                let state = AppState::open(dir, secrets);
                match self.download_dir {
                    Some(saves) => state.saving_to(saves),
                    None => state,
                }
            }
            None => AppState::unavailable(CommandError::not_ready(format!(
                "This system names no folder for application data. Set {} to a folder \
                 Switchboard may write to, then start it again.",
                switchboard_core::paths::DATA_DIR_ENV
            ))),
        };
        let mut state = state;
        state.updates_off = self.updates_off;
        state.resume_sandbox();
        if self.sandbox_auto {
            state.open_on_sandbox_if_empty();
        }
        state
    }
}

pub struct AppState {
    core: Result<Switchboard, CommandError>,
    data_dir: PathBuf,
    /// Where exports are saved; `exports` in the data folder unless the startup names another.
    download_dir: PathBuf,
    demo: DemoSandbox,
    /// `SWITCHBOARD_UPDATES=off`.
    updates_off: bool,
    /// The app's log file (tauri-plugin-log), whose tail goes into support bundles.
    log_file: Option<PathBuf>,
}

impl AppState {
    pub fn open(data_dir: &Path, secrets: Arc<dyn SecretStore>) -> Self {
        let core = Switchboard::open_with_secrets(data_dir, secrets).map_err(CommandError::from);
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
        Self::new(Ok(core), data_dir)
    }

    fn new(core: Result<Switchboard, CommandError>, data_dir: &Path) -> Self {
        Self {
            core,
            data_dir: data_dir.to_owned(),
            download_dir: data_dir.join("exports"),
            demo: DemoSandbox::new(data_dir),
            updates_off: false,
            log_file: None,
        }
    }

    /// Whether `SWITCHBOARD_UPDATES=off` turned every update check off.
    pub fn updates_disabled_by_env(&self) -> bool {
        self.updates_off
    }

    /// The same state, knowing where the app's log file is.
    pub fn with_log_file(mut self, path: PathBuf) -> Self {
        self.log_file = Some(path);
        self
    }

    pub fn log_file(&self) -> Option<&Path> {
        self.log_file.as_deref()
    }

    /// The same state, saving exports into `dir`.
    pub fn saving_to(mut self, dir: PathBuf) -> Self {
        self.download_dir = dir;
        self
    }

    pub fn data_dir(&self) -> String {
        self.data_dir.display().to_string()
    }

    /// Saves `bytes` as a new file named `name` in the exports folder (never overwriting one),
    /// off the async threads.
    pub async fn save_export(
        &self,
        name: String,
        bytes: Vec<u8>,
        records: Option<u32>,
    ) -> Result<switchboard_core::paths::SavedFile, CommandError> {
        let dir = self.download_dir.clone();
        let size = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
        let saved = tauri::async_runtime::spawn_blocking(move || {
            switchboard_core::paths::save_new_file(&dir, &name, &bytes).map_err(|error| {
                CommandError::failed(format!(
                    "Could not save into {}: {error}. Check that the folder is writable, or set \
                     {} to another folder.",
                    dir.display(),
                    switchboard_core::paths::DOWNLOAD_DIR_ENV
                ))
            })
        })
        .await
        .map_err(|error| CommandError::failed(format!("Saving stopped: {error}")))??;
        Ok(switchboard_core::paths::SavedFile {
            path: saved.display().to_string(),
            bytes: size,
            records,
        })
    }

    /// Where exports are saved.
    pub fn download_dir(&self) -> &Path {
        &self.download_dir
    }

    pub fn startup_error(&self) -> Option<CommandError> {
        self.core.as_ref().err().cloned()
    }

    /// The demo's emulator.
    pub fn demo(&self) -> &DemoSandbox {
        &self.demo
    }

    /// The in-process sandbox's address, while it runs.
    pub fn sandbox_url(&self) -> Option<String> {
        self.demo.url()
    }

    /// The core (a cheap handle), or why the app could not start it.
    pub fn core(&self) -> Result<Switchboard, CommandError> {
        self.core.clone()
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

    pub async fn check(&self, id: String) -> Result<Connector, CommandError> {
        Ok(self.core()?.connector_check(&id).await?)
    }

    /// A synchronous core call, through core's one way off the async threads.
    pub async fn run<T, F>(&self, call: F) -> Result<T, CommandError>
    where
        T: Send + 'static,
        F: FnOnce(&Switchboard) -> Result<T, CoreError> + Send + 'static,
    {
        Ok(self.core()?.blocking(call).await?)
    }

    /// With no connector anywhere, opens on the sandbox demo (unless the user left it). Returns
    /// whether it did.
    pub fn open_on_sandbox_if_empty(&self) -> bool {
        let Ok(core) = self.core() else {
            return false;
        };
        match tauri::async_runtime::block_on(self.demo.open_if_empty(&core)) {
            Ok(opened) => opened,
            Err(error) => {
                tracing::warn!(%error, "could not open the sandbox demo");
                false
            }
        }
    }

    /// Brings the sandbox back on launch when the user tried it before (and did not leave it).
    pub fn resume_sandbox(&self) {
        let Ok(core) = self.core() else {
            return;
        };
        if let Err(error) = tauri::async_runtime::block_on(self.demo.resume(&core)) {
            tracing::warn!(%error, "could not restart the sandbox");
        }
    }
}
