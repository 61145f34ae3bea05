//! Twilio under `/twilio`: the 2010 REST API, Messaging v1 (services), Messaging v2 (WhatsApp
//! senders) and Content v1, all on one host (the real ones are api., messaging. and content.).

pub mod accounts;
pub mod content;
pub mod messages;
pub mod numbers;
pub mod senders;
pub mod services;
pub mod whatsapp_sandbox;

use std::sync::Arc;

use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

use crate::params::{Params, encode, is_http_url};
use crate::provider::{basic_credentials, origin};
use crate::state::Sandbox;
use accounts::AccountStatus;

pub type TwilioResult<T> = Result<T, TwilioError>;

/// Twilio's JSON error body: `{"code", "message", "more_info", "status"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TwilioError {
    pub status: StatusCode,
    pub code: u32,
    pub message: String,
}

impl TwilioError {
    pub fn new(status: StatusCode, code: u32, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    /// 400 with a Twilio error code (21211, 21602, 63007, …).
    pub fn bad_request(code: u32, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// 401 / 20003, Twilio's answer to wrong credentials and to suspended or closed accounts.
    pub fn authenticate() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, 20003, "Authenticate")
    }

    /// 404 / 20404 with Twilio's wording.
    pub fn not_found(path: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            20404,
            format!("The requested resource {path} was not found"),
        )
    }

    pub fn body(&self) -> Value {
        json!({
            "code": self.code,
            "message": self.message,
            "more_info": format!("https://www.twilio.com/docs/errors/{}", self.code),
            "status": self.status.as_u16(),
        })
    }
}

impl IntoResponse for TwilioError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body())).into_response()
    }
}

/// The authenticated Twilio account (by auth token or by API key).
#[derive(Debug, Clone)]
pub struct TwilioAuth {
    pub account_sid: String,
    pub status: AccountStatus,
}

impl TwilioAuth {
    /// Everything except reading the account itself fails on a suspended or closed account:
    /// Twilio documents 20003 for "account suspended or closed".
    pub fn require_active(&self) -> TwilioResult<()> {
        match self.status {
            AccountStatus::Active => Ok(()),
            _ => Err(TwilioError::authenticate()),
        }
    }

    /// A 2010 path names an account; credentials of another account may not use it.
    pub fn require_account(&self, path_account_sid: &str) -> TwilioResult<()> {
        if self.account_sid == path_account_sid {
            Ok(())
        } else {
            Err(TwilioError::authenticate())
        }
    }
}

impl FromRequestParts<Arc<Sandbox>> for TwilioAuth {
    type Rejection = TwilioError;

    async fn from_request_parts(parts: &mut Parts, sandbox: &Arc<Sandbox>) -> TwilioResult<Self> {
        let (user, password) =
            basic_credentials(&parts.headers).ok_or_else(TwilioError::authenticate)?;
        let world = sandbox.world();
        let account = if user.starts_with("SK") {
            world.twilio.values().find(|account| {
                account
                    .api_keys
                    .iter()
                    .any(|key| key.sid == user && key.secret == password)
            })
        } else {
            world
                .twilio
                .get(&user)
                .filter(|account| account.auth_token == password)
        };
        let account = account.ok_or_else(TwilioError::authenticate)?;
        Ok(Self {
            account_sid: account.sid.clone(),
            status: account.status,
        })
    }
}

/// Where a v1/v2 resource's absolute URLs start: `http://host:port/twilio`.
pub struct ApiBase(pub String);

impl FromRequestParts<Arc<Sandbox>> for ApiBase {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        sandbox: &Arc<Sandbox>,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self(format!(
            "{}/twilio",
            origin(&parts.headers, &sandbox.base_url)
        )))
    }
}

/// `Foo.json` → `Foo`; other suffixes (XML, none) are not served.
pub fn strip_json(segment: &str, path: &str) -> TwilioResult<String> {
    segment
        .strip_suffix(".json")
        .map(str::to_string)
        .ok_or_else(|| TwilioError::not_found(path))
}

