//! Message history one page at a time (ListMessage), so an importer can store each page before
//! asking for the next. Every request is a read: the executor retries it under the crate's retry
//! policy (429, 5xx, connection failures, with backoff that honours `Retry-After`).

use std::collections::HashSet;

use serde::Deserialize;
use url::Url;

use super::requests::MessageFilter;
use super::types::{Message, MessagePage, Paginated};
use super::{MAX_PAGES, PROVIDER, TwilioClient};
use crate::error::ProviderError;
use crate::http::ApiCall;
use crate::lenient;

const OPERATION: &str = "GET /2010-04-01/Accounts/{AccountSid}/Messages.json";

/// The pages of one ListMessage query, newest message first; see [`TwilioClient::message_pages`].
#[derive(Debug)]
pub struct MessagePages<'a> {
    client: &'a TwilioClient,
    next: Option<Url>,
    seen: HashSet<String>,
}

impl TwilioClient {
    /// ListMessage with `filter` (`From`, `To`, `DateSent`, `DateSent<`, `DateSent>`), `page_size`
    /// messages a page (clamped to Twilio's 1..=1000), following `next_page_uri` until it is
    /// null. Nothing is requested before the first [`MessagePages::next_page`].
    pub fn message_pages(&self, filter: &MessageFilter, page_size: u32) -> MessagePages<'_> {
        let mut url = self.account_url(&["Messages.json"]);
        {
            let mut query = url.query_pairs_mut();
            for (key, value) in filter.query_pairs() {
                query.append_pair(key, value);
            }
            query.append_pair("PageSize", &page_size.clamp(1, 1000).to_string());
        }
        MessagePages {
            client: self,
            next: Some(url),
            seen: HashSet::new(),
        }
    }
}

/// A page fetched but not decoded yet: an importer can decode and store it (on another thread)
/// while the next page is on its way.
#[derive(Debug)]
pub struct RawMessagePage {
    body: Vec<u8>,
}

impl RawMessagePage {
    /// The page's messages.
    pub fn decode(self) -> Result<Vec<Message>, ProviderError> {
        let page: MessagePage = serde_json::from_slice(&self.body).map_err(|error| {
            // Position only: serde's text may quote the body.
            ProviderError::Decode {
                provider: PROVIDER,
                message: format!(
                    "{OPERATION}: the response body is not the expected JSON (line {}, column {})",
                    error.line(),
                    error.column()
                ),
            }
        })?;
        Ok(page.into_parts().0)
    }
}

/// Only the link of a page: serde skips the messages without building them.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct PageLink {
    #[serde(deserialize_with = "lenient::nonempty_string")]
    next_page_uri: Option<String>,
}

impl MessagePages<'_> {
    /// The next page's messages; `None` once the last page was read.
    pub async fn next_page(&mut self) -> Result<Option<Vec<Message>>, ProviderError> {
        match self.next_raw_page().await? {
            Some(raw) => raw.decode().map(Some),
            None => Ok(None),
        }
    }

    /// The next page, not decoded yet (its next-page link is read, so paging goes on);
    /// `None` once the last page was read.
    pub async fn next_raw_page(&mut self) -> Result<Option<RawMessagePage>, ProviderError> {
        let Some(url) = self.next.take() else {
            return Ok(None);
        };
        if self.seen.len() >= MAX_PAGES || !self.seen.insert(url.to_string()) {
            return Err(ProviderError::Decode {
                provider: PROVIDER,
                message: format!(
                    "{OPERATION}: the pages never end (page {})",
                    self.seen.len()
                ),
            });
        }
        let response = self
            .client
            .http
            .execute(&ApiCall::get(url, OPERATION))
            .await?;
        let link: PageLink =
            serde_json::from_slice(&response.body).map_err(|error| ProviderError::Decode {
                provider: PROVIDER,
                message: format!(
                    "{OPERATION}: the response body is not the expected JSON (line {}, column {})",
                    error.line(),
                    error.column()
                ),
            })?;
        self.next =
            match link.next_page_uri {
                Some(link) => Some(self.client.endpoints.api.resolve_link(&link).map_err(
                    |error| ProviderError::Decode {
                        provider: PROVIDER,
                        message: format!("{OPERATION}: the next-page link is invalid ({error})"),
                    },
                )?),
                None => None,
            };
        Ok(Some(RawMessagePage {
            body: response.body,
        }))
    }

    /// Pages requested so far.
    pub fn pages(&self) -> usize {
        self.seen.len()
    }
}
