//! `GET /2010-04-01/Accounts/{Sid}.json`, and the account record that owns every other resource.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::Uri;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::content::ContentTemplate;
use super::messages::Message;
use super::numbers::IncomingNumber;
use super::senders::Sender;
use super::services::MessagingService;
use super::whatsapp_sandbox::{self, WhatsappSandbox};
use super::{TwilioAuth, TwilioError, TwilioResult, strip_json};
use crate::clock::{self, Timestamp};
use crate::state::Sandbox;

/// `account_enum_status` in the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AccountStatus {
    Active,
    Suspended,
    Closed,
}

/// `account_enum_type` in the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccountType {
    Trial,
    Full,
}

#[derive(Debug, Clone)]
pub struct ApiKey {
    pub sid: String,
    pub secret: String,
}

#[derive(Debug, Clone)]
pub struct TwilioAccount {
    pub sid: String,
    pub auth_token: String,
    pub friendly_name: String,
    pub status: AccountStatus,
    pub account_type: AccountType,
    pub date_created: Timestamp,
    pub api_keys: Vec<ApiKey>,
    pub numbers: Vec<IncomingNumber>,
    pub senders: Vec<Sender>,
    pub services: Vec<MessagingService>,
    pub contents: Vec<ContentTemplate>,
    /// Newest first, as Twilio lists them.
    pub messages: Vec<Message>,
    /// Twilio's WhatsApp Sandbox as this account has it: its join code and who joined.
    pub whatsapp_sandbox: WhatsappSandbox,
}

impl TwilioAccount {
    pub fn new(
        sid: String,
        auth_token: String,
        friendly_name: &str,
        status: AccountStatus,
        account_type: AccountType,
    ) -> Self {
        Self {
            auth_token,
            friendly_name: friendly_name.to_string(),
            status,
            account_type,
            date_created: clock::now(),
            api_keys: Vec::new(),
            numbers: Vec::new(),
            senders: Vec::new(),
            services: Vec::new(),
            contents: Vec::new(),
            messages: Vec::new(),
            whatsapp_sandbox: WhatsappSandbox::new(whatsapp_sandbox::keyword(&sid, 0)),
            sid,
        }
    }

    /// The WhatsApp Sandbox's number and this account's join code, for credentials.
    pub fn whatsapp_sandbox_info(&self) -> crate::WhatsappSandboxInfo {
        crate::WhatsappSandboxInfo {
            number: whatsapp_sandbox::SENDER.to_string(),
            join_code: self.whatsapp_sandbox.join_code(),
        }
    }

    pub fn uri(&self) -> String {
        format!("/2010-04-01/Accounts/{}", self.sid)
    }

    fn render(&self) -> Value {
        let base = self.uri();
        let subresource = |name: &str| format!("{base}/{name}.json");
        let date = clock::rfc2822(&self.date_created);
        json!({
            "auth_token": self.auth_token,
            "date_created": date,
            "date_updated": date,
            "friendly_name": self.friendly_name,
            "owner_account_sid": self.sid,
            "sid": self.sid,
            "status": self.status,
            "subresource_uris": {
                "available_phone_numbers": subresource("AvailablePhoneNumbers"),
                "calls": subresource("Calls"),
                "conferences": subresource("Conferences"),
                "incoming_phone_numbers": subresource("IncomingPhoneNumbers"),
                "notifications": subresource("Notifications"),
                "outgoing_caller_ids": subresource("OutgoingCallerIds"),
                "recordings": subresource("Recordings"),
                "transcriptions": subresource("Transcriptions"),
                "addresses": subresource("Addresses"),
                "signing_keys": subresource("SigningKeys"),
                "connect_apps": subresource("ConnectApps"),
                "sip": subresource("SIP"),
                "authorized_connect_apps": subresource("AuthorizedConnectApps"),
                "usage": subresource("Usage"),
                "keys": subresource("Keys"),
                "applications": subresource("Applications"),
                "short_codes": subresource("SMS/ShortCodes"),
                "queues": subresource("Queues"),
                "messages": subresource("Messages"),
                "balance": subresource("Balance"),
            },
            "type": self.account_type,
            "uri": format!("{base}.json"),
        })
    }
}

/// `GET /2010-04-01/Accounts/{Sid}.json`. Answers for suspended and closed accounts too (with
/// their status), so a credential check can tell "wrong token" from "account suspended".
pub async fn fetch(
    State(sandbox): State<Arc<Sandbox>>,
    auth: TwilioAuth,
    Path(account_file): Path<String>,
    uri: Uri,
) -> TwilioResult<Json<Value>> {
    let sid = strip_json(&account_file, uri.path())?;
    auth.require_account(&sid)?;
    let world = sandbox.world();
    let account = world
        .twilio
        .get(&sid)
        .ok_or_else(|| TwilioError::not_found(uri.path()))?;
    Ok(Json(account.render()))
}
