//! The time as the store writes it.

/// Now, as RFC 3339 UTC with milliseconds (`2026-05-01T12:00:00.000Z`).
pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
