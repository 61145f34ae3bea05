//! Message detail records: `GET /v2/detail_records?filter[record_type]=messaging` (Telnyx's
//! `SearchDetailRecords`), the only way Telnyx lists past messages. Filters are deepObject
//! query keys; dates in `filter[created_at][gte|gt|lte|lt|eq]` may be a date (midnight UTC) or a
//! date-time; paging by `page[number]` / `page[size]` with `meta.total_pages`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{RawQuery, State};
use chrono::{Datelike, Duration as TimeDelta, NaiveDate};
use serde_json::{Value, json};

use super::{TelnyxAuth, TelnyxError, TelnyxResult, paginate, with_account};
use crate::clock::{self, Timestamp};
use crate::history::parse_instant;
use crate::params::Params;
use crate::state::Sandbox;
use crate::telnyx::TelnyxMessage;

/// The MDR status: the final word on a message, in its own vocabulary (not `to[].status`).
fn mdr_status(message: &TelnyxMessage) -> Option<&'static str> {
    Some(match message.status {
        "delivered" => "delivered",
        "delivery_failed" => "failed",
        "sending_failed" => "gw_reject",
        "delivery_unconfirmed" => "dlr_unconfirmed",
        "expired" => "dlr_timeout",
        "sent" | "sending" => "dlr_unconfirmed",
        "webhook_delivered" | "received" => "received",
        // Queued-but-unsent messages do not appear in MDR reports.
        _ => return None,
    })
}

fn render(message: &TelnyxMessage, status: &str) -> Value {
    let parts = message.text.chars().count().max(1).div_ceil(160);
    let updated = message
        .completed_at
        .or(message.sent_at)
        .unwrap_or(message.received_at);
    json!({
        "record_type": "message_detail_record",
        "uuid": message.id,
        "cli": message.from,
        "cld": message.to,
        "direction": message.direction,
        "status": status,
        "errors": message.errors.iter().filter_map(|e| e["code"].as_str()).collect::<Vec<_>>(),
        "message_type": if message.media_urls.is_empty() { "SMS" } else { "MMS" },
        "parts": parts,
        "created_at": clock::iso8601_millis(&message.received_at),
        "sent_at": message.sent_at.as_ref().map(clock::iso8601_millis),
        "completed_at": message.completed_at.as_ref().map(clock::iso8601_millis),
        "updated_at": clock::iso8601_millis(&updated),
        "cost": format!("{:.4}", 0.004 * parts as f64),
        "rate": "0.0040",
        "currency": "USD",
        "carrier": "Sandbox Mobile",
        "profile_id": message.messaging_profile_id,
        "tags": [],
    })
}

/// `filter[date_range]`: the named ranges Telnyx documents, as [start, end) in UTC.
fn date_range(name: &str, now: Timestamp) -> Option<(Timestamp, Timestamp)> {
    let today = now.date_naive();
    let midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    let day = TimeDelta::days(1);
    let week_start = today - TimeDelta::days(i64::from(today.weekday().num_days_from_monday()));
    let month_start = today.with_day(1)?;
    let next_month = (month_start + TimeDelta::days(32)).with_day(1)?;
    let last_month = (month_start - day).with_day(1)?;
    let range = |a: NaiveDate, b: NaiveDate| Some((midnight(a)?, midnight(b)?));
    match name {
        "yesterday" => range(today - day, today),
        "today" => range(today, today + day),
        "tomorrow" => range(today + day, today + day + day),
        "last_week" => range(week_start - TimeDelta::days(7), week_start),
        "this_week" => range(week_start, week_start + TimeDelta::days(7)),
        "next_week" => range(
            week_start + TimeDelta::days(7),
            week_start + TimeDelta::days(14),
        ),
        "last_month" => range(last_month, month_start),
        "this_month" => range(month_start, next_month),
        "next_month" => range(next_month, (next_month + TimeDelta::days(32)).with_day(1)?),
        other => {
            let days: i64 = other
                .strip_prefix("last_")?
                .strip_suffix("_days")?
                .parse()
                .ok()?;
            range(today - TimeDelta::days(days), today + day)
        }
    }
}

