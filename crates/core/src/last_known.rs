//! Offline (issue 11 §5): when a provider cannot be reached, the screens and the CLI show the
//! last known state with its age and what could not be refreshed, instead of an error and an
//! empty screen. Every live read the app shows (numbers, WhatsApp senders, one sender,
//! templates, drift) has a variant here that keeps its last good answer and falls back to it.
//!
//! Only failures that say nothing about the connector itself fall back: the provider could not
//! be reached, refused for load, or had a problem of its own. Refused credentials, a missing
//! permission or a suspended account are the answer, and still reach the user as errors.

use rusqlite::{OptionalExtension, params};
use serde::{Serialize, de::DeserializeOwned};

pub use crate::freshness::{Freshness, offline_failure};

use crate::clock::now;
use crate::error::CoreError;
use crate::messaging::Template;
use crate::numbers::{DriftReport, NumberList, NumberSummary};
use crate::senders::SenderView;
use crate::service::Switchboard;
use crate::store::{Store, StoreError};

/// The account's WhatsApp senders, with how fresh they are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SenderList {
    pub senders: Vec<SenderView>,
    pub freshness: Freshness,
}

/// The account's WhatsApp templates, with how fresh they are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TemplateList {
    pub templates: Vec<Template>,
    pub freshness: Freshness,
}

/// One WhatsApp sender, with how fresh it is (`--json`: the sender's own keys plus `freshness`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SenderShown {
    #[serde(flatten)]
    pub sender: SenderView,
    pub freshness: Freshness,
}

const SENDERS: &str = "senders";

fn templates_subject(all: bool) -> &'static str {
    if all { "templates_all" } else { "templates" }
}

impl Store {
    fn keep_last_known(
        &self,
        connector_id: &str,
        subject: &str,
        body: &str,
        at: &str,
    ) -> Result<(), StoreError> {
        self.conn().execute(
            "INSERT INTO last_known (connector_id, subject, fetched_at, body)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (connector_id, subject)
             DO UPDATE SET fetched_at = excluded.fetched_at, body = excluded.body",
            params![connector_id, subject, at, body],
        )?;
        Ok(())
    }

    /// The kept answer and when it was read.
    fn last_known(
        &self,
        connector_id: &str,
        subject: &str,
    ) -> Result<Option<(String, String)>, StoreError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT body, fetched_at FROM last_known WHERE connector_id = ?1 AND subject = ?2",
                params![connector_id, subject],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?)
    }
}

impl Switchboard {
    /// Keeps a good answer. A snapshot that cannot be kept only costs the offline fallback, so
    /// it is logged, never turned into a failure of the read itself.
    async fn keep_snapshot<T: Serialize>(
        &self,
        connector_id: &str,
        subject: &'static str,
        data: &T,
    ) {
        let Ok(body) = serde_json::to_string(data) else {
            return;
        };
        let id = connector_id.to_owned();
        let kept = self
            .blocking(move |core| Ok(core.store().keep_last_known(&id, subject, &body, &now())?))
            .await;
        if let Err(error) = kept {
            tracing::warn!(connector = %connector_id, %error, subject, "last known state not kept");
        }
    }

