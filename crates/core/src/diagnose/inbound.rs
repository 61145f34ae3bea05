//! The inbound branch: the inbound URL's shape, then (when the user configured it) a test request
//! to it, signed like Twilio's, with a short timeout.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::url_shape::{UrlProblem, inbound_url_problems};
use super::{Collector, Evidence, Finding, Severity, millis};
use crate::adapter::LOOPBACK_ONLY_ENV;
use crate::model::{Connector, ConnectorKind, ConnectorSettings};
use crate::service::Switchboard;

const INBOUND_BRANCH: &str = "inbound";
/// The test request to the user's own server must not hold the diagnosis up.
const INBOUND_TEST_TIMEOUT: Duration = Duration::from_secs(5);

impl Switchboard {
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
        // A Messaging Service SID (a Twilio From may be one) is no number to post to.
        let to = crate::messaging::settings::default_from_address(connector)
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
