//! Secrets live in the OS keychain (macOS Keychain, Windows Credential Manager, the Secret Service
//! on Linux) and nowhere else. There is deliberately no plaintext fallback.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, PoisonError};

use serde::{Serialize, Serializer};

use crate::APP_IDENTIFIER;

/// Environment variable that adds a namespace to the keychain service name, so tests and
/// development builds never read or write a user's entries.
pub const KEYRING_NAMESPACE_ENV: &str = "SWITCHBOARD_KEYRING_NAMESPACE";

/// A value that must never be shown: `Debug`, `Display` and `Serialize` print `[redacted]`.
/// Read it with [`Sensitive::expose`], only where it is handed to a provider or the keychain.
#[derive(Clone, PartialEq, Eq)]
pub struct Sensitive<T>(T);

impl<T> Sensitive<T> {
    pub fn new(value: T) -> Self {
        Self(value)
    }

    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl<T> fmt::Display for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl<T> Serialize for Sensitive<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str("[redacted]")
    }
}

/// Names one secret: one keychain entry per connector secret.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SecretKey(String);

impl SecretKey {
    pub fn connector(connector_id: &str) -> Self {
        Self(format!("connector/{connector_id}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error(
        "No system keychain is available ({detail}). On Linux, start and unlock a Secret Service \
         such as GNOME Keyring or KWallet (package gnome-keyring) in your desktop session; on macOS \
         and Windows, sign in to your user session. Switchboard never stores secrets in plain text."
    )]
    Unavailable { detail: String },
    #[error("The system keychain refused the operation ({detail}); unlock it and try again")]
    Refused { detail: String },
}

pub trait SecretStore: Send + Sync {
    fn set(&self, key: &SecretKey, value: &Sensitive<String>) -> Result<(), SecretError>;
    fn get(&self, key: &SecretKey) -> Result<Option<Sensitive<String>>, SecretError>;
    /// Removes the entry; removing an entry that is not there is not an error.
    fn delete(&self, key: &SecretKey) -> Result<(), SecretError>;
}

/// The OS keychain through the `keyring` crate.
#[derive(Debug, Clone)]
pub struct KeyringSecretStore {
    service: String,
}

impl KeyringSecretStore {
    /// Service name: the app identifier, plus `.<namespace>` when [`KEYRING_NAMESPACE_ENV`] is set.
    pub fn from_env() -> Self {
        let namespace = std::env::var(KEYRING_NAMESPACE_ENV)
            .ok()
            .filter(|n| !n.is_empty());
        Self::with_namespace(namespace.as_deref())
    }

    pub fn with_namespace(namespace: Option<&str>) -> Self {
        let service = match namespace {
            Some(namespace) => format!("{APP_IDENTIFIER}.{namespace}"),
            None => APP_IDENTIFIER.to_owned(),
        };
        Self { service }
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    fn entry(&self, key: &SecretKey) -> Result<keyring::Entry, SecretError> {
        keyring::Entry::new(&self.service, key.as_str()).map_err(map_keyring_error)
    }
}

fn map_keyring_error(error: keyring::Error) -> SecretError {
    // keyring's messages name the platform failure but never contain the secret itself.
    match error {
        keyring::Error::PlatformFailure(inner) if keychain_unreachable(&inner.to_string()) => {
            SecretError::Unavailable {
                detail: inner.to_string(),
            }
        }
        // The keychain answered, and said no (the Secret Service could not write its file…).
        keyring::Error::PlatformFailure(inner) => SecretError::Refused {
            detail: inner.to_string(),
        },
        // A locked collection, or an unlock prompt nobody could answer.
        keyring::Error::NoStorageAccess(inner) => SecretError::Refused {
            detail: format!("it is locked: {inner}"),
        },
        other => SecretError::Refused {
            detail: other.to_string(),
        },
    }
}

/// Whether a platform failure means nothing answered at all: no session bus, or no Secret
/// Service on it (as opposed to one that answered with an error).
fn keychain_unreachable(detail: &str) -> bool {
    [
        "ServiceUnknown",
        "NameHasNoOwner",
        "not provided by any",
        "autolaunch",
        "I/O error",
        "No such file",
        "Connection refused",
        "Address",
        "NoServer",
        "Disconnected",
    ]
    .iter()
    .any(|sign| detail.contains(sign))
}

impl SecretStore for KeyringSecretStore {
    fn set(&self, key: &SecretKey, value: &Sensitive<String>) -> Result<(), SecretError> {
        self.entry(key)?
            .set_password(value.expose())
            .map_err(map_keyring_error)
    }

