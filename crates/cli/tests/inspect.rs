//! `switchboard inspect --paste` as a support engineer runs it on a request captured on the
//! hotel's server: a genuine one exits 0 and says which URL Twilio signed; a tampered copy exits
//! 1 and says why; neither prints the Auth Token or the URL's secret token.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod support;

use std::io::{BufRead as _, BufReader};
use std::process::Stdio;

use serde_json::{Value, json};
use support::{Cli, text};
use switchboard_sandbox::signature::twilio_signature;

const AUTH_TOKEN: &str = "cli-inspect-auth-token-5ecret";

/// A Twilio connector of an organization with a public inbound URL; returns its webhook URL.
fn setup(cli: &Cli) -> String {
    cli.json(&[
        "--json",
        "org",
        "add",
        "Grand Hotel",
        "--inbound-base-url",
        "https://hooks.grand-hotel.example",
    ]);
    #[rustfmt::skip]
    let args = [
        "--json", "connector", "add", "--org", "Grand Hotel", "--kind", "sms",
        "--provider", "twilio", "--name", "Front desk", "--from", "+14155550101",
        "--account-sid", "AC0123456789abcdef0123456789abcdef",
        "--base-url", "http://127.0.0.1:9", "--secret-stdin",
    ];
    let output = cli.run_with_stdin(&args, &format!("{AUTH_TOKEN}\n"));
    assert!(output.status.success(), "{}", text(&output.stderr));
    let connector: Value = serde_json::from_slice(&output.stdout).unwrap();
    let id = connector["id"].as_str().unwrap();
    let url = cli.json(&["--json", "webhook", "url", id]);
    url["url"].as_str().unwrap().to_owned()
}

