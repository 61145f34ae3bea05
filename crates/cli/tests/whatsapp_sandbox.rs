//! Twilio's WhatsApp Sandbox from the command line: `connector add` takes its number as the
//! From of a Twilio WhatsApp connector (and refuses it for SMS, naming --from); `switchboard send`
//! from it to a number that has not joined ends failed with 63015 and prints the cause and the
//! join step (and carries code/providerCode in --json); after "join <code>" it is delivered.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod support;

use serde_json::{Value, json};
use support::{Cli, text};

fn cli(test: &str) -> Cli {
    Cli::start(
        "wasandbox",
        test,
        Some(switchboard_sandbox::SandboxConfig {
            lifecycle_step_ms: 100,
            ..Default::default()
        }),
    )
}

/// `connector add` for the seeded Twilio account with this kind and From.
fn add(cli: &Cli, kind: &str, name: &str, from: &str) -> std::process::Output {
    let seed = cli.sandbox().seed().twilio.clone();
    let base = cli.sandbox().twilio_base();
    #[rustfmt::skip]
    let args = [
        "--json", "connector", "add", "--org", "Grand Hotel", "--kind", kind,
        "--provider", "twilio", "--name", name, "--account-sid", &seed.account_sid,
        "--from", from, "--base-url", &base, "--secret-stdin",
    ];
    cli.run_with_stdin(&args, &format!("{}\n", seed.auth_token))
}

#[test]
fn send_from_the_sandbox_fails_with_the_join_step_until_the_recipient_joins() {
    let cli = cli("send");
    cli.json(&["--json", "org", "add", "Grand Hotel"]);

    // An SMS connector may not use it: exit 2, naming --from.
    let refused = add(&cli, "sms", "SMS", "+1 415 523 8886");
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused.stderr));
    let error: Value = serde_json::from_slice(&refused.stdout).unwrap();
    assert_eq!(error["error"]["fields"][0]["field"], "--from", "{error}");

    let added = add(&cli, "whatsapp", "WhatsApp test", "whatsapp:+14155238886");
    assert!(added.status.success(), "{}", text(&added.stderr));
    let connector: Value = serde_json::from_slice(&added.stdout).unwrap();
    let id = connector["id"].as_str().unwrap().to_owned();

    // Not joined: failed, 63015, the cause and the join step, in text…
    #[rustfmt::skip]
    let output = cli.run(&[
        "send", &id, "--to", "+46 70 123 45 67", "--text", "Hello", "--wait",
        "--from", "+14155238886",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let printed = text(&output.stdout);
    assert!(printed.contains("provider code 63015"), "{printed}");
    assert!(
        printed.contains("cause:") && printed.contains("has not joined"),
        "{printed}"
    );
    assert!(
        printed.contains("fix:") && printed.contains("\"join <code>\""),
        "{printed}"
    );
    // …said up front, before the failure came back.
    assert!(
        text(&output.stderr).contains("Twilio WhatsApp Sandbox (+1 415 523 8886)"),
        "{}",
        text(&output.stderr)
    );

    // …and in --json.
    #[rustfmt::skip]
    let output = cli.run(&[
        "--json", "send", &id, "--to", "+46 70 123 45 67", "--text", "Hello", "--wait",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let failed: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(failed["status"], "failed", "{failed}");
    assert_eq!(failed["code"], "INVALID_RECIPIENT");
    assert_eq!(failed["providerCode"], "63015");
    assert!(failed["fix"].as_str().unwrap().contains("+1 415 523 8886"));

    // The recipient joins with the account's code: delivered.
    let code = cli
        .sandbox()
        .seed()
        .twilio
        .whatsapp_sandbox
        .clone()
        .unwrap()
        .join_code;
    let joined: Value = cli.runtime.block_on(async {
        reqwest::Client::new()
            .post(cli.sandbox().admin_url("inbound"))
            .bearer_auth(cli.sandbox().admin_token())
            .json(&json!({"to": "whatsapp:+14155238886", "from": "+46701234567", "body": code}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    });
    assert_eq!(joined["joined"], true, "{joined}");
    #[rustfmt::skip]
    let output = cli.run(&[
        "--json", "send", &id, "--to", "+46 70 123 45 67", "--text", "Hello", "--wait",
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let delivered: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(
        ["delivered", "read"].contains(&delivered["status"].as_str().unwrap()),
        "{delivered}"
    );
}
