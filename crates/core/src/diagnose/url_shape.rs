//! What can be wrong with an inbound URL's shape before anything is sent to it: the mistakes
//! people make when they paste a URL into a provider's console or into Switchboard.

use std::net::{Ipv4Addr, Ipv6Addr};

use serde::Serialize;
use url::{Host, Url};

/// One thing wrong with an inbound URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum UrlProblem {
    /// Not a URL at all.
    Unparsable,
    /// `https://https://…`, `https://http:/…`.
    DoubledScheme,
    /// `https:/host`, `https:host`, or `//` inside the path.
    MissingOrExtraSlash,
    /// A scheme other than http(s).
    NotHttp,
    /// Plain http: the provider's requests travel unencrypted (and some refuse it).
    PlainHttp,
    /// Loopback or `localhost`: only this machine reaches it.
    Loopback,
    /// A private, link-local or otherwise internal address or name.
    PrivateAddress,
    /// A port other than 80/443 (providers and firewalls often block them).
    OddPort { port: u16 },
    /// A reserved example domain (`.example`, `.invalid`, `.test`): a placeholder that never
    /// resolves.
    ReservedDomain,
}

impl UrlProblem {
    /// What it means, in plain words.
    pub fn describe(&self) -> String {
        match self {
            UrlProblem::Unparsable => "The inbound URL is not a valid URL.".into(),
            UrlProblem::DoubledScheme => {
                "The inbound URL has its scheme twice (e.g. https://https://…).".into()
            }
            UrlProblem::MissingOrExtraSlash => {
                "The inbound URL has a missing or doubled slash (e.g. https:/host or //inbound)."
                    .into()
            }
            UrlProblem::NotHttp => {
                "The inbound URL does not start with http:// or https://.".into()
            }
            UrlProblem::PlainHttp => {
                "The inbound URL uses plain http: messages travel unencrypted, and WhatsApp \
                 providers may refuse it."
                    .into()
            }
            UrlProblem::Loopback => {
                "The inbound URL points at this computer (localhost): a provider on the internet \
                 can never reach it."
                    .into()
            }
            UrlProblem::PrivateAddress => {
                "The inbound URL points at a private network address: a provider on the internet \
                 cannot reach it."
                    .into()
            }
            UrlProblem::ReservedDomain => {
                "The inbound URL uses a reserved example domain (.example, .invalid, .test): it \
                 is a placeholder that never resolves, so no provider can reach it."
                    .into()
            }
            UrlProblem::OddPort { port } => format!(
                "The inbound URL uses port {port}: firewalls and some providers only allow 80 \
                 and 443."
            ),
        }
    }

    /// Whether inbound messages certainly cannot arrive (an error, not a warning).
    pub fn blocks_delivery(&self) -> bool {
        matches!(
            self,
            UrlProblem::Unparsable
                | UrlProblem::DoubledScheme
                | UrlProblem::MissingOrExtraSlash
                | UrlProblem::NotHttp
                | UrlProblem::Loopback
                | UrlProblem::PrivateAddress
        )
    }
}

/// Every problem with `input`'s shape, most serious first; empty when it looks right.
pub fn inbound_url_problems(input: &str) -> Vec<UrlProblem> {
    let text = input.trim();
    let lower = text.to_ascii_lowercase();
    let mut problems = Vec::new();
    let schemes = ["https:", "http:"];
    if let Some(rest) = schemes.iter().find_map(|s| lower.strip_prefix(s)) {
        let rest = rest.trim_start_matches('/');
        // `https://https://host` is stored as `https://https//host` once parsed (a host named
        // "https" with an empty port): both are the same mistake.
        let again = ["https", "http"]
            .iter()
            .find_map(|s| rest.strip_prefix(s))
            .is_some_and(|after| after.starts_with(':') || after.starts_with("//"));
        if again {
            // What follows parses as a host named "https": nothing more to learn from it.
            return vec![UrlProblem::DoubledScheme];
        }
    }
    let authority_ok = schemes.iter().any(|s| {
        lower
            .strip_prefix(s)
            .is_some_and(|r| r.starts_with("//") && !r.starts_with("///"))
    });
    let after_authority = lower
        .split_once("://")
        .map(|(_, rest)| rest.find('/').map_or("", |at| &rest[at..]))
        .unwrap_or("");
    let path_only = after_authority.split(['?', '#']).next().unwrap_or("");
    if (schemes.iter().any(|s| lower.starts_with(s)) && !authority_ok) || path_only.contains("//") {
        problems.push(UrlProblem::MissingOrExtraSlash);
    }
    let Ok(url) = Url::parse(text) else {
        problems.push(UrlProblem::Unparsable);
        return problems;
    };
    match url.scheme() {
        "https" => {}
        "http" => problems.push(UrlProblem::PlainHttp),
        _ => {
            problems.push(UrlProblem::NotHttp);
            return problems;
        }
    }
    match url.host() {
        None => problems.push(UrlProblem::Unparsable),
        Some(host) if switchboard_providers::loopback::is_loopback_host(&host) => {
            problems.push(UrlProblem::Loopback);
        }
        Some(Host::Ipv4(ip)) if private_v4(ip) => problems.push(UrlProblem::PrivateAddress),
        Some(Host::Ipv6(ip)) if private_v6(ip) => problems.push(UrlProblem::PrivateAddress),
        Some(Host::Domain(name)) if reserved_name(name) => {
            problems.push(UrlProblem::ReservedDomain);
        }
        Some(Host::Domain(name)) if internal_name(name) => {
            problems.push(UrlProblem::PrivateAddress);
        }
        Some(_) => {}
    }
    if let Some(port) = url.port()
        && port != 443
        && port != 80
    {
        problems.push(UrlProblem::OddPort { port });
    }
    problems.dedup();
    problems.sort_by_key(|p| !p.blocks_delivery());
    problems
}

