//! The provider branch: credentials → account → numbers and senders → webhook drift (the last two
//! read in [`super::numbers`]).

use std::sync::Arc;
use std::time::Instant;

use switchboard_providers::{
    AccountType, FailureKind, ProviderClient, ProviderError, ProviderFailure,
};

use super::{Collector, Evidence, Finding, Severity, millis};
use crate::adapter::client_for;
use crate::error::CoreError;
use crate::model::{Connector, ConnectorSettings, ConnectorState, ProviderKind};
use crate::service::Switchboard;

const PROVIDER_BRANCH: &str = "provider";

/// The request a credential check makes, as evidence (identifiers as placeholders).
fn credential_request(connector: &Connector) -> &'static str {
    match &connector.settings {
        ConnectorSettings::Twilio(t) if t.api_key_sid.is_some() => {
            "GET /2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json?PageSize=1"
        }
        ConnectorSettings::Twilio(_) => "GET /2010-04-01/Accounts/{Sid}.json",
        ConnectorSettings::Telnyx(_) => "GET /v2/balance",
        ConnectorSettings::Elks46(_) => "GET /a1/me",
        ConnectorSettings::Smtp(_) => "SMTP EHLO + AUTH",
    }
}

fn failure_evidence(request: &str, failure: &ProviderFailure, latency: u32) -> Evidence {
    let code = failure
        .provider_code
        .as_deref()
        .map(|code| format!("code {code}: "))
        .unwrap_or_default();
    Evidence {
        request: Some(request.to_owned()),
        status: failure.http_status,
        summary: format!("{} ({code}{})", failure.kind, failure.message.trim()),
        latency_ms: Some(latency),
    }
}

/// Twilio's Account SID shape: `AC` and 32 hex digits.
fn well_formed_account_sid(sid: &str) -> bool {
    sid.len() == 34 && sid.starts_with("AC") && sid[2..].chars().all(|c| c.is_ascii_hexdigit())
}

/// What a refused credential check means, as far as the provider's answer tells.
fn credential_finding(connector: &Connector, failure: &ProviderFailure) -> Finding {
    let provider = connector.provider().messaging_provider();
    let name = provider.map_or_else(|| "The mail server".to_owned(), |p| p.to_string());
    let (title, meaning, fix): (String, String, String) = match (&connector.settings, failure.kind)
    {
        (ConnectorSettings::Twilio(t), FailureKind::InvalidCredentials)
            if !well_formed_account_sid(&t.account_sid) =>
        (
            "The Account SID is wrong".into(),
            "The Account SID is not AC followed by 32 letters and digits, so Twilio cannot know \
             the account."
                .into(),
            "Copy the Account SID again from the Twilio Console (Account Info) into the \
             connector settings."
                .into(),
        ),
        (ConnectorSettings::Twilio(t), FailureKind::InvalidCredentials)
            if t.api_key_sid.is_some() =>
        (
            "Twilio refused the API key".into(),
            "Twilio answered 401 (code 20003): the API key SID or its secret is wrong, or the \
             key belongs to another account than this Account SID. Twilio gives the same answer \
             for all three."
                .into(),
            "Check that the API key was created in this account (Console → API keys), and \
             enter its secret again."
                .into(),
        ),
        (ConnectorSettings::Twilio(_), FailureKind::InvalidCredentials) => (
            "Twilio refused the Auth Token".into(),
            "Twilio answered 401 (code 20003). The Account SID is well-formed, so the Auth \
             Token is wrong or belongs to another account (Twilio gives the same answer for a \
             wrong SID and a wrong token; a token that was rotated stops working at once)."
                .into(),
            "Copy the Auth Token again from the Twilio Console (Account Info) for this Account \
             SID and enter it in the connector settings."
                .into(),
        ),
        (_, FailureKind::PermissionDenied) => (
            format!("{name} accepted the credentials but refused the request"),
            "The credentials are right but lack the rights for this call (e.g. a restricted \
             API key, or a key of a subaccount)."
                .into(),
            "Give the key the rights it needs (or use a standard key / the Auth Token), then \
             diagnose again."
                .into(),
        ),
        (_, FailureKind::NotFound) => (
            format!("{name} does not know this account"),
            "The account was not found: the account id is wrong, or it lives in another \
             region than the API address used."
                .into(),
            "Check the account id and the connector's API address (region).".into(),
        ),
        _ => (
            format!("{name} did not confirm the credentials"),
            failure.cause.clone(),
            failure.fix.clone(),
        ),
    };
    Finding::new(
        "credentials",
        "credentials",
        Severity::Error,
        title,
        meaning,
    )
    .fix(fix)
}

