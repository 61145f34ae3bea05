//! `switchboard send`, `messages`, `stats` and `logs` as support engineers run them: real
//! database, real keychain (a Secret Service that `make test` starts), the sandbox, exit codes and
//! JSON as in the CLI contract.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod support;

use serde_json::Value;
use support::{Cli, text};

impl Cli {
    fn new(test: &str) -> Self {
        Self::start(
            "msg",
            test,
            Some(switchboard_sandbox::SandboxConfig {
                lifecycle_step_ms: 100,
                ..Default::default()
            }),
        )
    }

    /// A Twilio SMS connector on the sandbox's seeded account; returns its id.
    fn twilio_sms(&self) -> String {
        let seed = self.sandbox().seed().twilio.clone();
        self.json(&["--json", "org", "add", "Grand Hotel"]);
        let base = self.sandbox().twilio_base();
        #[rustfmt::skip]
        let args = [
            "--json", "connector", "add", "--org", "Grand Hotel", "--kind", "sms",
            "--provider", "twilio", "--name", "Front desk", "--account-sid", &seed.account_sid,
            "--from", "+1 415 555 0101", "--base-url", &base, "--secret-stdin",
        ];
        let output = self.run_with_stdin(&args, &format!("{}\n", seed.auth_token));
        assert!(output.status.success(), "{}", text(&output.stderr));
        let connector: Value = serde_json::from_slice(&output.stdout).unwrap();
        connector["id"].as_str().unwrap().to_owned()
    }
}

