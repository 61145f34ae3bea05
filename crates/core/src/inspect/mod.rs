//! The webhook inspector: explains a request a provider posted (or is said to have posted) to a
//! connector's inbound URL `/inbound/{connector}/{token}`: whose it is, whether its token and
//! signature are genuine, over which URL variant the provider signed it, and why not, in plain
//! words. Works on a request pasted from the hotel's own server; the listener (`listener`) feeds
//! it what it receives. Reports hold no secret: tokens in URLs are redacted, bodies not echoed.

mod analyze;
mod capture;
mod listener;
mod variants;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use capture::{CaptureError, parse_captured};
pub use listener::{
    EMPTY_TWIML, InspectedRequest, InspectorListener, KEPT_REQUESTS, ListenOptions, ListenerCounts,
    ListenerStatus, RequestSink,
};
pub use variants::{PortChange, UrlSource};

use crate::error::CoreError;
use crate::model::ProviderKind;
use crate::service::Switchboard;

/// A request as a server received it. `headers` names are matched case-insensitively.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", default)]
pub struct CapturedRequest {
    /// `POST` when empty.
    pub method: String,
    /// The full URL as the server saw it (scheme, host, port, path, query).
    pub url: String,
    pub headers: BTreeMap<String, String>,
    /// The raw body (form-encoded or JSON).
    pub body: String,
}

/// Whether the request is genuine.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Valid,
    #[default]
    Invalid,
    /// Switchboard lacks what it needs to check (the secret or the public key).
    CannotVerify,
}

/// What the request is about.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum WebhookKind {
    InboundMessage,
    StatusCallback,
    #[default]
    Unknown,
}

/// The stable name of a finding (the UI and tests branch on it; `message` says it in words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    /// The URL has no `/inbound/{connector}/{token}`.
    NotInboundPath,
    UnknownConnector,
    NotAWebhookConnector,
    /// The URL's token is not the connector's current one.
    TokenMismatch,
    MissingSignature,
    NoSecret,
    /// Genuine, but signed over another URL than the one the server saw (a proxy).
    SignedAnotherUrl,
    /// No variant matched and the request's URL is not the public one.
    UrlChanged,
    /// No variant matched; the connector's secret is an API key secret, not the Auth Token.
    ApiKeySecret,
    /// No variant matched: the body changed on the way, or the secret is not the signing one.
    TokenOrBody,
    /// The URL's signature matched but the JSON body's SHA-256 differs.
    BodyChanged,
    NoBodyHash,
    NoPublicKey,
    BadPublicKey,
    /// Telnyx: the timestamp is more than 5 minutes from now.
    OldTimestamp,
    /// 46elks: nothing to verify but the token.
    Unsigned,
    /// The number the request is for is not among the connector's numbers.
    UnknownNumber,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Reason {
    pub code: ReasonCode,
    pub message: String,
}

/// The URL variant the provider's signature matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SignedVariant {
    pub source: UrlSource,
    pub port: PortChange,
    /// A JSON body, covered through the URL's `bodySHA256`.
    pub body_sha256: bool,
    /// The signed URL, its token redacted.
    pub url: String,
}

/// What the inspector found. No secret: URLs have their token redacted, the body is not echoed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct InspectReport {
    pub verdict: Verdict,
    pub valid: bool,
    pub kind: WebhookKind,
    pub provider: Option<ProviderKind>,
    pub connector_id: Option<String>,
    pub connector_name: Option<String>,
    /// Whether the URL's token is the connector's current one (`None`: no connector found).
    pub token_matches: Option<bool>,
    pub signed_variant: Option<SignedVariant>,
    pub received_url: String,
    /// The public inbound URL set at the provider, when the organization has a base URL.
    pub public_url: Option<String>,
    /// Why it is not valid, or what to know although it is, most important first.
    pub reasons: Vec<Reason>,
    /// The connector's number the request is about (inbound: `To`; status: `From`), E.164.
    pub number: Option<String>,
    /// Whether `number` is one of the connector's numbers or senders.
    pub number_known: bool,
    /// The other party (inbound: the sender; status: the recipient).
    pub other_party: Option<String>,
    /// The provider's message id (`SM…`, Telnyx's UUID, 46elks' id).
    pub message_id: Option<String>,
    /// The send attempt this status callback is about, when Switchboard sent it.
    pub attempt_id: Option<String>,
    /// The status a status callback reports.
    pub status: Option<String>,
    pub error_code: Option<String>,
}

impl CapturedRequest {
    fn method_or_post(mut self) -> Self {
        if self.method.trim().is_empty() {
            self.method = "POST".to_owned();
        }
        self
    }
}

impl Switchboard {
    /// Explains a webhook request: the connector its URL names, its token, its signature over
    /// every URL variant, and the number and attempt it is about.
    pub fn inspector_explain(&self, request: &CapturedRequest) -> Result<InspectReport, CoreError> {
        let request = request.clone().method_or_post();
        let Some((connector_id, _)) = analyze::inbound_path(&request.url) else {
            return Ok(analyze::unattributed(
                &request,
                ReasonCode::NotInboundPath,
                "The URL has no /inbound/{connector}/{token} path: it is not a Switchboard \
                 inbound URL. Paste the full URL the request arrived at."
                    .to_owned(),
            ));
        };
        let Some(connector) = self.store().connector(&connector_id)? else {
            return Ok(analyze::unattributed(
                &request,
                ReasonCode::UnknownConnector,
                format!(
                    "No connector has the id {connector_id}: the URL belongs to a connector \
                     that was removed, or to another Switchboard installation."
                ),
            ));
        };
        let token = self.store().webhook_token(&connector.id)?;
        let secret = match connector.provider() {
            ProviderKind::Twilio => self.connector_secret(&connector.id)?,
            _ => None,
        };
        let public_url = self.expected_url(&connector)?;
        let target = analyze::Target {
            connector: &connector,
            webhook_token: &token,
            secret: secret.as_ref().map(|s| s.expose().as_str()),
            public_url: public_url.as_deref(),
            now: chrono::Utc::now().timestamp(),
        };
        let mut report = analyze::analyze(&request, &target);
        self.tie(&mut report)?;
        Ok(report)
    }

    /// Ties the report to the connector's number and to the attempt its message id names.
    fn tie(&self, report: &mut InspectReport) -> Result<(), CoreError> {
        let Some(connector_id) = report.connector_id.clone() else {
            return Ok(());
        };
        if let Some(number) = &report.number {
            let wanted = crate::numbers::normalize_e164(number);
            report.number_known = self
                .store()
                .numbers(&connector_id)?
                .iter()
                .any(|n| crate::numbers::normalize_e164(&n.e164) == wanted);
            if !report.number_known {
                report.reasons.push(Reason {
                    code: ReasonCode::UnknownNumber,
                    message: format!(
                        "{number} is not among this connector's numbers (refresh the Numbers \
                         tab if it was added lately)."
                    ),
                });
            }
        }
        if let Some(message_id) = &report.message_id {
            report.attempt_id = self
                .store()
                .attempt_id_by_provider_id(&connector_id, message_id)?;
        }
        Ok(())
    }
}