impl Switchboard {
    /// credentials → account → numbers → drift; after a failure the later steps are skipped.
    pub(crate) async fn provider_branch(&self, connector: &Connector, collector: &Arc<Collector>) {
        if connector.provider() == ProviderKind::Smtp {
            self.smtp_check(connector, collector).await;
            return;
        }
        let request = credential_request(connector);
        let id = connector.id.clone();
        // The keychain read is the chain's first step (it can take a while on some systems).
        let secret = collector
            .timed(
                PROVIDER_BRANCH,
                "keychain",
                self.blocking(move |core| core.connector_secret(&id)),
            )
            .await;
        let started = Instant::now();
        let client =
            secret.and_then(|secret| client_for(connector, secret, self.provider_timeout()));
        let checked = match client {
            Err(CoreError::Provider(failure)) => Err(*failure),
            Err(other) => Err(ProviderFailure {
                provider: connector
                    .provider()
                    .messaging_provider()
                    .unwrap_or(switchboard_providers::Provider::Smtp),
                kind: FailureKind::InvalidConnectionSettings,
                provider_code: None,
                http_status: None,
                message: other.to_string(),
                cause: other.to_string(),
                fix: "Edit the connector and check its settings.".into(),
                docs_url: None,
            }),
            Ok(client) => collector
                .timed(PROVIDER_BRANCH, "credentials", client.check_credentials())
                .await
                .map_err(|error| match error {
                    // The credentials worked; the account cannot be used.
                    ProviderError::AccountInactive { provider, status } => {
                        inactive_account(provider, status)
                    }
                    other => other.failure(),
                }),
        };
        let latency = millis(started);
        let account = match checked {
            Ok(check) => check,
            Err(failure) if failure.kind == FailureKind::AccountSuspended => {
                collector.emit(
                    Finding::new(
                        "credentials",
                        "credentials",
                        Severity::Ok,
                        "The credentials are right",
                        "The provider accepted the credentials.",
                    )
                    .evidence(Evidence {
                        request: Some(request.into()),
                        status: Some(200),
                        summary: "account found".into(),
                        latency_ms: Some(latency),
                    }),
                );
                collector.emit(
                    Finding::new(
                        "account",
                        "account",
                        Severity::Error,
                        "The account is suspended or closed",
                        format!(
                            "The provider reports the account as {}: nothing can be sent or \
                             received until it is active again.",
                            failure.message
                        ),
                    )
                    .fix(
                        "Contact the provider's support (or settle the billing) to reactivate it.",
                    ),
                );
                skip_after_credentials(collector, "the account is not active");
                return;
            }
            Err(failure) => {
                collector.provider_failed(&failure);
                collector.emit(
                    credential_finding(connector, &failure)
                        .evidence(failure_evidence(request, &failure, latency)),
                );
                skip_after_credentials(collector, "the credential check failed");
                return;
            }
        };
        collector.emit(
            Finding::new(
                "credentials",
                "credentials",
                Severity::Ok,
                "The credentials are right",
                format!(
                    "The provider accepted the credentials{}.",
                    account
                        .account_name
                        .as_deref()
                        .map(|n| format!(" for '{n}'"))
                        .unwrap_or_default()
                ),
            )
            .evidence(Evidence {
                request: Some(account.checked_with.clone()),
                status: Some(200),
                summary: "accepted".into(),
                latency_ms: Some(latency),
            }),
        );
        let status = account
            .status
            .clone()
            .unwrap_or_else(|| "not reported".into());
        let account_finding = match account.account_type {
            Some(AccountType::Trial) => Finding::new(
                "account",
                "account",
                Severity::Warning,
                "This is a trial account",
                format!(
                    "Status {status}, type Trial: it can only send to numbers verified in the \
                     provider's console, and messages carry a trial notice."
                ),
            )
            .fix("Upgrade the account in the provider's console before going live."),
            _ if !account.warnings.is_empty() => Finding::new(
                "account",
                "account",
                Severity::Info,
                "The account is usable, with a note",
                account.warnings.join(" "),
            ),
            _ => Finding::new(
                "account",
                "account",
                Severity::Ok,
                "The account is active",
                format!(
                    "Status {status}{}.",
                    match account.account_type {
                        Some(AccountType::Full) => ", type Full",
                        _ => "",
                    }
                ),
            ),
        };
        collector.emit(account_finding);

        let started = Instant::now();
        let listed = collector
            .timed(
                PROVIDER_BRANCH,
                "numbers",
                self.numbers_refresh(&connector.id),
            )
            .await;
        let latency = millis(started);
        let list = match listed {
            Ok(list) => list,
            Err(error) => {
                let failure = match &error {
                    CoreError::Provider(failure) => Some((**failure).clone()),
                    _ => None,
                };
                if let Some(failure) = &failure {
                    collector.provider_failed(failure);
                }
                let mut finding = Finding::new(
                    "numbers",
                    "numbers",
                    Severity::Error,
                    "The numbers could not be listed",
                    failure
                        .as_ref()
                        .map_or_else(|| error.to_string(), |f| f.cause.clone()),
                )
                .fix(failure.as_ref().map_or_else(
                    || "Try again in a few minutes.".to_owned(),
                    |f| f.fix.clone(),
                ));
                if let Some(failure) = &failure {
                    finding = finding.evidence(failure_evidence("list numbers", failure, latency));
                }
                collector.emit(finding);
                collector.emit(Finding::skipped(
                    "webhook",
                    "webhook",
                    "Webhook drift not checked",
                    "Not checked: the numbers could not be listed.",
                ));
                return;
            }
        };
        super::numbers::numbers_findings(connector, &list, latency, collector);
        super::numbers::webhook_findings(connector, &list, collector);
    }

