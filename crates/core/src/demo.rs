//! The sandbox demo: an organization with one connector per provider, all pointing at a local
//! provider emulator, so a newcomer can click through everything offline. The emulator itself is
//! started by the caller (the app or the CLI); core only needs its address and credentials.

use crate::error::CoreError;
use crate::model::{
    Connector, ConnectorDraft, ConnectorKind, ConnectorSettings, Organization, OrganizationDraft,
    ProviderKind, RecipientDraft,
};
use crate::service::Switchboard;

/// Name of the organization the demo creates.
pub const DEMO_ORGANIZATION: &str = "Sandbox demo";

/// Where the emulator listens and the credentials of its seeded accounts.
#[derive(Clone)]
pub struct DemoAccounts {
    /// Root URL, e.g. `http://127.0.0.1:4010`; providers live under `/twilio`, `/telnyx`, `/46elks`.
    pub url: String,
    pub twilio_account_sid: String,
    pub twilio_auth_token: String,
    pub telnyx_api_key: String,
    pub elks_username: String,
    pub elks_password: String,
}

impl std::fmt::Debug for DemoAccounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoAccounts")
            .field("url", &self.url)
            .field("twilio_account_sid", &self.twilio_account_sid)
            .field("elks_username", &self.elks_username)
            .finish_non_exhaustive()
    }
}

/// The demo organization and its connectors (not yet checked).
#[derive(Debug, Clone)]
pub struct Demo {
    pub organization: Organization,
    pub connectors: Vec<Connector>,
}

