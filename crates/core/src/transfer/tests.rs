//! Export and import: the round trip into an empty data folder, no secret in the file, bad files
//! changing nothing, failures half-way leaving nothing applied, and partial selections.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Value, json};

use super::*;
use crate::error::CoreError;
use crate::model::{
    ConnectorDraft, ConnectorKind, ConnectorSettings, ElksSettings, OrganizationDraft,
    RecipientDraft, SmtpSecurity, SmtpSettings, TelnyxSettings, TwilioSettings,
};
use crate::secrets::{MemorySecretStore, SecretError, SecretKey, SecretStore, Sensitive};
use crate::store::Store;

const SID: &str = "AC0123456789abcdef0123456789abcdef";
const SECRETS: [(&str, &str); 4] = [
    ("Front desk WhatsApp", "twilio-auth-token-5ecret"),
    ("Reception SMS", "KEY-telnyx-5ecret"),
    ("Nordic SMS", "elks-password-5ecret"),
    ("Backup mail", "smtp-password-5ecret"),
];

fn core_with(secrets: Arc<dyn SecretStore>) -> Switchboard {
    Switchboard::new(Store::open_in_memory().unwrap(), secrets)
}

fn fresh() -> (Switchboard, Arc<MemorySecretStore>) {
    let keychain = Arc::new(MemorySecretStore::default());
    (core_with(keychain.clone()), keychain)
}

fn secret_of(name: &str) -> String {
    SECRETS
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap()
        .1
        .to_owned()
}

fn add_numbers(core: &Switchboard, connector_id: &str, numbers: &[(&str, &str, &str)]) {
    for (e164, provider_id, kind) in numbers {
        core.store()
            .conn()
            .execute(
                "INSERT INTO numbers (connector_id, e164, provider_id, kind, last_seen_at)
                 VALUES (?1, ?2, ?3, ?4, '2026-12-01T00:00:00.000Z')",
                rusqlite::params![connector_id, e164, provider_id, kind],
            )
            .unwrap();
    }
}

/// An organization with one connector of each provider, numbers (some active), agents and
/// channels.
fn scenario() -> (Switchboard, Arc<MemorySecretStore>) {
    let (core, keychain) = fresh();
    let org = core
        .organization_create(&OrganizationDraft {
            name: "Grand Hotel".into(),
            inbound_base_url: Some("https://hooks.grand-hotel.example".into()),
        })
        .unwrap();
    let drafts = [
        (
            ConnectorKind::Whatsapp,
            "Front desk WhatsApp",
            ConnectorSettings::Twilio(TwilioSettings {
                account_sid: SID.into(),
                api_key_sid: Some("SK0123456789abcdef0123456789abcdef".into()),
                from: Some("+46701234567".into()),
                base_url: Some("http://127.0.0.1:9".into()),
                ..TwilioSettings::default()
            }),
            vec![RecipientDraft {
                number: "+46 70 765 43 21".into(),
                backup_email: Some("night@grand-hotel.example".into()),
            }],
        ),
        (
            ConnectorKind::Sms,
            "Reception SMS",
            ConnectorSettings::Telnyx(TelnyxSettings {
                messaging_profile_id: Some("40017f8e-profile".into()),
                from: Some("+13125550101".into()),
                base_url: Some("http://127.0.0.1:9".into()),
            }),
            Vec::new(),
        ),
        (
            ConnectorKind::Sms,
            "Nordic SMS",
            ConnectorSettings::Elks46(ElksSettings {
                username: "u0123456789".into(),
                from: Some("GrandHotel".into()),
                base_url: Some("http://127.0.0.1:9".into()),
            }),
            Vec::new(),
        ),
        (
            ConnectorKind::Email,
            "Backup mail",
            ConnectorSettings::Smtp(SmtpSettings {
                host: "smtp.grand-hotel.example".into(),
                port: 587,
                security: SmtpSecurity::Starttls,
                username: Some("mailer".into()),
                from: "noreply@grand-hotel.example".into(),
                ca_pem: None,
            }),
            Vec::new(),
        ),
    ];
    let mut ids = Vec::new();
    for (kind, name, settings, recipients) in drafts {
        let created = core
            .connector_create(&ConnectorDraft {
                org_id: org.id.clone(),
                kind,
                name: name.into(),
                settings,
                recipients,
                receive_inbound: kind != ConnectorKind::Email,
                secret: Some(secret_of(name)),
            })
            .unwrap();
        ids.push(created.id);
    }
    add_numbers(
        &core,
        &ids[0],
        &[
            (
                "+46701234567",
                "XE0123456789abcdef0123456789abcdef",
                "whatsapp_sender",
            ),
            (
                "+46701234568",
                "XE0123456789abcdef0123456789abcdee",
                "whatsapp_sender",
            ),
        ],
    );
    add_numbers(
        &core,
        &ids[1],
        &[("+13125550101", "1293384261075731499", "number")],
    );
    add_numbers(&core, &ids[2], &[("+46766860101", "n1a2b3c", "number")]);
    core.numbers_set_active(&ids[0], &["+46701234567".into()], true)
        .unwrap();
    core.numbers_set_active(&ids[1], &["+13125550101".into()], true)
        .unwrap();
    for (name, description) in [("Concierge", Some("Day shift")), ("Night porter", None)] {
        core.agent_create(&crate::AgentDraft {
            org_id: org.id.clone(),
            name: name.into(),
            description: description.map(str::to_owned),
        })
        .unwrap();
    }
    core.channel_bind("Concierge", &ids[0], "+46701234567")
        .unwrap();
    core.channel_bind("Night porter", &ids[1], "+13125550101")
        .unwrap();
    (core, keychain)
}

