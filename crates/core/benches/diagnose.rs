//! `make bench`: a diagnosis against the sandbox answering in 100 ms, with the figures issue 11
//! asks for: the wall time and the longest chain of dependent calls (wall ≤ 1.3 × chain when the
//! independent branches really run at once).
//!
//! It prints figures and asserts no timing; it exits non-zero only when the setup fails or the
//! diagnosis of a healthy connector finds an error.

use std::error::Error;
use std::process::ExitCode;
use std::sync::Arc;

use switchboard_core::diagnose::{Diagnosis, Severity, longest_chain_ms};
use switchboard_core::numbers::JobProgress;
use switchboard_core::{
    ConnectorDraft, ConnectorKind, ConnectorSettings, MemorySecretStore, OrganizationDraft, Store,
    Switchboard, TwilioSettings,
};
use switchboard_sandbox::SandboxConfig;

type BenchResult<T> = Result<T, Box<dyn Error>>;

const LATENCY_MS: u64 = 100;
const RUNS: usize = 5;
const MAX_RATIO: f64 = 1.3;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("\nbench: the healthy connector's diagnosis found an error");
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("\nbench: could not run: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> BenchResult<bool> {
    let sandbox = switchboard_sandbox::start(SandboxConfig::default()).await?;
    let core = Switchboard::new(
        Store::open_in_memory()?,
        Arc::new(MemorySecretStore::default()),
    );
    // On this machine, so the signed test request to the inbound URL runs too.
    let org = core.organization_create(&OrganizationDraft {
        name: "Grand Hotel".into(),
        inbound_base_url: Some(format!("{}/receiver", sandbox.url())),
    })?;
    let seed = sandbox.seed().twilio.clone();
    let connector = core.connector_create(&ConnectorDraft {
        org_id: org.id,
        kind: ConnectorKind::Sms,
        name: "Front desk".into(),
        settings: ConnectorSettings::Twilio(TwilioSettings {
            account_sid: seed.account_sid,
            base_url: Some(sandbox.twilio_base()),
            from: Some("+14155550101".into()),
            ..TwilioSettings::default()
        }),
        recipients: vec![],
        receive_inbound: true,
        secret: Some(seed.auth_token),
    })?;
    let list = core.numbers_refresh(&connector.id).await?;
    let active: Vec<String> = list
        .numbers
        .iter()
        .take(2)
        .map(|n| n.e164.clone())
        .collect();
    core.numbers_set_active(&connector.id, &active, true)?;
    let quiet = |_: &JobProgress| {};
    core.webhook_set(&connector.id, &[], Some(4), &quiet)
        .await?;

    reqwest::Client::new()
        .post(sandbox.admin_url("latency"))
        .bearer_auth(sandbox.admin_token())
        .json(&serde_json::json!({"ms": LATENCY_MS}))
        .send()
        .await?
        .error_for_status()?;

    println!("== diagnosis of a healthy Twilio connector, sandbox latency {LATENCY_MS} ms");
    let mut runs: Vec<Diagnosis> = Vec::new();
    for _ in 0..RUNS {
        runs.push(core.diagnose(&connector.id, None).await?);
    }
    // The test request to the sandbox's /receiver path answers 404: that error is expected here.
    let healthy = runs.iter().all(|d| {
        d.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .all(|f| f.id == "inbound_url.test")
    });
    let mut walls: Vec<u32> = runs.iter().map(|d| d.wall_ms).collect();
    walls.sort_unstable();
    let median = runs
        .iter()
        .find(|d| d.wall_ms == walls[RUNS / 2])
        .ok_or("no run")?;
    let chain = longest_chain_ms(&median.timings);
    let ratio = f64::from(median.wall_ms) / f64::from(chain.max(1));
    let serial: u32 = median.timings.iter().map(|t| t.ms).sum();
    println!("   runs:                 {RUNS} (median shown)");
    println!("   wall time:            {} ms", median.wall_ms);
    println!(
        "   longest chain:        {chain} ms (the slowest branch, its steps one after another)"
    );
    println!("   all steps one by one: {serial} ms (what a serial diagnosis would take)");
    println!(
        "   wall / chain:         {ratio:.2}× (target ≤ {MAX_RATIO}×: {})",
        if ratio <= MAX_RATIO { "met" } else { "NOT met" }
    );
    let mut branches: Vec<&str> = median.timings.iter().map(|t| t.branch.as_str()).collect();
    branches.sort_unstable();
    branches.dedup();
    for branch in branches {
        let steps: Vec<String> = median
            .timings
            .iter()
            .filter(|t| t.branch == branch)
            .map(|t| format!("{} {} ms", t.step, t.ms))
            .collect();
        println!("   branch {branch:<9}      {}", steps.join(" → "));
    }
    println!("   findings:             {}", median.findings.len());
    sandbox.shutdown().await;
    Ok(healthy)
}
