//! Whether a URL points at this machine, decided on the parsed host, never on text: `127.evil.example`
//! and `localhost.evil.example` are names anyone can register, and `http://localhost:1@evil.example`
//! goes to `evil.example`. Used for the plain-http rule of base URLs and the loopback-only guard
//! of the test suites.

use url::{Host, Url};

/// `localhost`, `127.0.0.0/8`, `::1` (also written as the IPv4-mapped `::ffff:127.x.y.z`).
pub fn is_loopback_host(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(ip) => ip.is_loopback(),
        Host::Ipv6(ip) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    }
}

/// Whether `url`'s host is this machine.
pub fn is_loopback_url(url: &Url) -> bool {
    url.host().is_some_and(|host| is_loopback_host(&host))
}

/// Whether `input` parses as a URL whose host is this machine; `false` when it does not parse.
pub fn is_loopback(input: &str) -> bool {
    Url::parse(input.trim()).is_ok_and(|url| is_loopback_url(&url))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hosts_that_are_this_machine_are_loopback() {
        for url in [
            "http://localhost",
            "http://LOCALHOST:4010/twilio",
            "http://127.0.0.1:4010",
            "http://127.1.2.3/",
            "http://[::1]:4010/x",
            "http://[::ffff:127.0.0.1]:80",
            "https://user:pw@localhost/",
            // Other spellings of 127.0.0.1 that the URL standard turns into it.
            "http://2130706433/",
            "http://0x7f.1/",
        ] {
            assert!(is_loopback(url), "{url}");
        }
        for url in [
            "http://127.evil.example",
            "http://127.0.0.1.evil.example:4010",
            "http://localhost.evil.example",
            "http://localhost:1@evil.example",
            "http://evil.example/127.0.0.1",
            "http://evil.example?localhost",
            "http://[::2]",
            "http://0.0.0.0:4010",
            "http://10.0.0.1",
            "https://api.twilio.com",
            "localhost:4010",
            "not a url",
            "",
        ] {
            assert!(!is_loopback(url), "{url}");
        }
    }
}