    async fn smtp_check(&self, connector: &Connector, collector: &Arc<Collector>) {
        let started = Instant::now();
        let checked = collector
            .timed(
                PROVIDER_BRANCH,
                "credentials",
                self.connector_check(&connector.id),
            )
            .await;
        let evidence = |summary: String| Evidence {
            request: Some("SMTP EHLO + AUTH".into()),
            status: None,
            summary,
            latency_ms: Some(millis(started)),
        };
        let finding = match checked {
            Ok(c) if c.state == ConnectorState::Active => Finding::new(
                "credentials",
                "credentials",
                Severity::Ok,
                "The mail server accepts the login",
                "The mail server answered and accepted the user name and password.",
            )
            .evidence(evidence("accepted".into())),
            Ok(c) => {
                let failure = c.state_failure.clone();
                Finding::new(
                    "credentials",
                    "credentials",
                    Severity::Error,
                    "The mail server check failed",
                    failure.as_ref().map_or_else(
                        || c.state_reason.clone().unwrap_or_default(),
                        |f| f.cause.clone(),
                    ),
                )
                .fix(failure.as_ref().map_or_else(
                    || "Edit the Email connector's settings and check it again.".to_owned(),
                    |f| f.fix.clone(),
                ))
                .evidence(evidence(c.state_reason.unwrap_or_default()))
            }
            Err(error) => Finding::new(
                "credentials",
                "credentials",
                Severity::Error,
                "The mail server could not be checked",
                error.to_string(),
            ),
        };
        collector.emit(finding);
    }
}

/// The credentials worked but the account is suspended or closed.
fn inactive_account(provider: switchboard_providers::Provider, status: String) -> ProviderFailure {
    ProviderFailure {
        provider,
        kind: FailureKind::AccountSuspended,
        provider_code: None,
        http_status: None,
        message: status,
        cause: FailureKind::AccountSuspended.cause().into(),
        fix: FailureKind::AccountSuspended.fix().into(),
        docs_url: None,
    }
}

fn skip_after_credentials(collector: &Collector, why: &str) {
    for (id, title) in [
        ("account", "Account status not checked"),
        ("numbers", "Numbers and senders not checked"),
        ("webhook", "Webhook drift not checked"),
    ] {
        // The account finding is already there when the account itself is the problem.
        if id == "account" && why.contains("account") {
            continue;
        }
        collector.emit(Finding::skipped(
            id,
            id,
            title,
            format!("Not checked: {why}, and this check needs working credentials."),
        ));
    }
}
