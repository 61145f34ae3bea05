//! The seeded state (what the start line's credentials open) and the account builders shared
//! with `POST /_sandbox/accounts`. Seeding is deterministic for a given seed value, so a reset
//! restores the same SIDs and credentials.

use rand::Rng;
use rand::SeedableRng as _;
use rand::rngs::StdRng;
use serde_json::json;

use crate::clock;
use crate::elks::{ElksAccount, ElksNumber};
use crate::ids;
use crate::state::World;
use crate::telnyx::{MessagingProfile, TelnyxAccount, TelnyxNumber};
use crate::twilio::accounts::{AccountStatus, AccountType, ApiKey, TwilioAccount};
use crate::twilio::content::{Approval, ContentTemplate};
use crate::twilio::numbers::IncomingNumber;
use crate::twilio::senders::{STATUSES, Sender, new_verification_code};
use crate::twilio::services::MessagingService;
use crate::{ElksCredentials, SeedCredentials, TelnyxCredentials, TwilioCredentials};

/// Seeded Twilio SMS numbers; the first also carries the ONLINE WhatsApp sender, the last is in
/// the Messaging Service.
pub const TWILIO_NUMBERS: [&str; 5] = [
    "+14155550101",
    "+14155550102",
    "+14155550103",
    "+14155550104",
    "+14155550105",
];
pub const TELNYX_NUMBERS: [&str; 3] = ["+13125550101", "+13125550102", "+13125550103"];
pub const ELKS_NUMBERS: [&str; 3] = ["+46766860101", "+46766860102", "+46766860103"];

pub fn twilio_credentials(rng: &mut impl Rng) -> TwilioCredentials {
    TwilioCredentials {
        account_sid: ids::twilio_sid(rng, "AC"),
        auth_token: ids::secret(rng),
        api_key_sid: ids::twilio_sid(rng, "SK"),
        api_key_secret: ids::secret(rng),
        whatsapp_sandbox: None,
    }
}

pub fn telnyx_credentials(rng: &mut impl Rng, public_key: &str) -> TelnyxCredentials {
    TelnyxCredentials {
        api_key: ids::telnyx_api_key(rng),
        public_key: public_key.to_string(),
    }
}

pub fn elks_credentials(rng: &mut impl Rng) -> ElksCredentials {
    ElksCredentials {
        username: ids::elks_id(rng, 'u'),
        password: ids::secret(rng).to_uppercase(),
    }
}

pub fn credentials(
    rng: &mut impl Rng,
    url: &str,
    admin_token: &str,
    telnyx_public_key: &str,
) -> SeedCredentials {
    SeedCredentials {
        url: url.to_string(),
        admin_token: admin_token.to_string(),
        twilio: twilio_credentials(rng),
        telnyx: telnyx_credentials(rng, telnyx_public_key),
        elks: elks_credentials(rng),
    }
}

/// An empty Twilio account with its API key and the standard content templates.
pub fn twilio_account(
    rng: &mut impl Rng,
    credentials: &TwilioCredentials,
    friendly_name: &str,
    status: AccountStatus,
    account_type: AccountType,
) -> TwilioAccount {
    let mut account = TwilioAccount::new(
        credentials.account_sid.clone(),
        credentials.auth_token.clone(),
        friendly_name,
        status,
        account_type,
    );
    account.api_keys.push(ApiKey {
        sid: credentials.api_key_sid.clone(),
        secret: credentials.api_key_secret.clone(),
    });
    account.contents = content_templates(rng);
    account
}

fn template(
    rng: &mut impl Rng,
    name: &str,
    variables: serde_json::Value,
    types: serde_json::Value,
    category: &str,
    status: &str,
    rejection_reason: &str,
) -> ContentTemplate {
    ContentTemplate {
        sid: ids::twilio_sid(rng, "HX"),
        friendly_name: name.to_string(),
        language: "en".into(),
        variables,
        types,
        approval: Approval {
            name: name.to_string(),
            category: category.to_string(),
            status: status.to_string(),
            rejection_reason: rejection_reason.to_string(),
        },
        date_created: clock::now(),
    }
}

fn content_templates(rng: &mut impl Rng) -> Vec<ContentTemplate> {
    vec![
        template(
            rng,
            "order_update",
            json!({"1": "customer", "2": "order number"}),
            json!({"twilio/text": {"body": "Hi {{1}}, your order {{2}} has shipped."}}),
            "UTILITY",
            "approved",
            "",
        ),
        template(
            rng,
            "appointment_reminder",
            json!({"1": "customer", "2": "time"}),
            json!({"twilio/text": {"body": "Hello {{1}}, this is a reminder of your appointment at {{2}}."}}),
            "UTILITY",
            "approved",
            "",
        ),
        template(
            rng,
            "welcome_media",
            json!({"1": "customer"}),
            json!({"twilio/media": {
                "body": "Welcome aboard, {{1}}!",
                "media": ["https://example.com/welcome.png"],
            }}),
            "MARKETING",
            "approved",
            "",
        ),
        template(
            rng,
            "spring_sale",
            json!({"1": "discount"}),
            json!({"twilio/text": {"body": "Spring sale: {{1}} off everything!"}}),
            "MARKETING",
            "rejected",
            "The template's content violates WhatsApp's commerce policy.",
        ),
    ]
}

