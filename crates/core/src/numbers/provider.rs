//! The provider calls behind the Numbers section, one shape for all providers: list what the
//! account has, write a number's inbound webhook and read back what the provider now has.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use switchboard_providers::elks::ElksClient;
use switchboard_providers::telnyx::{ProfileWebhookUpdate, TelnyxClient};
use switchboard_providers::twilio::{
    IncomingPhoneNumber, SenderWebhookInput, SenderWebhookMethod, SmsWebhook, SmsWebhookMethod,
    TwilioClient,
};
use switchboard_providers::{AnyProviderClient, ProviderError, TransportKind};

use crate::model::{Connector, ConnectorKind, ConnectorSettings};
use crate::senders::offline_reason_line;

use super::NumberKind;

/// What overrides a number's own inbound URL at the provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum WebhookOverride {
    /// A Twilio Messaging Service with `use_inbound_webhook_on_number` false takes the number's
    /// inbound messages to its own URL.
    MessagingService {
        sid: String,
        name: Option<String>,
        url: Option<String>,
    },
    /// A Twilio `sms_application_sid` hands inbound SMS to a TwiML application.
    Application { sid: String },
}

impl WebhookOverride {
    pub fn describe(&self) -> String {
        match self {
            WebhookOverride::MessagingService { sid, name, url } => format!(
                "Overridden by the Messaging Service {}{sid}: it sends inbound messages to {} \
                 instead of the number's URL. Turn on \"Use inbound webhook on number\" in that \
                 service, or remove the number from it.",
                name.as_deref()
                    .map(|n| format!("'{n}' "))
                    .unwrap_or_default(),
                url.as_deref().unwrap_or("its own URL (none set)"),
            ),
            WebhookOverride::Application { sid } => format!(
                "Overridden by the application {sid}: inbound SMS go to that TwiML app, not to \
                 the number's URL. Clear the number's SMS application in Twilio."
            ),
        }
    }
}

/// A number's inbound webhook as the provider has it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Observed {
    pub url: Option<String>,
    pub method: Option<String>,
    pub overridden_by: Option<WebhookOverride>,
    /// Telnyx: the messaging profile carrying the webhook.
    pub profile_id: Option<String>,
}

/// One number or sender as listed by the provider.
#[derive(Debug, Clone, Default)]
pub struct Listed {
    pub provider_id: String,
    pub e164: String,
    pub friendly_name: Option<String>,
    pub capabilities: Vec<String>,
    pub status: Option<String>,
    pub quality_rating: Option<String>,
    pub messaging_limit: Option<String>,
    pub offline_reasons: Vec<String>,
    pub observed: Observed,
}

/// A connector's provider client, with what its kind needs to know.
#[derive(Debug, Clone)]
pub(crate) struct NumberOps {
    client: AnyProviderClient,
    kind: NumberKind,
    /// Telnyx: the profile numbers are assigned to when their webhook is set.
    telnyx_profile: Option<String>,
}

impl NumberOps {
    pub(crate) fn new(connector: &Connector, client: AnyProviderClient) -> Self {
        let kind = match connector.kind {
            ConnectorKind::Whatsapp => NumberKind::WhatsappSender,
            _ => NumberKind::Number,
        };
        Self {
            client,
            kind,
            telnyx_profile: match &connector.settings {
                ConnectorSettings::Telnyx(telnyx) => telnyx.messaging_profile_id.clone(),
                _ => None,
            },
        }
    }

    pub(crate) fn kind(&self) -> NumberKind {
        self.kind
    }

    /// Every number (or sender) of the account, all pages.
    pub(crate) async fn list(&self) -> Result<Vec<Listed>, ProviderError> {
        let mut all = Vec::new();
        self.list_each(|batch| all.extend(batch)).await?;
        Ok(all)
    }

    /// Every number (or sender) of the account, handed to `on_batch` as they come in: a
    /// Twilio number list page by page (while the next page is fetched), the others at once.
    pub(crate) async fn list_each(
        &self,
        mut on_batch: impl FnMut(Vec<Listed>) + Send,
    ) -> Result<(), ProviderError> {
        match (&self.client, self.kind) {
            (AnyProviderClient::Twilio(client), NumberKind::WhatsappSender) => {
                on_batch(twilio_senders(client).await?);
            }
            (AnyProviderClient::Twilio(client), NumberKind::Number) => {
                twilio_numbers(client, on_batch).await?;
            }
            (AnyProviderClient::Telnyx(client), _) => on_batch(telnyx_numbers(client).await?),
            (AnyProviderClient::Elks(client), _) => on_batch(elks_numbers(client).await?),
        }
        Ok(())
    }

