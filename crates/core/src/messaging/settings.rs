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

/// Telnyx: the messaging profile that sends for the connector (needed for an alphanumeric
/// sender).
pub(super) fn messaging_profile_id(connector: &Connector) -> Option<&str> {
    match &connector.settings {
        ConnectorSettings::Telnyx(telnyx) => telnyx.messaging_profile_id.as_deref(),
        _ => None,
    }
    .filter(|id| !id.trim().is_empty())
}
