//! The `switchboard` binary as support engineers run it: real database, real keychain (a Secret
//! Service that `make test` starts), exit codes and JSON as in the CLI contract.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod support;

use std::path::Path;
use std::process::{Output, Stdio};

use serde_json::Value;
use support::{Cli, e164s, text};

const TOKEN: &str = "c0ffee0123456789abcdef0123456789";

impl Cli {
    fn new(test: &str) -> Self {
        Self::start(
            "main",
            test,
            Some(switchboard_sandbox::SandboxConfig::default()),
        )
    }
}

fn add_whatsapp(cli: &Cli, sid: &str, token: &str) -> Output {
    let base = cli.sandbox().twilio_base();
    #[rustfmt::skip]
    let args = [
        "--json", "connector", "add", "--org", "Grand Hotel", "--kind", "whatsapp",
        "--provider", "twilio", "--name", "Front desk", "--account-sid", sid,
        "--from", "+46 70 123 45 67", "--to", "+46 70 765 43 21,night@hotel.example",
        "--base-url", &base, "--secret-stdin",
    ];
    cli.run_with_stdin(&args, &format!("{token}\n"))
}

#[test]
fn add_list_show_edit_remove() {
    let cli = Cli::new("crud");
    let org = cli.json(&["--json", "org", "add", "Grand Hotel"]);
    assert_eq!(org["name"], "Grand Hotel");

    let seed = cli.sandbox().seed().twilio.clone();
    let added = add_whatsapp(&cli, &seed.account_sid, &seed.auth_token);
    assert!(added.status.success(), "{}", text(&added.stderr));
    let connector: Value = serde_json::from_slice(&added.stdout).unwrap();
    assert_eq!(connector["name"], "Front desk");
    assert_eq!(connector["state"], "active", "{connector}");
    assert_eq!(connector["accountName"], "Switchboard Sandbox");
    assert_eq!(connector["settings"]["from"], "+46701234567");
    assert_eq!(
        connector["recipients"][0]["backupEmail"],
        "night@hotel.example"
    );
    let id = connector["id"].as_str().unwrap();

    let listed = cli.json(&["--json", "connector", "list"]);
    assert_eq!(listed[0]["id"], id);
    let shown = cli.json(&["--json", "connector", "show", &id[..8]]);
    assert_eq!(shown["id"], id);

    let edited = cli.json(&[
        "--json",
        "connector",
        "edit",
        id,
        "--name",
        "Reception",
        "--clear-recipients",
    ]);
    assert_eq!(edited["name"], "Reception");
    assert_eq!(edited["recipients"], Value::Array(vec![]));
    assert_eq!(
        edited["hasSecret"], true,
        "an edit without a secret keeps the stored one"
    );

    let human = cli.run(&["connector", "show", id]);
    let human = text(&human.stdout);
    assert!(human.contains("stored in the system keychain"), "{human}");
    assert!(!human.contains(TOKEN));

    assert!(
        !cli.database_contains(TOKEN),
        "the token never reaches SQLite"
    );
    assert!(cli.database_contains("Reception"));

    let removed = cli.run(&["connector", "remove", id]);
    assert!(removed.status.success(), "{}", text(&removed.stderr));
    assert_eq!(
        cli.json(&["--json", "connector", "list"]),
        Value::Array(vec![])
    );
}

#[test]
fn bad_input_exits_2_naming_the_flag_and_saves_nothing() {
    let cli = Cli::new("bad");
    cli.json(&["org", "add", "Grand Hotel", "--json"]);
    let output = add_whatsapp(&cli, "AC123", TOKEN);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("--account-sid"), "{stderr}");
    assert!(stderr.contains("starts with AC"), "{stderr}");
    let error: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(error["error"]["code"], "validation");
    assert_eq!(error["error"]["fields"][0]["field"], "--account-sid");
    assert!(!text(&output.stdout).contains(TOKEN) && !stderr.contains(TOKEN));
    assert_eq!(
        cli.json(&["--json", "connector", "list"]),
        Value::Array(vec![])
    );

    let no_secret = cli.run(&[
        "connector",
        "add",
        "--org",
        "Grand Hotel",
        "--kind",
        "sms",
        "--provider",
        "46elks",
        "--name",
        "SMS",
        "--username",
        "u0123",
        "--from",
        "GrandHotel",
    ]);
    assert_eq!(no_secret.status.code(), Some(2));
    assert!(
        text(&no_secret.stderr).contains("--secret-stdin"),
        "{}",
        text(&no_secret.stderr)
    );

    // Seeds 000 and 002: the sender is required (a Twilio one may be a Messaging Service SID).
    let no_from = cli.run_with_stdin(
        &[
            "connector",
            "add",
            "--org",
            "Grand Hotel",
            "--kind",
            "sms",
            "--provider",
            "telnyx",
            "--name",
            "SMS",
            "--secret-stdin",
        ],
        "KEY0123\n",
    );
    assert_eq!(no_from.status.code(), Some(2));
    let stderr = text(&no_from.stderr);
    assert!(
        stderr.contains("--from") && stderr.contains("Enter the sender"),
        "{stderr}"
    );

    let unknown_org = cli.run(&[
        "connector",
        "add",
        "--org",
        "Nope",
        "--kind",
        "email",
        "--provider",
        "smtp",
        "--name",
        "x",
    ]);
    assert_eq!(unknown_org.status.code(), Some(2));
    assert!(text(&unknown_org.stderr).contains("--org"));

    let wrong_kind = cli.run(&["connector", "add", "--org", "Grand Hotel", "--kind", "fax"]);
    assert_eq!(wrong_kind.status.code(), Some(2));
}

