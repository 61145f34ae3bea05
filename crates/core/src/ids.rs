//! Identifiers Switchboard makes: one function, so every id has the same shape.

/// A fresh random id: a UUID v4 in its simple form (32 lowercase hex digits, no dashes), used for
/// organizations, connectors, agents, jobs and webhook tokens alike.
pub(crate) fn new_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_32_hex_digits_and_differ() {
        let (a, b) = (new_id(), new_id());
        assert_eq!(a.len(), 32);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        assert_ne!(a, b);
    }
}
