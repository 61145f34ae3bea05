//! Against the real OS keychain (on Linux: a Secret Service such as gnome-keyring; `make test`
//! starts one in a private D-Bus session). Entries live under a per-run namespace.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use switchboard_core::{
    ConnectorDraft, ConnectorKind, ConnectorSettings, KeyringSecretStore, OrganizationDraft,
    SecretKey, SecretStore, Sensitive, Store, Switchboard, TwilioSettings, paths,
};

fn namespace(test: &str) -> String {
    format!("test-{}-{test}", std::process::id())
}

/// What `secret-tool` (libsecret) finds for the entry: proof that it is in the Secret Service
/// itself, not only in something the keyring crate remembers.
fn secret_tool_lookup(service: &str, key: &SecretKey) -> Option<String> {
    let output = Command::new("secret-tool")
        .args(["lookup", "service", service, "username", key.as_str()])
        .output()
        .expect("secret-tool (package libsecret-tools) must be installed for this test");
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

#[test]
fn save_read_back_remove_gone() {
    let store = KeyringSecretStore::with_namespace(Some(&namespace("roundtrip")));
    let key = SecretKey::connector("roundtrip");
    store
        .set(&key, &Sensitive::new("first-value".into()))
        .unwrap();
    assert_eq!(store.get(&key).unwrap().unwrap().expose(), "first-value");
    store
        .set(&key, &Sensitive::new("replaced-value".into()))
        .unwrap();
    assert_eq!(store.get(&key).unwrap().unwrap().expose(), "replaced-value");
    assert_eq!(
        secret_tool_lookup(store.service(), &key).as_deref(),
        Some("replaced-value")
    );
    store.delete(&key).unwrap();
    assert!(store.get(&key).unwrap().is_none());
    assert_eq!(secret_tool_lookup(store.service(), &key), None);
    store.delete(&key).unwrap();
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// Every file SQLite keeps for the database: the main file, the WAL and the shared memory.
fn database_bytes(data_dir: &Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        let path = data_dir.join(format!("{}{suffix}", paths::DATABASE_FILE));
        if let Ok(content) = std::fs::read(&path) {
            bytes.extend(content);
        }
    }
    bytes
}

#[test]
fn a_connector_secret_lives_in_the_keychain_and_never_in_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(KeyringSecretStore::with_namespace(Some(&namespace(
        "connector",
    ))));
    let store = Store::open(&dir.path().join(paths::DATABASE_FILE)).unwrap();
    let core = Switchboard::new(store, secrets.clone());
    let org = core
        .organization_create(&OrganizationDraft {
            name: "Grand Hotel".into(),
            inbound_base_url: None,
        })
        .unwrap();
    let token = "f00dbabe0123456789abcdefdeadbeef";
    let connector = core
        .connector_create(&ConnectorDraft {
            org_id: org.id,
            kind: ConnectorKind::Whatsapp,
            name: "Front desk".into(),
            settings: ConnectorSettings::Twilio(TwilioSettings {
                account_sid: "AC0123456789abcdef0123456789abcdef".into(),
                from: Some("+14155550101".into()),
                ..TwilioSettings::default()
            }),
            recipients: vec![],
            receive_inbound: true,
            secret: Some(token.into()),
        })
        .unwrap();
    let key = SecretKey::connector(&connector.id);
    assert_eq!(
        secret_tool_lookup(secrets.service(), &key).as_deref(),
        Some(token)
    );
    assert_eq!(
        core.connector_secret(&connector.id)
            .unwrap()
            .unwrap()
            .expose(),
        token
    );

    let bytes = database_bytes(dir.path());
    assert!(
        contains(&bytes, b"Front desk"),
        "the scan reads the real database"
    );
    assert!(
        !contains(&bytes, token.as_bytes()),
        "the token must not be in SQLite or its WAL"
    );

    core.connector_delete(&connector.id).unwrap();
    assert_eq!(
        secret_tool_lookup(secrets.service(), &key),
        None,
        "removed with the connector"
    );
}