    /// Writes `write` as the number's inbound webhook and returns what the provider now has,
    /// read from its answer. `current_profile` is the Telnyx profile the number is on now.
    pub(crate) async fn set(
        &self,
        provider_id: &str,
        current_profile: Option<&str>,
        write: &WebhookWrite<'_>,
    ) -> Result<Observed, WriteFailure> {
        let value = write.url.unwrap_or_default().to_owned();
        let get = write.method.is_some_and(|m| m.eq_ignore_ascii_case("GET"));
        let put = write.method.is_some_and(|m| m.eq_ignore_ascii_case("PUT"));
        match (&self.client, self.kind) {
            (AnyProviderClient::Twilio(client), NumberKind::WhatsappSender) => {
                // Only the webhook object goes out: the sender's profile and settings stay.
                let webhook = SenderWebhookInput {
                    callback_url: Some(value),
                    callback_method: Some(if put {
                        SenderWebhookMethod::Put
                    } else {
                        SenderWebhookMethod::Post
                    }),
                    ..SenderWebhookInput::default()
                };
                let sender = client
                    .set_sender_webhook(provider_id, webhook)
                    .await
                    .map_err(WriteFailure::from_error)?;
                let hook = sender.webhook.unwrap_or_default();
                Ok(Observed {
                    url: hook.callback_url,
                    method: hook.callback_method,
                    ..Observed::default()
                })
            }
            (AnyProviderClient::Twilio(client), NumberKind::Number) => {
                let webhook = SmsWebhook {
                    url: value,
                    method: if get {
                        SmsWebhookMethod::Get
                    } else {
                        SmsWebhookMethod::Post
                    },
                };
                let number = client
                    .set_sms_webhook(provider_id, &webhook)
                    .await
                    .map_err(WriteFailure::from_error)?;
                Ok(Observed {
                    url: number.sms_url,
                    method: number.sms_method,
                    overridden_by: number
                        .sms_application_sid
                        .map(|sid| WebhookOverride::Application { sid }),
                    profile_id: None,
                })
            }
            (AnyProviderClient::Telnyx(client), _) => {
                telnyx_set(client, provider_id, current_profile, write, &value, self).await
            }
            (AnyProviderClient::Elks(client), _) => {
                let number = client
                    .set_sms_url(provider_id, &value)
                    .await
                    .map_err(WriteFailure::from_error)?;
                Ok(Observed {
                    url: number.sms_url,
                    method: Some("POST".into()),
                    ..Observed::default()
                })
            }
        }
    }

    /// The Telnyx profile a set puts the number on: the connector's, else the one it is on.
    pub(crate) fn target_profile(&self, current_profile: Option<&str>) -> Option<String> {
        self.telnyx_profile
            .as_deref()
            .or(current_profile.filter(|p| !p.is_empty()))
            .map(str::to_owned)
    }

    pub(crate) fn is_telnyx(&self) -> bool {
        matches!(self.client, AnyProviderClient::Telnyx(_))
    }
}

/// What one webhook write puts at the provider.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct WebhookWrite<'a> {
    /// `None` clears the URL.
    pub url: Option<&'a str>,
    /// `GET` or `POST` (Twilio numbers), `POST` or `PUT` (senders); POST when absent.
    pub method: Option<&'a str>,
    /// Telnyx: the profile to put the number on; `Some("")` takes it off any profile; `None`
    /// uses the connector's profile (or keeps the current one).
    pub profile: Option<&'a str>,
}

/// A write that did not succeed, and whether it may have taken effect anyway.
#[derive(Debug, Clone)]
pub(crate) struct WriteFailure {
    pub error: ProviderError,
    /// A timeout, a reset connection, a 5xx or an unreadable answer may come after the
    /// provider applied the change: a rollback must restore such a number too.
    pub may_have_landed: bool,
}

impl WriteFailure {
    fn from_error(error: ProviderError) -> Self {
        Self {
            may_have_landed: may_have_landed(&error),
            error,
        }
    }

    /// A later step failed after an earlier one was applied (Telnyx: assigned, then the
    /// profile write failed): the number was changed either way.
    fn after_applied(error: ProviderError) -> Self {
        Self {
            error,
            may_have_landed: true,
        }
    }
}

/// Only an answer that says the request was refused, or a failure before anything was sent,
/// proves a write did not land.
pub(crate) fn may_have_landed(error: &ProviderError) -> bool {
    match error {
        ProviderError::Api { http_status, .. } => *http_status >= 500 || *http_status == 408,
        ProviderError::Transport { kind, .. } => !matches!(
            kind,
            TransportKind::Dns | TransportKind::Tls | TransportKind::Refused
        ),
        ProviderError::AccountInactive { .. }
        | ProviderError::InvalidConfig { .. }
        | ProviderError::InvalidRequest { .. } => false,
        // An unreadable success answer, an unknown outcome, or anything newer: assume it did.
        _ => true,
    }
}

