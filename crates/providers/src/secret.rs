//! A credential that cannot leak through `Debug`, `Display` or serialization.

use std::fmt;

/// An API secret (auth token, API key secret, password). It has no `Display` and no `Serialize`
/// on purpose; `Debug` prints a placeholder. Read it with [`Secret::expose`] only where it is put
/// on the wire.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

const REDACTED: &str = "[redacted]";

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for building the `Authorization` header.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Replaces every occurrence of the secret in `text`. Used on every error message, because a
    /// provider (or a proxy in between) may echo what it was sent.
    pub(crate) fn scrub(&self, text: &str) -> String {
        if self.0.is_empty() || !text.contains(&self.0) {
            text.to_owned()
        } else {
            text.replace(&self.0, REDACTED)
        }
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({REDACTED})")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let secret = Secret::new("hunter2-token");
        assert_eq!(format!("{secret:?}"), "Secret([redacted])");
        assert!(!format!("{secret:#?}").contains("hunter2"));
    }

    #[test]
    fn scrub_replaces_every_occurrence() {
        let secret = Secret::new("tok123");
        assert_eq!(
            secret.scrub("a tok123 b tok123"),
            "a [redacted] b [redacted]"
        );
        assert_eq!(secret.scrub("nothing here"), "nothing here");
        assert_eq!(Secret::new("").scrub("keep"), "keep");
    }
}