    /// The kept answer with its time, when there is one this build can read.
    async fn kept_snapshot<T: DeserializeOwned + Send + 'static>(
        &self,
        reference: &str,
        subject: &'static str,
    ) -> Result<Option<(T, String)>, CoreError> {
        let reference = reference.to_owned();
        self.blocking(move |core| {
            let connector = core.connector_resolve(&reference)?;
            Ok(core
                .store()
                .last_known(&connector.id, subject)?
                .and_then(|(body, at)| Some((serde_json::from_str(&body).ok()?, at))))
        })
        .await
    }

    /// Fetches the numbers list again; when the provider cannot be reached, the kept list with
    /// `freshness.stale` and the failure.
    pub async fn numbers_refresh_or_last_known(
        &self,
        reference: &str,
    ) -> Result<NumberList, CoreError> {
        let fetched = self.numbers_fetch_or_last_known(reference).await?;
        let id = fetched.connector_id.clone();
        let mut list = self.blocking(move |core| core.numbers(&id)).await?;
        list.freshness = fetched.freshness;
        Ok(list)
    }

    /// [`Self::numbers_refresh_or_last_known`] without the rows: the kept list's counts, stale
    /// and why when the provider cannot be reached.
    pub async fn numbers_fetch_or_last_known(
        &self,
        reference: &str,
    ) -> Result<NumberSummary, CoreError> {
        let error = match self.numbers_fetch(reference).await {
            Ok(fetched) => return Ok(fetched),
            Err(error) => error,
        };
        let Some(failure) = offline_failure(&error).cloned() else {
            return Err(error);
        };
        let reference = reference.to_owned();
        let mut kept = self
            .blocking(move |core| core.numbers_summary(&reference))
            .await?;
        kept.freshness = Freshness::stale(kept.fetched_at.clone(), failure);
        Ok(kept)
    }

    /// The WhatsApp senders read afresh, or the last known ones when Twilio cannot be reached
    /// (an error when none were ever read).
    pub async fn senders_list_or_last_known(
        &self,
        reference: &str,
    ) -> Result<SenderList, CoreError> {
        match self.senders_list(reference).await {
            Ok(senders) => {
                let id = self.resolved_id(reference).await?;
                self.keep_snapshot(&id, SENDERS, &senders).await;
                Ok(SenderList {
                    senders,
                    freshness: Freshness::fresh(Some(now())),
                })
            }
            Err(error) => {
                let Some(failure) = offline_failure(&error).cloned() else {
                    return Err(error);
                };
                match self
                    .kept_snapshot::<Vec<SenderView>>(reference, SENDERS)
                    .await?
                {
                    Some((senders, at)) => Ok(SenderList {
                        senders,
                        freshness: Freshness::stale(Some(at), failure),
                    }),
                    None => Err(error),
                }
            }
        }
    }

    /// One sender (by number or `XE…` SID) read afresh, or as the last senders list knew it
    /// when Twilio cannot be reached (an error when that list never held it).
    pub async fn sender_show_or_last_known(
        &self,
        reference: &str,
        sender: &str,
    ) -> Result<SenderShown, CoreError> {
        let error = match self.sender_show(reference, sender).await {
            Ok(sender) => {
                return Ok(SenderShown {
                    sender,
                    freshness: Freshness::fresh(Some(now())),
                });
            }
            Err(error) => error,
        };
        let Some(failure) = offline_failure(&error).cloned() else {
            return Err(error);
        };
        let wanted = sender.trim();
        let number = crate::senders::bare_number(wanted);
        let kept = self
            .kept_snapshot::<Vec<SenderView>>(reference, SENDERS)
            .await?
            .and_then(|(senders, at)| {
                senders
                    .into_iter()
                    .find(|s| s.sid == wanted || s.e164 == number)
                    .map(|sender| (sender, at))
            });
        match kept {
            Some((sender, at)) => Ok(SenderShown {
                sender,
                freshness: Freshness::stale(Some(at), failure),
            }),
            None => Err(error),
        }
    }

    /// The templates read afresh, or the last known ones when Twilio cannot be reached (an
    /// error when none were ever read).
    pub async fn templates_or_last_known(
        &self,
        reference: &str,
        all: bool,
    ) -> Result<TemplateList, CoreError> {
        let subject = templates_subject(all);
        match self.message_templates(reference, all).await {
            Ok(templates) => {
                let id = self.resolved_id(reference).await?;
                self.keep_snapshot(&id, subject, &templates).await;
                Ok(TemplateList {
                    templates,
                    freshness: Freshness::fresh(Some(now())),
                })
            }
            Err(error) => {
                let Some(failure) = offline_failure(&error).cloned() else {
                    return Err(error);
                };
                match self
                    .kept_snapshot::<Vec<Template>>(reference, subject)
                    .await?
                {
                    Some((templates, at)) => Ok(TemplateList {
                        templates,
                        freshness: Freshness::stale(Some(at), failure),
                    }),
                    None => Err(error),
                }
            }
        }
    }

    /// The drift report; a connector whose provider cannot be reached is compared from its
    /// last known list, and the report says so.
    pub async fn drift_or_last_known(
        &self,
        reference: Option<&str>,
    ) -> Result<DriftReport, CoreError> {
        self.drift_report(reference, true).await
    }

    async fn resolved_id(&self, reference: &str) -> Result<String, CoreError> {
        let reference = reference.to_owned();
        self.blocking(move |core| Ok(core.connector_resolve(&reference)?.id))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_providers::{FailureKind, Provider, ProviderFailure};

    fn failure(kind: FailureKind) -> CoreError {
        CoreError::from(ProviderFailure {
            provider: Provider::Twilio,
            kind,
            provider_code: None,
            http_status: None,
            message: String::new(),
            cause: "cause".into(),
            fix: "fix".into(),
            docs_url: None,
        })
    }

    #[test]
    fn only_a_provider_out_of_reach_falls_back_to_the_last_known_state() {
        for kind in [
            FailureKind::Unreachable,
            FailureKind::RateLimited,
            FailureKind::ProviderUnavailable,
        ] {
            assert!(offline_failure(&failure(kind)).is_some(), "{kind}");
        }
        for kind in [
            FailureKind::InvalidCredentials,
            FailureKind::PermissionDenied,
            FailureKind::AccountSuspended,
            FailureKind::NotFound,
        ] {
            assert!(offline_failure(&failure(kind)).is_none(), "{kind}");
        }
        assert!(offline_failure(&CoreError::Conflict("x".into())).is_none());
    }

    #[test]
    fn a_snapshot_is_replaced_and_read_back_with_its_time() {
        let store = Store::open_in_memory().unwrap();
        store
            .conn()
            .execute_batch(
                "INSERT INTO organizations (id, name, created_at, updated_at)
                     VALUES ('o', 'O', 't', 't');
                 INSERT INTO connectors (id, org_id, kind, provider, name, settings,
                     webhook_token, created_at, updated_at)
                     VALUES ('c', 'o', 'whatsapp', 'twilio', 'C', '{}', 'tok', 't', 't');",
            )
            .unwrap();
        assert_eq!(store.last_known("c", SENDERS).unwrap(), None);
        store.keep_last_known("c", SENDERS, "[1]", "t1").unwrap();
        store.keep_last_known("c", SENDERS, "[2]", "t2").unwrap();
        assert_eq!(
            store.last_known("c", SENDERS).unwrap(),
            Some(("[2]".into(), "t2".into()))
        );
        assert_eq!(store.last_known("c", "templates").unwrap(), None);
    }
}