async fn telnyx_set(
    client: &TelnyxClient,
    provider_id: &str,
    current_profile: Option<&str>,
    write: &WebhookWrite<'_>,
    value: &str,
    ops: &NumberOps,
) -> Result<Observed, WriteFailure> {
    let current = current_profile.filter(|p| !p.is_empty());
    let target = match write.profile {
        Some(profile) => Some(profile.to_owned()),
        None => ops.target_profile(current),
    };
    let Some(profile) = target else {
        return Err(WriteFailure::from_error(ProviderError::InvalidConfig {
            provider: switchboard_providers::Provider::Telnyx,
            message: "the number has no messaging profile: set the connector's messaging \
                      profile ID so Switchboard can assign it"
                .into(),
        }));
    };
    let mut assigned = false;
    if current != Some(profile.as_str()).filter(|p| !p.is_empty()) {
        // An empty ID takes the number off its profile (a rollback to "no profile").
        client
            .assign_messaging_profile(provider_id, &profile)
            .await
            .map_err(WriteFailure::from_error)?;
        assigned = true;
    }
    if profile.is_empty() {
        return Ok(Observed {
            url: None,
            method: Some("POST".into()),
            overridden_by: None,
            profile_id: Some(String::new()),
        });
    }
    let update = ProfileWebhookUpdate {
        webhook_url: value.to_owned(),
        webhook_failover_url: None,
    };
    let saved = client
        .set_profile_webhook(&profile, &update)
        .await
        .map_err(|e| {
            if assigned {
                WriteFailure::after_applied(e)
            } else {
                WriteFailure::from_error(e)
            }
        })?;
    Ok(Observed {
        url: saved.webhook_url,
        method: Some("POST".into()),
        overridden_by: None,
        profile_id: Some(profile),
    })
}

async fn twilio_senders(client: &TwilioClient) -> Result<Vec<Listed>, ProviderError> {
    let senders = client.list_whatsapp_senders().await?;
    Ok(senders
        .into_iter()
        .filter_map(|sender| {
            let e164 = sender.phone_number()?.to_owned();
            let properties = sender.properties.clone().unwrap_or_default();
            let hook = sender.webhook.clone().unwrap_or_default();
            Some(Listed {
                provider_id: sender.sid.clone()?,
                e164,
                friendly_name: sender.profile.as_ref().and_then(|p| p.name.clone()),
                capabilities: vec!["whatsapp".into()],
                status: sender.status.as_ref().map(|s| s.as_str().to_owned()),
                quality_rating: properties.quality_rating,
                messaging_limit: properties.messaging_limit,
                // In plain words with the fix, as the senders view says them.
                offline_reasons: sender
                    .offline_reasons
                    .iter()
                    .map(|r| offline_reason_line(r.code.as_deref(), r.message.as_deref()))
                    .collect(),
                observed: Observed {
                    url: hook.callback_url,
                    method: hook.callback_method,
                    ..Observed::default()
                },
            })
        })
        .collect())
}

async fn twilio_numbers(
    client: &TwilioClient,
    mut on_batch: impl FnMut(Vec<Listed>) + Send,
) -> Result<(), ProviderError> {
    // The services are read while the numbers' pages come in: the list costs the numbers'
    // pages in round trips, not one more. A page waits only until the services are known
    // (they decide its numbers' overrides), then goes on while the next is fetched.
    let (pages, mut decoded) = tokio::sync::mpsc::unbounded_channel();
    let numbers = client.each_incoming_phone_number_page(move |page| {
        // The receiver is gone only when the services failed: the list fails with them.
        let _ = pages.send(page);
    });
    let handed = async {
        let mut overrides = twilio_overrides(client).await?;
        while let Some(page) = decoded.recv().await {
            on_batch(
                page.into_iter()
                    .filter_map(|number| twilio_listed(number, &mut overrides))
                    .collect(),
            );
        }
        Ok::<(), ProviderError>(())
    };
    tokio::try_join!(numbers, handed)?;
    Ok(())
}

