//! Sending, reading and finding messages at each provider, and what their statuses mean.

use chrono::{DateTime, NaiveDateTime, Utc};
use switchboard_providers::elks::OutgoingSms;
use switchboard_providers::elks::history::{HISTORY_PAGE_SIZE, SmsHistoryFilter};
use switchboard_providers::failure::table;
use switchboard_providers::telnyx::OutgoingMessage as TelnyxMessage;
use switchboard_providers::twilio::{
    Message as TwilioMessage, MessageChannel, MessageContent, MessageFilter, MessageFrom,
    MessageStatus, OutgoingMessage,
};
use switchboard_providers::{AnyProviderClient, CallContext, FailureKind, Provider, ProviderError};

use super::checks::{Channel, Plan};
use super::{MessageKind, Outcome};

/// A message as the provider reports it, in Switchboard's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Observed {
    pub id: Option<String>,
    pub status: String,
    pub outcome: Outcome,
    pub r#final: bool,
    pub error_code: Option<String>,
    pub error_kind: Option<FailureKind>,
    pub error_message: Option<String>,
    pub price: Option<String>,
    pub price_unit: Option<String>,
    /// When the provider created it (for reconciling).
    pub created: Option<DateTime<Utc>>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub body: Option<String>,
}

/// What the provider's status word means: (outcome, final).
pub(super) fn meaning(provider: Provider, status: &str) -> (Outcome, bool) {
    match provider {
        Provider::Twilio => {
            let status = MessageStatus::from(status);
            let outcome = match status {
                MessageStatus::Failed | MessageStatus::Undelivered | MessageStatus::Canceled => {
                    Outcome::Failed
                }
                MessageStatus::Delivered | MessageStatus::Read => Outcome::Delivered,
                _ => Outcome::Sent,
            };
            let is_final = status.is_final() || status == MessageStatus::PartiallyDelivered;
            (outcome, is_final)
        }
        Provider::Telnyx => match status {
            "delivered" => (Outcome::Delivered, true),
            "delivery_failed" | "sending_failed" | "expired" => (Outcome::Failed, true),
            // Sent, but the carrier never confirmed: final, and not a failure.
            "delivery_unconfirmed" => (Outcome::Sent, true),
            _ => (Outcome::Sent, false),
        },
        Provider::Elks => match status {
            "delivered" => (Outcome::Delivered, true),
            "failed" => (Outcome::Failed, true),
            _ => (Outcome::Sent, false),
        },
        // Email is only a fallback; an SMTP server reports no message statuses.
        Provider::Smtp => (Outcome::Sent, true),
    }
}

fn observed(provider: Provider, id: Option<String>, status: &str) -> Observed {
    let (outcome, r#final) = meaning(provider, status);
    Observed {
        id,
        status: status.to_owned(),
        outcome,
        r#final,
        error_code: None,
        error_kind: None,
        error_message: None,
        price: None,
        price_unit: None,
        created: None,
        from: None,
        to: None,
        body: None,
    }
}

fn with_error(mut seen: Observed, provider: Provider, code: Option<String>) -> Observed {
    if let Some(code) = code {
        seen.error_kind =
            Some(table::kind_for_code(provider, &code).unwrap_or(FailureKind::SendMessageFailed));
        seen.error_code = Some(code);
    } else if seen.outcome == Outcome::Failed {
        seen.error_kind = Some(FailureKind::SendMessageFailed);
    }
    seen
}

fn twilio_observed(message: TwilioMessage) -> Observed {
    let status = message
        .status
        .as_ref()
        .map_or("queued", MessageStatus::as_str)
        .to_owned();
    let mut seen = observed(Provider::Twilio, message.sid.clone(), &status);
    seen = with_error(
        seen,
        Provider::Twilio,
        message.error_code.map(|c| c.to_string()),
    );
    seen.error_message = message.error_message;
    seen.price = message.price;
    seen.price_unit = message.price_unit;
    seen.created = message
        .date_created
        .as_deref()
        .and_then(|d| DateTime::parse_from_rfc2822(d).ok())
        .map(|d| d.with_timezone(&Utc));
    seen.from = message.from.map(|f| strip(&f));
    seen.to = message.to.map(|t| strip(&t));
    seen.body = message.body;
    seen
}

fn telnyx_observed(message: switchboard_providers::telnyx::Message) -> Observed {
    let status = message.status().unwrap_or("queued").to_owned();
    let code = message.errors.first().and_then(|error| {
        error
            .get("code")
            .map(|c| c.as_str().map_or_else(|| c.to_string(), str::to_owned))
    });
    let detail = message.errors.first().and_then(|error| {
        error
            .get("detail")
            .or_else(|| error.get("title"))
            .and_then(|d| d.as_str())
            .map(str::to_owned)
    });
    let mut seen = with_error(
        observed(Provider::Telnyx, message.id.clone(), &status),
        Provider::Telnyx,
        code,
    );
    seen.error_message = detail;
    seen.from = message.from.and_then(|f| f.phone_number);
    seen.to = message.to.first().and_then(|t| t.phone_number.clone());
    seen.body = message.text;
    seen
}

fn elks_observed(sms: switchboard_providers::elks::Sms) -> Observed {
    let status = sms.status.clone().unwrap_or_else(|| "created".into());
    let mut seen = observed(Provider::Elks, sms.id.clone(), &status);
    if seen.outcome == Outcome::Failed {
        seen.error_kind = Some(FailureKind::SendMessageFailed);
    }
    // 46elks gives the cost in 1/10000 of the account's currency.
    seen.price = sms
        .cost
        .map(|cost| format!("{:.4}", cost as f64 / 10_000.0));
    seen.created = sms.created.as_deref().and_then(parse_elks_time);
    seen.from = sms.from;
    seen.to = sms.to;
    seen.body = sms.message;
    seen
}

/// 46elks writes `2018-02-14T09:52:07.302000` (UTC, no zone) and sometimes RFC 3339.
fn parse_elks_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|d| d.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|n| n.and_utc())
        })
}

