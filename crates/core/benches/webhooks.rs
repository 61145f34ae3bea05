//! `make bench`: the bulk webhook path against the sandbox, with the figures issue 12 asks for,
//! in one table. Every figure is measured in this run, against an ideal from this run's RTT.
//!
//! 1. `webhook_set` on 1,000 Twilio numbers **at the app's defaults** (no concurrency given)
//!    against a sandbox answering in 50 ms that refuses (429) more than C requests in flight,
//!    for C = 5, 20 and 100, each on a fresh account (the app is not told C): the write phase
//!    against `ceil(N / C) × RTT`, the share of requests refused, numbers left wrong.
//! 2. The same 1,000 updates one at a time at C = 20, as a script over the official SDK would
//!    do them: the speed-up of the app's defaults over it.
//! 3. Listing 10,000 numbers (`numbers_fetch`, what the window's Refresh and the CLI's paged
//!    `numbers list` run: pages of 1,000, each kept as it comes) against `pages × RTT`, and
//!    the same pages fetched by a bare HTTP client (what the sandbox and the wire take of it).
//!
//! It asserts no timing in `make test`; here it exits non-zero when a target is missed, a
//! number is left wrong, or a 429 appears where none should (one request at a time, a list).

use std::error::Error;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
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
const LIMITS: [usize; 3] = [5, 20, 100];
/// The limit the sequential loop is compared at.
const SPEED_UP_LIMIT: usize = 20;
const BULK_NUMBERS: usize = 1_000;
const LIST_NUMBERS: usize = 10_000;
const RTT_SAMPLES: usize = 10;
/// The targets.
const MAX_RATIO_TO_IDEAL: f64 = 1.3;
const MAX_THROTTLED_SHARE: f64 = 0.05;
const MIN_SPEED_UP: f64 = 15.0;
const MAX_LIST_RATIO: f64 = 1.2;
/// A page of the Numbers tab read from SQLite: what a scroll waits on, well under a frame's worth
/// of patience (the statistics and log queries are held to 50 ms too).
const MAX_PAGE_READ: Duration = Duration::from_millis(50);

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

/// One line of the table.
struct Row {
    figure: String,
    measured: String,
    reference: String,
    ratio: String,
    target: String,
    met: bool,
}

#[derive(Default)]
struct Table {
    rows: Vec<Row>,
    /// Numbers left wrong, 429s where none should be, setup problems.
    problems: Vec<String>,
}

impl Table {
    fn row(
        &mut self,
        figure: String,
        measured: String,
        reference: String,
        ratio: String,
        target: String,
        met: bool,
    ) {
        self.rows.push(Row {
            figure,
            measured,
            reference,
            ratio,
            target,
            met,
        });
    }

