//! The time Switchboard writes into the database: one function, so every stored time sorts and
//! parses the same way.

/// Now, in RFC 3339 with milliseconds and a `Z` (e.g. `2026-01-31T09:15:02.123Z`).
pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A time as the store and the user write it (RFC 3339), in UTC.
pub(crate) fn parse_time(text: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|d| d.with_timezone(&chrono::Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_is_rfc3339_utc_with_milliseconds() {
        let text = now();
        assert_eq!(text.len(), "2026-01-31T09:15:02.123Z".len(), "{text}");
        assert!(text.ends_with('Z'), "{text}");
        assert!(
            chrono::DateTime::parse_from_rfc3339(&text).is_ok(),
            "{text}"
        );
    }
}
