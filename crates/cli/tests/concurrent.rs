//! The CLI and the app writing one data dir at once: CLI processes add agents while another
//! writer (the services the app runs on, in this process) creates, renames and deletes agents on
//! the same database. No "database is locked" reaches anyone, and no write is lost.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod support;

use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use support::{Cli, text};
use switchboard_core::{AgentDraft, MemorySecretStore, Switchboard};

const CLI_WRITES: usize = 32;
const AT_ONCE: usize = 8;

#[test]
fn cli_processes_and_the_app_write_one_database_at_once_without_locks_or_lost_writes() {
    let cli = Cli::start("concurrent", "writers", None);
    let org = cli.json(&["--json", "org", "add", "Grand Hotel"]);
    let org_id = org["id"].as_str().unwrap().to_owned();

    // "The app": its own connection to the same file, writing as fast as it can meanwhile.
    let app =
        Switchboard::open_with_secrets(cli.data_dir.path(), Arc::new(MemorySecretStore::default()))
            .unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (app, stop, org_id) = (app.clone(), stop.clone(), org_id.clone());
        std::thread::spawn(move || {
            let mut kept = Vec::new();
            let mut errors = Vec::new();
            let mut round = 0;
            while !stop.load(Ordering::Relaxed) || round < 20 {
                let name = format!("app agent {round}");
                let result = app
                    .agent_create(&AgentDraft {
                        org_id: org_id.clone(),
                        name: name.clone(),
                        description: None,
                    })
                    .and_then(|agent| {
                        if round % 2 == 0 {
                            kept.push(name);
                            Ok(())
                        } else {
                            app.agent_delete(&agent.id)
                        }
                    });
                if let Err(error) = result {
                    errors.push(error.to_string());
                }
                round += 1;
            }
            (kept, errors)
        })
    };

    let mut failures = Vec::new();
    for batch in (0..CLI_WRITES).collect::<Vec<_>>().chunks(AT_ONCE) {
        let children: Vec<_> = batch
            .iter()
            .map(|i| {
                cli.command(&[
                    "agent",
                    "add",
                    "--org",
                    "Grand Hotel",
                    &format!("cli agent {i}"),
                ])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
            })
            .collect();
        for child in children {
            let output = child.wait_with_output().unwrap();
            if !output.status.success() {
                failures.push(text(&output.stderr));
            }
        }
    }
    stop.store(true, Ordering::Relaxed);
    let (kept, errors) = writer.join().unwrap();
    assert!(failures.is_empty(), "CLI writes failed: {failures:#?}");
    assert!(errors.is_empty(), "the app's writes failed: {errors:#?}");

    let mut names: Vec<String> = app
        .agents(Some(&org_id))
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect();
    names.sort();
    let mut expected: Vec<String> = (0..CLI_WRITES)
        .map(|i| format!("cli agent {i}"))
        .chain(kept)
        .collect();
    expected.sort();
    assert_eq!(names, expected, "every write is there, and only those");
}
