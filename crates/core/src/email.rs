//! The backup email: when a message to a number ends failed or undelivered (or never reaches a
//! final status), the same content goes to the recipient's backup address through the
//! organization's Email connector. Subject and body name the connector, the number and the
//! failure in plain words. When it cannot be sent the caller gets a typed reason to record. The
//! SMTP session itself is [`crate::smtp`].

use lettre::Message;
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use serde::{Deserialize, Serialize};
use switchboard_providers::ProviderFailure;

use crate::error::CoreError;
use crate::model::{Connector, ConnectorKind, ConnectorState};
use crate::service::Switchboard;
use crate::smtp::{SmtpError, session, smtp_config};

/// How much of the failure the subject line repeats (the body has all of it).
const SUBJECT_FAILURE_MAX: usize = 90;

/// The message that could not be delivered, as the backup email repeats it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupEmail {
    /// The name of the messaging connector the message was sent through.
    pub connector_name: String,
    /// The recipient's number (E.164).
    pub number: String,
    /// The text, the media caption (with the media links) or the rendered template text.
    pub content: String,
    /// What went wrong, in plain words (e.g. a failure's cause and fix).
    pub failure: String,
    /// When the message was sent (RFC 3339).
    pub at: String,
}

/// A backup email the mail server accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupEmailSent {
    /// The Email connector it went through.
    pub email_connector_id: String,
    pub email_connector_name: String,
    pub from: String,
    pub to: String,
    /// The mail server's answer to the message (`250 …`).
    pub server_reply: String,
}

/// Why no backup email was sent. Never silent: the caller records it on the attempt and logs it.
#[derive(Debug, thiserror::Error)]
pub enum BackupEmailError {
    #[error(
        "No backup email was sent: the organization has no Email connector. Add one (kind \
         Email, an SMTP server) to send backup emails"
    )]
    NoEmailConnector,
    #[error(
        "No backup email was sent: the Email connector '{name}' is in state Error ({reason}). \
         Fix it and check it again"
    )]
    EmailConnectorInError {
        connector_id: String,
        name: String,
        reason: String,
    },
    #[error("No backup email was sent: '{0}' is not an email address")]
    InvalidAddress(String),
    #[error("The backup email through '{name}' failed: {}", .error.failure(false).summary())]
    Smtp {
        connector_id: String,
        name: String,
        error: SmtpError,
    },
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl BackupEmailError {
    /// A stable name for the attempt's fallback status and for scripts.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoEmailConnector => "no_email_connector",
            Self::EmailConnectorInError { .. } => "email_connector_in_error",
            Self::InvalidAddress(_) => "invalid_backup_address",
            Self::Smtp { .. } => "smtp_failed",
            Self::Core(_) => "failed",
        }
    }

    /// The mail server's failure with cause and fix, when the server was what failed.
    pub fn failure(&self) -> Option<ProviderFailure> {
        match self {
            Self::Smtp { error, .. } => Some(error.failure(false)),
            _ => None,
        }
    }
}

/// For a caller that reports it as a command's error: the mail server's failure keeps its cause,
/// fix and code (`{code, message}` like any provider failure); the rest say why in words.
impl From<BackupEmailError> for CoreError {
    fn from(error: BackupEmailError) -> Self {
        match error {
            BackupEmailError::Smtp { error, .. } => {
                CoreError::Provider(Box::new(error.failure(false)))
            }
            BackupEmailError::Core(error) => error,
            other => CoreError::Conflict(other.to_string()),
        }
    }
}

impl Switchboard {
    /// Sends `original` by email to `to` through the organization's Email connector (an Active
    /// one first, then one not checked yet; one in state Error is not tried).
    pub async fn send_backup_email(
        &self,
        org_id: &str,
        to: &str,
        original: &BackupEmail,
    ) -> Result<BackupEmailSent, BackupEmailError> {
        let org = org_id.to_owned();
        let (connector, password) = self
            .blocking(move |core| {
                let connector = email_connector(core.connectors(Some(&org))?);
                let password = match &connector {
                    Some(connector) => core.connector_secret(&connector.id)?,
                    None => None,
                };
                Ok((connector, password))
            })
            .await?;
        let connector = connector.ok_or(BackupEmailError::NoEmailConnector)?;
        if connector.state == ConnectorState::Error {
            return Err(BackupEmailError::EmailConnectorInError {
                reason: connector
                    .state_reason
                    .clone()
                    .unwrap_or_else(|| "its last check failed".to_owned()),
                connector_id: connector.id,
                name: connector.name,
            });
        }
        let recipient: lettre::Address = crate::validate::email(to)
            .ok()
            .and_then(|address| address.parse().ok())
            .ok_or_else(|| BackupEmailError::InvalidAddress(to.trim().to_owned()))?;
        let smtp_failed = |error: SmtpError| BackupEmailError::Smtp {
            connector_id: connector.id.clone(),
            name: connector.name.clone(),
            error,
        };
        let config = smtp_config(&connector).map_err(smtp_failed)?;
        let sender: lettre::Address = config.from.parse().map_err(|_| {
            smtp_failed(SmtpError::Settings(format!(
                "the From address '{}' is not an email address",
                config.from
            )))
        })?;
        let message = Message::builder()
            .from(Mailbox::new(Some("Switchboard".to_owned()), sender.clone()))
            .to(Mailbox::new(None, recipient.clone()))
            .subject(subject(original))
            .header(ContentType::TEXT_PLAIN)
            .body(body(original))
            .map_err(|e| smtp_failed(SmtpError::Address(e.to_string())))?;
        let timeout = self.provider_timeout();
        let mut session = session::open(&config, password, timeout)
            .await
            .map_err(smtp_failed)?;
        let sent = session
            .send(message.envelope(), &message.formatted(), timeout)
            .await;
        session.quit().await;
        let server_reply = sent.map_err(smtp_failed)?;
        Ok(BackupEmailSent {
            email_connector_id: connector.id.clone(),
            email_connector_name: connector.name.clone(),
            from: sender.to_string(),
            to: recipient.to_string(),
            server_reply,
        })
    }
}