#[test]
fn without_a_keychain_the_error_says_what_to_start_and_nothing_is_saved() {
    let cli = Cli::new("nokeychain");
    cli.json(&["--json", "org", "add", "Grand Hotel"]);
    let mut command = cli.command(&[
        "connector",
        "add",
        "--org",
        "Grand Hotel",
        "--kind",
        "sms",
        "--provider",
        "telnyx",
        "--name",
        "SMS",
        "--from",
        "+13125550101",
        "--secret-env",
        "TELNYX_KEY",
    ]);
    let missing_bus = Path::new(cli.data_dir.path()).join("no-bus");
    command.env("TELNYX_KEY", "KEY0123").env(
        "DBUS_SESSION_BUS_ADDRESS",
        format!("unix:path={}", missing_bus.display()),
    );
    let output = command.output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("No system keychain is available"),
        "{stderr}"
    );
    assert!(stderr.contains("gnome-keyring"), "{stderr}");
    assert!(!stderr.contains("KEY0123"));
    assert_eq!(
        cli.json(&["--json", "connector", "list"]),
        Value::Array(vec![])
    );
}

#[test]
fn a_wrong_secret_is_saved_in_error_and_check_says_why() {
    let cli = Cli::new("wrong");
    cli.json(&["--json", "org", "add", "Grand Hotel"]);
    let seed = cli.sandbox().seed().twilio.clone();
    let added = add_whatsapp(&cli, &seed.account_sid, TOKEN);
    assert_eq!(added.status.code(), Some(0), "saved, so the add succeeded");
    let connector: Value = serde_json::from_slice(&added.stdout).unwrap();
    assert_eq!(connector["state"], "error");
    assert!(
        connector["stateReason"]
            .as_str()
            .unwrap()
            .contains("did not accept the credentials")
    );
    let id = connector["id"].as_str().unwrap();

    let failure = &connector["stateFailure"];
    assert_eq!(failure["provider"], "twilio");
    assert_eq!(failure["kind"], "INVALID_CREDENTIALS");
    assert_eq!(failure["providerCode"], "20003");
    assert_eq!(failure["httpStatus"], 401);
    assert!(
        failure["cause"]
            .as_str()
            .unwrap()
            .contains("did not accept")
    );
    assert!(failure["fix"].as_str().unwrap().contains("Twilio console"));
    assert!(
        failure["docsUrl"]
            .as_str()
            .unwrap()
            .starts_with("https://www.twilio.com/docs/")
    );
    assert!(
        !added
            .stdout
            .windows(TOKEN.len())
            .any(|w| w == TOKEN.as_bytes())
    );

    let check = cli.run(&["--json", "connector", "check", id]);
    assert_eq!(check.status.code(), Some(1));
    let checked: Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(
        checked["state"], "error",
        "one JSON document: the connector"
    );
    assert_eq!(checked["stateFailure"], *failure);
    assert!(text(&check.stderr).contains("20003"));

    // For people: the cause, the fix, and the codes with the provider's page.
    let shown = cli.run(&["connector", "check", id]);
    assert_eq!(shown.status.code(), Some(1));
    let stdout = text(&shown.stdout);
    assert!(
        stdout.contains("did not accept the credentials"),
        "{stdout}"
    );
    assert!(stdout.contains("fix: Copy the Account SID"), "{stdout}");
    assert!(
        stdout.contains(
            "code: INVALID_CREDENTIALS · Twilio 20003 (HTTP 401) — https://www.twilio.com/docs/"
        ),
        "{stdout}"
    );
    let stderr = text(&shown.stderr);
    assert!(
        stderr.contains("error: Twilio did not accept the credentials"),
        "{stderr}"
    );
    assert!(stderr.contains("fix: "), "{stderr}");

    let fixed = cli.run_with_stdin(
        &["connector", "edit", id, "--secret-stdin"],
        &seed.auth_token,
    );
    assert!(fixed.status.success(), "{}", text(&fixed.stderr));
    assert!(
        text(&fixed.stdout).contains("state:     active"),
        "{}",
        text(&fixed.stdout)
    );
    assert!(cli.run(&["connector", "check", id]).status.success());
}

