//! The network branch: for each provider host, DNS → TCP → TLS/HTTP (each step needs the one
//! before), and the local clock against the first answer's `Date` header. Works with the
//! sandbox's plain-http loopback address as with a provider's https host.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use switchboard_providers::elks::ElksClient;
use switchboard_providers::telnyx::TelnyxClient;
use switchboard_providers::twilio::TwilioEndpoints;
use url::Url;

use super::{Collector, Evidence, Finding, Severity, millis};
use crate::adapter::LOOPBACK_ONLY_ENV;
use crate::model::{Connector, ConnectorSettings};

const STEP_TIMEOUT: Duration = Duration::from_secs(5);
const BRANCH: &str = "network";

/// A clock this far off breaks signed webhooks (Telnyx allows 300 s) and makes logs confusing.
const CLOCK_ERROR_SECONDS: i64 = 300;
const CLOCK_WARNING_SECONDS: i64 = 60;

/// The hosts this connector's calls go to, each once, in the order the calls use them.
fn provider_urls(connector: &Connector) -> Vec<(String, u16, Url)> {
    let urls: Vec<String> = match &connector.settings {
        ConnectorSettings::Twilio(twilio) => {
            let defaults = TwilioEndpoints::default();
            let base = twilio.base_url.clone();
            vec![
                base.clone()
                    .unwrap_or_else(|| defaults.api.as_str().to_owned()),
                twilio
                    .messaging_base_url
                    .clone()
                    .or_else(|| base.clone())
                    .unwrap_or_else(|| defaults.messaging.as_str().to_owned()),
                twilio
                    .content_base_url
                    .clone()
                    .or(base)
                    .unwrap_or_else(|| defaults.content.as_str().to_owned()),
            ]
        }
        ConnectorSettings::Telnyx(telnyx) => vec![
            telnyx
                .base_url
                .clone()
                .unwrap_or_else(|| TelnyxClient::default_base().as_str().to_owned()),
        ],
        ConnectorSettings::Elks46(elks) => vec![
            elks.base_url
                .clone()
                .unwrap_or_else(|| ElksClient::default_base().as_str().to_owned()),
        ],
        // Parsed as http for its host (an `smtp:` URL's host is opaque text); only DNS and TCP
        // are checked for a mail server.
        ConnectorSettings::Smtp(smtp) => vec![format!("http://{}:{}", smtp.host, smtp.port)],
    };
    let mut seen = Vec::new();
    for text in urls {
        let Ok(url) = Url::parse(&text) else { continue };
        let (Some(host), Some(port)) = (url.host_str(), url.port_or_known_default().or(url.port()))
        else {
            continue;
        };
        let host = host.to_owned();
        if !seen.iter().any(|(h, p, _)| *h == host && *p == port) {
            seen.push((host, port, url));
        }
    }
    seen
}

