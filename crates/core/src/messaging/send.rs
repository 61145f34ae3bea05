//! Sending: checks, the attempt written before the request goes out, the provider's answer (or
//! the lack of one) recorded, and reconciling a send whose outcome is unknown.

use chrono::Utc;
use switchboard_providers::{FailureKind, ProviderError, ProviderFailure};

use super::checks::{self, Channel};
use super::store::{NewAttempt, Update};
use super::wire::{self, Listing, Observed, Sought};
use super::{AttemptFilter, AttemptPage, MessageAttempt, Outcome, SendRequest};
use crate::adapter::client_for;
use crate::clock::{now, parse_time};
use crate::error::CoreError;
use crate::ids::new_id;
use crate::logs::{LogAction, LogRecord};
use crate::service::Switchboard;

/// How long after an unknown send the provider's silence means "not sent": a request that
/// timed out may still be processed for a little while.
const NOT_FOUND_MEANS_NOT_SENT_AFTER: chrono::Duration = chrono::Duration::minutes(2);

/// Held while a reconcile picks a provider message and records it as its own: two at once (after
/// a restart the app follows every open send together) must not take the same message.
static CLAIM: std::sync::Mutex<()> = std::sync::Mutex::new(());

pub(super) fn update_from(seen: &Observed) -> Update {
    Update {
        status: seen.status.clone(),
        outcome: Some(seen.outcome),
        r#final: seen.r#final,
        provider_message_id: seen.id.clone(),
        error_code: seen.error_code.clone(),
        error_kind: seen.error_kind.map(|k| k.as_str().to_owned()),
        error_message: seen.error_message.clone(),
        price: seen.price.clone(),
        price_unit: seen.price_unit.clone(),
        accepted: seen.id.is_some(),
    }
}

impl Switchboard {
    /// Sends a message through the connector and records the attempt. Input problems are
    /// field errors and nothing is sent or stored; a provider that refuses gives a stored attempt
    /// with outcome `failed` (not an error), one that may or may not have taken it an attempt
    /// with outcome `unknown` (reconcile it, never send again blindly). Follow the status with
    /// [`Switchboard::message_follow`].
    pub async fn message_send(
        &self,
        connector: &str,
        request: &SendRequest,
    ) -> Result<MessageAttempt, CoreError> {
        let reference = connector.to_owned();
        let request = request.clone();
        let (connector, secret, plan) = self
            .blocking(move |core| {
                let connector = core.connector_resolve(&reference)?;
                let numbers = core.store().numbers(&connector.id)?;
                let plan =
                    checks::plan(&connector, &numbers, &request).map_err(CoreError::Validation)?;
                // Telnyx sends from a number only through a messaging profile (else 40305).
                let listed = numbers.iter().any(|n| n.e164 == plan.from);
                if plan.provider == switchboard_providers::Provider::Telnyx
                    && listed
                    && core
                        .store()
                        .number_profile(&connector.id, &plan.from)?
                        .is_none()
                {
                    return Err(CoreError::field(
                        "from",
                        format!(
                            "{} is on no Telnyx messaging profile, so Telnyx refuses to send from \
                             it (40305): assign it to a messaging profile in Telnyx Mission \
                             Control, then refresh Numbers",
                            plan.from
                        ),
                    ));
                }
                let secret = core.connector_secret(&connector.id)?;
                Ok((connector, secret, plan))
            })
            .await?;
        let client = match client_for(&connector, secret, self.provider_timeout()) {
            Ok(client) => client,
            Err(error) => {
                let record =
                    LogRecord::failure(&connector, LogAction::Send, &error).number(Some(&plan.to));
                self.log_blocking(record).await;
                return Err(error);
            }
        };
        if plan.channel == Channel::WhatsApp
            && let Some(sid) = plan.template_sid.as_deref()
        {
            match wire::template_usable(&client, sid).await {
                Ok(Ok(())) => {}
                Ok(Err(why)) => return Err(CoreError::field("template", why)),
                Err(error) => {
                    let failure = error.failure();
                    let record = LogRecord::provider(&connector, LogAction::Send, &failure)
                        .number(Some(&plan.to));
                    self.log_blocking(record).await;
                    return Err(CoreError::from(failure));
                }
            }
        }
        let id = new_id();
        let at = now();
        {
            let (id, at, connector, plan) =
                (id.clone(), at.clone(), connector.clone(), plan.clone());
            self.blocking(move |core| {
                let variables = match plan.kind {
                    super::MessageKind::Template => Some(
                        serde_json::to_string(&plan.variables)
                            .map_err(|e| CoreError::Conflict(e.to_string()))?,
                    ),
                    _ => None,
                };
                let media = serde_json::to_string(&plan.media)
                    .map_err(|e| CoreError::Conflict(e.to_string()))?;
                core.store().insert_attempt(&NewAttempt {
                    id: &id,
                    connector_id: &connector.id,
                    org_id: &connector.org_id,
                    provider: connector.provider().as_str(),
                    channel: plan.channel.as_str(),
                    from: &plan.from,
                    to: &plan.to,
                    kind: plan.kind,
                    body: plan.body.as_deref(),
                    template_sid: plan.template_sid.as_deref(),
                    template_variables: variables,
                    media_urls: media,
                    validity_period: plan.validity_period,
                    status_callback: plan.status_callback.as_deref(),
                    now: &at,
                })?;
                Ok(())
            })
            .await?;
        }
        let result = wire::submit(&client, &plan).await;
        let (update, failure) = match result {
            Ok(seen) => (update_from(&seen), None),
            Err(error) => send_failure(&error),
        };
        let attempt_id = id.clone();
        let to = plan.to.clone();
        let fallback_connector = connector.clone();
        let attempt = self
            .blocking(move |core| {
                core.store().update_attempt(&attempt_id, &update, &now())?;
                if let Some((failure, level)) = failure {
                    core.log(
                        LogRecord::provider(&connector, LogAction::Send, &failure)
                            .level(level)
                            .number(Some(&to))
                            .attempt(Some(&attempt_id)),
                    );
                }
                core.message_attempt(&attempt_id)
            })
            .await?;
        // Refused at once: the guest gets the backup email now, if there is one.
        self.message_fallback(&fallback_connector, attempt).await
    }