    fn print(&self) {
        let headers = [
            "figure",
            "measured",
            "reference",
            "ratio",
            "target",
            "verdict",
        ];
        let cells: Vec<[String; 6]> = self
            .rows
            .iter()
            .map(|r| {
                [
                    r.figure.clone(),
                    r.measured.clone(),
                    r.reference.clone(),
                    r.ratio.clone(),
                    r.target.clone(),
                    if r.met { "met" } else { "MISSED" }.to_owned(),
                ]
            })
            .collect();
        let mut widths = headers.map(|h| h.chars().count());
        for row in &cells {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let line = |cells: &[String]| {
            let padded: Vec<String> = cells
                .iter()
                .zip(widths)
                .map(|(cell, width)| format!("{cell:<width$}"))
                .collect();
            println!("| {} |", padded.join(" | "));
        };
        line(&headers.map(str::to_owned));
        println!(
            "|{}|",
            widths
                .iter()
                .map(|w| "-".repeat(w + 2))
                .collect::<Vec<_>>()
                .join("|")
        );
        for row in &cells {
            line(row);
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let mut table = Table::default();
    if let Err(error) = run(&mut table).await {
        table.problems.push(format!("could not run: {error}"));
    }
    println!();
    table.print();
    let missed = table.rows.iter().filter(|r| !r.met).count();
    for problem in &table.problems {
        eprintln!("bench: {problem}");
    }
    if missed == 0 && table.problems.is_empty() {
        println!("\nbench: every target met, every number ended with the expected webhook");
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "bench: {missed} target(s) missed, {} problem(s)",
            table.problems.len()
        );
        ExitCode::FAILURE
    }
}

/// The result of one bulk set.
struct BulkRun {
    /// From the call to its answer (the provider list read first included).
    wall: Duration,
    /// From the job's first progress report (before the first write) to its answer.
    writes: Duration,
    posts: usize,
    throttled: usize,
    wrong: usize,
}

async fn run(table: &mut Table) -> BenchResult<()> {
    let bench = Bench::start().await?;
    println!("sandbox latency {LATENCY_MS} ms; {BULK_NUMBERS} numbers per bulk set");
    let mut at_speed_up_limit = None;
    let mut rtt = Duration::ZERO;
    for limit in LIMITS {
        let account = bench.twilio_account(BULK_NUMBERS).await?;
        let connector = bench.connector(&account)?;
        let list = bench.core.numbers_refresh(&connector.id).await?;
        let all: Vec<String> = list.numbers.iter().map(|n| n.e164.clone()).collect();
        bench.core.numbers_set_active(&connector.id, &all, true)?;
        let probe = list
            .numbers
            .first()
            .ok_or("the sandbox account has no numbers")?
            .provider_id
            .clone();
        rtt = bench.median_rtt(&account, &probe).await?;
        bench.set_limit(Some(limit)).await?;
        let run = bench.bulk_set(&connector).await?;
        bench.set_limit(None).await?;
        let rounds = BULK_NUMBERS.div_ceil(limit);
        let ideal = rtt.mul_f64(rounds as f64);
        let ratio = secs(run.writes) / secs(ideal);
        table.row(
            format!("bulk set, limit {limit}: write phase"),
            ms(run.writes),
            format!(
                "ceil({BULK_NUMBERS}/{limit}) × RTT {} = {}",
                ms(rtt),
                ms(ideal)
            ),
            format!("{ratio:.2}×"),
            format!("≤ {MAX_RATIO_TO_IDEAL}×"),
            ratio <= MAX_RATIO_TO_IDEAL,
        );
        table.row(
            format!("bulk set, limit {limit}: whole call (list read first)"),
            ms(run.wall),
            ms(ideal),
            format!("{:.2}×", secs(run.wall) / secs(ideal)),
            "(shown)".into(),
            true,
        );
        let share = run.throttled as f64 / run.posts.max(1) as f64;
        table.row(
            format!("bulk set, limit {limit}: requests refused (429)"),
            format!("{} of {}", run.throttled, run.posts),
            String::new(),
            format!("{:.1} %", share * 100.0),
            format!("≤ {:.0} %", MAX_THROTTLED_SHARE * 100.0),
            share <= MAX_THROTTLED_SHARE,
        );
        table.row(
            format!("bulk set, limit {limit}: numbers left wrong"),
            run.wrong.to_string(),
            String::new(),
            String::new(),
            "0".into(),
            run.wrong == 0,
        );
        if limit == SPEED_UP_LIMIT {
            at_speed_up_limit = Some((account, connector, list, run.wall));
        }
    }

    let (account, connector, list, concurrent) =
        at_speed_up_limit.ok_or("no run at the speed-up limit")?;
    bench.set_limit(Some(SPEED_UP_LIMIT)).await?;
    bench.clear_requests().await?;
    let sequential_url = "https://hooks.example/sequential-script";
    let started = Instant::now();
    for number in &list.numbers {
        bench
            .set_sms_url(&account, &number.provider_id, sequential_url)
            .await?;
    }
    let sequential = started.elapsed();
    let throttled = count_status(&bench.requests().await?, 429);
    if throttled > 0 {
        table.problems.push(format!(
            "the sequential loop (one request at a time) got {throttled} 429s"
        ));
    }
    bench.set_limit(None).await?;
    let fresh = bench.core.numbers_refresh(&connector.id).await?;
    let wrong = count_wrong(&fresh, Some(sequential_url));
    if wrong > 0 {
        table
            .problems
            .push(format!("{wrong} number(s) wrong after the sequential loop"));
    }
    let speed_up = secs(sequential) / secs(concurrent);
    table.row(
        format!("bulk set at defaults vs a sequential loop, limit {SPEED_UP_LIMIT}"),
        ms(concurrent),
        format!("sequential {}", ms(sequential)),
        format!("{speed_up:.1}× faster"),
        format!("≥ {MIN_SPEED_UP}×"),
        speed_up >= MIN_SPEED_UP,
    );

    // 3. Listing 10,000 numbers, with the account's limit at 20 (a list is one request at a
    // time: no 429 may appear).
    let big = bench.twilio_account(LIST_NUMBERS).await?;
    let big_connector = bench.connector(&big)?;
    bench.set_limit(Some(SPEED_UP_LIMIT)).await?;
    bench.clear_requests().await?;
    let started = Instant::now();
    let first = bench.core.numbers_fetch(&big_connector.id).await?;
    let first_refresh = started.elapsed();
    let requests = bench.requests().await?;
    // The numbers' pages: what the list costs in round trips at the least (the services list
    // is read alongside).
    let pages = requests
        .iter()
        .filter(|r| {
            r["path"]
                .as_str()
                .is_some_and(|p| p.ends_with("/IncomingPhoneNumbers.json"))
        })
        .count();
    let throttled = count_status(&requests, 429);
    if throttled > 0 {
        table
            .problems
            .push(format!("listing (sequential pages) got {throttled} 429s"));
    }
    let started = Instant::now();
    let second = bench.core.numbers_fetch(&big_connector.id).await?;
    let second_refresh = started.elapsed();
    let started = Instant::now();
    let stored = bench.core.numbers(&big_connector.id)?;
    let read_back = started.elapsed();
    // What the Numbers section reads as it scrolls: a page, here the list's last one (the
    // deepest offset), the best of a few reads.
    let mut page_read = Duration::MAX;
    for _ in 0..5 {
        let started = Instant::now();
        let page = bench
            .core
            .numbers_page(&big_connector.id, LIST_NUMBERS as u32 - 100, 100)?;
        page_read = page_read.min(started.elapsed());
        if page.numbers.len() != 100 || page.total as usize != LIST_NUMBERS {
            table.problems.push(format!(
                "the list's last page held {} of {} numbers",
                page.numbers.len(),
                page.total
            ));
        }
    }
    let (raw, raw_pages) = bench.raw_pages(&big).await?;
    bench.set_limit(None).await?;
    for (what, count) in [
        ("first refresh", first.total as usize),
        ("second refresh", second.total as usize),
        ("numbers()", stored.numbers.len()),
    ] {
        if count != LIST_NUMBERS {
            table.problems.push(format!(
                "{what} listed {count} numbers instead of {LIST_NUMBERS}"
            ));
        }
    }
    let network = rtt.mul_f64(pages as f64);
    for (what, wall) in [
        ("first, new numbers", first_refresh),
        ("again, unchanged", second_refresh),
    ] {
        let ratio = secs(wall) / secs(network);
        table.row(
            format!("list {LIST_NUMBERS} numbers ({what})"),
            ms(wall),
            format!("{pages} pages × RTT {} = {}", ms(rtt), ms(network)),
            format!("{ratio:.2}×"),
            format!("≤ {MAX_LIST_RATIO}×"),
            ratio <= MAX_LIST_RATIO,
        );
    }
    table.row(
        format!("read {LIST_NUMBERS} numbers back from SQLite"),
        ms(read_back),
        String::new(),
        String::new(),
        "(shown)".into(),
        true,
    );
    table.row(
        format!("read the last 100 of {LIST_NUMBERS} numbers (a page of the Numbers tab)"),
        ms(page_read),
        String::new(),
        String::new(),
        format!("≤ {} ms", MAX_PAGE_READ.as_millis()),
        page_read <= MAX_PAGE_READ,
    );
    // Where the rest goes: the same pages fetched by a bare HTTP client that reads each body
    // and finds the next page's address in it, nothing more (the sandbox building the pages,
    // and the bytes on the wire).
    table.row(
        format!("the {raw_pages} pages alone (HTTP client, no parsing)"),
        ms(raw),
        format!(
            "{raw_pages} pages × RTT {} = {}",
            ms(rtt),
            ms(rtt.mul_f64(raw_pages as f64))
        ),
        format!("{:.2}×", secs(raw) / secs(rtt.mul_f64(raw_pages as f64))),
        "(shown)".into(),
        true,
    );

    bench.sandbox.shutdown().await;
    Ok(())
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
            concurrency_limit: None,
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

    async fn set_limit(&self, limit: Option<usize>) -> BenchResult<()> {
        self.admin(
            reqwest::Method::POST,
            "concurrency",
            json!({ "limit": limit }),
        )
        .await?;
        Ok(())
    }

    async fn clear_requests(&self) -> BenchResult<()> {
        self.admin(reqwest::Method::DELETE, "requests", json!({}))
            .await?;
        Ok(())
    }

    /// `webhook_set` at the app's defaults on every active number of the connector.
    async fn bulk_set(&self, connector: &Connector) -> BenchResult<BulkRun> {
        self.clear_requests().await?;
        let first_report: Mutex<Option<Instant>> = Mutex::new(None);
        let progress = |_: &JobProgress| {
            if let Ok(mut first) = first_report.lock() {
                first.get_or_insert_with(Instant::now);
            }
        };
        let started = Instant::now();
        let job = self
            .core
            .webhook_set(&connector.id, &[], None, &progress)
            .await?;
        let ended = Instant::now();
        let writes_started = first_report
            .lock()
            .ok()
            .and_then(|first| *first)
            .unwrap_or(started);
        let requests = self.requests().await?;
        let posts: Vec<&Value> = requests.iter().filter(|r| r["method"] == "POST").collect();
        let throttled = posts.iter().filter(|r| r["status"] == 429).count();
        let expected = self.core.webhook_url(&connector.id)?.url;
        let fresh = self.core.numbers_refresh(&connector.id).await?;
        let failed = job.count(JobOutcome::Failed) + job.count(JobOutcome::Pending);
        Ok(BulkRun {
            wall: ended - started,
            writes: ended - writes_started,
            posts: posts.len(),
            throttled,
            wrong: count_wrong(&fresh, expected.as_deref()).max(failed),
        })
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

    /// The account's number list fetched page by page (1,000 a page, as the app asks), each body
    /// read whole and searched for `next_page_uri`: the time and the pages.
    async fn raw_pages(&self, account: &TwilioAccount) -> BenchResult<(Duration, usize)> {
        let base = self.sandbox.twilio_base();
        let mut url = format!(
            "{base}/2010-04-01/Accounts/{}/IncomingPhoneNumbers.json?PageSize=1000",
            account.sid
        );
        let started = Instant::now();
        let mut pages = 0;
        loop {
            let body = self.get(account, &url).await?;
            pages += 1;
            let key = b"\"next_page_uri\":\"";
            // Near the end of the body (after the numbers: the keys are in order).
            let Some(at) = body.windows(key.len()).rposition(|w| w == key) else {
                break;
            };
            let rest = &body[at + key.len()..];
            let end = rest
                .iter()
                .position(|&b| b == b'"')
                .ok_or("unterminated next_page_uri")?;
            url = format!("{base}{}", std::str::from_utf8(&rest[..end])?);
        }
        Ok((started.elapsed(), pages))
    }

    /// A GET as the account, its whole body read.
    async fn get(
        &self,
        account: &TwilioAccount,
        url: &str,
    ) -> BenchResult<impl std::ops::Deref<Target = [u8]> + use<>> {
        Ok(self
            .http
            .get(url)
            .basic_auth(&account.sid, Some(&account.token))
            .send()
            .await?
            .error_for_status()?
            .bytes()
            .await?)
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
            self.get(account, &url).await?;
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

fn secs(duration: Duration) -> f64 {
    duration.as_secs_f64()
}

fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1_000.0)
}