pub fn twilio_number(rng: &mut impl Rng, phone_number: &str) -> IncomingNumber {
    IncomingNumber::new(ids::twilio_sid(rng, "PN"), phone_number.to_string())
}

pub fn whatsapp_sender(rng: &mut impl Rng, phone_number: &str, status: &str) -> Sender {
    Sender::new(
        ids::twilio_sid(rng, "XE"),
        phone_number,
        status,
        "Sandbox Shop",
    )
}

/// What makes the seeded senders worth looking at: the offline one cannot use its WhatsApp
/// Business Account and its display name was rejected (so it may start only 250 conversations a
/// day); the one being updated has a medium quality rating; the one waiting for verification has
/// a code (see `GET /_sandbox/verification-codes`).
fn seeded_sender(rng: &mut impl Rng, sender: Sender) -> Sender {
    match sender.status.as_str() {
        "OFFLINE" => sender
            .with_properties("LOW", "250 Customers/24hr")
            .with_offline_reasons(&[
                (
                    "63101",
                    "WABA ID provided is not valid or unable to be used",
                ),
                ("30008", "No delivery"),
            ]),
        "ONLINE:UPDATING" => sender.with_properties("MEDIUM", "1K Customers/24hr"),
        "PENDING_VERIFICATION" => {
            let mut sender = sender;
            sender.verification_code = Some(new_verification_code(rng));
            sender
        }
        _ => sender,
    }
}

pub fn telnyx_account(api_key: &str, active: bool) -> TelnyxAccount {
    TelnyxAccount::new(api_key.to_string(), active)
}

pub fn telnyx_number(
    rng: &mut impl Rng,
    phone_number: &str,
    profile: Option<&str>,
) -> TelnyxNumber {
    TelnyxNumber::new(
        ids::telnyx_number_id(rng),
        phone_number.to_string(),
        profile.map(str::to_string),
    )
}

pub fn elks_number(rng: &mut impl Rng, phone_number: &str) -> ElksNumber {
    ElksNumber::new(ids::elks_id(rng, 'n'), phone_number.to_string())
}

/// The world right after start.
pub fn world(seed_value: u64, credentials: &SeedCredentials) -> World {
    // A stream apart from the credentials' one, so both stay stable across resets.
    let mut rng = StdRng::seed_from_u64(seed_value ^ 0x5eed_5eed_5eed_5eed);
    let mut world = World::default();

    let mut twilio = twilio_account(
        &mut rng,
        &credentials.twilio,
        "Switchboard Sandbox",
        AccountStatus::Active,
        AccountType::Full,
    );
    for phone_number in TWILIO_NUMBERS {
        twilio.numbers.push(twilio_number(&mut rng, phone_number));
    }
    // One sender per status of the spec's enum; the ONLINE one sits on the first SMS number.
    for (index, status) in STATUSES.iter().enumerate() {
        let phone_number = if *status == "ONLINE" {
            TWILIO_NUMBERS[0].to_string()
        } else {
            format!("+1415555020{index}")
        };
        let sender = whatsapp_sender(&mut rng, &phone_number, status);
        twilio.senders.push(seeded_sender(&mut rng, sender));
    }
    // A number whose SMS goes to a TwiML app: the app must say that sms_url is then ignored.
    twilio.numbers[1].sms_application_sid = ids::twilio_sid(&mut rng, "AP");
    let mut service =
        MessagingService::new(ids::twilio_sid(&mut rng, "MG"), "Sandbox Messaging Service");
    if let Some(pooled) = twilio.numbers.last() {
        service
            .phone_number_sids
            .push((pooled.sid.clone(), clock::now()));
    }
    twilio.services.push(service);
    world.twilio.insert(twilio.sid.clone(), twilio);

    let mut telnyx = telnyx_account(&credentials.telnyx.api_key, true);
    let profile = MessagingProfile::new(ids::uuid_v4(&mut rng), "Sandbox profile");
    for (index, phone_number) in TELNYX_NUMBERS.iter().enumerate() {
        // The last number is left unassigned: inbound SMS to it reaches no webhook.
        let assigned = (index < TELNYX_NUMBERS.len() - 1).then_some(profile.id.as_str());
        telnyx
            .numbers
            .push(telnyx_number(&mut rng, phone_number, assigned));
    }
    telnyx.profiles.push(profile);
    world.telnyx.insert(telnyx.api_key.clone(), telnyx);

    let mut elks = ElksAccount::new(
        credentials.elks.username.clone(),
        credentials.elks.password.clone(),
        true,
    );
    for phone_number in ELKS_NUMBERS {
        elks.numbers.push(elks_number(&mut rng, phone_number));
    }
    world.elks.insert(elks.username.clone(), elks);
    world
}
