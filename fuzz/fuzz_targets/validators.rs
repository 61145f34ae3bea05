//! core's validators: every field validator on arbitrary text, and the organization and
//! connector validators on arbitrary JSON drafts. A value a validator accepts must be accepted
//! again as it was normalized (what is stored is valid when read back).
#![no_main]

use libfuzzer_sys::fuzz_target;
use switchboard_core::validate;
use switchboard_core::{ConnectorDraft, OrganizationDraft};

type Validator = fn(&str) -> Result<String, String>;

const FIELDS: [(&str, Validator); 9] = [
    ("e164", validate::e164),
    ("elks_sender", validate::elks_sender),
    ("email", validate::email),
    ("account_sid", validate::account_sid),
    ("twilio_sender", validate::twilio_sender),
    ("telnyx_sender", validate::telnyx_sender),
    ("api_key_sid", validate::api_key_sid),
    ("base_url", validate::base_url),
    ("inbound_base_url", validate::inbound_base_url),
];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for (name, check) in FIELDS {
        if let Ok(normalized) = check(&text) {
            assert!(
                check(&normalized).is_ok(),
                "{name} accepted {text:?} as {normalized:?} but refuses that"
            );
        }
    }
    if let Ok(draft) = serde_json::from_slice::<OrganizationDraft>(data) {
        let _ = validate::organization(&draft);
    }
    if let Ok(draft) = serde_json::from_slice::<ConnectorDraft>(data) {
        for is_new in [true, false] {
            if let Ok(valid) = validate::connector(&draft, is_new) {
                assert!(
                    validate::connector(&valid, is_new).is_ok(),
                    "a normalized connector draft is refused"
                );
            }
        }
    }
});
