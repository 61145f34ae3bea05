//! `make bench`: importing 100,000 Twilio messages from the sandbox (pages of 1000) at 50 ms
//! latency, compared with the pure network time (pages × measured RTT). Also the second,
//! incremental import. Prints figures and asserts no timing; exits non-zero only when messages
//! are missing or stored twice (or the setup fails).

use std::error::Error;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use switchboard_core::{
    ConnectorDraft, ConnectorKind, ConnectorSettings, MemorySecretStore, OrganizationDraft, Store,
    Switchboard, TwilioSettings,
};
use switchboard_sandbox::SandboxConfig;

type BenchResult<T> = Result<T, Box<dyn Error>>;

const LATENCY_MS: u64 = 50;
const MESSAGES: usize = 100_000;
const RTT_SAMPLES: usize = 10;
/// The target.
const MAX_RATIO_TO_NETWORK: f64 = 1.3;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("\nbench: the import stored a wrong number of messages");
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("\nbench: could not run: {error}");
            ExitCode::FAILURE
        }
    }
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

async fn admin(
    http: &reqwest::Client,
    sandbox: &switchboard_sandbox::RunningSandbox,
    path: &str,
    body: Value,
) -> BenchResult<Value> {
    let response = http
        .post(sandbox.admin_url(path))
        .bearer_auth(sandbox.admin_token())
        .json(&body)
        .send()
        .await?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("sandbox admin {path} answered {status}").into());
    }
    Ok(response.json().await?)
}

async fn run() -> BenchResult<bool> {
    let dir = tempfile::tempdir()?;
    // On disk (WAL), as the app and the CLI use it.
    let core = Switchboard::new(
        Store::open(&dir.path().join("switchboard.db"))?,
        Arc::new(MemorySecretStore::default()),
    );
    let org = core.organization_create(&OrganizationDraft {
        name: "Bench Hotel".into(),
        inbound_base_url: None,
    })?;
    let sandbox = switchboard_sandbox::start(SandboxConfig::default()).await?;
    let http = reqwest::Client::new();
    let account = admin(
        &http,
        &sandbox,
        "accounts",
        json!({"provider": "twilio", "numbers": 1}),
    )
    .await?;
    let sid = account["twilio"]["account_sid"]
        .as_str()
        .ok_or("no account_sid")?
        .to_owned();
    let token = account["twilio"]["auth_token"]
        .as_str()
        .ok_or("no auth_token")?
        .to_owned();

    println!(
        "== history import: {MESSAGES} Twilio messages, pages of 1000, latency {LATENCY_MS} ms"
    );
    let started = Instant::now();
    admin(
        &http,
        &sandbox,
        "history",
        json!({"provider": "twilio", "account": sid, "count": MESSAGES, "failed_rate": 0.05, "days": 29}),
    )
    .await?;
    println!(
        "   seeding the sandbox (not in the figures): {}",
        ms(started.elapsed())
    );

    let connector = core.connector_create(&ConnectorDraft {
        org_id: org.id,
        kind: ConnectorKind::Sms,
        name: "Bench SMS".into(),
        settings: ConnectorSettings::Twilio(TwilioSettings {
            account_sid: sid.clone(),
            base_url: Some(sandbox.twilio_base()),
            from: account["numbers"][0].as_str().map(str::to_owned),
            ..TwilioSettings::default()
        }),
        recipients: vec![],
        receive_inbound: false,
        secret: Some(token.clone()),
    })?;
    core.numbers_refresh(&connector.id).await?;
    // Where a page's time goes beyond the latency: the same full page with no added latency.
    let full = format!(
        "{}/2010-04-01/Accounts/{sid}/Messages.json?PageSize=1000&Page=50",
        sandbox.twilio_base()
    );
    let mut serve = Vec::new();
    let mut size = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let body = http
            .get(&full)
            .basic_auth(&sid, Some(&token))
            .send()
            .await?
            .error_for_status()?
            .bytes()
            .await?;
        serve.push(t.elapsed());
        size = body.len();
    }
    serve.sort();
    let serve = serve[2];
    admin(&http, &sandbox, "latency", json!({"ms": LATENCY_MS})).await?;

    // The round trip of one small page: the median of single GETs.
    let probe = format!(
        "{}/2010-04-01/Accounts/{sid}/Messages.json?PageSize=1",
        sandbox.twilio_base()
    );
    let mut samples = Vec::with_capacity(RTT_SAMPLES);
    for sample in 0..=RTT_SAMPLES {
        let t = Instant::now();
        http.get(&probe)
            .basic_auth(&sid, Some(&token))
            .send()
            .await?
            .error_for_status()?
            .bytes()
            .await?;
        if sample > 0 {
            samples.push(t.elapsed());
        }
    }
    samples.sort();
    let rtt = samples[samples.len() / 2];

    let started = Instant::now();
    let report = core.messages_sync(&connector.id).await?;
    let wall = started.elapsed();
    let network = rtt.mul_f64(f64::from(report.pages));
    let nominal = Duration::from_millis(LATENCY_MS).mul_f64(f64::from(report.pages));
    let ratio = wall.as_secs_f64() / network.as_secs_f64();
    let stored = core.imported_count(&connector.id)?;
    println!(
        "   pages:                {} (From and To queries)",
        report.pages
    );
    println!(
        "   fetched / new:        {} / {}",
        report.fetched, report.new
    );
    println!("   wall time:            {}", ms(wall));
    println!(
        "   RTT measured:         {} (median of {RTT_SAMPLES} GETs)",
        ms(rtt)
    );
    println!(
        "   pure network time:    {} = pages × measured RTT ({} with {LATENCY_MS} ms)",
        ms(network),
        ms(nominal)
    );
    println!(
        "   wall / network:       {ratio:.2}× (target ≤ {MAX_RATIO_TO_NETWORK}×: {})",
        if ratio <= MAX_RATIO_TO_NETWORK {
            "met"
        } else {
            "NOT met"
        }
    );
    println!("   stored:               {stored} messages");
    let served = (rtt + serve).mul_f64(f64::from(report.pages));
    println!(
        "   the sandbox's own time for a full page ({} KB) at 0 ms latency: {}; pages × (RTT + that) = \
         {}, wall / that: {:.2}×",
        size / 1024,
        ms(serve),
        ms(served),
        wall.as_secs_f64() / served.as_secs_f64()
    );
    println!("   machine load when done: {}", load());

    admin(
        &http,
        &sandbox,
        "history",
        json!({"provider": "twilio", "account": sid, "count": 100, "days": 0.002}),
    )
    .await?;
    let started = Instant::now();
    let again = core.messages_sync(&connector.id).await?;
    println!(
        "   incremental import:   {} ({} pages, {} fetched, {} new)",
        ms(started.elapsed()),
        again.pages,
        again.fetched,
        again.new
    );
    let total = core.imported_count(&connector.id)?;
    println!("   stored:               {total} messages");
    sandbox.shutdown().await;
    Ok(stored == MESSAGES as u64 && again.new == 100 && total == MESSAGES as u64 + 100)
}

/// The 1-minute load average (Linux), to read the figures against: the machine may be shared.
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".into())
}
