//! `switchboard connector add --kind email --provider smtp … --ca-file` and `connector check`
//! against a real SMTP server (aiosmtpd, see tests/smtp/server.py), with the real keychain (a
//! Secret Service that `make test` starts).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod support;

use std::path::Path;
use std::process::Output;

use serde_json::Value;
use support::{Cli, text};

#[path = "../../core/tests/support/mail_server.rs"]
mod mail_server;

use mail_server::{LOGIN, MailServer, PASSWORD, SERVER_NAME};

impl Cli {
    fn new(test: &str) -> Self {
        let cli = Self::start("smtp", test, None);
        let org = cli.run_with_stdin(&["org", "add", "Grand Hotel"], "");
        assert!(org.status.success(), "{}", text(&org.stderr));
        cli
    }

    /// `connector add` for the test server's STARTTLS port.
    fn add(&self, name: &str, port: u16, ca_file: Option<&Path>, password: &str) -> Output {
        let port = port.to_string();
        #[rustfmt::skip]
        let mut args = vec![
            "--json", "connector", "add", "--org", "Grand Hotel", "--kind", "email",
            "--provider", "smtp", "--name", name, "--smtp-host", "127.0.0.1",
            "--smtp-port", &port, "--smtp-security", "starttls", "--username", LOGIN,
            "--from", "frontdesk@hotel.example", "--secret-stdin",
        ];
        let ca = ca_file.map(|path| path.to_str().unwrap().to_owned());
        if let Some(ca) = &ca {
            args.extend(["--ca-file", ca.as_str()]);
        }
        self.run_with_stdin(&args, &format!("{password}\n"))
    }
}

#[test]
fn an_email_connector_with_its_ca_file_is_active_and_checks_again() {
    let server = MailServer::start();
    let cli = Cli::new("good");
    let ca_file = cli.data_dir.path().join("hotel-ca.pem");
    std::fs::write(&ca_file, &server.ca_pem).unwrap();
    let added = cli.add(
        "Hotel mail",
        server.port("starttls"),
        Some(&ca_file),
        PASSWORD,
    );
    assert!(added.status.success(), "{}", text(&added.stderr));
    let connector: Value = serde_json::from_slice(&added.stdout).unwrap();
    assert_eq!(connector["state"], "active", "{connector}");
    assert_eq!(connector["accountName"], SERVER_NAME);
    assert_eq!(connector["settings"]["security"], "starttls");
    assert_eq!(connector["settings"]["caPem"], server.ca_pem.trim());
    assert!(
        !cli.database_contains(PASSWORD),
        "the password went to the database"
    );

    let id = connector["id"].as_str().unwrap();
    let check = cli.run_with_stdin(&["--json", "connector", "check", id], "");
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
    let checked: Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(checked["state"], "active");

    let shown = cli.run_with_stdin(&["connector", "show", id], "");
    let shown = text(&shown.stdout);
    assert!(
        shown.contains("STARTTLS") && shown.contains("CA"),
        "{shown}"
    );
    assert!(!shown.contains(PASSWORD));
}

#[test]
fn without_the_ca_or_with_a_wrong_password_check_says_why_and_exits_1() {
    let server = MailServer::start();
    let cli = Cli::new("errors");
    let untrusted = cli.add("No CA", server.port("starttls"), None, PASSWORD);
    assert_eq!(
        untrusted.status.code(),
        Some(0),
        "saved, so the add succeeded"
    );
    let connector: Value = serde_json::from_slice(&untrusted.stdout).unwrap();
    assert_eq!(connector["state"], "error");
    assert_eq!(connector["stateFailure"]["provider"], "smtp");
    assert!(
        connector["stateReason"]
            .as_str()
            .unwrap()
            .contains("add your mail server's CA certificate"),
        "{connector}"
    );

    let ca_file = cli.data_dir.path().join("hotel-ca.pem");
    std::fs::write(&ca_file, &server.ca_pem).unwrap();
    let wrong = "not-the-password";
    let added = cli.add(
        "Wrong password",
        server.port("starttls"),
        Some(&ca_file),
        wrong,
    );
    let connector: Value = serde_json::from_slice(&added.stdout).unwrap();
    let id = connector["id"].as_str().unwrap();
    let check = cli.run_with_stdin(&["--json", "connector", "check", id], "");
    assert_eq!(check.status.code(), Some(1));
    let checked: Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(checked["stateFailure"]["kind"], "INVALID_CREDENTIALS");
    assert_eq!(checked["stateFailure"]["providerCode"], "535");
    let people = cli.run_with_stdin(&["connector", "check", id], "");
    assert_eq!(people.status.code(), Some(1));
    let said = format!("{}{}", text(&people.stdout), text(&people.stderr));
    assert!(said.contains("username and password"), "{said}");
    assert!(!said.contains(wrong) && !text(&check.stdout).contains(wrong));
    assert!(server.received().is_empty());
}

#[test]
fn a_missing_or_unusable_ca_file_exits_2_naming_the_flag() {
    let cli = Cli::new("badca");
    let missing = cli.data_dir.path().join("nowhere.pem");
    let output = cli.add("Hotel mail", 587, Some(&missing), PASSWORD);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("--ca-file"),
        "{}",
        text(&output.stderr)
    );

    let not_pem = cli.data_dir.path().join("key.txt");
    std::fs::write(&not_pem, "this is not a certificate").unwrap();
    let output = cli.add("Hotel mail", 587, Some(&not_pem), PASSWORD);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("--ca-file") && stderr.contains("PEM"),
        "{stderr}"
    );
    let list = cli.run_with_stdin(&["--json", "connector", "list"], "");
    assert_eq!(text(&list.stdout).trim(), "[]", "nothing saved");
}
