//! Twilio response types, read from the OpenAPI specs (`twilio_api_v2010.json`,
//! `twilio_messaging_v1.json`, `twilio_messaging_v2.json`, `twilio_content_v1.json`).
//!
//! Every field is optional and unknown fields are ignored: the specs mark nearly everything
//! nullable, and real answers use `""` for unset URLs and SIDs (`sms_application_sid: ""`).
//! `uri` values of the 2010 API are relative to the API host.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::lenient::{self, string_enum};

string_enum! {
    /// `account_enum_status`.
    pub enum AccountStatus {
        Active => "active",
        Suspended => "suspended",
        Closed => "closed",
    }
}

/// `api.v2010.account`. The account's `auth_token` is deliberately not read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct Account {
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub sid: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub friendly_name: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub owner_account_sid: Option<String>,
    pub status: Option<AccountStatus>,
    /// `Trial` or `Full` (`account_enum_type`).
    #[serde(rename = "type", deserialize_with = "lenient::nonempty_string")]
    pub account_type: Option<String>,
    pub date_created: Option<String>,
    pub date_updated: Option<String>,
    pub uri: Option<String>,
}

/// `capabilities` of an incoming phone number.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct NumberCapabilities {
    #[serde(alias = "SMS", deserialize_with = "lenient::boolean")]
    pub sms: Option<bool>,
    #[serde(alias = "MMS", deserialize_with = "lenient::boolean")]
    pub mms: Option<bool>,
    #[serde(alias = "Voice", deserialize_with = "lenient::boolean")]
    pub voice: Option<bool>,
    #[serde(alias = "Fax", deserialize_with = "lenient::boolean")]
    pub fax: Option<bool>,
}

/// `api.v2010.account.incoming_phone_number`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct IncomingPhoneNumber {
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub sid: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub account_sid: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub phone_number: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub friendly_name: Option<String>,
    pub capabilities: Option<NumberCapabilities>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub sms_url: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub sms_method: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub sms_fallback_url: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub sms_fallback_method: Option<String>,
    /// When set, Twilio ignores `sms_url` and hands inbound SMS to this application.
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub sms_application_sid: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub status_callback: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub status_callback_method: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub voice_url: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub origin: Option<String>,
    /// e.g. `in-use`.
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub status: Option<String>,
    /// e.g. `local`, `mobile`, `toll-free`.
    #[serde(rename = "type", deserialize_with = "lenient::nonempty_string")]
    pub number_type: Option<String>,
    #[serde(deserialize_with = "lenient::boolean")]
    pub beta: Option<bool>,
    pub date_created: Option<String>,
    pub date_updated: Option<String>,
    pub uri: Option<String>,
}

impl IncomingPhoneNumber {
    /// Whether the number can send and receive SMS; unknown counts as no.
    pub fn sms_capable(&self) -> bool {
        self.capabilities
            .as_ref()
            .and_then(|c| c.sms)
            .unwrap_or(false)
    }
}

/// `ListIncomingPhoneNumberResponse`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct IncomingPhoneNumberPage {
    #[serde(deserialize_with = "lenient::list")]
    pub incoming_phone_numbers: Vec<IncomingPhoneNumber>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub next_page_uri: Option<String>,
}

string_enum! {
    /// `message_enum_status`.
    pub enum MessageStatus {
        Queued => "queued",
        Sending => "sending",
        Sent => "sent",
        Failed => "failed",
        Delivered => "delivered",
        Undelivered => "undelivered",
        Receiving => "receiving",
        Received => "received",
        Accepted => "accepted",
        Scheduled => "scheduled",
        /// WhatsApp only.
        Read => "read",
        PartiallyDelivered => "partially_delivered",
        Canceled => "canceled",
    }
}

impl MessageStatus {
    /// No further status change is expected.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            MessageStatus::Delivered
                | MessageStatus::Undelivered
                | MessageStatus::Failed
                | MessageStatus::Received
                | MessageStatus::Read
                | MessageStatus::Canceled
        )
    }

    pub fn is_failure(&self) -> bool {
        matches!(self, MessageStatus::Failed | MessageStatus::Undelivered)
    }
}

/// `api.v2010.account.message`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct Message {
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub sid: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub account_sid: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub messaging_service_sid: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub from: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub to: Option<String>,
    pub body: Option<String>,
    pub status: Option<MessageStatus>,
    /// `inbound`, `outbound-api`, `outbound-call`, `outbound-reply`.
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub direction: Option<String>,
    #[serde(deserialize_with = "lenient::string_or_number")]
    pub num_segments: Option<String>,
    #[serde(deserialize_with = "lenient::string_or_number")]
    pub num_media: Option<String>,
    #[serde(deserialize_with = "lenient::integer")]
    pub error_code: Option<i64>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub error_message: Option<String>,
    #[serde(deserialize_with = "lenient::string_or_number")]
    pub price: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub price_unit: Option<String>,
    pub api_version: Option<String>,
    pub date_created: Option<String>,
    pub date_sent: Option<String>,
    pub date_updated: Option<String>,
    pub uri: Option<String>,
}

