//! `make bench`: the bulk webhook path against the sandbox, with the figures the issue asks for.
//!
//! 1. `webhook_set` on 1,000 Twilio numbers, 20 at a time, against a sandbox that answers in
//!    50 ms and refuses (429) more than 20 requests in flight; compared with the ideal
//!    `ceil(N / C) × RTT`.
//! 2. The same 1,000 updates one at a time, as a script over the official SDK would do them.
//! 3. Listing 10,000 numbers: the provider refresh, then the read back from SQLite.
//!
//! It prints figures and asserts no timing; it exits non-zero only when a number is left with
//! the wrong webhook (or the setup fails).

use std::error::Error;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use switchboard_core::numbers::{JobOutcome, JobProgress, NumberList};
use switchboard_core::{
    Connector, ConnectorDraft, ConnectorKind, ConnectorSettings, MemorySecretStore,
    OrganizationDraft, Store, Switchboard, TwilioSettings,
};
use switchboard_sandbox::{RunningSandbox, SandboxConfig};

type BenchResult<T> = Result<T, Box<dyn Error>>;

const LATENCY_MS: u64 = 50;
const CONCURRENCY: usize = 20;
const BULK_NUMBERS: usize = 1_000;
const LIST_NUMBERS: usize = 10_000;
const RTT_SAMPLES: usize = 10;
/// The targets.
const MAX_RATIO_TO_IDEAL: f64 = 1.3;
const MIN_SPEED_UP: f64 = 15.0;

struct Bench {
    core: Switchboard,
    org: String,
    sandbox: RunningSandbox,
    http: reqwest::Client,
}

