//! The services the app and the CLI call. Each method validates its input, touches the store and
//! the keychain in an order that never loses what the user already had, and returns typed errors.

use std::path::Path;
use std::sync::Arc;

use crate::clock::now;
use crate::error::{CoreError, FieldError};
use crate::ids::new_id;
use crate::model::{
    Connector, ConnectorDraft, Organization, OrganizationDraft, OrganizationUpdate,
};
use crate::secrets::{KeyringSecretStore, SecretKey, SecretStore, Sensitive};
use crate::store::Store;
use crate::{paths, validate};

/// The services. Cloning is cheap (the store and the keychain are shared), which lets
/// [`Switchboard::blocking`] hand a copy to a blocking thread.
#[derive(Clone)]
pub struct Switchboard {
    store: Arc<Store>,
    secrets: Arc<dyn SecretStore>,
    provider_timeout: std::time::Duration,
    /// One concurrency window per provider account (see [`crate::limiter`]).
    limiters: Arc<crate::limiter::Limiters>,
}

impl std::fmt::Debug for Switchboard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Switchboard")
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

impl Switchboard {
    pub fn new(store: Store, secrets: Arc<dyn SecretStore>) -> Self {
        Self {
            store: Arc::new(store),
            secrets,
            provider_timeout: crate::adapter::DEFAULT_TIMEOUT,
            limiters: Arc::default(),
        }
    }

    /// The concurrency window of the connector's provider account, shared by every job on it.
    pub fn account_limiter(
        &self,
        connector: &crate::model::Connector,
    ) -> Arc<crate::limiter::AccountLimiter> {
        self.limiters.for_connector(connector)
    }

