//! How fresh a provider read is (issue 11 §5): read just now, or the last known state because
//! the provider could not be reached. See [`crate::last_known`] for the reads that fall back.

use serde::{Deserialize, Serialize};
use switchboard_providers::{FailureKind, ProviderFailure};

use crate::error::CoreError;

/// How fresh an answer is: read just now, or the last known one because the provider could not
/// be reached (`stale`, with the `failure` that prevented the refresh).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Freshness {
    /// When the data was read from the provider (`None`: never).
    pub as_of: Option<String>,
    /// The provider could not be reached; this is the last known state.
    pub stale: bool,
    /// Why it could not be refreshed (only when `stale`).
    pub failure: Option<ProviderFailure>,
}

impl Freshness {
    pub(crate) fn fresh(as_of: Option<String>) -> Self {
        Self {
            as_of,
            stale: false,
            failure: None,
        }
    }

    pub(crate) fn stale(as_of: Option<String>, failure: ProviderFailure) -> Self {
        Self {
            as_of,
            stale: true,
            failure: Some(failure),
        }
    }
}

/// The failure, when it is one the last known state stands in for.
pub fn offline_failure(error: &CoreError) -> Option<&ProviderFailure> {
    error
        .provider_failure()
        .filter(|failure| is_out_of_reach(failure))
}

/// The provider could not be asked (unreachable, rate-limited, failing on its side): nothing
/// was learnt about the account, so what was known before still stands.
pub(crate) fn is_out_of_reach(failure: &ProviderFailure) -> bool {
    matches!(
        failure.kind,
        FailureKind::Unreachable | FailureKind::RateLimited | FailureKind::ProviderUnavailable
    )
}