    fn get(&self, key: &SecretKey) -> Result<Option<Sensitive<String>>, SecretError> {
        match self.entry(key)?.get_password() {
            Ok(value) => Ok(Some(Sensitive::new(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(other) => Err(map_keyring_error(other)),
        }
    }

    fn delete(&self, key: &SecretKey) -> Result<(), SecretError> {
        match self.entry(key)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(other) => Err(map_keyring_error(other)),
        }
    }
}

/// An in-memory store for unit tests of logic that is not about the keychain.
#[derive(Debug, Default)]
pub struct MemorySecretStore {
    entries: Mutex<HashMap<SecretKey, Sensitive<String>>>,
}

impl MemorySecretStore {
    /// Whether it holds no entry at all (tests check nothing was left behind).
    pub fn is_empty(&self) -> bool {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.is_empty()
    }
}

impl SecretStore for MemorySecretStore {
    fn set(&self, key: &SecretKey, value: &Sensitive<String>) -> Result<(), SecretError> {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.insert(key.clone(), value.clone());
        Ok(())
    }

    fn get(&self, key: &SecretKey) -> Result<Option<Sensitive<String>>, SecretError> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        Ok(entries.get(key).cloned())
    }

    fn delete(&self, key: &SecretKey) -> Result<(), SecretError> {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.remove(key);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensitive_values_redact_everywhere() {
        let secret = Sensitive::new("hunter2-token".to_owned());
        assert_eq!(format!("{secret:?}"), "[redacted]");
        assert_eq!(format!("{secret}"), "[redacted]");
        assert_eq!(serde_json::to_string(&secret).unwrap(), "\"[redacted]\"");
        assert_eq!(secret.expose(), "hunter2-token");
    }

    #[test]
    fn the_service_name_is_namespaced_for_tests() {
        assert_eq!(
            KeyringSecretStore::with_namespace(None).service(),
            APP_IDENTIFIER
        );
        assert_eq!(
            KeyringSecretStore::with_namespace(Some("ci-1")).service(),
            format!("{APP_IDENTIFIER}.ci-1")
        );
    }

    #[test]
    fn a_keychain_that_is_not_there_is_told_apart_from_one_that_says_no() {
        let platform = |text: &str| keyring::Error::PlatformFailure(text.to_owned().into());
        for unreachable in [
            "D-Bus error: org.freedesktop.DBus.Error.ServiceUnknown: The name \
             org.freedesktop.secrets was not provided by any .service files",
            "D-Bus error: I/O error: No such file or directory (os error 2)",
        ] {
            assert!(matches!(
                map_keyring_error(platform(unreachable)),
                SecretError::Unavailable { .. }
            ));
        }
        assert!(matches!(
            map_keyring_error(platform(
                "D-Bus error: org.freedesktop.DBus.Error.Failed: Couldn't create item"
            )),
            SecretError::Refused { .. }
        ));
        let locked = map_keyring_error(keyring::Error::NoStorageAccess("locked".into()));
        assert!(locked.to_string().contains("locked"), "{locked}");
        assert!(locked.to_string().contains("unlock it"), "{locked}");
    }

    #[test]
    fn memory_store_round_trip() {
        let store = MemorySecretStore::default();
        let key = SecretKey::connector("c1");
        store.set(&key, &Sensitive::new("v".into())).unwrap();
        assert_eq!(store.get(&key).unwrap().unwrap().expose(), "v");
        store.delete(&key).unwrap();
        store.delete(&key).unwrap();
        assert!(store.get(&key).unwrap().is_none());
    }
}
