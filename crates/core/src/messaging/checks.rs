//! Everything checked before a message is sent, each problem a field error naming the field of
//! [`SendRequest`] (`to`, `from`, `text`, `media`, `caption`, `template`, `variables`,
//! `validityPeriod`, `statusCallback`; `kind` when not exactly one of text/media/template is
//! given). The limits are the providers' (see the project's messaging notes): Twilio `Body` and
//! each template variable ≤ 1,600 characters, ≤ 10 media URLs, `ValidityPeriod` 1–36000 s;
//! Telnyx ≤ 10 parts (1,530 GSM-7 or 670 UCS-2 characters), ≤ 10 media URLs; 46elks text only.

use switchboard_providers::Provider;

use super::settings;
use super::{MessageKind, SendRequest};
use crate::error::FieldError;
use crate::model::{Connector, ConnectorKind};
use crate::numbers::{NumberKind, PhoneNumber};
use crate::validate;
use crate::whatsapp_sandbox as sandbox;

pub(super) const TWILIO_BODY_MAX: usize = 1_600;
const MAX_MEDIA: usize = 10;
const TELNYX_GSM_MAX: usize = 1_530;
const TELNYX_UCS2_MAX: usize = 670;
const VALIDITY_MAX: u32 = 36_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Channel {
    Sms,
    WhatsApp,
}

impl Channel {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::WhatsApp => "whatsapp",
        }
    }
}

/// A send that passed every check: addresses normalised, content of one kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Plan {
    pub provider: Provider,
    pub channel: Channel,
    /// E.164, an alphanumeric sender, or a Twilio Messaging Service SID.
    pub from: String,
    pub from_is_service: bool,
    /// E.164.
    pub to: String,
    pub kind: MessageKind,
    /// The text, or the caption of a media message.
    pub body: Option<String>,
    pub media: Vec<String>,
    pub template_sid: Option<String>,
    pub variables: std::collections::BTreeMap<String, String>,
    pub validity_period: Option<u32>,
    pub status_callback: Option<String>,
}

struct Problems(Vec<FieldError>);

