//! Verifying inbound webhooks: Twilio's `X-Twilio-Signature` (HMAC-SHA1 over the URL and the
//! sorted form parameters, or over the URL alone plus a `bodySHA256` for JSON bodies) and
//! Telnyx's Ed25519 signature over `"{timestamp}|{body}"`. Facts from
//! `shared/reference/twilio-signature.md` and `shared/reference/telnyx.md`.

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::{Signature, VerifyingKey};
use hmac::{Hmac, Mac as _};
use sha1::Sha1;
use sha2::{Digest as _, Sha256};
use url::Url;

pub const TWILIO_SIGNATURE_HEADER: &str = "X-Twilio-Signature";
pub const TELNYX_SIGNATURE_HEADER: &str = "telnyx-signature-ed25519";
pub const TELNYX_TIMESTAMP_HEADER: &str = "telnyx-timestamp";
/// The window Telnyx's SDKs allow between a webhook's timestamp and now, either way.
pub const TELNYX_TOLERANCE: Duration = Duration::from_secs(300);

/// Why a webhook is not authentic. No variant carries the token, the key or the URL (which may
/// hold a secret path segment).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the webhook has no signature header; refuse it, it did not come from the provider")]
    Missing,
    #[error(
        "the webhook's signature does not match; refuse it. If genuine webhooks fail too, check \
         the saved auth token or public key, and that the URL checked is exactly the one set at \
         the provider"
    )]
    Mismatch,
    #[error("the webhook's body does not match the bodySHA256 in its URL; refuse it")]
    BodyMismatch,
    #[error(
        "the webhook has a JSON body but its URL carries no bodySHA256; refuse it, or check it \
         as a form webhook if it is one"
    )]
    NoBodyHash,
    #[error("the webhook URL to check is not a valid absolute URL: {0}")]
    BadUrl(#[source] url::ParseError),
    #[error(
        "the Telnyx public key is not base64 of a 32-byte Ed25519 key; copy it again from \
         Mission Control (Keys & Credentials, Public Key)"
    )]
    BadKey,
    #[error("the webhook's signature header is not base64 of a 64-byte Ed25519 signature")]
    BadSignature,
    #[error("the webhook's timestamp header is not a Unix time in seconds")]
    BadTimestamp,
    #[error(
        "the webhook was signed {skew_seconds} s away from now, outside the {tolerance_seconds} s \
         allowed; refuse it (it may be a replay), or correct this computer's clock if it is wrong"
    )]
    Stale {
        skew_seconds: i64,
        tolerance_seconds: u64,
    },
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

/// The string Twilio signs: the URL, then each name and value sorted by name and then value
/// (byte order), identical pairs once.
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