/// The export without its time, as bytes to compare.
fn exported(core: &Switchboard, org: &str) -> String {
    let mut document = core.config_export(org).unwrap();
    document.exported_at = None;
    document.to_json().unwrap()
}

fn all_secrets(preview: &ImportPreview) -> Vec<ImportSecret> {
    preview
        .items
        .iter()
        .filter_map(|item| item.secret.as_ref())
        .map(|prompt| ImportSecret {
            connector: prompt.connector.clone(),
            secret: secret_of(&prompt.connector),
        })
        .collect()
}

fn everything(preview: &ImportPreview) -> ImportSelection {
    ImportSelection {
        keys: preview.default_keys(),
        secrets: all_secrets(preview),
    }
}

/// Every row of every configuration table and the audit log, to prove nothing changed.
fn dump(core: &Switchboard) -> String {
    let conn = core.store().conn();
    let mut out = String::new();
    for table in [
        "organizations",
        "connectors",
        "recipients",
        "numbers",
        "agents",
        "channels",
        "audit",
    ] {
        let mut statement = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY rowid"))
            .unwrap();
        let columns = statement.column_count();
        let rows = statement
            .query_map([], |row| {
                (0..columns)
                    .map(|i| {
                        row.get::<_, rusqlite::types::Value>(i)
                            .map(|v| format!("{v:?}"))
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .unwrap();
        for row in rows {
            out.push_str(&format!("{table}: {}\n", row.unwrap().join(" | ")));
        }
    }
    out
}

#[test]
fn export_then_import_into_an_empty_data_dir_gives_the_same_configuration() {
    let (source, _) = scenario();
    let first = exported(&source, "Grand Hotel");

    let (target, keychain) = fresh();
    let preview = target.config_import_preview(&first, None).unwrap();
    assert_eq!(preview.organization_id, None, "the import creates it");
    assert!(
        preview
            .items
            .iter()
            .all(|item| item.change == ImportChange::Added && item.selected),
        "{:#?}",
        preview.items
    );
    let prompts: Vec<_> = preview
        .items
        .iter()
        .filter_map(|i| i.secret.clone())
        .collect();
    assert_eq!(prompts.len(), 4);
    assert!(prompts.iter().all(|p| p.required), "{prompts:?}");

    let applied = target
        .config_import_apply(&first, None, &everything(&preview))
        .unwrap();
    assert_eq!(applied.organization.name, "Grand Hotel");
    assert_eq!(applied.connectors.len(), 4);
    assert_eq!(applied.numbers_to_reset, 2, "the two active numbers");
    for connector in &applied.connectors {
        let stored = keychain.get(&SecretKey::connector(&connector.id)).unwrap();
        assert_eq!(
            stored.map(|s| s.expose().clone()),
            Some(secret_of(&connector.name))
        );
    }

    let second = exported(&target, "Grand Hotel");
    assert_eq!(first, second, "the same configuration, byte for byte");

    // Importing the same file again finds nothing to do.
    let again = target.config_import_preview(&first, None).unwrap();
    assert!(
        again
            .items
            .iter()
            .all(|item| item.change == ImportChange::Unchanged && !item.selected),
        "{:#?}",
        again.items
    );
}

#[test]
fn the_export_holds_no_secret_and_no_webhook_token() {
    let (core, keychain) = scenario();
    let text = core.config_export_file("Grand Hotel").unwrap().json;
    let tokens: Vec<String> = {
        let conn = core.store().conn();
        let mut statement = conn
            .prepare("SELECT webhook_token FROM connectors")
            .unwrap();
        statement
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(tokens.len(), 4);
    let connectors = core.connectors(None).unwrap();
    let mut stored = Vec::new();
    for connector in &connectors {
        let secret = keychain.get(&SecretKey::connector(&connector.id)).unwrap();
        stored.push(secret.unwrap().expose().clone());
    }
    assert_eq!(stored.len(), 4);
    for needle in stored.iter().chain(&tokens) {
        assert!(
            !text.contains(needle.as_str()),
            "the export holds '{needle}'"
        );
    }
    for connector in &connectors {
        assert!(
            !text.contains(&connector.id),
            "no internal id (a webhook URL holds the connector's id)"
        );
    }
    // It still says which secret each connector needs.
    let document: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(document["format"], "switchboard-config");
    assert_eq!(document["version"], 1);
    for connector in document["connectors"].as_array().unwrap() {
        assert_eq!(connector["secret"]["needed"], true, "{connector}");
    }
}

fn mutated(base: &str, change: impl FnOnce(&mut Value)) -> String {
    let mut value: Value = serde_json::from_str(base).unwrap();
    change(&mut value);
    serde_json::to_string_pretty(&value).unwrap()
}

#[test]
fn a_bad_file_is_refused_naming_the_path_and_changes_nothing() {
    let (source, _) = scenario();
    let good = exported(&source, "Grand Hotel");
    let index_of = |name: &str| {
        let value: Value = serde_json::from_str(&good).unwrap();
        value["connectors"]
            .as_array()
            .unwrap()
            .iter()
            .position(|c| c["name"] == name)
            .unwrap()
    };
    let twilio = index_of("Front desk WhatsApp");
    let telnyx = index_of("Reception SMS");
    let cases: Vec<(String, String, &str)> = vec![
        ("not json".into(), "{ \"format\": ".into(), "file"),
        (
            "another format".into(),
            mutated(&good, |v| v["format"] = json!("something-else")),
            "format",
        ),
        (
            "a newer version".into(),
            mutated(&good, |v| v["version"] = json!(2)),
            "version",
        ),
        (
            "a bad Account SID".into(),
            mutated(&good, |v| {
                v["connectors"][twilio]["settings"]["accountSid"] = json!("AC123")
            }),
            &*Box::leak(format!("connectors[{twilio}].settings.accountSid").into_boxed_str()),
        ),
        (
            "an unknown field".into(),
            mutated(&good, |v| v["connectors"][telnyx]["colour"] = json!("blue")),
            &*Box::leak(format!("connectors[{telnyx}].colour").into_boxed_str()),
        ),
        (
            "a secret in the settings".into(),
            mutated(&good, |v| {
                v["connectors"][twilio]["settings"]["authToken"] = json!("x")
            }),
            &*Box::leak(format!("connectors[{twilio}].settings.authToken").into_boxed_str()),
        ),
        (
            "a duplicate connector name".into(),
            mutated(&good, |v| {
                v["connectors"][telnyx]["name"] = json!("front desk whatsapp")
            }),
            &*Box::leak(format!("connectors[{telnyx}].name").into_boxed_str()),
        ),
        (
            "a duplicate agent".into(),
            mutated(&good, |v| v["agents"][1]["name"] = json!("Concierge")),
            "agents[1].name",
        ),
        (
            "a channel to an agent not in the file".into(),
            mutated(&good, |v| v["channels"][0]["agent"] = json!("Ghost")),
            "channels[0].agent",
        ),
        (
            "a bad recipient".into(),
            mutated(&good, |v| {
                v["connectors"][twilio]["recipients"][0]["number"] = json!("0701234567")
            }),
            &*Box::leak(format!("connectors[{twilio}].recipients[0].number").into_boxed_str()),
        ),
    ];
    for target_is_empty in [true, false] {
        let (target, keychain) = if target_is_empty { fresh() } else { scenario() };
        let before = dump(&target);
        for (what, text, path) in &cases {
            let selection = ImportSelection {
                keys: vec!["organization".into()],
                secrets: Vec::new(),
            };
            for result in [
                target.config_import_preview(text, None).map(|_| ()),
                target
                    .config_import_apply(text, None, &selection)
                    .map(|_| ()),
            ] {
                let Err(CoreError::Validation(errors)) = result else {
                    panic!("{what}: expected a validation error, got {result:?}");
                };
                assert_eq!(errors[0].field, *path, "{what}: {errors:?}");
                assert!(!errors[0].message.is_empty());
            }
            assert_eq!(dump(&target), before, "{what}: the database changed");
        }
        if target_is_empty {
            assert!(keychain.is_empty());
        }
    }
}

/// A keychain that refuses the n-th write (counting from 1).
struct FailingKeychain {
    inner: MemorySecretStore,
    writes: AtomicUsize,
    refuse: usize,
}

impl FailingKeychain {
    fn refusing(refuse: usize) -> Arc<Self> {
        Arc::new(Self {
            inner: MemorySecretStore::default(),
            writes: AtomicUsize::new(0),
            refuse,
        })
    }
}

impl SecretStore for FailingKeychain {
    fn set(&self, key: &SecretKey, value: &Sensitive<String>) -> Result<(), SecretError> {
        if self.writes.fetch_add(1, Ordering::SeqCst) + 1 == self.refuse {
            return Err(SecretError::Refused {
                detail: "refused by the test".into(),
            });
        }
        self.inner.set(key, value)
    }

    fn get(&self, key: &SecretKey) -> Result<Option<Sensitive<String>>, SecretError> {
        self.inner.get(key)
    }

    fn delete(&self, key: &SecretKey) -> Result<(), SecretError> {
        self.inner.delete(key)
    }
}

#[test]
fn a_keychain_failing_half_way_leaves_nothing_applied() {
    let (source, _) = scenario();
    let file = exported(&source, "Grand Hotel");
    let keychain = FailingKeychain::refusing(2);
    let target = core_with(keychain.clone());
    let before = dump(&target);
    let preview = target.config_import_preview(&file, None).unwrap();
    let result = target.config_import_apply(&file, None, &everything(&preview));
    assert!(matches!(result, Err(CoreError::Secret(_))), "{result:?}");
    assert_eq!(dump(&target), before);
    assert!(
        keychain.inner.is_empty(),
        "the secret written before the failure is removed again"
    );
}

#[test]
fn a_database_failure_half_way_leaves_nothing_applied() {
    let (source, _) = scenario();
    let file = exported(&source, "Grand Hotel");
    let (target, keychain) = fresh();
    // Agents are written after the connectors and their secrets.
    target
        .store()
        .conn()
        .execute_batch(
            "CREATE TEMP TRIGGER refuse_agents BEFORE INSERT ON agents
             BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;",
        )
        .unwrap();
    let before = dump(&target);
    let preview = target.config_import_preview(&file, None).unwrap();
    let result = target.config_import_apply(&file, None, &everything(&preview));
    assert!(matches!(result, Err(CoreError::Store(_))), "{result:?}");
    assert_eq!(dump(&target), before);
    assert!(target.organizations().unwrap().is_empty());
    assert!(
        keychain.is_empty(),
        "no keychain entry for a connector that does not exist"
    );
}

#[test]
fn a_failed_import_puts_a_replaced_secret_back() {
    let (core, keychain) = scenario();
    let file = mutated(&exported(&core, "Grand Hotel"), |v| {
        v["organization"]["inboundBaseUrl"] = json!("https://in.grand-hotel.example");
        v["agents"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "Housekeeping"}));
    });
    core.store()
        .conn()
        .execute_batch(
            "CREATE TEMP TRIGGER refuse_agents BEFORE INSERT ON agents
             BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;",
        )
        .unwrap();
    let telnyx = core.connector_resolve("Reception SMS").unwrap();
    // Only the organization and the agent changed; a new secret for an unchanged connector is
    // refused, so change the connector too.
    let file = mutated(&file, |v| {
        for connector in v["connectors"].as_array_mut().unwrap() {
            if connector["name"] == "Reception SMS" {
                connector["receiveInbound"] = json!(false);
            }
        }
    });
    let before = dump(&core);
    let selection = ImportSelection {
        keys: vec![
            "organization".into(),
            "connector:Reception SMS".into(),
            "agent:Housekeeping".into(),
        ],
        secrets: vec![ImportSecret {
            connector: "Reception SMS".into(),
            secret: "KEY-new-telnyx".into(),
        }],
    };
    assert!(core.config_import_apply(&file, None, &selection).is_err());
    assert_eq!(dump(&core), before);
    let stored = keychain.get(&SecretKey::connector(&telnyx.id)).unwrap();
    assert_eq!(
        stored.map(|s| s.expose().clone()).as_deref(),
        Some("KEY-telnyx-5ecret")
    );
}

#[test]
fn only_the_ticked_items_are_applied() {
    let (source, _) = scenario();
    let file = exported(&source, "Grand Hotel");
    let (target, keychain) = fresh();
    let selection = ImportSelection {
        keys: vec![
            "organization".into(),
            "connector:Reception SMS".into(),
            "number:Reception SMS/+13125550101".into(),
            "agent:Concierge".into(),
        ],
        secrets: vec![ImportSecret {
            connector: "Reception SMS".into(),
            secret: "KEY-telnyx-5ecret".into(),
        }],
    };
    let applied = target.config_import_apply(&file, None, &selection).unwrap();
    assert_eq!(applied.applied, selection.keys);
    let connectors = target.connectors(None).unwrap();
    assert_eq!(connectors.len(), 1);
    assert_eq!(connectors[0].name, "Reception SMS");
    let numbers = target.numbers(&connectors[0].id).unwrap().numbers;
    assert_eq!(numbers.len(), 1);
    assert!(numbers[0].active);
    let agents = target.agents(None).unwrap();
    assert_eq!(agents.len(), 1);
    assert_eq!(agents[0].name, "Concierge");
    assert_eq!(agents[0].description.as_deref(), Some("Day shift"));
    assert!(target.channels(None).unwrap().is_empty());
    assert!(
        keychain
            .get(&SecretKey::connector(&connectors[0].id))
            .unwrap()
            .is_some()
    );
    // The audit log says what the import did.
    let actions: Vec<String> = target
        .audit_log(&crate::AuditFilter {
            limit: Some(50),
            ..Default::default()
        })
        .unwrap()
        .entries
        .into_iter()
        .map(|e| e.action)
        .collect();
    for action in [
        "organization.create",
        "connector.create",
        "connector.secret_replaced",
        "number.import",
        "agent.create",
        "config.import",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
    }

    // The rest can follow later: what was applied is now unchanged.
    let preview = target.config_import_preview(&file, None).unwrap();
    let change = |key: &str| preview.item(key).unwrap().change;
    assert_eq!(change("connector:Reception SMS"), ImportChange::Unchanged);
    assert_eq!(change("connector:Nordic SMS"), ImportChange::Added);
    assert_eq!(change("agent:Night porter"), ImportChange::Added);
}

#[test]
fn a_selection_missing_what_an_item_needs_or_a_secret_is_refused() {
    let (source, _) = scenario();
    let file = exported(&source, "Grand Hotel");
    let (target, _) = fresh();
    let before = dump(&target);
    let needs_agent = ImportSelection {
        keys: vec![
            "organization".into(),
            "connector:Reception SMS".into(),
            "number:Reception SMS/+13125550101".into(),
            "channel:Reception SMS/+13125550101".into(),
        ],
        secrets: vec![ImportSecret {
            connector: "Reception SMS".into(),
            secret: "KEY".into(),
        }],
    };
    let Err(CoreError::Validation(errors)) = target.config_import_apply(&file, None, &needs_agent)
    else {
        panic!("the channel needs its agent");
    };
    assert_eq!(errors[0].field, "channel:Reception SMS/+13125550101");
    assert!(
        errors[0].message.contains("agent:Night porter"),
        "{errors:?}"
    );

    let no_secret = ImportSelection {
        keys: vec!["organization".into(), "connector:Reception SMS".into()],
        secrets: Vec::new(),
    };
    let Err(CoreError::Validation(errors)) = target.config_import_apply(&file, None, &no_secret)
    else {
        panic!("a new Telnyx connector needs its API key");
    };
    assert_eq!(errors[0].field, "secrets.Reception SMS");
    assert!(errors[0].message.contains("API key"), "{errors:?}");

    let unknown = ImportSelection {
        keys: vec!["connector:Nope".into()],
        secrets: Vec::new(),
    };
    let Err(CoreError::Validation(errors)) = target.config_import_apply(&file, None, &unknown)
    else {
        panic!("an unknown key is refused");
    };
    assert_eq!(errors[0].field, "keys[0]");
    assert_eq!(dump(&target), before);
}

#[test]
fn the_diff_names_what_changed_and_removals_wait_to_be_ticked() {
    let (core, keychain) = scenario();
    let file = exported(&core, "Grand Hotel");
    // Drift away from the file: a new connector, a changed sender, a deactivated number, an
    // agent less, another description.
    let telnyx = core.connector_resolve("Reception SMS").unwrap();
    let org_id = telnyx.org_id.clone();
    let mut edit = ConnectorDraft {
        org_id: org_id.clone(),
        kind: telnyx.kind,
        name: telnyx.name.clone(),
        settings: telnyx.settings.clone(),
        recipients: Vec::new(),
        receive_inbound: telnyx.receive_inbound,
        secret: None,
    };
    if let ConnectorSettings::Telnyx(settings) = &mut edit.settings {
        settings.from = Some("+13125550199".into());
    }
    core.connector_update(&telnyx.id, &edit).unwrap();
    core.channel_unbind("Night porter", "+13125550101").unwrap();
    core.numbers_set_active(&telnyx.id, &["+13125550101".into()], false)
        .unwrap();
    let extra = core
        .connector_create(&ConnectorDraft {
            org_id: org_id.clone(),
            kind: ConnectorKind::Sms,
            name: "Spare SMS".into(),
            settings: ConnectorSettings::Telnyx(TelnyxSettings {
                from: Some("+13125550102".into()),
                ..TelnyxSettings::default()
            }),
            recipients: Vec::new(),
            receive_inbound: true,
            secret: Some("KEY-spare".into()),
        })
        .unwrap();

    let preview = core.config_import_preview(&file, None).unwrap();
    assert_eq!(preview.organization_id.as_deref(), Some(org_id.as_str()));
    let item = |key: &str| preview.item(key).unwrap_or_else(|| panic!("{key}"));
    let changed = item("connector:Reception SMS");
    assert_eq!(changed.change, ImportChange::Changed);
    assert!(changed.selected);
    assert_eq!(
        changed.details,
        ["settings.from: \"+13125550199\" → \"+13125550101\""]
    );
    assert_eq!(
        changed.secret.as_ref().map(|s| s.required),
        Some(false),
        "an existing connector keeps its secret unless a new one is typed"
    );
    assert_eq!(
        item("number:Reception SMS/+13125550101").change,
        ImportChange::Changed
    );
    assert_eq!(
        item("channel:Reception SMS/+13125550101").change,
        ImportChange::Added
    );
    let removed = item("connector:Spare SMS");
    assert_eq!(removed.change, ImportChange::Removed);
    assert!(!removed.selected, "a removal is never ticked by itself");
    assert_eq!(
        item("connector:Front desk WhatsApp").change,
        ImportChange::Unchanged
    );

    // The defaults put the file's configuration back and keep the extra connector.
    let applied = core
        .config_import_apply(
            &file,
            None,
            &ImportSelection {
                keys: preview.default_keys(),
                secrets: Vec::new(),
            },
        )
        .unwrap();
    assert!(
        applied
            .applied
            .contains(&"channel:Reception SMS/+13125550101".to_owned())
    );
    assert!(core.connector_resolve("Spare SMS").is_ok());
    let now = core.config_import_preview(&file, None).unwrap();
    assert!(
        now.items
            .iter()
            .filter(|i| i.key != "connector:Spare SMS")
            .all(|i| i.change == ImportChange::Unchanged),
        "{:#?}",
        now.items
    );

    // Ticking the removal removes the connector and its keychain entry.
    core.config_import_apply(
        &file,
        None,
        &ImportSelection {
            keys: vec!["connector:Spare SMS".into()],
            secrets: Vec::new(),
        },
    )
    .unwrap();
    assert!(core.connector_resolve("Spare SMS").is_err());
    assert!(
        keychain
            .get(&SecretKey::connector(&extra.id))
            .unwrap()
            .is_none()
    );
    assert_eq!(exported(&core, "Grand Hotel"), file);
}

#[test]
fn a_connector_of_another_provider_under_the_same_name_is_a_conflict() {
    let (core, _) = scenario();
    let file = mutated(&exported(&core, "Grand Hotel"), |v| {
        for connector in v["connectors"].as_array_mut().unwrap() {
            if connector["name"] == "Nordic SMS" {
                connector["name"] = json!("Reception SMS-x");
            }
        }
    });
    let file = mutated(&file, |v| {
        for connector in v["connectors"].as_array_mut().unwrap() {
            if connector["name"] == "Reception SMS" {
                connector["name"] = json!("Reception SMS-y");
            } else if connector["name"] == "Reception SMS-x" {
                connector["name"] = json!("reception sms");
            }
        }
        v["channels"] = json!([]);
    });
    let preview = core.config_import_preview(&file, None).unwrap();
    let conflict = preview.item("connector:reception sms").unwrap();
    assert_eq!(conflict.change, ImportChange::Conflict);
    assert!(!conflict.selected);
    assert!(
        conflict.details[0].contains("cannot change"),
        "{conflict:?}"
    );
    let before = dump(&core);
    let result = core.config_import_apply(
        &file,
        None,
        &ImportSelection {
            keys: vec!["connector:reception sms".into()],
            secrets: Vec::new(),
        },
    );
    assert!(
        matches!(result, Err(CoreError::Validation(_))),
        "{result:?}"
    );
    assert_eq!(dump(&core), before);
}

#[test]
fn an_import_can_target_another_organization() {
    let (source, _) = scenario();
    let file = exported(&source, "Grand Hotel");
    let (target, _) = fresh();
    let spa = target
        .organization_create(&OrganizationDraft {
            name: "Spa".into(),
            inbound_base_url: None,
        })
        .unwrap();
    let preview = target.config_import_preview(&file, Some("Spa")).unwrap();
    assert_eq!(preview.organization_id.as_deref(), Some(spa.id.as_str()));
    assert_eq!(preview.organization_name, "Spa");
    assert_eq!(
        preview.item("organization").unwrap().change,
        ImportChange::Changed
    );
    target
        .config_import_apply(&file, Some("Spa"), &everything(&preview))
        .unwrap();
    assert_eq!(
        target.organizations().unwrap().len(),
        1,
        "no second organization"
    );
    let mut again = target.config_export("Spa").unwrap();
    again.exported_at = None;
    again.organization.name = "Grand Hotel".into();
    assert_eq!(again.to_json().unwrap(), file);
}

#[test]
fn file_names_are_made_of_the_organization_name() {
    assert_eq!(
        file_name("Grand Hotel"),
        "switchboard-config-grand-hotel.json"
    );
    assert_eq!(
        file_name("  Hôtel / Spa  "),
        "switchboard-config-hôtel-spa.json"
    );
    assert_eq!(file_name("///"), "switchboard-config.json");
}
