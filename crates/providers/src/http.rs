//! HTTP options and the one executor every client call goes through.
//!
//! The executor builds the request afresh for each attempt, applies the retry policy with the
//! call's [`RequestClass`], reads at most [`MAX_RESPONSE_BYTES`] of any answer, turns non-success
//! answers into typed errors through the provider's [`Dialect`] (it knows no provider itself) and
//! scrubs the client's secret from every error it returns.

use std::error::Error as StdError;
use std::fmt;
use std::time::{Duration, Instant, SystemTime};

use rand::Rng;
use reqwest::header::{CONTENT_TYPE, RETRY_AFTER};
use serde::de::DeserializeOwned;
use url::Url;

use crate::dialect::{Dialect, api_error};
use crate::error::{ProviderError, TransportKind};
use crate::failure::CallContext;
use crate::gate::{Entered, Gate, GateAnswer};
use crate::provider::Provider;
use crate::retry::{
    AttemptOutcome, AttemptState, RequestClass, RetryAfter, RetryDecision, RetryPolicy,
    outcome_is_unknown,
};
use crate::secret::Secret;

/// The most of an answer the executor reads. Provider answers are small (a page of numbers is
/// tens of KiB); anything bigger is refused rather than held in memory.
pub const MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;

/// Settings shared by all clients.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpOptions {
    /// Time allowed to open the connection (TCP + TLS).
    pub connect_timeout: Duration,
    /// Time allowed for one whole attempt, body included.
    pub request_timeout: Duration,
    /// Sent as `User-Agent: switchboard/<app_version>`.
    pub app_version: String,
    pub retry: RetryPolicy,
    /// The account's concurrency gate (see [`crate::gate`]); `None`: every attempt starts at
    /// once and a 429 is retried by the policy alone.
    pub gate: Option<Gate>,
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            retry: RetryPolicy::default(),
            gate: None,
        }
    }
}

impl HttpOptions {
    pub fn user_agent(&self) -> String {
        format!("switchboard/{}", self.app_version)
    }
}

#[derive(Clone)]
pub(crate) enum Auth {
    Basic { username: String, password: Secret },
    Bearer(Secret),
}