/// The URL as given, plus its twin: without its port when it has one, with the scheme's default
/// port when it has none. Twilio's own signing is inconsistent about ports, so its libraries
/// (twilio-python `remove_port`/`add_port`, twilio-node `validateRequest`) accept both. The text
/// is edited, not re-serialized, so nothing else in the URL changes.
fn url_variants(url: &str) -> Result<Vec<String>, SignatureError> {
    let parsed = Url::parse(url).map_err(SignatureError::BadUrl)?;
    let mut variants = vec![url.to_owned()];
    let default_port = match parsed.scheme() {
        "https" => 443,
        "http" => 80,
        _ => return Ok(variants),
    };
    let Some((scheme, rest)) = url.split_once("://") else {
        return Ok(variants);
    };
    let (authority, tail) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
    // Skip any `user:password@`, then an IPv6 host's brackets, before looking for the port.
    let host_start = authority.rfind('@').map_or(0, |i| i + 1);
    let host_end = authority[host_start..]
        .rfind(']')
        .map_or(host_start, |i| host_start + i + 1);
    match authority[host_end..].find(':') {
        Some(colon) => {
            let without_port = &authority[..host_end + colon];
            variants.push(format!("{scheme}://{without_port}{tail}"));
        }
        None => variants.push(format!("{scheme}://{authority}:{default_port}{tail}")),
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

/// The `X-Twilio-Signature` Twilio would send with a form-encoded webhook to `url` carrying
/// `params`: what a diagnosis posts to the user's own inbound URL to test it end to end.
pub fn sign_twilio(auth_token: &str, url: &str, params: &[(String, String)]) -> String {
    BASE64.encode(hmac_sha1(auth_token, &signed_payload(url, params)))
}

/// Verifies the `X-Twilio-Signature` of a form-encoded webhook to `url` (exactly as requested,
/// query included) carrying `params` (URL-decoded). For a GET webhook pass no params: only the
/// URL with its query is signed.
pub fn verify_twilio(
    auth_token: &str,
    url: &str,
    params: &[(String, String)],
    signature: &str,
) -> Result<(), SignatureError> {
    let expected = decode_signature(signature)?;
    let mut matched = false;
    // Every variant is checked, so the time taken does not say which one matched.
    for candidate in url_variants(url)? {
        let mac = hmac_sha1(auth_token, &signed_payload(&candidate, params));
        matched |= constant_time_eq(&mac, &expected);
    }
    if matched {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// The hex SHA-256 of a webhook body, as Twilio puts it in a JSON webhook's `bodySHA256`.
pub fn body_sha256_hex(body: &[u8]) -> String {
    Sha256::digest(body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Verifies a webhook with a JSON body: the signature covers the URL alone, whose `bodySHA256`
/// query parameter must be the hex SHA-256 of the raw body.
pub fn verify_twilio_json(
    auth_token: &str,
    url: &str,
    body: &[u8],
    signature: &str,
) -> Result<(), SignatureError> {
    let parsed = Url::parse(url).map_err(SignatureError::BadUrl)?;
    let claimed = parsed
        .query_pairs()
        .find(|(name, _)| name == "bodySHA256")
        .map(|(_, value)| value.to_ascii_lowercase())
        .ok_or(SignatureError::NoBodyHash)?;
    verify_twilio(auth_token, url, &[], signature)?;
    let actual = body_sha256_hex(body);
    if constant_time_eq(actual.as_bytes(), claimed.as_bytes()) {
        Ok(())
    } else {
        Err(SignatureError::BodyMismatch)
    }
}

fn telnyx_key(public_key: &str) -> Result<VerifyingKey, SignatureError> {
    let key_bytes: [u8; 32] = BASE64
        .decode(public_key.trim())
        .ok()
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or(SignatureError::BadKey)?;
    VerifyingKey::from_bytes(&key_bytes).map_err(|_| SignatureError::BadKey)
}

/// Whether `public_key` is a Telnyx webhook public key (base64 of a 32-byte Ed25519 key).
pub fn telnyx_public_key_check(public_key: &str) -> Result<(), SignatureError> {
    telnyx_key(public_key).map(|_| ())
}

/// Signs `body` sent at `timestamp` (Unix seconds) the way Telnyx does, with the Ed25519 key
/// whose 32-byte seed is `seed`: returns (public key, `telnyx-signature-ed25519`), both base64.
/// For tests and signed test requests; Switchboard never holds a real Telnyx private key.
pub fn sign_telnyx(seed: &[u8; 32], timestamp: i64, body: &[u8]) -> (String, String) {
    use ed25519_dalek::{Signer as _, SigningKey};
    let key = SigningKey::from_bytes(seed);
    let mut message = format!("{timestamp}|").into_bytes();
    message.extend_from_slice(body);
    (
        BASE64.encode(key.verifying_key().to_bytes()),
        BASE64.encode(key.sign(&message).to_bytes()),
    )
}

/// Verifies a Telnyx webhook: Ed25519 over `"{timestamp}|{body}"` with the account's public key
/// (base64 of the 32 raw bytes), `timestamp` (the `telnyx-timestamp` header, Unix seconds) no
/// further than `tolerance` from `now` (Unix seconds) either way; [`TELNYX_TOLERANCE`] is what
/// Telnyx's SDKs use.
pub fn verify_telnyx(
    public_key: &str,
    timestamp: &str,
    signature: &str,
    body: &[u8],
    now: i64,
    tolerance: Duration,
) -> Result<(), SignatureError> {
    let key = telnyx_key(public_key)?;
    if signature.trim().is_empty() {
        return Err(SignatureError::Missing);
    }
    let signature_bytes: [u8; 64] = BASE64
        .decode(signature.trim())
        .ok()
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or(SignatureError::BadSignature)?;
    let timestamp = timestamp.trim();
    let seconds: i64 = timestamp
        .parse()
        .map_err(|_| SignatureError::BadTimestamp)?;
    let skew_seconds = now.saturating_sub(seconds);
    if skew_seconds.unsigned_abs() > tolerance.as_secs() {
        return Err(SignatureError::Stale {
            skew_seconds,
            tolerance_seconds: tolerance.as_secs(),
        });
    }
    let mut message = format!("{timestamp}|").into_bytes();
    message.extend_from_slice(body);
    key.verify_strict(&message, &Signature::from_bytes(&signature_bytes))
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

    /// The vector both twilio-python and twilio-node test against.
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
        sign_twilio(token, url, params)
    }

    fn sha256_hex(body: &[u8]) -> String {
        Sha256::digest(body)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    #[test]
    fn the_official_vector_verifies_in_any_parameter_order() {
        assert_eq!(verify_twilio("12345", URL, &official(), SIGNATURE), Ok(()));
        let mut reversed = official();
        reversed.reverse();
        assert_eq!(verify_twilio("12345", URL, &reversed, SIGNATURE), Ok(()));
        let mut rotated = official();
        rotated.rotate_left(2);
        assert_eq!(verify_twilio("12345", URL, &rotated, SIGNATURE), Ok(()));
    }

    #[test]
    fn repeated_names_sign_their_values_sorted_and_once() {
        let url = "https://hooks.hotel.example/in";
        let signed = sign("tok", url, &pairs(&[("MediaUrl", "a"), ("MediaUrl", "b")]));
        let given = pairs(&[("MediaUrl", "b"), ("MediaUrl", "a"), ("MediaUrl", "b")]);
        assert_eq!(verify_twilio("tok", url, &given, &signed), Ok(()));
    }

    #[test]
    fn tampered_params_url_or_token_are_refused() {
        let mut changed = official();
        changed[2].1 = "9999".into();
        assert_eq!(
            verify_twilio("12345", URL, &changed, SIGNATURE),
            Err(SignatureError::Mismatch)
        );
        let mut extra = official();
        extra.push(("Body".into(), "hi".into()));
        assert_eq!(
            verify_twilio("12345", URL, &extra, SIGNATURE),
            Err(SignatureError::Mismatch)
        );
        let mut missing = official();
        missing.pop();
        assert_eq!(
            verify_twilio("12345", URL, &missing, SIGNATURE),
            Err(SignatureError::Mismatch)
        );
        for url in [
            "https://mycompany.com/myapp.php?foo=1&bar=3",
            "https://mycompany.com/myapp.php",
            "http://mycompany.com/myapp.php?foo=1&bar=2",
            "https://evil.example/myapp.php?foo=1&bar=2",
        ] {
            assert_eq!(
                verify_twilio("12345", url, &official(), SIGNATURE),
                Err(SignatureError::Mismatch),
                "{url}"
            );
        }
        assert_eq!(
            verify_twilio("54321", URL, &official(), SIGNATURE),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify_twilio("12345", URL, &official(), "RSOYDt4T1cUTdK1PDd93/VVr8B9="),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify_twilio("12345", URL, &official(), "not base64!"),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify_twilio("12345", URL, &official(), " "),
            Err(SignatureError::Missing)
        );
        assert!(matches!(
            verify_twilio("12345", "/myapp.php", &official(), SIGNATURE),
            Err(SignatureError::BadUrl(_))
        ));
    }

    #[test]
    fn https_port_443_may_be_added_or_removed() {
        let params = official();
        let with_port = "https://mycompany.com:443/myapp.php?foo=1&bar=2";
        // The official vector was signed without a port; the request is seen with one.
        assert_eq!(
            verify_twilio("12345", with_port, &params, SIGNATURE),
            Ok(())
        );
        // Signed with the port, seen without it.
        let signed = sign("12345", with_port, &params);
        assert_eq!(verify_twilio("12345", URL, &params, &signed), Ok(()));
        assert_eq!(verify_twilio("12345", with_port, &params, &signed), Ok(()));
        // 80 is not https's default port.
        let signed = sign(
            "12345",
            "https://mycompany.com:80/myapp.php?foo=1&bar=2",
            &params,
        );
        assert_eq!(
            verify_twilio("12345", URL, &params, &signed),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn http_port_80_may_be_added_or_removed() {
        let params = official();
        let (plain, with_port) = (
            "http://hotel.example/in?x=1",
            "http://hotel.example:80/in?x=1",
        );
        let signed = sign("tok", with_port, &params);
        assert_eq!(verify_twilio("tok", plain, &params, &signed), Ok(()));
        let signed = sign("tok", plain, &params);
        assert_eq!(verify_twilio("tok", with_port, &params, &signed), Ok(()));
        let signed = sign("tok", "http://hotel.example:443/in?x=1", &params);
        assert_eq!(
            verify_twilio("tok", plain, &params, &signed),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn other_ports_follow_the_twilio_libraries() {
        let params = official();
        // Requested on 8443, signed without a port: the libraries strip any port, so it passes.
        let signed = sign("12345", URL, &params);
        let on_8443 = "https://mycompany.com:8443/myapp.php?foo=1&bar=2";
        assert_eq!(verify_twilio("12345", on_8443, &params, &signed), Ok(()));
        // Signed on 8443, requested without a port: only the default port is ever added.
        let signed = sign("12345", on_8443, &params);
        assert_eq!(
            verify_twilio("12345", URL, &params, &signed),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn url_variants_keep_credentials_ipv6_hosts_and_the_rest_of_the_url() {
        assert_eq!(
            url_variants("https://user:pw@hotel.example/in?a=b").unwrap(),
            [
                "https://user:pw@hotel.example/in?a=b",
                "https://user:pw@hotel.example:443/in?a=b"
            ]
        );
        assert_eq!(
            url_variants("https://user:pw@hotel.example:443/in").unwrap(),
            [
                "https://user:pw@hotel.example:443/in",
                "https://user:pw@hotel.example/in"
            ]
        );
        assert_eq!(
            url_variants("http://[::1]:8080/in").unwrap(),
            ["http://[::1]:8080/in", "http://[::1]/in"]
        );
        assert_eq!(
            url_variants("http://[::1]?q=:9").unwrap(),
            ["http://[::1]?q=:9", "http://[::1]:80?q=:9"]
        );
    }

    #[test]
    fn a_json_body_is_checked_through_body_sha256() {
        let body = br#"{"MessageSid":"SM1","Body":"Hello"}"#;
        let url = format!(
            "https://hooks.hotel.example/inbound?bodySHA256={}",
            sha256_hex(body)
        );
        let signature = sign("tok", &url, &[]);
        assert_eq!(verify_twilio_json("tok", &url, body, &signature), Ok(()));
        // With the default port added on either side, as for form webhooks.
        let with_port = url.replacen("example/", "example:443/", 1);
        assert_eq!(
            verify_twilio_json("tok", &with_port, body, &signature),
            Ok(())
        );

        let tampered = br#"{"MessageSid":"SM1","Body":"Bye"}"#;
        assert_eq!(
            verify_twilio_json("tok", &url, tampered, &signature),
            Err(SignatureError::BodyMismatch)
        );
        // A forger who rewrites the hash too changes the signed URL.
        let forged_url = format!(
            "https://hooks.hotel.example/inbound?bodySHA256={}",
            sha256_hex(tampered)
        );
        assert_eq!(
            verify_twilio_json("tok", &forged_url, tampered, &signature),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify_twilio_json("other", &url, body, &signature),
            Err(SignatureError::Mismatch)
        );
        let no_hash = "https://hooks.hotel.example/inbound";
        assert_eq!(
            verify_twilio_json("tok", no_hash, body, &sign("tok", no_hash, &[])),
            Err(SignatureError::NoBodyHash)
        );
    }

    #[test]
    fn messages_never_name_the_url_or_the_token() {
        let error = verify_twilio("s3cr3t-token", "no scheme/s3cr3t-path", &[], SIGNATURE)
            .unwrap_err()
            .to_string();
        assert!(!error.contains("s3cr3t"), "{error}");
        assert!(
            SignatureError::Mismatch
                .to_string()
                .contains("check the saved auth token")
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

    const NOW: i64 = 1_790_000_000;
    const BODY: &[u8] = br#"{"data":{"event_type":"message.received"}}"#;

    #[test]
    fn telnyx_signatures_verify_within_the_window() {
        let (key, public) = telnyx_key();
        let signature = telnyx_sign(&key, NOW, BODY);
        let stamp = NOW.to_string();
        for now in [NOW, NOW + 300, NOW - 300] {
            assert_eq!(
                verify_telnyx(&public, &stamp, &signature, BODY, now, TELNYX_TOLERANCE),
                Ok(()),
                "{now}"
            );
        }
    }

    #[test]
    fn telnyx_tampering_is_refused() {
        let (key, public) = telnyx_key();
        let signature = telnyx_sign(&key, NOW, BODY);
        let stamp = NOW.to_string();
        let check = |public: &str, stamp: &str, signature: &str, body: &[u8]| {
            verify_telnyx(public, stamp, signature, body, NOW, TELNYX_TOLERANCE)
        };
        let mut tampered = BODY.to_vec();
        tampered.push(b' ');
        assert_eq!(
            check(&public, &stamp, &signature, &tampered),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            check(&public, &(NOW + 1).to_string(), &signature, BODY),
            Err(SignatureError::Mismatch)
        );
        let (_, other) = telnyx_key();
        assert_eq!(
            check(&other, &stamp, &signature, BODY),
            Err(SignatureError::Mismatch)
        );
        let mut flipped = BASE64.decode(&signature).unwrap();
        flipped[0] ^= 1;
        assert_eq!(
            check(&public, &stamp, &BASE64.encode(&flipped), BODY),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            check(&public, &stamp, "", BODY),
            Err(SignatureError::Missing)
        );
        assert_eq!(
            check(&public, &stamp, "c2hvcnQ=", BODY),
            Err(SignatureError::BadSignature)
        );
        assert_eq!(
            check("AAAA", &stamp, &signature, BODY),
            Err(SignatureError::BadKey)
        );
        assert_eq!(
            check(&public, "yesterday", &signature, BODY),
            Err(SignatureError::BadTimestamp)
        );
    }

    #[test]
    fn telnyx_old_and_future_timestamps_are_refused() {
        let (key, public) = telnyx_key();
        let signature = telnyx_sign(&key, NOW, BODY);
        let stamp = NOW.to_string();
        assert_eq!(
            verify_telnyx(
                &public,
                &stamp,
                &signature,
                BODY,
                NOW + 301,
                TELNYX_TOLERANCE
            ),
            Err(SignatureError::Stale {
                skew_seconds: 301,
                tolerance_seconds: 300
            })
        );
        assert_eq!(
            verify_telnyx(
                &public,
                &stamp,
                &signature,
                BODY,
                NOW - 301,
                TELNYX_TOLERANCE
            ),
            Err(SignatureError::Stale {
                skew_seconds: -301,
                tolerance_seconds: 300
            })
        );
        let narrow = Duration::from_secs(5);
        assert!(verify_telnyx(&public, &stamp, &signature, BODY, NOW + 6, narrow).is_err());
        assert!(
            SignatureError::Stale {
                skew_seconds: 301,
                tolerance_seconds: 300
            }
            .to_string()
            .contains("301 s")
        );
    }
}
