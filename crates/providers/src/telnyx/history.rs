//! Message history: Telnyx lists past messages only as message detail records (MDRs),
//! `GET /v2/detail_records?filter[record_type]=messaging` (operation `SearchDetailRecords`), paged
//! by `page[number]` / `page[size]` until `meta.page_number >= meta.total_pages`. MDRs carry no
//! message text. Reads: retried under the crate's retry policy.

use serde::{Deserialize, Serialize};

use super::{ListEnvelope, MAX_PAGES, PROVIDER, TelnyxClient, has_next_page};
use crate::error::ProviderError;
use crate::http::ApiCall;
use crate::lenient;

const OPERATION: &str = "GET /v2/detail_records";
/// Records a page. Telnyx documents no maximum for this endpoint; 250 is its largest page
/// elsewhere (see docs/history-import.md).
pub const RECORDS_PAGE_SIZE: u32 = 250;

/// One message detail record (`record_type: "message_detail_record"`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct MessageDetailRecord {
    /// The message id.
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub uuid: Option<String>,
    /// From.
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub cli: Option<String>,
    /// To.
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub cld: Option<String>,
    /// `inbound` or `outbound`.
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub direction: Option<String>,
    /// `delivered`, `failed`, `gw_reject`, `gw_timeout`, `dlr_unconfirmed`, `dlr_timeout`,
    /// `received`.
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub status: Option<String>,
    /// Error codes, as strings.
    #[serde(deserialize_with = "lenient::list")]
    pub errors: Vec<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub message_type: Option<String>,
    #[serde(deserialize_with = "lenient::integer")]
    pub parts: Option<i64>,
    pub created_at: Option<String>,
    pub sent_at: Option<String>,
    pub completed_at: Option<String>,
    pub updated_at: Option<String>,
    #[serde(deserialize_with = "lenient::string_or_number")]
    pub cost: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub currency: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub profile_id: Option<String>,
}

/// Filters of a detail-record search. `created_at_gte` / `created_at_lt` take a date
/// (`2024-05-01`, midnight UTC) or an ISO 8601 date-time; `gte` is inclusive, `lt` exclusive.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DetailRecordFilter {
    pub created_at_gte: Option<String>,
    pub created_at_lt: Option<String>,
    /// `inbound` or `outbound`.
    pub direction: Option<String>,
}

/// The pages of one search, newest first; see [`TelnyxClient::message_detail_record_pages`].
#[derive(Debug)]
pub struct DetailRecordPages<'a> {
    client: &'a TelnyxClient,
    filter: DetailRecordFilter,
    page_size: u32,
    next_page: Option<u32>,
    requested: u32,
}

impl TelnyxClient {
    /// Messaging detail records matching `filter`, `page_size` a page, newest first
    /// (`sort=-created_at`). Nothing is requested before the first
    /// [`DetailRecordPages::next_page`].
    pub fn message_detail_record_pages(
        &self,
        filter: &DetailRecordFilter,
        page_size: u32,
    ) -> DetailRecordPages<'_> {
        DetailRecordPages {
            client: self,
            filter: filter.clone(),
            page_size: page_size.max(1),
            next_page: Some(1),
            requested: 0,
        }
    }
}

impl DetailRecordPages<'_> {
    /// The next page's records; `None` once the last page was read.
    pub async fn next_page(&mut self) -> Result<Option<Vec<MessageDetailRecord>>, ProviderError> {
        let Some(number) = self.next_page.take() else {
            return Ok(None);
        };
        if number > MAX_PAGES {
            return Err(ProviderError::Decode {
                provider: PROVIDER,
                message: format!("{OPERATION}: the pages never end"),
            });
        }
        let mut url = self.client.url(&["detail_records"]);
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("filter[record_type]", "messaging");
            let optional = [
                ("filter[created_at][gte]", &self.filter.created_at_gte),
                ("filter[created_at][lt]", &self.filter.created_at_lt),
                ("filter[direction]", &self.filter.direction),
            ];
            for (key, value) in optional {
                if let Some(value) = value {
                    query.append_pair(key, value);
                }
            }
            query.append_pair("sort", "-created_at");
            query.append_pair("page[number]", &number.to_string());
            query.append_pair("page[size]", &self.page_size.to_string());
        }
        let page: ListEnvelope<MessageDetailRecord> =
            self.client.http.json(&ApiCall::get(url, OPERATION)).await?;
        self.requested += 1;
        if !page.data.is_empty() && has_next_page(number, page.meta.as_ref()) {
            self.next_page = Some(number + 1);
        }
        Ok(Some(page.data))
    }

    /// Pages requested so far.
    pub fn pages(&self) -> u32 {
        self.requested
    }
}