#[test]
fn telnyx_and_46elks_connectors_are_checked_on_save() {
    let cli = Cli::new("sms");
    cli.json(&["--json", "org", "add", "Grand Hotel"]);
    let seed = cli.sandbox().seed().clone();
    let telnyx = cli.run_with_stdin(
        &[
            "--json",
            "connector",
            "add",
            "--org",
            "Grand Hotel",
            "--kind",
            "sms",
            "--provider",
            "telnyx",
            "--name",
            "Telnyx",
            "--from",
            "+13125550101",
            "--base-url",
            &cli.sandbox().telnyx_base(),
            "--secret-stdin",
        ],
        &seed.telnyx.api_key,
    );
    let telnyx: Value = serde_json::from_slice(&telnyx.stdout).unwrap();
    assert_eq!(telnyx["state"], "active");

    let elks = seed.elks;
    let add_elks = |name: &str, password: &str| {
        let output = cli.run_with_stdin(
            &[
                "--json",
                "connector",
                "add",
                "--org",
                "Grand Hotel",
                "--kind",
                "sms",
                "--provider",
                "46elks",
                "--name",
                name,
                "--username",
                &elks.username,
                "--from",
                "GrandHotel",
                "--base-url",
                &cli.sandbox().elks_base(),
                "--secret-stdin",
            ],
            password,
        );
        serde_json::from_slice::<Value>(&output.stdout).unwrap()
    };
    assert_eq!(add_elks("46elks", &elks.password)["state"], "active");
    let wrong = add_elks("46elks wrong", "nope");
    assert_eq!(wrong["state"], "error");
    assert!(
        wrong["stateReason"]
            .as_str()
            .unwrap()
            .contains("API username or password")
    );
}

