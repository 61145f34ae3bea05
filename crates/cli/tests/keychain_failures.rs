//! The keychain failing under the CLI, against a real Secret Service (gnome-keyring on a private
//! D-Bus of this test's own): stopped, its collection locked, or refusing to write. Creating,
//! editing, checking and removing a connector each give a clear message naming the keychain,
//! and SQLite and the keychain stay consistent: no connector row without its secret, no secret
//! without its row, nothing half-changed.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::{Cli, text};

const PASSWORD: &str = "switchboard-test";
const COLLECTION: &str = "/org/freedesktop/secrets/collection/login";

/// A session bus with no service files (so nothing is started behind the test's back when the
/// keyring is down) and a gnome-keyring on it, both children of this test, stopped by PID.
struct Keychain {
    dir: tempfile::TempDir,
    bus: Child,
    address: String,
    daemon: Option<Child>,
}

impl Keychain {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["data", "runtime", "bus"] {
            std::fs::create_dir(dir.path().join(sub)).unwrap();
        }
        set_mode(&dir.path().join("runtime"), 0o700);
        let config = dir.path().join("bus.conf");
        std::fs::write(
            &config,
            format!(
                r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#,
                dir.path().join("bus").display()
            ),
        )
        .unwrap();
        let mut bus = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon (package dbus) must be installed for this test");
        let mut address = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(bus.stdout.take().unwrap()),
            &mut address,
        )
        .unwrap();
        let mut keychain = Self {
            dir,
            bus,
            address: address.trim().to_owned(),
            daemon: None,
        };
        keychain.start_daemon();
        keychain
    }

    fn env(&self, command: &mut Command) {
        command
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("XDG_RUNTIME_DIR", self.dir.path().join("runtime"));
    }

    fn tool(&self, program: &str, args: &[&str]) -> Output {
        let mut command = Command::new(program);
        command.args(args).stdin(Stdio::null());
        self.env(&mut command);
        command.output().unwrap()
    }

    /// Starts gnome-keyring (unlocking the login collection with the password) and waits until
    /// it answers on the bus.
    fn start_daemon(&mut self) {
        let mut command = Command::new("gnome-keyring-daemon");
        command
            .args(["--foreground", "--unlock", "--components=secrets"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        self.env(&mut command);
        let mut daemon = command
            .spawn()
            .expect("gnome-keyring-daemon (package gnome-keyring) must be installed");
        let mut stdin = daemon.stdin.take().unwrap();
        stdin.write_all(PASSWORD.as_bytes()).unwrap();
        drop(stdin);
        self.daemon = Some(daemon);
        let until = Instant::now() + Duration::from_secs(10);
        while !self.collection_unlocked() {
            assert!(Instant::now() < until, "gnome-keyring did not come up");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn collection_unlocked(&self) -> bool {
        let output = self.tool(
            "gdbus",
            &[
                "call",
                "--session",
                "--dest",
                "org.freedesktop.secrets",
                "--object-path",
                COLLECTION,
                "--method",
                "org.freedesktop.DBus.Properties.Get",
                "org.freedesktop.Secret.Collection",
                "Locked",
            ],
        );
        output.status.success() && text(&output.stdout).contains("false")
    }

    /// Stops the Secret Service (SIGKILL to our own daemon): the keychain is unreachable.
    fn stop_daemon(&mut self) {
        if let Some(mut daemon) = self.daemon.take() {
            daemon.kill().unwrap();
            daemon.wait().unwrap();
        }
    }

    /// Locks the login collection, as the desktop does on screen lock or after a timeout.
    fn lock(&self) {
        let output = self.tool(
            "gdbus",
            &[
                "call",
                "--session",
                "--dest",
                "org.freedesktop.secrets",
                "--object-path",
                "/org/freedesktop/secrets",
                "--method",
                "org.freedesktop.Secret.Service.Lock",
                &format!("['{COLLECTION}']"),
            ],
        );
        assert!(output.status.success(), "{}", text(&output.stderr));
        assert!(!self.collection_unlocked());
    }

    /// Unlocks again: a fresh daemon unlocks the collection with the password.
    fn unlock(&mut self) {
        self.stop_daemon();
        self.start_daemon();
    }

    fn keyrings(&self) -> PathBuf {
        self.dir.path().join("data").join("keyrings")
    }

    /// Makes the keyring files unwritable, so the daemon refuses to store (or remove) anything.
    /// Root ignores file modes, so it makes the folder immutable instead.
    fn refuse_writes(&self) -> WritesRefused {
        let dir = self.keyrings();
        set_mode(&dir, 0o500);
        let immutable = is_root()
            && Command::new("chattr")
                .arg("+i")
                .arg(&dir)
                .status()
                .is_ok_and(|s| s.success());
        WritesRefused { dir, immutable }
    }

    /// Every entry stored under `service`, as (username, secret).
    fn entries(&self, service: &str) -> Vec<(String, String)> {
        let output = self.tool(
            "secret-tool",
            &["search", "--all", "--unlock", "service", service],
        );
        // secret-tool prints each item's secret on stdout and its attributes on stderr, in
        // the same order.
        let secrets = text(&output.stdout);
        let secrets = secrets.lines().filter_map(|l| l.strip_prefix("secret = "));
        let attributes = text(&output.stderr);
        let users = attributes
            .lines()
            .filter_map(|l| l.strip_prefix("attribute.username = "));
        let mut entries: Vec<(String, String)> = users
            .zip(secrets)
            .map(|(u, s)| (u.to_owned(), s.to_owned()))
            .collect();
        entries.sort();
        entries
    }
}

impl Drop for Keychain {
    fn drop(&mut self) {
        self.stop_daemon();
        let _ = self.bus.kill();
        let _ = self.bus.wait();
    }
}

struct WritesRefused {
    dir: PathBuf,
    immutable: bool,
}

impl Drop for WritesRefused {
    fn drop(&mut self) {
        if self.immutable {
            let _ = Command::new("chattr").arg("-i").arg(&self.dir).status();
        }
        set_mode(&self.dir, 0o700);
    }
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| text(&o.stdout).trim() == "0")
}

struct World {
    cli: Cli,
    keychain: Keychain,
    service: String,
}

impl World {
    fn new(test: &str) -> Self {
        let cli = Cli::start(
            "keychain-failures",
            test,
            Some(switchboard_sandbox::SandboxConfig::default()),
        );
        let service = format!("{}.{}", switchboard_core::APP_IDENTIFIER, cli.namespace);
        Self {
            cli,
            keychain: Keychain::start(),
            service,
        }
    }

    fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut command = self.cli.command(args);
        self.keychain.env(&mut command);
        command
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().unwrap();
        if let Some(input) = stdin {
            child
                .stdin
                .take()
                .unwrap()
                .write_all(input.as_bytes())
                .unwrap();
        }
        // A keychain waiting on a prompt nobody can answer must fail the test, not hang it.
        let until = Instant::now() + Duration::from_secs(60);
        while child.try_wait().unwrap().is_none() {
            if Instant::now() > until {
                child.kill().unwrap();
                panic!("{args:?} hung for a minute");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        child.wait_with_output().unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        let output = self.run(args, None);
        assert!(
            output.status.success(),
            "{args:?}: {}",
            text(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).unwrap()
    }

    fn add(&self, name: &str) -> Output {
        let seed = self.cli.sandbox().seed().twilio.clone();
        let base = self.cli.sandbox().twilio_base();
        #[rustfmt::skip]
        let args = [
            "--json", "connector", "add", "--org", "Grand Hotel", "--kind", "sms",
            "--provider", "twilio", "--name", name, "--account-sid", &seed.account_sid,
            "--from", "+14155550101", "--base-url", &base, "--secret-stdin",
        ];
        self.run(&args, Some(&format!("{}\n", seed.auth_token)))
    }

    fn connectors(&self) -> Vec<Value> {
        self.json(&["--json", "connector", "list"])
            .as_array()
            .unwrap()
            .clone()
    }

    /// A connector saved and checked while the keychain works.
    fn healthy_connector(&self) -> String {
        self.json(&["--json", "org", "add", "Grand Hotel"]);
        let added = self.add("Front desk");
        assert!(added.status.success(), "{}", text(&added.stderr));
        let connector: Value = serde_json::from_slice(&added.stdout).unwrap();
        assert_eq!(connector["state"], "active", "{connector}");
        connector["id"].as_str().unwrap().to_owned()
    }

    /// Create, edit (with a new secret), check and remove while the keychain fails: each is
    /// refused with a message naming the keychain, and nothing changes.
    fn every_operation_fails_cleanly(&self, id: &str, what: &str) {
        let token = self.cli.sandbox().seed().twilio.auth_token.clone();
        let before = self.connectors();
        let entries = self.keychain_entries_or_none();

        let added = self.add("Night desk");
        expect_keychain_failure(&added, &format!("{what}: connector add"));
        let edited = self.run(
            &[
                "--json",
                "connector",
                "edit",
                id,
                "--name",
                "Renamed",
                "--secret-stdin",
            ],
            Some("a-new-token-0123456789abcdef0123\n"),
        );
        expect_keychain_failure(&edited, &format!("{what}: connector edit"));
        let checked = self.run(&["--json", "connector", "check", id], None);
        expect_keychain_failure(&checked, &format!("{what}: connector check"));
        let removed = self.run(&["--json", "connector", "remove", id], None);
        expect_keychain_failure(&removed, &format!("{what}: connector remove"));

        // SQLite: the same connectors as before, unchanged (no half-saved row, no rename, no
        // state flipped by a check that never ran).
        assert_eq!(self.connectors(), before, "{what}: the database changed");
        if let Some(entries) = entries {
            assert_eq!(self.keychain.entries(&self.service), entries, "{what}");
        }
        assert!(
            !self.cli.database_contains(&token),
            "{what}: a secret in SQLite"
        );
    }

    /// The namespace's entries when the keychain can be read now.
    fn keychain_entries_or_none(&self) -> Option<Vec<(String, String)>> {
        self.keychain
            .collection_unlocked()
            .then(|| self.keychain.entries(&self.service))
    }

    /// Once the keychain works again: exactly the one connector's entry, with its first secret,
    /// and the connector checks, edits and is removed with its entry.
    fn consistent_after_recovery(&self, id: &str) {
        let token = self.cli.sandbox().seed().twilio.auth_token.clone();
        assert_eq!(
            self.keychain.entries(&self.service),
            [(format!("connector/{id}"), token)],
            "the keychain holds the connector's first secret and nothing else"
        );
        let checked = self.json(&["--json", "connector", "check", id]);
        assert_eq!(checked["state"], "active", "{checked}");
        let removed = self.run(&["--json", "connector", "remove", id], None);
        assert!(removed.status.success(), "{}", text(&removed.stderr));
        assert!(self.connectors().is_empty());
        assert!(self.keychain.entries(&self.service).is_empty());
    }
}

fn expect_keychain_failure(output: &Output, what: &str) {
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{what}: {stderr}");
    assert!(
        stderr.contains("keychain"),
        "{what} names the keychain: {stderr}"
    );
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "{what}: {stderr}"
    );
}

#[test]
fn an_unreachable_keychain_refuses_every_connector_change_and_keeps_both_stores_in_step() {
    let mut w = World::new("stopped");
    let id = w.healthy_connector();
    w.keychain.stop_daemon();
    w.every_operation_fails_cleanly(&id, "keychain stopped");
    let added = w.add("Night desk");
    let stderr = text(&added.stderr);
    assert!(
        stderr.contains("No system keychain is available") && stderr.contains("gnome-keyring"),
        "says what to start: {stderr}"
    );
    w.keychain.start_daemon();
    w.consistent_after_recovery(&id);
}

#[test]
fn a_locked_keychain_refuses_every_connector_change_and_keeps_both_stores_in_step() {
    let mut w = World::new("locked");
    let id = w.healthy_connector();
    w.keychain.lock();
    w.every_operation_fails_cleanly(&id, "keychain locked");
    let added = w.add("Night desk");
    let stderr = text(&added.stderr);
    assert!(
        stderr.contains("locked") || stderr.contains("unlock"),
        "{stderr}"
    );
    w.keychain.unlock();
    w.consistent_after_recovery(&id);
}

#[test]
fn a_keychain_refusing_writes_leaves_no_half_saved_connector() {
    let w = World::new("refused");
    let id = w.healthy_connector();
    {
        let _refused = w.keychain.refuse_writes();
        let token = w.cli.sandbox().seed().twilio.auth_token.clone();
        let before = w.connectors();
        // Reading still works: a check runs as usual.
        let checked = w.json(&["--json", "connector", "check", &id]);
        assert_eq!(checked["state"], "active", "{checked}");
        let added = w.add("Night desk");
        expect_keychain_failure(&added, "write refused: connector add");
        let edited = w.run(
            &[
                "--json",
                "connector",
                "edit",
                &id,
                "--name",
                "Renamed",
                "--secret-stdin",
            ],
            Some("a-new-token-0123456789abcdef0123\n"),
        );
        expect_keychain_failure(&edited, "write refused: connector edit");
        let removed = w.run(&["--json", "connector", "remove", &id], None);
        expect_keychain_failure(&removed, "write refused: connector remove");
        let after: Vec<Value> = w
            .connectors()
            .into_iter()
            .map(|mut c| {
                // The check above moved its time; everything else must be as it was.
                c["checkedAt"] = before[0]["checkedAt"].clone();
                c
            })
            .collect();
        assert_eq!(after, before, "the database changed");
        assert_eq!(
            w.keychain.entries(&w.service),
            [(format!("connector/{id}"), token)]
        );
    }
    w.consistent_after_recovery(&id);
}
