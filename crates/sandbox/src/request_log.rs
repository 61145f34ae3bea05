//! The record of every provider request, for `GET /_sandbox/requests`.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::clock;
use crate::provider::{Provider, error_for_status};
use crate::state::Sandbox;

/// Requests bodies larger than this are refused (413); the providers' limits are lower still.
const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;
/// Oldest entries are forgotten past this many, so a long demo session stays small.
const MAX_ENTRIES: usize = 20_000;

#[derive(Debug, Clone, Serialize)]
pub struct LoggedRequest {
    pub id: u64,
    pub time: String,
    pub provider: Option<Provider>,
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    /// Every header except `Authorization` (credentials never land in the log).
    pub headers: BTreeMap<String, String>,
    pub body: String,
    /// `None` while in flight, or when a fault dropped or held the connection.
    pub status: Option<u16>,
    /// The injected fault, if any (`status:503`, `timeout`, `reset`, `malformed`, `concurrency`).
    pub fault: Option<String>,
}

#[derive(Default)]
pub struct RequestLog {
    next_id: u64,
    entries: VecDeque<LoggedRequest>,
}

/// Carried in request extensions so inner layers can annotate the entry.
#[derive(Clone, Copy)]
pub struct RequestId(pub u64);

impl RequestLog {
    fn push(&mut self, mut entry: LoggedRequest) -> u64 {
        self.next_id += 1;
        entry.id = self.next_id;
        if self.entries.len() >= MAX_ENTRIES {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
        self.next_id
    }

    fn entry_mut(&mut self, id: u64) -> Option<&mut LoggedRequest> {
        self.entries.iter_mut().rev().find(|entry| entry.id == id)
    }

    pub fn set_status(&mut self, id: u64, status: u16) {
        if let Some(entry) = self.entry_mut(id) {
            entry.status = Some(status);
        }
    }

    pub fn set_fault(&mut self, id: u64, fault: String) {
        if let Some(entry) = self.entry_mut(id) {
            entry.fault = Some(fault);
        }
    }

    pub fn all(&self) -> Vec<LoggedRequest> {
        self.entries.iter().cloned().collect()
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

/// Outermost layer on provider routes: buffers the body, logs the request, records the status.
pub async fn record(State(sandbox): State<Arc<Sandbox>>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let provider = Provider::from_path(parts.uri.path());
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY_BYTES).await else {
        return error_for_status(provider, axum::http::StatusCode::PAYLOAD_TOO_LARGE);
    };
    let headers = parts
        .headers
        .iter()
        .filter(|(name, _)| *name != header::AUTHORIZATION)
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            (name.as_str().to_string(), value)
        })
        .collect();
    let entry = LoggedRequest {
        id: 0,
        time: clock::iso8601_millis(&clock::now()),
        provider,
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(str::to_string),
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        status: None,
        fault: None,
    };
    let id = sandbox.requests().push(entry);
    parts.extensions.insert(RequestId(id));
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    sandbox
        .requests()
        .set_status(id, response.status().as_u16());
    response.into_response()
}
