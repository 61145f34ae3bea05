//! Form and query parameters as ordered pairs: the providers repeat keys (Twilio's `MediaUrl`)
//! and use bracketed names (Telnyx's `page[number]`), which typed deserializers handle poorly.

/// Parsed `application/x-www-form-urlencoded` data (a body or a query string).
#[derive(Debug, Clone, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// Parses form data; `None` when it is not valid form encoding.
    pub fn parse(raw: &[u8]) -> Option<Self> {
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(raw)
            .ok()
            .map(Self)
    }

    /// Parses an optional query string; a malformed one counts as empty, as most servers do.
    pub fn from_query(query: Option<&str>) -> Self {
        query
            .and_then(|q| Self::parse(q.as_bytes()))
            .unwrap_or_default()
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The first value of `name`, unless it is missing or empty.
    pub fn non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|value| !value.is_empty())
    }

    /// Every value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .collect()
    }
}

/// An absolute http(s) URL with a host: what every provider accepts as a webhook target.
pub fn is_http_url(value: &str) -> bool {
    reqwest::Url::parse(value)
        .is_ok_and(|url| matches!(url.scheme(), "http" | "https") && url.host().is_some())
}

/// Encodes pairs as a query string (no leading `?`).
pub fn encode(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_and_bracketed_keys() {
        let params = Params::parse(b"MediaUrl=a&MediaUrl=b&page%5Bnumber%5D=2&To=%2B1").unwrap();
        assert_eq!(params.all("MediaUrl"), vec!["a", "b"]);
        assert_eq!(params.get("page[number]"), Some("2"));
        assert_eq!(params.get("To"), Some("+1"));
        assert_eq!(encode(&[("PhoneNumber", "+1 2")]), "PhoneNumber=%2B1+2");
    }
}
