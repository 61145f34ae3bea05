//! The credential check of an Email connector: connect, TLS, EHLO, AUTH, QUIT.

use std::time::Duration;

use switchboard_providers::ProviderFailure;

use super::{session, smtp_config};
use crate::model::{CheckRecord, Connector, ConnectorState, Event, EventLevel, SmtpSecurity};
use crate::secrets::Sensitive;

/// What checking the connector's mail server found: Active with the server's name, or Error
/// with the typed failure (never an `Err`: a failed check is a result).
pub(crate) async fn check_record(
    connector: &Connector,
    password: Option<Sensitive<String>>,
    timeout: Duration,
) -> CheckRecord {
    let outcome = async {
        let config = smtp_config(connector)?;
        let session = session::open(&config, password, timeout).await?;
        let greeting = session.greeting().clone();
        session.quit().await;
        Ok::<_, super::SmtpError>((config, greeting))
    }
    .await;
    let (config, greeting) = match outcome {
        Ok(found) => found,
        Err(error) => return failed(error.failure(true)),
    };
    let security = match config.security {
        SmtpSecurity::Starttls => "STARTTLS",
        SmtpSecurity::Tls => "TLS",
        SmtpSecurity::None => "no TLS, this machine only",
    };
    let login = match (&config.username, greeting.logged_in) {
        (Some(username), true) => format!(", logged in as {username}"),
        _ => ", without login".to_owned(),
    };
    CheckRecord {
        state: ConnectorState::Active,
        reason: None,
        failure: None,
        account_name: Some(greeting.server_name.clone()),
        account_type: None,
        warning: None,
        verified_at: None,
        event: Event {
            level: EventLevel::Info,
            code: None,
            message: format!(
                "Connected to the mail server {} (SMTP on port {}, {security}{login})",
                greeting.server_name, config.port
            ),
            created_at: String::new(),
        },
    }
}

/// A failed check: state Error, the failure kept typed, its one-line summary as the reason and
/// the event (whose code is the server's reply code, for searching the log).
fn failed(failure: ProviderFailure) -> CheckRecord {
    let summary = failure.summary();
    CheckRecord {
        state: ConnectorState::Error,
        event: Event {
            level: EventLevel::Error,
            code: failure.provider_code.clone(),
            message: summary.clone(),
            created_at: String::new(),
        },
        reason: Some(summary),
        failure: Some(failure),
        account_name: None,
        account_type: None,
        warning: None,
        verified_at: None,
    }
}
