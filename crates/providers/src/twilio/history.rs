//! Message history one page at a time (ListMessage), so an importer can store each page before
//! asking for the next. Every request is a read: the executor retries it under the crate's retry
//! policy (429, 5xx, connection failures, with backoff that honours `Retry-After`).

use std::collections::HashSet;

use url::Url;

use super::types::{Message, MessagePage, Paginated};
use super::{MAX_PAGES, PROVIDER, TwilioClient};
use crate::error::ProviderError;
use crate::http::ApiCall;
use super::requests::MessageFilter;

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

impl MessagePages<'_> {
    /// The next page's messages; `None` once the last page was read.
    pub async fn next_page(&mut self) -> Result<Option<Vec<Message>>, ProviderError> {
        let Some(url) = self.next.take() else {
            return Ok(None);
        };
        if self.seen.len() >= MAX_PAGES || !self.seen.insert(url.to_string()) {
            return Err(ProviderError::Decode {
                provider: PROVIDER,
                message: format!("{OPERATION}: the pages never end (page {})", self.seen.len()),
            });
        }
        let page: MessagePage = self.client.http.json(&ApiCall::get(url, OPERATION)).await?;
        let (messages, link) = page.into_parts();
        self.next = match link {
            Some(link) => Some(self.client.endpoints.api.resolve_link(&link).map_err(|error| {
                ProviderError::Decode {
                    provider: PROVIDER,
                    message: format!("{OPERATION}: the next-page link is invalid ({error})"),
                }
            })?),
            None => None,
        };
        Ok(Some(messages))
    }

    /// Pages requested so far.
    pub fn pages(&self) -> usize {
        self.seen.len()
    }
}