impl Switchboard {
    /// Creates the demo organization with a WhatsApp (Twilio) connector and SMS connectors for
    /// Twilio, Telnyx and 46elks, all pointing at the emulator at `accounts.url`. Refused when the
    /// demo organization exists already (the caller shows it instead).
    pub fn demo_create(&self, accounts: &DemoAccounts) -> Result<Demo, CoreError> {
        if self
            .organizations()?
            .iter()
            .any(|org| org.name == DEMO_ORGANIZATION)
        {
            return Err(CoreError::field(
                "name",
                format!("The organization '{DEMO_ORGANIZATION}' exists already: open it instead"),
            ));
        }
        let url = accounts.url.trim_end_matches('/');
        // The emulator's sink stands in for the hotel's inbound service.
        let organization = self.organization_create(&OrganizationDraft {
            name: DEMO_ORGANIZATION.to_owned(),
            inbound_base_url: Some(format!("{url}/_sandbox/sink")),
        })?;
        let twilio = |kind, name: &str, from: &str| ConnectorDraft {
            org_id: organization.id.clone(),
            kind,
            provider: ProviderKind::Twilio,
            name: name.to_owned(),
            settings: ConnectorSettings {
                account_sid: Some(accounts.twilio_account_sid.clone()),
                from: Some(from.to_owned()),
                base_url: Some(format!("{url}/twilio")),
                ..ConnectorSettings::default()
            },
            recipients: vec![RecipientDraft {
                number: "+14155550199".to_owned(),
                backup_email: Some("front-desk@example.com".to_owned()),
            }],
            receive_inbound: true,
            secret: Some(accounts.twilio_auth_token.clone()),
        };
        let drafts = [
            twilio(ConnectorKind::Whatsapp, "WhatsApp (Twilio)", "+14155550101"),
            twilio(ConnectorKind::Sms, "SMS (Twilio)", "+14155550102"),
            ConnectorDraft {
                org_id: organization.id.clone(),
                kind: ConnectorKind::Sms,
                provider: ProviderKind::Telnyx,
                name: "SMS (Telnyx)".to_owned(),
                settings: ConnectorSettings {
                    from: Some("+13125550101".to_owned()),
                    base_url: Some(format!("{url}/telnyx")),
                    ..ConnectorSettings::default()
                },
                recipients: Vec::new(),
                receive_inbound: true,
                secret: Some(accounts.telnyx_api_key.clone()),
            },
            ConnectorDraft {
                org_id: organization.id.clone(),
                kind: ConnectorKind::Sms,
                provider: ProviderKind::Elks46,
                name: "SMS (46elks)".to_owned(),
                settings: ConnectorSettings {
                    username: Some(accounts.elks_username.clone()),
                    from: Some("Hotel".to_owned()),
                    base_url: Some(format!("{url}/46elks")),
                    ..ConnectorSettings::default()
                },
                recipients: Vec::new(),
                receive_inbound: true,
                secret: Some(accounts.elks_password.clone()),
            },
        ];
        let connectors = drafts
            .iter()
            .map(|draft| self.connector_create(draft))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Demo {
            organization,
            connectors,
        })
    }

    /// Points every connector whose base URLs start with `old_url` at `new_url` instead (the
    /// emulator came back on another port). Returns how many connectors changed.
    pub fn demo_rebase(&self, old_url: &str, new_url: &str) -> Result<usize, CoreError> {
        let old_url = old_url.trim_end_matches('/');
        let new_url = new_url.trim_end_matches('/');
        if old_url == new_url {
            return Ok(0);
        }
        let move_url = |value: &mut Option<String>| match value {
            Some(url) if url.starts_with(old_url) => {
                *url = format!("{new_url}{}", &url[old_url.len()..]);
                true
            }
            _ => false,
        };
        let mut changed = 0;
        for org in self.organizations()? {
            let mut base = org.inbound_base_url.clone();
            if move_url(&mut base) {
                self.organization_update(
                    &org.id,
                    &OrganizationDraft {
                        name: org.name.clone(),
                        inbound_base_url: base,
                    },
                )?;
            }
        }
        for connector in self.connectors(None)? {
            let mut settings = connector.settings.clone();
            let moved = [
                move_url(&mut settings.base_url),
                move_url(&mut settings.messaging_base_url),
                move_url(&mut settings.content_base_url),
            ];
            if !moved.contains(&true) {
                continue;
            }
            let draft = ConnectorDraft {
                org_id: connector.org_id.clone(),
                kind: connector.kind,
                provider: connector.provider,
                name: connector.name.clone(),
                settings,
                recipients: connector
                    .recipients
                    .iter()
                    .map(|r| RecipientDraft {
                        number: r.number.clone(),
                        backup_email: r.backup_email.clone(),
                    })
                    .collect(),
                receive_inbound: connector.receive_inbound,
                secret: None,
            };
            self.connector_update(&connector.id, &draft)?;
            changed += 1;
        }
        Ok(changed)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::{MemorySecretStore, SecretKey, SecretStore, Store};

    fn accounts(url: &str) -> DemoAccounts {
        DemoAccounts {
            url: url.to_owned(),
            twilio_account_sid: format!("AC{}", "a".repeat(32)),
            twilio_auth_token: "twilio-token".to_owned(),
            telnyx_api_key: "KEYtelnyx".to_owned(),
            elks_username: format!("u{}", "b".repeat(32)),
            elks_password: "elks-password".to_owned(),
        }
    }

    fn core() -> (Switchboard, Arc<MemorySecretStore>) {
        let secrets = Arc::new(MemorySecretStore::default());
        let store = Store::open_in_memory().unwrap();
        (Switchboard::new(store, secrets.clone()), secrets)
    }

    #[test]
    fn creates_one_connector_per_provider_pointing_at_the_emulator() {
        let (core, secrets) = core();
        let demo = core
            .demo_create(&accounts("http://127.0.0.1:4010/"))
            .unwrap();
        assert_eq!(demo.organization.name, DEMO_ORGANIZATION);
        let providers: Vec<_> = demo
            .connectors
            .iter()
            .map(|c| (c.kind, c.provider))
            .collect();
        assert_eq!(
            providers,
            [
                (ConnectorKind::Whatsapp, ProviderKind::Twilio),
                (ConnectorKind::Sms, ProviderKind::Twilio),
                (ConnectorKind::Sms, ProviderKind::Telnyx),
                (ConnectorKind::Sms, ProviderKind::Elks46),
            ]
        );
        assert_eq!(
            demo.connectors[2].settings.base_url.as_deref(),
            Some("http://127.0.0.1:4010/telnyx")
        );
        let secret = secrets
            .get(&SecretKey::connector(&demo.connectors[3].id))
            .unwrap()
            .unwrap();
        assert_eq!(secret.expose(), "elks-password");

        let again = core
            .demo_create(&accounts("http://127.0.0.1:4010"))
            .unwrap_err();
        assert!(again.to_string().contains("exists already"), "{again}");
        assert_eq!(core.connectors(None).unwrap().len(), 4);
    }

    #[test]
    fn rebase_moves_only_connectors_on_the_old_address_and_keeps_secrets() {
        let (core, secrets) = core();
        let demo = core
            .demo_create(&accounts("http://127.0.0.1:4010"))
            .unwrap();
        let changed = core
            .demo_rebase("http://127.0.0.1:4010", "http://127.0.0.1:5020")
            .unwrap();
        assert_eq!(changed, 4);
        let moved = core.connector(&demo.connectors[0].id).unwrap();
        assert_eq!(
            moved.settings.base_url.as_deref(),
            Some("http://127.0.0.1:5020/twilio")
        );
        assert!(moved.has_secret);
        let org = core.organization(&demo.organization.id).unwrap();
        assert_eq!(
            org.inbound_base_url.as_deref(),
            Some("http://127.0.0.1:5020/_sandbox/sink")
        );
        let secret = secrets
            .get(&SecretKey::connector(&moved.id))
            .unwrap()
            .unwrap();
        assert_eq!(secret.expose(), "twilio-token");
        assert_eq!(
            core.demo_rebase("http://127.0.0.1:4010", "http://127.0.0.1:6000")
                .unwrap(),
            0
        );
    }
}