fn params() -> Vec<(String, String)> {
    [
        ("MessageSid", "SM0123456789abcdef0123456789abcdef"),
        ("From", "+46701234567"),
        ("To", "+14155550101"),
        ("Body", "Late check-in tonight"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect()
}

fn form(params: &[(String, String)]) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{k}={}", v.replace('+', "%2B").replace(' ', "+")))
        .collect::<Vec<_>>()
        .join("&")
}

fn assert_no_secret(cli: &Cli, url: &str, output: &std::process::Output) {
    let token = url.rsplit('/').next().unwrap();
    for stream in [text(&output.stdout), text(&output.stderr)] {
        assert!(!stream.contains(AUTH_TOKEN), "{stream}");
        assert!(!stream.contains(token), "the URL token leaked: {stream}");
    }
    let _ = cli;
}

#[test]
fn a_pasted_request_is_explained_and_a_tampered_copy_refused() {
    let cli = Cli::start("inspect", "paste", None);
    let public = setup(&cli);
    let signature = twilio_signature(AUTH_TOKEN, &public, &params());
    // Captured behind the hotel's TLS proxy: the app server saw plain http on port 8080.
    let internal = public.replacen(
        "https://hooks.grand-hotel.example",
        "http://10.0.0.5:8080",
        1,
    );
    let captured = json!({
        "method": "POST",
        "url": internal,
        "headers": {"X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded"},
        "body": form(&params()),
    });
    let file = cli.data_dir.path().join("captured.json");
    std::fs::write(&file, captured.to_string()).unwrap();
    let path = file.to_str().unwrap();

    let output = cli.run(&["--json", "inspect", "--paste", path]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_no_secret(&cli, &public, &output);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["valid"], true, "{report:#}");
    assert_eq!(report["kind"], "inbound_message");
    assert_eq!(report["signedVariant"]["source"], "public");
    assert_eq!(report["reasons"][0]["code"], "signed_another_url");

    let output = cli.run(&["inspect", "--paste", path]);
    assert!(output.status.success());
    let words = text(&output.stdout);
    assert!(
        words.starts_with("VALID  twilio inbound message for \"Front desk\""),
        "{words}"
    );
    assert!(
        words.contains("the public inbound URL set at the provider"),
        "{words}"
    );

    // The same request with its body changed on the way, as raw HTTP on stdin.
    let path_and_query = &internal["http://10.0.0.5:8080".len()..];
    let raw = format!(
        "POST {path_and_query} HTTP/1.1\r\nHost: 10.0.0.5:8080\r\nX-Twilio-Signature: {signature}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\n\r\n{}\n",
        form(&params()).replace("Late", "Early")
    );
    let output = cli.run_with_stdin(&["--json", "inspect", "--paste", "-"], &raw);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert_no_secret(&cli, &public, &output);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["valid"], false);
    assert_eq!(report["reasons"][0]["code"], "token_or_body", "{report:#}");

    let output = cli.run_with_stdin(&["inspect", "--paste", "-"], &raw);
    assert_eq!(output.status.code(), Some(1));
    let words = text(&output.stdout);
    assert!(words.starts_with("INVALID"), "{words}");
    assert!(words.contains("the body was changed on the way"), "{words}");

    // Not a request at all: bad input.
    let output = cli.run_with_stdin(&["inspect", "--paste", "-"], "hello");
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn the_listener_explains_each_request_and_stays_on_loopback_unless_confirmed() {
    let cli = Cli::start("inspect", "listen", None);
    let public = setup(&cli);
    let output = cli.run(&["inspect", "--bind", "0.0.0.0"]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr).contains("--allow-remote"),
        "{}",
        text(&output.stderr)
    );

    let mut child = cli
        .command(&["--json", "inspect", "--port", "0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    let listening = first["listening"].as_str().unwrap().to_owned();
    assert!(listening.starts_with("http://127.0.0.1:"), "{listening}");

    // Twilio posts to the public URL's path; the listener sees it on its own host.
    let path = &public["https://hooks.grand-hotel.example".len()..];
    let url = format!("{listening}{path}");
    let signature = twilio_signature(AUTH_TOKEN, &url, &params());
    let answer = cli
        .runtime
        .block_on(
            reqwest::Client::new()
                .post(&url)
                .header("X-Twilio-Signature", signature)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(form(&params()))
                .send(),
        )
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert!(
        cli.runtime
            .block_on(answer.text())
            .unwrap()
            .contains("<Response/>")
    );
    let seen: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(seen["report"]["valid"], true, "{seen:#}");
    assert_eq!(seen["report"]["kind"], "inbound_message");
    assert_eq!(seen["answered"], 200);
    // Stored with the connector's messages (the listener and the CLI share the data dir).
    let connector = path.split('/').nth(2).unwrap();
    let history = cli.json(&["--json", "messages", "history", connector]);
    let history = history.as_array().unwrap();
    assert_eq!(history.len(), 1, "{history:?}");
    assert_eq!(history[0]["direction"], "inbound");
    assert_eq!(history[0]["status"], "received");
    assert!(
        seen["applied"].as_str().unwrap().contains("stored"),
        "{seen:#}"
    );
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn a_telnyx_public_key_is_set_from_the_command_line_and_checked() {
    let cli = Cli::start(
        "inspect",
        "telnyx-key",
        Some(switchboard_sandbox::SandboxConfig::default()),
    );
    cli.json(&["--json", "org", "add", "Grand Hotel"]);
    let key = cli.sandbox().seed().telnyx.public_key.clone();
    let base = cli.sandbox().telnyx_base();
    #[rustfmt::skip]
    let add = |public_key: &str| cli.run_with_stdin(&[
        "--json", "connector", "add", "--org", "Grand Hotel", "--kind", "sms",
        "--provider", "telnyx", "--name", "Reception", "--from", "+13125550101", "--base-url", &base,
        "--public-key", public_key, "--secret-stdin",
    ], "KEY-telnyx\n");
    let output = add("not-a-key");
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr).contains("--public-key"),
        "{}",
        text(&output.stderr)
    );
    let output = add(&key);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let connector: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(connector["settings"]["publicKey"], key.as_str());
}