impl Cli {
    fn admin(&self, path: &str, body: Value) -> Value {
        let url = self.sandbox().admin_url(path);
        let token = self.sandbox().admin_token().to_owned();
        self.runtime.block_on(async {
            let response = reqwest::Client::new()
                .post(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap();
            assert!(response.status().is_success(), "{path}");
            response.json().await.unwrap_or(Value::Null)
        })
    }

    /// An org with an inbound base URL and a Twilio SMS connector on the given account, sending
    /// from `from` (one of its numbers).
    fn sms_connector(&self, sid: &str, token: &str, from: &str) -> String {
        self.json(&[
            "--json",
            "org",
            "add",
            "Grand Hotel",
            "--inbound-base-url",
            "https://hooks.grand.example",
        ]);
        let base = self.sandbox().twilio_base();
        #[rustfmt::skip]
        let args = [
            "--json", "connector", "add", "--org", "Grand Hotel", "--kind", "sms", "--provider",
            "twilio", "--name", "Reception SMS", "--account-sid", sid, "--from", from,
            "--base-url", &base, "--secret-stdin",
        ];
        let added = self.run_with_stdin(&args, &format!("{token}\n"));
        assert!(added.status.success(), "{}", text(&added.stderr));
        let connector: Value = serde_json::from_slice(&added.stdout).unwrap();
        connector["id"].as_str().unwrap().to_owned()
    }
}

#[test]
fn numbers_webhooks_drift_and_channels() {
    let cli = Cli::new("numbers");
    let seed = cli.sandbox().seed().twilio.clone();
    let id = cli.sms_connector(&seed.account_sid, &seed.auth_token, "+14155550101");

    let list = cli.json(&["--json", "numbers", "list", &id]);
    assert_eq!(list["numbers"].as_array().unwrap().len(), 5);
    let activated = cli.json(&[
        "--json",
        "numbers",
        "activate",
        &id,
        "+14155550101",
        "+1 415 555 0103",
    ]);
    let active: Vec<&str> = activated["numbers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["active"] == true)
        .map(|n| n["e164"].as_str().unwrap())
        .collect();
    assert_eq!(active, ["+14155550101", "+14155550103"]);
    // The active numbers alone (what a channel or a test send can use), from the kept list.
    let only_active = cli.json(&["--json", "numbers", "list", &id, "--cached", "--active"]);
    assert_eq!(e164s(&only_active), active);
    let shown = cli.run(&["numbers", "list", &id, "--active"]);
    assert!(
        text(&shown.stdout).starts_with("2 active numbers, fetched "),
        "{}",
        text(&shown.stdout)
    );
    #[rustfmt::skip]
    let both = cli.run(&["numbers", "list", &id, "--cached", "--active", "--offset", "1"]);
    assert_eq!(both.status.code(), Some(2));
    assert!(
        text(&both.stderr).contains("--active") && text(&both.stderr).contains("--offset"),
        "{}",
        text(&both.stderr)
    );
    // One page of the list, with the whole list's counts; a bad page size names its flag.
    #[rustfmt::skip]
    let page = cli.json(&["--json", "numbers", "list", &id, "--cached", "--offset", "1", "--limit", "2"]);
    assert_eq!(
        (page["total"].as_u64(), page["active"].as_u64()),
        (Some(5), Some(2))
    );
    assert_eq!(e164s(&page), e164s(&activated)[1..3]);
    let shown = cli.run(&["numbers", "list", &id, "--cached", "--offset", "4"]);
    assert!(
        text(&shown.stdout).starts_with("Numbers 5–5 of 5 (2 active), fetched "),
        "{}",
        text(&shown.stdout)
    );
    let too_big = cli.run(&["numbers", "list", &id, "--cached", "--limit", "5000"]);
    assert_eq!(too_big.status.code(), Some(2));
    assert!(
        text(&too_big.stderr).contains("--limit"),
        "{}",
        text(&too_big.stderr)
    );
    let unknown = cli.run(&["numbers", "activate", &id, "+14155559999"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        text(&unknown.stderr).contains("NUMBER #1"),
        "{}",
        text(&unknown.stderr)
    );

    let plan = cli.json(&["--json", "webhook", "set", &id, "--all", "--dry-run"]);
    assert_eq!(plan["plan"].as_array().unwrap().len(), 2);
    let url = cli.json(&["--json", "webhook", "url", &id])["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let set = cli.run(&["--json", "webhook", "set", &id, "--all"]);
    assert!(set.status.success(), "{}", text(&set.stderr));
    assert!(text(&set.stderr).contains("[2/2]"), "progress on stderr");
    let job: Value = serde_json::from_slice(&set.stdout).unwrap();
    assert!(
        job["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["outcome"] == "changed" && i["newUrl"] == url.as_str())
    );

    let drift = cli.json(&["--json", "drift", &id]);
    assert_eq!(drift.as_array().unwrap().len(), 2);
    assert!(
        drift
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["reasons"] == Value::Array(vec![]))
    );

    cli.json(&[
        "--json",
        "agent",
        "add",
        "--org",
        "Grand Hotel",
        "Front desk",
    ]);
    cli.json(&[
        "--json",
        "agent",
        "add",
        "--org",
        "Grand Hotel",
        "Night porter",
    ]);
    cli.json(&[
        "--json",
        "channel",
        "bind",
        "Front desk",
        &id,
        "+14155550101",
    ]);
    let twice = cli.run(&["channel", "bind", "Night porter", &id, "+14155550101"]);
    assert_eq!(twice.status.code(), Some(2));
    assert!(
        text(&twice.stderr).contains("Already bound"),
        "{}",
        text(&twice.stderr)
    );
    cli.json(&["--json", "channel", "unbind", "Front desk", "+14155550101"]);
    cli.json(&[
        "--json",
        "channel",
        "bind",
        "Night porter",
        &id,
        "+14155550101",
    ]);
    let channels = cli.json(&["--json", "channel", "list"]);
    assert_eq!(channels[0]["agentName"], "Night porter");
    let audit = cli.json(&["--json", "audit"]);
    assert!(
        audit
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "channel.unbind")
    );
}

#[test]
fn a_bulk_job_killed_midway_is_consistent_and_can_be_resumed_and_rolled_back() {
    use std::io::{BufRead, BufReader};

    let cli = Cli::new("kill");
    let account = cli.admin(
        "accounts",
        serde_json::json!({"provider": "twilio", "numbers": 24}),
    );
    let id = cli.sms_connector(
        account["twilio"]["account_sid"].as_str().unwrap(),
        account["twilio"]["auth_token"].as_str().unwrap(),
        account["numbers"][0].as_str().unwrap(),
    );
    let list = cli.json(&["--json", "numbers", "list", &id]);
    let numbers = e164s(&list);
    let mut activate = vec!["--json", "numbers", "activate", &id];
    activate.extend(numbers.iter().map(String::as_str));
    cli.json(&activate);

    // Slow answers, two at a time: the job takes seconds; kill it after a few numbers.
    cli.admin("latency", serde_json::json!({"ms": 250}));
    let mut child = cli
        .command(&["webhook", "set", &id, "--all", "--concurrency", "2"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let mut progress = 0;
    for line in stderr.lines() {
        if line.unwrap().starts_with('[') {
            progress += 1;
        }
        if progress == 5 {
            break;
        }
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    cli.admin("latency", serde_json::json!({"ms": 0}));

    let jobs = cli.json(&["--json", "webhook", "jobs", &id]);
    let job = &jobs[0];
    assert_eq!(
        job["state"], "running",
        "an interrupted job stays open: {job}"
    );
    let items = job["items"].as_array().unwrap();
    assert_eq!(
        items.len(),
        24,
        "every number journaled before the first change"
    );
    let changed: Vec<&str> = items
        .iter()
        .filter(|i| i["outcome"] == "changed")
        .map(|i| i["e164"].as_str().unwrap())
        .collect();
    assert!(
        changed.len() >= 5 && changed.len() < 24,
        "{} changed",
        changed.len()
    );
    // What the journal calls changed is what the provider has.
    let url = cli.json(&["--json", "webhook", "url", &id])["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let at_provider = cli.json(&["--json", "numbers", "list", &id]);
    for number in at_provider["numbers"].as_array().unwrap() {
        if changed.contains(&number["e164"].as_str().unwrap()) {
            assert_eq!(number["webhookUrl"], url.as_str());
        }
    }

    let job_id = job["id"].as_str().unwrap();
    let resumed = cli.json(&["--json", "webhook", "resume", job_id]);
    assert_eq!(resumed["state"], "finished");
    assert!(
        resumed["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["outcome"] == "changed")
    );
    let set = cli.json(&["--json", "numbers", "list", &id]);
    assert!(
        set["numbers"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["webhookUrl"] == url.as_str() && n["webhookState"] == "configured")
    );

    let rollback = cli.json(&["--json", "webhook", "rollback", job_id]);
    assert_eq!(rollback["kind"], "rollback");
    let restored = cli.json(&["--json", "numbers", "list", &id]);
    assert!(
        restored["numbers"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["webhookUrl"].is_null())
    );
}

/// One bulk job per connector across processes: while a job runs in this process (the services
/// the app runs on, on the same data folder and keychain), `switchboard webhook set`, `resume` and
/// `rollback` on that connector are refused with `job_running` (exit 1); while the CLI runs one,
/// a job started here is refused the same way. Each journal holds its own job's numbers only,
/// and every number ends with the URL. Without the lock both jobs ran, interleaved.
#[test]
fn a_second_bulk_job_on_a_connector_from_another_process_is_refused() {
    use std::io::{BufRead, BufReader};
    use std::sync::{Arc, mpsc};
    use switchboard_core::{CoreError, KeyringSecretStore, Switchboard, numbers::JobOutcome};

    let cli = Cli::new("joblock");
    let account = cli.admin(
        "accounts",
        serde_json::json!({"provider": "twilio", "numbers": 24}),
    );
    let id = cli.sms_connector(
        account["twilio"]["account_sid"].as_str().unwrap(),
        account["twilio"]["auth_token"].as_str().unwrap(),
        account["numbers"][0].as_str().unwrap(),
    );
    let list = cli.json(&["--json", "numbers", "list", &id]);
    let numbers = e164s(&list);
    let mut activate = vec!["--json", "numbers", "activate", &id];
    activate.extend(numbers.iter().map(String::as_str));
    cli.json(&activate);
    let url = cli.json(&["--json", "webhook", "url", &id])["url"]
        .as_str()
        .unwrap()
        .to_owned();
    // Slow answers, two at a time: a job takes seconds.
    cli.admin("latency", serde_json::json!({"ms": 200}));

    // "The app": its own connection to the data folder and the same keychain.
    let app = Switchboard::open_with_secrets(
        cli.data_dir.path(),
        Arc::new(KeyringSecretStore::with_namespace(Some(&cli.namespace))),
    )
    .unwrap();
    let (started, journaled) = mpsc::channel();
    let job = {
        let (app, id) = (app.clone(), id.clone());
        let started = std::sync::Mutex::new(started);
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Runtime::new().unwrap();
            let progress = move |p: &switchboard_core::numbers::JobProgress| {
                let _ = started.lock().unwrap().send(p.job_id.clone());
            };
            runtime.block_on(app.webhook_set(&id, &[], Some(2), &progress))
        })
    };
    let job_id = journaled
        .recv_timeout(std::time::Duration::from_secs(30))
        .unwrap();

    let refused = |args: &[&str]| {
        let output = cli.run(args);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{args:?} ran beside the other job: {}",
            text(&output.stderr)
        );
        let error: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(error["error"]["code"], "job_running", "{error}");
        let message = error["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("'Reception SMS'") && message.contains("the CLI"),
            "{message}"
        );
        assert!(text(&output.stderr).contains("already running"));
    };
    refused(&["--json", "webhook", "set", &id, "--all"]);
    refused(&["--json", "webhook", "resume", &job_id]);
    refused(&["--json", "webhook", "rollback", &job_id]);

    let done = job.join().unwrap().unwrap();
    assert_eq!(done.count(JobOutcome::Changed), 24, "{done:#?}");
    let jobs = cli.json(&["--json", "webhook", "jobs", &id]);
    let jobs = jobs.as_array().unwrap();
    assert_eq!(
        jobs.len(),
        1,
        "only the running job was journaled: {jobs:?}"
    );
    assert_eq!(jobs[0]["id"], job_id.as_str());
    assert_eq!(jobs[0]["state"], "finished");
    assert_eq!(jobs[0]["items"].as_array().unwrap().len(), 24);

    // The other way round: the CLI runs a job (a rollback), a job started here is refused.
    let mut child = cli
        .command(&["webhook", "rollback", &job_id, "--concurrency", "2"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap()).lines();
    // The first progress line comes once the job is journaled (and its lock held).
    loop {
        let line = stderr.next().unwrap().unwrap();
        if line.starts_with('[') {
            break;
        }
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let quiet = |_: &switchboard_core::numbers::JobProgress| {};
    match runtime.block_on(app.webhook_set(&id, &[], None, &quiet)) {
        Err(error @ CoreError::JobRunning { .. }) => {
            assert!(error.to_string().contains("'Reception SMS'"), "{error}");
        }
        other => panic!("a job ran beside the CLI's: {other:?}"),
    }
    for _ in stderr {}
    assert!(child.wait().unwrap().success());

    let jobs = cli.json(&["--json", "webhook", "jobs", &id]);
    let jobs = jobs.as_array().unwrap();
    assert_eq!(jobs.len(), 2, "the set and its rollback, nothing else");
    let rollback = jobs.iter().find(|j| j["kind"] == "rollback").unwrap();
    assert_eq!(rollback["state"], "finished");
    assert_eq!(rollback["items"].as_array().unwrap().len(), 24);
    cli.admin("latency", serde_json::json!({"ms": 0}));
    let at_provider = cli.json(&["--json", "numbers", "list", &id]);
    for number in at_provider["numbers"].as_array().unwrap() {
        assert!(number["webhookUrl"].is_null(), "{number}");
    }
    // Once the CLI's job ended, this process can start one.
    let again = runtime
        .block_on(app.webhook_set(&id, &[], None, &quiet))
        .unwrap();
    assert_eq!(again.count(JobOutcome::Changed), 24);
    assert!(
        again
            .items
            .iter()
            .all(|i| i.new_url.as_deref() == Some(url.as_str()))
    );
}

/// Adds a Twilio WhatsApp connector at `base` and runs `connector check` on it, as JSON and as
/// text. The check reads no sender: the From is any well-formed one.
fn checked_twilio(cli: &Cli, name: &str, base: &str, sid: &str, token: &str) -> (Value, Output) {
    #[rustfmt::skip]
    let args = [
        "--json", "connector", "add", "--org", "Grand Hotel", "--kind", "whatsapp",
        "--provider", "twilio", "--name", name, "--account-sid", sid, "--from", "+14155550101",
        "--base-url", base, "--secret-stdin",
    ];
    let added = cli.run_with_stdin(&args, &format!("{token}\n"));
    assert_eq!(added.status.code(), Some(0), "{}", text(&added.stderr));
    let connector: Value = serde_json::from_slice(&added.stdout).unwrap();
    let id = connector["id"].as_str().unwrap();
    let shown = cli.run(&["connector", "check", id]);
    assert_eq!(shown.status.code(), Some(1), "a failed check exits 1");
    (connector, shown)
}

#[test]
fn a_suspended_account_says_so_with_cause_fix_and_code() {
    let cli = Cli::new("suspended");
    cli.json(&["--json", "org", "add", "Grand Hotel"]);
    let account = cli.admin(
        "accounts",
        serde_json::json!({"provider": "twilio", "account_status": "suspended"}),
    );
    let sid = account["twilio"]["account_sid"]
        .as_str()
        .unwrap()
        .to_owned();
    let token = account["twilio"]["auth_token"].as_str().unwrap().to_owned();
    let base = cli.sandbox().twilio_base();
    let (connector, shown) = checked_twilio(&cli, "Suspended", &base, &sid, &token);
    assert_eq!(connector["state"], "error");
    assert_eq!(connector["stateFailure"]["kind"], "ACCOUNT_SUSPENDED");
    assert!(
        connector["stateFailure"]["fix"]
            .as_str()
            .unwrap()
            .contains("reactivate")
    );
    let stdout = text(&shown.stdout);
    assert!(stdout.contains("suspended or closed"), "{stdout}");
    assert!(stdout.contains("code: ACCOUNT_SUSPENDED"), "{stdout}");
    assert!(
        stdout.contains("fix: Contact the provider's support"),
        "{stdout}"
    );
}

#[test]
fn an_unreachable_host_says_so_with_cause_fix_and_code() {
    let cli = Cli::new("unreachable");
    cli.json(&["--json", "org", "add", "Grand Hotel"]);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let seed = cli.sandbox().seed().twilio.clone();
    let base = format!("http://127.0.0.1:{port}/twilio");
    let (connector, shown) =
        checked_twilio(&cli, "Nowhere", &base, &seed.account_sid, &seed.auth_token);
    let failure = &connector["stateFailure"];
    assert_eq!(failure["kind"], "UNREACHABLE");
    assert_eq!(failure["providerCode"], Value::Null);
    assert_eq!(failure["docsUrl"], Value::Null);
    assert!(
        failure["cause"]
            .as_str()
            .unwrap()
            .contains("connection refused")
    );
    let stdout = text(&shown.stdout);
    assert!(stdout.contains("could not be reached"), "{stdout}");
    assert!(
        stdout.contains("fix: Check the connector's API address"),
        "{stdout}"
    );
    assert!(stdout.contains("code: UNREACHABLE"), "{stdout}");
    let stderr = text(&shown.stderr);
    assert!(
        stderr.contains("error: The provider could not be reached"),
        "{stderr}"
    );
}

/// Stops a `switchboard sandbox` this test started, however the test ends.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_sandbox_command_prints_an_admin_token_that_its_admin_api_wants() {
    use std::io::BufRead as _;

    let cli = Cli::new("sandbox-token");
    let mut child = Child(
        cli.command(&["sandbox", "--port", "0", "--seed", "7"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let stdout = child.0.stdout.take().unwrap();
    let mut line = String::new();
    std::io::BufReader::new(stdout)
        .read_line(&mut line)
        .unwrap();
    let start: Value = serde_json::from_str(&line).unwrap();
    let url = start["url"].as_str().unwrap().to_owned();
    let token = start["admin_token"].as_str().unwrap_or_default().to_owned();
    assert!(token.len() >= 32, "{line}");
    let status = |token: Option<&str>| {
        let mut request = reqwest::Client::new()
            .post(format!("{url}/_sandbox/accounts"))
            .json(&serde_json::json!({"provider": "telnyx"}));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        cli.runtime
            .block_on(async { request.send().await.unwrap().status().as_u16() })
    };
    assert_eq!(status(None), 401);
    assert_eq!(status(Some("0123456789abcdef0123456789abcdef")), 401);
    assert_eq!(status(Some(&token)), 201);
}

#[test]
fn an_edit_replaces_the_secret_only_when_a_flag_asks() {
    let cli = Cli::new("editsecret");
    cli.json(&["--json", "org", "add", "Grand Hotel"]);
    let seed = cli.sandbox().seed().twilio.clone();
    let added = add_whatsapp(&cli, &seed.account_sid, &seed.auth_token);
    assert!(added.status.success(), "{}", text(&added.stderr));
    let connector: Value = serde_json::from_slice(&added.stdout).unwrap();
    let id = connector["id"].as_str().unwrap();

    // A stray $SWITCHBOARD_SECRET (left from an earlier `connector add`) is not an edit's secret.
    let mut edit = cli.command(&["--json", "connector", "edit", id, "--name", "Reception"]);
    edit.env("SWITCHBOARD_SECRET", "0000wrong0000-from-the-environment");
    let edited = edit.stdin(Stdio::null()).output().unwrap();
    assert!(edited.status.success(), "{}", text(&edited.stderr));
    let edited: Value = serde_json::from_slice(&edited.stdout).unwrap();
    assert_eq!(edited["name"], "Reception");
    assert_eq!(
        edited["state"], "active",
        "the check after the edit used the stored secret: {edited}"
    );

    // Named with --secret-env, the variable is read.
    let mut replace = cli.command(&["--json", "connector", "edit", id, "--secret-env", "TOKEN"]);
    replace.env("TOKEN", "0000wrong0000-asked-for");
    let replaced = replace.stdin(Stdio::null()).output().unwrap();
    assert!(replaced.status.success(), "{}", text(&replaced.stderr));
    let replaced: Value = serde_json::from_slice(&replaced.stdout).unwrap();
    assert_eq!(replaced["state"], "error", "{replaced}");
}

#[test]
fn a_flag_of_another_provider_is_bad_input() {
    let cli = Cli::new("foreignflag");
    cli.json(&["--json", "org", "add", "Grand Hotel"]);
    let mut add = cli.command(&[
        "--json",
        "connector",
        "add",
        "--org",
        "Grand Hotel",
        "--kind",
        "sms",
        "--provider",
        "telnyx",
        "--name",
        "SMS",
        "--from",
        "+13125550101",
        "--smtp-host",
        "smtp.hotel.example",
        "--secret-env",
        "KEY",
    ]);
    add.env("KEY", "KEY0123");
    let output = add.stdin(Stdio::null()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let error: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(error["error"]["fields"][0]["field"], "--smtp-host");
    assert_eq!(
        cli.json(&["--json", "connector", "list"]),
        Value::Array(vec![])
    );

    // An SMTP connector's settings are named by the SMTP flags.
    let smtp = cli.run(&[
        "--json",
        "connector",
        "add",
        "--org",
        "Grand Hotel",
        "--kind",
        "email",
        "--provider",
        "smtp",
        "--name",
        "Backup",
        "--smtp-host",
        "smtp.hotel.example",
        "--from",
        "noreply@hotel.example",
    ]);
    assert_eq!(smtp.status.code(), Some(2));
    let error: Value = serde_json::from_slice(&smtp.stdout).unwrap();
    assert_eq!(error["error"]["fields"][0]["field"], "--smtp-port");
}

#[test]
fn messages_sync_imports_the_history_once() {
    let cli = Cli::new("history");
    let account = cli.admin(
        "accounts",
        serde_json::json!({"provider": "twilio", "numbers": 1}),
    );
    let sid = account["twilio"]["account_sid"].as_str().unwrap();
    cli.admin(
        "history",
        serde_json::json!({"provider": "twilio", "account": sid, "count": 1200, "days": 20}),
    );
    let id = cli.sms_connector(
        sid,
        account["twilio"]["auth_token"].as_str().unwrap(),
        account["numbers"][0].as_str().unwrap(),
    );

    let first = cli.json(&["--json", "messages", "sync", &id]);
    assert_eq!(first["fetched"], 1200);
    assert_eq!(first["new"], 1200);
    // 1200 sent at 1000 a page, and one page of inbound (none).
    assert_eq!(first["pages"], 3);
    assert_eq!(first["first"], true);

    let again = cli.run(&["messages", "sync", &id]);
    assert!(again.status.success(), "{}", text(&again.stderr));
    let stdout = text(&again.stdout);
    assert!(stdout.contains(" 0 new"), "{stdout}");
    assert!(stdout.contains("since the last import"), "{stdout}");

    // What was imported, newest first.
    let history = cli.json(&["--json", "messages", "history", &id, "--limit", "5"]);
    let history = history.as_array().unwrap();
    assert_eq!(history.len(), 5);
    assert!(history[0]["sentAt"].as_str().unwrap() >= history[4]["sentAt"].as_str().unwrap());
    assert!(
        history[0]["providerMessageId"]
            .as_str()
            .unwrap()
            .starts_with("SM")
    );

    let unknown = cli.run(&["messages", "sync", "no-such-connector"]);
    assert_eq!(unknown.status.code(), Some(2), "{}", text(&unknown.stderr));
}

#[test]
fn audit_filters_by_connector_action_search_and_time_and_names_a_bad_flag() {
    let cli = Cli::new("audit");
    cli.json(&["--json", "org", "add", "Grand Hotel"]);
    let seed = cli.sandbox().seed().twilio.clone();
    let added = add_whatsapp(&cli, &seed.account_sid, &seed.auth_token);
    assert!(added.status.success(), "{}", text(&added.stderr));
    let id = serde_json::from_slice::<Value>(&added.stdout).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    cli.json(&["--json", "connector", "edit", &id, "--name", "Reception"]);
    cli.json(&[
        "--json",
        "agent",
        "add",
        "--org",
        "Grand Hotel",
        "Concierge",
    ]);
    let renamed = cli.json(&["--json", "agent", "rename", "Concierge", "Night porter"]);
    assert_eq!(renamed["name"], "Night porter");
    cli.json(&["--json", "agent", "remove", "Night porter"]);
    assert_eq!(cli.json(&["--json", "agent", "list"]), Value::Array(vec![]));

    let actions = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["--json", "audit"];
        all.extend_from_slice(args);
        cli.json(&all)
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap().to_owned())
            .collect()
    };
    // Every admin action, newest first.
    assert_eq!(
        actions(&["--org", "Grand Hotel"]),
        [
            "agent.delete",
            "agent.rename",
            "agent.create",
            "connector.update",
            "connector.secret_replaced",
            "connector.create",
            "organization.create",
        ]
    );
    assert_eq!(
        actions(&["--connector", "Reception"]),
        [
            "connector.update",
            "connector.secret_replaced",
            "connector.create"
        ]
    );
    assert_eq!(
        actions(&["--action", "agent.create", "--action", "agent.delete"]),
        ["agent.delete", "agent.create"]
    );
    assert_eq!(
        actions(&["--search", "night porter"]),
        ["agent.delete", "agent.rename"]
    );
    assert_eq!(actions(&["--limit", "2"]).len(), 2);
    assert!(actions(&["--since", "1h"]).len() == 7);
    assert!(actions(&["--until", "2020-01-01"]).is_empty());
    let rename = &cli.json(&["--json", "audit", "--action", "agent.rename"])[0];
    assert_eq!(rename["before"], "Concierge");
    assert_eq!(rename["after"], "Night porter");
    let update = &cli.json(&["--json", "audit", "--action", "connector.update"])[0];
    assert!(update["before"].as_str().unwrap().contains("Front desk"));
    assert!(update["after"].as_str().unwrap().contains("Reception"));
    let everything = text(&cli.run(&["--json", "audit", "--limit", "1000"]).stdout);
    assert!(
        !everything.contains(&seed.auth_token),
        "no secret in the log"
    );

    let human = text(&cli.run(&["audit", "--action", "agent.rename"]).stdout);
    assert!(
        human.contains("agent.rename") && human.contains("Concierge → Night porter"),
        "{human}"
    );

    // Bad values: exit 2, the flag named, nothing printed as if it matched.
    for (args, flag) in [
        (vec!["audit", "--action", "connector.explode"], "--action"),
        (vec!["audit", "--since", "last tuesday"], "--since"),
        (vec!["audit", "--until", "soon"], "--until"),
        (vec!["audit", "--limit", "0"], "--limit"),
        (
            vec!["audit", "--connector", "no-such-connector"],
            "--connector",
        ),
        (vec!["audit", "--org", "No Such Hotel"], "--org"),
        (
            vec!["audit", "--since", "2026-02-02", "--until", "2026-02-01"],
            "--until",
        ),
    ] {
        let output = cli.run(&args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&output.stderr)
        );
        let stderr = text(&output.stderr);
        assert!(stderr.contains(flag), "{args:?} names {flag}: {stderr}");
    }
    let bad = cli.run(&["--json", "audit", "--action", "connector.explode"]);
    let error: Value = serde_json::from_slice(&bad.stdout).unwrap();
    assert_eq!(error["error"]["fields"][0]["field"], "--action");
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("connector.create"),
        "the message lists the actions"
    );
}

/// A refused value is quoted back to the terminal without its control characters (an escape
/// sequence typed or pasted by mistake would otherwise recolour or rewrite the screen).
#[test]
fn an_error_quotes_a_hostile_value_without_terminal_escapes() {
    let cli = Cli::start("cli", "escapes", None);
    let hostile = "\u{1b}]0;owned\u{7}\u{1b}[2J";
    let out = cli.run(&["connector", "show", hostile]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("was not found"), "{stderr}");
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\u{7}'),
        "{stderr:?}"
    );
    let json = cli.run(&["--json", "connector", "show", hostile]);
    let stdout = text(&json.stdout);
    assert!(!stdout.contains("\\u001b"), "{stdout}");
}