#[test]
fn send_wait_stats_and_logs() {
    let cli = Cli::new("send");
    let id = cli.twilio_sms();

    // A text followed to its final status; progress on stderr, the result on stdout.
    #[rustfmt::skip]
    let output = cli.run(&[
        "--json", "send", &id, "--to", "+46 70 123 45 67", "--text", "Your room is ready", "--wait",
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let sent: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(sent["status"], "delivered", "{sent}");
    assert_eq!(sent["final"], true);
    assert!(
        sent["providerMessageId"]
            .as_str()
            .unwrap()
            .starts_with("SM")
    );
    assert!(sent["code"].is_null() && sent["providerCode"].is_null());
    assert!(sent["fallback"].is_object());
    assert!(
        text(&output.stderr).contains("delivered"),
        "progress on stderr"
    );

    // Refused by the provider: exit 1, with the kind and the provider's code.
    let output = cli.run(&["--json", "send", &id, "--to", "+15005550001", "--text", "x"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let refused: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(refused["code"], "INVALID_RECIPIENT");
    assert_eq!(refused["providerCode"], "21211");
    assert_eq!(refused["final"], true);

    // Bad input: exit 2, naming the flag; nothing sent.
    let output = cli.run(&[
        "--json",
        "send",
        &id,
        "--to",
        "+46701234567",
        "--template",
        "HX12",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let error: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        error["error"]["fields"][0]["field"], "--template",
        "{error}"
    );
    let output = cli.run(&["send", &id, "--to", "+46701234567"]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "one of --text/--media/--template"
    );
    let output = cli.run(&["send", &id, "--to", "070123", "--text", "x"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("--to"),
        "{}",
        text(&output.stderr)
    );

    // The statistics: exactly the contract's keys.
    let stats = cli.json(&["--json", "stats", &id]);
    let mut keys: Vec<&str> = stats
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "attempts",
            "lastError",
            "lastFailed",
            "lastSent",
            "sentThisMonth",
            "successRate",
            "totalFails",
            "totalSent"
        ]
    );
    assert_eq!(stats["totalSent"], 1);
    assert_eq!(stats["totalFails"], 1);
    assert_eq!(stats["attempts"], 2);
    assert_eq!(stats["sentThisMonth"], 1);
    assert_eq!(stats["successRate"], 50.0);
    assert_eq!(stats["lastError"]["code"], "21211");
    assert!(stats["lastError"]["message"].is_string() && stats["lastError"]["at"].is_string());
    let shown = cli.run(&["stats", &id]);
    assert!(
        text(&shown.stdout).contains("Success Rate:   50.0%"),
        "{}",
        text(&shown.stdout)
    );

    // The messages, and one of them in full.
    let list = cli.json(&["--json", "messages", "list", &id]);
    assert_eq!(list.as_array().unwrap().len(), 2);
    let failed = cli.json(&["--json", "messages", "list", &id, "--status", "failed"]);
    assert_eq!(failed[0]["to"], "+15005550001");
    // A page at a time: the last id of a page is the next page's --cursor.
    let paged = cli.run(&["--json", "messages", "list", &id, "--limit", "1"]);
    let page: Value = serde_json::from_slice(&paged.stdout).unwrap();
    assert_eq!(page.as_array().unwrap().len(), 1);
    let cursor = page[0]["id"].as_str().unwrap();
    assert!(
        text(&paged.stderr).contains(&format!("--cursor {cursor}")),
        "{}",
        text(&paged.stderr)
    );
    let rest = cli.run(&[
        "--json", "messages", "list", &id, "--limit", "1", "--cursor", cursor,
    ]);
    let rest_page: Value = serde_json::from_slice(&rest.stdout).unwrap();
    assert_eq!(rest_page.as_array().unwrap().len(), 1);
    assert_ne!(rest_page[0]["id"], page[0]["id"]);
    assert!(!text(&rest.stderr).contains("--cursor"), "the last page");
    let by_number = cli.json(&[
        "--json",
        "messages",
        "list",
        &id,
        "--number",
        "+1 500 555 0001",
    ]);
    assert_eq!(by_number.as_array().unwrap().len(), 1, "{by_number}");
    assert_eq!(by_number[0]["to"], "+15005550001");
    let before = cli.json(&["--json", "messages", "list", &id, "--until", "2000-01-01"]);
    assert!(before.as_array().unwrap().is_empty(), "{before}");
    for (args, flag) in [
        (["--number", "reception"], "--number"),
        (["--cursor", "nosuchmessage"], "--cursor"),
        (["--until", "soon"], "--until"),
        (["--limit", "0"], "--limit"),
    ] {
        let mut all = vec!["messages", "list", id.as_str()];
        all.extend(args);
        let bad = cli.run(&all);
        assert_eq!(bad.status.code(), Some(2), "{args:?}");
        assert!(
            text(&bad.stderr).contains(flag),
            "{args:?}: {}",
            text(&bad.stderr)
        );
    }
    let first = sent["id"].as_str().unwrap();
    let shown = cli.json(&["--json", "messages", "show", &first[..8]]);
    let history: Vec<&str> = shown["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["status"].as_str().unwrap())
        .collect();
    assert_eq!(history.first(), Some(&"sending"));
    assert_eq!(history.last(), Some(&"delivered"));

    // The error log: filters, CSV, and a bad filter named.
    let log = cli.json(&["--json", "logs", "--connector", &id, "--action", "send"]);
    assert_eq!(log.as_array().unwrap().len(), 1, "{log}");
    assert_eq!(log[0]["code"], "21211");
    assert_eq!(log[0]["number"], "+15005550001");
    let none = cli.json(&["--json", "logs", "--action", "webhook_set"]);
    assert!(none.as_array().unwrap().is_empty());
    let csv = cli.run(&[
        "logs",
        "--connector",
        &id,
        "--since",
        "1d",
        "--format",
        "csv",
    ]);
    assert!(csv.status.success(), "{}", text(&csv.stderr));
    let csv = text(&csv.stdout);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "time,level,action,kind,code,message,number,connector,attempt"
    );
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(
        lines[1].contains(",error,send,INVALID_RECIPIENT,21211,"),
        "{csv}"
    );
    let bad = cli.run(&["logs", "--level", "loud"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad.stderr).contains("--level"),
        "{}",
        text(&bad.stderr)
    );
    let bad = cli.run(&["logs", "--since", "yesterday"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("--since"));
}

#[test]
fn templates_lists_the_approved_ones_and_with_all_every_one() {
    let cli = Cli::new("templates");
    let id = cli.twilio_sms();
    let approved = cli.json(&["--json", "templates", &id]);
    let names: Vec<&str> = approved
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["appointment_reminder", "order_update", "welcome_media"]
    );
    let order = &approved[1];
    assert!(order["sid"].as_str().unwrap().starts_with("HX"));
    for key in ["language", "category", "status", "variables"] {
        assert!(order.get(key).is_some(), "{key} in {order}");
    }
    assert_eq!(order["variables"][0]["name"], "1");
    assert_eq!(order["variables"][0]["default"], "customer");
    let all = cli.json(&["--json", "templates", &id, "--all"]);
    assert_eq!(all.as_array().unwrap().len(), 4);
    assert!(
        all.as_array()
            .unwrap()
            .iter()
            .any(|t| t["status"] == "rejected")
    );
}