impl Problems {
    fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// Checks `request` for `connector`, whose stored numbers and senders are `numbers`.
pub(super) fn plan(
    connector: &Connector,
    numbers: &[PhoneNumber],
    request: &SendRequest,
) -> Result<Plan, Vec<FieldError>> {
    let mut problems = Problems(Vec::new());
    let Some(provider) = connector.provider().messaging_provider() else {
        problems.add(
            "connector",
            format!(
                "'{}' is an email connector: send a test from a WhatsApp or SMS connector",
                connector.name
            ),
        );
        return Err(problems.0);
    };
    let channel = match connector.kind {
        ConnectorKind::Whatsapp => Channel::WhatsApp,
        _ => Channel::Sms,
    };
    if channel == Channel::WhatsApp && provider != Provider::Twilio {
        problems.add(
            "from",
            format!("{provider} does not send WhatsApp messages: use a Twilio connector"),
        );
    }
    let to = strip_whatsapp(&request.to);
    let to = match validate::e164(to) {
        Ok(to) => Some(to),
        Err(message) => {
            problems.add("to", message);
            None
        }
    };
    let from = sender(
        connector,
        numbers,
        provider,
        channel,
        request,
        &mut problems,
    );
    let kind = content(provider, request, &mut problems);
    let validity_period = match request.validity_period {
        None => None,
        Some(_) if provider != Provider::Twilio => {
            problems.add(
                "validityPeriod",
                format!("{provider} takes no validity period: leave it empty"),
            );
            None
        }
        Some(seconds) if !(1..=VALIDITY_MAX).contains(&seconds) => {
            problems.add(
                "validityPeriod",
                format!("The validity period is 1 to {VALIDITY_MAX} seconds (10 hours)"),
            );
            None
        }
        Some(seconds) => Some(seconds),
    };
    let status_callback = match non_empty(&request.status_callback) {
        None => None,
        Some(_) if provider != Provider::Twilio => {
            problems.add(
                "statusCallback",
                format!("{provider} takes no status callback URL per message: leave it empty"),
            );
            None
        }
        Some(url) => match callback_url(url) {
            Ok(url) => Some(url),
            Err(message) => {
                problems.add("statusCallback", message);
                None
            }
        },
    };
    match (to, from, kind) {
        (Some(to), Some((from, from_is_service)), Some(kind)) if problems.0.is_empty() => {
            let body = match kind {
                MessageKind::Text => non_empty(&request.text).map(str::to_owned),
                MessageKind::Media => non_empty(&request.caption).map(str::to_owned),
                MessageKind::Template => None,
            };
            Ok(Plan {
                provider,
                channel,
                from,
                from_is_service,
                to,
                kind,
                body,
                media: match kind {
                    MessageKind::Media => request.media.iter().map(|u| u.trim().into()).collect(),
                    _ => Vec::new(),
                },
                template_sid: match kind {
                    MessageKind::Template => non_empty(&request.template).map(str::to_owned),
                    _ => None,
                },
                variables: match kind {
                    MessageKind::Template => request.variables.clone(),
                    _ => Default::default(),
                },
                validity_period,
                status_callback,
            })
        }
        _ => Err(problems.0),
    }
}

/// The `whatsapp:` prefix is the app's business: one typed by the user is dropped.
fn strip_whatsapp(address: &str) -> &str {
    let trimmed = address.trim();
    trimmed.strip_prefix("whatsapp:").unwrap_or(trimmed).trim()
}

fn looks_like_number(value: &str) -> bool {
    value.starts_with('+')
        || value.starts_with("00")
        || value
            .chars()
            .all(|c| c.is_ascii_digit() || c == ' ' || c == '-')
}

/// The sender, checked against what the connector may send from; `(from, is_service)`.
fn sender(
    connector: &Connector,
    numbers: &[PhoneNumber],
    provider: Provider,
    channel: Channel,
    request: &SendRequest,
    problems: &mut Problems,
) -> Option<(String, bool)> {
    let wanted_kind = match channel {
        Channel::WhatsApp => NumberKind::WhatsappSender,
        Channel::Sms => NumberKind::Number,
    };
    let active: Vec<&PhoneNumber> = numbers
        .iter()
        .filter(|n| n.active && !n.gone && n.kind == wanted_kind)
        .collect();
    let default = settings::default_from(connector);
    let typed = non_empty(&request.from).map(strip_whatsapp);
    let chosen = match (typed, default) {
        (Some(typed), _) => typed.to_owned(),
        (None, Some(default)) => default.to_owned(),
        (None, None) => match active.as_slice() {
            [only] => only.e164.clone(),
            _ => {
                problems.add(
                    "from",
                    "Choose the sender: this connector has no sender of its own, so name one of \
                     its active numbers",
                );
                return None;
            }
        },
    };
    if provider == Provider::Twilio && chosen.starts_with("MG") {
        if settings::is_service_sid(&chosen) {
            return Some((chosen, true));
        }
        problems.add(
            "from",
            format!("'{chosen}' is not a Messaging Service SID: MG followed by 32 hex digits"),
        );
        return None;
    }
    if !looks_like_number(&chosen) {
        return alphanumeric(connector, provider, channel, &chosen, default, problems);
    }
    let number = match validate::e164(&chosen) {
        Ok(number) => number,
        Err(message) => {
            problems.add("from", message);
            return None;
        }
    };
    // Twilio's WhatsApp Sandbox is no account's own number and has no sender status: a Twilio
    // WhatsApp connector may send from it; the recipient must have joined (63015 otherwise).
    if sandbox::is_sandbox_number(&number) {
        return match sandbox::refusal(connector.kind, connector.provider()) {
            None => Some((number, false)),
            Some(why) => {
                problems.add("from", why);
                None
            }
        };
    }
    let listed = active.iter().find(|n| n.e164 == number);
    let is_default = default
        .and_then(|d| validate::e164(strip_whatsapp(d)).ok())
        .is_some_and(|d| d == number);
    if listed.is_none() && !is_default {
        let what = match channel {
            Channel::WhatsApp => "senders",
            Channel::Sms => "numbers",
        };
        problems.add(
            "from",
            format!(
                "{number} is not this connector's sender or one of its active {what}: activate \
                 it under Numbers, or choose another"
            ),
        );
        return None;
    }
    // A WhatsApp sender that is not ONLINE cannot send: say so before Twilio refuses.
    let sender_entry = numbers
        .iter()
        .find(|n| n.e164 == number && n.kind == NumberKind::WhatsappSender);
    if channel == Channel::WhatsApp
        && let Some(entry) = sender_entry
        && let Some(status) = entry.provider_status.as_deref()
        && !status.starts_with("ONLINE")
    {
        let reasons = if entry.offline_reasons.is_empty() {
            String::new()
        } else {
            format!(" ({})", entry.offline_reasons.join("; "))
        };
        problems.add(
            "from",
            format!(
                "The WhatsApp sender {number} is {status}{reasons}: only an ONLINE sender can \
                 send. Finish its registration in Senders, or choose another"
            ),
        );
        return None;
    }
    Some((number, false))
}

fn alphanumeric(
    connector: &Connector,
    provider: Provider,
    channel: Channel,
    name: &str,
    default: Option<&str>,
    problems: &mut Problems,
) -> Option<(String, bool)> {
    if channel == Channel::WhatsApp {
        problems.add(
            "from",
            format!(
                "'{name}' is an alphanumeric sender: WhatsApp sends only from a WhatsApp \
                 sender's number"
            ),
        );
        return None;
    }
    let rule = match provider {
        // 46elks: 3–11 letters and digits, not starting with a digit.
        Provider::Elks => {
            let length = name.chars().count();
            (3..=11).contains(&length)
                && name.chars().all(|c| c.is_ascii_alphanumeric())
                && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        }
        // Twilio and Telnyx: 1–11 letters, digits and spaces, at least one letter.
        _ => {
            let length = name.chars().count();
            (1..=11).contains(&length)
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ')
                && name.chars().any(|c| c.is_ascii_alphabetic())
        }
    };
    if !rule {
        let explained = match provider {
            Provider::Elks => "3 to 11 letters and digits, starting with a letter",
            _ => "1 to 11 letters, digits and spaces with at least one letter",
        };
        problems.add(
            "from",
            format!("'{name}' is not a valid alphanumeric sender: use {explained}"),
        );
        return None;
    }
    if default != Some(name) {
        problems.add(
            "from",
            format!(
                "'{name}' is not this connector's sender: set it as the connector's sender \
                 first, or choose one of its numbers"
            ),
        );
        return None;
    }
    if provider == Provider::Telnyx && settings::messaging_profile_id(connector).is_none() {
        problems.add(
            "from",
            "Telnyx sends from an alphanumeric sender only through a messaging profile: set the \
             connector's messaging profile",
        );
        return None;
    }
    Some((name.to_owned(), false))
}

/// Which kind of message this is, with its content checked.
fn content(
    provider: Provider,
    request: &SendRequest,
    problems: &mut Problems,
) -> Option<MessageKind> {
    let text = non_empty(&request.text);
    let has_media = !request.media.is_empty();
    let template = non_empty(&request.template);
    let kinds = [text.is_some(), has_media, template.is_some()];
    match kinds.iter().filter(|given| **given).count() {
        0 => {
            problems.add(
                "kind",
                "Give the message: a text, media URLs (with a caption), or a template",
            );
            return None;
        }
        1 => {}
        _ => {
            problems.add(
                "kind",
                "Send one kind at a time: a text, media URLs, or a template",
            );
            return None;
        }
    }
    if let Some(text) = text {
        body_limit(provider, "text", text, problems);
        return Some(MessageKind::Text);
    }
    if has_media {
        if provider == Provider::Elks {
            problems.add(
                "media",
                "46elks sends text only: send the link in a text message instead",
            );
            return None;
        }
        if request.media.len() > MAX_MEDIA {
            problems.add(
                "media",
                format!(
                    "At most {MAX_MEDIA} media files go in one message ({} given)",
                    request.media.len()
                ),
            );
        }
        for url in &request.media {
            if let Err(message) = media_url(url) {
                problems.add("media", message);
            }
        }
        if let Some(caption) = non_empty(&request.caption) {
            body_limit(provider, "caption", caption, problems);
        }
        return Some(MessageKind::Media);
    }
    let sid = template.unwrap_or_default();
    if provider != Provider::Twilio {
        problems.add(
            "template",
            format!("{provider} has no message templates: send a text instead"),
        );
        return None;
    }
    let well_formed =
        sid.len() == 34 && sid.starts_with("HX") && sid[2..].chars().all(|c| c.is_ascii_hexdigit());
    if !well_formed {
        problems.add(
            "template",
            format!(
                "'{sid}' is not a Content SID: it starts with HX followed by 32 hex digits \
                 (see Templates)"
            ),
        );
    }
    for (name, value) in &request.variables {
        if name.trim().is_empty() {
            problems.add(
                "variables",
                "A template variable needs a name, e.g. 1=Alice",
            );
        }
        if value.chars().count() > TWILIO_BODY_MAX {
            problems.add(
                "variables",
                format!("The variable '{name}' is longer than {TWILIO_BODY_MAX} characters"),
            );
        }
    }
    Some(MessageKind::Template)
}

fn body_limit(provider: Provider, field: &str, text: &str, problems: &mut Problems) {
    match provider {
        Provider::Twilio => {
            let length = text.chars().count();
            if length > TWILIO_BODY_MAX {
                problems.add(
                    field,
                    format!(
                        "The text is {length} characters; Twilio takes at most \
                         {TWILIO_BODY_MAX}: shorten it"
                    ),
                );
            }
        }
        Provider::Telnyx => {
            let (length, max) = if is_gsm7(text) {
                (text.chars().count(), TELNYX_GSM_MAX)
            } else {
                (text.encode_utf16().count(), TELNYX_UCS2_MAX)
            };
            if length > max {
                problems.add(
                    field,
                    format!(
                        "The text is {length} characters; Telnyx sends at most 10 parts \
                         ({max} characters for this text): shorten it"
                    ),
                );
            }
        }
        // 46elks splits long texts itself and documents no maximum; a mail server sends no SMS.
        Provider::Elks | Provider::Smtp => {}
    }
}

/// The GSM 03.38 basic character set (texts made only of it travel 160 characters a part).
fn is_gsm7(text: &str) -> bool {
    const EXTRA: &str =
        "@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!\"#¤%&'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà^{}\\[~]|€\n\r ";
    text.chars()
        .all(|c| c.is_ascii_alphanumeric() || EXTRA.contains(c))
}

fn media_url(url: &str) -> Result<(), String> {
    let parsed = url::Url::parse(url.trim())
        .map_err(|_| format!("'{url}' is not a URL: give the full https:// address of the file"))?;
    if parsed.scheme() != "https" || parsed.host_str().is_none() {
        return Err(format!(
            "'{url}' is not an https URL: the provider fetches media only over https"
        ));
    }
    Ok(())
}

fn callback_url(url: &str) -> Result<String, String> {
    let parsed = url::Url::parse(url)
        .map_err(|_| format!("'{url}' is not a URL: give the full https:// address"))?;
    let host = parsed.host_str().unwrap_or_default();
    let loopback = host == "localhost" || host == "127.0.0.1" || host == "[::1]";
    if parsed.scheme() != "https" && !(parsed.scheme() == "http" && loopback) {
        return Err(format!(
            "'{url}' is not an https URL: Twilio posts status changes to https addresses"
        ));
    }
    if host.is_empty() || host.contains('_') {
        return Err(format!(
            "'{url}' has no usable host name (Twilio allows no underscores in it)"
        ));
    }
    Ok(url.to_owned())
}
