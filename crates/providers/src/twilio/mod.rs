//! Twilio: SMS over the 2010 API, WhatsApp senders over Messaging v2, Messaging Services over
//! Messaging v1 and templates over Content v1. Paths, parameter names and encodings follow the
//! OpenAPI specs in `shared/specs/twilio/`; each method names the operationId it implements.

pub mod errors;
pub mod history;
pub mod requests;
pub mod types;

use std::collections::HashSet;

use reqwest::Method;
use serde::de::DeserializeOwned;
use url::Url;

use crate::base_url::BaseUrl;
use crate::client::{AccountCheck, AccountType, Provider, ProviderClient};
use crate::error::ProviderError;
use crate::failure::{CallContext, FailureKind};
use crate::http::{ApiCall, Auth, HttpExecutor, HttpOptions, RawResponse, RequestBody};
use crate::retry::RequestClass;
use crate::secret::Secret;

pub use errors::classify_error_code;
pub use history::{MessagePages, RawMessagePage};
pub use requests::*;
pub use types::*;

const PROVIDER: Provider = Provider::Twilio;
const API_VERSION: &str = "2010-04-01";
/// Largest page the 2010 API and the v1/v2 APIs allow (`PageSize` maximum 1000).
const LIST_PAGE_SIZE: &str = "1000";
/// Stops a provider that keeps answering with a next page (or a loop of pages).
const MAX_PAGES: usize = 1000;

pub const DEFAULT_API_BASE: &str = "https://api.twilio.com";
pub const DEFAULT_MESSAGING_BASE: &str = "https://messaging.twilio.com";
pub const DEFAULT_CONTENT_BASE: &str = "https://content.twilio.com";

/// The number of Twilio's WhatsApp Sandbox, shared by every Twilio account for testing before a
/// WhatsApp sender is approved (twilio.com/docs/whatsapp/sandbox). It is not one of the
/// account's own numbers or senders: only numbers that joined the account's sandbox (by sending
/// "join <code>" to it) receive from it, and for 72 hours (Twilio error 63015 otherwise).
pub const WHATSAPP_SANDBOX_NUMBER: &str = "+14155238886";

/// The three Twilio hosts, settable apart (regions, Prism, the sandbox).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TwilioEndpoints {
    /// The 2010 API: accounts, numbers, messages.
    pub api: BaseUrl,
    /// Messaging v1 (services) and v2 (WhatsApp senders).
    pub messaging: BaseUrl,
    /// Content API (templates).
    pub content: BaseUrl,
}

impl TwilioEndpoints {
    /// One base for all three APIs (the sandbox serves them under one prefix).
    pub fn all(base: BaseUrl) -> Self {
        Self {
            api: base.clone(),
            messaging: base.clone(),
            content: base,
        }
    }
}

impl Default for TwilioEndpoints {
    fn default() -> Self {
        Self {
            api: BaseUrl::builtin(DEFAULT_API_BASE),
            messaging: BaseUrl::builtin(DEFAULT_MESSAGING_BASE),
            content: BaseUrl::builtin(DEFAULT_CONTENT_BASE),
        }
    }
}

/// How the client proves itself: the account's Auth Token, or an API key (`SK…`) and its secret,
/// used with the Account SID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TwilioAuth {
    AuthToken(Secret),
    ApiKey { key_sid: String, key_secret: Secret },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TwilioCredentials {
    pub account_sid: String,
    pub auth: TwilioAuth,
}

impl TwilioCredentials {
    pub fn with_auth_token(account_sid: impl Into<String>, auth_token: Secret) -> Self {
        Self {
            account_sid: account_sid.into(),
            auth: TwilioAuth::AuthToken(auth_token),
        }
    }

    pub fn with_api_key(
        account_sid: impl Into<String>,
        key_sid: impl Into<String>,
        key_secret: Secret,
    ) -> Self {
        Self {
            account_sid: account_sid.into(),
            auth: TwilioAuth::ApiKey {
                key_sid: key_sid.into(),
                key_secret,
            },
        }
    }
}

/// True for `<prefix>` followed by 32 hex digits — the shape of every Twilio SID.
pub(crate) fn is_sid(value: &str, prefix: &str) -> bool {
    value.len() == 34
        && value.starts_with(prefix)
        && value[prefix.len()..].bytes().all(|b| b.is_ascii_hexdigit())
}

