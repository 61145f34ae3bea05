//! SMS history: `GET /a1/sms`, newest first, at most 100 a page. `start` returns SMS *before*
//! that time and `end` SMS *after* it (46elks' names); an answer with more to come carries
//! `next`, passed back as `start`. Times are UTC without a zone, e.g.
//! `2018-02-14T09:52:07.302000`. Reads: retried under the crate's retry policy.

use serde::Deserialize;

use super::{ElksClient, MAX_PAGES, PROVIDER, Sms};
use crate::error::ProviderError;
use crate::failure::CallContext;
use crate::http::ApiCall;
use crate::lenient;

const OPERATION: &str = "GET /a1/sms";
/// "At most 100 SMS can be retrieved at once."
pub const HISTORY_PAGE_SIZE: u32 = 100;

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct SmsHistoryPage {
    #[serde(deserialize_with = "lenient::list")]
    data: Vec<Sms>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    next: Option<String>,
}

/// Filters of the history: `after` is sent as `end` (only SMS after this time, exclusive),
/// `to` keeps one recipient.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SmsHistoryFilter {
    pub after: Option<String>,
    pub to: Option<String>,
}

/// The pages of the history; see [`ElksClient::sms_pages`].
#[derive(Debug)]
pub struct SmsPages<'a> {
    client: &'a ElksClient,
    filter: SmsHistoryFilter,
    limit: u32,
    /// `None` before the first page; then the `next` cursor, `Some(None)` at the end.
    cursor: Option<Option<String>>,
    pages: usize,
    context: CallContext,
}

impl ElksClient {
    /// `GET /a1/sms` with `filter`, `limit` a page (at most 100), following `next`.
    pub fn sms_pages(&self, filter: &SmsHistoryFilter, limit: u32) -> SmsPages<'_> {
        SmsPages {
            client: self,
            filter: filter.clone(),
            limit: limit.clamp(1, HISTORY_PAGE_SIZE),
            cursor: None,
            pages: 0,
            context: CallContext::Other,
        }
    }
}

impl SmsPages<'_> {
    /// What the pages are read for, which names a failure's kind (e.g. a status query).
    pub fn in_context(mut self, context: CallContext) -> Self {
        self.context = context;
        self
    }

    /// The last page was read (the provider gave no `next`).
    pub fn finished(&self) -> bool {
        matches!(self.cursor, Some(None))
    }

    /// The next page's SMS; `None` once the last page was read.
    pub async fn next_page(&mut self) -> Result<Option<Vec<Sms>>, ProviderError> {
        let start = match &self.cursor {
            None => None,
            Some(None) => return Ok(None),
            Some(Some(start)) => Some(start.clone()),
        };
        if self.pages >= MAX_PAGES {
            return Err(ProviderError::Decode {
                provider: PROVIDER,
                message: format!("{OPERATION}: the pages never end"),
            });
        }
        let mut url = self.client.url(&["sms"]);
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("limit", &self.limit.to_string());
            if let Some(start) = &start {
                query.append_pair("start", start);
            }
            if let Some(after) = &self.filter.after {
                query.append_pair("end", after);
            }
            if let Some(to) = &self.filter.to {
                query.append_pair("to", to);
            }
        }
        let page: SmsHistoryPage = self
            .client
            .http
            .json(&ApiCall::get(url, OPERATION).in_context(self.context))
            .await?;
        self.pages += 1;
        // A cursor that does not move would loop forever: treat it as the end.
        let next = page
            .next
            .filter(|next| !page.data.is_empty() && start.as_ref() != Some(next));
        self.cursor = Some(next);
        Ok(Some(page.data))
    }

    /// Pages requested so far.
    pub fn pages(&self) -> usize {
        self.pages
    }
}
