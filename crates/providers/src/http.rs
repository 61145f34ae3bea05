//! One place where requests are sent: timeouts, user agent, retry policy, and the mapping of
//! transport failures and error bodies into [`ProviderError`].

use std::error::Error as _;
use std::time::Duration;

use reqwest::{RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::{Provider, ProviderError, TransportKind};
use crate::retry::{Decision, Outcome, RequestClass, RetryPolicy, parse_retry_after};

#[derive(Debug, Clone)]
pub struct HttpConfig {
    pub connect_timeout: Duration,
    pub timeout: Duration,
    pub retry: RetryPolicy,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Http {
    client: reqwest::Client,
    retry: RetryPolicy,
    provider: Provider,
}

impl Http {
    pub(crate) fn new(provider: Provider, config: &HttpConfig) -> Result<Self, ProviderError> {
        let client = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .user_agent(concat!("switchboard/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ProviderError::Transport {
                provider,
                kind: TransportKind::Other,
                message: format!("could not set up the HTTP client: {e}"),
            })?;
        Ok(Self {
            client,
            retry: config.retry,
            provider,
        })
    }

    pub(crate) fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// Sends the request built by `build` (again, when the policy says so) and decodes a 2xx
    /// JSON answer into `T`.
    pub(crate) async fn json<T: DeserializeOwned>(
        &self,
        class: RequestClass,
        build: impl Fn() -> RequestBuilder,
    ) -> Result<T, ProviderError> {
        let body = self.send(class, build).await?;
        serde_json::from_slice(&body).map_err(|e| ProviderError::Decode {
            provider: self.provider,
            message: format!("{e} in {}", preview(&body)),
        })
    }

    pub(crate) async fn send(
        &self,
        class: RequestClass,
        build: impl Fn() -> RequestBuilder,
    ) -> Result<Vec<u8>, ProviderError> {
        let mut attempt = 1;
        loop {
            let (outcome, error) = match build().send().await {
                Ok(response) => {
                    let status = response.status();
                    let retry_after = response
                        .headers()
                        .get(reqwest::header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(parse_retry_after);
                    let body = response.bytes().await.map_err(|e| self.transport(&e).0);
                    match body {
                        Ok(body) if status.is_success() => return Ok(body.to_vec()),
                        Ok(body) => (
                            Outcome::Status {
                                status: status.as_u16(),
                                retry_after,
                            },
                            self.api_error(status, &body),
                        ),
                        Err(error) => (Outcome::MaybeSent, error),
                    }
                }
                Err(error) => {
                    let (error, sent) = self.transport(&error);
                    (
                        if sent {
                            Outcome::MaybeSent
                        } else {
                            Outcome::NotSent
                        },
                        error,
                    )
                }
            };
            match self
                .retry
                .decide(attempt, class, outcome, rand::random::<f64>())
            {
                Decision::RetryAfter(wait) => {
                    tracing::debug!(provider = %self.provider, attempt, ?wait, "retrying");
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                Decision::GiveUp => return Err(self.final_error(class, outcome, error)),
            }
        }
    }

    /// A send that may have reached the provider has an unknown outcome, not a failure.
    fn final_error(
        &self,
        class: RequestClass,
        outcome: Outcome,
        error: ProviderError,
    ) -> ProviderError {
        let unknown = match outcome {
            Outcome::MaybeSent => true,
            Outcome::Status { status, .. } => (500..=599).contains(&status),
            Outcome::NotSent => false,
        };
        if class == RequestClass::Send && unknown {
            return ProviderError::UnknownOutcome {
                provider: self.provider,
                message: error.to_string(),
            };
        }
        error
    }

    /// Maps a reqwest error; the flag says whether the request may have been written.
    fn transport(&self, error: &reqwest::Error) -> (ProviderError, bool) {
        let mut chain = error.to_string();
        let mut source = error.source();
        while let Some(inner) = source {
            chain.push_str(": ");
            chain.push_str(&inner.to_string());
            source = inner.source();
        }
        let lower = chain.to_lowercase();
        let (kind, sent) = if error.is_timeout() {
            (TransportKind::Timeout, !error.is_connect())
        } else if lower.contains("dns") || lower.contains("resolve") || lower.contains("lookup") {
            (TransportKind::Dns, false)
        } else if lower.contains("certificate")
            || lower.contains("tls")
            || lower.contains("handshake")
        {
            (TransportKind::Tls, false)
        } else if lower.contains("refused") {
            (TransportKind::Refused, false)
        } else if error.is_connect() {
            (TransportKind::Other, false)
        } else {
            (TransportKind::Reset, true)
        };
        // The URL is left out: it may carry a user name; the kind and the cause are enough.
        let message = without_url(&chain);
        (
            ProviderError::Transport {
                provider: self.provider,
                kind,
                message,
            },
            sent,
        )
    }

    fn api_error(&self, status: StatusCode, body: &[u8]) -> ProviderError {
        let (code, message, more_info) = match self.provider {
            Provider::Twilio => twilio_error(body),
            Provider::Telnyx => telnyx_error(body),
            Provider::Elks46 => (None, None, None),
        };
        let message = message.unwrap_or_else(|| {
            let text = preview(body);
            if text.is_empty() {
                status.canonical_reason().unwrap_or("error").to_owned()
            } else {
                text
            }
        });
        ProviderError::Api {
            provider: self.provider,
            http_status: status.as_u16(),
            code,
            message,
            more_info,
        }
    }
}

type ErrorParts = (Option<String>, Option<String>, Option<String>);

fn twilio_error(body: &[u8]) -> ErrorParts {
    #[derive(serde::Deserialize)]
    struct Body {
        code: Option<serde_json::Value>,
        message: Option<String>,
        more_info: Option<String>,
    }
    match serde_json::from_slice::<Body>(body) {
        Ok(b) => (
            b.code.map(|c| c.to_string().trim_matches('"').to_owned()),
            b.message,
            b.more_info,
        ),
        Err(_) => (None, None, None),
    }
}

fn telnyx_error(body: &[u8]) -> ErrorParts {
    #[derive(serde::Deserialize)]
    struct Item {
        code: Option<String>,
        title: Option<String>,
        detail: Option<String>,
    }
    #[derive(serde::Deserialize)]
    struct Body {
        errors: Vec<Item>,
    }
    match serde_json::from_slice::<Body>(body)
        .ok()
        .and_then(|b| b.errors.into_iter().next())
    {
        Some(item) => {
            let message = match (item.title, item.detail) {
                (Some(title), Some(detail)) => Some(format!("{title}: {detail}")),
                (title, detail) => title.or(detail),
            };
            let more = item
                .code
                .as_ref()
                .map(|c| format!("https://developers.telnyx.com/docs/overview/errors/{c}"));
            (item.code, message, more)
        }
        None => (None, None, None),
    }
}

fn preview(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    match text.char_indices().nth(200) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

fn without_url(message: &str) -> String {
    message
        .split_whitespace()
        .filter(|word| !word.contains("://"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies_are_read() {
        let twilio = br#"{"code":20003,"message":"Authenticate","more_info":"https://www.twilio.com/docs/errors/20003","status":401}"#;
        assert_eq!(
            twilio_error(twilio),
            (
                Some("20003".into()),
                Some("Authenticate".into()),
                Some("https://www.twilio.com/docs/errors/20003".into())
            )
        );
        let telnyx = br#"{"errors":[{"code":"10009","title":"Authentication failed","detail":"The API key is wrong"}]}"#;
        let (code, message, _) = telnyx_error(telnyx);
        assert_eq!(code.as_deref(), Some("10009"));
        assert_eq!(
            message.as_deref(),
            Some("Authentication failed: The API key is wrong")
        );
        assert_eq!(twilio_error(b"<html>"), (None, None, None));
    }

    #[test]
    fn urls_are_kept_out_of_transport_messages() {
        assert_eq!(
            without_url("error sending request for url (http://user@127.0.0.1:9/x): refused"),
            "error sending request for url refused"
        );
    }
}