fn private_v4(ip: Ipv4Addr) -> bool {
    ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        // 100.64.0.0/10, carrier-grade NAT.
        || (ip.octets()[0] == 100 && (ip.octets()[1] & 0xC0) == 64)
}

fn private_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    ip.is_unspecified()
        || (first & 0xfe00) == 0xfc00 // unique local
        || (first & 0xffc0) == 0xfe80 // link local
        || ip.to_ipv4_mapped().is_some_and(private_v4)
}

fn reserved_name(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    [".example", ".invalid", ".test"]
        .iter()
        .any(|suffix| name.ends_with(suffix) || name == suffix[1..])
}

fn internal_name(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    !name.contains('.')
        || [".local", ".internal", ".lan", ".home.arpa", ".localhost"]
            .iter()
            .any(|suffix| name.ends_with(suffix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_shape_mistake_is_named() {
        let table: &[(&str, &[UrlProblem])] = &[
            ("https://hooks.grand-hotel.com/inbound/c/t", &[]),
            (
                "https://hooks.hotel.example/inbound/c/t",
                &[UrlProblem::ReservedDomain],
            ),
            (
                "https://https://hooks.grand-hotel.com/inbound/c/t",
                &[UrlProblem::DoubledScheme],
            ),
            (
                "https://https//hooks.grand-hotel.com/inbound/c/t",
                &[UrlProblem::DoubledScheme],
            ),
            ("https://httpbin.grand-hotel.com/inbound/c/t", &[]),
            (
                "https:/hooks.grand-hotel.com/inbound/c/t",
                &[UrlProblem::MissingOrExtraSlash],
            ),
            (
                "https://hooks.grand-hotel.com//inbound/c/t",
                &[UrlProblem::MissingOrExtraSlash],
            ),
            (
                "http://hooks.grand-hotel.com/inbound/c/t",
                &[UrlProblem::PlainHttp],
            ),
            ("https://127.0.0.1/inbound/c/t", &[UrlProblem::Loopback]),
            ("https://localhost/inbound/c/t", &[UrlProblem::Loopback]),
            (
                "https://192.168.1.20/inbound/c/t",
                &[UrlProblem::PrivateAddress],
            ),
            (
                "https://10.0.0.5/inbound/c/t",
                &[UrlProblem::PrivateAddress],
            ),
            (
                "https://frontdesk.local/inbound/c/t",
                &[UrlProblem::PrivateAddress],
            ),
            (
                "https://hooks.grand-hotel.com:8443/inbound/c/t",
                &[UrlProblem::OddPort { port: 8443 }],
            ),
            ("ftp://hooks.grand-hotel.com/x", &[UrlProblem::NotHttp]),
            ("not a url", &[UrlProblem::Unparsable]),
        ];
        for (url, expected) in table {
            assert_eq!(inbound_url_problems(url), *expected, "{url}");
        }
    }

    #[test]
    fn combined_mistakes_are_all_reported_blocking_ones_first() {
        let problems = inbound_url_problems("http://192.168.0.2:8080/inbound/c/t");
        assert_eq!(
            problems,
            [
                UrlProblem::PrivateAddress,
                UrlProblem::PlainHttp,
                UrlProblem::OddPort { port: 8080 }
            ]
        );
    }
}
