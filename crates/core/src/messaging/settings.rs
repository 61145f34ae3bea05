//! The one place messaging reads a connector's settings. The settings' shape is about to change
//! (one variant per provider); only these functions need to follow it.

use crate::model::Connector;

/// The connector's default sender (E.164, or a 46elks alphanumeric name).
pub(super) fn default_from(connector: &Connector) -> Option<&str> {
    connector
        .settings
        .from
        .as_deref()
        .filter(|from| !from.trim().is_empty())
}

/// Telnyx: the messaging profile that sends for the connector (needed for an alphanumeric
/// sender).
pub(super) fn messaging_profile_id(connector: &Connector) -> Option<&str> {
    connector
        .settings
        .messaging_profile_id
        .as_deref()
        .filter(|id| !id.trim().is_empty())
}