#[derive(Debug, Clone)]
pub struct TwilioClient {
    account_sid: String,
    uses_api_key: bool,
    endpoints: TwilioEndpoints,
    http: HttpExecutor,
}

impl TwilioClient {
    pub fn new(
        credentials: TwilioCredentials,
        endpoints: TwilioEndpoints,
        options: &HttpOptions,
    ) -> Result<Self, ProviderError> {
        let invalid = |message: &str| ProviderError::InvalidConfig {
            provider: PROVIDER,
            message: message.to_owned(),
        };
        let account_sid = credentials.account_sid.trim().to_owned();
        if !is_sid(&account_sid, "AC") {
            return Err(invalid(
                "the Account SID must be AC followed by 32 hexadecimal characters",
            ));
        }
        let (auth, uses_api_key) = match credentials.auth {
            TwilioAuth::AuthToken(token) => {
                if token.is_empty() {
                    return Err(invalid("the Auth Token is empty"));
                }
                let auth = Auth::Basic {
                    username: account_sid.clone(),
                    password: token,
                };
                (auth, false)
            }
            TwilioAuth::ApiKey {
                key_sid,
                key_secret,
            } => {
                let key_sid = key_sid.trim().to_owned();
                if !is_sid(&key_sid, "SK") {
                    return Err(invalid(
                        "the API key SID must be SK followed by 32 hexadecimal characters",
                    ));
                }
                if key_secret.is_empty() {
                    return Err(invalid("the API key secret is empty"));
                }
                let auth = Auth::Basic {
                    username: key_sid,
                    password: key_secret,
                };
                (auth, true)
            }
        };
        Ok(Self {
            account_sid,
            uses_api_key,
            endpoints,
            http: HttpExecutor::new(&errors::DIALECT, auth, options)?,
        })
    }

    pub fn account_sid(&self) -> &str {
        &self.account_sid
    }

    pub fn endpoints(&self) -> &TwilioEndpoints {
        &self.endpoints
    }

    /// `…/2010-04-01/Accounts/{AccountSid}/<tail>` on the API host.
    fn account_url(&self, tail: &[&str]) -> Url {
        let mut segments = vec![API_VERSION, "Accounts", self.account_sid.as_str()];
        segments.extend_from_slice(tail);
        self.endpoints.api.join(&segments)
    }

    /// FetchAccount — `GET /2010-04-01/Accounts/{Sid}.json`.
    pub async fn fetch_account(&self) -> Result<Account, ProviderError> {
        let url = self.endpoints.api.join(&[
            API_VERSION,
            "Accounts",
            &format!("{}.json", self.account_sid),
        ]);
        self.http
            .json(
                &ApiCall::get(url, "GET /2010-04-01/Accounts/{Sid}.json")
                    .in_context(CallContext::CredentialCheck),
            )
            .await
    }

    /// With an Auth Token: FetchAccount, and a suspended or closed account is an error. With an
    /// API key — which may be restricted and unable to read the Account resource —
    /// ListIncomingPhoneNumber with `PageSize=1`.
    pub async fn check_credentials(&self) -> Result<AccountCheck, ProviderError> {
        if self.uses_api_key {
            let mut url = self.account_url(&["IncomingPhoneNumbers.json"]);
            url.query_pairs_mut().append_pair("PageSize", "1");
            let operation =
                "GET /2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json?PageSize=1";
            let call = ApiCall::get(url, operation).in_context(CallContext::CredentialCheck);
            let _: IncomingPhoneNumberPage = self.http.json(&call).await?;
            return Ok(api_key_check(operation));
        }
        let account = self.fetch_account().await?;
        account_check(account, "GET /2010-04-01/Accounts/{Sid}.json")
    }

    /// ListIncomingPhoneNumber, all pages, collected ([`Self::each_incoming_phone_number_page`]:
    /// one request path for both).
    pub async fn list_incoming_phone_numbers(
        &self,
    ) -> Result<Vec<IncomingPhoneNumber>, ProviderError> {
        let mut numbers = Vec::new();
        self.each_incoming_phone_number_page(|page| numbers.extend(page))
            .await?;
        Ok(numbers)
    }