struct RecordFilter {
    bounds: Vec<(&'static str, Timestamp)>,
    range: Option<(Timestamp, Timestamp)>,
    direction: Option<String>,
    status: Option<String>,
    cli: Option<String>,
    cld: Option<String>,
}

impl RecordFilter {
    fn parse(params: &Params) -> TelnyxResult<Self> {
        match params.non_empty("filter[record_type]") {
            Some("messaging") => {}
            Some(other) => {
                return Err(TelnyxError::bad_request(format!(
                    "filter[record_type] '{other}' is not served here: use 'messaging'"
                )));
            }
            None => {
                return Err(TelnyxError::bad_request(
                    "filter[record_type] is required (e.g. filter[record_type]=messaging)",
                ));
            }
        }
        let mut bounds = Vec::new();
        for op in ["gte", "gt", "lte", "lt", "eq"] {
            let key = format!("filter[created_at][{op}]");
            if let Some(value) = params.non_empty(&key) {
                let at = parse_instant(value).ok_or_else(|| {
                    TelnyxError::bad_request(format!(
                        "{key} must be a date (YYYY-MM-DD) or an ISO 8601 date-time"
                    ))
                })?;
                bounds.push((op, at));
            }
        }
        let range = match params.non_empty("filter[date_range]") {
            Some(name) => Some(date_range(name, clock::now()).ok_or_else(|| {
                TelnyxError::bad_request(format!(
                    "filter[date_range] '{name}' is not a known range"
                ))
            })?),
            None => None,
        };
        let text = |key: &str| params.non_empty(key).map(str::to_string);
        Ok(Self {
            bounds,
            range,
            direction: text("filter[direction]"),
            status: text("filter[status]"),
            cli: text("filter[cli]"),
            cld: text("filter[cld]"),
        })
    }

    fn matches(&self, message: &TelnyxMessage, status: &str) -> bool {
        let at = message.received_at;
        self.bounds.iter().all(|(op, bound)| match *op {
            "gte" => at >= *bound,
            "gt" => at > *bound,
            "lte" => at <= *bound,
            "lt" => at < *bound,
            _ => at == *bound,
        }) && self
            .range
            .is_none_or(|(start, end)| at >= start && at < end)
            && self
                .direction
                .as_deref()
                .is_none_or(|d| d == message.direction)
            && self.status.as_deref().is_none_or(|s| s == status)
            && self.cli.as_deref().is_none_or(|c| c == message.from)
            && self.cld.as_deref().is_none_or(|c| c == message.to)
    }
}

/// `GET /v2/detail_records`: newest first unless `sort=created_at`.
pub(super) async fn search_detail_records(
    State(sandbox): State<Arc<Sandbox>>,
    auth: TelnyxAuth,
    RawQuery(query): RawQuery,
) -> TelnyxResult<Json<Value>> {
    let params = Params::from_query(query.as_deref());
    let filter = RecordFilter::parse(&params)?;
    let oldest_first = match params.non_empty("sort") {
        None | Some("-created_at") => false,
        Some("created_at") => true,
        Some(other) => {
            return Err(TelnyxError::bad_request(format!(
                "sort '{other}' is not supported: use created_at or -created_at"
            )));
        }
    };
    with_account(&sandbox, &auth, |account| {
        // Stored newest first.
        let mut matching: Vec<(&TelnyxMessage, &'static str)> = account
            .messages
            .iter()
            .filter_map(|m| mdr_status(m).map(|status| (m, status)))
            .filter(|(m, status)| filter.matches(m, status))
            .collect();
        if oldest_first {
            matching.reverse();
        }
        let (page, meta) = paginate(&matching, query.as_deref());
        let data: Vec<Value> = page.iter().map(|(m, status)| render(m, status)).collect();
        Ok(Json(json!({ "data": data, "meta": meta })))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn named_ranges() {
        let now = chrono::Utc.with_ymd_and_hms(2024, 3, 13, 15, 0, 0).unwrap();
        let (start, end) = date_range("last_month", now).unwrap();
        assert_eq!(clock::iso8601(&start), "2024-02-01T00:00:00Z");
        assert_eq!(clock::iso8601(&end), "2024-03-01T00:00:00Z");
        let (start, _) = date_range("last_7_days", now).unwrap();
        assert_eq!(clock::iso8601(&start), "2024-03-06T00:00:00Z");
        let (start, _) = date_range("this_week", now).unwrap();
        assert_eq!(clock::iso8601(&start), "2024-03-11T00:00:00Z");
        assert!(date_range("someday", now).is_none());
    }
}
