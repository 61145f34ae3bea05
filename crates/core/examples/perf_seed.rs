//! The data of `make bench`'s app suite (tests/perf): one organization with one Twilio connector
//! on a running `switchboard sandbox`, whose account gets `NUMBERS` numbers, listed into SQLite as
//! the app lists them, and `ATTEMPTS` sent messages in the history the statistics read.
//!
//! Usage: `perf_seed DATA_DIR SANDBOX_URL ADMIN_TOKEN NUMBERS ATTEMPTS`. The connector's secret
//! goes to the keychain named by `SWITCHBOARD_KEYRING_NAMESPACE`, as the app's would. Prints one
//! JSON line: `{"org", "connector", "connectorId", "numbers", "attempts"}`.

use std::error::Error;
use std::path::PathBuf;
use std::time::Duration;

use chrono::Utc;
use serde_json::{Value, json};
use switchboard_core::{
    ConnectorDraft, ConnectorKind, ConnectorSettings, OrganizationDraft, Switchboard,
    TwilioSettings,
};

#[path = "../benches/support/history.rs"]
#[allow(
    dead_code,
    reason = "the error-log rows are the messaging bench's, not this suite's"
)]
mod history;

const ORG: &str = "Bench Hotels";
const CONNECTOR: &str = "Bench SMS";

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("perf_seed: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, url, token, numbers, attempts] = args.as_slice() else {
        return Err("usage: perf_seed DATA_DIR SANDBOX_URL ADMIN_TOKEN NUMBERS ATTEMPTS".into());
    };
    let dir = PathBuf::from(dir);
    let numbers: usize = numbers.parse()?;
    let attempts: usize = attempts.parse()?;

    let response = reqwest::Client::new()
        .post(format!("{url}/_sandbox/accounts"))
        .bearer_auth(token)
        .json(&json!({"provider": "twilio", "numbers": numbers}))
        .send()
        .await?;
    if !response.status().is_success() {
        return Err(format!("sandbox admin accounts answered {}", response.status()).into());
    }
    let account: Value = response.json().await?;
    let field = |path: &str| {
        account
            .pointer(path)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or(format!("the sandbox's account has no {path}"))
    };
    let (sid, auth_token) = (field("/twilio/account_sid")?, field("/twilio/auth_token")?);

    let core = Switchboard::open(&dir)?;
    let org = core.organization_create(&OrganizationDraft {
        name: ORG.into(),
        inbound_base_url: None,
    })?;
    let connector = core.connector_create(&ConnectorDraft {
        org_id: org.id.clone(),
        kind: ConnectorKind::Sms,
        name: CONNECTOR.into(),
        settings: ConnectorSettings::Twilio(TwilioSettings {
            account_sid: sid,
            base_url: Some(format!("{url}/twilio")),
            from: account
                .pointer("/numbers/0")
                .and_then(Value::as_str)
                .map(str::to_owned),
            ..TwilioSettings::default()
        }),
        recipients: vec![],
        receive_inbound: false,
        secret: Some(auth_token),
    })?;
    let listed = core.numbers_refresh(&connector.id).await?.numbers.len();
    drop(core);

    let mut conn = rusqlite::Connection::open(dir.join(switchboard_core::paths::DATABASE_FILE))?;
    conn.busy_timeout(Duration::from_secs(30))?;
    let tx = conn.transaction()?;
    let spread = history::Spread {
        org: &org.id,
        connectors: std::slice::from_ref(&connector.id),
        days: 90,
        now: Utc::now(),
    };
    history::insert_attempts(&tx, &spread, attempts)?;
    tx.commit()?;
    conn.execute_batch("ANALYZE")?;
    println!(
        "{}",
        json!({"org": ORG, "connector": CONNECTOR, "connectorId": connector.id,
               "numbers": listed, "attempts": attempts})
    );
    Ok(())
}
