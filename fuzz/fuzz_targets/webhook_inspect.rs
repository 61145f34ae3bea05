//! The webhook inspector: a pasted request (JSON or raw HTTP) read, then explained against a
//! Twilio and a Telnyx connector (token, signature over every URL variant, the number and the
//! message it is about). Arbitrary text must give an answer or a clear error, never a panic.
#![no_main]

use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use switchboard_providers::signature::sign_telnyx;
use switchboard_core::inspect::parse_captured;
use switchboard_core::{
    ConnectorDraft, ConnectorKind, ConnectorSettings, MemorySecretStore, OrganizationDraft, Store,
    Switchboard, TelnyxSettings, TwilioSettings,
};

struct World {
    core: Switchboard,
    /// The inbound URLs of the two connectors: a prefix the input may build on.
    urls: Vec<String>,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let store = Store::open_in_memory().unwrap();
        let core = Switchboard::new(store, Arc::new(MemorySecretStore::default()));
        let org = core
            .organization_create(&OrganizationDraft {
                name: "Fuzz Hotel".into(),
                inbound_base_url: Some("https://hooks.fuzz.example".into()),
            })
            .unwrap();
        let drafts = [
            ConnectorSettings::Twilio(TwilioSettings {
                account_sid: "AC0123456789abcdef0123456789abcdef".into(),
                from: Some("+14155550101".into()),
                ..TwilioSettings::default()
            }),
            ConnectorSettings::Telnyx(TelnyxSettings {
                from: Some("+13125550101".into()),
                public_key: Some(sign_telnyx(&[7; 32], 0, b"").0),
                ..TelnyxSettings::default()
            }),
        ];
        let mut urls = Vec::new();
        for (i, settings) in drafts.into_iter().enumerate() {
            let connector = core
                .connector_create(&ConnectorDraft {
                    org_id: org.id.clone(),
                    kind: ConnectorKind::Sms,
                    name: format!("Fuzz {i}"),
                    settings,
                    recipients: vec![],
                    receive_inbound: true,
                    secret: Some("KEY0123456789abcdef0123456789abcdef".into()),
                })
                .unwrap();
            if let Some(url) = core.webhook_url(&connector.id).unwrap().url {
                urls.push(url);
            }
        }
        World { core, urls }
    })
}

fuzz_target!(|data: &[u8]| {
    let world = world();
    let (choice, rest) = data.split_first().unwrap_or((&0, data));
    let text = String::from_utf8_lossy(rest);
    let Ok(mut request) = parse_captured(&text) else {
        return;
    };
    // Half the inputs aim at a real connector's URL, so the signature checks are reached.
    if let Some(url) = world.urls.get(usize::from(*choice) % 4) {
        request.url = format!("{url}{}", request.url);
    }
    let _ = world.core.inspector_explain(&request);
});
