//! The URL variants a webhook may have been signed over, edited as text (never re-serialized),
//! so nothing else in the URL changes.

use serde::{Deserialize, Serialize};

/// Where a candidate URL comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum UrlSource {
    /// Exactly the URL the server saw.
    AsReceived,
    /// The URL the server saw with `https` instead of `http` (TLS ended at a proxy).
    Https,
    /// Rebuilt from `X-Forwarded-Proto` / `X-Forwarded-Host` / `X-Forwarded-Port`.
    Forwarded,
    /// The public inbound URL Switchboard sets at the provider, with the request's query.
    Public,
}

impl UrlSource {
    pub fn describe(self) -> &'static str {
        match self {
            Self::AsReceived => "the URL as received",
            Self::Https => "the URL as received with https instead of http",
            Self::Forwarded => "the URL rebuilt from the X-Forwarded-Proto/Host headers",
            Self::Public => "the public inbound URL set at the provider",
        }
    }
}

/// What was done to the port of a candidate URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum PortChange {
    AsIs,
    WithoutPort,
    WithDefaultPort,
}

/// A URL split as text: `scheme`, `authority` (host and port), and the rest (path, query).
pub(crate) struct UrlParts<'a> {
    pub scheme: &'a str,
    pub authority: &'a str,
    pub tail: &'a str,
}

pub(crate) fn split(url: &str) -> Option<UrlParts<'_>> {
    let (scheme, rest) = url.split_once("://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    (!authority.is_empty()).then_some(UrlParts {
        scheme,
        authority,
        tail,
    })
}

/// The path of a URL (without query or fragment).
pub(crate) fn path(url: &str) -> &str {
    let tail = split(url).map_or(url, |parts| parts.tail);
    let end = tail.find(['?', '#']).unwrap_or(tail.len());
    &tail[..end]
}

/// The query of a URL, with its `?`, or "".
pub(crate) fn query(url: &str) -> &str {
    let tail = split(url).map_or(url, |parts| parts.tail);
    let tail = &tail[..tail.find('#').unwrap_or(tail.len())];
    tail.find('?').map_or("", |at| &tail[at..])
}

/// Where the port starts in an authority (`host:port`, `[v6]:port`, `user@host:port`).
fn port_colon(authority: &str) -> Option<usize> {
    let host_start = authority.rfind('@').map_or(0, |i| i + 1);
    let host_end = authority[host_start..]
        .rfind(']')
        .map_or(host_start, |i| host_start + i + 1);
    authority[host_end..].find(':').map(|i| host_end + i)
}

/// The URL as given, and its twin without its port (when it has one) or with the scheme's
/// default port (when it has none): Twilio's libraries accept both.
pub(crate) fn port_variants(url: &str) -> Vec<(PortChange, String)> {
    let mut variants = vec![(PortChange::AsIs, url.to_owned())];
    let Some(parts) = split(url) else {
        return variants;
    };
    let default_port = match parts.scheme.to_ascii_lowercase().as_str() {
        "https" => 443,
        "http" => 80,
        _ => return variants,
    };
    match port_colon(parts.authority) {
        Some(colon) => variants.push((
            PortChange::WithoutPort,
            format!(
                "{}://{}{}",
                parts.scheme,
                &parts.authority[..colon],
                parts.tail
            ),
        )),
        None => variants.push((
            PortChange::WithDefaultPort,
            format!(
                "{}://{}:{default_port}{}",
                parts.scheme, parts.authority, parts.tail
            ),
        )),
    }
    variants
}

fn first_value(value: &str) -> &str {
    value.split(',').next().unwrap_or("").trim()
}

/// The candidate URLs, each once, in the order they are tried.
pub(crate) fn candidates(
    received: &str,
    forwarded_proto: Option<&str>,
    forwarded_host: Option<&str>,
    forwarded_port: Option<&str>,
    public: Option<&str>,
) -> Vec<(UrlSource, String)> {
    let mut out: Vec<(UrlSource, String)> = vec![(UrlSource::AsReceived, received.to_owned())];
    let mut push = |source, url: String| {
        if !out.iter().any(|(_, seen)| *seen == url) {
            out.push((source, url));
        }
    };
    if let Some(parts) = split(received) {
        if parts.scheme.eq_ignore_ascii_case("http") {
            push(
                UrlSource::Https,
                format!("https://{}{}", parts.authority, parts.tail),
            );
        }
        let proto = forwarded_proto.map(first_value).filter(|p| !p.is_empty());
        let host = forwarded_host.map(first_value).filter(|h| !h.is_empty());
        if proto.is_some() || host.is_some() {
            let scheme = proto.unwrap_or(parts.scheme);
            let mut authority = host.unwrap_or(parts.authority).to_owned();
            if let Some(port) = forwarded_port.map(first_value).filter(|p| !p.is_empty())
                && port_colon(&authority).is_none()
            {
                authority = format!("{authority}:{port}");
            }
            push(
                UrlSource::Forwarded,
                format!("{scheme}://{authority}{}", parts.tail),
            );
        }
    }
    if let Some(public) = public {
        push(UrlSource::Public, format!("{public}{}", query(received)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_cover_https_forwarded_and_public() {
        let got = candidates(
            "http://10.0.0.5:8080/in/inbound/c/t?x=1",
            Some("https"),
            Some("hooks.hotel.example"),
            None,
            Some("https://hooks.hotel.example/in/inbound/c/t"),
        );
        assert_eq!(
            got,
            [
                (
                    UrlSource::AsReceived,
                    "http://10.0.0.5:8080/in/inbound/c/t?x=1".to_owned()
                ),
                (
                    UrlSource::Https,
                    "https://10.0.0.5:8080/in/inbound/c/t?x=1".to_owned()
                ),
                (
                    UrlSource::Forwarded,
                    "https://hooks.hotel.example/in/inbound/c/t?x=1".to_owned()
                ),
            ]
        );
        assert_eq!(
            port_variants("https://h.example:8443/a?b=:1"),
            [
                (PortChange::AsIs, "https://h.example:8443/a?b=:1".to_owned()),
                (
                    PortChange::WithoutPort,
                    "https://h.example/a?b=:1".to_owned()
                ),
            ]
        );
        assert_eq!(path("https://h.example/a/b?c=d"), "/a/b");
        assert_eq!(query("https://h.example/a/b?c=d#f"), "?c=d");
    }
}
