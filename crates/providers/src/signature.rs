//! Verifying inbound webhooks: Twilio's `X-Twilio-Signature` (HMAC-SHA1 over the URL and the
//! sorted form parameters, or over the URL alone plus a `bodySHA256` for JSON bodies) and
//! Telnyx's Ed25519 signature over `"{timestamp}|{body}"`. Facts from
//! `shared/reference/twilio-signature.md` and `shared/reference/telnyx.md`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::{Signature, Verifier as _, VerifyingKey};
use hmac::{Hmac, Mac as _};
use sha1::Sha1;
use sha2::{Digest as _, Sha256};
use url::Url;

pub const TWILIO_SIGNATURE_HEADER: &str = "X-Twilio-Signature";
pub const TELNYX_SIGNATURE_HEADER: &str = "telnyx-signature-ed25519";
pub const TELNYX_TIMESTAMP_HEADER: &str = "telnyx-timestamp";
/// Telnyx's SDKs refuse webhooks signed more than this long before or after now.
pub const TELNYX_TOLERANCE_SECONDS: i64 = 300;

/// Why a webhook is not authentic. No variant carries the token or key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the webhook has no signature header")]
    Missing,
    #[error("the signature does not match: the URL, the parameters or the token differ")]
    Mismatch,
    #[error("the body does not match the bodySHA256 the URL carries")]
    BodyMismatch,
    #[error("the URL carries no bodySHA256, which a signed JSON body needs")]
    NoBodyHash,
    #[error("the webhook URL cannot be read: {0}")]
    BadUrl(String),
    #[error("the public key is not a base64 Ed25519 key of 32 bytes")]
    BadKey,
    #[error("the signature is not base64 of 64 bytes")]
    BadSignature,
    #[error("the timestamp '{0}' is not Unix seconds")]
    BadTimestamp(String),
    #[error(
        "the webhook was signed {0} s away from now, beyond the {TELNYX_TOLERANCE_SECONDS} s allowed (a replay?)"
    )]
    Stale(i64),
}

