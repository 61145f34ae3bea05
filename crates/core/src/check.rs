//! Checking a connector's credentials against its provider and recording what the result means.
//! The client and the failure wording come from [`crate::adapter`] and the providers crate.

use switchboard_providers::{AccountType, ProviderClient, ProviderFailure};

use crate::adapter::client_for;
use crate::clock::now;
use crate::error::CoreError;
use crate::model::{CheckRecord, Connector, ConnectorState, Event, EventLevel, ProviderKind};
use crate::service::Switchboard;

impl Switchboard {
    /// Checks the connector's credentials against its provider and records the outcome (state,
    /// reason and typed failure, account, an event). A failed check is a result, not an error:
    /// the connector is saved in state Error with the failure.
    pub async fn connector_check(&self, id: &str) -> Result<Connector, CoreError> {
        let reference = id.to_owned();
        let (connector, secret) = self
            .blocking(move |core| {
                let connector = core.connector(&reference)?;
                let secret = core.connector_secret(&connector.id)?;
                Ok((connector, secret))
            })
            .await?;
        if connector.provider() == ProviderKind::Smtp {
            let timeout = self.provider_timeout();
            let record = keep_last_known(
                &connector,
                crate::smtp::check_record(&connector, secret, timeout).await,
            );
            return self
                .blocking(move |core| {
                    core.store().record_check(&connector.id, &record, &now())?;
                    core.connector(&connector.id)
                })
                .await;
        }
        let record = match client_for(&connector, secret, self.provider_timeout()) {
            Err(CoreError::Provider(failure)) => failed(*failure),
            Err(other) => return Err(other),
            Ok(client) => match client.check_credentials().await {
                Ok(check) => {
                    let account_type = match check.account_type {
                        Some(AccountType::Trial) => Some("Trial".to_owned()),
                        Some(AccountType::Full) => Some("Full".to_owned()),
                        _ => None,
                    };
                    let warning = (!check.warnings.is_empty()).then(|| check.warnings.join(" "));
                    let name = check
                        .account_name
                        .clone()
                        .unwrap_or_else(|| "the account".into());
                    CheckRecord {
                        state: ConnectorState::Active,
                        reason: None,
                        failure: None,
                        account_name: check.account_name,
                        account_type,
                        event: Event {
                            level: if warning.is_some() {
                                EventLevel::Warning
                            } else {
                                EventLevel::Info
                            },
                            code: None,
                            message: format!("Connected to {name} ({})", check.checked_with),
                            created_at: String::new(),
                        },
                        warning,
                        verified_at: None,
                    }
                }
                Err(error) => failed(error.failure()),
            },
        };
        let record = keep_last_known(&connector, record);
        self.blocking(move |core| {
            core.store().record_check(&connector.id, &record, &now())?;
            core.connector(&connector.id)
        })
        .await
    }
}

/// A connector that was Active stays Active when its provider cannot be asked now (unreachable,
/// rate-limited, failing on its side): the credentials were not refused, so the last known state
/// stands, and the failure (the "Not connected" badge) says why and since when it was verified.
/// A connector never verified is saved in Error, as seed 001 says.
fn keep_last_known(connector: &Connector, record: CheckRecord) -> CheckRecord {
    let Some(failure) = record.failure.as_ref() else {
        return record;
    };
    if connector.state != ConnectorState::Active || !crate::freshness::is_out_of_reach(failure) {
        return record;
    }
    let since = connector
        .checked_at
        .as_deref()
        .map(|at| format!(" at {at}"))
        .unwrap_or_default();
    let reason = format!(
        "{} Still Active as last verified{since}: the credentials were not refused.",
        failure.summary()
    );
    CheckRecord {
        state: ConnectorState::Active,
        reason: Some(reason.clone()),
        account_name: connector.account_name.clone(),
        account_type: connector.account_type.clone(),
        warning: connector.state_warning.clone(),
        event: Event {
            level: EventLevel::Warning,
            message: reason,
            ..record.event
        },
        verified_at: connector.checked_at.clone(),
        ..record
    }
}

/// A failed check: state Error, the failure kept typed, and its one-line summary as the reason
/// and the event (whose code is the provider's own, for searching the log).
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
