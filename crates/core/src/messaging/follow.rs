//! Following an attempt's status to a final state by polling with backoff, in the caller's task
//! (`switchboard send --wait`) or in the background (the app), and picking up attempts not yet
//! final after a restart.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;

use super::send::update_from;
use super::wire;
use super::{MessageAttempt, Outcome};
use crate::adapter::client_for;
use crate::clock::now;
use crate::error::CoreError;
use crate::logs::{LogAction, LogRecord};
use crate::service::Switchboard;

/// Receives the attempt after every status change (the app pushes it to the UI over a channel).
pub type AttemptSink = Arc<dyn Fn(&MessageAttempt) + Send + Sync>;

/// How to poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FollowOptions {
    /// The wait before the first status read; each later wait doubles, up to `max_delay`.
    pub first_delay: Duration,
    pub max_delay: Duration,
    /// Stop polling after this long (the attempt stays not final; a restart or "Check" picks
    /// it up again).
    pub give_up_after: Duration,
}

impl Default for FollowOptions {
    fn default() -> Self {
        Self {
            first_delay: Duration::from_secs(2),
            max_delay: Duration::from_secs(60),
            give_up_after: Duration::from_secs(15 * 60),
        }
    }
}

/// Attempts older than this are no longer followed after a restart.
pub const RESUME_WINDOW: chrono::Duration = chrono::Duration::hours(72);

impl Switchboard {
    /// Polls the attempt's status until it is final, `options.give_up_after` has passed, or
    /// (for a send whose outcome is unknown) reconciling cannot tell. Every change is stored
    /// with its time and handed to `sink`. Returns the attempt as it is then.
    pub async fn message_follow(
        &self,
        attempt: &str,
        options: FollowOptions,
        sink: Option<AttemptSink>,
    ) -> Result<MessageAttempt, CoreError> {
        let reference = attempt.to_owned();
        let mut current = self
            .blocking(move |core| core.message_attempt(&reference))
            .await?;
        if matches!(current.outcome, Outcome::Unknown | Outcome::Sending) {
            current = self.message_reconcile(&current.id).await?;
            if let Some(sink) = &sink {
                sink(&current);
            }
        }
        if current.r#final || current.provider_message_id.is_none() {
            return Ok(current);
        }
        let connector_id = current.connector_id.clone();
        let (connector, secret) = self
            .blocking(move |core| {
                let connector = core.connector(&connector_id)?;
                let secret = core.connector_secret(&connector.id)?;
                Ok((connector, secret))
            })
            .await?;
        let client = client_for(&connector, secret, self.provider_timeout())?;
        let started = tokio::time::Instant::now();
        let mut delay = options.first_delay;
        let mut logged_failure = false;
        while started.elapsed() < options.give_up_after {
            tokio::time::sleep(delay.min(options.give_up_after.saturating_sub(started.elapsed())))
                .await;
            delay = (delay * 2).min(options.max_delay);
            let Some(provider_id) = current.provider_message_id.clone() else {
                break;
            };
            match wire::fetch(&client, &provider_id).await {
                Ok(seen) => {
                    if seen.status == current.status {
                        continue;
                    }
                    let update = update_from(&seen);
                    let id = current.id.clone();
                    let record = (seen.outcome == Outcome::Failed).then(|| {
                        let mut failure = delivery_failure(&connector, &seen);
                        failure.message = seen.error_message.clone().unwrap_or_default();
                        LogRecord::provider(&connector, LogAction::Send, &failure)
                            .number(Some(&current.to))
                            .attempt(Some(&current.id))
                    });
                    current = self
                        .blocking(move |core| {
                            core.store().update_attempt(&id, &update, &now())?;
                            if let Some(record) = record {
                                core.log(record);
                            }
                            core.message_attempt(&id)
                        })
                        .await?;
                    if current.r#final {
                        current = self.message_fallback(&connector, current).await?;
                    }
                    if let Some(sink) = &sink {
                        sink(&current);
                    }
                    if current.r#final {
                        break;
                    }
                }
                Err(error) => {
                    // A failed read is logged once per follow; the polling goes on.
                    if !logged_failure {
                        logged_failure = true;
                        let record = LogRecord::provider(
                            &connector,
                            LogAction::StatusQuery,
                            &error.failure(),
                        )
                        .level("warning")
                        .number(Some(&current.to))
                        .attempt(Some(&current.id));
                        self.log_blocking(record).await;
                    }
                }
            }
        }
        if !current.r#final {
            // No final status in time: the backup email goes once the message is old enough.
            current = self.message_fallback(&connector, current).await?;
            if let Some(sink) = &sink {
                sink(&current);
            }
        }
        Ok(current)
    }

    /// [`Switchboard::message_follow`] on a task of its own (needs a Tokio runtime).
    pub fn message_follow_in_background(
        &self,
        attempt: &str,
        options: FollowOptions,
        sink: Option<AttemptSink>,
    ) -> tokio::task::JoinHandle<Result<MessageAttempt, CoreError>> {
        let core = self.clone();
        let attempt = attempt.to_owned();
        tokio::spawn(async move { core.message_follow(&attempt, options, sink).await })
    }

    /// After a restart: follows, in the background, every attempt not final yet and at most
    /// 72 hours old (reconciling first those whose outcome is unknown). Returns the tasks.
    pub async fn messages_resume(
        &self,
        options: FollowOptions,
        sink: Option<AttemptSink>,
    ) -> Result<Vec<tokio::task::JoinHandle<Result<MessageAttempt, CoreError>>>, CoreError> {
        let since =
            (Utc::now() - RESUME_WINDOW).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let open = self
            .blocking(move |core| Ok(core.store().open_attempts(&since)?))
            .await?;
        Ok(open
            .iter()
            .map(|id| self.message_follow_in_background(id, options, sink.clone()))
            .collect())
    }
}

/// The failure a final failed status means (its code looked up in the failure table).
fn delivery_failure(
    connector: &crate::model::Connector,
    seen: &wire::Observed,
) -> switchboard_providers::ProviderFailure {
    let provider = connector
        .provider()
        .messaging_provider()
        .unwrap_or(switchboard_providers::Provider::Twilio);
    let kind = seen
        .error_kind
        .unwrap_or(switchboard_providers::FailureKind::SendMessageFailed);
    let (cause, fix) = super::store::explain(
        connector.provider().as_str(),
        seen.error_code.as_deref(),
        Some(kind.as_str()),
    );
    switchboard_providers::ProviderFailure {
        provider,
        kind,
        provider_code: seen.error_code.clone(),
        http_status: None,
        message: String::new(),
        cause: cause.unwrap_or_default(),
        fix: fix.unwrap_or_default(),
        docs_url: None,
    }
}