    /// ListIncomingPhoneNumber, all pages, each handed to `on_page` as it comes in (while the
    /// next one is fetched).
    pub async fn each_incoming_phone_number_page(
        &self,
        on_page: impl FnMut(Vec<IncomingPhoneNumber>) + Send,
    ) -> Result<(), ProviderError> {
        let mut url = self.account_url(&["IncomingPhoneNumbers.json"]);
        url.query_pairs_mut()
            .append_pair("PageSize", LIST_PAGE_SIZE);
        self.each_page::<IncomingPhoneNumberPage>(
            &self.endpoints.api,
            url,
            "GET /2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json",
            on_page,
        )
        .await
    }

    /// FetchIncomingPhoneNumber.
    pub async fn fetch_incoming_phone_number(
        &self,
        number_sid: &str,
    ) -> Result<IncomingPhoneNumber, ProviderError> {
        let url = self.account_url(&["IncomingPhoneNumbers", &format!("{number_sid}.json")]);
        let operation = "GET /2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json";
        self.http.json(&ApiCall::get(url, operation)).await
    }

    /// UpdateIncomingPhoneNumber with only `SmsUrl` and `SmsMethod`; returns the number as
    /// Twilio now has it (read back `sms_url` to verify).
    pub async fn set_sms_webhook(
        &self,
        number_sid: &str,
        webhook: &SmsWebhook,
    ) -> Result<IncomingPhoneNumber, ProviderError> {
        let url = self.account_url(&["IncomingPhoneNumbers", &format!("{number_sid}.json")]);
        let call = ApiCall::write(
            Method::POST,
            url,
            Some(RequestBody::form(&sms_webhook_form(webhook))),
            RequestClass::IdempotentWrite,
            "POST /2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json",
        );
        self.http.json(&call).await
    }

    /// ListService (Messaging v1), all pages.
    pub async fn list_messaging_services(&self) -> Result<Vec<MessagingService>, ProviderError> {
        let mut url = self.endpoints.messaging.join(&["v1", "Services"]);
        url.query_pairs_mut()
            .append_pair("PageSize", LIST_PAGE_SIZE);
        self.collect_pages::<MessagingServicePage>(
            &self.endpoints.messaging,
            url,
            "GET /v1/Services",
            None,
        )
        .await
    }

    /// FetchService (Messaging v1).
    pub async fn fetch_messaging_service(
        &self,
        service_sid: &str,
    ) -> Result<MessagingService, ProviderError> {
        let url = self
            .endpoints
            .messaging
            .join(&["v1", "Services", service_sid]);
        self.http
            .json(&ApiCall::get(url, "GET /v1/Services/{Sid}"))
            .await
    }

    /// ListPhoneNumber (Messaging v1): the numbers in a service's sender pool, all pages. A
    /// number in a service may have its inbound webhook overridden by the service.
    pub async fn list_messaging_service_phone_numbers(
        &self,
        service_sid: &str,
    ) -> Result<Vec<ServicePhoneNumber>, ProviderError> {
        let mut url =
            self.endpoints
                .messaging
                .join(&["v1", "Services", service_sid, "PhoneNumbers"]);
        url.query_pairs_mut()
            .append_pair("PageSize", LIST_PAGE_SIZE);
        self.collect_pages::<ServicePhoneNumberPage>(
            &self.endpoints.messaging,
            url,
            "GET /v1/Services/{ServiceSid}/PhoneNumbers",
            None,
        )
        .await
    }

    /// ListChannelsSender with `Channel=whatsapp` (Messaging v2), all pages.
    pub async fn list_whatsapp_senders(&self) -> Result<Vec<Sender>, ProviderError> {
        let mut url = self
            .endpoints
            .messaging
            .join(&["v2", "Channels", "Senders"]);
        url.query_pairs_mut()
            .append_pair("Channel", "whatsapp")
            .append_pair("PageSize", LIST_PAGE_SIZE);
        self.collect_pages::<SenderPage>(
            &self.endpoints.messaging,
            url,
            "GET /v2/Channels/Senders",
            None,
        )
        .await
    }

    fn sender_url(&self, sender_sid: &str) -> Url {
        self.endpoints
            .messaging
            .join(&["v2", "Channels", "Senders", sender_sid])
    }

    /// FetchChannelsSender.
    pub async fn fetch_sender(&self, sender_sid: &str) -> Result<Sender, ProviderError> {
        let call = ApiCall::get(
            self.sender_url(sender_sid),
            "GET /v2/Channels/Senders/{Sid}",
        );
        self.http.json(&call).await
    }

