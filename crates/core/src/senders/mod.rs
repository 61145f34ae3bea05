//! WhatsApp senders managed end to end (Twilio Senders API v2, seed 004): list and show them
//! with every status, rating, limit and offline reason in plain words; register one, submit its
//! verification code, follow its status until it settles, update its profile, remove it. Each
//! change is audited and the connector's numbers list is brought in step afterwards.

mod draft;
mod words;

use std::time::Duration;

use serde::{Deserialize, Serialize};
use switchboard_providers::twilio::{Sender, TwilioClient};
use switchboard_providers::{AnyProviderClient, FailureKind};

pub use draft::{
    SenderDraft, SenderProfileDraft, SenderUpdateDraft, SenderVerificationMethod,
    SenderWebhookDraft, VERTICALS,
};
pub use words::{Explained, OfflineReason, REMOVAL_WARNING};

use crate::adapter::client_for;
use crate::error::CoreError;
use crate::model::{Connector, ConnectorKind, ProviderKind};
use crate::service::Switchboard;

/// A WhatsApp sender as the app and the CLI show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SenderView {
    pub connector_id: String,
    /// `XE…`.
    pub sid: String,
    pub e164: String,
    /// The Senders API status, e.g. `PENDING_VERIFICATION`.
    pub status: String,
    pub status_words: Explained,
    /// The status will not move on by itself (it may still need something from the user).
    pub settled: bool,
    /// Waiting for the verification code: `senders verify` / Verify applies.
    pub awaiting_code: bool,
    pub quality_rating: Option<String>,
    pub quality_words: Option<Explained>,
    pub messaging_limit: Option<String>,
    pub limit_words: Option<Explained>,
    pub offline_reasons: Vec<OfflineReason>,
    pub waba_id: Option<String>,
    pub verification_method: Option<String>,
    pub profile: SenderProfileView,
    pub webhook: SenderWebhookView,
    /// What to know before removing it (seed 004: two-step verification).
    pub removal_warning: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SenderProfileView {
    pub name: Option<String>,
    pub about: Option<String>,
    pub address: Option<String>,
    pub description: Option<String>,
    pub emails: Vec<String>,
    pub logo_url: Option<String>,
    pub vertical: Option<String>,
    pub websites: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SenderWebhookView {
    pub callback_url: Option<String>,
    pub callback_method: Option<String>,
    pub fallback_url: Option<String>,
    pub fallback_method: Option<String>,
    pub status_callback_url: Option<String>,
    pub status_callback_method: Option<String>,
}

/// A removed sender, with what to do before its number can be registered again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RemovedSender {
    pub connector_id: String,
    pub sid: String,
    pub e164: String,
    pub warning: String,
}

/// Receives every status a followed sender passes through (the first one too).
pub type SenderSink<'a> = &'a (dyn Fn(&SenderView) + Send + Sync);

/// How long following a sender polls before giving up (the sender is then shown unsettled).
pub const FOLLOW_TIMEOUT: Duration = Duration::from_secs(180);
const FOLLOW_FIRST_DELAY: Duration = Duration::from_millis(250);
const FOLLOW_MAX_DELAY: Duration = Duration::from_secs(5);