/// A proxy from the environment (reqwest uses it), shown without any user name or password.
fn proxy_in_use() -> Option<String> {
    [
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
        "HTTP_PROXY",
        "http_proxy",
    ]
    .iter()
    .find_map(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    .map(|value| match Url::parse(value.trim()) {
        Ok(mut url) => {
            let _ = url.set_username("");
            let _ = url.set_password(None);
            url.to_string()
        }
        Err(_) => "(an unreadable proxy setting)".to_owned(),
    })
}

pub(crate) async fn network_branch(connector: &Connector, collector: &Arc<Collector>) {
    if let Some(proxy) = proxy_in_use() {
        collector.emit(
            Finding::new(
                "reachability.proxy",
                "reachability",
                Severity::Info,
                "Requests go through a proxy",
                format!(
                    "The environment sets a proxy ({proxy}); provider calls go through it. If the \
                     checks below fail while the internet works, the proxy may block the provider."
                ),
            )
            .fix("If calls fail, ask whoever runs the proxy to allow the provider's hosts."),
        );
    }
    let loopback_only = std::env::var_os(LOOPBACK_ONLY_ENV).is_some();
    let mut clock_checked = false;
    for (host, port, url) in provider_urls(connector) {
        // By host only: the sandbox's port changes between runs, its host does not.
        let id = format!("reachability.{host}");
        if loopback_only && !switchboard_providers::loopback::is_loopback_url(&url) {
            collector.emit(Finding::skipped(
                &id,
                "reachability",
                &format!("{host} not checked"),
                format!("{LOOPBACK_ONLY_ENV} is set: only hosts on this machine are contacted."),
            ));
            continue;
        }
        let mail_server = matches!(connector.settings, ConnectorSettings::Smtp(_));
        let date = reach(collector, &id, &host, port, &url, mail_server).await;
        if !clock_checked && let Some((date, midpoint)) = date {
            clock_checked = true;
            collector.emit(clock_finding(&host, &date, midpoint));
        }
    }
}

/// DNS → TCP → TLS/HTTP for one host; one finding with a line of evidence per step. Returns the
/// answer's `Date` header and when it was (about) written, for the clock check.
async fn reach(
    collector: &Collector,
    id: &str,
    host: &str,
    port: u16,
    url: &Url,
    mail_server: bool,
) -> Option<(String, chrono::DateTime<chrono::Utc>)> {
    let mut evidence = Vec::new();
    let fail = |evidence: Vec<Evidence>, title: String, meaning: String, fix: &str| {
        let mut finding =
            Finding::new(id, "reachability", Severity::Error, title, meaning).fix(fix);
        finding.evidence = evidence;
        collector.emit(finding);
    };

    let started = Instant::now();
    let lookup = collector
        .timed(
            BRANCH,
            "dns",
            tokio::time::timeout(STEP_TIMEOUT, tokio::net::lookup_host((host, port))),
        )
        .await;
    let addresses: Vec<SocketAddr> = match lookup {
        Ok(Ok(found)) => found.collect(),
        Ok(Err(_)) | Err(_) => Vec::new(),
    };
    evidence.push(Evidence {
        request: Some(format!("DNS {host}")),
        status: None,
        summary: if addresses.is_empty() {
            "no address found".to_owned()
        } else {
            format!(
                "{} address(es), first {}",
                addresses.len(),
                addresses[0].ip()
            )
        },
        latency_ms: Some(millis(started)),
    });
    let Some(first) = addresses.first().copied() else {
        fail(
            evidence,
            format!("{host} cannot be found (DNS)"),
            format!("The name {host} did not resolve to an address, so no call can reach it."),
            "Check the internet connection and the connector's API address (a typo in the host?).",
        );
        return None;
    };

    let started = Instant::now();
    let connected = collector
        .timed(
            BRANCH,
            "tcp",
            tokio::time::timeout(STEP_TIMEOUT, tokio::net::TcpStream::connect(first)),
        )
        .await;
    let tcp_ok = matches!(connected, Ok(Ok(_)));
    evidence.push(Evidence {
        request: Some(format!("TCP connect {first}")),
        status: None,
        summary: match &connected {
            Ok(Ok(_)) => "connected".to_owned(),
            Ok(Err(error)) => format!("failed: {}", error.kind()),
            Err(_) => format!("no answer within {} s", STEP_TIMEOUT.as_secs()),
        },
        latency_ms: Some(millis(started)),
    });
    drop(connected);
    if !tcp_ok {
        fail(
            evidence,
            format!("{host} does not accept connections on port {port}"),
            format!(
                "The address of {host} was found, but nothing accepted a connection on port \
                 {port}: a firewall blocks it, or (for the sandbox) it is not running."
            ),
            "Check the firewall or proxy settings; for the sandbox, start it again.",
        );
        return None;
    }

    if mail_server {
        collector.emit(
            Finding::new(
                id,
                "reachability",
                Severity::Ok,
                format!("{host} is reachable"),
                format!("The mail server's address was found and port {port} accepts connections."),
            )
            .evidence_all(evidence),
        );
        return None;
    }

    let client = match reqwest::Client::builder()
        .timeout(STEP_TIMEOUT * 2)
        .redirect(reqwest::redirect::Policy::none())
        .build()
    {
        Ok(client) => client,
        Err(_) => return None,
    };
    let started = Instant::now();
    let asked_at = chrono::Utc::now();
    let answer = collector
        .timed(BRANCH, "http", client.get(url.as_str()).send())
        .await;
    let latency = millis(started);
    let secure = url.scheme() == "https";
    let step = if secure { "TLS + HTTPS" } else { "HTTP" };
    match answer {
        Ok(response) => {
            let status = response.status().as_u16();
            let date = response
                .headers()
                .get(reqwest::header::DATE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            evidence.push(Evidence {
                request: Some(format!("GET {}", url.path())),
                status: Some(status),
                summary: format!("{step} answered"),
                latency_ms: Some(latency),
            });
            let meaning = if secure {
                format!(
                    "{host} was found, accepted a connection, proved its identity (TLS) and \
                     answered in {latency} ms."
                )
            } else {
                format!(
                    "{host} was found, accepted a connection and answered in {latency} ms. It is \
                     plain http, which only a provider on this machine (the sandbox) may use."
                )
            };
            collector.emit(
                Finding::new(
                    id,
                    "reachability",
                    Severity::Ok,
                    format!("{host} is reachable"),
                    meaning,
                )
                .evidence_all(evidence),
            );
            let midpoint = asked_at + chrono::Duration::milliseconds(i64::from(latency / 2));
            date.map(|d| (d, midpoint))
        }
        Err(error) => {
            let tls = secure && error.is_connect();
            evidence.push(Evidence {
                request: Some(format!("GET {}", url.path())),
                status: None,
                summary: if error.is_timeout() {
                    format!("{step}: no answer in time")
                } else if tls {
                    format!("{step}: the secure connection failed")
                } else {
                    format!("{step}: failed")
                },
                latency_ms: Some(latency),
            });
            if tls {
                fail(
                    evidence,
                    format!("The secure connection to {host} failed (TLS)"),
                    format!(
                        "{host} accepts connections but the secure (TLS) handshake failed: the \
                         clock is wrong, or a proxy or antivirus intercepts secure traffic."
                    ),
                    "Check the computer's date and time, and any proxy or antivirus that \
                     inspects secure traffic.",
                );
            } else {
                fail(
                    evidence,
                    format!("{host} does not answer"),
                    format!("{host} accepted a connection but did not answer a request."),
                    "Try again in a few minutes; if it keeps happening, check the proxy or \
                     firewall.",
                );
            }
            None
        }
    }
}

fn clock_finding(host: &str, date: &str, midpoint: chrono::DateTime<chrono::Utc>) -> Finding {
    let evidence = Evidence {
        request: Some(format!("Date header from {host}")),
        status: None,
        summary: date.to_owned(),
        latency_ms: None,
    };
    let Ok(theirs) = chrono::DateTime::parse_from_rfc2822(date) else {
        return Finding::new(
            "clock",
            "clock",
            Severity::Info,
            "The provider's time could not be read",
            "The provider's answer had a Date header Switchboard could not read, so the clock \
             was not compared.",
        )
        .evidence(evidence);
    };
    // The header has whole seconds: a second either way is no skew.
    let skew = (midpoint - theirs.with_timezone(&chrono::Utc)).num_seconds();
    let (severity, title) = match skew.abs() {
        s if s >= CLOCK_ERROR_SECONDS => (Severity::Error, "This computer's clock is wrong"),
        s if s >= CLOCK_WARNING_SECONDS => (Severity::Warning, "This computer's clock is off"),
        _ => (Severity::Ok, "This computer's clock is right"),
    };
    let direction = if skew > 0 { "ahead of" } else { "behind" };
    let meaning = if severity == Severity::Ok {
        format!(
            "The local clock agrees with {host} (within {} s).",
            skew.abs().max(1)
        )
    } else {
        format!(
            "The local clock is {} s {direction} {host}'s. Signed webhooks (Telnyx allows 300 s) \
             and secure connections fail when the clock is this far off, and times in the log \
             are misleading.",
            skew.abs()
        )
    };
    let finding = Finding::new("clock", "clock", severity, title, meaning).evidence(evidence);
    if severity == Severity::Ok {
        finding
    } else {
        finding.fix("Turn on automatic date and time in the system settings.")
    }
}

impl Finding {
    fn evidence_all(mut self, evidence: Vec<Evidence>) -> Self {
        self.evidence.extend(evidence);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skewed(seconds: i64) -> Finding {
        use chrono::Timelike as _;
        // The header has whole seconds: so does "now" here, for exact figures.
        let now = chrono::Utc::now().with_nanosecond(0).unwrap();
        let theirs = (now - chrono::Duration::seconds(seconds)).to_rfc2822();
        clock_finding("api.example", &theirs, now)
    }

    #[test]
    fn the_clock_is_judged_against_the_providers_date_header() {
        assert_eq!(skewed(0).severity, Severity::Ok);
        assert_eq!(skewed(-20).severity, Severity::Ok);
        let off = skewed(90);
        assert_eq!(off.severity, Severity::Warning);
        assert!(off.meaning.contains("90 s ahead of"), "{off:?}");
        let wrong = skewed(-600);
        assert_eq!(wrong.severity, Severity::Error);
        assert!(wrong.meaning.contains("600 s behind"), "{wrong:?}");
        assert!(wrong.fix.is_some());
        let unreadable = clock_finding("api.example", "yesterday", chrono::Utc::now());
        assert_eq!(unreadable.severity, Severity::Info);
    }
}
