//! What every CLI test file needs: the `switchboard` binary run in its own data folder and
//! keychain namespace, optionally beside a sandbox started in-process.

#![allow(dead_code)] // each test file uses its own part of this
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use switchboard_sandbox::{RunningSandbox, SandboxConfig};

pub struct Cli {
    pub data_dir: tempfile::TempDir,
    pub namespace: String,
    pub runtime: tokio::runtime::Runtime,
    sandbox: Option<RunningSandbox>,
}

impl Drop for Cli {
    fn drop(&mut self) {
        if let Some(sandbox) = self.sandbox.take() {
            self.runtime.block_on(sandbox.shutdown());
        }
    }
}

impl Cli {
    /// A fresh data folder and keychain namespace (`cli-{suite}-{pid}-{test}`), and a sandbox
    /// started with `config` (or none).
    pub fn start(suite: &str, test: &str, config: Option<SandboxConfig>) -> Self {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let sandbox = config.map(|config| {
            runtime
                .block_on(switchboard_sandbox::start(config))
                .unwrap()
        });
        Self {
            data_dir: tempfile::tempdir().unwrap(),
            namespace: format!("cli-{suite}-{}-{test}", std::process::id()),
            runtime,
            sandbox,
        }
    }

    pub fn sandbox(&self) -> &RunningSandbox {
        self.sandbox.as_ref().unwrap()
    }

    /// Stops the sandbox: from now on the provider cannot be reached.
    pub fn stop_sandbox(&mut self) {
        if let Some(sandbox) = self.sandbox.take() {
            self.runtime.block_on(sandbox.shutdown());
        }
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_switchboard"));
        command
            .args(args)
            .env("SWITCHBOARD_DATA_DIR", self.data_dir.path())
            .env("SWITCHBOARD_KEYRING_NAMESPACE", &self.namespace)
            .env_remove("SWITCHBOARD_SECRET");
        command
    }

    pub fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).stdin(Stdio::null()).output().unwrap()
    }

    pub fn json(&self, args: &[&str]) -> Value {
        let output = self.run(args);
        assert!(
            output.status.success(),
            "{args:?}: {}",
            text(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).unwrap()
    }

    /// Whether `needle` stands anywhere in the database files (with the WAL).
    pub fn database_contains(&self, needle: &str) -> bool {
        ["", "-wal", "-shm"].iter().any(|suffix| {
            let path = self.data_dir.path().join(format!("switchboard.db{suffix}"));
            std::fs::read(path).is_ok_and(|bytes| {
                bytes
                    .windows(needle.len())
                    .any(|window| window == needle.as_bytes())
            })
        })
    }
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The E.164 of each number in a `numbers list --json` answer (or a page of it), in its order.
pub fn e164s(list: &Value) -> Vec<String> {
    list["numbers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["e164"].as_str().unwrap().to_owned())
        .collect()
}