    /// The attempt, by id or unique id prefix.
    pub fn message_attempt(&self, reference: &str) -> Result<MessageAttempt, CoreError> {
        let not_found = || CoreError::NotFound {
            what: "Message attempt",
            reference: reference.to_owned(),
        };
        let ids = self.store().attempt_ids_matching(reference.trim())?;
        let id = match ids.as_slice() {
            [] => return Err(not_found()),
            [id] => id.clone(),
            many => {
                return Err(CoreError::Ambiguous(format!(
                    "'{reference}' matches {} message attempts: use the full id",
                    many.len()
                )));
            }
        };
        self.store().attempt(&id)?.ok_or_else(not_found)
    }

    /// A page of the connector's attempts, newest first. `status` matches the provider's status
    /// word or the outcome (`sent`, `delivered`, `failed`, `unknown`…); `number` any part of the
    /// recipient's or the sender's number; `since` and `until` are RFC 3339 times; `cursor` is
    /// the id of the last attempt of the previous page. Each wrong value is a field error naming
    /// the filter.
    pub fn message_attempts(
        &self,
        connector: &str,
        filter: &AttemptFilter,
    ) -> Result<AttemptPage, CoreError> {
        let connector = self.connector_resolve(connector)?;
        let mut checked = AttemptFilter {
            status: filter
                .status
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_lowercase),
            ..AttemptFilter::default()
        };
        for (field, given, to) in [
            ("since", &filter.since, &mut checked.since),
            ("until", &filter.until, &mut checked.until),
        ] {
            let Some(text) = given.as_deref().map(str::trim).filter(|t| !t.is_empty()) else {
                continue;
            };
            let time = parse_time(text).ok_or_else(|| {
                CoreError::field(
                    field,
                    format!("'{text}' is not a time: use e.g. 2026-01-31T09:00:00Z"),
                )
            })?;
            *to = Some(time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
        }
        if let Some(typed) = filter.number.as_deref().filter(|n| !n.trim().is_empty()) {
            // Stored numbers are E.164: keep what people type between the digits out.
            let digits: String = typed.chars().filter(char::is_ascii_digit).collect();
            if digits.is_empty() {
                return Err(CoreError::field(
                    "number",
                    format!("'{typed}' holds no digits: type the number or part of it"),
                ));
            }
            checked.number = Some(digits);
        }
        if let Some(cursor) = filter.cursor.as_deref().filter(|c| !c.trim().is_empty()) {
            let cursor = cursor.trim();
            if !self.store().attempt_of_connector(&connector.id, cursor)? {
                return Err(CoreError::field(
                    "cursor",
                    format!(
                        "'{cursor}' is not a message of this connector: pass the id of the last \
                         message of the previous page"
                    ),
                ));
            }
            checked.cursor = Some(cursor.to_owned());
        }
        let limit = filter.limit.unwrap_or(100).clamp(1, 1_000);
        let (attempts, more) = self.store().attempts(&connector.id, &checked, limit)?;
        let next_cursor = more
            .then(|| attempts.last().map(|a| a.id.clone()))
            .flatten();
        Ok(AttemptPage {
            attempts,
            next_cursor,
        })
    }