impl Auth {
    fn secret(&self) -> &Secret {
        match self {
            Auth::Basic { password, .. } => password,
            Auth::Bearer(token) => token,
        }
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::Basic { username, password } => f
                .debug_struct("Basic")
                .field("username", username)
                .field("password", password)
                .finish(),
            Auth::Bearer(token) => f.debug_tuple("Bearer").field(token).finish(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RequestBody {
    /// `application/x-www-form-urlencoded`, already encoded.
    Form(String),
    /// `application/json`, already serialized.
    Json(Vec<u8>),
}

impl RequestBody {
    pub(crate) fn form<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> Self {
        let mut serializer = url::form_urlencoded::Serializer::new(String::new());
        for (key, value) in pairs {
            serializer.append_pair(key.as_ref(), value.as_ref());
        }
        RequestBody::Form(serializer.finish())
    }
}

/// One API call, as data: rebuilt into a fresh request for every attempt.
#[derive(Debug, Clone)]
pub(crate) struct ApiCall {
    pub method: reqwest::Method,
    pub url: Url,
    pub body: Option<RequestBody>,
    pub class: RequestClass,
    /// The operation for messages and logs, e.g. `POST /2010-04-01/Accounts/{Sid}/Messages.json`.
    pub operation: &'static str,
    /// What the call is for; decides the failure kind when nothing more specific does.
    pub context: CallContext,
}

impl ApiCall {
    pub(crate) fn get(url: Url, operation: &'static str) -> Self {
        Self {
            method: reqwest::Method::GET,
            url,
            body: None,
            class: RequestClass::Read,
            operation,
            context: CallContext::Other,
        }
    }

    /// The same call, for a credential check or a status query.
    pub(crate) fn in_context(mut self, context: CallContext) -> Self {
        self.context = context;
        self
    }

    pub(crate) fn write(
        method: reqwest::Method,
        url: Url,
        body: Option<RequestBody>,
        class: RequestClass,
        operation: &'static str,
    ) -> Self {
        let context = if class == RequestClass::Send {
            CallContext::Send
        } else {
            CallContext::Other
        };
        Self {
            method,
            url,
            body,
            class,
            operation,
            context,
        }
    }
}

/// How an attempt ended, for the gate.
fn gate_answer(result: &Result<RawResponse, AttemptFailure>, policy: &RetryPolicy) -> GateAnswer {
    match result {
        Ok(_) => GateAnswer::Clean,
        Err(AttemptFailure::Http {
            status: 429,
            retry_after,
            ..
        }) => GateAnswer::Throttled {
            retry_after: retry_after
                .map(|r| r.delay_from(SystemTime::now()).min(policy.max_retry_after)),
        },
        Err(AttemptFailure::Http { status, .. }) if *status < 500 => GateAnswer::Clean,
        Err(_) => GateAnswer::Failed,
    }
}

pub(crate) struct RawResponse {
    pub status: u16,
    pub body: Vec<u8>,
}

/// Runs [`ApiCall`]s for one provider account. Cloning is cheap: the connection pool is shared.
#[derive(Clone)]
pub(crate) struct HttpExecutor {
    client: reqwest::Client,
    provider: Provider,
    dialect: &'static dyn Dialect,
    auth: Auth,
    retry: RetryPolicy,
    gate: Option<Gate>,
}

impl fmt::Debug for HttpExecutor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpExecutor")
            .field("provider", &self.provider)
            .field("auth", &self.auth)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// Why one attempt failed, with what is needed to build the final error.
enum AttemptFailure {
    Http {
        status: u16,
        retry_after: Option<RetryAfter>,
        body: Vec<u8>,
    },
    Transport {
        kind: TransportKind,
        request_may_have_been_sent: bool,
        message: String,
    },
    /// A success status arrived, so the provider has the request, but its answer could not be
    /// read (cut off, or larger than [`MAX_RESPONSE_BYTES`]). For a send that is an unknown
    /// outcome whatever broke; for anything else the kind decides whether to retry.
    AfterSuccess {
        status: u16,
        kind: TransportKind,
        message: String,
    },
}

impl AttemptFailure {
    fn outcome(&self) -> AttemptOutcome {
        match self {
            AttemptFailure::Http {
                status,
                retry_after,
                ..
            } => AttemptOutcome::Http {
                status: *status,
                retry_after: *retry_after,
            },
            AttemptFailure::Transport {
                kind,
                request_may_have_been_sent,
                ..
            } => AttemptOutcome::Transport {
                kind: *kind,
                request_may_have_been_sent: *request_may_have_been_sent,
            },
            AttemptFailure::AfterSuccess { kind, .. } => AttemptOutcome::Transport {
                kind: *kind,
                request_may_have_been_sent: true,
            },
        }
    }
}

impl HttpExecutor {
    pub(crate) fn new(
        dialect: &'static dyn Dialect,
        auth: Auth,
        options: &HttpOptions,
    ) -> Result<Self, ProviderError> {
        let provider = dialect.provider();
        let client = reqwest::Client::builder()
            .user_agent(options.user_agent())
            .connect_timeout(options.connect_timeout)
            .timeout(options.request_timeout)
            // Provider APIs do not redirect; following one could carry credentials elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|error| ProviderError::InvalidConfig {
                provider,
                message: format!("the HTTP client could not be created: {error}"),
            })?;
        Ok(Self {
            client,
            provider,
            dialect,
            auth,
            retry: options.retry.clone(),
            gate: options.gate.clone(),
        })
    }

    /// Runs the call and decodes a JSON success body.
    pub(crate) async fn json<T: DeserializeOwned>(
        &self,
        call: &ApiCall,
    ) -> Result<T, ProviderError> {
        let response = self.execute(call).await?;
        self.decode(call, &response)
    }

    /// Decodes a JSON success body of `call` (errors as [`Self::json`] gives them).
    pub(crate) fn decode<T: DeserializeOwned>(
        &self,
        call: &ApiCall,
        response: &RawResponse,
    ) -> Result<T, ProviderError> {
        self.decode_with(call, response, |body| serde_json::from_slice(body))
    }

    /// [`Self::decode`] with a reader of its own (one that reads only part of the body).
    pub(crate) fn decode_with<T>(
        &self,
        call: &ApiCall,
        response: &RawResponse,
        read: impl FnOnce(&[u8]) -> serde_json::Result<T>,
    ) -> Result<T, ProviderError> {
        read(&response.body).map_err(|error| {
            let problem = format!("the response body is not the expected JSON ({error})");
            let error = if call.class == RequestClass::Send {
                // The provider accepted the request, but we cannot tell which message it created:
                // the send must be reconciled like any other unknown outcome.
                ProviderError::UnknownOutcome {
                    provider: self.provider,
                    operation: call.operation.to_owned(),
                    http_status: Some(response.status),
                    detail: format!(
                        "the provider accepted it (HTTP {}) but {problem}",
                        response.status
                    ),
                }
            } else {
                ProviderError::Decode {
                    provider: self.provider,
                    message: format!("{}: {problem}", call.operation),
                }
            };
            error.scrubbed(self.auth.secret())
        })
    }

    /// Runs the call, applying the retry policy; returns the success response.
    pub(crate) async fn execute(&self, call: &ApiCall) -> Result<RawResponse, ProviderError> {
        let started = Instant::now();
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let entered = match &self.gate {
                Some(gate) => Some(Entered::enter(gate).await),
                None => None,
            };
            let result = self.attempt(call).await;
            if let Some(entered) = entered {
                entered.leave(gate_answer(&result, &self.retry));
            }
            let failure = match result {
                Ok(response) => return Ok(response),
                Err(failure) => failure,
            };
            let outcome = failure.outcome();
            // With a gate, a 429 waits at the gate (its window and pause), not here, and does
            // not use up an attempt: it was never processed.
            if self.gate.is_some()
                && matches!(outcome, AttemptOutcome::Http { status: 429, .. })
                && started.elapsed() < self.retry.max_total
            {
                attempt -= 1;
                continue;
            }
            let state = AttemptState {
                attempt,
                elapsed: started.elapsed(),
                now: SystemTime::now(),
                jitter: rand::rng().random::<f64>(),
            };
            // A send the provider answered with success is never repeated, whatever broke
            // while reading the answer (the retry policy only sees the transport kind).
            let decision = match failure {
                AttemptFailure::AfterSuccess { .. } if call.class == RequestClass::Send => {
                    RetryDecision::GiveUp
                }
                _ => self.retry.decide(call.class, &outcome, &state),
            };
            match decision {
                RetryDecision::RetryAfter(delay) => {
                    tracing::warn!(
                        provider = %self.provider,
                        operation = call.operation,
                        attempt,
                        ?outcome,
                        delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                        "provider call failed; retrying"
                    );
                    tokio::time::sleep(delay).await;
                }
                RetryDecision::GiveUp => {
                    let error = self.final_error(call, &outcome, failure);
                    tracing::debug!(
                        provider = %self.provider,
                        operation = call.operation,
                        attempt,
                        error = %error,
                        "provider call failed"
                    );
                    return Err(error);
                }
            }
        }
    }

