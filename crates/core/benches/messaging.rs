//! `make bench`: the statistics panel and the error log over a large history, with the figures
//! issue 9 asks for (p95 < 50 ms each):
//!
//! 1. 1,000,000 stored send attempts over 50 connectors (written straight into SQLite, in the
//!    shape `message_send` leaves them), 20,000 error-log rows per connector.
//! 2. The statistics panel query (the eight figures, chart, top errors, delivery times) and the
//!    chart over 90 days, for every connector in turn.
//! 3. The first page of the error log with two filters (connector + action, level + action).
//!
//! It prints figures and asserts no timing.

use std::error::Error;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use switchboard_core::{
    ConnectorDraft, ConnectorKind, ConnectorSettings, LogFilter, MemorySecretStore,
    OrganizationDraft, Switchboard, TwilioSettings,
};

#[path = "support/history.rs"]
mod history;

type BenchResult<T> = Result<T, Box<dyn Error>>;

const CONNECTORS: usize = 50;
const ATTEMPTS: usize = 1_000_000;
const LOG_ROWS_PER_CONNECTOR: usize = 20_000;
const RUNS: usize = 200;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("\nbench: could not run: {error}");
            ExitCode::FAILURE
        }
    }
}

fn percentiles(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort_unstable();
    let at = |q: f64| samples[((samples.len() as f64 * q).ceil() as usize).saturating_sub(1)];
    (at(0.5), at(0.95))
}

fn ms(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1000.0)
}

fn run() -> BenchResult<()> {
    let dir = tempfile::tempdir()?;
    let core = Switchboard::open_with_secrets(dir.path(), Arc::new(MemorySecretStore::default()))?;
    let org = core
        .organization_create(&OrganizationDraft {
            name: "Bench Hotels".into(),
            inbound_base_url: None,
        })?
        .id;
    let mut connectors = Vec::new();
    for index in 0..CONNECTORS {
        let connector = core.connector_create(&ConnectorDraft {
            org_id: org.clone(),
            kind: ConnectorKind::Whatsapp,
            name: format!("Hotel {index}"),
            settings: ConnectorSettings::Twilio(TwilioSettings {
                account_sid: "AC0123456789abcdef0123456789abcdef".into(),
                from: Some("+14155550101".into()),
                ..TwilioSettings::default()
            }),
            recipients: vec![],
            receive_inbound: true,
            secret: Some("token".into()),
        })?;
        connectors.push(connector.id);
    }

    println!("== 1. {ATTEMPTS} attempts over {CONNECTORS} connectors (90 days)");
    let started = Instant::now();
    let path = dir.path().join(switchboard_core::paths::DATABASE_FILE);
    let mut conn = rusqlite::Connection::open(&path)?;
    conn.busy_timeout(Duration::from_secs(30))?;
    let now = Utc::now();
    {
        let tx = conn.transaction()?;
        history::insert_attempts(&tx, &org, &connectors, ATTEMPTS, 90, now)?;
        history::insert_log_rows(
            &tx,
            &org,
            &connectors,
            LOG_ROWS_PER_CONNECTOR * CONNECTORS,
            90,
            now,
        )?;
        tx.commit()?;
    }
    conn.execute_batch("ANALYZE")?;
    drop(conn);
    println!(
        "   written in {} (setup, not a figure)",
        ms(started.elapsed())
    );
    let reopened =
        Switchboard::open_with_secrets(dir.path(), Arc::new(MemorySecretStore::default()))?;

    println!("== 2. statistics panel ({RUNS} runs over the {CONNECTORS} connectors)");
    let stats_at = Utc
        .timestamp_millis_opt(now.timestamp_millis())
        .single()
        .ok_or("clock")?;
    let mut panel = Vec::new();
    let mut chart = Vec::new();
    let mut checked = 0;
    for run in 0..RUNS {
        let connector = &connectors[run % CONNECTORS];
        let started = Instant::now();
        let stats = reopened.messaging_stats_at(connector, 30, stats_at)?;
        panel.push(started.elapsed());
        checked += stats.attempts;
        let started = Instant::now();
        let long = reopened.messaging_stats_at(connector, 90, stats_at)?;
        chart.push(started.elapsed());
        checked += u32::from(long.per_day.len() == 90);
    }
    let (p50, p95) = percentiles(panel);
    println!(
        "   panel (30-day chart):   p50 {}  p95 {}   (target p95 < 50 ms)",
        ms(p50),
        ms(p95)
    );
    let (p50, p95) = percentiles(chart);
    println!(
        "   panel (90-day chart):   p50 {}  p95 {}   (target p95 < 50 ms)",
        ms(p50),
        ms(p95)
    );

    println!("== 3. error log, first page, two filters ({RUNS} runs)");
    let mut by_connector = Vec::new();
    let mut by_level = Vec::new();
    for run in 0..RUNS {
        let started = Instant::now();
        let page = reopened.logs(&LogFilter {
            connector_id: Some(connectors[run % CONNECTORS].clone()),
            action: Some("send".into()),
            limit: Some(100),
            ..LogFilter::default()
        })?;
        by_connector.push(started.elapsed());
        checked += u32::try_from(page.entries.len())?;
        let started = Instant::now();
        let page = reopened.logs(&LogFilter {
            level: Some("error".into()),
            action: Some(["send", "webhook_set"][run % 2].into()),
            limit: Some(100),
            ..LogFilter::default()
        })?;
        by_level.push(started.elapsed());
        checked += u32::try_from(page.entries.len())?;
    }
    let (p50, p95) = percentiles(by_connector);
    println!(
        "   connector + action:     p50 {}  p95 {}   (target p95 < 50 ms)",
        ms(p50),
        ms(p95)
    );
    let (p50, p95) = percentiles(by_level);
    println!(
        "   level + action:         p50 {}  p95 {}   (target p95 < 50 ms)",
        ms(p50),
        ms(p95)
    );
    println!("\nbench: done ({checked} rows seen)");
    Ok(())
}