    /// CreateChannelsSender (JSON). Not idempotent: never retried once it may have arrived.
    pub async fn create_sender(&self, sender: &SenderCreate) -> Result<Sender, ProviderError> {
        let url = self
            .endpoints
            .messaging
            .join(&["v2", "Channels", "Senders"]);
        let call = ApiCall::write(
            Method::POST,
            url,
            Some(json_body(sender)?),
            RequestClass::Send,
            "POST /v2/Channels/Senders",
        );
        self.http.json(&call).await
    }

    /// UpdateChannelsSender (POST, JSON) with only the parts set in `update`.
    pub async fn update_sender(
        &self,
        sender_sid: &str,
        update: &SenderUpdate,
    ) -> Result<Sender, ProviderError> {
        if update.is_empty() {
            return Err(ProviderError::InvalidRequest {
                provider: PROVIDER,
                kind: FailureKind::InvalidMessage,
                message: "a sender update must change at least one part".into(),
            });
        }
        let call = ApiCall::write(
            Method::POST,
            self.sender_url(sender_sid),
            Some(json_body(update)?),
            RequestClass::IdempotentWrite,
            "POST /v2/Channels/Senders/{Sid}",
        );
        self.http.json(&call).await
    }

    /// Sets only the sender's `webhook` object; returns the sender as Twilio now has it.
    pub async fn set_sender_webhook(
        &self,
        sender_sid: &str,
        webhook: SenderWebhookInput,
    ) -> Result<Sender, ProviderError> {
        self.update_sender(sender_sid, &SenderUpdate::webhook(webhook))
            .await
    }

    /// UpdateChannelsSender with only `configuration.verification_code`: submits the one-time
    /// code WhatsApp sent to the number. A code is used up once taken, so like a send this is
    /// never repeated once it may have arrived (a timeout or 5xx gives
    /// [`ProviderError::UnknownOutcome`]; read the sender to learn what happened).
    pub async fn verify_sender(
        &self,
        sender_sid: &str,
        verification_code: &str,
    ) -> Result<Sender, ProviderError> {
        let update = SenderUpdate {
            configuration: Some(SenderConfigurationInput {
                verification_code: Some(verification_code.to_owned()),
                ..SenderConfigurationInput::default()
            }),
            ..SenderUpdate::default()
        };
        let call = ApiCall::write(
            Method::POST,
            self.sender_url(sender_sid),
            Some(json_body(&update)?),
            RequestClass::Send,
            "POST /v2/Channels/Senders/{Sid}",
        );
        self.http.json(&call).await
    }

    /// DeleteChannelsSender.
    pub async fn delete_sender(&self, sender_sid: &str) -> Result<(), ProviderError> {
        let call = ApiCall::write(
            Method::DELETE,
            self.sender_url(sender_sid),
            None,
            RequestClass::IdempotentWrite,
            "DELETE /v2/Channels/Senders/{Sid}",
        );
        self.http.execute(&call).await.map(|_| ())
    }

    /// CreateMessage. Never retried once it may have reached Twilio: a timeout or 5xx then gives
    /// [`ProviderError::UnknownOutcome`].
    pub async fn send_message(&self, message: &OutgoingMessage) -> Result<Message, ProviderError> {
        let form =
            message_form(message).map_err(|(kind, message)| ProviderError::InvalidRequest {
                provider: PROVIDER,
                kind,
                message,
            })?;
        let call = ApiCall::write(
            Method::POST,
            self.account_url(&["Messages.json"]),
            Some(RequestBody::form(&form)),
            RequestClass::Send,
            "POST /2010-04-01/Accounts/{AccountSid}/Messages.json",
        );
        self.http.json(&call).await
    }

    /// FetchMessage.
    pub async fn fetch_message(&self, message_sid: &str) -> Result<Message, ProviderError> {
        let url = self.account_url(&["Messages", &format!("{message_sid}.json")]);
        let operation = "GET /2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json";
        let call = ApiCall::get(url, operation).in_context(CallContext::StatusQuery);
        self.http.json(&call).await
    }