    async fn attempt(&self, call: &ApiCall) -> Result<RawResponse, AttemptFailure> {
        let mut request = self.client.request(call.method.clone(), call.url.clone());
        request = match &self.auth {
            Auth::Basic { username, password } => {
                request.basic_auth(username, Some(password.expose()))
            }
            Auth::Bearer(token) => request.bearer_auth(token.expose()),
        };
        request = match &call.body {
            Some(RequestBody::Form(encoded)) => request
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(encoded.clone()),
            Some(RequestBody::Json(bytes)) => request
                .header(CONTENT_TYPE, "application/json")
                .body(bytes.clone()),
            None => request,
        };
        tracing::debug!(provider = %self.provider, operation = call.operation, "calling provider");

        let response = request
            .send()
            .await
            .map_err(|error| transport_failure(&error))?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(RetryAfter::parse);
        if !(200..300).contains(&status) {
            // The status alone decides what happens next; a body cut short or too long only
            // costs the provider's error message.
            let body = read_capped(response).await.unwrap_or_default();
            return Err(AttemptFailure::Http {
                status,
                retry_after,
                body,
            });
        }
        match read_capped(response).await {
            Ok(body) => Ok(RawResponse { status, body }),
            // A success status arrived, so the provider has the request: whatever broke while
            // reading the body, it may have acted.
            Err(problem) => {
                let (kind, message) = match problem {
                    BodyProblem::TooLarge => (
                        TransportKind::Other,
                        format!(
                            "the answer is larger than the {} MiB Switchboard reads",
                            MAX_RESPONSE_BYTES / (1024 * 1024)
                        ),
                    ),
                    BodyProblem::Read(error) => (transport_kind(&error), describe_chain(&error)),
                };
                Err(AttemptFailure::AfterSuccess {
                    status,
                    kind,
                    message: format!("after HTTP {status}, reading the answer failed: {message}"),
                })
            }
        }
    }