    /// Finds out what became of a send whose outcome is unknown, by listing the provider's
    /// recent messages from that sender to that recipient. Found: the attempt takes its id and
    /// status. Not there (and the send is more than two minutes old): it was not sent, and may
    /// be sent again. A provider that cannot list (Telnyx) leaves it unknown, with what to do.
    /// An attempt whose outcome is known is returned as it is.
    pub async fn message_reconcile(&self, reference: &str) -> Result<MessageAttempt, CoreError> {
        let reference = reference.to_owned();
        let (attempt, connector, secret) = self
            .blocking(move |core| {
                let attempt = core.message_attempt(&reference)?;
                let connector = core.connector(&attempt.connector_id)?;
                let secret = core.connector_secret(&connector.id)?;
                Ok((attempt, connector, secret))
            })
            .await?;
        if !matches!(attempt.outcome, Outcome::Unknown | Outcome::Sending) {
            return Ok(attempt);
        }
        let client = client_for(&connector, secret, self.provider_timeout())?;
        let since = parse_time(&attempt.created_at).unwrap_or_else(Utc::now);
        let sought = Sought {
            channel: if attempt.channel == "whatsapp" {
                Channel::WhatsApp
            } else {
                Channel::Sms
            },
            from: &attempt.from,
            from_is_service: attempt.from.starts_with("MG"),
            to: &attempt.to,
            body: match attempt.kind {
                super::MessageKind::Text => attempt.body.as_deref(),
                _ => None,
            },
            since,
        };
        let found = match wire::find_recent(&client, &sought, wire::ELKS_RECONCILE_MAX_PAGES).await
        {
            Ok(found) => found,
            Err(error) => {
                let failure = error.failure();
                let record = LogRecord::provider(&connector, LogAction::StatusQuery, &failure)
                    .number(Some(&attempt.to))
                    .attempt(Some(&attempt.id));
                self.log_blocking(record).await;
                return Err(CoreError::from(failure));
            }
        };
        let attempt_id = attempt.id.clone();
        self.blocking(move |core| {
            let _claim = CLAIM
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let update = match found {
                Listing::Unsupported => Update {
                    status: "unknown".into(),
                    error_kind: Some(FailureKind::UnknownOutcome.as_str().into()),
                    error_message: Some(wire::CANNOT_LIST_TELNYX.into()),
                    ..Update::default()
                },
                Listing::Listed {
                    candidates,
                    complete,
                } => {
                    let mut chosen = None;
                    for seen in candidates {
                        let Some(id) = seen.id.as_deref() else {
                            continue;
                        };
                        if !core.store().provider_id_taken(id, &attempt_id)? {
                            chosen = Some(seen);
                            break;
                        }
                    }
                    match chosen {
                        Some(seen) => {
                            let mut update = update_from(&seen);
                            // The unknown outcome is resolved: its error no longer applies.
                            if seen.error_kind.is_none() {
                                update.error_kind = None;
                            }
                            update
                        }
                        None if !complete => Update {
                            status: "unknown".into(),
                            error_kind: Some(FailureKind::UnknownOutcome.as_str().into()),
                            error_message: Some(
                                "The provider lists too many messages to this number since this \
                                 send for Switchboard to read them all, so it cannot tell whether \
                                 this one went out. Look for it in the provider's own message log \
                                 before sending it again."
                                    .into(),
                            ),
                            ..Update::default()
                        },
                        None if Utc::now() - since >= NOT_FOUND_MEANS_NOT_SENT_AFTER => Update {
                            status: "not_sent".into(),
                            outcome: Some(Outcome::Failed),
                            r#final: true,
                            error_kind: Some(FailureKind::SendMessageFailed.as_str().into()),
                            error_message: Some(
                                "The provider has no such message: it was not sent, and may be \
                                 sent again."
                                    .into(),
                            ),
                            ..Update::default()
                        },
                        None => Update {
                            status: "unknown".into(),
                            error_kind: Some(FailureKind::UnknownOutcome.as_str().into()),
                            error_message: Some(
                                "The provider does not list this message yet: check again in \
                                 a minute before sending it again."
                                    .into(),
                            ),
                            ..Update::default()
                        },
                    }
                }
            };
            core.store().clear_attempt_error(&attempt_id)?;
            core.store().update_attempt(&attempt_id, &update, &now())?;
            core.message_attempt(&attempt_id)
        })
        .await
    }
}

/// What a failed send records: the update, and the failure to log with its level.
fn send_failure(error: &ProviderError) -> (Update, Option<(ProviderFailure, &'static str)>) {
    let failure = error.failure();
    let (status, outcome, is_final, level) = match error {
        // It may have reached the provider: never final until reconciled.
        ProviderError::UnknownOutcome { .. } => ("unknown", Outcome::Unknown, false, "warning"),
        // No HTTP answer before the request was written: certainly not sent.
        ProviderError::Transport { .. } => ("not_sent", Outcome::Failed, true, "error"),
        _ => ("refused", Outcome::Failed, true, "error"),
    };
    let update = Update {
        status: status.into(),
        outcome: Some(outcome),
        r#final: is_final,
        error_code: failure.provider_code.clone(),
        error_kind: Some(failure.kind.as_str().into()),
        error_message: Some(failure.message.clone()),
        ..Update::default()
    };
    (update, Some((failure, level)))
}
