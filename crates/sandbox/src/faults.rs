//! Injected faults (`POST /_sandbox/faults`): error statuses, held connections, reset
//! connections and truncated bodies, on requests whose method and path match a rule.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::Rng as _;
use serde::{Deserialize, Serialize};

use crate::provider::{self, Provider};
use crate::request_log::RequestId;
use crate::server::ConnectionKiller;
use crate::state::Sandbox;

/// How long a "timeout" fault holds a connection: longer than any sane client timeout.
const HOLD_FOR: Duration = Duration::from_secs(600);

/// A rule as posted to the admin API.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    /// HTTP method to match (any when absent or `*`).
    pub method: Option<String>,
    /// Glob over the request path: `*` is any run of characters (slashes included), `?` one.
    pub path: String,
    /// Answer with this status (429, 500, 503, …) without running the handler.
    pub status: Option<u16>,
    pub kind: Option<FaultKind>,
    /// Probability (0..=1) that a matching request is hit.
    pub rate: Option<f64>,
    /// Hit at most this many matching requests.
    pub count: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FaultKind {
    /// Process the request, then hold the connection without answering: the client times out
    /// on a request that did reach the provider (a send whose outcome is unknown to it).
    Timeout,
    /// Close the connection with a TCP reset, no response.
    Reset,
    /// Answer 200 with a truncated (invalid) JSON body.
    Malformed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Effect {
    Status(StatusCode),
    Kind(FaultKind),
}

#[derive(Debug, Clone, Serialize)]
pub struct FaultRule {
    pub id: u64,
    pub method: Option<String>,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<FaultKind>,
    pub rate: Option<f64>,
    /// Hits left for a `count` rule.
    pub remaining: Option<u64>,
    pub hits: u64,
    #[serde(skip)]
    effect: Option<Effect>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FaultSpecError {
    #[error("give exactly one of \"status\" or \"kind\"")]
    StatusOrKind,
    #[error("\"status\" must be an HTTP error status (400-599), got {0}")]
    Status(u16),
    #[error("\"rate\" must be between 0 and 1")]
    Rate,
    #[error("\"path\" must not be empty (use \"*\" to match every path)")]
    EmptyPath,
}

impl FaultSpec {
    fn effect(&self) -> Result<Effect, FaultSpecError> {
        match (self.status, self.kind) {
            (Some(status), None) => StatusCode::from_u16(status)
                .ok()
                .filter(|s| s.is_client_error() || s.is_server_error())
                .map(Effect::Status)
                .ok_or(FaultSpecError::Status(status)),
            (None, Some(kind)) => Ok(Effect::Kind(kind)),
            _ => Err(FaultSpecError::StatusOrKind),
        }
    }
}

#[derive(Debug, Default)]
pub struct FaultBook {
    next_id: u64,
    rules: Vec<FaultRule>,
}

impl FaultBook {
    pub fn add(&mut self, spec: FaultSpec) -> Result<FaultRule, FaultSpecError> {
        let effect = spec.effect()?;
        if spec.rate.is_some_and(|rate| !(0.0..=1.0).contains(&rate)) {
            return Err(FaultSpecError::Rate);
        }
        if spec.path.is_empty() {
            return Err(FaultSpecError::EmptyPath);
        }
        self.next_id += 1;
        let rule = FaultRule {
            id: self.next_id,
            method: spec.method.filter(|m| m != "*").map(|m| m.to_uppercase()),
            path: spec.path,
            status: spec.status,
            kind: spec.kind,
            rate: spec.rate,
            remaining: spec.count,
            hits: 0,
            effect: Some(effect),
        };
        self.rules.push(rule.clone());
        Ok(rule)
    }

    pub fn clear(&mut self) {
        self.rules.clear();
    }

    pub fn rules(&self) -> &[FaultRule] {
        &self.rules
    }

    /// The effect to apply to this request, consuming one hit of the first rule that fires.
    fn strike(&mut self, method: &str, path: &str) -> Option<Effect> {
        let mut rng = rand::rng();
        for rule in &mut self.rules {
            let method_matches = rule
                .method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method));
            if !method_matches || rule.remaining == Some(0) || !glob_matches(&rule.path, path) {
                continue;
            }
            if rule.rate.is_some_and(|rate| rng.random::<f64>() >= rate) {
                continue;
            }
            if let Some(remaining) = rule.remaining.as_mut() {
                *remaining -= 1;
            }
            rule.hits += 1;
            return rule.effect;
        }
        None
    }
}

