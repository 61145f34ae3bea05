//! The app on Tauri's mock runtime for the IPC tests: one window, the commands invoked as the UI
//! invokes them, and what the commands push over a `Channel` kept for the test to read.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::Value;
use switchboard_core::{
    MemorySecretStore, SecretError, SecretKey, SecretStore, Sensitive, Store, Switchboard,
};
use tauri::ipc::{CallbackFn, InvokeBody, InvokeResponseBody};
use tauri::test::{INVOKE_KEY, MockRuntime, mock_builder, mock_context, noop_assets};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

use crate::{AppState, Launch, app_builder};

/// The id the UI's `Channel` would have: pass `channel()` where a command takes one.
pub const CHANNEL: u32 = 4242;

/// `__CHANNEL__:<id>`, a `Channel` argument as it travels.
pub fn channel() -> String {
    format!("__CHANNEL__:{CHANNEL}")
}

/// What the channel delivered: (message index, message), in the order it arrived.
pub type Pushed = Arc<Mutex<Vec<(usize, Value)>>>;

pub struct TestApp {
    /// Kept alive for the window's sake.
    pub _app: App<MockRuntime>,
    pub window: WebviewWindow<MockRuntime>,
    pub pushed: Pushed,
}

impl TestApp {
    /// A core on an in-memory database and keychain; the data folder is `data_dir` (the demo's
    /// memo and the exports go there).
    pub fn in_memory(data_dir: &Path) -> (Self, Arc<MemorySecretStore>) {
        let secrets = Arc::new(MemorySecretStore::default());
        let core = Switchboard::new(Store::open_in_memory().unwrap(), secrets.clone());
        (
            Self::launch(Launch::State(AppState::with_core(core, data_dir))),
            secrets,
        )
    }

    /// The app as `launch` starts it; for a `Launch::Startup`, Tauri's setup runs first (it
    /// reads the environment's folders and keychain and brings the demo back).
    pub fn launch(launch: Launch) -> Self {
        Self::launch_on(mock_builder(), launch)
    }

    /// [`Self::launch`] on a builder of the test's (with a plugin registered, say).
    pub fn launch_on(builder: tauri::Builder<MockRuntime>, launch: Launch) -> Self {
        let pushed: Pushed = Arc::default();
        let log = pushed.clone();
        let mut app = app_builder(builder, launch)
            // Instead of evaluating JavaScript in a webview the mock runtime does not have.
            .channel_interceptor(move |_webview, callback, index, body| {
                if callback.0 == CHANNEL
                    && let InvokeResponseBody::Json(text) = body
                {
                    log.lock()
                        .unwrap()
                        .push((index, serde_json::from_str(text).unwrap()));
                }
                true
            })
            .build(mock_context(noop_assets()))
            .unwrap();
        // Tauri runs the setup hook when the event loop starts; on the mock runtime one
        // iteration does exactly that and nothing else.
        #[allow(deprecated)]
        app.run_iteration(|_, _| {});
        let window = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap();
        Self {
            _app: app,
            window,
            pushed,
        }
    }

    /// Invokes `cmd` with `body` as the UI does; the command's answer or its error.
    pub fn invoke(&self, cmd: &str, body: Value) -> Result<Value, Value> {
        invoke(&self.window, cmd, body)
    }

    /// The messages pushed so far, without their indexes.
    pub fn pushed(&self) -> Vec<Value> {
        self.pushed
            .lock()
            .unwrap()
            .iter()
            .map(|(_, message)| message.clone())
            .collect()
    }
}

pub fn invoke(window: &WebviewWindow<MockRuntime>, cmd: &str, body: Value) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: InvokeBody::Json(body),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    tauri::test::get_ipc_response(window, request).map(|body| body.deserialize::<Value>().unwrap())
}

/// A keychain in memory that counts its writes and keeps every secret ever stored in it (what
/// a secret scan looks for).
#[derive(Default)]
pub struct WatchedSecrets {
    inner: MemorySecretStore,
    pub writes: AtomicUsize,
    stored: Mutex<Vec<String>>,
}

impl WatchedSecrets {
    /// Every value ever stored.
    pub fn stored(&self) -> Vec<String> {
        self.stored.lock().unwrap().clone()
    }
}

impl SecretStore for WatchedSecrets {
    fn set(&self, key: &SecretKey, value: &Sensitive<String>) -> Result<(), SecretError> {
        self.writes.fetch_add(1, Ordering::SeqCst);
        self.stored.lock().unwrap().push(value.expose().clone());
        self.inner.set(key, value)
    }

    fn get(&self, key: &SecretKey) -> Result<Option<Sensitive<String>>, SecretError> {
        self.inner.get(key)
    }

    fn delete(&self, key: &SecretKey) -> Result<(), SecretError> {
        self.writes.fetch_add(1, Ordering::SeqCst);
        self.inner.delete(key)
    }
}