/// `ListMessageResponse`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct MessagePage {
    #[serde(deserialize_with = "lenient::list")]
    pub messages: Vec<Message>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub next_page_uri: Option<String>,
}

/// `meta` of the v1/v2 list answers; `next_page_url` is absolute.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct PageMeta {
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub next_page_url: Option<String>,
}

/// `messaging.v1.service`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct MessagingService {
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub sid: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub account_sid: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub friendly_name: Option<String>,
    /// Where the service sends inbound messages; unset means they are dropped.
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub inbound_request_url: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub inbound_method: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub fallback_url: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub fallback_method: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub status_callback: Option<String>,
    /// When true, each number's own webhook wins over `inbound_request_url`.
    #[serde(deserialize_with = "lenient::boolean")]
    pub use_inbound_webhook_on_number: Option<bool>,
    #[serde(deserialize_with = "lenient::boolean")]
    pub sticky_sender: Option<bool>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub usecase: Option<String>,
    pub date_created: Option<String>,
    pub date_updated: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct MessagingServicePage {
    #[serde(deserialize_with = "lenient::list")]
    pub services: Vec<MessagingService>,
    pub meta: PageMeta,
}

/// `messaging.v1.service.phone_number`: a number in a service's sender pool.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct ServicePhoneNumber {
    /// The `PN…` SID of the incoming phone number.
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub sid: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub service_sid: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub phone_number: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub country_code: Option<String>,
    #[serde(deserialize_with = "lenient::list")]
    pub capabilities: Vec<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ServicePhoneNumberPage {
    #[serde(deserialize_with = "lenient::list")]
    pub phone_numbers: Vec<ServicePhoneNumber>,
    pub meta: PageMeta,
}

string_enum! {
    /// `channels_sender_enum_status`.
    pub enum SenderStatus {
        Creating => "CREATING",
        Online => "ONLINE",
        Offline => "OFFLINE",
        PendingVerification => "PENDING_VERIFICATION",
        Verifying => "VERIFYING",
        OnlineUpdating => "ONLINE:UPDATING",
        TwilioReview => "TWILIO_REVIEW",
        Draft => "DRAFT",
        Stubbed => "STUBBED",
    }
}

impl SenderStatus {
    /// The sender can send messages.
    pub fn is_online(&self) -> bool {
        matches!(self, SenderStatus::Online | SenderStatus::OnlineUpdating)
    }
}

/// `messaging.v2.channels_sender.webhook` as read back.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct SenderWebhook {
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub callback_url: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub callback_method: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub fallback_url: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub fallback_method: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub status_callback_url: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub status_callback_method: Option<String>,
}

/// `messaging.v2.channels_sender.configuration` as read back.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct SenderConfiguration {
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub waba_id: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub verification_method: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub voice_application_sid: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub account_type: Option<String>,
}

/// `messaging.v2.channels_sender.profile_generic_response`; the lists are kept as JSON because
/// their item shapes differ between spec revisions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct SenderProfile {
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub name: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub about: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub address: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub description: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub logo_url: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub vertical: Option<String>,
    pub websites: Option<Value>,
    pub emails: Option<Value>,
    pub phone_numbers: Option<Value>,
}

/// `messaging.v2.channels_sender.properties`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct SenderProperties {
    /// e.g. `HIGH`.
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub quality_rating: Option<String>,
    /// e.g. `10K Customers/24hr`.
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub messaging_limit: Option<String>,
}

/// `messaging.v2.channels_sender.offline_reasons.items`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct OfflineReason {
    #[serde(deserialize_with = "lenient::string_or_number")]
    pub code: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub message: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub more_info: Option<String>,
}

/// `messaging.v2.channels_sender_response`: a WhatsApp (or RCS) sender.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct Sender {
    /// `XE…`.
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub sid: Option<String>,
    pub status: Option<SenderStatus>,
    /// `whatsapp:+E164`.
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub sender_id: Option<String>,
    pub configuration: Option<SenderConfiguration>,
    pub webhook: Option<SenderWebhook>,
    pub profile: Option<SenderProfile>,
    pub properties: Option<SenderProperties>,
    #[serde(deserialize_with = "lenient::list")]
    pub offline_reasons: Vec<OfflineReason>,
    /// RCS KYC data; `null` for WhatsApp.
    pub compliance: Option<Value>,
    pub url: Option<String>,
}