/// `*` matches any run of characters (including `/`), `?` exactly one; all else is literal.
pub fn glob_matches(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    // Classic linear wildcard matching with backtracking to the last star.
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((star_p, star_t)) = star {
            p = star_p + 1;
            t = star_t + 1;
            star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

/// Layer on provider routes, inside latency and concurrency so faults cost a slot too.
pub async fn inject(State(sandbox): State<Arc<Sandbox>>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let effect = sandbox.faults().strike(request.method().as_str(), &path);
    let Some(effect) = effect else {
        return next.run(request).await;
    };
    let provider = Provider::from_path(&path);
    let note = match effect {
        Effect::Status(status) => format!("status:{}", status.as_u16()),
        Effect::Kind(FaultKind::Timeout) => "timeout".to_string(),
        Effect::Kind(FaultKind::Reset) => "reset".to_string(),
        Effect::Kind(FaultKind::Malformed) => "malformed".to_string(),
    };
    if let Some(RequestId(id)) = request.extensions().get::<RequestId>().copied() {
        sandbox.requests().set_fault(id, note);
    }
    match effect {
        Effect::Status(StatusCode::TOO_MANY_REQUESTS) => provider::too_many_requests(provider),
        Effect::Status(status) => provider::error_for_status(provider, status),
        Effect::Kind(FaultKind::Timeout) => {
            // The provider did its work; only the answer is lost.
            drop(next.run(request).await);
            tokio::select! {
                () = tokio::time::sleep(HOLD_FOR) => {}
                () = sandbox.shutdown.cancelled() => {}
            }
            provider::error_for_status(provider, StatusCode::GATEWAY_TIMEOUT)
        }
        Effect::Kind(FaultKind::Reset) => {
            if let Some(killer) = request.extensions().get::<ConnectionKiller>() {
                killer.reset();
            }
            // The connection is gone; never answer (the task is dropped with it).
            sandbox.shutdown.cancelled().await;
            provider::error_for_status(provider, StatusCode::BAD_GATEWAY)
        }
        Effect::Kind(FaultKind::Malformed) => truncate_body(next.run(request).await).await,
    }
}

/// The real answer cut in half, served as a 200: a body that starts like JSON and breaks.
async fn truncate_body(response: Response) -> Response {
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap_or_default();
    let mut truncated = bytes.slice(..bytes.len() / 2).to_vec();
    if truncated.is_empty() {
        truncated = b"{\"".to_vec();
    }
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        Body::from(truncated),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob() {
        assert!(glob_matches(
            "*IncomingPhoneNumbers/*",
            "/twilio/2010-04-01/Accounts/AC1/IncomingPhoneNumbers/PN1.json"
        ));
        assert!(!glob_matches(
            "*IncomingPhoneNumbers/*",
            "/twilio/2010-04-01/Accounts/AC1/IncomingPhoneNumbers.json"
        ));
        assert!(glob_matches("*", "/anything"));
        assert!(glob_matches(
            "/twilio/*/Messages.json",
            "/twilio/x/y/Messages.json"
        ));
        assert!(glob_matches("/a?c", "/abc"));
        assert!(!glob_matches("/a?c", "/abbc"));
    }

    #[test]
    fn count_rules_run_out() {
        let mut book = FaultBook::default();
        let spec = FaultSpec {
            method: Some("get".into()),
            path: "*".into(),
            status: Some(500),
            kind: None,
            rate: None,
            count: Some(2),
        };
        book.add(spec).unwrap();
        assert!(book.strike("POST", "/x").is_none());
        assert!(book.strike("GET", "/x").is_some());
        assert!(book.strike("GET", "/x").is_some());
        assert!(book.strike("GET", "/x").is_none());
    }

    #[test]
    fn invalid_specs_are_refused() {
        let mut book = FaultBook::default();
        let base = FaultSpec {
            method: None,
            path: "*".into(),
            status: None,
            kind: None,
            rate: None,
            count: None,
        };
        assert_eq!(
            book.add(base.clone()).unwrap_err(),
            FaultSpecError::StatusOrKind
        );
        let bad_rate = FaultSpec {
            status: Some(500),
            rate: Some(2.0),
            ..base.clone()
        };
        assert_eq!(book.add(bad_rate).unwrap_err(), FaultSpecError::Rate);
        let ok = FaultSpec {
            status: Some(200),
            ..base
        };
        assert_eq!(book.add(ok).unwrap_err(), FaultSpecError::Status(200));
    }
}
