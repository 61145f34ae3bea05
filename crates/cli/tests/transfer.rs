//! `switchboard export` and `switchboard import` as a support engineer moves a hotel's setup to
//! another machine: a real database and keychain on each side, the sandbox as the providers.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod support;

use std::process::Output;

use serde_json::Value;
use support::{Cli, text};

/// The export without its time.
fn normalized(json: &str) -> String {
    let mut value: Value = serde_json::from_str(json).unwrap();
    value.as_object_mut().unwrap().remove("exportedAt");
    serde_json::to_string_pretty(&value).unwrap()
}

fn add(cli: &Cli, args: &[&str], secret: &str) -> String {
    let mut all = vec!["--json", "connector", "add", "--org", "Grand Hotel"];
    all.extend_from_slice(args);
    all.push("--secret-stdin");
    let added = cli.run_with_stdin(&all, secret);
    assert!(added.status.success(), "{}", text(&added.stderr));
    let connector: Value = serde_json::from_slice(&added.stdout).unwrap();
    assert_eq!(connector["state"], "active", "{connector}");
    connector["id"].as_str().unwrap().to_owned()
}

/// A hotel with a Twilio SMS connector (numbers listed from the sandbox, two active, one bound
/// to an agent) and a Telnyx one. Returns the ids.
fn hotel(cli: &Cli) -> (String, String) {
    cli.json(&[
        "--json",
        "org",
        "add",
        "Grand Hotel",
        "--inbound-base-url",
        "https://hooks.grand-hotel.example",
    ]);
    let seed = cli.sandbox().seed().clone();
    let twilio_base = cli.sandbox().twilio_base();
    #[rustfmt::skip]
    let twilio = add(cli, &[
        "--kind", "sms", "--provider", "twilio", "--name", "Reception SMS", "--account-sid",
        &seed.twilio.account_sid, "--from", "+14155550101",
        "--to", "+46 70 765 43 21,night@grand-hotel.example", "--base-url", &twilio_base,
    ], &seed.twilio.auth_token);
    let telnyx_base = cli.sandbox().telnyx_base();
    #[rustfmt::skip]
    let telnyx = add(cli, &[
        "--kind", "sms", "--provider", "telnyx", "--name", "Telnyx", "--from", "+13125550101",
        "--base-url", &telnyx_base,
    ], &seed.telnyx.api_key);
    cli.json(&["--json", "numbers", "list", &twilio]);
    cli.json(&[
        "--json",
        "numbers",
        "activate",
        &twilio,
        "+14155550101",
        "+14155550103",
    ]);
    cli.json(&[
        "--json",
        "agent",
        "add",
        "--org",
        "Grand Hotel",
        "Concierge",
    ]);
    cli.json(&[
        "--json",
        "channel",
        "bind",
        "Concierge",
        &twilio,
        "+14155550101",
    ]);
    (twilio, telnyx)
}

fn import(cli: &Cli, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = cli.command(args);
    for (name, value) in env {
        command.env(name, value);
    }
    command.stdin(std::process::Stdio::null()).output().unwrap()
}

/// What the target's database holds, as the CLI shows it.
fn state(cli: &Cli) -> String {
    let orgs = cli.run(&["--json", "org", "list"]);
    let connectors = cli.run(&["--json", "connector", "list"]);
    let audit = cli.run(&["--json", "audit"]);
    format!(
        "{}\n{}\n{}",
        text(&orgs.stdout),
        text(&connectors.stdout),
        text(&audit.stdout)
    )
}

#[test]
fn export_then_import_on_another_machine_gives_the_same_configuration() {
    let source = Cli::start("transfer", "source", Some(Default::default()));
    let (twilio, _) = hotel(&source);
    let file = source.data_dir.path().join("grand-hotel.json");
    let file = file.to_str().unwrap();

    let exported = source.json(&["--json", "export", "Grand Hotel", "--out", file]);
    assert_eq!(exported["connectors"], 2);
    assert_eq!(exported["agents"], 1);
    assert_eq!(exported["channels"], 1);
    let written = std::fs::read_to_string(file).unwrap();
    let printed = source.run(&["export", "Grand Hotel"]);
    assert!(printed.status.success(), "{}", text(&printed.stderr));
    assert_eq!(normalized(&text(&printed.stdout)), normalized(&written));

    // No secret and no webhook token in the file.
    let seed = source.sandbox().seed().clone();
    let webhook = source.json(&["--json", "webhook", "url", &twilio]);
    let token = webhook["url"].as_str().unwrap().rsplit('/').next().unwrap();
    for needle in [
        seed.twilio.auth_token.as_str(),
        seed.telnyx.api_key.as_str(),
        token,
    ] {
        assert!(!written.contains(needle), "the export holds '{needle}'");
    }

    // Another machine: its own data folder and keychain namespace.
    let target = Cli::start("transfer", "target", None);
    let before = state(&target);
    let dry = target.run(&["import", file, "--dry-run"]);
    assert!(dry.status.success(), "{}", text(&dry.stderr));
    let shown = text(&dry.stdout);
    assert!(
        shown.contains("[x] + Connector 'Reception SMS' (sms, twilio)"),
        "{shown}"
    );
    assert!(
        shown.contains("needs the Auth Token or API key secret: --secret-env 'Reception SMS=VAR'"),
        "{shown}"
    );
    assert_eq!(state(&target), before, "a dry run changes nothing");

    // A secret not given is named after the flag, and nothing is imported.
    let missing = import(
        &target,
        &["import", file, "--secret-env", "Telnyx=TELNYX_KEY"],
        &[("TELNYX_KEY", &seed.telnyx.api_key)],
    );
    assert_eq!(missing.status.code(), Some(2), "{}", text(&missing.stderr));
    assert!(
        text(&missing.stderr).contains("--secret-env 'Reception SMS=VAR'"),
        "{}",
        text(&missing.stderr)
    );
    assert_eq!(state(&target), before);

    let imported = import(
        &target,
        &[
            "--json",
            "import",
            file,
            "--secret-env",
            "Reception SMS=TWILIO_TOKEN",
            "--secret-env",
            "Telnyx=TELNYX_KEY",
        ],
        &[
            ("TWILIO_TOKEN", &seed.twilio.auth_token),
            ("TELNYX_KEY", &seed.telnyx.api_key),
        ],
    );
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    let result: Value = serde_json::from_slice(&imported.stdout).unwrap();
    let connectors = result["applied"]["connectors"].as_array().unwrap();
    assert_eq!(connectors.len(), 2);
    assert!(
        connectors.iter().all(|c| c["state"] == "active"),
        "checked as on save: {connectors:?}"
    );
    assert_eq!(result["applied"]["numbersToReset"], 2);

    let again = target.run(&["export", "Grand Hotel"]);
    assert_eq!(
        normalized(&text(&again.stdout)),
        normalized(&written),
        "the same configuration on the other machine"
    );
    // The numbers are there, still to be refreshed from the provider.
    let imported_twilio = connectors
        .iter()
        .find(|c| c["name"] == "Reception SMS")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let channels = target.json(&["--json", "channel", "list"]);
    assert_eq!(channels[0]["e164"], "+14155550101");
    assert_eq!(channels[0]["connectorId"], imported_twilio.as_str());
}

