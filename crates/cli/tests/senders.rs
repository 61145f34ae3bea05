//! `switchboard senders …` as support engineers run it against the sandbox (real database, real
//! keychain from `scripts/with-keyring.sh`): register → a wrong code → verify → ONLINE → update
//! → remove, with exit codes 0/1/2, flags named in errors, and JSON on stdout.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod support;

use serde_json::Value;
use support::{Cli, text};

impl Cli {
    fn new(test: &str) -> Self {
        Self::start(
            "senders",
            test,
            Some(switchboard_sandbox::SandboxConfig {
                lifecycle_step_ms: 60,
                ..switchboard_sandbox::SandboxConfig::default()
            }),
        )
    }

    /// The seeded Twilio account as a WhatsApp connector; returns its id.
    fn whatsapp_connector(&self) -> String {
        self.json(&["--json", "org", "add", "Grand Hotel"]);
        let seed = self.sandbox().seed().twilio.clone();
        let base = self.sandbox().twilio_base();
        #[rustfmt::skip]
        let args = [
            "--json", "connector", "add", "--org", "Grand Hotel", "--kind", "whatsapp",
            "--provider", "twilio", "--name", "Front desk", "--account-sid", &seed.account_sid,
            "--from", "+14155550101", "--base-url", &base, "--secret-stdin",
        ];
        let added = self.run_with_stdin(&args, &format!("{}\n", seed.auth_token));
        assert!(added.status.success(), "{}", text(&added.stderr));
        let connector: Value = serde_json::from_slice(&added.stdout).unwrap();
        connector["id"].as_str().unwrap().to_owned()
    }

    fn code_for(&self, sender_id: &str) -> String {
        let url = self.sandbox().admin_url("verification-codes");
        let token = self.sandbox().admin_token().to_owned();
        let codes: Value = self.runtime.block_on(async {
            reqwest::Client::new()
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap()
        });
        codes[sender_id].as_str().unwrap().to_owned()
    }
}

#[test]
fn register_verify_update_and_remove_a_sender() {
    let cli = Cli::new("flow");
    let id = cli.whatsapp_connector();

    let listed = cli.json(&["--json", "senders", "list", &id]);
    assert_eq!(listed.as_array().unwrap().len(), 9);
    let offline = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["status"] == "OFFLINE")
        .unwrap();
    assert_eq!(offline["offlineReasons"][0]["code"], "63101");
    assert!(
        offline["offlineReasons"][0]["fix"]
            .as_str()
            .unwrap()
            .contains("WhatsApp Manager")
    );
    let human = cli.run(&["senders", "show", &id, offline["sid"].as_str().unwrap()]);
    assert!(human.status.success());
    let shown = text(&human.stdout);
    assert!(
        shown.contains("fix: Check the WhatsApp Business Account ID"),
        "{shown}"
    );
    assert!(shown.contains("250 customers"), "{shown}");

    // Bad input: exit 2, the flag named, nothing sent.
    #[rustfmt::skip]
    let bad = cli.run(&[
        "--json", "senders", "register", &id, "--sender", "+46701234567",
        "--profile-name", "Grand Hotel", "--vertical", "Hotels", "--email", "desk@hotel.example",
        "--email", "nope",
    ]);
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad.stderr));
    let error: Value = serde_json::from_slice(&bad.stdout).unwrap();
    let fields: Vec<&str> = error["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["--email #2", "--vertical"]);

    #[rustfmt::skip]
    let registered = cli.run(&[
        "--json", "senders", "register", &id, "--sender", "+46 70 123 45 67",
        "--waba-id", "1234567890", "--verification-method", "sms", "--profile-name", "Grand Hotel",
        "--about", "Open 24/7", "--vertical", "Hotel and Lodging", "--email", "desk@hotel.example",
        "--website", "https://hotel.example", "--logo-url", "https://hotel.example/logo.png",
        "--callback-url", "https://hooks.hotel.example/wa", "--callback-method", "POST", "--wait",
    ]);
    assert!(registered.status.success(), "{}", text(&registered.stderr));
    let waiting: Value = serde_json::from_slice(&registered.stdout).unwrap();
    assert_eq!(waiting["status"], "PENDING_VERIFICATION");
    assert_eq!(waiting["awaitingCode"], true);
    assert_eq!(waiting["profile"]["vertical"], "Hotel and Lodging");
    assert!(text(&registered.stderr).contains("PENDING_VERIFICATION"));

    let code = cli.code_for("whatsapp:+46701234567");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let refused = cli.run(&["--json", "senders", "verify", &id, "+46701234567", wrong]);
    assert_eq!(refused.status.code(), Some(1));
    let error: Value = serde_json::from_slice(&refused.stdout).unwrap();
    assert_eq!(error["error"]["provider"]["providerCode"], "63113");
    assert!(
        text(&refused.stderr).contains("code was wrong"),
        "{}",
        text(&refused.stderr)
    );

    let not_digits = cli.run(&["senders", "verify", &id, "+46701234567", "abc"]);
    assert_eq!(not_digits.status.code(), Some(2));
    assert!(text(&not_digits.stderr).contains("CODE"));

    let online = cli.json(&[
        "--json",
        "senders",
        "verify",
        &id,
        "whatsapp:+46701234567",
        &code,
        "--wait",
    ]);
    assert_eq!(online["status"], "ONLINE");
    assert_eq!(online["qualityRating"], "HIGH");

    let updated = cli.json(&[
        "--json",
        "senders",
        "update",
        &id,
        "+46701234567",
        "--about",
        "Late check-in",
        "--wait",
    ]);
    assert_eq!(updated["status"], "ONLINE");
    assert_eq!(updated["profile"]["about"], "Late check-in");
    assert_eq!(updated["profile"]["name"], "Grand Hotel");
    let nothing = cli.run(&["senders", "update", &id, "+46701234567"]);
    assert_eq!(nothing.status.code(), Some(2));

    // Remove: the warning first; without --yes (and no terminal) nothing is removed.
    let unconfirmed = cli.run(&["senders", "remove", &id, "+46701234567"]);
    assert_eq!(unconfirmed.status.code(), Some(2));
    let stderr = text(&unconfirmed.stderr);
    assert!(stderr.contains("two-step verification"), "{stderr}");
    assert!(stderr.contains("--yes"), "{stderr}");
    let still = cli.json(&["--json", "senders", "show", &id, "+46701234567"]);
    assert_eq!(still["status"], "ONLINE");

    let removed = cli.json(&["--json", "senders", "remove", &id, "+46701234567", "--yes"]);
    assert_eq!(removed["e164"], "+46701234567");
    assert!(
        removed["warning"]
            .as_str()
            .unwrap()
            .contains("two-step verification")
    );
    let gone = cli.run(&["senders", "show", &id, "+46701234567"]);
    assert_eq!(gone.status.code(), Some(2));

    // The numbers list followed every change: the sender is marked gone.
    let numbers = cli.json(&["--json", "numbers", "list", &id, "--cached"]);
    let row = numbers["numbers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["e164"] == "+46701234567")
        .unwrap();
    assert_eq!(row["gone"], true);
}