fn strip(address: &str) -> String {
    address
        .strip_prefix("whatsapp:")
        .unwrap_or(address)
        .to_owned()
}

fn twilio_channel(channel: Channel) -> MessageChannel {
    match channel {
        Channel::Sms => MessageChannel::Sms,
        Channel::WhatsApp => MessageChannel::WhatsApp,
    }
}

/// Sends the planned message.
pub(super) async fn submit(
    client: &AnyProviderClient,
    plan: &Plan,
) -> Result<Observed, ProviderError> {
    match client {
        AnyProviderClient::Twilio(client) => {
            let content = match plan.kind {
                MessageKind::Text => MessageContent::Text {
                    body: plan.body.clone().unwrap_or_default(),
                },
                MessageKind::Media => MessageContent::Media {
                    urls: plan.media.clone(),
                    caption: plan.body.clone(),
                },
                MessageKind::Template => MessageContent::Template {
                    content_sid: plan.template_sid.clone().unwrap_or_default(),
                    variables: plan.variables.clone(),
                },
            };
            let message = OutgoingMessage {
                channel: twilio_channel(plan.channel),
                from: if plan.from_is_service {
                    MessageFrom::MessagingService(plan.from.clone())
                } else {
                    MessageFrom::Address(plan.from.clone())
                },
                to: plan.to.clone(),
                content,
                status_callback: plan.status_callback.clone(),
                validity_period: plan.validity_period,
            };
            Ok(twilio_observed(client.send_message(&message).await?))
        }
        AnyProviderClient::Telnyx(client) => {
            let message = TelnyxMessage {
                from: plan.from.clone(),
                to: plan.to.clone(),
                text: plan.body.clone(),
                media_urls: plan.media.clone(),
                ..TelnyxMessage::default()
            };
            Ok(telnyx_observed(client.send_message(&message).await?))
        }
        AnyProviderClient::Elks(client) => {
            let sms = OutgoingSms {
                from: plan.from.clone(),
                to: plan.to.clone(),
                message: plan.body.clone().unwrap_or_default(),
                whendelivered: None,
            };
            Ok(elks_observed(client.send_sms(&sms).await?))
        }
    }
}

/// Whether the account has the WhatsApp template `sid` approved: `Ok(Err(why))` when it does not.
pub(super) async fn template_usable(
    client: &AnyProviderClient,
    sid: &str,
) -> Result<Result<(), String>, ProviderError> {
    let AnyProviderClient::Twilio(client) = client else {
        return Ok(Ok(()));
    };
    let templates = client.list_content_and_approvals().await?;
    let Some(template) = templates.iter().find(|t| t.sid.as_deref() == Some(sid)) else {
        return Ok(Err(format!(
            "This account has no template {sid}: choose one from its approved templates"
        )));
    };
    let approval = template.whatsapp_approval();
    if approval.as_ref().is_some_and(|a| a.is_approved()) {
        return Ok(Ok(()));
    }
    let name = template.friendly_name.as_deref().unwrap_or(sid);
    let status = approval
        .as_ref()
        .and_then(|a| a.status.clone())
        .unwrap_or_else(|| "not submitted for WhatsApp approval".into());
    let reason = approval
        .and_then(|a| a.rejection_reason)
        .map(|r| format!(" ({r})"))
        .unwrap_or_default();
    Ok(Err(format!(
        "The template '{name}' is {status}{reason}: WhatsApp sends only approved templates. \
         Choose an approved one, or have this one approved in the Twilio Console"
    )))
}