/// `PageSize`, `Page` and `PageToken`, as all Twilio list endpoints take them.
#[derive(Debug, Clone)]
pub struct PageRequest {
    pub page: usize,
    pub page_size: usize,
    pub page_token: Option<String>,
}

impl PageRequest {
    pub fn from_params(params: &Params, default_size: usize) -> Self {
        let page_size = params
            .get("PageSize")
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(default_size)
            .clamp(1, 1000);
        let page = params.get("Page").and_then(|v| v.parse().ok()).unwrap_or(0);
        Self {
            page,
            page_size,
            page_token: params.non_empty("PageToken").map(str::to_string),
        }
    }

    /// The index range of this page in `sids`. `PageToken=PA<sid>` means "after that item",
    /// which keeps paging stable while items are added; without it `Page` alone decides.
    pub fn window<'a>(&self, sids: impl Iterator<Item = &'a str>) -> (usize, usize, usize) {
        let sids: Vec<&str> = sids.collect();
        let start = self
            .page_token
            .as_deref()
            .and_then(|token| token.strip_prefix("PA"))
            .and_then(|after| sids.iter().position(|sid| *sid == after))
            .map(|index| index + 1)
            .unwrap_or(self.page * self.page_size)
            .min(sids.len());
        let end = (start + self.page_size).min(sids.len());
        (start, end, sids.len())
    }

    fn query(&self, filters: &[(&str, &str)], page: usize, token: Option<&str>) -> String {
        let size = self.page_size.to_string();
        let page = page.to_string();
        let mut pairs: Vec<(&str, &str)> = filters.to_vec();
        pairs.push(("PageSize", &size));
        pairs.push(("Page", &page));
        if let Some(token) = token {
            pairs.push(("PageToken", token));
        }
        encode(&pairs)
    }
}

/// A page of a list: the items and the SID of its last one (for the next `PageToken`). The
/// items are JSON values, or (for the long lists) typed rows serialized straight to the body.
pub struct Page<I = Value> {
    pub items: Vec<I>,
    pub start: usize,
    pub end: usize,
    pub total: usize,
    pub last_sid: Option<String>,
}

impl<I> Page<I> {
    pub fn of<T>(
        all: &[T],
        request: &PageRequest,
        sid: impl Fn(&T) -> &str,
        render: impl Fn(&T) -> I,
    ) -> Self {
        let (start, end, total) = request.window(all.iter().map(&sid));
        let slice = &all[start..end];
        Self {
            items: slice.iter().map(render).collect(),
            start,
            end,
            total,
            last_sid: slice.last().map(|item| sid(item).to_string()),
        }
    }

    fn next_token(&self) -> Option<String> {
        (self.end < self.total)
            .then(|| self.last_sid.as_ref().map(|sid| format!("PA{sid}")))
            .flatten()
    }

    /// 2010 API shape: relative `*_uri` fields at the top level next to `list_key`.
    pub fn listing_2010(
        self,
        list_key: &str,
        path: &str,
        filters: &[(&str, &str)],
        request: &PageRequest,
    ) -> Listing<I> {
        let uri = |page: usize, token: Option<&str>| {
            format!("{path}?{}", request.query(filters, page, token))
        };
        let next = self
            .next_token()
            .map(|token| uri(request.page + 1, Some(&token)));
        let previous = (request.page > 0).then(|| uri(request.page - 1, None));
        let count = self.end - self.start;
        // In key order, as a JSON object map keeps them.
        let fields = vec![
            ("end", json!(if count == 0 { 0 } else { self.end - 1 })),
            ("first_page_uri", json!(uri(0, None))),
            ("next_page_uri", json!(next)),
            ("page", json!(request.page)),
            ("page_size", json!(request.page_size)),
            ("previous_page_uri", json!(previous)),
            ("start", json!(self.start)),
            (
                "uri",
                json!(uri(request.page, request.page_token.as_deref())),
            ),
        ];
        Listing {
            key: list_key.to_owned(),
            items: self.items,
            fields,
        }
    }
}

