//! Telnyx API v2 (SMS): Bearer API key, JSON bodies wrapped in `{"data": …}`, lists paged with
//! `page[number]` / `page[size]` and `meta.total_pages`. Facts from `shared/reference/telnyx.md`.

pub mod history;

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use crate::base_url::BaseUrl;
use crate::client::{AccountCheck, Provider, ProviderClient};
use crate::dialect::{Dialect, https_link_on};
use crate::error::{ApiErrorBody, ProviderError};
use crate::failure::{CallContext, FailureKind};
use crate::http::{ApiCall, Auth, HttpExecutor, HttpOptions, RequestBody};
use crate::lenient;
use crate::retry::RequestClass;
use crate::secret::Secret;

const PROVIDER: Provider = Provider::Telnyx;
pub const DEFAULT_BASE: &str = "https://api.telnyx.com";
/// Telnyx's largest page.
const PAGE_SIZE: u32 = 250;
const MAX_PAGES: u32 = 1000;

/// `GET /v2/balance` → `data`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct Balance {
    #[serde(deserialize_with = "lenient::string_or_number")]
    pub balance: Option<String>,
    #[serde(deserialize_with = "lenient::string_or_number")]
    pub available_credit: Option<String>,
    #[serde(deserialize_with = "lenient::string_or_number")]
    pub credit_limit: Option<String>,
    #[serde(deserialize_with = "lenient::string_or_number")]
    pub pending: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub currency: Option<String>,
}

/// An item of `GET /v2/phone_numbers`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct PhoneNumber {
    #[serde(deserialize_with = "lenient::string_or_number")]
    pub id: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub phone_number: Option<String>,
    /// e.g. `active`, `purchase-pending`, `port-pending`.
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub status: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub phone_number_type: Option<String>,
    /// The profile whose `webhook_url` receives this number's inbound SMS.
    #[serde(deserialize_with = "lenient::string_or_number")]
    pub messaging_profile_id: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub messaging_profile_name: Option<String>,
    #[serde(deserialize_with = "lenient::string_or_number")]
    pub connection_id: Option<String>,
    #[serde(deserialize_with = "lenient::list")]
    pub tags: Vec<String>,
    pub purchased_at: Option<String>,
}

/// A messaging profile (`record_type: "messaging_profile"`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct MessagingProfile {
    #[serde(deserialize_with = "lenient::string_or_number")]
    pub id: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub name: Option<String>,
    #[serde(deserialize_with = "lenient::boolean")]
    pub enabled: Option<bool>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub webhook_url: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub webhook_failover_url: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub webhook_api_version: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
}

/// `GET|PATCH /v2/phone_numbers/{id}/messaging` → `data`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct NumberMessagingSettings {
    #[serde(deserialize_with = "lenient::string_or_number")]
    pub id: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub phone_number: Option<String>,
    #[serde(deserialize_with = "lenient::string_or_number")]
    pub messaging_profile_id: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub messaging_product: Option<String>,
    pub updated_at: Option<String>,
}

/// One side of a message (`from`, or an item of `to`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct MessageParty {
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub phone_number: Option<String>,
    /// Per recipient: `queued`, `sending`, `sent`, `expired`, `sending_failed`,
    /// `delivery_unconfirmed`, `delivered`, `delivery_failed`.
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub status: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub carrier: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub line_type: Option<String>,
}

/// A message as returned by `POST /v2/messages` and `GET /v2/messages/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct Message {
    #[serde(deserialize_with = "lenient::string_or_number")]
    pub id: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub direction: Option<String>,
    /// `SMS` or `MMS`.
    #[serde(rename = "type", deserialize_with = "lenient::nonempty_string")]
    pub message_type: Option<String>,
    pub from: Option<MessageParty>,
    #[serde(deserialize_with = "lenient::list")]
    pub to: Vec<MessageParty>,
    pub text: Option<String>,
    #[serde(deserialize_with = "lenient::string_or_number")]
    pub messaging_profile_id: Option<String>,
    #[serde(deserialize_with = "lenient::integer")]
    pub parts: Option<i64>,
    #[serde(deserialize_with = "lenient::list")]
    pub errors: Vec<Value>,
    pub sent_at: Option<String>,
    pub completed_at: Option<String>,
    pub received_at: Option<String>,
}