/// Reads the message's current status.
pub(super) async fn fetch(
    client: &AnyProviderClient,
    provider_message_id: &str,
) -> Result<Observed, ProviderError> {
    match client {
        AnyProviderClient::Twilio(client) => Ok(twilio_observed(
            client.fetch_message(provider_message_id).await?,
        )),
        AnyProviderClient::Telnyx(client) => Ok(telnyx_observed(
            client.fetch_message(provider_message_id).await?,
        )),
        AnyProviderClient::Elks(client) => {
            Ok(elks_observed(client.fetch_sms(provider_message_id).await?))
        }
    }
}

/// What is known of the message whose outcome is unknown.
pub(super) struct Sought<'a> {
    pub channel: Channel,
    pub from: &'a str,
    pub from_is_service: bool,
    pub to: &'a str,
    pub body: Option<&'a str>,
    /// When the attempt was made; the provider's copy was created no earlier than a few minutes
    /// before (clocks differ).
    pub since: DateTime<Utc>,
}

/// Why a provider cannot be asked for recent messages.
pub(super) const CANNOT_LIST_TELNYX: &str = "Telnyx cannot list recent messages by sender and \
     recipient (its message records leave out messages still queued), so Switchboard cannot tell \
     whether this message went out. Look for it in the Telnyx Mission Control portal under \
     Messaging before sending again.";

/// Pages of 46elks' history read at most when reconciling: 2,000 messages to one recipient
/// since the send. Beyond that the search stops and the attempt stays unknown.
pub(super) const ELKS_RECONCILE_MAX_PAGES: usize = 20;

/// What listing the provider's recent messages found.
#[derive(Debug)]
pub(super) enum Listing {
    /// This provider cannot list them (Telnyx).
    Unsupported,
    /// The messages from this sender to this recipient made since the attempt, oldest first.
    /// `complete` is false when the page cap stopped the search before it reached the time of
    /// the attempt: a message not among them may still exist.
    Listed {
        candidates: Vec<Observed>,
        complete: bool,
    },
}

/// 46elks' history to `sought.to` back to `window` (its `end` filter, and the pages' own times
/// in case a page reaches further), at most `max_pages` pages of 100.
async fn elks_recent(
    client: &switchboard_providers::elks::ElksClient,
    sought: &Sought<'_>,
    window: DateTime<Utc>,
    max_pages: usize,
) -> Result<(Vec<Observed>, bool), ProviderError> {
    let filter = SmsHistoryFilter {
        after: Some(window.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()),
        to: Some(sought.to.to_owned()),
    };
    let mut pages = client
        .sms_pages(&filter, HISTORY_PAGE_SIZE)
        .in_context(CallContext::StatusQuery);
    let mut found = Vec::new();
    for _ in 0..max_pages {
        let Some(page) = pages.next_page().await? else {
            return Ok((found, true));
        };
        let mut reached_window = page.is_empty();
        for sms in page {
            let outgoing = sms
                .direction
                .as_deref()
                .is_none_or(|d| d.starts_with("outgoing"));
            let seen = elks_observed(sms);
            // Newest first: once one is older than the window, so is every later page.
            reached_window |= seen.created.is_some_and(|created| created < window);
            if outgoing && seen.from.as_deref() == Some(sought.from) {
                found.push(seen);
            }
        }
        if reached_window || pages.finished() {
            return Ok((found, true));
        }
    }
    Ok((found, false))
}

/// How many of Twilio's messages from the sender to the recipient (newest first, since the day
/// before the attempt) a reconcile reads. More than that: "cannot tell", never "not sent".
const TWILIO_RECONCILE_MAX: usize = 1000;

/// Whether the provider's text is the one sent: the same, or the same behind the note a trial
/// account puts before it ("Sent from your Twilio trial account - …"). Containment would take
/// the message "Room 12" for a lost "Room 1": the lost one would count as sent, and "Room 12",
/// its own message taken, as not sent, to be sent again.
fn same_text(sent: &str, there: &str) -> bool {
    there == sent
        || there
            .strip_suffix(sent)
            .is_some_and(|prefix| prefix.ends_with(" - "))
}

