//! The provider branch (credentials → account → numbers and senders → webhook drift) and the
//! inbound branch (the inbound URL's shape → a signed test request to it).

use std::sync::Arc;
use std::time::{Duration, Instant};

use switchboard_providers::{
    AccountType, FailureKind, ProviderClient, ProviderError, ProviderFailure,
};

use super::url_shape::{UrlProblem, inbound_url_problems};
use super::{Collector, Evidence, Finding, Severity, millis};
use crate::adapter::{LOOPBACK_ONLY_ENV, client_for};
use crate::error::CoreError;
use crate::model::{Connector, ConnectorKind, ConnectorSettings, ConnectorState, ProviderKind};
use crate::numbers::{DriftReason, NumberKind, NumberList, PhoneNumber, number_drift};
use crate::service::Switchboard;

const PROVIDER_BRANCH: &str = "provider";
const INBOUND_BRANCH: &str = "inbound";
/// The test request to the user's own server must not hold the diagnosis up.
const INBOUND_TEST_TIMEOUT: Duration = Duration::from_secs(5);

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
        numbers_findings(connector, &list, latency, collector);
        webhook_findings(connector, &list, collector);
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

    /// The inbound URL's shape, then (when the user configured it) a signed test request to it.
    pub(crate) async fn inbound_branch(&self, connector: &Connector, collector: &Arc<Collector>) {
        if connector.kind == ConnectorKind::Email {
            return;
        }
        if !connector.receive_inbound {
            collector.emit(Finding::new(
                "inbound_url",
                "inbound_url",
                Severity::Info,
                "Inbound messages are turned off",
                "This connector does not receive inbound messages, so its inbound URL is not \
                 checked.",
            ));
            return;
        }
        let prepared = connector.clone();
        let expected = self
            .blocking(move |core| core.expected_url(&prepared))
            .await;
        let url = match expected {
            Ok(Some(url)) => url,
            Ok(None) => {
                collector.emit(
                    Finding::new(
                        "inbound_url",
                        "inbound_url",
                        Severity::Warning,
                        "There is no inbound URL",
                        "The organization has no inbound base URL, so providers have nowhere to \
                         send inbound messages and status callbacks.",
                    )
                    .fix(
                        "Set the organization's inbound base URL (Organization → Edit, or \
                         switchboard org edit NAME --inbound-base-url URL).",
                    ),
                );
                return;
            }
            Err(error) => {
                collector.emit(Finding::skipped(
                    "inbound_url",
                    "inbound_url",
                    "Inbound URL not checked",
                    error.to_string(),
                ));
                return;
            }
        };
        let sandbox = connector
            .settings
            .api_urls()
            .base_url
            .as_deref()
            .is_some_and(switchboard_providers::loopback::is_loopback);
        let problems = inbound_url_problems(&url);
        // A provider on this machine (the sandbox) reaches this machine's addresses.
        let on_this_machine = switchboard_providers::loopback::is_loopback(&url);
        let local_ok = |p: &UrlProblem| match p {
            UrlProblem::Loopback | UrlProblem::PrivateAddress => sandbox,
            UrlProblem::PlainHttp | UrlProblem::OddPort { .. } => sandbox && on_this_machine,
            _ => false,
        };
        let blocking = problems.iter().any(|p| p.blocks_delivery() && !local_ok(p));
        let severity = if blocking {
            Severity::Error
        } else if problems.iter().any(|p| !local_ok(p)) {
            Severity::Warning
        } else if problems.is_empty() {
            Severity::Ok
        } else {
            Severity::Info
        };
        let evidence = Evidence {
            request: Some(url.clone()),
            status: None,
            summary: "the URL providers are told to call".into(),
            latency_ms: None,
        };
        let finding = if problems.is_empty() {
            Finding::new(
                "inbound_url",
                "inbound_url",
                Severity::Ok,
                "The inbound URL looks right",
                "It is a well-formed https address on the internet.",
            )
        } else {
            let mut meaning: Vec<String> = problems.iter().map(UrlProblem::describe).collect();
            if sandbox && problems.iter().any(local_ok) {
                meaning.push(
                    "The connector talks to the sandbox on this machine, which can reach it; a \
                     real provider could not."
                        .into(),
                );
            }
            Finding::new(
                "inbound_url",
                "inbound_url",
                severity,
                if severity.is_problem() {
                    "The inbound URL has a problem"
                } else {
                    "The inbound URL only works with the sandbox"
                },
                meaning.join(" "),
            )
            .fix(
                "Correct the organization's inbound base URL: a public https address such as \
                 https://hooks.your-hotel.example, without a doubled scheme or slash.",
            )
        };
        collector.emit(finding.evidence(evidence));
        if blocking {
            collector.emit(Finding::skipped(
                "inbound_url.test",
                "inbound_url.test",
                "No test request sent",
                "Not sent: the inbound URL itself is wrong (see above).",
            ));
            return;
        }
        if problems.contains(&UrlProblem::ReservedDomain) {
            collector.emit(Finding::skipped(
                "inbound_url.test",
                "inbound_url.test",
                "No test request sent",
                "Not sent: the inbound URL's domain is a placeholder that never resolves.",
            ));
            return;
        }
        if std::env::var_os(LOOPBACK_ONLY_ENV).is_some()
            && !switchboard_providers::loopback::is_loopback(&url)
        {
            collector.emit(Finding::skipped(
                "inbound_url.test",
                "inbound_url.test",
                "No test request sent",
                format!("Not sent: {LOOPBACK_ONLY_ENV} is set and the URL is not on this machine."),
            ));
            return;
        }
        let finding = collector
            .timed(
                INBOUND_BRANCH,
                "test request",
                self.inbound_test(connector, &url),
            )
            .await;
        collector.emit(finding);
    }

    /// Posts what a provider would post for an inbound message, signed like Twilio does when
    /// the connector holds the Auth Token, and reports the status and time.
    async fn inbound_test(&self, connector: &Connector, url: &str) -> Finding {
        let from = "+15005550006".to_owned();
        let to = connector
            .settings
            .sender()
            .unwrap_or("+15005550001")
            .to_owned();
        let params: Vec<(String, String)> = vec![
            (
                "MessageSid".into(),
                "SMdiagnose000000000000000000000000".into(),
            ),
            ("From".into(), from),
            ("To".into(), to),
            (
                "Body".into(),
                "Switchboard diagnosis: a test of the inbound URL (ignore it)".into(),
            ),
            ("NumMedia".into(), "0".into()),
        ];
        let id = connector.id.clone();
        let signing_secret = match &connector.settings {
            ConnectorSettings::Twilio(t) if t.api_key_sid.is_none() => self
                .blocking(move |core| core.connector_secret(&id))
                .await
                .ok()
                .flatten(),
            _ => None,
        };
        let signed = signing_secret.is_some();
        let client = match reqwest::Client::builder()
            .timeout(INBOUND_TEST_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
        {
            Ok(client) => client,
            Err(error) => {
                return Finding::skipped(
                    "inbound_url.test",
                    "inbound_url.test",
                    "No test request sent",
                    format!("Not sent: {error}"),
                );
            }
        };
        let mut request = client
            .post(url)
            .header("X-Switchboard-Diagnose", "1")
            .form(&params);
        if let Some(secret) = &signing_secret {
            let signature =
                switchboard_providers::signature::sign_twilio(secret.expose(), url, &params);
            request = request.header(
                switchboard_providers::signature::TWILIO_SIGNATURE_HEADER,
                signature,
            );
        }
        let started = Instant::now();
        let answer = request.send().await;
        let latency = millis(started);
        let how = if signed {
            "a signed test request (X-Twilio-Signature)"
        } else {
            "a test request (unsigned: Switchboard holds no key to sign it like this provider)"
        };
        match answer {
            Ok(response) => {
                let status = response.status().as_u16();
                let body = response.text().await.unwrap_or_default();
                let excerpt: String = body.trim().chars().take(160).collect();
                let evidence = Evidence {
                    request: Some(format!("POST {url}")),
                    status: Some(status),
                    summary: if excerpt.is_empty() {
                        "(empty body)".into()
                    } else {
                        excerpt
                    },
                    latency_ms: Some(latency),
                };
                let (severity, title, meaning, fix) = match status {
                    200..=299 => (
                        Severity::Ok,
                        "The inbound URL answers",
                        format!("It accepted {how} in {latency} ms."),
                        None,
                    ),
                    401 | 403 => (
                        Severity::Error,
                        "The inbound URL refuses the provider's requests",
                        format!(
                            "It answered {status} to {how}: the server checks the signature \
                             against another URL (a proxy rewrote it?) or another token."
                        ),
                        Some(
                            "Make the server check signatures against the exact public URL and \
                             the current token, or set the webhook again.",
                        ),
                    ),
                    404 => (
                        Severity::Error,
                        "Nothing answers at the inbound URL",
                        format!("It answered 404 to {how}: no service listens at this path."),
                        Some(
                            "Check that the inbound base URL points at the server that runs the \
                             webhook receiver, with the right path.",
                        ),
                    ),
                    _ => (
                        Severity::Error,
                        "The inbound URL answers with an error",
                        format!("It answered {status} to {how}."),
                        Some("Check the server's logs for this request (header X-Switchboard-Diagnose)."),
                    ),
                };
                let finding =
                    Finding::new("inbound_url.test", "inbound_url.test", severity, title, meaning)
                        .evidence(evidence);
                match fix {
                    Some(fix) => finding.fix(fix),
                    None => finding,
                }
            }
            Err(error) => Finding::new(
                "inbound_url.test",
                "inbound_url.test",
                Severity::Error,
                "The inbound URL does not answer",
                if error.is_timeout() {
                    format!(
                        "{how} got no answer within {} s: outbound messages may work while \
                         inbound ones never arrive.",
                        INBOUND_TEST_TIMEOUT.as_secs()
                    )
                } else {
                    format!(
                        "{how} could not be delivered (no connection): outbound messages may \
                         work while inbound ones never arrive."
                    )
                },
            )
            .fix("Check that the server behind the inbound URL runs and is reachable from the internet.")
            .evidence(Evidence {
                request: Some(format!("POST {url}")),
                status: None,
                summary: if error.is_timeout() { "timed out" } else { "no connection" }.into(),
                latency_ms: Some(latency),
            }),
        }
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

fn is_online(status: Option<&str>) -> bool {
    status.is_none_or(|s| {
        let s = s.to_ascii_uppercase();
        s.starts_with("ONLINE") || s == "ACTIVE" || s == "PURCHASED" || s == "IN-USE"
    })
}

fn numbers_findings(connector: &Connector, list: &NumberList, latency: u32, collector: &Collector) {
    let present: Vec<&PhoneNumber> = list.numbers.iter().filter(|n| !n.gone).collect();
    let senders = present
        .iter()
        .filter(|n| n.kind == NumberKind::WhatsappSender)
        .count();
    let active = present.iter().filter(|n| n.active).count();
    let evidence = Evidence {
        request: Some("list numbers and senders".into()),
        status: Some(200),
        summary: format!(
            "{} numbers, {senders} WhatsApp senders, {active} active in Switchboard",
            present.len() - senders
        ),
        latency_ms: Some(latency),
    };
    if present.is_empty() {
        collector.emit(
            Finding::new(
                "numbers",
                "numbers",
                Severity::Warning,
                "The account has no numbers or senders",
                "Nothing can be sent or received without a number (or a WhatsApp sender).",
            )
            .fix(
                "Buy a number or register a sender at the provider, then refresh the Numbers list.",
            )
            .evidence(evidence),
        );
    } else {
        collector.emit(
            Finding::new(
                "numbers",
                "numbers",
                Severity::Ok,
                format!("{} numbers and senders, {active} active", present.len()),
                "The provider lists the account's numbers and senders.",
            )
            .evidence(evidence),
        );
    }
    if let Some(from) = connector.settings.sender()
        && from.starts_with('+')
    {
        let bare = from.trim_start_matches("whatsapp:");
        if !present.iter().any(|n| n.e164 == bare) {
            collector.emit(
                Finding::new(
                    "numbers.from",
                    "numbers",
                    Severity::Error,
                    format!("The sending number {bare} is not in the account"),
                    "The connector sends from a number the provider does not list for this \
                     account, so every send is refused.",
                )
                .fix("Choose one of the account's numbers as the connector's From."),
            );
        }
    }
    for number in &present {
        if is_online(number.provider_status.as_deref()) {
            continue;
        }
        let status = number.provider_status.clone().unwrap_or_default();
        let offline = status.eq_ignore_ascii_case("OFFLINE");
        let severity = match (offline, number.active) {
            (true, true) => Severity::Error,
            (true, false) => Severity::Warning,
            _ => Severity::Info,
        };
        let reasons = if number.offline_reasons.is_empty() {
            String::new()
        } else {
            let listed: Vec<String> = number
                .offline_reasons
                .iter()
                .map(|r| {
                    let r = r.trim();
                    if r.ends_with('.') {
                        r.to_owned()
                    } else {
                        format!("{r}.")
                    }
                })
                .collect();
            format!(" Reasons given: {}", listed.join(" "))
        };
        collector.emit(
            Finding::new(
                format!("numbers.{}", number.e164),
                "numbers",
                severity,
                format!("{} is {status}", number.e164),
                format!(
                    "The provider reports {} as {status}: it {} send or receive until it is online.{reasons}",
                    number.e164,
                    if offline { "cannot" } else { "may not" }
                ),
            )
            .fix("Open the sender in the provider's console (or Senders) and resolve what it names."),
        );
    }
}

fn webhook_findings(connector: &Connector, list: &NumberList, collector: &Collector) {
    let Some(expected) = list.expected_webhook_url.as_deref() else {
        collector.emit(
            Finding::new(
                "webhook",
                "webhook",
                Severity::Warning,
                "No webhook URL to compare",
                "The organization has no inbound base URL, so no number can have the right \
                 webhook.",
            )
            .fix("Set the organization's inbound base URL, then set the webhooks."),
        );
        return;
    };
    let active: Vec<&PhoneNumber> = list.numbers.iter().filter(|n| n.active).collect();
    if active.is_empty() {
        collector.emit(
            Finding::new(
                "webhook",
                "webhook",
                Severity::Info,
                "No number is active in Switchboard",
                "Only active numbers get Switchboard's webhook; none is active, so none is \
                 compared.",
            )
            .fix("Activate the numbers this connector should receive on (Numbers → Activate)."),
        );
        return;
    }
    let mut drifted = 0;
    for number in &active {
        let reasons = number_drift(Some(expected), number);
        if reasons.is_empty() {
            continue;
        }
        drifted += 1;
        let overridden = reasons.iter().find(|r| {
            matches!(
                r,
                DriftReason::OverriddenByMessagingService { .. }
                    | DriftReason::OverriddenByApplication { .. }
            )
        });
        let (title, fix) = match overridden {
            Some(DriftReason::OverriddenByMessagingService { sid, name }) => (
                format!(
                    "A Messaging Service decides where inbound messages to {} go",
                    number.e164
                ),
                format!(
                    "In Twilio, open the Messaging Service {}{sid} and turn on \"Use inbound \
                     webhook on number\" (or remove the number from the service).",
                    name.as_deref()
                        .map(|n| format!("'{n}' "))
                        .unwrap_or_default()
                ),
            ),
            Some(DriftReason::OverriddenByApplication { sid }) => (
                format!(
                    "A TwiML application takes inbound messages to {}",
                    number.e164
                ),
                format!(
                    "In Twilio, clear the number's SMS application ({sid}), then set the webhook again."
                ),
            ),
            _ => (
                format!(
                    "Inbound messages to {} do not reach Switchboard",
                    number.e164
                ),
                format!(
                    "Set the webhook: Numbers → Set webhook, or switchboard webhook set {} {}",
                    connector.id, number.e164
                ),
            ),
        };
        let chain = number
            .webhook_override
            .as_ref()
            .map(|o| format!(" {}", o.describe()))
            .unwrap_or_default();
        collector.emit(
            Finding::new(
                format!("webhook.{}", number.e164),
                "webhook",
                Severity::Warning,
                title,
                format!(
                    "{}.{chain}",
                    reasons
                        .iter()
                        .map(DriftReason::describe)
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            )
            .fix(fix)
            .evidence(Evidence {
                request: Some(format!("read back the webhook of {}", number.e164)),
                status: None,
                summary: format!(
                    "expected {expected}, the provider has {} ({})",
                    number.webhook_url.as_deref().unwrap_or("no URL"),
                    number.webhook_method.as_deref().unwrap_or("no method"),
                ),
                latency_ms: None,
            }),
        );
    }
    if drifted == 0 {
        collector.emit(Finding::new(
            "webhook",
            "webhook",
            Severity::Ok,
            "Every active number has Switchboard's webhook",
            format!(
                "The provider sends inbound messages for all {} active numbers to the connector's \
                 URL, and nothing overrides it.",
                active.len()
            ),
        ));
    } else {
        collector.emit(Finding::new(
            "webhook",
            "webhook",
            Severity::Info,
            format!("{drifted} of {} active numbers differ", active.len()),
            "See the findings per number above.",
        ));
    }
}