impl Message {
    /// The delivery status of the (first) recipient.
    pub fn status(&self) -> Option<&str> {
        self.to.first()?.status.as_deref()
    }
}

/// `POST /v2/messages` body. Unset fields are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OutgoingMessage {
    /// +E.164, alphanumeric sender ID (with `messaging_profile_id`) or short code.
    pub from: String,
    pub to: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub media_urls: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub messaging_profile_id: Option<String>,
    /// Delivery-status webhook for this message only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook_url: Option<String>,
}

/// `PATCH /v2/messaging_profiles/{id}` body for the inbound webhook.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ProfileWebhookUpdate {
    pub webhook_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook_failover_url: Option<String>,
}

#[derive(Serialize)]
struct NumberProfileAssignment<'a> {
    messaging_profile_id: &'a str,
}

#[derive(Deserialize)]
pub(crate) struct Envelope<T> {
    data: T,
}

#[derive(Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub(crate) struct ListEnvelope<T> {
    #[serde(default, deserialize_with = "lenient::list")]
    data: Vec<T>,
    #[serde(default)]
    meta: Option<ListMeta>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListMeta {
    #[serde(deserialize_with = "lenient::integer")]
    page_number: Option<i64>,
    #[serde(deserialize_with = "lenient::integer")]
    total_pages: Option<i64>,
}

/// Whether another page follows, by `meta.page_number` / `meta.total_pages`.
fn has_next_page(requested_page: u32, meta: Option<&ListMeta>) -> bool {
    let Some(meta) = meta else { return false };
    let current = meta.page_number.unwrap_or(i64::from(requested_page));
    meta.total_pages.is_some_and(|total| current < total)
}

#[derive(Debug, Clone)]
pub struct TelnyxClient {
    base: BaseUrl,
    http: HttpExecutor,
}

impl TelnyxClient {
    pub fn new(
        api_key: Secret,
        base: BaseUrl,
        options: &HttpOptions,
    ) -> Result<Self, ProviderError> {
        if api_key.expose().trim().is_empty() {
            return Err(ProviderError::InvalidConfig {
                provider: PROVIDER,
                message: "the API key is empty".into(),
            });
        }
        Ok(Self {
            base,
            http: HttpExecutor::new(&DIALECT, Auth::Bearer(api_key), options)?,
        })
    }

    /// The public API host.
    pub fn default_base() -> BaseUrl {
        BaseUrl::builtin(DEFAULT_BASE)
    }

    fn url(&self, segments: &[&str]) -> Url {
        let mut all = vec!["v2"];
        all.extend_from_slice(segments);
        self.base.join(&all)
    }

    async fn data<T: DeserializeOwned>(&self, call: &ApiCall) -> Result<T, ProviderError> {
        let envelope: Envelope<T> = self.http.json(call).await?;
        Ok(envelope.data)
    }

    /// `GET /v2/balance`.
    pub async fn balance(&self) -> Result<Balance, ProviderError> {
        self.data(
            &ApiCall::get(self.url(&["balance"]), "GET /v2/balance")
                .in_context(CallContext::CredentialCheck),
        )
        .await
    }

    /// `GET /v2/balance`, the cheapest read-only call.
    pub async fn check_credentials(&self) -> Result<AccountCheck, ProviderError> {
        let balance = self.balance().await?;
        Ok(balance_check(&balance))
    }

    /// `GET /v2/phone_numbers`, all pages.
    pub async fn list_phone_numbers(&self) -> Result<Vec<PhoneNumber>, ProviderError> {
        self.collect_pages(&["phone_numbers"], "GET /v2/phone_numbers")
            .await
    }

    /// `GET /v2/messaging_profiles`, all pages.
    pub async fn list_messaging_profiles(&self) -> Result<Vec<MessagingProfile>, ProviderError> {
        self.collect_pages(&["messaging_profiles"], "GET /v2/messaging_profiles")
            .await
    }

