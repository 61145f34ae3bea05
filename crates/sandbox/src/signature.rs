//! Webhook signatures: Twilio's `X-Twilio-Signature` (HMAC-SHA1) and Telnyx's Ed25519 scheme.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::{Signer as _, SigningKey};
use hmac::{Hmac, Mac as _};
use sha1::Sha1;

/// Header names Telnyx uses on its webhooks.
pub const TELNYX_SIGNATURE_HEADER: &str = "telnyx-signature-ed25519";
pub const TELNYX_TIMESTAMP_HEADER: &str = "telnyx-timestamp";
pub const TWILIO_SIGNATURE_HEADER: &str = "X-Twilio-Signature";

/// `X-Twilio-Signature` for a request to `url` (exactly as requested, query included) carrying
/// the form `params`: the URL followed by every `name + value`, sorted by name and then value,
/// HMAC-SHA1 with the auth token as key, base64-encoded.
pub fn twilio_signature(auth_token: &str, url: &str, params: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort();
    sorted.dedup();
    let mut payload = String::from(url);
    for (name, value) in sorted {
        payload.push_str(name);
        payload.push_str(value);
    }
    // HMAC accepts keys of any length, so this cannot fail; fall back to an empty signature
    // rather than panicking in a server.
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(auth_token.as_bytes()) else {
        return String::new();
    };
    mac.update(payload.as_bytes());
    BASE64.encode(mac.finalize().into_bytes())
}

/// The two Telnyx webhook headers' values (signature, timestamp) for `body` sent at `timestamp`
/// (Unix seconds): Ed25519 over `"{timestamp}|{body}"`, base64-encoded.
pub fn telnyx_signature(key: &SigningKey, timestamp: i64, body: &[u8]) -> String {
    let mut message = format!("{timestamp}|").into_bytes();
    message.extend_from_slice(body);
    BASE64.encode(key.sign(&message).to_bytes())
}

/// The base64 form of the public half of `key`, as Telnyx shows it in Mission Control.
pub fn telnyx_public_key(key: &SigningKey) -> String {
    BASE64.encode(key.verifying_key().to_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signature, Verifier as _, VerifyingKey};

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn twilio_official_test_vector() {
        let params = pairs(&[
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+14158675309"),
            ("Digits", "1234"),
            ("From", "+14158675309"),
            ("To", "+18005551212"),
        ]);
        let signature = twilio_signature(
            "12345",
            "https://mycompany.com/myapp.php?foo=1&bar=2",
            &params,
        );
        assert_eq!(signature, "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
    }

    #[test]
    fn twilio_signature_ignores_parameter_order() {
        let a = pairs(&[("b", "2"), ("a", "1")]);
        let b = pairs(&[("a", "1"), ("b", "2")]);
        assert_eq!(
            twilio_signature("t", "http://x/", &a),
            twilio_signature("t", "http://x/", &b)
        );
    }

    #[test]
    fn telnyx_signature_verifies_with_public_key() {
        let key = SigningKey::from_bytes(&[7u8; 32]);
        let body = br#"{"data":{}}"#;
        let signature = telnyx_signature(&key, 1_700_000_000, body);
        let raw = BASE64.decode(signature).unwrap();
        let signature = Signature::from_slice(&raw).unwrap();
        let public: [u8; 32] = BASE64
            .decode(telnyx_public_key(&key))
            .unwrap()
            .try_into()
            .unwrap();
        let verifying = VerifyingKey::from_bytes(&public).unwrap();
        verifying
            .verify(b"1700000000|{\"data\":{}}", &signature)
            .unwrap();
    }
}
