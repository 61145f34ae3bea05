//! The emulated accounts. Ids and credentials have the providers' own shapes.

use std::collections::BTreeMap;

use rand::Rng;
use serde::Serialize;

pub fn hex(len: usize) -> String {
    let mut rng = rand::rng();
    (0..len)
        .map(|_| char::from_digit(rng.random_range(0..16), 16).unwrap_or('0'))
        .collect()
}

pub fn twilio_sid(prefix: &str) -> String {
    format!("{prefix}{}", hex(32))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum AccountType {
    Trial,
    Full,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AccountStatus {
    Active,
    Suspended,
}

#[derive(Debug, Clone)]
pub struct Number {
    pub sid: String,
    pub phone_number: String,
    pub friendly_name: String,
    pub sms_url: String,
    pub sms_method: String,
    pub date_created: chrono::DateTime<chrono::Utc>,
}

impl Number {
    pub fn new(prefix: &str, phone_number: &str) -> Self {
        Self {
            sid: twilio_sid(prefix),
            phone_number: phone_number.to_owned(),
            friendly_name: phone_number.to_owned(),
            sms_url: String::new(),
            sms_method: "POST".into(),
            date_created: chrono::Utc::now(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct TwilioAccount {
    pub sid: String,
    pub auth_token: String,
    pub friendly_name: String,
    pub account_type: AccountType,
    pub status: AccountStatus,
    pub numbers: Vec<Number>,
}

#[derive(Debug, Clone)]
pub struct TelnyxAccount {
    pub api_key: String,
    pub status: AccountStatus,
    pub numbers: Vec<Number>,
}

#[derive(Debug, Clone)]
pub struct ElksAccount {
    pub username: String,
    pub password: String,
    pub status: AccountStatus,
    pub numbers: Vec<Number>,
}

#[derive(Debug, Clone, Default)]
pub struct World {
    pub twilio: BTreeMap<String, TwilioAccount>,
    pub telnyx: BTreeMap<String, TelnyxAccount>,
    pub elks: BTreeMap<String, ElksAccount>,
}

/// `count` numbers in a fictional-but-valid range: +1 555 01xx style numbers are not valid, so
/// Swedish mobile numbers of the +46 70 17x xx xx range are used.
pub fn numbers(prefix: &str, start: usize, count: usize) -> Vec<Number> {
    (0..count)
        .map(|i| Number::new(prefix, &format!("+4670{:07}", 1_700_000 + start + i)))
        .collect()
}