/// The provider's messages from this sender to this recipient made since the attempt, oldest
/// first (46elks: paged back through at most `elks_max_pages` pages).
pub(super) async fn find_recent(
    client: &AnyProviderClient,
    sought: &Sought<'_>,
    elks_max_pages: usize,
) -> Result<Listing, ProviderError> {
    let window = sought.since - chrono::Duration::minutes(5);
    let candidate = |seen: &Observed| {
        seen.to.as_deref() == Some(sought.to)
            && seen.created.is_none_or(|created| created >= window)
            && match (sought.body, seen.body.as_deref()) {
                // A template's text is rendered: compare only a plain text.
                (Some(sent), Some(there)) => same_text(sent, there),
                _ => true,
            }
    };
    let (found, complete): (Vec<Observed>, bool) = match client {
        AnyProviderClient::Twilio(client) => {
            let channel = twilio_channel(sought.channel);
            let mut filter = MessageFilter {
                to: Some(channel.address(sought.to)),
                from: (!sought.from_is_service).then(|| channel.address(sought.from)),
                // Day-granular and inclusive: the day before, so a message sent just after
                // midnight (or on a clock that differs) is still listed.
                date_sent_after: Some(
                    (window - chrono::Duration::days(1))
                        .format("%Y-%m-%d")
                        .to_string(),
                ),
                ..MessageFilter::default()
            };
            let twilio_listing = |listed: Vec<_>| {
                // Newest first: a full list may have left out the message sought, which is older.
                let complete = listed.len() < TWILIO_RECONCILE_MAX;
                (
                    listed.into_iter().map(twilio_observed).collect::<Vec<_>>(),
                    complete,
                )
            };
            let mut listing =
                twilio_listing(client.list_messages(&filter, TWILIO_RECONCILE_MAX).await?);
            if !listing.0.iter().any(candidate) {
                // A message not sent yet has no date_sent, so a DateSent filter leaves it out,
                // also when others to the same recipient were sent since: ask again without it.
                filter.date_sent_after = None;
                listing =
                    twilio_listing(client.list_messages(&filter, TWILIO_RECONCILE_MAX).await?);
            }
            listing
        }
        AnyProviderClient::Elks(client) => {
            elks_recent(client, sought, window, elks_max_pages).await?
        }
        AnyProviderClient::Telnyx(_) => return Ok(Listing::Unsupported),
    };
    let mut matching: Vec<Observed> = found.into_iter().filter(|seen| candidate(seen)).collect();
    matching.sort_by_key(|seen| seen.created);
    Ok(Listing::Listed {
        candidates: matching,
        complete,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sent_is_never_final_for_twilio_and_delivery_unconfirmed_is_not_a_failure() {
        assert_eq!(meaning(Provider::Twilio, "sent"), (Outcome::Sent, false));
        assert_eq!(meaning(Provider::Twilio, "queued"), (Outcome::Sent, false));
        assert_eq!(
            meaning(Provider::Twilio, "accepted"),
            (Outcome::Sent, false)
        );
        assert_eq!(
            meaning(Provider::Twilio, "delivered"),
            (Outcome::Delivered, true)
        );
        assert_eq!(
            meaning(Provider::Twilio, "read"),
            (Outcome::Delivered, true)
        );
        assert_eq!(
            meaning(Provider::Twilio, "undelivered"),
            (Outcome::Failed, true)
        );
        assert_eq!(
            meaning(Provider::Twilio, "canceled"),
            (Outcome::Failed, true)
        );
        assert_eq!(meaning(Provider::Telnyx, "sent"), (Outcome::Sent, false));
        assert_eq!(
            meaning(Provider::Telnyx, "delivery_unconfirmed"),
            (Outcome::Sent, true)
        );
        assert_eq!(
            meaning(Provider::Telnyx, "sending_failed"),
            (Outcome::Failed, true)
        );
        assert_eq!(meaning(Provider::Elks, "sent"), (Outcome::Sent, false));
        assert_eq!(meaning(Provider::Elks, "created"), (Outcome::Sent, false));
        assert_eq!(meaning(Provider::Elks, "failed"), (Outcome::Failed, true));
    }

    #[test]
    fn a_text_matches_itself_or_behind_a_trial_note_never_a_longer_one() {
        assert!(same_text("Storm 1", "Storm 1"));
        assert!(same_text(
            "Storm 1",
            "Sent from your Twilio trial account - Storm 1"
        ));
        assert!(!same_text("Storm 1", "Storm 12"));
        assert!(!same_text("Storm 1", "Storm 1 again"));
        assert!(!same_text("Storm 1", "Last Storm 1"));
    }

    #[test]
    fn elks_times_parse_with_and_without_a_zone() {
        let a = parse_elks_time("2018-02-14T09:52:07.302000").unwrap();
        let b = parse_elks_time("2018-02-14T09:52:07.302Z").unwrap();
        assert_eq!(a, b);
    }
}