impl Sender {
    /// The E.164 number of a `whatsapp:+…` sender id.
    pub fn phone_number(&self) -> Option<&str> {
        let id = self.sender_id.as_deref()?;
        Some(id.split_once(':').map_or(id, |(_, number)| number))
    }

    /// The inbound webhook URL as configured at Twilio.
    pub fn callback_url(&self) -> Option<&str> {
        self.webhook.as_ref()?.callback_url.as_deref()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct SenderPage {
    #[serde(deserialize_with = "lenient::list")]
    pub senders: Vec<Sender>,
    pub meta: PageMeta,
}

/// `content.v1.content`: a Content API template.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct ContentTemplate {
    /// `HX…`.
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub sid: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub account_sid: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub friendly_name: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub language: Option<String>,
    /// Placeholder defaults, e.g. `{"1": "Customer_Name"}`.
    pub variables: Option<Map<String, Value>>,
    /// Keyed by content type (`twilio/text`, `twilio/media`, …).
    pub types: Option<Map<String, Value>>,
    pub url: Option<String>,
    pub links: Option<Map<String, Value>>,
    pub date_created: Option<String>,
    pub date_updated: Option<String>,
}

/// The WhatsApp approval of a template.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct WhatsAppApproval {
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub name: Option<String>,
    /// e.g. `UTILITY`, `MARKETING`, `TRANSACTIONAL`.
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub category: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub content_type: Option<String>,
    /// e.g. `unsubmitted`, `received`, `pending`, `approved`, `rejected`.
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub status: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub rejection_reason: Option<String>,
    #[serde(deserialize_with = "lenient::boolean")]
    pub allow_category_change: Option<bool>,
}

impl WhatsAppApproval {
    pub fn is_approved(&self) -> bool {
        self.status
            .as_deref()
            .is_some_and(|status| status.eq_ignore_ascii_case("approved"))
    }
}

/// `content.v1.content_and_approvals`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct ContentWithApprovals {
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub sid: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub account_sid: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub friendly_name: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub language: Option<String>,
    pub variables: Option<Map<String, Value>>,
    pub types: Option<Map<String, Value>>,
    /// The spec's examples give the WhatsApp approval fields directly; other answers nest them
    /// under `whatsapp`. Read it through [`ContentWithApprovals::whatsapp_approval`].
    pub approval_requests: Option<Value>,
    pub date_created: Option<String>,
    pub date_updated: Option<String>,
}