fn list_of(value: Option<&serde_json::Value>, key: &str) -> Vec<String> {
    value
        .and_then(serde_json::Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item.get(key)?.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn view(connector_id: &str, sender: &Sender) -> SenderView {
    let status = sender
        .status
        .as_ref()
        .map_or_else(|| "UNKNOWN".to_owned(), |s| s.as_str().to_owned());
    let properties = sender.properties.clone().unwrap_or_default();
    let configuration = sender.configuration.clone().unwrap_or_default();
    let profile = sender.profile.clone().unwrap_or_default();
    let hook = sender.webhook.clone().unwrap_or_default();
    SenderView {
        connector_id: connector_id.to_owned(),
        sid: sender.sid.clone().unwrap_or_default(),
        e164: sender.phone_number().unwrap_or_default().to_owned(),
        status_words: words::status(&status),
        settled: !words::is_transient(&status),
        awaiting_code: status == "PENDING_VERIFICATION",
        quality_words: properties
            .quality_rating
            .as_deref()
            .map(words::quality_rating),
        quality_rating: properties.quality_rating,
        limit_words: properties
            .messaging_limit
            .as_deref()
            .map(words::messaging_limit),
        messaging_limit: properties.messaging_limit,
        offline_reasons: sender
            .offline_reasons
            .iter()
            .map(|r| {
                words::offline_reason(
                    r.code.as_deref(),
                    r.message.as_deref(),
                    r.more_info.as_deref(),
                )
            })
            .collect(),
        status,
        waba_id: configuration.waba_id,
        verification_method: configuration.verification_method,
        profile: SenderProfileView {
            emails: list_of(profile.emails.as_ref(), "email"),
            websites: list_of(profile.websites.as_ref(), "website"),
            name: profile.name,
            about: profile.about,
            address: profile.address,
            description: profile.description,
            logo_url: profile.logo_url,
            vertical: profile.vertical,
        },
        webhook: SenderWebhookView {
            callback_url: hook.callback_url,
            callback_method: hook.callback_method,
            fallback_url: hook.fallback_url,
            fallback_method: hook.fallback_method,
            status_callback_url: hook.status_callback_url,
            status_callback_method: hook.status_callback_method,
        },
        removal_warning: REMOVAL_WARNING.to_owned(),
    }
}

/// One offline reason as a line for the numbers list and the drift report: the code, what it
/// means and what to do.
pub(crate) fn offline_reason_line(code: Option<&str>, message: Option<&str>) -> String {
    let reason = words::offline_reason(code, message, None);
    match code {
        Some(code) => format!("{code}: {} Fix: {}", reason.meaning, reason.fix),
        None => format!("{} Fix: {}", reason.meaning, reason.fix),
    }
}

/// A `XE…` SID as the Senders API writes them.
fn is_sender_sid(value: &str) -> bool {
    value.len() == 34
        && value.starts_with("XE")
        && value[2..].chars().all(|c| c.is_ascii_hexdigit())
}

/// What the audit log keeps of a sender: its status and profile (no codes, no secrets).
fn audit_text(view: &SenderView) -> String {
    serde_json::json!({
        "sid": view.sid,
        "status": view.status,
        "wabaId": view.waba_id,
        "profile": view.profile,
        "webhook": view.webhook,
    })
    .to_string()
}

/// A connector's Twilio client, for a WhatsApp (Twilio) connector only.
struct SenderOps {
    connector: Connector,
    client: TwilioClient,
}

/// A sender's number as typed (`whatsapp:+46 70-123 45 67`) as it is stored (`+46701234567`).
pub(crate) fn bare_number(reference: &str) -> String {
    let reference = reference.trim();
    reference
        .strip_prefix("whatsapp:")
        .unwrap_or(reference)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect()
}

impl SenderOps {
    /// The sender named by its `XE…` SID or its number (with or without `whatsapp:`).
    async fn resolve(&self, reference: &str) -> Result<Sender, CoreError> {
        let reference = reference.trim();
        if is_sender_sid(reference) {
            return Ok(self.client.fetch_sender(reference).await?);
        }
        let e164 = bare_number(reference);
        if !e164.starts_with('+') {
            return Err(CoreError::field(
                "sender",
                format!(
                    "'{reference}' is neither a sender SID (XE…) nor a number in international \
                     format (+…)"
                ),
            ));
        }
        self.client
            .list_whatsapp_senders()
            .await?
            .into_iter()
            .find(|s| s.phone_number() == Some(e164.as_str()))
            .ok_or_else(|| CoreError::NotFound {
                what: "WhatsApp sender",
                reference: reference.to_owned(),
            })
    }

    fn view(&self, sender: &Sender) -> SenderView {
        view(&self.connector.id, sender)
    }
}

impl Switchboard {
    async fn sender_ops(&self, reference: &str) -> Result<SenderOps, CoreError> {
        let reference = reference.to_owned();
        self.blocking(move |core| {
            let connector = core.connector_resolve(&reference)?;
            if connector.kind != ConnectorKind::Whatsapp
                || connector.provider() != ProviderKind::Twilio
            {
                return Err(CoreError::Conflict(format!(
                    "'{}' is not a WhatsApp connector with Twilio: WhatsApp senders are managed \
                     on one",
                    connector.name
                )));
            }
            let secret = core.connector_secret(&connector.id)?;
            match client_for(&connector, secret, core.provider_timeout())? {
                AnyProviderClient::Twilio(client) => Ok(SenderOps {
                    connector,
                    client: *client,
                }),
                _ => Err(CoreError::Conflict(format!(
                    "'{}' has no Twilio client",
                    connector.name
                ))),
            }
        })
        .await
    }

    /// Brings the connector's numbers list in step with the provider after a change. A failed
    /// refresh leaves the change done; the list catches up at the next refresh.
    async fn senders_keep_in_step(&self, connector_id: &str) {
        if let Err(error) = self.numbers_refresh(connector_id).await {
            tracing::warn!(connector = %connector_id, %error, "numbers list not refreshed");
        }
    }

    async fn sender_audit(
        &self,
        connector: &Connector,
        action: &'static str,
        target: String,
        before: Option<String>,
        after: Option<String>,
    ) -> Result<(), CoreError> {
        let connector = connector.clone();
        self.blocking(move |core| {
            core.audit(
                &connector,
                action,
                &target,
                before.as_deref(),
                after.as_deref(),
            )
        })
        .await
    }

    /// Every WhatsApp sender of the connector's Twilio account (all pages), read afresh; the
    /// numbers list is kept in step.
    pub async fn senders_list(&self, connector: &str) -> Result<Vec<SenderView>, CoreError> {
        let ops = self.sender_ops(connector).await?;
        let senders = ops.client.list_whatsapp_senders().await?;
        self.senders_keep_in_step(&ops.connector.id).await;
        Ok(senders.iter().map(|s| ops.view(s)).collect())
    }

    /// One sender (by number or `XE…` SID), read afresh.
    pub async fn sender_show(
        &self,
        connector: &str,
        sender: &str,
    ) -> Result<SenderView, CoreError> {
        let ops = self.sender_ops(connector).await?;
        let sender = ops.resolve(sender).await?;
        Ok(ops.view(&sender))
    }

    /// Registers a new sender. Twilio answers at once (`CREATING`); follow it with
    /// [`Switchboard::sender_follow`] until it waits for its code or is online.
    pub async fn sender_register(
        &self,
        connector: &str,
        draft: &SenderDraft,
    ) -> Result<SenderView, CoreError> {
        let request = draft::create_request(draft).map_err(CoreError::Validation)?;
        let ops = self.sender_ops(connector).await?;
        let created = ops.client.create_sender(&request).await?;
        let created = ops.view(&created);
        self.sender_audit(
            &ops.connector,
            "sender.register",
            request.sender_id.clone(),
            None,
            Some(audit_text(&created)),
        )
        .await?;
        self.senders_keep_in_step(&ops.connector.id).await;
        Ok(created)
    }

    /// Submits the verification code WhatsApp sent to the number; only a sender waiting for one
    /// takes it.
    pub async fn sender_verify(
        &self,
        connector: &str,
        sender: &str,
        code: &str,
    ) -> Result<SenderView, CoreError> {
        let code = draft::verification_code(code).map_err(CoreError::Validation)?;
        let ops = self.sender_ops(connector).await?;
        let current = ops.view(&ops.resolve(sender).await?);
        if !current.awaiting_code {
            return Err(CoreError::Conflict(format!(
                "{} is not waiting for a verification code: it is {} ({}) {}",
                current.e164,
                current.status,
                current.status_words.meaning,
                current.status_words.action.as_deref().unwrap_or_default()
            )));
        }
        let updated = ops
            .client
            .verify_sender(&current.sid, &code)
            .await
            .map_err(|error| {
                let mut failure = error.failure();
                if failure.kind == FailureKind::UnknownOutcome {
                    // The kind's wording is about messages; say what it means for a code.
                    failure.cause = "Twilio did not confirm that it received the verification \
                                     code: it may or may not have been taken."
                        .to_owned();
                    failure.fix = format!(
                        "Do not enter the code again yet: look at the sender first (switchboard \
                         senders show … {}); enter the code again only if it still waits for one.",
                        current.e164
                    );
                }
                CoreError::from(failure)
            })?;
        let updated = ops.view(&updated);
        self.sender_audit(
            &ops.connector,
            "sender.verify",
            format!("whatsapp:{}", current.e164),
            Some(current.status.clone()),
            Some(updated.status.clone()),
        )
        .await?;
        self.senders_keep_in_step(&ops.connector.id).await;
        Ok(updated)
    }

    /// Reads the sender until its status settles (polling with backoff, at most `timeout`,
    /// default [`FOLLOW_TIMEOUT`]), pushing every status it passes through to `progress`.
    /// Returns the last reading; `settled` is false when the time ran out.
    pub async fn sender_follow(
        &self,
        connector: &str,
        sender: &str,
        timeout: Option<Duration>,
        progress: SenderSink<'_>,
    ) -> Result<SenderView, CoreError> {
        let ops = self.sender_ops(connector).await?;
        let sid = ops.resolve(sender).await?.sid.unwrap_or_default();
        let deadline = tokio::time::Instant::now() + timeout.unwrap_or(FOLLOW_TIMEOUT);
        let mut delay = FOLLOW_FIRST_DELAY;
        let mut last: Option<SenderView> = None;
        loop {
            let current = ops.view(&ops.client.fetch_sender(&sid).await?);
            if last.as_ref().is_none_or(|l| l.status != current.status) {
                progress(&current);
            }
            let now = tokio::time::Instant::now();
            if current.settled || now + delay > deadline {
                self.senders_keep_in_step(&ops.connector.id).await;
                return Ok(current);
            }
            last = Some(current);
            tokio::time::sleep(delay).await;
            delay = (delay * 8 / 5).min(FOLLOW_MAX_DELAY);
        }
    }

    /// Changes the profile and/or webhook; only the fields given change.
    pub async fn sender_update(
        &self,
        connector: &str,
        sender: &str,
        draft: &SenderUpdateDraft,
    ) -> Result<SenderView, CoreError> {
        let update = draft::update_request(draft).map_err(CoreError::Validation)?;
        let ops = self.sender_ops(connector).await?;
        let before = ops.view(&ops.resolve(sender).await?);
        let after = ops.view(&ops.client.update_sender(&before.sid, &update).await?);
        self.sender_audit(
            &ops.connector,
            "sender.update",
            format!("whatsapp:{}", before.e164),
            Some(audit_text(&before)),
            Some(audit_text(&after)),
        )
        .await?;
        self.senders_keep_in_step(&ops.connector.id).await;
        Ok(after)
    }

    /// Removes the sender at Twilio. Show [`REMOVAL_WARNING`] first: the number can only be
    /// registered again once two-step verification is off.
    pub async fn sender_remove(
        &self,
        connector: &str,
        sender: &str,
    ) -> Result<RemovedSender, CoreError> {
        let ops = self.sender_ops(connector).await?;
        let before = ops.view(&ops.resolve(sender).await?);
        ops.client.delete_sender(&before.sid).await?;
        self.sender_audit(
            &ops.connector,
            "sender.remove",
            format!("whatsapp:{}", before.e164),
            Some(audit_text(&before)),
            None,
        )
        .await?;
        self.senders_keep_in_step(&ops.connector.id).await;
        Ok(RemovedSender {
            connector_id: ops.connector.id.clone(),
            sid: before.sid,
            e164: before.e164,
            warning: REMOVAL_WARNING.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sender_reads_in_plain_words() {
        let sender: Sender = serde_json::from_value(serde_json::json!({
            "sid": "XEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "status": "OFFLINE",
            "sender_id": "whatsapp:+14155550202",
            "profile": {"name": "Shop", "emails": [{"email": "a@shop.example", "label": "Email"}]},
            "properties": {"quality_rating": "LOW", "messaging_limit": "250 Customers/24hr"},
            "offline_reasons": [{"code": "63101", "message": "WABA ID provided is not valid"}],
        }))
        .unwrap();
        let view = view("c1", &sender);
        assert_eq!(view.e164, "+14155550202");
        assert!(view.settled);
        assert!(!view.awaiting_code);
        assert_eq!(view.profile.emails, ["a@shop.example"]);
        assert!(view.status_words.meaning.starts_with("Offline"));
        assert!(view.limit_words.unwrap().meaning.contains("display name"));
        assert!(view.quality_words.unwrap().action.is_some());
        assert!(view.offline_reasons[0].fix.contains("WhatsApp Manager"));
        assert!(view.removal_warning.contains("two-step verification"));
    }

    #[test]
    fn sids_and_numbers_are_told_apart() {
        assert!(is_sender_sid("XEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
        assert!(!is_sender_sid("+14155550101"));
        assert!(!is_sender_sid("XE123"));
    }
}