/// Which numbers a Messaging Service takes over (use_inbound_webhook_on_number false), by
/// number SID.
async fn twilio_overrides(
    client: &TwilioClient,
) -> Result<HashMap<String, WebhookOverride>, ProviderError> {
    let mut overrides = HashMap::new();
    for service in client.list_messaging_services().await? {
        let (Some(sid), Some(false)) = (service.sid.clone(), service.use_inbound_webhook_on_number)
        else {
            continue;
        };
        for member in client.list_messaging_service_phone_numbers(&sid).await? {
            if let Some(number_sid) = member.sid {
                overrides.insert(
                    number_sid,
                    WebhookOverride::MessagingService {
                        sid: sid.clone(),
                        name: service.friendly_name.clone(),
                        url: service.inbound_request_url.clone(),
                    },
                );
            }
        }
    }
    Ok(overrides)
}

fn twilio_listed(
    number: IncomingPhoneNumber,
    overrides: &mut HashMap<String, WebhookOverride>,
) -> Option<Listed> {
    let sid = number.sid.clone()?;
    let e164 = number.phone_number.clone()?;
    let caps = number.capabilities.clone().unwrap_or_default();
    let capabilities = [
        ("sms", caps.sms),
        ("mms", caps.mms),
        ("voice", caps.voice),
        ("fax", caps.fax),
    ]
    .into_iter()
    .filter(|(_, on)| *on == Some(true))
    .map(|(name, _)| name.to_owned())
    .collect();
    let overridden_by = overrides.remove(&sid).or_else(|| {
        number
            .sms_application_sid
            .clone()
            .map(|sid| WebhookOverride::Application { sid })
    });
    Some(Listed {
        provider_id: sid,
        e164,
        friendly_name: number.friendly_name.clone(),
        capabilities,
        status: number.status.clone(),
        observed: Observed {
            url: number.sms_url,
            method: number.sms_method,
            overridden_by,
            profile_id: None,
        },
        ..Listed::default()
    })
}

async fn telnyx_numbers(client: &TelnyxClient) -> Result<Vec<Listed>, ProviderError> {
    let (numbers, profiles) = tokio::try_join!(
        client.list_phone_numbers(),
        client.list_messaging_profiles()
    )?;
    let profiles: HashMap<String, Option<String>> = profiles
        .into_iter()
        .filter_map(|p| Some((p.id?, p.webhook_url)))
        .collect();
    Ok(numbers
        .into_iter()
        .filter_map(|number| {
            let url = number
                .messaging_profile_id
                .as_ref()
                .and_then(|id| profiles.get(id).cloned().flatten());
            Some(Listed {
                provider_id: number.id.clone()?,
                e164: number.phone_number.clone()?,
                friendly_name: number.messaging_profile_name.clone(),
                capabilities: vec!["sms".into()],
                status: number.status.clone(),
                observed: Observed {
                    url,
                    method: Some("POST".into()),
                    overridden_by: None,
                    profile_id: number.messaging_profile_id,
                },
                ..Listed::default()
            })
        })
        .collect())
}

async fn elks_numbers(client: &ElksClient) -> Result<Vec<Listed>, ProviderError> {
    Ok(client
        .list_numbers()
        .await?
        .into_iter()
        .filter_map(|number| {
            let status = Some(
                if number.is_active() {
                    "active"
                } else {
                    "inactive"
                }
                .to_owned(),
            );
            Some(Listed {
                provider_id: number.id.clone()?,
                e164: number.number.clone()?,
                friendly_name: number.name.clone(),
                capabilities: number.capabilities.clone(),
                status,
                observed: Observed {
                    url: number.sms_url,
                    method: Some("POST".into()),
                    ..Observed::default()
                },
                ..Listed::default()
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use switchboard_providers::Provider;

    use super::*;

    fn api(http_status: u16) -> ProviderError {
        ProviderError::Api {
            provider: Provider::Twilio,
            http_status,
            code: None,
            message: "x".into(),
            field: None,
            kind: switchboard_providers::FailureKind::RequestFailed,
            hint: None,
            docs_url: None,
        }
    }

    fn transport(kind: TransportKind) -> ProviderError {
        ProviderError::Transport {
            provider: Provider::Twilio,
            kind,
            message: "x".into(),
        }
    }

    #[test]
    fn only_a_refusal_or_a_request_never_sent_proves_a_write_did_not_land() {
        for landed in [
            api(500),
            api(503),
            api(408),
            transport(TransportKind::Timeout),
            transport(TransportKind::Reset),
            transport(TransportKind::Other),
            ProviderError::Decode {
                provider: Provider::Twilio,
                message: "truncated".into(),
            },
        ] {
            assert!(may_have_landed(&landed), "{landed}");
        }
        for refused in [
            api(400),
            api(404),
            api(429),
            transport(TransportKind::Refused),
            transport(TransportKind::Dns),
            ProviderError::InvalidConfig {
                provider: Provider::Telnyx,
                message: "no profile".into(),
            },
        ] {
            assert!(!may_have_landed(&refused), "{refused}");
        }
    }
}
