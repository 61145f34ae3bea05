//! What keeps the admin API to the one who started the sandbox. Anything on this machine can
//! connect to a loopback port, and so can a web page in a browser that a DNS name, rebound to
//! 127.0.0.1, lets through the same-origin policy. So an admin call must:
//!
//! 1. name the sandbox's own loopback address in `Host` (a rebinding page sends its own name);
//! 2. carry `Authorization: Bearer <admin token>`, a random token made on start and printed in
//!    the start line (a page cannot add that header without a CORS preflight, which fails);
//! 3. send its body, if any, as `application/json` (what a plain form post cannot be).
//!
//! The stand-in inbound service (`POST /_sandbox/sink/…`) gets only the first check: it receives
//! the webhooks the sandbox itself posts, which carry a provider's signature and never the admin
//! token, and it changes nothing and tells nothing (it answers empty TwiML).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::Json;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::state::Sandbox;

/// The `Host` values that name this sandbox: its loopback address and `localhost`, with its port.
pub fn own_hosts(addr: SocketAddr) -> Vec<String> {
    let port = addr.port();
    let mut names: Vec<String> = vec!["localhost".to_owned()];
    match addr.ip() {
        ip if ip.is_unspecified() => {
            names.extend(["127.0.0.1".to_owned(), "[::1]".to_owned()]);
        }
        IpAddr::V4(ip) if ip.is_loopback() => names.push(ip.to_string()),
        IpAddr::V6(ip) if ip.is_loopback() => names.push(format!("[{ip}]")),
        // Bound elsewhere: the admin API stays unreachable rather than open to the network.
        _ => {}
    }
    let mut hosts: Vec<String> = names.iter().map(|name| format!("{name}:{port}")).collect();
    // HTTP leaves the port out of `Host` when it is the scheme's default.
    if port == 80 {
        hosts.extend(names);
    }
    hosts
}

fn refuse(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

fn host_is_own(sandbox: &Sandbox, request: &Request) -> bool {
    let is_own = |host: &str| {
        sandbox
            .own_hosts
            .iter()
            .any(|own| own.eq_ignore_ascii_case(host))
    };
    let header_ok = request
        .headers()
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .is_some_and(is_own);
    // An absolute-form request line names a host too; it must agree.
    let target_ok = request
        .uri()
        .authority()
        .is_none_or(|authority| is_own(authority.as_str()));
    header_ok && target_ok
}

/// Compares without stopping at the first difference, so timing tells nothing of the token.
fn same_secret(given: &[u8], expected: &[u8]) -> bool {
    given.len() == expected.len()
        && given
            .iter()
            .zip(expected)
            .fold(0u8, |differ, (a, b)| differ | (a ^ b))
            == 0
}

fn bearer_is(headers: &HeaderMap, token: &str) -> bool {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split_once(' '))
        .is_some_and(|(scheme, given)| {
            scheme.eq_ignore_ascii_case("bearer")
                && same_secret(given.trim().as_bytes(), token.as_bytes())
        })
}

fn has_body(headers: &HeaderMap) -> bool {
    let length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok());
    match length {
        Some(length) => length > 0,
        None => headers.contains_key(header::TRANSFER_ENCODING),
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"))
}

const WRONG_HOST: &str = "the sandbox's admin API answers only on its own loopback address \
                          (the \"url\" of its start line)";

/// Every admin route: own host, admin token, JSON body.
pub async fn require_admin(
    State(sandbox): State<Arc<Sandbox>>,
    request: Request,
    next: Next,
) -> Response {
    if !host_is_own(&sandbox, &request) {
        return refuse(StatusCode::FORBIDDEN, WRONG_HOST);
    }
    if !bearer_is(request.headers(), &sandbox.admin_token) {
        let mut response = refuse(
            StatusCode::UNAUTHORIZED,
            "the sandbox's admin API needs \"Authorization: Bearer <admin_token>\", with the \
             admin_token of its start line",
        );
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return response;
    }
    if has_body(request.headers()) && !is_json(request.headers()) {
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "the sandbox's admin API takes JSON bodies only (Content-Type: application/json)",
        );
    }
    next.run(request).await
}

/// The stand-in inbound service: own host only (see the module documentation).
pub async fn require_own_host(
    State(sandbox): State<Arc<Sandbox>>,
    request: Request,
    next: Next,
) -> Response {
    if !host_is_own(&sandbox, &request) {
        return refuse(StatusCode::FORBIDDEN, WRONG_HOST);
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_hosts_are_the_loopback_address_and_localhost_with_the_port() {
        let v4: SocketAddr = "127.0.0.1:4010".parse().unwrap();
        assert_eq!(own_hosts(v4), ["localhost:4010", "127.0.0.1:4010"]);
        let v6: SocketAddr = "[::1]:4010".parse().unwrap();
        assert_eq!(own_hosts(v6), ["localhost:4010", "[::1]:4010"]);
        let any: SocketAddr = "0.0.0.0:4010".parse().unwrap();
        assert_eq!(
            own_hosts(any),
            ["localhost:4010", "127.0.0.1:4010", "[::1]:4010"]
        );
        let default_port: SocketAddr = "127.0.0.1:80".parse().unwrap();
        assert_eq!(
            own_hosts(default_port),
            ["localhost:80", "127.0.0.1:80", "localhost", "127.0.0.1"]
        );
    }

    #[test]
    fn the_token_must_match_exactly() {
        let mut headers = HeaderMap::new();
        assert!(!bearer_is(&headers, "s3cret"));
        for (value, ok) in [
            ("Bearer s3cret", true),
            ("bearer s3cret", true),
            ("Bearer s3cre", false),
            ("Bearer s3cret2", false),
            ("Basic s3cret", false),
            ("Bearer", false),
            ("s3cret", false),
        ] {
            headers.insert(header::AUTHORIZATION, HeaderValue::from_static(value));
            assert_eq!(bearer_is(&headers, "s3cret"), ok, "{value}");
        }
    }

    #[test]
    fn a_body_must_be_json() {
        let mut headers = HeaderMap::new();
        assert!(!has_body(&headers));
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from_static("0"));
        assert!(!has_body(&headers));
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from_static("12"));
        assert!(has_body(&headers));
        for (value, ok) in [
            ("application/json", true),
            ("application/json; charset=utf-8", true),
            ("Application/JSON", true),
            ("text/plain", false),
            ("application/x-www-form-urlencoded", false),
            ("application/jsonx", false),
        ] {
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(value));
            assert_eq!(is_json(&headers), ok, "{value}");
        }
    }
}