impl ContentWithApprovals {
    pub fn whatsapp_approval(&self) -> Option<WhatsAppApproval> {
        let approvals = self.approval_requests.as_ref()?;
        let whatsapp = approvals.get("whatsapp").unwrap_or(approvals);
        serde_json::from_value(whatsapp.clone()).ok()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ContentPage {
    #[serde(deserialize_with = "lenient::list")]
    pub contents: Vec<ContentTemplate>,
    pub meta: PageMeta,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ContentAndApprovalsPage {
    #[serde(deserialize_with = "lenient::list")]
    pub contents: Vec<ContentWithApprovals>,
    pub meta: PageMeta,
}

/// Only the next-page link of a page, either shape (2010 `next_page_uri`, v1/v2
/// `meta.next_page_url`): read before the items are decoded.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct PageLink {
    #[serde(default)]
    next_page_uri: Option<String>,
    #[serde(default)]
    meta: Option<PageLinkMeta>,
}

#[derive(Debug, Default, Deserialize)]
struct PageLinkMeta {
    #[serde(default)]
    next_page_url: Option<String>,
}

/// How far from a 2010 page's end [`PageLink::from_body`] looks for `next_page_uri`.
const LINK_TAIL: usize = 64 * 1024;

impl PageLink {
    /// The link of a page, read from its end when it can be: Twilio writes a 2010 page's keys in
    /// name order, so `next_page_uri` and the few paging fields after it follow the list. The
    /// text from the last `"next_page_uri"` key near the end is read as the rest of the top-level
    /// object; when it is not that (the key was nested, or elsewhere, or the body is v1/v2), the
    /// whole body is read. The next page is asked for without decoding the 1,000 numbers first.
    pub(crate) fn from_body(body: &[u8]) -> serde_json::Result<Self> {
        Self::from_tail(body).map_or_else(|| serde_json::from_slice(body), Ok)
    }

    fn from_tail(body: &[u8]) -> Option<Self> {
        const KEY: &[u8] = b"\"next_page_uri\"";
        let from = body.len().saturating_sub(LINK_TAIL);
        let at = from
            + body[from..]
                .windows(KEY.len())
                .rposition(|window| window == KEY)?;
        // A quote after a backslash is inside a string, not a key's.
        if at > 0 && body[at - 1] == b'\\' {
            return None;
        }
        let mut rest = Vec::with_capacity(body.len() - at + 1);
        rest.push(b'{');
        rest.extend_from_slice(&body[at..]);
        // Anything after the object (the closing brackets of an outer one) fails the read.
        serde_json::from_slice(&rest).ok()
    }

    pub(crate) fn into_next(self) -> Option<String> {
        self.next_page_uri
            .or_else(|| self.meta.and_then(|meta| meta.next_page_url))
    }
}

/// A list answer: its items and the link to the next page, if any.
pub(crate) trait Paginated {
    type Item;
    fn into_parts(self) -> (Vec<Self::Item>, Option<String>);
}

macro_rules! paginated {
    ($page:ty, $item:ty, $list:ident, 2010) => {
        impl Paginated for $page {
            type Item = $item;
            fn into_parts(self) -> (Vec<$item>, Option<String>) {
                (self.$list, self.next_page_uri)
            }
        }
    };
    ($page:ty, $item:ty, $list:ident, meta) => {
        impl Paginated for $page {
            type Item = $item;
            fn into_parts(self) -> (Vec<$item>, Option<String>) {
                (self.$list, self.meta.next_page_url)
            }
        }
    };
}

paginated!(
    IncomingPhoneNumberPage,
    IncomingPhoneNumber,
    incoming_phone_numbers,
    2010
);
paginated!(MessagePage, Message, messages, 2010);
paginated!(MessagingServicePage, MessagingService, services, meta);
paginated!(
    ServicePhoneNumberPage,
    ServicePhoneNumber,
    phone_numbers,
    meta
);
paginated!(SenderPage, Sender, senders, meta);
paginated!(ContentPage, ContentTemplate, contents, meta);
paginated!(
    ContentAndApprovalsPage,
    ContentWithApprovals,
    contents,
    meta
);

#[cfg(test)]
mod tests {
    use super::*;

    fn next(body: &str) -> Option<String> {
        PageLink::from_body(body.as_bytes()).unwrap().into_next()
    }

    #[test]
    fn the_link_is_read_from_the_end_of_a_page_in_key_order() {
        let body = r#"{"end":1,"first_page_uri":"/a?Page=0","incoming_phone_numbers":[{"sid":"PN1"},{"sid":"PN2"}],"next_page_uri":"/a?Page=1&PageToken=PAPN2","page":0,"page_size":2,"previous_page_uri":null,"start":0,"uri":"/a"}"#;
        assert_eq!(
            PageLink::from_tail(body.as_bytes()).and_then(PageLink::into_next),
            Some("/a?Page=1&PageToken=PAPN2".to_owned())
        );
        assert_eq!(next(body), Some("/a?Page=1&PageToken=PAPN2".to_owned()));
        let last = r#"{"incoming_phone_numbers":[],"next_page_uri":null,"page":3}"#;
        assert_eq!(
            PageLink::from_tail(last.as_bytes()).map(PageLink::into_next),
            Some(None)
        );
    }

    #[test]
    fn a_key_that_is_not_the_top_level_one_is_never_taken_for_it() {
        // Nested in the last item, with the real link before the list: the whole body is read.
        let nested = r#"{"next_page_uri":"/real","incoming_phone_numbers":[{"sid":"PN1","next_page_uri":"/evil"}]}"#;
        assert!(PageLink::from_tail(nested.as_bytes()).is_none());
        assert_eq!(next(nested), Some("/real".to_owned()));
        // Inside a string (a friendly name quoting the key): only the real key is taken.
        let quoted = r#"{"next_page_uri":"/real","incoming_phone_numbers":[{"friendly_name":"x\"next_page_uri\":\"/evil"}]}"#;
        assert_eq!(next(quoted), Some("/real".to_owned()));
        let ending = r#"{"next_page_uri":"/real","incoming_phone_numbers":[{"friendly_name":"x\"next_page_uri"}]}"#;
        assert!(PageLink::from_tail(ending.as_bytes()).is_none());
        assert_eq!(next(ending), Some("/real".to_owned()));
        // The v1/v2 shape has no such key: read whole.
        let meta = r#"{"services":[],"meta":{"next_page_url":"https://x/v1/Services?Page=1"}}"#;
        assert_eq!(next(meta), Some("https://x/v1/Services?Page=1".to_owned()));
    }

    #[test]
    fn a_page_that_is_not_json_is_an_error_either_way() {
        assert!(PageLink::from_body(br#"{"next_page_uri":"/a","#).is_err());
        assert!(PageLink::from_body(b"<html>").is_err());
    }
}