fn hmac_sha1(key: &str, message: &str) -> Vec<u8> {
    // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
    match Hmac::<Sha1>::new_from_slice(key.as_bytes()) {
        Ok(mut mac) => {
            mac.update(message.as_bytes());
            mac.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

/// Equal in time independent of where the bytes first differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The string Twilio signs: the URL, then each name and value sorted (values de-duplicated).
fn signed_payload(url: &str, params: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort();
    sorted.dedup();
    let mut payload = url.to_owned();
    for (name, value) in sorted {
        payload.push_str(name);
        payload.push_str(value);
    }
    payload
}

/// The URL as given, with its default port removed, or with the default port added: Twilio's
/// own signing is inconsistent about ports, so its libraries accept either.
fn url_variants(url: &str) -> Result<Vec<String>, SignatureError> {
    Url::parse(url).map_err(|e| SignatureError::BadUrl(e.to_string()))?;
    let mut variants = vec![url.to_owned()];
    let Some((scheme, rest)) = url.split_once("://") else {
        return Ok(variants);
    };
    let default = match scheme.to_ascii_lowercase().as_str() {
        "https" => ":443",
        "http" => ":80",
        _ => return Ok(variants),
    };
    let split = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(split);
    // The port is what follows the last ':' after the host (IPv6 hosts are in brackets).
    let host_end = authority.rfind(']').map_or(0, |i| i + 1);
    let has_port = authority[host_end..].contains(':');
    if let Some(host) = authority.strip_suffix(default) {
        variants.push(format!("{scheme}://{host}{tail}"));
    } else if !has_port {
        variants.push(format!("{scheme}://{authority}{default}{tail}"));
    }
    Ok(variants)
}

fn decode_signature(header: &str) -> Result<Vec<u8>, SignatureError> {
    let header = header.trim();
    if header.is_empty() {
        return Err(SignatureError::Missing);
    }
    BASE64.decode(header).map_err(|_| SignatureError::Mismatch)
}

/// Verifies the `X-Twilio-Signature` of a form-encoded (or GET) webhook to `url` (exactly as
/// requested, query included) carrying `params`.
pub fn verify_twilio(
    auth_token: &str,
    url: &str,
    params: &[(String, String)],
    signature: &str,
) -> Result<(), SignatureError> {
    let expected = decode_signature(signature)?;
    for candidate in url_variants(url)? {
        let mac = hmac_sha1(auth_token, &signed_payload(&candidate, params));
        if constant_time_eq(&mac, &expected) {
            return Ok(());
        }
    }
    Err(SignatureError::Mismatch)
}

/// Verifies a webhook with a JSON body: the signature covers the URL alone, whose `bodySHA256`
/// query parameter must be the hex SHA-256 of the raw body.
pub fn verify_twilio_json(
    auth_token: &str,
    url: &str,
    body: &[u8],
    signature: &str,
) -> Result<(), SignatureError> {
    let parsed = Url::parse(url).map_err(|e| SignatureError::BadUrl(e.to_string()))?;
    let claimed = parsed
        .query_pairs()
        .find(|(name, _)| name == "bodySHA256")
        .map(|(_, value)| value.into_owned())
        .ok_or(SignatureError::NoBodyHash)?;
    verify_twilio(auth_token, url, &[], signature)?;
    let actual: String = Sha256::digest(body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    if constant_time_eq(actual.as_bytes(), claimed.to_ascii_lowercase().as_bytes()) {
        Ok(())
    } else {
        Err(SignatureError::BodyMismatch)
    }
}

/// Verifies a Telnyx webhook: Ed25519 over `"{timestamp}|{body}"` with the account's public key
/// (base64 of the 32 raw bytes), signed within [`TELNYX_TOLERANCE_SECONDS`] of `now`.
pub fn verify_telnyx(
    public_key: &str,
    timestamp: &str,
    signature: &str,
    body: &[u8],
    now: i64,
) -> Result<(), SignatureError> {
    let key_bytes: [u8; 32] = BASE64
        .decode(public_key.trim())
        .ok()
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or(SignatureError::BadKey)?;
    let key = VerifyingKey::from_bytes(&key_bytes).map_err(|_| SignatureError::BadKey)?;
    if signature.trim().is_empty() {
        return Err(SignatureError::Missing);
    }
    let signature_bytes: [u8; 64] = BASE64
        .decode(signature.trim())
        .ok()
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or(SignatureError::BadSignature)?;
    let seconds: i64 = timestamp
        .trim()
        .parse()
        .map_err(|_| SignatureError::BadTimestamp(timestamp.to_owned()))?;
    let skew = now - seconds;
    if skew.abs() > TELNYX_TOLERANCE_SECONDS {
        return Err(SignatureError::Stale(skew));
    }
    let mut message = format!("{}|", timestamp.trim()).into_bytes();
    message.extend_from_slice(body);
    key.verify(&message, &Signature::from_bytes(&signature_bytes))
        .map_err(|_| SignatureError::Mismatch)
}

#[cfg(test)]
mod tests {
    use ed25519_dalek::{Signer as _, SigningKey};

    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn official() -> Vec<(String, String)> {
        pairs(&[
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+14158675309"),
            ("Digits", "1234"),
            ("From", "+14158675309"),
            ("To", "+18005551212"),
        ])
    }

    const URL: &str = "https://mycompany.com/myapp.php?foo=1&bar=2";
    const SIGNATURE: &str = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";

    fn sign(token: &str, url: &str, params: &[(String, String)]) -> String {
        BASE64.encode(hmac_sha1(token, &signed_payload(url, params)))
    }

    #[test]
    fn the_official_vector_verifies() {
        assert_eq!(verify_twilio("12345", URL, &official(), SIGNATURE), Ok(()));
        let mut shuffled = official();
        shuffled.reverse();
        assert_eq!(verify_twilio("12345", URL, &shuffled, SIGNATURE), Ok(()));
    }

    #[test]
    fn tampering_with_params_url_or_token_is_refused() {
        let mut params = official();
        params[2].1 = "9999".into();
        assert_eq!(
            verify_twilio("12345", URL, &params, SIGNATURE),
            Err(SignatureError::Mismatch)
        );
        let mut extra = official();
        extra.push(("Body".into(), "hi".into()));
        assert!(verify_twilio("12345", URL, &extra, SIGNATURE).is_err());
        assert!(
            verify_twilio(
                "12345",
                "https://mycompany.com/myapp.php?foo=1&bar=3",
                &official(),
                SIGNATURE
            )
            .is_err()
        );
        assert!(verify_twilio("54321", URL, &official(), SIGNATURE).is_err());
        assert_eq!(
            verify_twilio("12345", URL, &official(), ""),
            Err(SignatureError::Missing)
        );
    }

    #[test]
    fn the_default_port_may_be_there_or_not() {
        let params = official();
        // Signed without the port, requested with it…
        let signed = sign("12345", URL, &params);
        let with_port = "https://mycompany.com:443/myapp.php?foo=1&bar=2";
        assert_eq!(verify_twilio("12345", with_port, &params, &signed), Ok(()));
        // …and signed with the port, requested without it.
        let signed = sign("12345", with_port, &params);
        assert_eq!(verify_twilio("12345", URL, &params, &signed), Ok(()));
        // http and port 80 the same way.
        let plain = "http://hotel.example/in";
        let signed = sign("tok", "http://hotel.example:80/in", &params);
        assert_eq!(verify_twilio("tok", plain, &params, &signed), Ok(()));
        // Another port is another URL.
        let signed = sign(
            "12345",
            "https://mycompany.com:8443/myapp.php?foo=1&bar=2",
            &params,
        );
        assert!(verify_twilio("12345", URL, &params, &signed).is_err());
    }

    #[test]
    fn a_json_body_is_checked_through_body_sha256() {
        let body = br#"{"MessageSid":"SM1","Body":"Hello"}"#;
        let hash: String = Sha256::digest(body)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let url = format!("https://hooks.hotel.example/inbound?bodySHA256={hash}");
        let signature = sign("tok", &url, &[]);
        assert_eq!(verify_twilio_json("tok", &url, body, &signature), Ok(()));
        assert_eq!(
            verify_twilio_json(
                "tok",
                &url,
                br#"{"MessageSid":"SM1","Body":"Bye"}"#,
                &signature
            ),
            Err(SignatureError::BodyMismatch)
        );
        assert_eq!(
            verify_twilio_json("other", &url, body, &signature),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify_twilio_json(
                "tok",
                "https://hooks.hotel.example/inbound",
                body,
                &signature
            ),
            Err(SignatureError::NoBodyHash)
        );
    }

    fn telnyx_key() -> (SigningKey, String) {
        let key = SigningKey::from_bytes(&rand::random::<[u8; 32]>());
        let public = BASE64.encode(key.verifying_key().to_bytes());
        (key, public)
    }

    fn telnyx_sign(key: &SigningKey, timestamp: i64, body: &[u8]) -> String {
        let mut message = format!("{timestamp}|").into_bytes();
        message.extend_from_slice(body);
        BASE64.encode(key.sign(&message).to_bytes())
    }

    #[test]
    fn telnyx_signatures_verify_and_tampering_is_refused() {
        let (key, public) = telnyx_key();
        let body = br#"{"data":{"event_type":"message.received"}}"#;
        let now = 1_790_000_000;
        let signature = telnyx_sign(&key, now, body);
        let stamp = now.to_string();
        assert_eq!(
            verify_telnyx(&public, &stamp, &signature, body, now + 10),
            Ok(())
        );
        assert_eq!(
            verify_telnyx(&public, &stamp, &signature, b"{}", now),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify_telnyx(&public, &(now + 1).to_string(), &signature, body, now),
            Err(SignatureError::Mismatch)
        );
        let (_, other) = telnyx_key();
        assert_eq!(
            verify_telnyx(&other, &stamp, &signature, body, now),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify_telnyx(&public, &stamp, &signature, body, now + 301),
            Err(SignatureError::Stale(301))
        );
        assert_eq!(
            verify_telnyx("AAAA", &stamp, &signature, body, now),
            Err(SignatureError::BadKey)
        );
        assert_eq!(
            verify_telnyx(&public, "yesterday", &signature, body, now),
            Err(SignatureError::BadTimestamp("yesterday".into()))
        );
    }
}
