use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::*;
use crate::model::ProviderKind;
use crate::{MemorySecretStore, SecretError, SecretKey, SecretStore, Sensitive, Store};

fn accounts(url: &str) -> DemoAccounts {
    DemoAccounts {
        url: url.to_owned(),
        twilio_account_sid: format!("AC{}", "a".repeat(32)),
        twilio_auth_token: "twilio-token".to_owned(),
        telnyx_api_key: "KEYtelnyx".to_owned(),
        telnyx_public_key: None,
        elks_username: format!("u{}", "b".repeat(32)),
        elks_password: "elks-password".to_owned(),
    }
}

fn core() -> (Switchboard, Arc<MemorySecretStore>) {
    let secrets = Arc::new(MemorySecretStore::default());
    let store = Store::open_in_memory().unwrap();
    (Switchboard::new(store, secrets.clone()), secrets)
}

/// A keychain that refuses the `fail_at`-th write, and says what it holds.
struct FlakyKeychain {
    entries: Mutex<HashMap<String, String>>,
    writes: Mutex<usize>,
    fail_at: usize,
}

impl SecretStore for FlakyKeychain {
    fn set(&self, key: &SecretKey, value: &Sensitive<String>) -> Result<(), SecretError> {
        let mut writes = self.writes.lock().unwrap();
        *writes += 1;
        if *writes == self.fail_at {
            return Err(SecretError::Refused {
                detail: "locked".into(),
            });
        }
        let mut entries = self.entries.lock().unwrap();
        entries.insert(key.as_str().to_owned(), value.expose().clone());
        Ok(())
    }

    fn get(&self, key: &SecretKey) -> Result<Option<Sensitive<String>>, SecretError> {
        let entries = self.entries.lock().unwrap();
        Ok(entries.get(key.as_str()).cloned().map(Sensitive::new))
    }

    fn delete(&self, key: &SecretKey) -> Result<(), SecretError> {
        self.entries.lock().unwrap().remove(key.as_str());
        Ok(())
    }
}

fn connector_on(core: &Switchboard, org_id: &str, name: &str, base_url: &str) -> Connector {
    core.connector_create(&ConnectorDraft {
        org_id: org_id.to_owned(),
        kind: ConnectorKind::Sms,
        name: name.to_owned(),
        settings: ConnectorSettings::Telnyx(TelnyxSettings {
            from: Some("+13125550199".to_owned()),
            base_url: Some(base_url.to_owned()),
            ..TelnyxSettings::default()
        }),
        recipients: Vec::new(),
        receive_inbound: true,
        secret: Some("KEYother".to_owned()),
    })
    .unwrap()
}