    /// How long one provider request may take before it counts as timed out (default 15 s).
    pub fn with_provider_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.provider_timeout = timeout;
        self
    }

    pub(crate) fn provider_timeout(&self) -> std::time::Duration {
        self.provider_timeout
    }

    /// The database in `data_dir` and the OS keychain (namespaced by the environment).
    pub fn open(data_dir: &Path) -> Result<Self, CoreError> {
        Self::open_with_secrets(data_dir, Arc::new(KeyringSecretStore::from_env()))
    }

    /// The database in `data_dir` with the given secret store.
    pub fn open_with_secrets(
        data_dir: &Path,
        secrets: Arc<dyn SecretStore>,
    ) -> Result<Self, CoreError> {
        let store = Store::open(&data_dir.join(paths::DATABASE_FILE))?;
        Ok(Self::new(store, secrets))
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub(crate) fn secret_store(&self) -> &dyn SecretStore {
        self.secrets.as_ref()
    }

    /// Runs `call` on a thread meant for blocking work and waits for it without holding an async
    /// worker: SQLite and the keychain block, so async code (the app's commands, provider flows)
    /// reaches them through this one door.
    pub async fn blocking<T, F>(&self, call: F) -> Result<T, CoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Switchboard) -> Result<T, CoreError> + Send + 'static,
    {
        let core = self.clone();
        match tokio::task::spawn_blocking(move || call(&core)).await {
            Ok(result) => result,
            Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
            Err(_) => Err(CoreError::Conflict(
                "The operation was cancelled because Switchboard is shutting down".to_owned(),
            )),
        }
    }

    // ---- organizations ----

    pub fn organization_create(
        &self,
        draft: &OrganizationDraft,
    ) -> Result<Organization, CoreError> {
        let draft = validate::organization(draft).map_err(CoreError::Validation)?;
        if self.store.organization_by_name(&draft.name)?.is_some() {
            return Err(CoreError::field(
                "name",
                format!("An organization named '{}' already exists", draft.name),
            ));
        }
        let created = self.store.insert_organization(&new_id(), &draft, &now())?;
        // The organization exists: a failure to audit it is logged, not returned (a retry would
        // only meet "already exists").
        if let Err(error) = self.audit_org(
            &created.id,
            "organization.create",
            &created.name,
            None,
            Some(&organization_summary(&created)),
        ) {
            tracing::warn!(%error, "could not write the audit entry");
        }
        Ok(created)
    }

    /// Changes an organization. A new inbound base URL changes every connector's webhook URL, so
    /// every active number is flagged to be set again (as after a regenerate) and the answer says
    /// how many.
    pub fn organization_update(
        &self,
        id: &str,
        draft: &OrganizationDraft,
    ) -> Result<OrganizationUpdate, CoreError> {
        let current = self.organization(id)?;
        let draft = validate::organization(draft).map_err(CoreError::Validation)?;
        let taken = self.store.organization_by_name(&draft.name)?;
        if taken.is_some_and(|other| other.id != current.id) {
            return Err(CoreError::field(
                "name",
                format!("An organization named '{}' already exists", draft.name),
            ));
        }
        let base_changed = current.inbound_base_url != draft.inbound_base_url;
        let numbers_to_reset =
            self.store
                .update_organization(&current.id, &draft, &now(), base_changed)?;
        if current.name != draft.name {
            self.audit_org(
                &current.id,
                "organization.rename",
                &draft.name,
                Some(&current.name),
                Some(&draft.name),
            )?;
        }
        if base_changed {
            self.audit_org(
                &current.id,
                "organization.inbound_base_url",
                &draft.name,
                current.inbound_base_url.as_deref(),
                draft.inbound_base_url.as_deref(),
            )?;
        }
        Ok(OrganizationUpdate {
            organization: self.organization(&current.id)?,
            numbers_to_reset,
        })
    }

    pub fn organizations(&self) -> Result<Vec<Organization>, CoreError> {
        Ok(self.store.organizations()?)
    }

    pub fn organization(&self, id: &str) -> Result<Organization, CoreError> {
        self.store
            .organization(id)?
            .ok_or_else(|| CoreError::NotFound {
                what: "Organization",
                reference: id.to_owned(),
            })
    }

    /// Finds an organization by id or by exact name (what a person types in the CLI).
    pub fn organization_resolve(&self, reference: &str) -> Result<Organization, CoreError> {
        if let Some(org) = self.store.organization(reference)? {
            return Ok(org);
        }
        self.store
            .organization_by_name(reference)?
            .ok_or_else(|| CoreError::NotFound {
                what: "Organization",
                reference: reference.to_owned(),
            })
    }

    // ---- connectors ----

    /// Checks a draft as the user types: the field rules plus the name's uniqueness.
    pub fn connector_validate(
        &self,
        draft: &ConnectorDraft,
        existing_id: Option<&str>,
    ) -> Result<Vec<FieldError>, CoreError> {
        let mut errors = match validate::connector(draft, existing_id.is_none()) {
            Ok(_) => Vec::new(),
            Err(errors) => errors,
        };
        let name = draft.name.trim();
        if !name.is_empty()
            && self
                .store
                .connector_name_taken(&draft.org_id, name, existing_id)?
        {
            errors.push(name_taken(name));
        }
        Ok(errors)
    }

    fn checked_draft(
        &self,
        draft: &ConnectorDraft,
        existing_id: Option<&str>,
    ) -> Result<ConnectorDraft, CoreError> {
        let mut errors = Vec::new();
        if self.store.organization(&draft.org_id)?.is_none() {
            errors.push(FieldError::new(
                "orgId",
                "Choose an organization that exists",
            ));
        }
        let normalized = validate::connector(draft, existing_id.is_none());
        let name = match &normalized {
            Ok(ok) => ok.name.clone(),
            Err(_) => draft.name.trim().to_owned(),
        };
        if !name.is_empty()
            && errors.is_empty()
            && self
                .store
                .connector_name_taken(&draft.org_id, &name, existing_id)?
        {
            errors.push(name_taken(&name));
        }
        match normalized {
            Ok(ok) if errors.is_empty() => Ok(ok),
            Ok(_) => Err(CoreError::Validation(errors)),
            Err(mut field_errors) => {
                field_errors.append(&mut errors);
                Err(CoreError::Validation(field_errors))
            }
        }
    }

    /// Saves a new connector: the settings go to the database first, then the secret to the
    /// keychain; if the keychain refuses, the row is removed again. A row the database refuses
    /// never leaves a keychain entry behind.
    pub fn connector_create(&self, draft: &ConnectorDraft) -> Result<Connector, CoreError> {
        let draft = self.checked_draft(draft, None)?;
        let id = new_id();
        self.store
            .insert_connector(&id, &draft, &new_id(), &now())?;
        if let Some(secret) = &draft.secret {
            let stored = self
                .secrets
                .set(&SecretKey::connector(&id), &Sensitive::new(secret.clone()));
            if let Err(error) = stored {
                if let Err(cleanup) = self.store.delete_connector(&id) {
                    tracing::warn!(%cleanup, "could not remove a connector whose secret was not stored");
                }
                return Err(error.into());
            }
        }
        let created = self.connector(&id)?;
        self.audit_change(&created, "connector.create", None, Some(&created));
        if created.has_secret {
            self.audit_secret(&created);
        }
        Ok(created)
    }

    /// Saves changes. Kind and provider stay as they are; a missing secret keeps the stored one.
    /// A new secret replaces the stored one only together with the row: if the database refuses
    /// the change, the previous secret is put back.
    pub fn connector_update(
        &self,
        id: &str,
        draft: &ConnectorDraft,
    ) -> Result<Connector, CoreError> {
        let current = self.connector(id)?;
        let mut errors = Vec::new();
        if draft.kind != current.kind {
            errors.push(FieldError::new(
                "kind",
                "The kind of a connector cannot change: create a new connector instead",
            ));
        }
        if draft.provider() != current.provider() {
            errors.push(FieldError::new(
                "settings.provider",
                "The provider of a connector cannot change: create a new connector instead",
            ));
        }
        if draft.org_id != current.org_id {
            errors.push(FieldError::new(
                "orgId",
                "A connector cannot move to another organization",
            ));
        }
        if !errors.is_empty() {
            return Err(CoreError::Validation(errors));
        }
        let draft = self.checked_draft(draft, Some(&current.id))?;
        let key = SecretKey::connector(&current.id);
        let replaced = match &draft.secret {
            Some(secret) => {
                let previous = self.secrets.get(&key)?;
                self.secrets.set(&key, &Sensitive::new(secret.clone()))?;
                Some(previous)
            }
            None => None,
        };
        if let Err(error) = self.store.update_connector(&current.id, &draft, &now()) {
            if let Some(previous) = replaced {
                self.restore_secret(&key, previous);
            }
            return Err(error.into());
        }
        let updated = self.connector(&current.id)?;
        if audit_summary(&current) != audit_summary(&updated) {
            self.audit_change(&updated, "connector.update", Some(&current), Some(&updated));
        }
        if replaced.is_some() {
            self.audit_secret(&updated);
        }
        Ok(updated)
    }

    /// Removes the connector and its keychain entry. The keychain goes first, so no secret is
    /// ever orphaned; if the database then refuses, the secret is put back and the connector
    /// stays as it was.
    pub fn connector_delete(&self, id: &str) -> Result<(), CoreError> {
        let current = self.connector(id)?;
        let key = SecretKey::connector(&current.id);
        let previous = self.secrets.get(&key)?;
        self.secrets.delete(&key)?;
        if let Err(error) = self.store.delete_connector(&current.id) {
            self.restore_secret(&key, previous);
            return Err(error.into());
        }
        self.audit_change(&current, "connector.delete", Some(&current), None);
        Ok(())
    }

    /// Records a connector change with what it was and became (never a secret: the summary
    /// holds no secret field). The change itself is done: a failure to audit it is logged.
    fn audit_change(
        &self,
        connector: &Connector,
        action: &str,
        before: Option<&Connector>,
        after: Option<&Connector>,
    ) {
        let (before, after) = (before.map(audit_summary), after.map(audit_summary));
        if let Err(error) = self.audit(
            connector,
            action,
            &connector.name,
            before.as_deref(),
            after.as_deref(),
        ) {
            tracing::warn!(%error, action, "could not write the audit entry");
        }
    }

    /// Records that the connector's secret was set or replaced: that it happened, never its value.
    fn audit_secret(&self, connector: &Connector) {
        let entry = self.audit(
            connector,
            "connector.secret_replaced",
            &connector.name,
            None,
            Some("a new secret is in the system keychain"),
        );
        if let Err(error) = entry {
            tracing::warn!(%error, "could not write the audit entry");
        }
    }

    /// Puts back what the keychain held under `key` before a change the database then refused.
    fn restore_secret(&self, key: &SecretKey, previous: Option<Sensitive<String>>) {
        let restored = match &previous {
            Some(secret) => self.secrets.set(key, secret),
            None => self.secrets.delete(key),
        };
        if let Err(error) = restored {
            tracing::warn!(%error, "could not put a connector's previous secret back in the keychain");
        }
    }

    pub fn connector(&self, id: &str) -> Result<Connector, CoreError> {
        self.store
            .connector(id)?
            .ok_or_else(|| CoreError::NotFound {
                what: "Connector",
                reference: id.to_owned(),
            })
    }

    /// Finds a connector by id, unique id prefix (4+ characters) or unique name.
    pub fn connector_resolve(&self, reference: &str) -> Result<Connector, CoreError> {
        let ids = self.store.connector_ids_matching(reference.trim())?;
        match ids.as_slice() {
            [] => Err(CoreError::NotFound {
                what: "Connector",
                reference: reference.to_owned(),
            }),
            [id] => self.connector(id),
            many => Err(CoreError::Ambiguous(format!(
                "'{reference}' matches {} connectors: use the full id",
                many.len()
            ))),
        }
    }

    pub fn connectors(&self, org_id: Option<&str>) -> Result<Vec<Connector>, CoreError> {
        Ok(self.store.connectors(org_id)?)
    }

    /// The connector's event log, newest first.
    pub fn connector_events(
        &self,
        id: &str,
        limit: u32,
    ) -> Result<Vec<crate::model::Event>, CoreError> {
        let connector = self.connector(id)?;
        Ok(self.store.events(&connector.id, limit)?)
    }

    /// The connector's secret, for a provider call. Never send it to the UI.
    pub fn connector_secret(&self, id: &str) -> Result<Option<Sensitive<String>>, CoreError> {
        Ok(self.secrets.get(&SecretKey::connector(id))?)
    }
}