/// A 2010-shape list answer: the items under their key, next to the paging fields.
pub struct Listing<I> {
    key: String,
    items: Vec<I>,
    /// The paging fields, sorted by name.
    fields: Vec<(&'static str, Value)>,
}

impl Listing<Value> {
    pub fn into_value(self) -> Value {
        let mut fields: serde_json::Map<String, Value> = self
            .fields
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value))
            .collect();
        fields.insert(self.key, Value::Array(self.items));
        Value::Object(fields)
    }
}

impl<I: serde::Serialize> serde::Serialize for Listing<I> {
    /// The same object [`Listing::into_value`] makes, keys in the same order, without building
    /// the items as JSON values first.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.fields.len() + 1))?;
        let mut placed = false;
        for (name, value) in &self.fields {
            if !placed && *name > self.key.as_str() {
                map.serialize_entry(&self.key, &self.items)?;
                placed = true;
            }
            map.serialize_entry(name, value)?;
        }
        if !placed {
            map.serialize_entry(&self.key, &self.items)?;
        }
        map.end()
    }
}

impl Page {
    /// 2010 API shape as a JSON value (see [`Page::listing_2010`]).
    pub fn render_2010(
        self,
        list_key: &str,
        path: &str,
        filters: &[(&str, &str)],
        request: &PageRequest,
    ) -> Value {
        self.listing_2010(list_key, path, filters, request)
            .into_value()
    }

    /// v1/v2 shape: `{"<key>": [...], "meta": {...}}` with absolute URLs pointing at us.
    pub fn render_meta(
        self,
        list_key: &str,
        absolute_path: &str,
        filters: &[(&str, &str)],
        request: &PageRequest,
    ) -> Value {
        let url = |page: usize, token: Option<&str>| {
            format!("{absolute_path}?{}", request.query(filters, page, token))
        };
        let next = self
            .next_token()
            .map(|token| url(request.page + 1, Some(&token)));
        let previous = (request.page > 0).then(|| url(request.page - 1, None));
        json!({
            list_key: self.items,
            "meta": {
                "page": request.page,
                "page_size": request.page_size,
                "first_page_url": url(0, None),
                "previous_page_url": previous,
                "next_page_url": next,
                "url": url(request.page, request.page_token.as_deref()),
                "key": list_key,
            }
        })
    }
}

/// `true`/`false` as Twilio's form booleans (case-insensitive).
pub fn parse_bool(params: &Params, name: &str) -> TwilioResult<Option<bool>> {
    match params.get(name) {
        None => Ok(None),
        Some(value) if value.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Some(value) if value.eq_ignore_ascii_case("false") => Ok(Some(false)),
        Some(value) => Err(TwilioError::bad_request(
            20001,
            format!("Invalid value '{value}' for parameter {name}: expected true or false"),
        )),
    }
}

/// A webhook HTTP method parameter (`SmsMethod` and the like): GET or POST.
pub fn parse_method(params: &Params, name: &str) -> TwilioResult<Option<String>> {
    match params.get(name) {
        None => Ok(None),
        Some(value) if value.eq_ignore_ascii_case("GET") || value.eq_ignore_ascii_case("POST") => {
            Ok(Some(value.to_uppercase()))
        }
        Some(value) => Err(TwilioError::bad_request(
            20001,
            format!("Invalid value '{value}' for parameter {name}: expected GET or POST"),
        )),
    }
}

/// A webhook URL parameter: empty (clears it) or an absolute http(s) URL.
pub fn parse_url(params: &Params, name: &str) -> TwilioResult<Option<String>> {
    match params.get(name) {
        None => Ok(None),
        Some("") => Ok(Some(String::new())),
        Some(value) if is_http_url(value) => Ok(Some(value.to_string())),
        Some(value) => Err(TwilioError::bad_request(
            21502,
            format!("{name} is not a valid URL: {value}"),
        )),
    }
}

