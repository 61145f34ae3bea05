//! The one place messaging reads a connector's settings.

use crate::model::{Connector, ConnectorSettings};

/// The connector's default sender (E.164, or a 46elks alphanumeric name); an Email connector's
/// From address is not a message sender.
pub(crate) fn default_from(connector: &Connector) -> Option<&str> {
    let from = match &connector.settings {
        ConnectorSettings::Twilio(twilio) => twilio.from.as_deref(),
        ConnectorSettings::Telnyx(telnyx) => telnyx.from.as_deref(),
        ConnectorSettings::Elks46(elks) => elks.from.as_deref(),
        ConnectorSettings::Smtp(_) => None,
    };
    from.filter(|from| !from.trim().is_empty())
}

/// The connector's default sender when it is an address messages come from: a Twilio
/// Messaging Service SID is not (the service sends from its own numbers), while a 46elks
/// alphanumeric sender that happens to start with "MG" is.
pub(crate) fn default_from_address(connector: &Connector) -> Option<&str> {
    default_from(connector).filter(|from| {
        !(matches!(connector.settings, ConnectorSettings::Twilio(_)) && is_service_sid(from))
    })
}

/// Telnyx: the messaging profile that sends for the connector (needed for an alphanumeric
/// sender).
pub(super) fn messaging_profile_id(connector: &Connector) -> Option<&str> {
    match &connector.settings {
        ConnectorSettings::Telnyx(telnyx) => telnyx.messaging_profile_id.as_deref(),
        _ => None,
    }
    .filter(|id| !id.trim().is_empty())
}

/// A Twilio Messaging Service SID (`MG` and 32 hex digits).
pub(super) fn is_service_sid(value: &str) -> bool {
    value.len() == 34
        && value.starts_with("MG")
        && value[2..].chars().all(|c| c.is_ascii_hexdigit())
}