fn base_url(core: &Switchboard, id: &str) -> Option<String> {
    core.connector(id).unwrap().settings.api_urls().base_url
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
        .map(|c| (c.kind, c.provider()))
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
        demo.connectors[2].settings.api_urls().base_url.as_deref(),
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
fn a_demo_that_fails_halfway_leaves_nothing_behind() {
    let keychain = Arc::new(FlakyKeychain {
        entries: Mutex::default(),
        writes: Mutex::default(),
        fail_at: 3,
    });
    let core = Switchboard::new(Store::open_in_memory().unwrap(), keychain.clone());
    let error = core
        .demo_create(&accounts("http://127.0.0.1:4010"))
        .unwrap_err();
    assert!(matches!(error, CoreError::Secret(_)), "{error:?}");
    assert!(core.organizations().unwrap().is_empty(), "no organization");
    assert!(core.connectors(None).unwrap().is_empty(), "no connector");
    assert!(
        keychain.entries.lock().unwrap().is_empty(),
        "no keychain entry"
    );
    // Nothing in the way of trying again.
    assert_eq!(
        core.demo_create(&accounts("http://127.0.0.1:4010"))
            .unwrap()
            .connectors
            .len(),
        4
    );
}

#[test]
fn rebase_moves_only_the_demo_connectors_on_the_old_origin_and_keeps_secrets() {
    let (core, secrets) = core();
    let demo = core
        .demo_create(&accounts("http://127.0.0.1:4010"))
        .unwrap();
    // In the demo: one on a port that starts with the old one, one on another host.
    let colliding = connector_on(
        &core,
        &demo.organization.id,
        "Colliding port",
        "http://127.0.0.1:40100/telnyx",
    );
    let other_host = connector_on(
        &core,
        &demo.organization.id,
        "Other host",
        "http://localhost:4010/telnyx",
    );
    // Outside the demo: the very same address.
    let hotel = core
        .organization_create(&OrganizationDraft {
            name: "Grand Hotel".into(),
            inbound_base_url: Some("http://127.0.0.1:4010/hooks".into()),
        })
        .unwrap();
    let outside = connector_on(
        &core,
        &hotel.id,
        "Own emulator",
        "http://127.0.0.1:4010/telnyx",
    );

    let changed = core
        .demo_rebase("http://127.0.0.1:4010", "http://127.0.0.1:5020")
        .unwrap();
    assert_eq!(changed, 4);
    let moved = core.connector(&demo.connectors[0].id).unwrap();
    assert_eq!(
        moved.settings.api_urls().base_url.as_deref(),
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
        base_url(&core, &colliding.id).as_deref(),
        Some("http://127.0.0.1:40100/telnyx")
    );
    assert_eq!(
        base_url(&core, &other_host.id).as_deref(),
        Some("http://localhost:4010/telnyx")
    );
    assert_eq!(
        base_url(&core, &outside.id).as_deref(),
        Some("http://127.0.0.1:4010/telnyx")
    );
    assert_eq!(
        core.organization(&hotel.id)
            .unwrap()
            .inbound_base_url
            .as_deref(),
        Some("http://127.0.0.1:4010/hooks")
    );
    assert_eq!(
        core.demo_rebase("http://127.0.0.1:4010", "http://127.0.0.1:6000")
            .unwrap(),
        0,
        "nothing is on the old address any more"
    );
}

#[test]
fn removing_the_demo_takes_its_connectors_and_secrets_and_nothing_else() {
    let (core, secrets) = core();
    let demo = core
        .demo_create(&accounts("http://127.0.0.1:4010"))
        .unwrap();
    let hotel = core
        .organization_create(&OrganizationDraft {
            name: "Grand Hotel".into(),
            inbound_base_url: None,
        })
        .unwrap();
    let kept = connector_on(
        &core,
        &hotel.id,
        "Front desk",
        "http://127.0.0.1:4010/telnyx",
    );
    assert!(core.demo_remove().unwrap());
    assert!(core.demo_organization().unwrap().is_none());
    let left: Vec<_> = core
        .connectors(None)
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(left, std::slice::from_ref(&kept.id));
    for connector in &demo.connectors {
        assert!(
            secrets
                .get(&SecretKey::connector(&connector.id))
                .unwrap()
                .is_none()
        );
    }
    assert!(
        secrets
            .get(&SecretKey::connector(&kept.id))
            .unwrap()
            .is_some()
    );
    assert!(!core.demo_remove().unwrap(), "nothing left to remove");
}

#[test]
fn rebase_keeps_paths_and_compares_whole_origins() {
    let from = Url::parse("http://127.0.0.1:4010").unwrap().origin();
    let to = Url::parse("http://127.0.0.1:5020/").unwrap();
    let cases = [
        (
            "http://127.0.0.1:4010/twilio",
            Some("http://127.0.0.1:5020/twilio"),
        ),
        ("http://127.0.0.1:4010", Some("http://127.0.0.1:5020")),
        (
            "http://127.0.0.1:4010/a?b=c",
            Some("http://127.0.0.1:5020/a?b=c"),
        ),
        ("http://127.0.0.1:40100/twilio", None),
        ("https://127.0.0.1:4010/twilio", None),
        ("http://localhost:4010/twilio", None),
        ("not a url", None),
    ];
    for (value, expected) in cases {
        assert_eq!(
            rebase_url(value, &from, &to).as_deref(),
            expected,
            "{value}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_knows_its_emulators_admin_token_and_forgets_it_on_leaving() {
    let dir = tempfile::tempdir().unwrap();
    let (core, _) = core();
    let demo = DemoSandbox::new(dir.path());
    assert!(demo.admin_token().is_none(), "nothing runs yet");
    demo.try_demo(&core).await.unwrap();
    let url = demo.url().unwrap();
    let token = demo.admin_token().unwrap();
    let seed = |token: Option<String>| {
        let mut request = reqwest::Client::new().get(format!("{url}/_sandbox/seed"));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        async move { request.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(seed(Some(token.clone())).await, 200);
    assert_eq!(seed(None).await, 401, "the admin API wants the token");
    // The token is not written anywhere in the data folder.
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            assert!(!text.contains(&token), "{}", path.display());
        }
    }
    demo.leave(&core).await.unwrap();
    assert!(demo.admin_token().is_none());
}

/// On the demo nobody can write from WhatsApp: the app plays the guest's "join <code>" so a test
/// send from Twilio's WhatsApp Sandbox reaches them; before it, the send fails with 63015.
#[tokio::test(flavor = "multi_thread")]
async fn in_the_demo_a_guest_joins_the_whatsapp_sandbox_through_the_app() {
    use std::time::Duration;

    use crate::messaging::{FollowOptions, SendRequest};

    let dir = tempfile::tempdir().unwrap();
    let (core, _) = core();
    let demo = DemoSandbox::new(dir.path());
    assert!(demo.whatsapp_join_words().is_none(), "nothing runs yet");
    let refused = demo.whatsapp_join("+46 70 123 45 67").await.unwrap_err();
    assert!(matches!(refused, CoreError::Sandbox(_)), "{refused:?}");
    let started = demo.try_demo(&core).await.unwrap();
    let words = demo.whatsapp_join_words().unwrap();
    assert!(words.starts_with("join "), "{words}");
    // The demo's Telnyx connector carries the emulator's webhook key, so the inspector can
    // verify its requests.
    let telnyx = started
        .connectors
        .iter()
        .find(|c| c.provider() == ProviderKind::Telnyx)
        .unwrap();
    match &telnyx.settings {
        crate::model::ConnectorSettings::Telnyx(settings) => {
            assert!(
                settings
                    .public_key
                    .as_deref()
                    .is_some_and(|k| !k.is_empty())
            )
        }
        other => panic!("{other:?}"),
    }
    let whatsapp = started
        .connectors
        .iter()
        .find(|c| c.kind == crate::model::ConnectorKind::Whatsapp)
        .unwrap()
        .id
        .clone();
    let fast = FollowOptions {
        first_delay: Duration::from_millis(30),
        max_delay: Duration::from_millis(50),
        give_up_after: Duration::from_secs(10),
    };
    let send = |to: &'static str| SendRequest {
        from: Some(crate::WHATSAPP_SANDBOX_NUMBER.into()),
        to: to.into(),
        text: Some("Your room is ready".into()),
        ..SendRequest::default()
    };
    let before = core
        .message_send(&whatsapp, &send("+46701234567"))
        .await
        .unwrap();
    let before = core.message_follow(&before.id, fast, None).await.unwrap();
    assert_eq!(before.error_code.as_deref(), Some("63015"), "{before:?}");

    let bad = demo.whatsapp_join("not a number").await.unwrap_err();
    assert!(
        matches!(&bad, CoreError::Validation(fields) if fields[0].field == "to"),
        "{bad:?}"
    );
    let joined = demo.whatsapp_join("+46 70 123 45 67").await.unwrap();
    assert_eq!(joined.guest, "+46701234567");
    assert!(joined.joined, "{joined:?}");
    assert!(!joined.reply.is_empty());

    let after = core
        .message_send(&whatsapp, &send("+46701234567"))
        .await
        .unwrap();
    let after = core.message_follow(&after.id, fast, None).await.unwrap();
    assert_eq!(after.error_code, None, "{after:?}");
    assert_eq!(after.status, "delivered", "{after:?}");
    demo.leave(&core).await.unwrap();
}
