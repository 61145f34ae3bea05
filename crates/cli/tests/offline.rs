//! Offline (issue 11 §5) as support engineers see it: `numbers list`, `senders list`,
//! `senders show`/`verify`, `templates`, `drift`, `messages sync` and `diagnose` against the
//! sandbox, then the sandbox stops and the same commands show
//! the last known state with its age and why it could not be refreshed (exit 0; `--json` carries
//! `freshness` on `numbers list`, the list-shaped outputs keep their contract and say it on
//! stderr). Runs inside `scripts/with-keyring.sh`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod support;

use serde_json::Value;
use support::{Cli, e164s, text};

fn whatsapp_connector(cli: &Cli) -> String {
    cli.json(&["--json", "org", "add", "Grand Hotel"]);
    let seed = cli.sandbox().seed().twilio.clone();
    let base = cli.sandbox().twilio_base();
    #[rustfmt::skip]
    let args = [
        "--json", "connector", "add", "--org", "Grand Hotel", "--kind", "whatsapp",
        "--provider", "twilio", "--name", "Front desk", "--account-sid", &seed.account_sid,
        "--from", "+14155550101", "--base-url", &base, "--secret-stdin",
    ];
    let added = cli.run_with_stdin(&args, &format!("{}\n", seed.auth_token));
    assert!(added.status.success(), "{}", text(&added.stderr));
    let connector: Value = serde_json::from_slice(&added.stdout).unwrap();
    connector["id"].as_str().unwrap().to_owned()
}

#[test]
fn a_stopped_provider_shows_the_last_known_state_with_its_age_and_reason() {
    let mut cli = Cli::start(
        "offline",
        "stopped",
        Some(switchboard_sandbox::SandboxConfig::default()),
    );
    let id = whatsapp_connector(&cli);

    let fresh = cli.json(&["--json", "numbers", "list", &id]);
    assert_eq!(fresh["freshness"]["stale"], false);
    assert!(!e164s(&fresh).is_empty(), "the sandbox seeds senders");
    let senders = cli.json(&["--json", "senders", "list", &id]);
    let templates = cli.json(&["--json", "templates", &id]);
    assert!(!templates.as_array().unwrap().is_empty());

    let synced = cli.json(&["--json", "messages", "sync", &id]);
    assert_eq!(synced["freshness"]["stale"], false);
    let sender = senders[0]["sid"].as_str().unwrap().to_owned();
    let shown = cli.json(&["--json", "senders", "show", &id, &sender]);
    assert_eq!(shown["freshness"]["stale"], false);
    let diagnosed = cli.run(&["--json", "diagnose", &id]);
    let diagnosed: Value = serde_json::from_slice(&diagnosed.stdout).unwrap();
    assert_eq!(diagnosed["providerUnreachable"], false, "{diagnosed:#}");

    // `senders list` brought the numbers in step: the kept list is as of then.
    let cached = cli.json(&["--json", "numbers", "list", &id, "--cached"]);
    cli.stop_sandbox();

    // The history import: nothing new, when the last import ran, exit 0.
    let sync = cli.run(&["--json", "messages", "sync", &id]);
    assert!(sync.status.success(), "{}", text(&sync.stderr));
    let sync: Value = serde_json::from_slice(&sync.stdout).unwrap();
    assert_eq!(sync["freshness"]["stale"], true, "{sync}");
    assert_eq!(sync["freshness"]["failure"]["kind"], "UNREACHABLE");
    assert_eq!(sync["freshness"]["asOf"], synced["freshness"]["asOf"]);
    assert_eq!(sync["new"], 0);
    let said = text(&cli.run(&["messages", "sync", &id]).stdout);
    assert!(said.starts_with("last known state from"), "{said}");
    assert!(said.contains("Nothing imported"), "{said}");

    // One sender, as the last list knew it.
    let stale = cli.run(&["--json", "senders", "show", &id, &sender]);
    assert!(stale.status.success(), "{}", text(&stale.stderr));
    let stale: Value = serde_json::from_slice(&stale.stdout).unwrap();
    assert_eq!(stale["sid"], sender.as_str());
    assert_eq!(stale["status"], shown["status"]);
    assert_eq!(stale["freshness"]["stale"], true);
    // A code that cannot be sent: exit 1, and where the sender stood.
    let verify = cli.run(&["senders", "verify", &id, &sender, "123456"]);
    assert_eq!(verify.status.code(), Some(1), "{}", text(&verify.stdout));
    assert!(
        text(&verify.stderr).contains("The code was not sent"),
        "{}",
        text(&verify.stderr)
    );

    // Diagnose: this run, and the last one that reached Twilio beside it.
    let offline = cli.run(&["--json", "diagnose", &id]);
    assert_eq!(
        offline.status.code(),
        Some(1),
        "the unreachable host is an error"
    );
    let offline: Value = serde_json::from_slice(&offline.stdout).unwrap();
    assert_eq!(offline["providerUnreachable"], true);
    assert_eq!(offline["lastKnown"]["runId"], diagnosed["id"]);
    assert_eq!(
        offline["lastKnown"]["freshness"]["asOf"],
        diagnosed["startedAt"]
    );
    assert_eq!(
        offline["lastKnown"]["freshness"]["failure"]["kind"],
        "UNREACHABLE"
    );
    let words = text(&cli.run(&["diagnose", &id]).stdout);
    assert!(
        words.contains("The last known state from less than a minute ago"),
        "{words}"
    );

    let kept = cli.run(&["--json", "numbers", "list", &id]);
    assert!(kept.status.success(), "{}", text(&kept.stderr));
    let kept: Value = serde_json::from_slice(&kept.stdout).unwrap();
    assert_eq!(kept["freshness"]["stale"], true, "{kept}");
    assert_eq!(kept["freshness"]["failure"]["kind"], "UNREACHABLE");
    assert_eq!(kept["freshness"]["asOf"], cached["fetchedAt"]);
    assert_eq!(e164s(&kept), e164s(&fresh), "the numbers stay listed");

    let human = cli.run(&["numbers", "list", &id]);
    assert!(human.status.success(), "{}", text(&human.stderr));
    let shown = text(&human.stdout);
    assert!(
        shown.starts_with(
            "last known state from less than a minute ago: The provider could not be reached"
        ),
        "{shown}"
    );
    assert!(shown.contains(&e164s(&fresh)[0]), "{shown}");

    let listed = cli.run(&["--json", "senders", "list", &id]);
    assert!(listed.status.success(), "{}", text(&listed.stderr));
    let listed_json: Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(listed_json, senders, "the contract's list, as last read");
    assert!(text(&listed.stderr).contains("last known state from"));

    let offered = cli.run(&["templates", &id]);
    assert!(offered.status.success(), "{}", text(&offered.stderr));
    let offered = text(&offered.stdout);
    assert!(offered.starts_with("last known state from"), "{offered}");
    assert!(
        offered.contains(templates[0]["sid"].as_str().unwrap()),
        "{offered}"
    );

    // Nothing kept for `--all`: the failure itself, exit 1.
    let never = cli.run(&["templates", &id, "--all"]);
    assert_eq!(never.status.code(), Some(1), "{}", text(&never.stdout));
}
