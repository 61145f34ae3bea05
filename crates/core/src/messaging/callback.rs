//! A status callback the provider posted (seen by the webhook inspector's listener) applied to
//! the attempt it is about, through the same store update as a polled status.

use switchboard_providers::FailureKind;
use switchboard_providers::failure::table;

use super::store::Update;
use super::wire;
use super::{MessageAttempt, Outcome};
use crate::clock::now;
use crate::error::CoreError;
use crate::service::Switchboard;

impl Switchboard {
    /// Records `status` (with the provider's error code) on the connector's attempt whose
    /// provider message id is `message_id`. Returns the attempt after the change, or `None`
    /// when Switchboard did not send that message or the attempt is final already (a late or
    /// repeated callback never moves a final status back).
    pub(crate) fn apply_status_callback(
        &self,
        connector_id: &str,
        message_id: &str,
        status: &str,
        error_code: Option<&str>,
    ) -> Result<Option<MessageAttempt>, CoreError> {
        let connector = self.connector(connector_id)?;
        let Some(provider) = connector.provider().messaging_provider() else {
            return Ok(None);
        };
        let Some(id) = self
            .store()
            .attempt_id_by_provider_id(connector_id, message_id)?
        else {
            return Ok(None);
        };
        let Some(current) = self.store().attempt(&id)? else {
            return Ok(None);
        };
        if current.r#final || current.status == status {
            return Ok(None);
        }
        let (outcome, r#final) = wire::meaning(provider, status);
        let error_code = error_code.filter(|c| !c.is_empty()).map(str::to_owned);
        let error_kind = match &error_code {
            Some(code) => {
                Some(table::kind_for_code(provider, code).unwrap_or(FailureKind::SendMessageFailed))
            }
            None => (outcome == super::Outcome::Failed).then_some(FailureKind::SendMessageFailed),
        };
        let update = Update {
            status: status.to_owned(),
            outcome: Some(outcome),
            r#final,
            error_code,
            error_kind: error_kind.map(|k| k.as_str().to_owned()),
            accepted: true,
            ..Update::default()
        };
        self.store().update_attempt(&id, &update, &now())?;
        Ok(self.store().attempt(&id)?)
    }

    /// A status callback about a message Switchboard did not send but imported from the
    /// account's history (`messages sync`): brings that message up to date, so the statistics
    /// count it as it now stands; a delivered or failed one never moves back. Whether it changed.
    pub(crate) fn apply_status_to_imported(
        &self,
        connector_id: &str,
        message_id: &str,
        status: &str,
        error_code: Option<&str>,
    ) -> Result<bool, CoreError> {
        let connector = self.connector(connector_id)?;
        let Some(provider) = connector.provider().messaging_provider() else {
            return Ok(false);
        };
        let outcome = match wire::meaning(provider, status).0 {
            Outcome::Sending | Outcome::Unknown => "pending",
            known => known.as_str(),
        };
        let error_code = error_code.filter(|c| !c.is_empty());
        Ok(self.store().update_imported_status(
            connector_id,
            message_id,
            status,
            outcome,
            error_code,
        )?)
    }
}