fn name_taken(name: &str) -> FieldError {
    FieldError::new(
        "name",
        format!("This organization already has a connector named '{name}'"),
    )
}

/// What the audit log keeps of a new organization: its name and inbound base URL.
fn organization_summary(org: &Organization) -> String {
    match &org.inbound_base_url {
        Some(url) => format!("{} (inbound base URL {url})", org.name),
        None => format!("{} (no inbound base URL)", org.name),
    }
}

/// What the audit log keeps of a connector: its name, settings, recipients and inbound switch
/// (the secret is never part of a `Connector`).
fn audit_summary(connector: &Connector) -> String {
    serde_json::json!({
        "name": connector.name,
        "settings": connector.settings,
        "recipients": connector.recipients,
        "receiveInbound": connector.receive_inbound,
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        ConnectorKind, ConnectorSettings, ConnectorState, ElksSettings, RecipientDraft,
        TelnyxSettings,
    };
    use crate::secrets::MemorySecretStore;

    fn core() -> (Switchboard, Arc<MemorySecretStore>) {
        let secrets = Arc::new(MemorySecretStore::default());
        (
            Switchboard::new(Store::open_in_memory().unwrap(), secrets.clone()),
            secrets,
        )
    }

    fn org(core: &Switchboard) -> Organization {
        core.organization_create(&OrganizationDraft {
            name: "Grand Hotel".into(),
            inbound_base_url: None,
        })
        .unwrap()
    }

    fn draft(org_id: &str) -> ConnectorDraft {
        ConnectorDraft {
            org_id: org_id.into(),
            kind: ConnectorKind::Sms,
            name: "Reception SMS".into(),
            settings: ConnectorSettings::Telnyx(TelnyxSettings {
                from: Some("+46 70 123 45 67".into()),
                ..TelnyxSettings::default()
            }),
            recipients: vec![RecipientDraft {
                number: "+46 70 765 43 21".into(),
                backup_email: Some("night@hotel.example".into()),
            }],
            receive_inbound: true,
            secret: Some("KEY-telnyx-secret".into()),
        }
    }

    #[test]
    fn create_show_edit_remove() {
        let (core, secrets) = core();
        let org = org(&core);
        let created = core.connector_create(&draft(&org.id)).unwrap();
        assert_eq!(created.state, ConnectorState::NotChecked);
        assert!(created.has_secret);
        assert_eq!(created.settings.sender(), Some("+46701234567"));
        assert_eq!(created.recipients[0].number, "+46707654321");
        let key = SecretKey::connector(&created.id);
        assert_eq!(
            secrets.get(&key).unwrap().unwrap().expose(),
            "KEY-telnyx-secret"
        );

        let mut edit = draft(&org.id);
        edit.name = "Reception".into();
        edit.secret = None;
        edit.recipients.clear();
        let edited = core.connector_update(&created.id, &edit).unwrap();
        assert_eq!(edited.name, "Reception");
        assert!(edited.recipients.is_empty());
        assert_eq!(
            secrets.get(&key).unwrap().unwrap().expose(),
            "KEY-telnyx-secret",
            "kept"
        );

        assert_eq!(core.connectors(Some(&org.id)).unwrap().len(), 1);
        core.connector_delete(&created.id).unwrap();
        assert!(core.connectors(None).unwrap().is_empty());
        assert!(
            secrets.get(&key).unwrap().is_none(),
            "the keychain entry goes with it"
        );
    }

    #[test]
    fn names_are_unique_within_an_organization() {
        let (core, _) = core();
        let org = org(&core);
        core.connector_create(&draft(&org.id)).unwrap();
        let mut same = draft(&org.id);
        same.name = "reception sms".into();
        let Err(CoreError::Validation(errors)) = core.connector_create(&same) else {
            panic!("a duplicate name must be refused");
        };
        assert_eq!(errors[0].field, "name");
        assert_eq!(
            core.connector_validate(&same, None).unwrap()[0].field,
            "name"
        );
        let other = core
            .organization_create(&OrganizationDraft {
                name: "Spa".into(),
                inbound_base_url: None,
            })
            .unwrap();
        core.connector_create(&draft(&other.id)).unwrap();
    }

    #[test]
    fn a_refused_edit_changes_nothing() {
        let (core, secrets) = core();
        let org = org(&core);
        let created = core.connector_create(&draft(&org.id)).unwrap();
        let mut bad = draft(&org.id);
        bad.settings = ConnectorSettings::Telnyx(TelnyxSettings {
            from: Some("0701234567".into()),
            ..TelnyxSettings::default()
        });
        bad.secret = Some("NEW-secret".into());
        assert!(matches!(
            core.connector_update(&created.id, &bad),
            Err(CoreError::Validation(_))
        ));
        assert_eq!(core.connector(&created.id).unwrap(), created);
        let key = SecretKey::connector(&created.id);
        assert_eq!(
            secrets.get(&key).unwrap().unwrap().expose(),
            "KEY-telnyx-secret"
        );

        let mut other_provider = draft(&org.id);
        other_provider.settings = ConnectorSettings::Elks46(ElksSettings {
            username: "u1".into(),
            from: Some("GrandHotel".into()),
            ..ElksSettings::default()
        });
        let Err(CoreError::Validation(errors)) =
            core.connector_update(&created.id, &other_provider)
        else {
            panic!("provider change must be refused");
        };
        assert_eq!(errors[0].field, "settings.provider");
    }

    #[test]
    fn connectors_resolve_by_prefix_or_name() {
        let (core, _) = core();
        let org = org(&core);
        let created = core.connector_create(&draft(&org.id)).unwrap();
        assert_eq!(
            core.connector_resolve(&created.id[..6]).unwrap().id,
            created.id
        );
        assert_eq!(
            core.connector_resolve("Reception SMS").unwrap().id,
            created.id
        );
        assert!(matches!(
            core.connector_resolve("nope"),
            Err(CoreError::NotFound { .. })
        ));
    }

    #[test]
    fn an_unknown_organization_is_a_field_error() {
        let (core, _) = core();
        let Err(CoreError::Validation(errors)) = core.connector_create(&draft("missing")) else {
            panic!("expected a validation error");
        };
        assert_eq!(errors[0].field, "orgId");
    }

    /// A keychain that notes which threads read it.
    #[derive(Default)]
    struct WatchedKeychain {
        inner: MemorySecretStore,
        readers: std::sync::Mutex<Vec<std::thread::ThreadId>>,
    }

    impl SecretStore for WatchedKeychain {
        fn set(
            &self,
            key: &SecretKey,
            value: &Sensitive<String>,
        ) -> Result<(), crate::SecretError> {
            self.inner.set(key, value)
        }

        fn get(&self, key: &SecretKey) -> Result<Option<Sensitive<String>>, crate::SecretError> {
            self.readers
                .lock()
                .unwrap()
                .push(std::thread::current().id());
            self.inner.get(key)
        }

        fn delete(&self, key: &SecretKey) -> Result<(), crate::SecretError> {
            self.inner.delete(key)
        }
    }

    /// On a current-thread runtime the async code runs on the test's own thread, so a keychain
    /// read there would block every other task of the runtime.
    #[tokio::test(flavor = "current_thread")]
    async fn async_services_reach_the_keychain_off_the_async_thread() {
        let keychain = Arc::new(WatchedKeychain::default());
        let core = Switchboard::new(Store::open_in_memory().unwrap(), keychain.clone());
        let org = org(&core);
        let mut telnyx = draft(&org.id);
        // Port 9 (discard) refuses: the provider call fails after the secret was read.
        telnyx.settings = ConnectorSettings::Telnyx(TelnyxSettings {
            base_url: Some("http://127.0.0.1:9".into()),
            from: Some("+13125550101".into()),
            ..TelnyxSettings::default()
        });
        let connector = core.connector_create(&telnyx).unwrap();
        keychain.readers.lock().unwrap().clear();

        assert!(core.numbers_refresh(&connector.id).await.is_err());
        let readers = keychain.readers.lock().unwrap().clone();
        assert!(!readers.is_empty(), "the refresh read the secret");
        let async_thread = std::thread::current().id();
        assert!(
            readers.iter().all(|reader| *reader != async_thread),
            "the keychain was read on the async thread"
        );
    }

    /// A keychain that refuses what a test tells it to.
    #[derive(Default)]
    struct FlakyKeychain {
        inner: MemorySecretStore,
        refuse_set: std::sync::atomic::AtomicBool,
        refuse_delete: std::sync::atomic::AtomicBool,
    }

    impl FlakyKeychain {
        fn refused(flag: &std::sync::atomic::AtomicBool) -> Result<(), crate::SecretError> {
            match flag.load(std::sync::atomic::Ordering::SeqCst) {
                true => Err(crate::SecretError::Refused {
                    detail: "refused by the test".into(),
                }),
                false => Ok(()),
            }
        }
    }

    impl SecretStore for FlakyKeychain {
        fn set(
            &self,
            key: &SecretKey,
            value: &Sensitive<String>,
        ) -> Result<(), crate::SecretError> {
            Self::refused(&self.refuse_set)?;
            self.inner.set(key, value)
        }

        fn get(&self, key: &SecretKey) -> Result<Option<Sensitive<String>>, crate::SecretError> {
            self.inner.get(key)
        }

        fn delete(&self, key: &SecretKey) -> Result<(), crate::SecretError> {
            Self::refused(&self.refuse_delete)?;
            self.inner.delete(key)
        }
    }

    fn flaky_core() -> (Switchboard, Arc<FlakyKeychain>) {
        let keychain = Arc::new(FlakyKeychain::default());
        let core = Switchboard::new(Store::open_in_memory().unwrap(), keychain.clone());
        (core, keychain)
    }

    /// Makes the database refuse one kind of write to the connectors table, as a full disk or
    /// a locked file would.
    fn refuse_connector_writes(core: &Switchboard, operation: &str) {
        core.store()
            .conn()
            .execute_batch(&format!(
                "CREATE TEMP TRIGGER refuse_{operation} BEFORE {operation} ON connectors
                 BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;"
            ))
            .unwrap();
    }

    fn stored_secret(keychain: &dyn SecretStore, id: &str) -> Option<String> {
        keychain
            .get(&SecretKey::connector(id))
            .unwrap()
            .map(|s| s.expose().clone())
    }

    #[test]
    fn a_refused_update_keeps_the_old_secret() {
        let (core, keychain) = flaky_core();
        let org = org(&core);
        let created = core.connector_create(&draft(&org.id)).unwrap();
        refuse_connector_writes(&core, "UPDATE");
        let mut edit = draft(&org.id);
        edit.name = "Renamed".into();
        edit.secret = Some("KEY-new-secret".into());
        assert!(core.connector_update(&created.id, &edit).is_err());
        assert_eq!(core.connector(&created.id).unwrap(), created);
        assert_eq!(
            stored_secret(keychain.as_ref(), &created.id).as_deref(),
            Some("KEY-telnyx-secret"),
            "the secret that goes with the unchanged row"
        );
    }

    #[test]
    fn a_refused_update_of_a_connector_without_secret_leaves_none() {
        let (core, keychain) = flaky_core();
        let org = org(&core);
        let smtp = ConnectorDraft {
            kind: ConnectorKind::Email,
            name: "Backup mail".into(),
            settings: ConnectorSettings::Smtp(crate::model::SmtpSettings {
                host: "smtp.hotel.example".into(),
                port: 587,
                from: "noreply@hotel.example".into(),
                ..Default::default()
            }),
            recipients: Vec::new(),
            secret: None,
            ..draft(&org.id)
        };
        let created = core.connector_create(&smtp).unwrap();
        assert!(!created.has_secret);
        refuse_connector_writes(&core, "UPDATE");
        let with_password = ConnectorDraft {
            secret: Some("mail-password".into()),
            ..smtp
        };
        assert!(core.connector_update(&created.id, &with_password).is_err());
        assert_eq!(stored_secret(keychain.as_ref(), &created.id), None);
    }

    #[test]
    fn a_refused_create_leaves_no_keychain_entry() {
        let (core, keychain) = flaky_core();
        let org = org(&core);
        refuse_connector_writes(&core, "INSERT");
        // Even a keychain that would not let go of an entry once written keeps none.
        keychain
            .refuse_delete
            .store(true, std::sync::atomic::Ordering::SeqCst);
        assert!(core.connector_create(&draft(&org.id)).is_err());
        assert!(core.connectors(None).unwrap().is_empty());
        assert!(
            keychain.inner.is_empty(),
            "no keychain entry for a connector that does not exist"
        );
    }

    #[test]
    fn a_keychain_that_refuses_the_secret_saves_no_connector() {
        let (core, keychain) = flaky_core();
        let org = org(&core);
        keychain
            .refuse_set
            .store(true, std::sync::atomic::Ordering::SeqCst);
        let Err(CoreError::Secret(_)) = core.connector_create(&draft(&org.id)) else {
            panic!("the keychain's refusal must be the error");
        };
        assert!(core.connectors(None).unwrap().is_empty());
    }

    #[test]
    fn a_refused_delete_leaves_the_connector_whole() {
        let (core, keychain) = flaky_core();
        let org = org(&core);
        let created = core.connector_create(&draft(&org.id)).unwrap();
        refuse_connector_writes(&core, "DELETE");
        assert!(core.connector_delete(&created.id).is_err());
        assert_eq!(core.connector(&created.id).unwrap(), created);
        assert_eq!(
            stored_secret(keychain.as_ref(), &created.id).as_deref(),
            Some("KEY-telnyx-secret"),
            "a connector that stays keeps its secret"
        );

        // And a keychain that refuses to delete leaves both in place.
        let (core, keychain) = flaky_core();
        let org = self::org(&core);
        let created = core.connector_create(&draft(&org.id)).unwrap();
        keychain
            .refuse_delete
            .store(true, std::sync::atomic::Ordering::SeqCst);
        assert!(core.connector_delete(&created.id).is_err());
        assert_eq!(core.connector(&created.id).unwrap(), created);
        assert!(stored_secret(keychain.as_ref(), &created.id).is_some());
    }

    #[test]
    fn organization_names_are_unique() {
        let (core, _) = core();
        org(&core);
        let again = core.organization_create(&OrganizationDraft {
            name: "Grand Hotel".into(),
            inbound_base_url: None,
        });
        assert!(matches!(again, Err(CoreError::Validation(e)) if e[0].field == "name"));
    }
}