    /// `GET /v2/messaging_profiles/{id}`.
    pub async fn fetch_messaging_profile(
        &self,
        profile_id: &str,
    ) -> Result<MessagingProfile, ProviderError> {
        let url = self.url(&["messaging_profiles", profile_id]);
        self.data(&ApiCall::get(url, "GET /v2/messaging_profiles/{id}"))
            .await
    }

    /// `PATCH /v2/messaging_profiles/{id}` with `webhook_url` (and the failover URL if given).
    pub async fn set_profile_webhook(
        &self,
        profile_id: &str,
        update: &ProfileWebhookUpdate,
    ) -> Result<MessagingProfile, ProviderError> {
        let call = ApiCall::write(
            Method::PATCH,
            self.url(&["messaging_profiles", profile_id]),
            Some(json_body(update)?),
            RequestClass::IdempotentWrite,
            "PATCH /v2/messaging_profiles/{id}",
        );
        self.data(&call).await
    }

    /// `GET /v2/phone_numbers/{id}/messaging`: which profile a number belongs to.
    pub async fn fetch_number_messaging(
        &self,
        phone_number_id: &str,
    ) -> Result<NumberMessagingSettings, ProviderError> {
        let url = self.url(&["phone_numbers", phone_number_id, "messaging"]);
        self.data(&ApiCall::get(url, "GET /v2/phone_numbers/{id}/messaging"))
            .await
    }

    /// `PATCH /v2/phone_numbers/{id}/messaging` with `messaging_profile_id`: inbound SMS to the
    /// number then go to that profile's webhook.
    pub async fn assign_messaging_profile(
        &self,
        phone_number_id: &str,
        messaging_profile_id: &str,
    ) -> Result<NumberMessagingSettings, ProviderError> {
        let body = NumberProfileAssignment {
            messaging_profile_id,
        };
        let call = ApiCall::write(
            Method::PATCH,
            self.url(&["phone_numbers", phone_number_id, "messaging"]),
            Some(json_body(&body)?),
            RequestClass::IdempotentWrite,
            "PATCH /v2/phone_numbers/{id}/messaging",
        );
        self.data(&call).await
    }

    /// `POST /v2/messages`. Never retried once it may have reached Telnyx.
    pub async fn send_message(&self, message: &OutgoingMessage) -> Result<Message, ProviderError> {
        let has_text = message.text.as_ref().is_some_and(|t| !t.trim().is_empty());
        let problem = if message.to.trim().is_empty() {
            Some((
                FailureKind::InvalidRecipient,
                "the message has no recipient",
            ))
        } else if message.from.trim().is_empty() {
            Some((FailureKind::MissingFromNumber, "the message has no sender"))
        } else if !has_text && message.media_urls.is_empty() {
            Some((
                FailureKind::InvalidMessage,
                "the message has neither text nor media",
            ))
        } else {
            None
        };
        if let Some((kind, problem)) = problem {
            return Err(ProviderError::InvalidRequest {
                provider: PROVIDER,
                kind,
                message: problem.into(),
            });
        }
        let call = ApiCall::write(
            Method::POST,
            self.url(&["messages"]),
            Some(json_body(message)?),
            RequestClass::Send,
            "POST /v2/messages",
        );
        self.data(&call).await
    }

    /// `GET /v2/messages/{id}`.
    pub async fn fetch_message(&self, message_id: &str) -> Result<Message, ProviderError> {
        let url = self.url(&["messages", message_id]);
        self.data(&ApiCall::get(url, "GET /v2/messages/{id}").in_context(CallContext::StatusQuery))
            .await
    }

    async fn collect_pages<T: DeserializeOwned>(
        &self,
        segments: &[&str],
        operation: &'static str,
    ) -> Result<Vec<T>, ProviderError> {
        let mut items = Vec::new();
        for page_number in 1..=MAX_PAGES {
            let mut url = self.url(segments);
            url.query_pairs_mut()
                .append_pair("page[number]", &page_number.to_string())
                .append_pair("page[size]", &PAGE_SIZE.to_string());
            let page: ListEnvelope<T> = self.http.json(&ApiCall::get(url, operation)).await?;
            let last = page.data.is_empty() || !has_next_page(page_number, page.meta.as_ref());
            items.extend(page.data);
            if last {
                return Ok(items);
            }
        }
        Err(ProviderError::Decode {
            provider: PROVIDER,
            message: format!("{operation}: the pages never end"),
        })
    }
}

