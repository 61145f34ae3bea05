//! Several writers on one data dir at once (the app and the CLI are separate processes on one
//! SQLite file; here, separate `Switchboard`s on separate connections): nobody sees "database is
//! locked", and no write is lost.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use switchboard_core::{AgentDraft, MemorySecretStore, OrganizationDraft, Switchboard, paths};

const WRITERS: usize = 4;
const ROUNDS: usize = 60;

fn open(dir: &std::path::Path) -> Switchboard {
    Switchboard::open_with_secrets(dir, Arc::new(MemorySecretStore::default())).unwrap()
}

/// One writer's work: agents created, renamed and deleted (each delete reads the agent's
/// channels, then writes, in one transaction), and an organization renamed back and forth.
fn write_rounds(core: &Switchboard, writer: usize, org: &str) -> Vec<String> {
    let mut errors = Vec::new();
    for round in 0..ROUNDS {
        let name = format!("writer {writer} agent {round}");
        let result = core
            .agent_create(&AgentDraft {
                org_id: org.to_owned(),
                name: name.clone(),
                description: None,
            })
            .and_then(|agent| {
                if round % 2 == 1 {
                    core.agent_delete(&agent.id)
                } else {
                    core.agent_rename(&agent.id, &format!("{name} kept"))
                        .map(drop)
                }
            })
            .and_then(|()| {
                core.organization_update(
                    org,
                    &OrganizationDraft {
                        name: format!("Hotel {writer}"),
                        inbound_base_url: Some(format!("https://hooks{round}.example")),
                    },
                )
                .map(drop)
            });
        if let Err(error) = result {
            errors.push(error.to_string());
        }
    }
    errors
}

#[test]
fn writers_on_one_database_never_see_it_locked_and_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let setup = open(dir.path());
    let orgs: Vec<String> = (0..WRITERS)
        .map(|writer| {
            setup
                .organization_create(&OrganizationDraft {
                    name: format!("Hotel {writer}"),
                    inbound_base_url: None,
                })
                .unwrap()
                .id
        })
        .collect();
    drop(setup);

    let start = Arc::new(Barrier::new(WRITERS));
    let started = Instant::now();
    let handles: Vec<_> = orgs
        .iter()
        .enumerate()
        .map(|(writer, org)| {
            let (dir, org, start) = (dir.path().to_owned(), org.clone(), start.clone());
            std::thread::spawn(move || {
                // Each writer opens the data dir itself, as a separate process would.
                let core = open(&dir);
                start.wait();
                write_rounds(&core, writer, &org)
            })
        })
        .collect();
    let errors: Vec<String> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    assert!(errors.is_empty(), "writers failed: {errors:#?}");
    assert!(started.elapsed() < Duration::from_secs(60));

    // Every write is there: half of each writer's agents kept (renamed), the others deleted.
    let check = open(dir.path());
    for (writer, org) in orgs.iter().enumerate() {
        let agents = check.agents(Some(org)).unwrap();
        let mut names: Vec<String> = agents.into_iter().map(|a| a.name).collect();
        names.sort();
        let mut expected: Vec<String> = (0..ROUNDS)
            .filter(|round| round % 2 == 0)
            .map(|round| format!("writer {writer} agent {round} kept"))
            .collect();
        expected.sort();
        assert_eq!(names, expected, "writer {writer}");
        let org = check.organization(org).unwrap();
        assert_eq!(
            org.inbound_base_url.as_deref(),
            Some(format!("https://hooks{}.example", ROUNDS - 1).as_str())
        );
    }
    assert!(dir.path().join(paths::DATABASE_FILE).exists());
}

/// Two processes opening a data dir for the first time at once both migrate it: the second
/// must wait for the first, not fail half-way (or with "database is locked").
#[test]
fn writers_opening_a_new_database_at_once_all_get_it() {
    for _ in 0..5 {
        let dir = tempfile::tempdir().unwrap();
        let start = Arc::new(Barrier::new(WRITERS));
        let handles: Vec<_> = (0..WRITERS)
            .map(|writer| {
                let (dir, start) = (dir.path().to_owned(), start.clone());
                std::thread::spawn(move || {
                    start.wait();
                    let core = Switchboard::open_with_secrets(
                        &dir,
                        Arc::new(MemorySecretStore::default()),
                    )
                    .map_err(|e| e.to_string())?;
                    core.organization_create(&OrganizationDraft {
                        name: format!("Hotel {writer}"),
                        inbound_base_url: None,
                    })
                    .map(drop)
                    .map_err(|e| e.to_string())
                })
            })
            .collect();
        let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        assert!(results.iter().all(Result::is_ok), "{results:?}");
        assert_eq!(open(dir.path()).organizations().unwrap().len(), WRITERS);
    }
}
