//! The inspector's listener: receives what providers post to `/inbound/{connector}/{token}`,
//! explains each request, answers Twilio with empty TwiML and the others with 200 when it is
//! genuine (403 with the reasons when not), applies status callbacks to their attempts, stores
//! inbound messages with the connector's messages (where the message list shows them), and keeps
//! the last 100 requests for the screen. Loopback unless the caller explicitly allows another
//! interface.

use std::collections::{BTreeMap, VecDeque};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::{CapturedRequest, InspectReport, WebhookKind, analyze};
use crate::error::{CoreError, FieldError};
use crate::history::{ImportedMessage, excerpt};
use crate::model::ProviderKind;
use crate::service::Switchboard;

/// How many requests the listener keeps for the screen.
pub const KEPT_REQUESTS: usize = 100;

/// Twilio's answer that sends no reply message.
pub const EMPTY_TWIML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";

/// Where to listen. Another address than loopback needs `allow_remote`: anyone who can reach
/// the port can post to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListenOptions {
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub allow_remote: bool,
}

impl Default for ListenOptions {
    fn default() -> Self {
        Self {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            allow_remote: false,
        }
    }
}

/// One request the listener received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct InspectedRequest {
    pub received_at: String,
    pub method: String,
    pub report: InspectReport,
    /// The HTTP status the listener answered.
    pub answered: u16,
    /// What the request changed (a status recorded on an attempt), in words.
    pub applied: Option<String>,
}

/// What the listener has seen since it started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ListenerCounts {
    pub inbound_messages: u32,
    pub status_callbacks: u32,
    /// Status callbacks recorded on one of Switchboard's own attempts (or on a message
    /// imported from the account's history).
    pub attempts_updated: u32,
    /// Inbound messages stored with the connector's messages (a repeated delivery is stored once).
    pub inbound_stored: u32,
    pub refused: u32,
}

/// The listener as the screen shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ListenerStatus {
    pub running: bool,
    /// `http://ADDR:PORT` while running.
    pub url: Option<String>,
    pub counts: ListenerCounts,
    /// The last requests, newest first.
    pub recent: Vec<InspectedRequest>,
}

impl ListenOptions {
    /// From what a form or a command line holds: `bind` empty means loopback.
    pub fn parse(bind: Option<&str>, port: u16, allow_remote: bool) -> Result<Self, CoreError> {
        let bind = match bind.map(str::trim).filter(|b| !b.is_empty()) {
            None => IpAddr::V4(Ipv4Addr::LOCALHOST),
            Some(text) => text.parse().map_err(|_| {
                CoreError::Validation(vec![FieldError::new(
                    "bind",
                    format!("'{text}' is not an IP address, e.g. 127.0.0.1 or 0.0.0.0"),
                )])
            })?,
        };
        Ok(Self {
            bind,
            port,
            allow_remote,
        })
    }
}

/// Receives every request as it is explained (the CLI prints it, the app pushes it to the UI).
pub type RequestSink = Arc<dyn Fn(&InspectedRequest) + Send + Sync>;

#[derive(Default)]
struct Seen {
    recent: VecDeque<InspectedRequest>,
    counts: ListenerCounts,
}

struct Shared {
    core: Switchboard,
    seen: Mutex<Seen>,
    sink: Option<RequestSink>,
}

