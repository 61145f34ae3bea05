//! 46elks (SMS): Basic auth with the API username and password, form-encoded requests, JSON
//! answers, plain-text error bodies. Facts from `shared/reference/46elks.md`.

pub mod history;

use reqwest::Method;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::base_url::BaseUrl;
use crate::client::{AccountCheck, Provider, ProviderClient};
use crate::dialect::Dialect;
use crate::error::{ApiErrorBody, ProviderError};
use crate::failure::{CallContext, FailureKind, table};
use crate::http::{ApiCall, Auth, HttpExecutor, HttpOptions, RequestBody};
use crate::lenient;
use crate::retry::RequestClass;
use crate::secret::Secret;

const PROVIDER: Provider = Provider::Elks;
pub const DEFAULT_BASE: &str = "https://api.46elks.com";
const MAX_PAGES: usize = 1000;
/// Longest provider error text kept in a message.
const MAX_ERROR_TEXT: usize = 300;

/// `GET /a1/me`. `balance` is in 1/10000 of `currency` (9670500 = 967.05 SEK).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct Me {
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub id: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub displayname: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub mobilenumber: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub email: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub currency: Option<String>,
    #[serde(deserialize_with = "lenient::integer")]
    pub balance: Option<i64>,
}

/// A number of `GET /a1/numbers`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct Number {
    /// `n…`.
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub id: Option<String>,
    /// E.164.
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub number: Option<String>,
    /// `"yes"` or `"no"`; read with [`Number::is_active`].
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub active: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub country: Option<String>,
    #[serde(deserialize_with = "lenient::list")]
    pub capabilities: Vec<String>,
    /// Inbound SMS webhook (or a JSON action).
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub sms_url: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub mms_url: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub voice_start: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub name: Option<String>,
}

impl Number {
    pub fn is_active(&self) -> bool {
        self.active
            .as_deref()
            .is_some_and(|a| a.eq_ignore_ascii_case("yes") || a.eq_ignore_ascii_case("true"))
    }

    pub fn sms_capable(&self) -> bool {
        self.capabilities
            .iter()
            .any(|c| c.eq_ignore_ascii_case("sms"))
    }
}

/// An SMS as returned by `POST /a1/sms` and `GET /a1/sms/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct Sms {
    /// `s…`.
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub id: Option<String>,
    /// `incoming` or `outgoing`.
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub direction: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub from: Option<String>,
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub to: Option<String>,
    pub message: Option<String>,
    /// `created`, `sent`, `delivered` or `failed`.
    #[serde(deserialize_with = "lenient::nonempty_string")]
    pub status: Option<String>,
    pub created: Option<String>,
    pub delivered: Option<String>,
    /// In 1/10000 of the account currency.
    #[serde(deserialize_with = "lenient::integer")]
    pub cost: Option<i64>,
}

/// `POST /a1/sms`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutgoingSms {
    /// A text sender ID (up to 11 characters) or an E.164 number that can receive replies.
    pub from: String,
    pub to: String,
    pub message: String,
    /// Delivery-report webhook.
    pub whendelivered: Option<String>,
}

