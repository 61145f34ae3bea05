//! `switchboard diagnose` as a support engineer runs it against the sandbox: findings as they
//! arrive (text) or one JSON document, exit 1 on an error finding, "fixed since last time" after a
//! fix, and `--bundle` writing the support bundle.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod support;

use serde_json::Value;
use support::{Cli, text};

impl Cli {
    fn new(test: &str) -> Self {
        Self::start(
            "diag",
            test,
            Some(switchboard_sandbox::SandboxConfig::default()),
        )
    }

    /// A Twilio SMS connector on the seeded account with `token`; returns its id.
    fn twilio_sms(&self, token: &str) -> String {
        let seed = self.sandbox().seed().twilio.clone();
        self.json(&[
            "--json",
            "org",
            "add",
            "Grand Hotel",
            "--inbound-base-url",
            "https://hooks.grand-hotel.example",
        ]);
        let base = self.sandbox().twilio_base();
        #[rustfmt::skip]
        let args = [
            "--json", "connector", "add", "--org", "Grand Hotel", "--kind", "sms",
            "--provider", "twilio", "--name", "Front desk", "--account-sid", &seed.account_sid,
            "--from", "+14155550101", "--base-url", &base, "--secret-stdin",
        ];
        let output = self.run_with_stdin(&args, &format!("{token}\n"));
        assert!(output.status.success(), "{}", text(&output.stderr));
        let connector: Value = serde_json::from_slice(&output.stdout).unwrap();
        connector["id"].as_str().unwrap().to_owned()
    }
}

fn finding<'a>(diagnosis: &'a Value, id: &str) -> &'a Value {
    diagnosis["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == id)
        .unwrap_or_else(|| panic!("no finding {id}: {diagnosis:#}"))
}

#[test]
fn a_healthy_connector_exits_0_and_prints_each_finding() {
    let cli = Cli::new("healthy");
    let id = cli.twilio_sms(&cli.sandbox().seed().twilio.auth_token.clone());
    let numbers = cli.json(&["--json", "numbers", "list", &id]);
    let first = numbers["numbers"][0]["e164"].as_str().unwrap().to_owned();
    cli.json(&["--json", "numbers", "activate", &id, &first]);
    let set = cli.run(&["--json", "webhook", "set", &id, "--all"]);
    assert!(set.status.success(), "{}", text(&set.stderr));

    let output = cli.run(&["--json", "diagnose", &id]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let diagnosis: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(diagnosis["errors"], 0, "{diagnosis:#}");
    for id in ["credentials", "account", "numbers", "webhook"] {
        assert_eq!(finding(&diagnosis, id)["severity"], "ok", "{id}");
    }
    assert!(diagnosis["wallMs"].as_u64().is_some());

    // Text: one block per finding with its severity; the comparison at the end.
    let output = cli.run(&["diagnose", &id]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let printed = text(&output.stdout);
    assert!(
        printed.contains("OK       The credentials are right"),
        "{printed}"
    );
    assert!(
        printed.contains("GET /2010-04-01/Accounts/{Sid}.json → 200"),
        "{printed}"
    );
    assert!(printed.contains("Compared with the run of"), "{printed}");
}

#[test]
fn a_wrong_token_exits_1_with_the_fix_and_is_fixed_since_last_time_after_the_edit() {
    let cli = Cli::new("token");
    let id = cli.twilio_sms("0123456789abcdef0123456789abcdef");

    let output = cli.run(&["--json", "diagnose", &id]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let diagnosis: Value = serde_json::from_slice(&output.stdout).unwrap();
    let credentials = finding(&diagnosis, "credentials");
    assert_eq!(credentials["severity"], "error");
    assert!(credentials["fix"].as_str().unwrap().contains("Auth Token"));
    assert_eq!(credentials["evidence"][0]["status"], 401);
    assert_eq!(finding(&diagnosis, "numbers")["skipped"], true);
    assert!(!text(&output.stdout).contains("0123456789abcdef0123456789abcdef"));

    let token = cli.sandbox().seed().twilio.auth_token.clone();
    let edit = cli.run_with_stdin(
        &["--json", "connector", "edit", &id, "--secret-stdin"],
        &format!("{token}\n"),
    );
    assert!(edit.status.success(), "{}", text(&edit.stderr));
    let output = cli.run(&["diagnose", &id]);
    let printed = text(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{printed}{}",
        text(&output.stderr)
    );
    assert!(printed.contains("[fixed since last time]"), "{printed}");
    assert!(
        printed.contains("fixed since last time: Twilio refused the Auth Token"),
        "{printed}"
    );
}

#[test]
fn bundle_writes_a_zip_beside_the_findings() {
    let cli = Cli::new("bundle");
    let id = cli.twilio_sms(&cli.sandbox().seed().twilio.auth_token.clone());
    let path = cli.data_dir.path().join("support.zip");
    let output = cli.run(&[
        "--json",
        "diagnose",
        &id,
        "--bundle",
        path.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let diagnosis: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(diagnosis["bundle"]["files"][0], "diagnosis.json");
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"), "a zip file");
}
