//! Every answer of Twilio, Telnyx and 46elks the providers crate decodes, and each provider's
//! error body read down to the failure the app shows, on arbitrary bytes and HTTP statuses.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (status, body) = match data {
        [high, low, body @ ..] => (u16::from_be_bytes([*high, *low]) % 600, body),
        _ => (500, data),
    };
    switchboard_providers::fuzzing::provider_answer(body, status);
});
