//! Date formats: each API family has its own, and clients parse them strictly.

use chrono::{DateTime, Datelike, Timelike, Utc};

pub type Timestamp = DateTime<Utc>;

pub fn now() -> Timestamp {
    Utc::now()
}

/// Twilio 2010 API: RFC 2822, e.g. `Thu, 30 Jul 2015 20:00:00 +0000`. Written field by field:
/// a list page writes two per number, and a format string is parsed again on every use.
pub fn rfc2822(t: &Timestamp) -> String {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} +0000",
        DAYS[t.weekday().num_days_from_monday() as usize],
        t.day(),
        MONTHS[t.month0() as usize],
        t.year(),
        t.hour(),
        t.minute(),
        t.second(),
    )
}

/// Twilio v1/v2 APIs: ISO 8601 without fractions, e.g. `2015-07-30T20:00:00Z`.
pub fn iso8601(t: &Timestamp) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Telnyx: ISO 8601 with milliseconds, e.g. `2019-01-23T18:10:02.574Z`.
pub fn iso8601_millis(t: &Timestamp) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// 46elks: UTC without zone designator and with microseconds, e.g. `2015-11-11T14:10:38.496470`.
pub fn elks(t: &Timestamp) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn formats() {
        let t = Utc
            .with_ymd_and_hms(2015, 7, 30, 20, 0, 0)
            .single()
            .unwrap();
        assert_eq!(rfc2822(&t), "Thu, 30 Jul 2015 20:00:00 +0000");
        assert_eq!(iso8601(&t), "2015-07-30T20:00:00Z");
        assert_eq!(iso8601_millis(&t), "2015-07-30T20:00:00.000Z");
        assert_eq!(elks(&t), "2015-07-30T20:00:00.000000");
    }

    #[test]
    fn rfc2822_writes_what_strftime_writes_on_every_day() {
        let mut t = Utc
            .with_ymd_and_hms(1999, 12, 25, 23, 59, 58)
            .single()
            .unwrap();
        // Every weekday and month, single- and double-digit days and hours, a leap day.
        for _ in 0..2000 {
            assert_eq!(
                rfc2822(&t),
                t.format("%a, %d %b %Y %H:%M:%S +0000").to_string()
            );
            t += chrono::Duration::seconds(86_400 * 3 + 3_671);
        }
    }
}