/// The organization's Email connector to use: Active first, then not checked yet, then (to be
/// refused with its reason) one in Error; the oldest first within each.
fn email_connector(connectors: Vec<Connector>) -> Option<Connector> {
    let rank = |connector: &Connector| match connector.state {
        ConnectorState::Active => 0,
        ConnectorState::NotChecked => 1,
        ConnectorState::Error => 2,
    };
    connectors
        .into_iter()
        .filter(|connector| connector.kind == ConnectorKind::Email)
        .min_by(|a, b| {
            rank(a)
                .cmp(&rank(b))
                .then_with(|| a.created_at.cmp(&b.created_at))
        })
}

fn subject(original: &BackupEmail) -> String {
    let failure = one_line(&original.failure);
    let failure = match failure.char_indices().nth(SUBJECT_FAILURE_MAX) {
        Some((cut, _)) => format!("{}…", failure[..cut].trim_end()),
        None => failure,
    };
    format!(
        "Not delivered to {} via {}: {failure}",
        original.number,
        one_line(&original.connector_name)
    )
}

fn body(original: &BackupEmail) -> String {
    format!(
        "A message to {number} sent through the connector \"{connector}\" could not be \
         delivered, so here it is by email.\n\
         \n\
         Connector: {connector}\n\
         Number: {number}\n\
         Sent: {at}\n\
         What went wrong: {failure}\n\
         \n\
         The message:\n\
         \n\
         {content}\n\
         \n\
         -- \n\
         Sent by Switchboard as a backup of the undelivered message.\n",
        number = original.number,
        connector = one_line(&original.connector_name),
        at = original.at,
        failure = one_line(&original.failure),
        content = original.content,
    )
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn original() -> BackupEmail {
        BackupEmail {
            connector_name: "Front desk".into(),
            number: "+46701234567".into(),
            content: "Your room 12 is ready.\nWelcome!".into(),
            failure: "The guest's phone was unreachable (Twilio code 30003).".into(),
            at: "2026-12-04T17:00:00Z".into(),
        }
    }

    #[test]
    fn subject_and_body_name_the_connector_the_number_and_the_failure() {
        let subject = subject(&original());
        assert!(subject.contains("+46701234567"), "{subject}");
        assert!(subject.contains("Front desk"), "{subject}");
        assert!(subject.contains("unreachable"), "{subject}");
        let body = body(&original());
        for part in [
            "+46701234567",
            "Front desk",
            "30003",
            "Your room 12 is ready.\nWelcome!",
        ] {
            assert!(body.contains(part), "{part} missing from {body}");
        }
    }

    #[test]
    fn as_a_command_error_the_mail_server_failure_stays_typed() {
        let smtp = BackupEmailError::Smtp {
            connector_id: "c1".into(),
            name: "Hotel mail".into(),
            error: SmtpError::Refused,
        };
        let CoreError::Provider(failure) = CoreError::from(smtp) else {
            panic!("not a provider failure");
        };
        assert_eq!(failure.provider, switchboard_providers::Provider::Smtp);
        assert_eq!(
            failure.kind,
            switchboard_providers::FailureKind::Unreachable
        );
        let none = CoreError::from(BackupEmailError::NoEmailConnector);
        assert!(none.to_string().contains("no Email connector"), "{none}");
    }

    #[test]
    fn a_long_failure_is_cut_in_the_subject_only() {
        let long = BackupEmail {
            failure: "é".repeat(300),
            ..original()
        };
        assert!(subject(&long).chars().count() < 160);
        assert!(body(&long).contains(&"é".repeat(300)));
    }
}
