//! The root URL of a provider API, and how API paths and pagination links are joined to it.

use std::fmt;
use std::str::FromStr;

use url::Url;

use crate::loopback;

/// The root of a provider API, possibly with a path prefix (`http://127.0.0.1:4010/twilio`).
/// API paths are appended to it, never substituted for its path.
#[derive(Clone, PartialEq, Eq)]
pub struct BaseUrl(Url);

/// Why a base URL is refused. No message repeats the URL: it might carry a password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BaseUrlError {
    #[error("not a valid URL ({0}): enter a full address such as https://api.example.com")]
    Parse(#[from] url::ParseError),
    #[error("the URL must start with https:// (or http:// to this machine)")]
    Scheme,
    #[error("the URL must not contain a query (?…) or fragment (#…)")]
    QueryOrFragment,
    #[error("the URL must not contain a user name or password: credentials have their own fields")]
    Credentials,
    #[error(
        "the URL must use https://: plain http:// goes only to this machine (localhost, \
         127.0.0.1, [::1])"
    )]
    PlainHttp,
}

impl BaseUrl {
    pub fn parse(input: &str) -> Result<Self, BaseUrlError> {
        let mut url = Url::parse(input.trim())?;
        if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() || !url.has_host() {
            return Err(BaseUrlError::Scheme);
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(BaseUrlError::QueryOrFragment);
        }
        // Credentials in a base URL would travel to every page link and into logs.
        if !url.username().is_empty() || url.password().is_some() {
            return Err(BaseUrlError::Credentials);
        }
        // Credentials travel with every call: in clear text only to this machine.
        if url.scheme() == "http" && !loopback::is_loopback_url(&url) {
            return Err(BaseUrlError::PlainHttp);
        }
        let trimmed = url.path().trim_end_matches('/').to_owned();
        url.set_path(&trimmed);
        Ok(Self(url))
    }

    /// A base URL written into this crate (the providers' public hosts); a unit test parses
    /// each of them, so this cannot panic in practice.
    pub(crate) fn builtin(url: &'static str) -> Self {
        match Self::parse(url) {
            Ok(base) => base,
            Err(error) => panic!("built-in base URL {url} is invalid: {error}"),
        }
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str().trim_end_matches('/')
    }

    /// The base's path prefix without a trailing slash (`""` or `"/twilio"`).
    fn prefix(&self) -> &str {
        self.0.path().trim_end_matches('/')
    }

    /// Appends path segments; each is percent-encoded, so an id can never add a path level.
    pub(crate) fn join<S: AsRef<str>>(&self, segments: &[S]) -> Url {
        let mut url = self.0.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty();
            path.extend(segments.iter().map(AsRef::as_ref));
        }
        url
    }

    /// Resolves a pagination link from the provider.
    ///
    /// * An absolute link on the same origin as this base is followed verbatim (Twilio v1/v2
    ///   `meta.next_page_url`, the sandbox's own absolute links).
    /// * A relative link (Twilio 2010 `next_page_uri`, relative to the API root) is appended to
    ///   the base, prefix included — unless it already starts with the prefix.
    /// * An absolute link to another origin (a proxy or region answering with the public host) is
    ///   rebased onto this base the same way: credentials only ever go to the configured host.
    pub(crate) fn resolve_link(&self, link: &str) -> Result<Url, url::ParseError> {
        let link = link.trim();
        if let Ok(absolute) = Url::parse(link) {
            if absolute.origin() == self.0.origin() {
                return Ok(absolute);
            }
            let path_and_query = match absolute.query() {
                Some(query) => format!("{}?{query}", absolute.path()),
                None => absolute.path().to_owned(),
            };
            return self.append_relative(&path_and_query);
        }
        self.append_relative(link)
    }

    fn append_relative(&self, link: &str) -> Result<Url, url::ParseError> {
        let link = if link.starts_with('/') {
            link.to_owned()
        } else {
            format!("/{link}")
        };
        let prefix = self.prefix();
        let already_prefixed =
            !prefix.is_empty() && (link.starts_with(&format!("{prefix}/")) || link == prefix);
        let path = if already_prefixed {
            link
        } else {
            format!("{prefix}{link}")
        };
        self.0.join(&path)
    }
}

impl FromStr for BaseUrl {
    type Err = BaseUrlError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Debug for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BaseUrl({})", self.as_str())
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(s: &str) -> BaseUrl {
        BaseUrl::parse(s).unwrap()
    }

