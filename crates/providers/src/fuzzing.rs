//! Entry points for the fuzz targets (fuzz/ at the repository's root): every provider answer
//! this crate decodes, fed arbitrary bytes. Not an API: hidden, and no other crate calls it.

use serde::de::DeserializeOwned;

use crate::dialect::{Dialect, api_error};
use crate::failure::CallContext;
use crate::{elks, telnyx, twilio};

fn decode<T: DeserializeOwned>(body: &[u8]) {
    let _ = serde_json::from_slice::<T>(body);
}

/// Decodes `body` as every answer of every provider, and reads it as each provider's error body
/// under `http_status`, down to the failure the app shows. Must never panic.
pub fn provider_answer(body: &[u8], http_status: u16) {
    decode::<twilio::Account>(body);
    decode::<twilio::IncomingPhoneNumberPage>(body);
    decode::<twilio::Message>(body);
    decode::<twilio::MessagePage>(body);
    decode::<twilio::MessagingServicePage>(body);
    decode::<twilio::ServicePhoneNumberPage>(body);
    decode::<twilio::Sender>(body);
    decode::<twilio::SenderPage>(body);
    decode::<twilio::ContentPage>(body);
    decode::<twilio::ContentAndApprovalsPage>(body);
    decode::<twilio::history::PageLink>(body);
    decode::<telnyx::Envelope<telnyx::Balance>>(body);
    decode::<telnyx::Envelope<telnyx::Message>>(body);
    decode::<telnyx::Envelope<telnyx::MessagingProfile>>(body);
    decode::<telnyx::Envelope<telnyx::NumberMessagingSettings>>(body);
    decode::<telnyx::ListEnvelope<telnyx::PhoneNumber>>(body);
    decode::<telnyx::ListEnvelope<telnyx::history::MessageDetailRecord>>(body);
    decode::<elks::Me>(body);
    decode::<elks::Sms>(body);
    decode::<elks::NumberList>(body);
    decode::<elks::history::SmsHistoryPage>(body);
    let dialects: [&dyn Dialect; 3] = [
        &twilio::errors::TwilioDialect,
        &telnyx::TelnyxDialect,
        &elks::ElksDialect,
    ];
    for dialect in dialects {
        for context in [CallContext::Send, CallContext::CredentialCheck] {
            let error = api_error(
                dialect,
                http_status,
                dialect.parse_error_body(body),
                context,
            );
            let failure = error.failure();
            let _ = (error.to_string(), failure.message, error.kind());
        }
    }
}
