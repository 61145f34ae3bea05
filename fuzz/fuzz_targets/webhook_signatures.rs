//! The webhook signature verifiers: Twilio's X-Twilio-Signature (form and JSON webhooks) and
//! Telnyx's Ed25519 signature, on arbitrary inputs. None may panic; a forged signature is never
//! accepted, and a genuine one always is.
#![no_main]

use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use switchboard_providers::signature::{
    sign_telnyx, sign_twilio, telnyx_public_key_check, verify_telnyx, verify_twilio,
    verify_twilio_json,
};

const TOKEN: &str = "0123456789abcdef0123456789abcdef";

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(4, '\u{0}');
    let url = parts.next().unwrap_or_default();
    let signature = parts.next().unwrap_or_default();
    let timestamp = parts.next().unwrap_or_default();
    let body = parts.next().unwrap_or_default();
    let params: Vec<(String, String)> = body
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (k.to_owned(), v.to_owned()),
            None => (pair.to_owned(), String::new()),
        })
        .collect();

    // Whatever arrives is refused unless it is the genuine signature.
    let genuine = sign_twilio(TOKEN, url, &params);
    let verdict = verify_twilio(TOKEN, url, &params, signature);
    if verdict.is_ok() {
        assert_eq!(signature.trim(), genuine, "a forged Twilio signature was accepted");
    }
    // Twilio signs the URL it requested, always a full URL: for one in its canonical spelling
    // the genuine signature must pass.
    if url::Url::parse(url).is_ok_and(|parsed| parsed.as_str() == url) {
        assert!(
            verify_twilio(TOKEN, url, &params, &genuine).is_ok(),
            "a genuine Twilio signature was refused"
        );
    }
    let _ = verify_twilio_json(TOKEN, url, body.as_bytes(), signature);
    let _ = verify_twilio(signature, url, &params, timestamp);

    let _ = telnyx_public_key_check(signature);
    let now = 1_700_000_000;
    let _ = verify_telnyx(
        signature,
        timestamp,
        url,
        body.as_bytes(),
        now,
        Duration::from_secs(300),
    );
    let mut seed = [7u8; 32];
    for (i, b) in data.iter().take(32).enumerate() {
        seed[i] = *b;
    }
    let (public_key, genuine) = sign_telnyx(&seed, now, body.as_bytes());
    let at = now.to_string();
    assert!(
        verify_telnyx(&public_key, &at, &genuine, body.as_bytes(), now, Duration::from_secs(300))
            .is_ok(),
        "a genuine Telnyx signature was refused"
    );
    if verify_telnyx(&public_key, &at, url, body.as_bytes(), now, Duration::from_secs(300)).is_ok() {
        assert_eq!(url.trim(), genuine, "a forged Telnyx signature was accepted");
    }
});