    fn final_error(
        &self,
        call: &ApiCall,
        outcome: &AttemptOutcome,
        failure: AttemptFailure,
    ) -> ProviderError {
        let provider = self.provider;
        let unknown = outcome_is_unknown(call.class, outcome);
        let error = match failure {
            AttemptFailure::Http { status, body, .. } => {
                let body = self.dialect.parse_error_body(&body);
                let api_error = api_error(self.dialect, status, body, call.context);
                if unknown {
                    ProviderError::UnknownOutcome {
                        provider,
                        operation: call.operation.to_owned(),
                        http_status: Some(status),
                        detail: api_error.to_string(),
                    }
                } else {
                    api_error
                }
            }
            AttemptFailure::Transport { kind, message, .. } => {
                if unknown {
                    ProviderError::UnknownOutcome {
                        provider,
                        operation: call.operation.to_owned(),
                        http_status: None,
                        detail: format!("{kind}: {message}"),
                    }
                } else {
                    ProviderError::Transport {
                        provider,
                        kind,
                        message: format!("{} ({}): {message}", call.operation, host_of(&call.url)),
                    }
                }
            }
            AttemptFailure::AfterSuccess {
                status,
                kind,
                message,
            } => after_success_error(provider, call, status, kind, message),
        };
        error.scrubbed(self.auth.secret())
    }
}

fn host_of(url: &Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_owned(),
        _ => String::from("unknown host"),
    }
}

/// The error for a success status whose answer could not be read: a send's outcome is unknown
/// — never a plain failure, whatever the transport said, since the provider has the request —
/// and any other call's answer is unreadable (or, cut off mid-way, a transport failure).
fn after_success_error(
    provider: Provider,
    call: &ApiCall,
    status: u16,
    kind: TransportKind,
    message: String,
) -> ProviderError {
    if call.class == RequestClass::Send {
        ProviderError::UnknownOutcome {
            provider,
            operation: call.operation.to_owned(),
            http_status: Some(status),
            detail: message,
        }
    } else if kind == TransportKind::Other {
        ProviderError::Decode {
            provider,
            message: format!("{}: {message}", call.operation),
        }
    } else {
        ProviderError::Transport {
            provider,
            kind,
            message: format!("{} ({}): {message}", call.operation, host_of(&call.url)),
        }
    }
}

enum BodyProblem {
    TooLarge,
    Read(reqwest::Error),
}

