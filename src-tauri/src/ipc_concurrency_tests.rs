//! The app beside other processes on one data folder: a bulk job another process (the CLI) runs
//! on a connector refuses the app's, and the app's commands and `switchboard` processes writing
//! at once for a minute lose nothing and never meet "database is locked".

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use switchboard_core::{KeyringSecretStore, MemorySecretStore, Switchboard, paths};

use crate::ipc_support::{TestApp, channel};
use crate::{AppState, Launch};

/// The app on a database file in `dir` (as it runs for real), not in memory.
fn app_on(dir: &Path, core: Switchboard) -> TestApp {
    TestApp::launch(Launch::State(AppState::with_core(core, dir)))
}

/// The demo's Twilio SMS connector (its numbers fetched): its id, name and numbers.
fn demo_sms(app: &TestApp) -> (String, String, Vec<String>) {
    let demo = app.invoke("sandbox_try", json!({})).unwrap();
    let connector = demo["connectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "sms" && c["settings"]["provider"] == "twilio")
        .unwrap()
        .clone();
    let sms = connector["id"].as_str().unwrap().to_owned();
    let name = connector["name"].as_str().unwrap().to_owned();
    let refreshed = app
        .invoke("numbers_refresh", json!({ "connectorId": sms }))
        .unwrap();
    let list = app
        .invoke(
            "numbers_page",
            json!({ "connectorId": sms, "offset": 0, "limit": 1000 }),
        )
        .unwrap();
    assert_eq!(list["total"], refreshed["total"]);
    let numbers = list["numbers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["e164"].as_str().unwrap().to_owned())
        .collect();
    (sms, name, numbers)
}

#[test]
fn a_bulk_job_while_another_process_runs_one_on_the_connector_is_refused_with_job_running() {
    let dir = tempfile::tempdir().unwrap();
    let core =
        Switchboard::open_with_secrets(dir.path(), Arc::new(MemorySecretStore::default())).unwrap();
    let app = app_on(dir.path(), core);
    let (sms, name, numbers) = demo_sms(&app);
    let chosen = &numbers[..2];
    app.invoke(
        "numbers_set_active",
        json!({ "connectorId": sms, "numbers": chosen, "active": true }),
    )
    .unwrap();

    // Another process (the CLI) running a job on the connector holds its lock file: its own
    // open file, locked, is exactly what that process has.
    let path = paths::job_lock_file(dir.path(), &sms);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let other = std::fs::File::create(&path).unwrap();
    other.try_lock().unwrap();

    let set = json!({ "connectorId": sms, "numbers": chosen, "onProgress": channel() });
    let error = app.invoke("webhook_set", set.clone()).unwrap_err();
    assert_eq!(error["code"], "job_running", "{error}");
    assert_eq!(error["fields"], json!([]));
    assert_eq!(error["provider"], Value::Null);
    let message = error["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("already running on '{name}'")),
        "{message}"
    );
    assert!(
        message.contains("another Switchboard window or the CLI"),
        "{message}"
    );
    assert!(
        app.pushed().is_empty(),
        "nothing started: {:?}",
        app.pushed()
    );
    let jobs = app
        .invoke("webhook_jobs", json!({ "connectorId": sms }))
        .unwrap();
    assert_eq!(jobs, json!([]), "nothing journaled");

    // Once the other job ended, the app's runs; a rollback while the other holds it again is
    // refused the same way.
    other.unlock().unwrap();
    let job = app.invoke("webhook_set", set).unwrap();
    assert_eq!(job["state"], "finished", "{job}");
    other.try_lock().unwrap();
    let error = app
        .invoke(
            "webhook_rollback",
            json!({ "jobId": job["id"], "onProgress": channel() }),
        )
        .unwrap_err();
    assert_eq!(error["code"], "job_running", "{error}");
    drop(other);
    let rollback = app
        .invoke(
            "webhook_rollback",
            json!({ "jobId": job["id"], "onProgress": channel() }),
        )
        .unwrap();
    assert_eq!(rollback["state"], "finished", "{rollback}");
}

/// The `switchboard` binary: `$SWITCHBOARD_CLI`, else the one cargo built beside this test
/// (`cargo test --workspace` builds it for the CLI's own tests).
fn cli_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("SWITCHBOARD_CLI").filter(|v| !v.is_empty()) {
        return PathBuf::from(path);
    }
    // target/<profile>/deps/switchboard_app-… → target/<profile>/switchboard
    let exe = std::env::current_exe().unwrap();
    let path = exe
        .parent()
        .and_then(Path::parent)
        .unwrap()
        .join(format!("switchboard{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.exists(),
        "no CLI at {}: build it first (cargo build -p switchboard-cli) or set SWITCHBOARD_CLI",
        path.display()
    );
    path
}

/// How long the writers write: `SWITCHBOARD_WRITERS_SECONDS`, else a minute.
fn writing_time() -> Duration {
    let seconds = std::env::var("SWITCHBOARD_WRITERS_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    Duration::from_secs(seconds)
}

/// CLI processes writing at once (each its own thread, one process after the other).
const CLI_WRITERS: usize = 3;
const SECRET: &str = "tw-auth-token-0123456789abcdef00";

/// What one writer saw: names it created (organizations, agents, connectors), the last state
/// of the numbers it owns, how many writes succeeded, and every failure.
#[derive(Default)]
struct Written {
    orgs: Vec<String>,
    agents: Vec<String>,
    connectors: Vec<String>,
    active: BTreeMap<String, bool>,
    writes: usize,
    failures: Vec<String>,
}

/// A connector draft whose check fails at once (port 9 refuses) — saved in state Error, its
/// secret in the keychain.
fn sms_draft(org_id: &str, name: &str) -> Value {
    json!({
        "orgId": org_id,
        "kind": "sms",
        "name": name,
        "settings": {
            "provider": "twilio",
            "accountSid": "AC0123456789abcdef0123456789abcdef",
            "from": "+46 70 123 45 67",
            "baseUrl": "http://127.0.0.1:9"
        },
        "recipients": [],
        "receiveInbound": true,
        "secret": SECRET
    })
}

/// The app's command layer writing until `until`: organizations, agents, connectors (with a
/// keychain entry) and the activation of its own numbers, in turn.
fn app_writes(app: &TestApp, org_id: &str, sms: &str, own: &[String], until: Instant) -> Written {
    let mut written = Written::default();
    let mut round = 0usize;
    while Instant::now() < until {
        let name = format!("app {round}");
        let result = match round % 4 {
            0 => app
                .invoke(
                    "org_create",
                    json!({ "draft": { "name": format!("{name} org") } }),
                )
                .map(|_| written.orgs.push(format!("{name} org"))),
            1 => app
                .invoke(
                    "agent_create",
                    json!({ "draft": { "orgId": org_id, "name": name } }),
                )
                .map(|_| written.agents.push(name)),
            2 => app
                .invoke(
                    "connector_create",
                    json!({ "draft": sms_draft(org_id, &name) }),
                )
                .map(|_| written.connectors.push(name)),
            _ => {
                let number = &own[round / 4 % own.len()];
                let active = !written.active.get(number).copied().unwrap_or(false);
                app.invoke(
                    "numbers_set_active",
                    json!({ "connectorId": sms, "numbers": [number], "active": active }),
                )
                .map(|_| {
                    written.active.insert(number.clone(), active);
                })
            }
        };
        match result {
            Ok(()) => written.writes += 1,
            Err(error) => written.failures.push(format!("app: {error}")),
        }
        round += 1;
    }
    written
}

/// One thread running `switchboard` processes one after the other until `until`, the same mix
/// as the app, on its own number.
fn cli_writes(
    cli: &Path,
    data_dir: &Path,
    namespace: &str,
    writer: usize,
    sms: &str,
    own: &str,
    until: Instant,
) -> Written {
    let mut written = Written::default();
    let mut round = 0usize;
    while Instant::now() < until {
        let name = format!("cli{writer} {round}");
        let org = format!("{name} org");
        let toggle = !written.active.get(own).copied().unwrap_or(false);
        #[rustfmt::skip]
        let args: Vec<&str> = match round % 4 {
            0 => vec!["org", "add", &org],
            1 => vec!["agent", "add", "--org", "Writers", &name],
            2 => vec![
                "connector", "add", "--org", "Writers", "--kind", "sms", "--provider", "twilio",
                "--name", &name, "--account-sid", "AC0123456789abcdef0123456789abcdef",
                "--from", "+46 70 123 45 67", "--base-url", "http://127.0.0.1:9", "--secret-stdin",
            ],
            _ if toggle => vec!["numbers", "activate", sms, own],
            _ => vec!["numbers", "deactivate", sms, own],
        };
        let mut child = Command::new(cli)
            .args(&args)
            .env(paths::DATA_DIR_ENV, data_dir)
            .env("SWITCHBOARD_KEYRING_NAMESPACE", namespace)
            .env_remove("SWITCHBOARD_SECRET")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        {
            use std::io::Write as _;
            let mut stdin = child.stdin.take().unwrap();
            let _ = writeln!(stdin, "{SECRET}");
        }
        let output = child.wait_with_output().unwrap();
        if output.status.success() {
            written.writes += 1;
            match round % 4 {
                0 => written.orgs.push(org),
                1 => written.agents.push(name),
                2 => written.connectors.push(name),
                _ => {
                    written.active.insert(own.to_owned(), toggle);
                }
            }
        } else {
            written.failures.push(format!(
                "{args:?}: {}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        round += 1;
    }
    written
}

/// Issue 12 §3: the app (its command layer, here in this process) and `switchboard` processes
/// write one data folder at once for a minute — organizations, agents, connectors with keychain
/// entries, number activations. No write fails (no "database is locked", no busy), every write
/// that reported success is there, and nothing else.
#[test]
#[ignore = "a minute long, needs the CLI built and a keychain: make test runs it"]
fn the_app_and_cli_processes_write_one_data_folder_for_a_minute_and_lose_nothing() {
    let cli = cli_binary();
    let dir = tempfile::tempdir().unwrap();
    let namespace = format!("app-writers-{}", std::process::id());
    let core = Switchboard::open_with_secrets(
        dir.path(),
        Arc::new(KeyringSecretStore::with_namespace(Some(&namespace))),
    )
    .unwrap();
    let app = app_on(dir.path(), core.clone());
    let (sms, _, numbers) = demo_sms(&app);
    assert!(numbers.len() >= 2 + CLI_WRITERS, "{numbers:?}");
    let org = app
        .invoke("org_create", json!({ "draft": { "name": "Writers" } }))
        .unwrap();
    let org_id = org["id"].as_str().unwrap().to_owned();

    let started = Instant::now();
    let until = started + writing_time();
    let data_dir = dir.path().to_owned();
    let workers: Vec<_> = (0..CLI_WRITERS)
        .map(|writer| {
            let (cli, data_dir, namespace, sms) = (
                cli.clone(),
                data_dir.clone(),
                namespace.clone(),
                sms.clone(),
            );
            let own = numbers[2 + writer].clone();
            std::thread::spawn(move || {
                cli_writes(&cli, &data_dir, &namespace, writer, &sms, &own, until)
            })
        })
        .collect();
    let mut all = vec![app_writes(&app, &org_id, &sms, &numbers[..2], until)];
    all.extend(workers.into_iter().map(|w| w.join().unwrap()));
    let elapsed = started.elapsed();

    let failures: Vec<&String> = all.iter().flat_map(|w| &w.failures).collect();
    let locked = failures
        .iter()
        .filter(|f| {
            let f = f.to_lowercase();
            f.contains("locked") || f.contains("busy")
        })
        .count();
    assert_eq!(locked, 0, "database is locked/busy: {failures:#?}");
    assert!(failures.is_empty(), "writes failed: {failures:#?}");
    let writes: usize = all.iter().map(|w| w.writes).sum();
    println!(
        "{writes} writes in {:.1} s: app {}, CLI processes {}",
        elapsed.as_secs_f64(),
        all[0].writes,
        writes - all[0].writes
    );
    assert!(all.iter().all(|w| w.writes > 0), "every writer wrote");

    // Every write that reported success is there, and nothing else.
    let expected = |pick: fn(&Written) -> &Vec<String>| -> BTreeSet<String> {
        all.iter().flat_map(|w| pick(w).iter().cloned()).collect()
    };
    let orgs: BTreeSet<String> = core
        .organizations()
        .unwrap()
        .into_iter()
        .map(|o| o.name)
        .filter(|name| name.ends_with(" org"))
        .collect();
    assert_eq!(orgs, expected(|w| &w.orgs));
    let agents: BTreeSet<String> = core
        .agents(Some(&org_id))
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(agents, expected(|w| &w.agents));
    let connectors = core.connectors(Some(&org_id)).unwrap();
    let names: BTreeSet<String> = connectors.iter().map(|c| c.name.clone()).collect();
    assert_eq!(names, expected(|w| &w.connectors));
    for connector in &connectors {
        let secret = core.connector_secret(&connector.id).unwrap();
        assert_eq!(
            secret.as_ref().map(|s| s.expose().as_str()),
            Some(SECRET),
            "{}'s secret is in the keychain",
            connector.name
        );
    }
    let list = core.numbers(&sms).unwrap();
    for writer in &all {
        for (number, active) in &writer.active {
            let stored = list.numbers.iter().find(|n| &n.e164 == number).unwrap();
            assert_eq!(stored.active, *active, "{number}");
        }
    }
    // Leave the keychain as it was.
    for connector in &connectors {
        core.connector_delete(&connector.id).unwrap();
    }
    app.invoke("sandbox_leave", json!({})).unwrap();
}