    /// ListMessage with filters, newest first, following pages until `limit` messages.
    pub async fn list_messages(
        &self,
        filter: &MessageFilter,
        limit: usize,
    ) -> Result<Vec<Message>, ProviderError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let mut url = self.account_url(&["Messages.json"]);
        {
            let mut query = url.query_pairs_mut();
            for (key, value) in filter.query_pairs() {
                query.append_pair(key, value);
            }
            query.append_pair("PageSize", &limit.clamp(1, 1000).to_string());
        }
        self.collect_pages::<MessagePage>(
            &self.endpoints.api,
            url,
            "GET /2010-04-01/Accounts/{AccountSid}/Messages.json",
            Some(limit),
        )
        .await
    }

    /// ListContent (Content v1), all pages.
    pub async fn list_content(&self) -> Result<Vec<ContentTemplate>, ProviderError> {
        let mut url = self.endpoints.content.join(&["v1", "Content"]);
        url.query_pairs_mut()
            .append_pair("PageSize", LIST_PAGE_SIZE);
        self.collect_pages::<ContentPage>(&self.endpoints.content, url, "GET /v1/Content", None)
            .await
    }

    /// ListContentAndApprovals (Content v1), all pages: templates with their WhatsApp approval.
    pub async fn list_content_and_approvals(
        &self,
    ) -> Result<Vec<ContentWithApprovals>, ProviderError> {
        let mut url = self.endpoints.content.join(&["v1", "ContentAndApprovals"]);
        url.query_pairs_mut()
            .append_pair("PageSize", LIST_PAGE_SIZE);
        self.collect_pages::<ContentAndApprovalsPage>(
            &self.endpoints.content,
            url,
            "GET /v1/ContentAndApprovals",
            None,
        )
        .await
    }

    /// Follows next-page links (relative `next_page_uri` or absolute `meta.next_page_url`,
    /// resolved by [`BaseUrl::resolve_link`]) until there is none or `limit` items are in.
    async fn collect_pages<P>(
        &self,
        base: &BaseUrl,
        first: Url,
        operation: &'static str,
        limit: Option<usize>,
    ) -> Result<Vec<P::Item>, ProviderError>
    where
        P: types::Paginated + DeserializeOwned + Send + 'static,
        P::Item: Send + 'static,
    {
        let Some(limit) = limit else {
            let mut items = Vec::new();
            self.each_page::<P>(base, first, operation, |page| items.extend(page))
                .await?;
            return Ok(items);
        };
        let mut items = Vec::new();
        let mut seen = HashSet::new();
        let mut next = Some(first);
        while let Some(url) = next.take() {
            let (call, response) = self.fetch_page(&mut seen, url, operation).await?;
            // Pages counted as they come: decode each before going on.
            let page: P = self.http.decode(&call, &response)?;
            let (page_items, link) = page.into_parts();
            items.extend(page_items);
            if items.len() >= limit {
                break;
            }
            next = resolve_next(base, link, operation)?;
        }
        items.truncate(limit);
        Ok(items)
    }

    /// One page of a list (refused when seen before, or one too many).
    async fn fetch_page(
        &self,
        seen: &mut HashSet<String>,
        url: Url,
        operation: &'static str,
    ) -> Result<(ApiCall, RawResponse), ProviderError> {
        check_page(seen, &url, operation)?;
        let call = ApiCall::get(url, operation);
        let response = self.http.execute(&call).await?;
        Ok((call, response))
    }

    /// Every page, handed to `on_page` in order as soon as it is decoded. A page is decoded on
    /// a blocking thread while the next one is fetched: only its link is read (from the page's
    /// end) before asking for the next page, so decoding a page and the caller's work on it
    /// overlap the next round trip, and after the last page only its own work is left.
    async fn each_page<P>(
        &self,
        base: &BaseUrl,
        first: Url,
        operation: &'static str,
        mut on_page: impl FnMut(Vec<P::Item>) + Send,
    ) -> Result<(), ProviderError>
    where
        P: types::Paginated + DeserializeOwned + Send + 'static,
        P::Item: Send + 'static,
    {
        type Decoding<P> = tokio::task::JoinHandle<Result<P, ProviderError>>;
        let (decoding, mut decoded) = tokio::sync::mpsc::unbounded_channel::<Decoding<P>>();
        let fetching = async move {
            let mut seen = HashSet::new();
            let mut next = Some(first);
            while let Some(url) = next.take() {
                let (call, response) = self.fetch_page(&mut seen, url, operation).await?;
                let link = self
                    .http
                    .decode_with(&call, &response, types::PageLink::from_body)?;
                let http = self.http.clone();
                // The receiver is gone only when an earlier page failed: so does the list.
                let _ = decoding.send(tokio::task::spawn_blocking(move || {
                    http.decode(&call, &response)
                }));
                next = resolve_next(base, link.into_next(), operation)?;
            }
            Ok::<(), ProviderError>(())
        };
        let handing = async {
            while let Some(page) = decoded.recv().await {
                on_page(joined_page(page).await?.into_parts().0);
            }
            Ok::<(), ProviderError>(())
        };
        tokio::try_join!(fetching, handing)?;
        Ok(())
    }
}