impl OutgoingSms {
    pub(crate) fn form(&self) -> Vec<(&'static str, String)> {
        let mut form = vec![
            ("from", self.from.clone()),
            ("to", self.to.clone()),
            ("message", self.message.clone()),
        ];
        if let Some(url) = self.whendelivered.as_ref().filter(|u| !u.is_empty()) {
            form.push(("whendelivered", url.clone()));
        }
        form
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct NumberList {
    #[serde(deserialize_with = "lenient::list")]
    data: Vec<Number>,
    /// 46elks lists page with a `next` cursor passed back as `start` (documented for SMS
    /// history; followed here too in case numbers ever page).
    #[serde(deserialize_with = "lenient::nonempty_string")]
    next: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ElksClient {
    base: BaseUrl,
    http: HttpExecutor,
}

impl ElksClient {
    pub fn new(
        username: impl Into<String>,
        password: Secret,
        base: BaseUrl,
        options: &HttpOptions,
    ) -> Result<Self, ProviderError> {
        let username = username.into().trim().to_owned();
        if username.is_empty() || password.is_empty() {
            return Err(ProviderError::InvalidConfig {
                provider: PROVIDER,
                message: "the API username and password are both required".into(),
            });
        }
        Ok(Self {
            base,
            http: HttpExecutor::new(&DIALECT, Auth::Basic { username, password }, options)?,
        })
    }

    pub fn default_base() -> BaseUrl {
        BaseUrl::builtin(DEFAULT_BASE)
    }

    fn url(&self, segments: &[&str]) -> Url {
        let mut all = vec!["a1"];
        all.extend_from_slice(segments);
        self.base.join(&all)
    }

    /// `GET /a1/me`.
    pub async fn me(&self) -> Result<Me, ProviderError> {
        self.http
            .json(
                &ApiCall::get(self.url(&["me"]), "GET /a1/me")
                    .in_context(CallContext::CredentialCheck),
            )
            .await
    }

    pub async fn check_credentials(&self) -> Result<AccountCheck, ProviderError> {
        Ok(account_check(self.me().await?))
    }

    /// `GET /a1/numbers`, following `next` cursors if any. Includes deallocated numbers
    /// (`active: "no"`).
    pub async fn list_numbers(&self) -> Result<Vec<Number>, ProviderError> {
        let mut numbers = Vec::new();
        let mut cursor: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut url = self.url(&["numbers"]);
            if let Some(start) = &cursor {
                url.query_pairs_mut().append_pair("start", start);
            }
            let page: NumberList = self
                .http
                .json(&ApiCall::get(url, "GET /a1/numbers"))
                .await?;
            let done = page.data.is_empty() || page.next.is_none() || page.next == cursor;
            numbers.extend(page.data);
            if done {
                return Ok(numbers);
            }
            cursor = page.next;
        }
        Err(ProviderError::Decode {
            provider: PROVIDER,
            message: "GET /a1/numbers: the pages never end".into(),
        })
    }

    /// `POST /a1/numbers/{id}` with `sms_url` only; returns the number as 46elks now has it.
    pub async fn set_sms_url(
        &self,
        number_id: &str,
        sms_url: &str,
    ) -> Result<Number, ProviderError> {
        let call = ApiCall::write(
            Method::POST,
            self.url(&["numbers", number_id]),
            Some(RequestBody::form(&[("sms_url", sms_url)])),
            RequestClass::IdempotentWrite,
            "POST /a1/numbers/{id}",
        );
        self.http.json(&call).await
    }

    /// `POST /a1/sms`. Never retried once it may have reached 46elks.
    pub async fn send_sms(&self, sms: &OutgoingSms) -> Result<Sms, ProviderError> {
        let missing = [
            ("to", &sms.to),
            ("from", &sms.from),
            ("message", &sms.message),
        ]
        .into_iter()
        .find(|(_, value)| value.trim().is_empty());
        if let Some((field, _)) = missing {
            let kind = match field {
                "to" => FailureKind::InvalidRecipient,
                "from" => FailureKind::MissingFromNumber,
                _ => FailureKind::InvalidMessage,
            };
            return Err(ProviderError::InvalidRequest {
                provider: PROVIDER,
                kind,
                message: format!("the SMS has no {field}"),
            });
        }
        let call = ApiCall::write(
            Method::POST,
            self.url(&["sms"]),
            Some(RequestBody::form(&sms.form())),
            RequestClass::Send,
            "POST /a1/sms",
        );
        self.http.json(&call).await
    }

    /// `GET /a1/sms/{id}`.
    pub async fn fetch_sms(&self, sms_id: &str) -> Result<Sms, ProviderError> {
        let call = ApiCall::get(self.url(&["sms", sms_id]), "GET /a1/sms/{id}")
            .in_context(CallContext::StatusQuery);
        self.http.json(&call).await
    }
}

impl ProviderClient for ElksClient {
    fn provider(&self) -> Provider {
        PROVIDER
    }

    async fn check_credentials(&self) -> Result<AccountCheck, ProviderError> {
        ElksClient::check_credentials(self).await
    }
}

fn account_check(me: Me) -> AccountCheck {
    let mut warnings = Vec::new();
    if let Some(balance) = me.balance.filter(|b| *b <= 0) {
        warnings.push(format!(
            "The 46elks account has no credit left ({} {}): messages will fail until credit is \
             added.",
            balance / 10_000,
            me.currency.as_deref().unwrap_or_default()
        ));
    }
    AccountCheck {
        provider: PROVIDER,
        account_name: me.displayname,
        account_type: None,
        status: None,
        checked_with: "GET /a1/me".into(),
        warnings,
    }
}

/// 46elks answers errors as plain text (`Invalid to number`); an HTML page from a proxy is not a
/// message.
pub(crate) fn parse_error_body(body: &[u8]) -> ApiErrorBody {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() || text.starts_with('<') {
        return ApiErrorBody::default();
    }
    let message = if let Ok(serde_json::Value::Object(object)) = serde_json::from_str(text) {
        ["message", "error", "detail"]
            .iter()
            .find_map(|key| object.get(*key).and_then(|v| v.as_str()).map(str::to_owned))
    } else {
        Some(text.chars().take(MAX_ERROR_TEXT).collect())
    };
    ApiErrorBody {
        message,
        ..ApiErrorBody::default()
    }
}

/// 46elks' error dialect: no codes and no error pages; the status decides, then the wording of
/// the plain-text message.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ElksDialect;

pub(crate) static DIALECT: ElksDialect = ElksDialect;

impl Dialect for ElksDialect {
    fn provider(&self) -> Provider {
        PROVIDER
    }

    fn parse_error_body(&self, body: &[u8]) -> ApiErrorBody {
        parse_error_body(body)
    }

    fn refine(
        &self,
        http_status: u16,
        body: &ApiErrorBody,
        _by_table: Option<FailureKind>,
    ) -> Option<FailureKind> {
        use FailureKind::*;
        if table::kind_for_status(http_status).is_some() {
            return None;
        }
        let message = body
            .message
            .as_deref()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let names = |field: &str| {
            message.contains(&format!("invalid {field}"))
                || message.contains(&format!("missing key {field}"))
                || message.contains(&format!("'{field}'"))
                || message.contains(&format!("\"{field}\""))
                || message.contains(&format!("{field} number"))
        };
        if names("to") {
            Some(InvalidRecipient)
        } else if names("from") || message.contains("sender") {
            Some(InvalidSender)
        } else if names("message") || message.contains("too long") {
            Some(InvalidMessage)
        } else {
            None
        }
    }

    fn docs_url(&self, _code: Option<&str>, _more_info: Option<&str>) -> Option<String> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::api_error;
    use FailureKind::*;

    fn classify(status: u16, message: &str) -> FailureKind {
        let body = ApiErrorBody {
            message: Some(message.to_owned()),
            ..ApiErrorBody::default()
        };
        api_error(&DIALECT, status, body, CallContext::Send).kind()
    }

    #[test]
    fn classification_table() {
        let table = [
            (401, "Unauthorized", InvalidCredentials),
            (403, "Forbidden", PermissionDenied),
            (404, "Not found", NotFound),
            (429, "Too many requests", RateLimited),
            (500, "", ProviderUnavailable),
            (400, "Invalid to number", InvalidRecipient),
            (400, "Missing key to", InvalidRecipient),
            (400, "Invalid from number", InvalidSender),
            (400, "Invalid sender ID", InvalidSender),
            (400, "Missing key message", InvalidMessage),
            (400, "Message too long", InvalidMessage),
            (400, "Something odd", SendMessageFailed),
        ];
        for (status, message, kind) in table {
            assert_eq!(classify(status, message), kind, "{status} {message}");
        }
    }

    #[test]
    fn error_bodies() {
        assert_eq!(
            parse_error_body(b"Invalid to number\n").message.as_deref(),
            Some("Invalid to number")
        );
        assert_eq!(
            parse_error_body(b"<html>502</html>"),
            ApiErrorBody::default()
        );
        assert_eq!(parse_error_body(b"   "), ApiErrorBody::default());
        assert_eq!(
            parse_error_body(br#"{"message":"Not enough credits"}"#)
                .message
                .as_deref(),
            Some("Not enough credits")
        );
        let long = "x".repeat(1000);
        assert_eq!(
            parse_error_body(long.as_bytes()).message.unwrap().len(),
            MAX_ERROR_TEXT
        );
    }

    #[test]
    fn decoding_documented_examples() {
        let me: Me = serde_json::from_str(
            r#"{"mobilenumber":"+46700000000","displayname":"Your name or company","id":"u5a9566c072160b318445d163949bf505","currency":"SEK","balance":9670500,"email":"help@46elks.com"}"#,
        )
        .unwrap();
        let check = account_check(me);
        assert_eq!(check.account_name.as_deref(), Some("Your name or company"));
        assert_eq!(check.checked_with, "GET /a1/me");
        assert!(check.warnings.is_empty());
        let broke = account_check(Me {
            balance: Some(0),
            ..Me::default()
        });
        assert_eq!(broke.warnings.len(), 1);

        let list: NumberList = serde_json::from_str(
            r#"{"data":[{"id":"n57c8f48af76bf986a14f251b35389e8b","active":"yes","country":"se","number":"+46766861001",
                "capabilities":["sms","voice","mms"],"sms_url":"https://yourapp.example/elks/sms","name":"Support phone"},
                {"id":"n2","active":"no","number":"+46766861002","capabilities":["voice"],"sms_url":""}]}"#,
        )
        .unwrap();
        assert_eq!(list.next, None);
        assert!(list.data[0].is_active());
        assert!(list.data[0].sms_capable());
        assert_eq!(
            list.data[0].sms_url.as_deref(),
            Some("https://yourapp.example/elks/sms")
        );
        assert!(!list.data[1].is_active());
        assert!(!list.data[1].sms_capable());
        assert_eq!(list.data[1].sms_url, None);

        let sms: Sms = serde_json::from_str(
            r#"{"direction":"outgoing","from":"+46123456","created":"2015-11-11T14:10:38.496470","to":"+467123345","cost":3500,"message":"Hello","id":"s1bd965cc067fcaba9b09c128a555c815","status":"created"}"#,
        )
        .unwrap();
        assert_eq!(sms.id.as_deref(), Some("s1bd965cc067fcaba9b09c128a555c815"));
        assert_eq!(sms.cost, Some(3500));
        assert_eq!(sms.status.as_deref(), Some("created"));
    }

    #[test]
    fn sms_form_is_lowercase_and_skips_unset_fields() {
        let sms = OutgoingSms {
            from: "Hotel".into(),
            to: "+46700000000".into(),
            message: "Välkommen!".into(),
            whendelivered: None,
        };
        assert_eq!(
            RequestBody::form(&sms.form()),
            RequestBody::Form("from=Hotel&to=%2B46700000000&message=V%C3%A4lkommen%21".into())
        );
    }

    #[test]
    fn client_debug_is_redacted() {
        let client = ElksClient::new(
            "u5a9566c072160b318445d163949bf505",
            Secret::new("elks-password-123"),
            ElksClient::default_base(),
            &HttpOptions::default(),
        )
        .unwrap();
        let printed = format!("{client:?}");
        assert!(printed.contains("u5a9566c072160b318445d163949bf505"));
        assert!(!printed.contains("elks-password-123"));
        assert_eq!(
            ElksClient::default_base().as_str(),
            "https://api.46elks.com"
        );
    }
}