/// Reads the body chunk by chunk, refusing it as soon as it passes [`MAX_RESPONSE_BYTES`] (a
/// declared Content-Length over the cap is refused before reading anything).
async fn read_capped(mut response: reqwest::Response) -> Result<Vec<u8>, BodyProblem> {
    if response
        .content_length()
        .is_some_and(|length| length > MAX_RESPONSE_BYTES as u64)
    {
        return Err(BodyProblem::TooLarge);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(BodyProblem::Read)? {
        if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
            return Err(BodyProblem::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn transport_failure(error: &reqwest::Error) -> AttemptFailure {
    let kind = transport_kind(error);
    // reqwest marks failures to establish the connection (including connect timeouts) with
    // is_connect: the request was not written then.
    let never_sent = error.is_connect()
        || error.is_builder()
        || matches!(kind, TransportKind::Dns | TransportKind::Refused);
    AttemptFailure::Transport {
        kind,
        request_may_have_been_sent: !never_sent,
        message: describe_chain(error),
    }
}

/// Reads the kind of a transport failure from reqwest's error and its source chain: io error
/// kinds first, then the wording of hyper / rustls / resolver errors, which are not exposed as
/// types through reqwest.
pub(crate) fn transport_kind(error: &reqwest::Error) -> TransportKind {
    if error.is_timeout() {
        return TransportKind::Timeout;
    }
    let mut texts = Vec::new();
    let mut source: Option<&(dyn StdError + 'static)> = Some(error);
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind as Io;
            match io.kind() {
                Io::ConnectionRefused => return TransportKind::Refused,
                Io::ConnectionReset
                | Io::ConnectionAborted
                | Io::BrokenPipe
                | Io::UnexpectedEof => {
                    return TransportKind::Reset;
                }
                Io::TimedOut => return TransportKind::Timeout,
                _ => {}
            }
        }
        texts.push(cause.to_string().to_ascii_lowercase());
        source = cause.source();
    }
    kind_from_messages(&texts)
}

/// The kind named by the (lower-cased) messages of an error chain.
fn kind_from_messages(texts: &[String]) -> TransportKind {
    let mentions = |needles: &[&str]| texts.iter().any(|t| needles.iter().any(|n| t.contains(n)));
    if mentions(&[
        "dns error",
        "failed to lookup address",
        "name or service not known",
        "no such host",
        "nodename nor servname",
    ]) {
        TransportKind::Dns
    } else if mentions(&["certificate", "tls", "handshake", "invalid peer"]) {
        TransportKind::Tls
    } else if mentions(&["connection refused"]) {
        TransportKind::Refused
    } else if mentions(&[
        "connection reset",
        "connection closed before message completed",
        "incomplete message",
        "unexpected eof",
        "broken pipe",
    ]) {
        TransportKind::Reset
    } else if mentions(&["timed out", "timeout"]) {
        TransportKind::Timeout
    } else {
        TransportKind::Other
    }
}

/// The causes of a reqwest error, innermost last, without reqwest's own "error sending request
/// for url (…)" line (the caller names the operation and host itself).
fn describe_chain(error: &reqwest::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !parts.iter().any(|seen| seen.contains(&text)) {
            parts.push(text);
        }
        source = cause.source();
    }
    if parts.is_empty() {
        let mut text = error.to_string();
        if let Some(url) = error.url() {
            text = text.replace(url.as_str(), "…");
        }
        text
    } else {
        parts.join(": ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_bodies_are_urlencoded_in_order() {
        let body = RequestBody::form(&[
            ("To", "whatsapp:+15551234567"),
            ("Body", "Hi & bye"),
            ("MediaUrl", "https://a/1"),
            ("MediaUrl", "https://a/2"),
        ]);
        assert_eq!(
            body,
            RequestBody::Form(
                "To=whatsapp%3A%2B15551234567&Body=Hi+%26+bye&MediaUrl=https%3A%2F%2Fa%2F1&MediaUrl=https%3A%2F%2Fa%2F2".into()
            )
        );
    }

    #[test]
    fn transport_kind_from_error_wording() {
        // Messages as hyper-util, the system resolver, rustls and hyper word them.
        let table = [
            (
                "client error (Connect): dns error: failed to lookup address information: Name or service not known",
                TransportKind::Dns,
            ),
            (
                "dns error: No such host is known. (os error 11001)",
                TransportKind::Dns,
            ),
            (
                "invalid peer certificate: UnknownIssuer",
                TransportKind::Tls,
            ),
            ("received fatal alert: HandshakeFailure", TransportKind::Tls),
            (
                "tcp connect error: Connection refused (os error 111)",
                TransportKind::Refused,
            ),
            (
                "client error (SendRequest): connection closed before message completed",
                TransportKind::Reset,
            ),
            (
                "Connection reset by peer (os error 104)",
                TransportKind::Reset,
            ),
            ("operation timed out", TransportKind::Timeout),
            ("something else entirely", TransportKind::Other),
        ];
        for (message, kind) in table {
            assert_eq!(
                kind_from_messages(&[message.to_ascii_lowercase()]),
                kind,
                "{message}"
            );
        }
    }

    #[test]
    fn user_agent_names_the_app_version() {
        let options = HttpOptions {
            app_version: "1.2.3".into(),
            ..HttpOptions::default()
        };
        assert_eq!(options.user_agent(), "switchboard/1.2.3");
        assert_eq!(
            HttpOptions::default().user_agent(),
            format!("switchboard/{}", env!("CARGO_PKG_VERSION"))
        );
    }

    #[test]
    fn auth_debug_is_redacted() {
        let auth = Auth::Basic {
            username: "AC123".into(),
            password: Secret::new("topsecret"),
        };
        let printed = format!("{auth:?}");
        assert!(printed.contains("AC123"));
        assert!(!printed.contains("topsecret"));
        assert!(!format!("{:?}", Auth::Bearer(Secret::new("topsecret"))).contains("topsecret"));
    }
}
