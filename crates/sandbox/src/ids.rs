//! Identifier and phone-number generators shaped like the real providers' ones.

use rand::Rng;

const HEX: &[u8; 16] = b"0123456789abcdef";
const ALNUM: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

fn random_from(rng: &mut impl Rng, alphabet: &[u8], len: usize) -> String {
    (0..len)
        .map(|_| char::from(alphabet[rng.random_range(0..alphabet.len())]))
        .collect()
}

/// Lower-case hex string of `len` characters.
pub fn hex(rng: &mut impl Rng, len: usize) -> String {
    random_from(rng, HEX, len)
}

/// A Twilio SID: two-letter type prefix (AC, PN, SM, MG, XE, HX, SK…) + 32 hex digits.
pub fn twilio_sid(rng: &mut impl Rng, prefix: &str) -> String {
    format!("{prefix}{}", hex(rng, 32))
}

/// A random secret such as a Twilio auth token (32 hex digits).
pub fn secret(rng: &mut impl Rng) -> String {
    hex(rng, 32)
}

/// A Telnyx API key: `KEY` + 32 upper-case hex digits + `_` + 22 alphanumerics.
pub fn telnyx_api_key(rng: &mut impl Rng) -> String {
    format!(
        "KEY{}_{}",
        hex(rng, 32).to_uppercase(),
        random_from(rng, ALNUM, 22)
    )
}

/// A UUID v4 string (Telnyx message and messaging profile ids).
pub fn uuid_v4(rng: &mut impl Rng) -> String {
    let raw = hex(rng, 32);
    let variant = ["8", "9", "a", "b"][rng.random_range(0..4)];
    format!(
        "{}-{}-4{}-{}{}-{}",
        &raw[0..8],
        &raw[8..12],
        &raw[13..16],
        variant,
        &raw[17..20],
        &raw[20..32]
    )
}

/// A Telnyx phone number id: a large decimal number as a string.
pub fn telnyx_number_id(rng: &mut impl Rng) -> String {
    rng.random_range(1_000_000_000_000_000_000u64..9_000_000_000_000_000_000)
        .to_string()
}

/// A 46elks id: one-letter type prefix (`u` user, `n` number, `s` SMS) + 32 hex digits.
pub fn elks_id(rng: &mut impl Rng, prefix: char) -> String {
    format!("{prefix}{}", hex(rng, 32))
}

/// The `index`-th generated North American number. Uses the 555 exchange so generated numbers
/// never collide with the hand-picked seeded ones (+1415555010x) for the first 1.99M indexes.
pub fn us_number(index: u64) -> String {
    let area = 201 + (index / 10_000) % 199;
    format!("+1{area}555{:04}", index % 10_000)
}

/// The `index`-th generated Swedish mobile number (+46 70 …).
pub fn swedish_number(index: u64) -> String {
    format!("+4670{:07}", 1_000_000 + index % 9_000_000)
}

/// True for `+` followed by 8 to 15 digits, the first not zero.
pub fn is_e164(value: &str) -> bool {
    let Some(digits) = value.strip_prefix('+') else {
        return false;
    };
    (8..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_match_the_providers() {
        let mut rng = rand::rng();
        let sid = twilio_sid(&mut rng, "SM");
        assert_eq!(sid.len(), 34);
        assert!(sid.starts_with("SM"));
        let uuid = uuid_v4(&mut rng);
        assert_eq!(uuid.len(), 36);
        assert_eq!(&uuid[14..15], "4");
        assert!(telnyx_api_key(&mut rng).starts_with("KEY"));
        assert!(is_e164(&us_number(123_456)));
        assert!(is_e164(&swedish_number(5)));
        assert!(!is_e164("12345678"));
        assert!(!is_e164("+1abc"));
        assert_ne!(us_number(1), us_number(10_001));
    }
}