impl ProviderClient for TelnyxClient {
    fn provider(&self) -> Provider {
        PROVIDER
    }

    async fn check_credentials(&self) -> Result<AccountCheck, ProviderError> {
        TelnyxClient::check_credentials(self).await
    }
}

fn json_body<T: Serialize>(value: &T) -> Result<RequestBody, ProviderError> {
    serde_json::to_vec(value)
        .map(RequestBody::Json)
        .map_err(|error| ProviderError::InvalidRequest {
            provider: PROVIDER,
            kind: FailureKind::InvalidMessage,
            message: format!("the request could not be encoded: {error}"),
        })
}

fn balance_check(balance: &Balance) -> AccountCheck {
    let mut warnings = Vec::new();
    let available = balance
        .available_credit
        .as_deref()
        .or(balance.balance.as_deref());
    if let Some(amount) = available.and_then(|a| a.trim().parse::<f64>().ok())
        && amount <= 0.0
    {
        warnings.push(format!(
            "The Telnyx account has no credit left ({} {}): messages will fail until credit is \
             added.",
            available.unwrap_or_default(),
            balance.currency.as_deref().unwrap_or_default()
        ));
    }
    AccountCheck {
        provider: PROVIDER,
        account_name: None,
        account_type: None,
        status: None,
        checked_with: "GET /v2/balance".into(),
        warnings,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ErrorEnvelope {
    #[serde(deserialize_with = "lenient::list")]
    errors: Vec<TelnyxError>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TelnyxError {
    #[serde(deserialize_with = "lenient::string_or_number")]
    code: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    title: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    detail: Option<String>,
    meta: Option<Value>,
    source: Option<Value>,
}

/// `{"errors":[{"code","title","detail","meta":{"url"},"source":{"pointer"}}]}`; the first
/// error is the one reported.
pub(crate) fn parse_error_body(body: &[u8]) -> ApiErrorBody {
    let Ok(envelope) = serde_json::from_slice::<ErrorEnvelope>(body) else {
        return ApiErrorBody::default();
    };
    let Some(first) = envelope.errors.into_iter().next() else {
        return ApiErrorBody::default();
    };
    let text = |value: Option<&Value>, key: &str| {
        value
            .and_then(|v| v.get(key))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let message = match (first.title, first.detail) {
        (Some(title), Some(detail)) if !detail.contains(&title) => {
            Some(format!("{title}: {detail}"))
        }
        (title, detail) => detail.or(title),
    };
    ApiErrorBody {
        code: first.code,
        message,
        more_info: text(first.meta.as_ref(), "url"),
        field: text(first.source.as_ref(), "pointer")
            .or_else(|| text(first.source.as_ref(), "parameter")),
    }
}

/// Telnyx's error dialect: codes come from the shared table, but for the generic "invalid" codes
/// the field Telnyx blames (`source.pointer`) says which part of the request was wrong.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TelnyxDialect;

pub(crate) static DIALECT: TelnyxDialect = TelnyxDialect;

impl Dialect for TelnyxDialect {
    fn provider(&self) -> Provider {
        PROVIDER
    }

    fn parse_error_body(&self, body: &[u8]) -> ApiErrorBody {
        parse_error_body(body)
    }

    fn refine(
        &self,
        _http_status: u16,
        body: &ApiErrorBody,
        by_table: Option<FailureKind>,
    ) -> Option<FailureKind> {
        use FailureKind::*;
        let blamed = body
            .field
            .as_deref()
            .map(|f| f.trim_start_matches('/').to_ascii_lowercase());
        let by_field = match blamed.as_deref() {
            Some("to") => Some(InvalidRecipient),
            Some("from") => Some(InvalidSender),
            Some("text" | "media_urls" | "subject" | "type") => Some(InvalidMessage),
            _ => None,
        };
        // Invalid phone number / not +E.164 / invalid or missing parameter / bad request.
        let field_decides = matches!(
            body.code.as_deref().map(str::trim),
            Some("10002" | "10016" | "10003" | "10004" | "10015")
        );
        if field_decides {
            by_field.or(by_table)
        } else {
            by_table.or(by_field)
        }
    }

    /// The body's `meta.url` when it is a Telnyx https link; Telnyx pages are not built from a
    /// code because their addresses have changed over time.
    fn docs_url(&self, _code: Option<&str>, more_info: Option<&str>) -> Option<String> {
        more_info.and_then(|link| https_link_on(link, "telnyx.com"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::api_error;
    use FailureKind::*;

    fn classify(status: u16, code: Option<&str>, field: Option<&str>) -> FailureKind {
        let body = ApiErrorBody {
            code: code.map(str::to_owned),
            field: field.map(str::to_owned),
            ..ApiErrorBody::default()
        };
        api_error(&DIALECT, status, body, CallContext::Send).kind()
    }

    #[test]
    fn docs_link_only_from_the_body() {
        assert_eq!(
            DIALECT
                .docs_url(
                    Some("10009"),
                    Some("https://developers.telnyx.com/docs/overview/errors/10009")
                )
                .as_deref(),
            Some("https://developers.telnyx.com/docs/overview/errors/10009")
        );
        assert_eq!(DIALECT.docs_url(Some("10009"), None), None);
        assert_eq!(
            DIALECT.docs_url(Some("10009"), Some("https://x.example/10009")),
            None
        );
    }

    #[test]
    fn classification_table() {
        // (HTTP status, code, field, kind) — for a send.
        let table: &[(u16, Option<&str>, Option<&str>, FailureKind)] = &[
            (401, Some("10009"), None, InvalidCredentials),
            (401, None, None, InvalidCredentials),
            (403, Some("10010"), None, PermissionDenied),
            (429, Some("10011"), None, RateLimited),
            (429, None, None, RateLimited),
            (404, Some("10005"), None, NotFound),
            (404, None, None, NotFound),
            (422, Some("10002"), Some("/to"), InvalidRecipient),
            (422, Some("10016"), Some("/from"), InvalidSender),
            (422, Some("10016"), None, InvalidRecipient),
            (400, Some("10001"), Some("/from"), InvalidSender),
            (422, Some("10004"), Some("/text"), InvalidMessage),
            (422, Some("10004"), Some("/to"), InvalidRecipient),
            (400, Some("10015"), None, InvalidMessage),
            (422, Some("40300"), Some("/to"), InvalidRecipient),
            (422, Some("99999"), None, SendMessageFailed),
            (500, Some("10007"), None, ProviderUnavailable),
            (503, None, None, ProviderUnavailable),
        ];
        for (status, code, field, kind) in table {
            assert_eq!(
                classify(*status, *code, *field),
                *kind,
                "{status} {code:?} {field:?}"
            );
        }
    }

    #[test]
    fn error_bodies() {
        let body = br#"{"errors":[{"code":"10009","title":"Authentication failed","detail":"The API key is invalid.","meta":{"url":"https://developers.telnyx.com/docs/overview/errors/10009"}},{"code":"10015"}]}"#;
        assert_eq!(
            parse_error_body(body),
            ApiErrorBody {
                code: Some("10009".into()),
                message: Some("Authentication failed: The API key is invalid.".into()),
                more_info: Some("https://developers.telnyx.com/docs/overview/errors/10009".into()),
                field: None,
            }
        );
        let with_pointer = parse_error_body(
            br#"{"errors":[{"code":10016,"title":"Invalid phone number","source":{"pointer":"/to"}}]}"#,
        );
        assert_eq!(with_pointer.code.as_deref(), Some("10016"));
        assert_eq!(with_pointer.field.as_deref(), Some("/to"));
        assert_eq!(
            with_pointer.message.as_deref(),
            Some("Invalid phone number")
        );
        assert_eq!(
            parse_error_body(b"upstream timeout"),
            ApiErrorBody::default()
        );
        assert_eq!(
            parse_error_body(br#"{"errors":[]}"#),
            ApiErrorBody::default()
        );
    }

    #[test]
    fn list_pages_follow_total_pages() {
        let meta = |page, total| ListMeta {
            page_number: page,
            total_pages: total,
        };
        assert!(has_next_page(1, Some(&meta(Some(1), Some(3)))));
        assert!(!has_next_page(3, Some(&meta(Some(3), Some(3)))));
        assert!(has_next_page(2, Some(&meta(None, Some(3)))));
        assert!(!has_next_page(1, Some(&meta(Some(1), None))));
        assert!(!has_next_page(1, None));
        assert!(!has_next_page(1, Some(&meta(Some(1), Some(0)))));
    }

    #[test]
    fn decoding() {
        let list: ListEnvelope<PhoneNumber> = serde_json::from_str(
            r#"{"data":[{"id":"1293384261075731499","record_type":"phone_number","phone_number":"+19705555098",
                "status":"active","messaging_profile_id":"4001767e-ce0f-4cae-9d5f-0d5e636e7809",
                "messaging_profile_name":"Hotel","tags":["front-desk"],"connection_id":1494404757140276705}],
               "meta":{"total_pages":3,"total_results":501,"page_number":1,"page_size":250}}"#,
        )
        .unwrap();
        let number = &list.data[0];
        assert_eq!(number.id.as_deref(), Some("1293384261075731499"));
        assert_eq!(number.connection_id.as_deref(), Some("1494404757140276705"));
        assert_eq!(number.tags, vec!["front-desk".to_owned()]);
        assert!(has_next_page(1, list.meta.as_ref()));

        let message: Envelope<Message> = serde_json::from_str(
            r#"{"data":{"record_type":"message","direction":"outbound","id":"40385f64-5717-4562-b3fc-2c963f66afa6",
                "type":"SMS","from":{"phone_number":"+18445550001","carrier":"TELNYX LLC","line_type":"VoIP"},
                "to":[{"phone_number":"+18665550001","status":"queued","carrier":"T-MOBILE USA, INC.","line_type":"Wireless"}],
                "text":"Hello, World!","parts":1,"errors":[],"cost":null}}"#,
        )
        .unwrap();
        assert_eq!(message.data.status(), Some("queued"));
        assert_eq!(message.data.message_type.as_deref(), Some("SMS"));

        let balance: Envelope<Balance> = serde_json::from_str(
            r#"{"data":{"balance":"300.00","available_credit":"400.00","credit_limit":"100.00","currency":"USD","pending":"10.00","record_type":"balance"}}"#,
        )
        .unwrap();
        assert!(balance_check(&balance.data).warnings.is_empty());
        let empty = Balance {
            available_credit: Some("0.00".into()),
            currency: Some("USD".into()),
            ..Balance::default()
        };
        let check = balance_check(&empty);
        assert_eq!(check.checked_with, "GET /v2/balance");
        assert_eq!(check.warnings.len(), 1);
    }

    #[test]
    fn request_bodies_leave_out_unset_fields() {
        let message = OutgoingMessage {
            from: "+18445550001".into(),
            to: "+18665550001".into(),
            text: Some("Hello".into()),
            ..OutgoingMessage::default()
        };
        assert_eq!(
            serde_json::to_string(&message).unwrap(),
            r#"{"from":"+18445550001","to":"+18665550001","text":"Hello"}"#
        );
        let update = ProfileWebhookUpdate {
            webhook_url: "https://hooks.example/telnyx".into(),
            webhook_failover_url: None,
        };
        assert_eq!(
            serde_json::to_string(&update).unwrap(),
            r#"{"webhook_url":"https://hooks.example/telnyx"}"#
        );
    }

    #[test]
    fn client_debug_is_redacted() {
        let client = TelnyxClient::new(
            Secret::new("KEY0123456789secret"),
            TelnyxClient::default_base(),
            &HttpOptions::default(),
        )
        .unwrap();
        assert!(!format!("{client:?}").contains("KEY0123456789secret"));
        assert_eq!(
            TelnyxClient::default_base().as_str(),
            "https://api.telnyx.com"
        );
        assert!(
            TelnyxClient::new(
                Secret::new(" "),
                TelnyxClient::default_base(),
                &HttpOptions::default()
            )
            .is_err()
        );
    }
}