/// Refuses a page seen before or one too many (a provider that never stops paging).
fn check_page(
    seen: &mut HashSet<String>,
    url: &Url,
    operation: &'static str,
) -> Result<(), ProviderError> {
    if seen.len() >= MAX_PAGES || !seen.insert(url.to_string()) {
        return Err(ProviderError::Decode {
            provider: PROVIDER,
            message: format!("{operation}: the pages never end (page {})", seen.len()),
        });
    }
    Ok(())
}

/// The next page's URL from a page's link, if it has one.
fn resolve_next(
    base: &BaseUrl,
    link: Option<String>,
    operation: &'static str,
) -> Result<Option<Url>, ProviderError> {
    link.map(|link| {
        base.resolve_link(&link)
            .map_err(|error| ProviderError::Decode {
                provider: PROVIDER,
                message: format!("{operation}: the next-page link is invalid ({error})"),
            })
    })
    .transpose()
}

/// The decoded page from its blocking thread.
async fn joined_page<P>(
    handle: tokio::task::JoinHandle<Result<P, ProviderError>>,
) -> Result<P, ProviderError> {
    handle.await.map_err(|error| ProviderError::Decode {
        provider: PROVIDER,
        message: format!("decoding a page stopped unexpectedly: {error}"),
    })?
}

impl ProviderClient for TwilioClient {
    fn provider(&self) -> Provider {
        PROVIDER
    }

    async fn check_credentials(&self) -> Result<AccountCheck, ProviderError> {
        TwilioClient::check_credentials(self).await
    }
}

fn json_body<T: serde::Serialize>(value: &T) -> Result<RequestBody, ProviderError> {
    serde_json::to_vec(value)
        .map(RequestBody::Json)
        .map_err(|error| ProviderError::InvalidRequest {
            provider: PROVIDER,
            kind: FailureKind::InvalidMessage,
            message: format!("the request could not be encoded: {error}"),
        })
}

pub(crate) const TRIAL_WARNING: &str = "This is a Twilio trial account: it can only send to \
    phone numbers verified in the Twilio console, and messages start with a trial notice.";
pub(crate) const API_KEY_WARNING: &str = "Signed in with an API key, which may not read the \
    account itself: whether it is a trial account and whether it is active were not checked.";

/// The result of FetchAccount as a credential check: an inactive account is an error.
pub(crate) fn account_check(
    account: Account,
    checked_with: &str,
) -> Result<AccountCheck, ProviderError> {
    if let Some(status @ (AccountStatus::Suspended | AccountStatus::Closed)) = &account.status {
        return Err(ProviderError::AccountInactive {
            provider: PROVIDER,
            status: status.to_string(),
        });
    }
    let account_type = match account.account_type.as_deref() {
        Some("Trial") => AccountType::Trial,
        Some("Full") => AccountType::Full,
        _ => AccountType::Unknown,
    };
    let mut warnings = Vec::new();
    if account_type == AccountType::Trial {
        warnings.push(TRIAL_WARNING.to_owned());
    }
    if let Some(AccountStatus::Other(status)) = &account.status {
        warnings.push(format!(
            "Twilio reports an unfamiliar account status: {status}."
        ));
    }
    Ok(AccountCheck {
        provider: PROVIDER,
        account_name: account.friendly_name,
        account_type: Some(account_type),
        status: account.status.map(|status| status.to_string()),
        checked_with: checked_with.to_owned(),
        warnings,
    })
}

fn api_key_check(checked_with: &str) -> AccountCheck {
    AccountCheck {
        provider: PROVIDER,
        account_name: None,
        account_type: None,
        status: None,
        checked_with: checked_with.to_owned(),
        warnings: vec![API_KEY_WARNING.to_owned()],
    }
}

#[cfg(test)]
mod tests;