    #[test]
    fn base_url_validation() {
        let refused = [
            ("ftp://example.com", BaseUrlError::Scheme),
            ("mailto:x@example.com", BaseUrlError::Scheme),
            ("https://example.com/?a=1", BaseUrlError::QueryOrFragment),
            ("https://example.com/#top", BaseUrlError::QueryOrFragment),
            ("https://u:p@example.com", BaseUrlError::Credentials),
            ("https://u@example.com", BaseUrlError::Credentials),
            ("http://localhost:1@evil.example", BaseUrlError::Credentials),
            ("http://api.twilio.com", BaseUrlError::PlainHttp),
            ("http://127.evil.example:4010", BaseUrlError::PlainHttp),
            ("http://localhost.evil.example", BaseUrlError::PlainHttp),
        ];
        for (input, expected) in refused {
            let error = BaseUrl::parse(input).unwrap_err();
            assert_eq!(error, expected, "{input}");
            // What is said never repeats the URL (it may hold a password).
            assert!(!error.to_string().contains("example"), "{error}");
        }
        assert!(matches!(
            BaseUrl::parse("not a url"),
            Err(BaseUrlError::Parse(_))
        ));
        for input in [
            "http://localhost:4010/twilio",
            "http://[::1]:4010",
            "https://hooks.hotel.example",
        ] {
            assert!(BaseUrl::parse(input).is_ok(), "{input}");
        }
        assert_eq!(
            base("https://api.twilio.com/").as_str(),
            "https://api.twilio.com"
        );
        assert_eq!(
            base("http://127.0.0.1:4010/twilio/").as_str(),
            "http://127.0.0.1:4010/twilio"
        );
        assert_eq!(
            "https://api.telnyx.com".parse::<BaseUrl>().unwrap(),
            base("https://api.telnyx.com/")
        );
    }

    #[test]
    fn join_appends_to_the_base_path() {
        let table = [
            (
                "https://api.twilio.com",
                "https://api.twilio.com/2010-04-01/Accounts/AC1.json",
            ),
            (
                "https://api.twilio.com/",
                "https://api.twilio.com/2010-04-01/Accounts/AC1.json",
            ),
            (
                "http://127.0.0.1:4010/twilio",
                "http://127.0.0.1:4010/twilio/2010-04-01/Accounts/AC1.json",
            ),
            (
                "http://127.0.0.1:4010/twilio/",
                "http://127.0.0.1:4010/twilio/2010-04-01/Accounts/AC1.json",
            ),
            (
                "http://localhost/a/b",
                "http://localhost/a/b/2010-04-01/Accounts/AC1.json",
            ),
        ];
        for (input, expected) in table {
            assert_eq!(
                base(input)
                    .join(&["2010-04-01", "Accounts", "AC1.json"])
                    .as_str(),
                expected
            );
        }
    }

    #[test]
    fn join_encodes_segments() {
        let url = base("https://h/p").join(&["v2", "Channels", "Senders", "XE1/../../x?y#z"]);
        assert_eq!(
            url.as_str(),
            "https://h/p/v2/Channels/Senders/XE1%2F..%2F..%2Fx%3Fy%23z"
        );
    }

    #[test]
    fn page_links_resolve_against_the_base() {
        let table = [
            // Twilio 2010: relative to the API root.
            (
                "https://api.twilio.com",
                "/2010-04-01/Accounts/AC1/IncomingPhoneNumbers.json?PageSize=50&Page=1&PageToken=PAx",
                "https://api.twilio.com/2010-04-01/Accounts/AC1/IncomingPhoneNumbers.json?PageSize=50&Page=1&PageToken=PAx",
            ),
            (
                "http://127.0.0.1:4010/twilio",
                "/2010-04-01/Accounts/AC1/IncomingPhoneNumbers.json?Page=1",
                "http://127.0.0.1:4010/twilio/2010-04-01/Accounts/AC1/IncomingPhoneNumbers.json?Page=1",
            ),
            // A relative link that already carries the prefix is not prefixed twice.
            (
                "http://127.0.0.1:4010/twilio",
                "/twilio/2010-04-01/Accounts/AC1/IncomingPhoneNumbers.json?Page=1",
                "http://127.0.0.1:4010/twilio/2010-04-01/Accounts/AC1/IncomingPhoneNumbers.json?Page=1",
            ),
            // v1/v2: absolute on the same origin, followed verbatim.
            (
                "https://messaging.twilio.com",
                "https://messaging.twilio.com/v2/Channels/Senders?PageSize=10&Page=1&Channel=whatsapp&PageToken=PT1",
                "https://messaging.twilio.com/v2/Channels/Senders?PageSize=10&Page=1&Channel=whatsapp&PageToken=PT1",
            ),
            (
                "http://127.0.0.1:4010/twilio",
                "http://127.0.0.1:4010/twilio/v1/Services?PageSize=20&Page=1",
                "http://127.0.0.1:4010/twilio/v1/Services?PageSize=20&Page=1",
            ),
            // Another origin (proxy in front of the real host) is rebased, never followed.
            (
                "http://127.0.0.1:4010",
                "https://messaging.twilio.com/v1/Services?PageSize=20&Page=1",
                "http://127.0.0.1:4010/v1/Services?PageSize=20&Page=1",
            ),
            (
                "http://localhost:4010/twilio",
                "http://127.0.0.1:4010/twilio/v1/Services?Page=1",
                "http://localhost:4010/twilio/v1/Services?Page=1",
            ),
            (
                "http://127.0.0.1:4010/twilio",
                "https://evil.example/v1/Services?Page=1",
                "http://127.0.0.1:4010/twilio/v1/Services?Page=1",
            ),
        ];
        for (base_url, link, expected) in table {
            assert_eq!(
                base(base_url).resolve_link(link).unwrap().as_str(),
                expected,
                "{link}"
            );
        }
    }
}