struct TwilioAccount {
    sid: String,
    token: String,
    /// The account's first number: the connector's From.
    from: String,
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(0) => {
            println!("\nbench: every number ended with the expected webhook");
            ExitCode::SUCCESS
        }
        Ok(wrong) => {
            eprintln!("\nbench: {wrong} number(s) left with the wrong webhook");
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("\nbench: could not run: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Runs every part; returns how many numbers were left wrong.
async fn run() -> BenchResult<usize> {
    let bench = Bench::start().await?;
    let account = bench.twilio_account(BULK_NUMBERS).await?;
    let connector = bench.connector(&account)?;
    let mut wrong = 0;

    println!("== 1. webhook_set: {BULK_NUMBERS} Twilio numbers, concurrency {CONCURRENCY}");
    println!("   sandbox: latency {LATENCY_MS} ms, concurrency limit {CONCURRENCY}");
    let started = Instant::now();
    let list = bench.core.numbers_refresh(&connector.id).await?;
    let all: Vec<String> = list.numbers.iter().map(|n| n.e164.clone()).collect();
    bench.core.numbers_set_active(&connector.id, &all, true)?;
    println!(
        "   setup (refresh {} numbers + activate, not in the figures): {}",
        all.len(),
        ms(started.elapsed())
    );
    let probe = list
        .numbers
        .first()
        .ok_or("the sandbox account has no numbers")?
        .provider_id
        .clone();
    let rtt = bench.median_rtt(&account, &probe).await?;

    bench
        .admin(reqwest::Method::DELETE, "requests", json!({}))
        .await?;
    let quiet = |_: &JobProgress| {};
    let started = Instant::now();
    let job = bench
        .core
        .webhook_set(&connector.id, &[], Some(CONCURRENCY), &quiet)
        .await?;
    let concurrent = started.elapsed();
    let requests = bench.requests().await?;
    let throttled = count_status(&requests, 429);
    let posts = requests.iter().filter(|r| r["method"] == "POST").count();

    let rounds = BULK_NUMBERS.div_ceil(CONCURRENCY);
    let ideal = rtt.mul_f64(rounds as f64);
    let ideal_nominal = Duration::from_millis(LATENCY_MS).mul_f64(rounds as f64);
    let ratio = secs(concurrent) / secs(ideal);
    let expected = bench.core.webhook_url(&connector.id)?.url;
    let fresh = bench.core.numbers_refresh(&connector.id).await?;
    let left_wrong = count_wrong(&fresh, expected.as_deref());
    wrong += left_wrong;
    println!("   wall time:            {}", ms(concurrent));
    println!(
        "   RTT measured:         {} (median of {RTT_SAMPLES} GETs)",
        ms(rtt)
    );
    println!("   RTT nominal:          {LATENCY_MS} ms");
    println!(
        "   ideal:                {} = ceil({BULK_NUMBERS}/{CONCURRENCY}) × measured RTT \
         ({} with {LATENCY_MS} ms)",
        ms(ideal),
        ms(ideal_nominal)
    );
    println!(
        "   wall / ideal:         {ratio:.2}× (target ≤ {MAX_RATIO_TO_IDEAL}×: {})",
        verdict(ratio <= MAX_RATIO_TO_IDEAL)
    );
    println!("   HTTP 429 seen:        {throttled} (of {posts} POSTs the sandbox received)");
    println!(
        "   job outcome:          {} changed, {} failed, {} pending",
        job.count(JobOutcome::Changed),
        job.count(JobOutcome::Failed),
        job.count(JobOutcome::Pending)
    );
    println!(
        "   left wrong (refresh): {left_wrong} of {}",
        fresh.numbers.len()
    );

    println!("\n== 2. the same {BULK_NUMBERS} updates one at a time (reqwest, as an SDK loop)");
    let sequential_url = "https://hooks.example/sequential-script";
    let started = Instant::now();
    for number in &list.numbers {
        bench
            .set_sms_url(&account, &number.provider_id, sequential_url)
            .await?;
    }
    let sequential = started.elapsed();
    let fresh = bench.core.numbers_refresh(&connector.id).await?;
    let left_wrong = count_wrong(&fresh, Some(sequential_url));
    wrong += left_wrong;
    let speed_up = secs(sequential) / secs(concurrent);
    println!("   wall time:            {}", ms(sequential));
    println!(
        "   speed-up:             {speed_up:.1}× (sequential / concurrent; target ≥ \
         {MIN_SPEED_UP}×: {})",
        verdict(speed_up >= MIN_SPEED_UP)
    );
    println!(
        "   left wrong (refresh): {left_wrong} of {}",
        fresh.numbers.len()
    );

    println!("\n== 3. listing {LIST_NUMBERS} numbers (pages of 1000)");
    let big = bench.twilio_account(LIST_NUMBERS).await?;
    let big_connector = bench.connector(&big)?;
    let started = Instant::now();
    let first = bench.core.numbers_refresh(&big_connector.id).await?;
    let first_refresh = started.elapsed();
    bench
        .admin(reqwest::Method::POST, "latency", json!({"ms": 0}))
        .await?;
    let started = Instant::now();
    let second = bench.core.numbers_refresh(&big_connector.id).await?;
    let second_refresh = started.elapsed();
    let started = Instant::now();
    let stored = bench.core.numbers(&big_connector.id)?;
    let read_back = started.elapsed();
    for (what, count) in [
        ("first refresh", first.numbers.len()),
        ("second refresh", second.numbers.len()),
        ("numbers()", stored.numbers.len()),
    ] {
        if count != LIST_NUMBERS {
            println!("   {what} listed {count} numbers instead of {LIST_NUMBERS}");
            wrong += LIST_NUMBERS.abs_diff(count);
        }
    }
    println!(
        "   numbers_refresh, first (sandbox latency {LATENCY_MS} ms): {}",
        ms(first_refresh)
    );
    println!(
        "   numbers_refresh, again (latency set to 0 ms via admin): {}",
        ms(second_refresh)
    );
    println!(
        "   numbers() from SQLite (what the UI opens with):        {}",
        ms(read_back)
    );

    bench.sandbox.shutdown().await;
    Ok(wrong)
}

impl Bench {
    async fn start() -> BenchResult<Self> {
        let core = Switchboard::new(
            Store::open_in_memory()?,
            Arc::new(MemorySecretStore::default()),
        );
        let org = core.organization_create(&OrganizationDraft {
            name: "Bench Hotel".into(),
            inbound_base_url: Some("https://hooks.example".into()),
        })?;
        let sandbox = switchboard_sandbox::start(SandboxConfig {
            latency_ms: LATENCY_MS,
            concurrency_limit: Some(CONCURRENCY),
            ..SandboxConfig::default()
        })
        .await?;
        Ok(Self {
            core,
            org: org.id,
            sandbox,
            http: reqwest::Client::new(),
        })
    }

    async fn admin(&self, method: reqwest::Method, path: &str, body: Value) -> BenchResult<Value> {
        let response = self
            .http
            .request(method, self.sandbox.admin_url(path))
            .bearer_auth(self.sandbox.admin_token())
            .json(&body)
            .send()
            .await?;
        let status = response.status();
        if !status.is_success() {
            return Err(format!("sandbox admin {path} answered {status}").into());
        }
        Ok(response.json().await.unwrap_or(Value::Null))
    }

    async fn requests(&self) -> BenchResult<Vec<Value>> {
        let log: Value = self
            .http
            .get(self.sandbox.admin_url("requests"))
            .bearer_auth(self.sandbox.admin_token())
            .send()
            .await?
            .json()
            .await?;
        match log {
            Value::Array(entries) => Ok(entries),
            other => Err(format!("the request log is not a list: {other}").into()),
        }
    }

    async fn twilio_account(&self, numbers: usize) -> BenchResult<TwilioAccount> {
        let created = self
            .admin(
                reqwest::Method::POST,
                "accounts",
                json!({"provider": "twilio", "numbers": numbers}),
            )
            .await?;
        let field = |name: &str| {
            created["twilio"][name]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("no twilio.{name} in {created}"))
        };
        Ok(TwilioAccount {
            sid: field("account_sid")?,
            token: field("auth_token")?,
            from: created["numbers"][0]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("no numbers in {created}"))?,
        })
    }

    fn connector(&self, account: &TwilioAccount) -> BenchResult<Connector> {
        Ok(self.core.connector_create(&ConnectorDraft {
            org_id: self.org.clone(),
            kind: ConnectorKind::Sms,
            name: format!("SMS {}", account.sid),
            settings: ConnectorSettings::Twilio(TwilioSettings {
                account_sid: account.sid.clone(),
                base_url: Some(self.sandbox.twilio_base()),
                from: Some(account.from.clone()),
                ..TwilioSettings::default()
            }),
            recipients: vec![],
            receive_inbound: true,
            secret: Some(account.token.clone()),
        })?)
    }

    fn number_url(&self, account: &TwilioAccount, provider_id: &str) -> String {
        format!(
            "{}/2010-04-01/Accounts/{}/IncomingPhoneNumbers/{provider_id}.json",
            self.sandbox.twilio_base(),
            account.sid
        )
    }

    /// The round trip of one provider request: the median of single GETs of one number.
    async fn median_rtt(
        &self,
        account: &TwilioAccount,
        provider_id: &str,
    ) -> BenchResult<Duration> {
        let url = self.number_url(account, provider_id);
        let mut samples = Vec::with_capacity(RTT_SAMPLES);
        // One unmeasured request opens the connection, as the job's client has by then.
        for sample in 0..=RTT_SAMPLES {
            let started = Instant::now();
            let response = self
                .http
                .get(&url)
                .basic_auth(&account.sid, Some(&account.token))
                .send()
                .await?
                .error_for_status()?;
            response.bytes().await?;
            if sample > 0 {
                samples.push(started.elapsed());
            }
        }
        samples.sort();
        Ok(samples[samples.len() / 2])
    }

    async fn set_sms_url(
        &self,
        account: &TwilioAccount,
        provider_id: &str,
        sms_url: &str,
    ) -> BenchResult<()> {
        self.http
            .post(self.number_url(account, provider_id))
            .basic_auth(&account.sid, Some(&account.token))
            .form(&[("SmsUrl", sms_url), ("SmsMethod", "POST")])
            .send()
            .await?
            .error_for_status()?
            .bytes()
            .await?;
        Ok(())
    }
}

fn count_status(requests: &[Value], status: u64) -> usize {
    requests
        .iter()
        .filter(|r| r["status"].as_u64() == Some(status))
        .count()
}

fn count_wrong(list: &NumberList, expected: Option<&str>) -> usize {
    let wrong: Vec<&str> = list
        .numbers
        .iter()
        .filter(|n| n.webhook_url.as_deref() != expected)
        .map(|n| n.e164.as_str())
        .collect();
    if let Some(first) = wrong.first() {
        println!(
            "   {} number(s) without {}, first {first}",
            wrong.len(),
            expected.unwrap_or("a URL")
        );
    }
    wrong.len()
}

fn verdict(met: bool) -> &'static str {
    if met { "target met" } else { "target missed" }
}

fn secs(duration: Duration) -> f64 {
    duration.as_secs_f64()
}

fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1_000.0)
}
