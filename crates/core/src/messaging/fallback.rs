//! The backup email: when a message to a recipient with a backup email fails, is refused, or
//! reaches no final status in time, the same content goes by email through the organization's
//! Email connector, and the attempt records how that went. Never twice for one attempt.

use rusqlite::params;

use super::{MessageAttempt, MessageKind, Outcome};
use crate::clock::{now, parse_time};
use crate::email::BackupEmail;
use crate::error::CoreError;
use crate::logs::{LogAction, LogRecord};
use crate::model::Connector;
use crate::service::Switchboard;
use crate::store::{Store, StoreError};

/// A message with no final status after this long is given up on and its backup email sent.
pub const FALLBACK_AFTER: chrono::Duration = chrono::Duration::minutes(15);

/// Why the backup email goes (or `None`: it does not).
fn reason(attempt: &MessageAttempt, at: chrono::DateTime<chrono::Utc>) -> Option<String> {
    if attempt.fallback_status.is_some() {
        return None;
    }
    match attempt.outcome {
        Outcome::Failed => {
            let explained = [attempt.cause.as_deref(), attempt.fix.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            Some(match explained.trim() {
                "" => attempt.error_message.clone().unwrap_or_else(|| {
                    format!("The provider reported the message {}.", attempt.status)
                }),
                text => text.to_owned(),
            })
        }
        _ if !attempt.r#final => {
            let created = parse_time(&attempt.created_at)?;
            (at - created >= FALLBACK_AFTER).then(|| {
                format!(
                    "The message reached no final status within {} minutes (last status: {}).",
                    FALLBACK_AFTER.num_minutes(),
                    attempt.status
                )
            })
        }
        _ => None,
    }
}

/// What the guest would have read.
fn content(attempt: &MessageAttempt) -> String {
    match attempt.kind {
        MessageKind::Text => attempt.body.clone().unwrap_or_default(),
        MessageKind::Media => {
            let mut text = attempt.body.clone().unwrap_or_default();
            for url in &attempt.media_urls {
                text.push_str(&format!("\n{url}"));
            }
            text.trim().to_owned()
        }
        MessageKind::Template => {
            let mut text = format!(
                "WhatsApp template {}",
                attempt.template_sid.as_deref().unwrap_or("")
            );
            if let Some(variables) = &attempt.template_variables {
                let mut pairs: Vec<_> = variables.iter().collect();
                pairs.sort();
                for (name, value) in pairs {
                    text.push_str(&format!("\n{{{{{name}}}}} = {value}"));
                }
            }
            text
        }
    }
}

impl Store {
    fn set_fallback(
        &self,
        id: &str,
        status: &str,
        to: &str,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        self.conn().execute(
            "UPDATE message_attempts SET fallback_status = ?2, fallback_to = ?3,
                 fallback_error = ?4, updated_at = ?5
             WHERE id = ?1 AND fallback_status IS NULL",
            params![id, status, to, error, now()],
        )?;
        Ok(())
    }
}

impl Switchboard {
    /// Sends the attempt's backup email when it is due (see the module); returns the attempt
    /// as stored afterwards. A failed backup email is recorded on the attempt and logged.
    pub async fn message_fallback(
        &self,
        connector: &Connector,
        attempt: MessageAttempt,
    ) -> Result<MessageAttempt, CoreError> {
        let Some(failure) = reason(&attempt, chrono::Utc::now()) else {
            return Ok(attempt);
        };
        let Some(backup) = connector
            .recipients
            .iter()
            .find(|r| r.number == attempt.to)
            .and_then(|r| r.backup_email.clone())
        else {
            return Ok(attempt);
        };
        let original = BackupEmail {
            connector_name: connector.name.clone(),
            number: attempt.to.clone(),
            content: content(&attempt),
            failure,
            at: attempt.updated_at.clone(),
        };
        let sent = self
            .send_backup_email(&connector.org_id, &backup, &original)
            .await;
        let id = attempt.id.clone();
        let connector = connector.clone();
        self.blocking(move |core| {
            match &sent {
                Ok(sent) => core.store().set_fallback(&id, "sent", &sent.to, None)?,
                Err(error) => {
                    let message = error.to_string();
                    core.store()
                        .set_fallback(&id, error.code(), &backup, Some(&message))?;
                    let record = match error.failure() {
                        Some(failure) => {
                            LogRecord::provider(&connector, LogAction::BackupEmail, &failure)
                        }
                        None => LogRecord::failure(
                            &connector,
                            LogAction::BackupEmail,
                            &CoreError::Conflict(message),
                        ),
                    };
                    core.log(record.attempt(Some(&id)));
                }
            }
            core.message_attempt(&id)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(outcome: Outcome, is_final: bool, created_at: &str) -> MessageAttempt {
        MessageAttempt {
            id: "a1".into(),
            connector_id: "c1".into(),
            channel: "sms".into(),
            from: "+14155550101".into(),
            to: "+46701234567".into(),
            kind: MessageKind::Text,
            body: Some("Your room is ready".into()),
            template_sid: None,
            template_variables: None,
            media_urls: vec![],
            validity_period: None,
            status_callback: None,
            provider_message_id: Some("SM1".into()),
            status: "sent".into(),
            outcome,
            r#final: is_final,
            error_code: None,
            error_kind: None,
            error_message: None,
            cause: Some("The handset could not be reached.".into()),
            fix: Some("Try again later.".into()),
            price: None,
            price_unit: None,
            created_at: created_at.into(),
            updated_at: created_at.into(),
            accepted_at: None,
            delivered_at: None,
            final_at: None,
            fallback_status: None,
            fallback_to: None,
            fallback_error: None,
            history: vec![],
        }
    }

    #[test]
    fn the_backup_email_is_due_on_failure_or_after_fifteen_minutes_without_a_final_status() {
        let now = parse_time("2026-12-04T12:00:00.000Z").unwrap();
        let failed = attempt(Outcome::Failed, true, "2026-12-04T11:59:00.000Z");
        assert_eq!(
            reason(&failed, now).as_deref(),
            Some("The handset could not be reached. Try again later.")
        );
        let stuck = attempt(Outcome::Sent, false, "2026-12-04T11:44:59.000Z");
        assert!(reason(&stuck, now).unwrap().contains("within 15 minutes"));
        let young = attempt(Outcome::Sent, false, "2026-12-04T11:50:00.000Z");
        assert_eq!(reason(&young, now), None);
        let delivered = attempt(Outcome::Delivered, true, "2026-12-04T10:00:00.000Z");
        assert_eq!(reason(&delivered, now), None);
        let mut done = failed.clone();
        done.fallback_status = Some("sent".into());
        assert_eq!(reason(&done, now), None, "never twice");
    }
}