#[test]
fn a_bad_file_exits_2_naming_the_path_and_changes_nothing() {
    let source = Cli::start("transfer", "bad-source", Some(Default::default()));
    hotel(&source);
    let good = text(&source.run(&["export", "Grand Hotel"]).stdout);
    let target = Cli::start("transfer", "bad-target", Some(Default::default()));
    hotel(&target);
    let mut twilio_first: Value = serde_json::from_str(&good).unwrap();
    let index = twilio_first["connectors"]
        .as_array()
        .unwrap()
        .iter()
        .position(|c| c["name"] == "Reception SMS")
        .unwrap();
    twilio_first["connectors"][index]["settings"]["accountSid"] = "AC12".into();
    let bad_sid = twilio_first.to_string();
    let newer = good.replacen("\"version\": 1", "\"version\": 7", 1);
    let unknown = good.replacen("\"agents\"", "\"colour\": 1,\n  \"agents\"", 1);

    let before = state(&target);
    let export_before = text(&target.run(&["export", "Grand Hotel"]).stdout);
    for (content, path) in [
        (bad_sid, format!("connectors[{index}].settings.accountSid")),
        (newer, "version".to_owned()),
        (unknown, "colour".to_owned()),
    ] {
        let file = target.data_dir.path().join("bad.json");
        std::fs::write(&file, &content).unwrap();
        let output = target.run(&["import", file.to_str().unwrap()]);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{path}: {}",
            text(&output.stderr)
        );
        let stderr = text(&output.stderr);
        assert!(
            stderr.contains(&format!("bad.json: {path}")),
            "{path}: {stderr}"
        );
        let json = target.run(&["--json", "import", file.to_str().unwrap()]);
        let error: Value = serde_json::from_slice(&json.stdout).unwrap();
        assert_eq!(error["error"]["code"], "validation");
        assert!(
            error["error"]["fields"][0]["field"]
                .as_str()
                .unwrap()
                .ends_with(&path),
            "{error}"
        );
    }
    assert_eq!(state(&target), before);
    assert_eq!(
        normalized(&text(&target.run(&["export", "Grand Hotel"]).stdout)),
        normalized(&export_before)
    );
    let missing = target.run(&["import", "/nonexistent/config.json"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        text(&missing.stderr).contains("FILE"),
        "{}",
        text(&missing.stderr)
    );
}

#[test]
fn only_the_named_items_are_imported() {
    let source = Cli::start("transfer", "only-source", Some(Default::default()));
    hotel(&source);
    let file = source.data_dir.path().join("grand-hotel.json");
    let file = file.to_str().unwrap();
    source.json(&["--json", "export", "Grand Hotel", "--out", file]);
    let target = Cli::start("transfer", "only-target", None);
    let seed = source.sandbox().seed().clone();
    let imported = import(
        &target,
        &[
            "--json",
            "import",
            file,
            "--only",
            "organization",
            "--only",
            "connector:Telnyx",
            "--only",
            "agent:Concierge",
            "--secret-env",
            "Telnyx=TELNYX_KEY",
        ],
        &[("TELNYX_KEY", &seed.telnyx.api_key)],
    );
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    let connectors = target.json(&["--json", "connector", "list"]);
    let names: Vec<&str> = connectors
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Telnyx"]);
    assert_eq!(
        target.json(&["--json", "agent", "list"])[0]["name"],
        "Concierge"
    );

    // A channel without its connector's number is refused by name.
    let refused = target.run(&[
        "import",
        file,
        "--only",
        "channel:Reception SMS/+14155550101",
    ]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        text(&refused.stderr).contains("--only 'channel:Reception SMS/+14155550101'"),
        "{}",
        text(&refused.stderr)
    );
}