async fn not_found(uri: axum::http::Uri) -> TwilioError {
    TwilioError::not_found(uri.path())
}

async fn method_not_allowed() -> TwilioError {
    TwilioError::new(StatusCode::METHOD_NOT_ALLOWED, 20004, "Method not allowed")
}

pub fn router() -> Router<Arc<Sandbox>> {
    const ACCOUNT: &str = "/2010-04-01/Accounts/{account_sid}";
    Router::new()
        .route("/2010-04-01/Accounts/{account_file}", get(accounts::fetch))
        .route(
            &format!("{ACCOUNT}/IncomingPhoneNumbers.json"),
            get(numbers::list),
        )
        .route(
            &format!("{ACCOUNT}/IncomingPhoneNumbers/{{number_file}}"),
            get(numbers::fetch).post(numbers::update),
        )
        .route(
            &format!("{ACCOUNT}/Messages.json"),
            get(messages::list).post(messages::create),
        )
        .route(
            &format!("{ACCOUNT}/Messages/{{message_file}}"),
            get(messages::fetch),
        )
        .route("/v1/Services", get(services::list).post(services::create))
        .route(
            "/v1/Services/{service_sid}",
            get(services::fetch)
                .post(services::update)
                .delete(services::delete),
        )
        .route(
            "/v1/Services/{service_sid}/PhoneNumbers",
            get(services::list_numbers).post(services::add_number),
        )
        .route(
            "/v1/Services/{service_sid}/PhoneNumbers/{number_sid}",
            get(services::fetch_number).delete(services::remove_number),
        )
        .route(
            "/v2/Channels/Senders",
            get(senders::list).post(senders::create),
        )
        .route(
            "/v2/Channels/Senders/{sender_sid}",
            get(senders::fetch)
                .post(senders::update)
                .delete(senders::delete),
        )
        .route("/v1/Content", get(content::list))
        .route("/v1/Content/{content_sid}", get(content::fetch))
        .route(
            "/v1/Content/{content_sid}/ApprovalRequests",
            get(content::fetch_approvals),
        )
        .route("/v1/ContentAndApprovals", get(content::list_with_approvals))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_listing_writes_the_same_object_as_its_json_value() {
        let request = PageRequest {
            page: 1,
            page_size: 2,
            page_token: Some("PAb".into()),
        };
        let sids = ["a", "b", "c", "d", "e"];
        for key in ["aaa", "incoming_phone_numbers", "zzz"] {
            let typed = Page::of(&sids, &request, |s| *s, |s| json!({ "sid": s })).listing_2010(
                key,
                "/x.json",
                &[],
                &request,
            );
            let value = Page::of(&sids, &request, |s| *s, |s| json!({ "sid": s })).render_2010(
                key,
                "/x.json",
                &[],
                &request,
            );
            assert_eq!(
                serde_json::to_string(&typed).unwrap(),
                serde_json::to_string(&value).unwrap(),
                "{key}"
            );
            assert_eq!(value[key], json!([{ "sid": "c" }, { "sid": "d" }]));
            assert_eq!(value["start"], 2);
            assert_eq!(value["end"], 3);
            assert!(
                value["next_page_uri"]
                    .as_str()
                    .unwrap()
                    .contains("PageToken=PAd")
            );
        }
    }

    #[test]
    fn page_tokens_continue_after_the_last_item() {
        let sids = ["a", "b", "c", "d", "e"];
        let first = PageRequest {
            page: 0,
            page_size: 2,
            page_token: None,
        };
        assert_eq!(first.window(sids.iter().copied()), (0, 2, 5));
        let second = PageRequest {
            page: 1,
            page_size: 2,
            page_token: Some("PAb".into()),
        };
        assert_eq!(second.window(sids.iter().copied()), (2, 4, 5));
        let beyond = PageRequest {
            page: 9,
            page_size: 2,
            page_token: None,
        };
        assert_eq!(beyond.window(sids.iter().copied()), (5, 5, 5));
    }
}