impl Shared {
    fn seen(&self) -> std::sync::MutexGuard<'_, Seen> {
        self.seen.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A running listener; [`InspectorListener::stop`] ends it (dropping it ends it too).
pub struct InspectorListener {
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl InspectorListener {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR:PORT`: what to use as the organization's inbound base URL to test with it.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The last [`KEPT_REQUESTS`] requests, newest first.
    pub fn recent(&self) -> Vec<InspectedRequest> {
        self.shared.seen().recent.iter().cloned().collect()
    }

    pub fn counts(&self) -> ListenerCounts {
        self.shared.seen().counts
    }

    pub fn status(&self) -> ListenerStatus {
        let seen = self.shared.seen();
        ListenerStatus {
            running: true,
            url: Some(self.url()),
            counts: seen.counts,
            recent: seen.recent.iter().cloned().collect(),
        }
    }

    pub async fn stop(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for InspectorListener {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

impl Switchboard {
    /// Starts the inspector's listener (needs a Tokio runtime).
    pub async fn inspector_listen(
        &self,
        options: ListenOptions,
        sink: Option<RequestSink>,
    ) -> Result<InspectorListener, CoreError> {
        if !options.bind.is_loopback() && !options.allow_remote {
            return Err(CoreError::Validation(vec![FieldError::new(
                "bind",
                format!(
                    "{} is not a loopback address: anyone who can reach it could post to the \
                     inspector. Confirm that you want to listen there (--allow-remote)",
                    options.bind
                ),
            )]));
        }
        let listener = tokio::net::TcpListener::bind((options.bind, options.port))
            .await
            .map_err(|e| {
                CoreError::Conflict(format!(
                    "the inspector cannot listen on {}:{}: {e}",
                    options.bind, options.port
                ))
            })?;
        let addr = listener
            .local_addr()
            .map_err(|e| CoreError::Conflict(format!("the inspector's address is unknown: {e}")))?;
        let shared = Arc::new(Shared {
            core: self.clone(),
            seen: Mutex::new(Seen::default()),
            sink,
        });
        let app = Router::new().fallback(receive).with_state(shared.clone());
        let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        tracing::info!(%addr, "webhook inspector listening");
        Ok(InspectorListener {
            addr,
            shared,
            shutdown: Some(shutdown),
            task: Some(task),
        })
    }

    /// Explains a received request and applies what a genuine one reports: a status callback
    /// to the attempt (or imported message) it is about, an inbound message stored with the
    /// connector's messages. A request whose token or signature did not verify changes nothing.
    fn inspect_received(
        &self,
        request: &CapturedRequest,
    ) -> Result<(InspectReport, Option<String>), CoreError> {
        let report = self.inspector_explain(request)?;
        if !report.valid {
            return Ok((report, None));
        }
        let applied = match report.kind {
            WebhookKind::StatusCallback => self.record_status_callback(&report)?,
            WebhookKind::InboundMessage => self.record_inbound(request, &report)?,
            WebhookKind::Unknown => None,
        };
        Ok((report, applied))
    }

    fn record_status_callback(&self, report: &InspectReport) -> Result<Option<String>, CoreError> {
        let (Some(connector), Some(message_id), Some(status)) =
            (&report.connector_id, &report.message_id, &report.status)
        else {
            return Ok(None);
        };
        let error_code = report.error_code.as_deref();
        if let Some(attempt) =
            self.apply_status_callback(connector, message_id, status, error_code)?
        {
            return Ok(Some(format!(
                "attempt {} is now {} ({})",
                attempt.id,
                attempt.status,
                attempt.outcome.as_str()
            )));
        }
        Ok(self
            .apply_status_to_imported(connector, message_id, status, error_code)?
            .then(|| format!("message {message_id} is now {status}")))
    }

    /// Stores a genuine inbound message once (a provider retrying it is not a second message).
    fn record_inbound(
        &self,
        request: &CapturedRequest,
        report: &InspectReport,
    ) -> Result<Option<String>, CoreError> {
        let (Some(connector), Some(message_id), Some(provider)) =
            (&report.connector_id, &report.message_id, report.provider)
        else {
            return Ok(None);
        };
        let from = report.other_party.clone().unwrap_or_default();
        let message = ImportedMessage {
            provider_message_id: message_id.clone(),
            direction: "inbound".to_owned(),
            from: from.clone(),
            to: report.number.clone().unwrap_or_default(),
            status: "received".to_owned(),
            outcome: "received".to_owned(),
            error_code: None,
            price: None,
            price_unit: None,
            sent_at: crate::clock::now(),
            body_excerpt: excerpt(analyze::message_text(request, provider).as_deref()),
        };
        let (new, _) = self.store_imported(connector, &[message])?;
        Ok((new > 0).then(|| format!("inbound message from {from} stored")))
    }
}

async fn receive(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    let request = CapturedRequest {
        method: method.as_str().to_owned(),
        url: format!("http://{host}{path}"),
        headers: headers
            .iter()
            .filter_map(|(name, value)| {
                value
                    .to_str()
                    .ok()
                    .map(|v| (name.as_str().to_owned(), v.to_owned()))
            })
            .collect::<BTreeMap<_, _>>(),
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    let explained = shared
        .core
        .blocking(move |core| core.inspect_received(&request))
        .await;
    let (report, applied) = match explained {
        Ok(result) => result,
        Err(error) => {
            tracing::warn!(%error, "the inspector could not explain a request");
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the inspector could not check this request",
            )
                .into_response();
        }
    };
    let response = if report.valid {
        match report.provider {
            Some(ProviderKind::Twilio) => (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "text/xml")],
                EMPTY_TWIML,
            )
                .into_response(),
            _ => StatusCode::OK.into_response(),
        }
    } else {
        let reasons: Vec<String> = report
            .reasons
            .iter()
            .map(|r| {
                format!(
                    "{}: {}",
                    serde_json::to_value(r.code)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default(),
                    r.message
                )
            })
            .collect();
        (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            reasons.join("\n"),
        )
            .into_response()
    };
    let seen = InspectedRequest {
        received_at: crate::clock::now(),
        method: method.as_str().to_owned(),
        answered: response.status().as_u16(),
        report,
        applied,
    };
    {
        let mut state = shared.seen();
        let counts = &mut state.counts;
        if seen.report.valid {
            let applied = u32::from(seen.applied.is_some());
            match seen.report.kind {
                WebhookKind::InboundMessage => {
                    counts.inbound_messages += 1;
                    counts.inbound_stored += applied;
                }
                WebhookKind::StatusCallback => {
                    counts.status_callbacks += 1;
                    counts.attempts_updated += applied;
                }
                WebhookKind::Unknown => {}
            }
        } else {
            counts.refused += 1;
        }
        state.recent.push_front(seen.clone());
        state.recent.truncate(KEPT_REQUESTS);
    }
    if let Some(sink) = &shared.sink {
        sink(&seen);
    }
    response
}
