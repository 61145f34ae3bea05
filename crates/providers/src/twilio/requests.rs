//! What the app asks Twilio to do, and how each request is put on the wire: form-encoded
//! PascalCase for the 2010 API, JSON snake_case (no nulls, only changed fields) for Senders v2.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::failure::FailureKind;

/// `SmsMethod` of UpdateIncomingPhoneNumber (`GET` | `POST`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SmsWebhookMethod {
    Get,
    #[default]
    Post,
}

impl SmsWebhookMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            SmsWebhookMethod::Get => "GET",
            SmsWebhookMethod::Post => "POST",
        }
    }
}

/// The inbound SMS webhook of an incoming phone number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsWebhook {
    pub url: String,
    pub method: SmsWebhookMethod,
}

/// The form of UpdateIncomingPhoneNumber: only `SmsUrl` and `SmsMethod`, so nothing else on the
/// number changes.
pub(crate) fn sms_webhook_form(webhook: &SmsWebhook) -> Vec<(&'static str, String)> {
    vec![
        ("SmsUrl", webhook.url.clone()),
        ("SmsMethod", webhook.method.as_str().to_owned()),
    ]
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageChannel {
    Sms,
    /// `From` and `To` get the `whatsapp:` prefix.
    WhatsApp,
}

impl MessageChannel {
    /// The address as Twilio wants it on this channel (`whatsapp:+E164` for WhatsApp).
    pub fn address(self, address: &str) -> String {
        let address = address.trim();
        match self {
            MessageChannel::WhatsApp if !address.starts_with("whatsapp:") => {
                format!("whatsapp:{address}")
            }
            _ => address.to_owned(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageFrom {
    /// An E.164 number, alphanumeric sender ID or short code (prefixed on WhatsApp).
    Address(String),
    /// A Messaging Service (`MG…`) that picks the sender.
    MessagingService(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageContent {
    Text {
        body: String,
    },
    /// Up to 10 media URLs, with an optional caption sent as `Body`.
    Media {
        urls: Vec<String>,
        caption: Option<String>,
    },
    /// A Content API template (`HX…`) with its variables, e.g. `{"1": "Alice"}`. Twilio wants no
    /// `Body` with it.
    Template {
        content_sid: String,
        variables: BTreeMap<String, String>,
    },
}

/// A message to send through CreateMessage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMessage {
    pub channel: MessageChannel,
    pub from: MessageFrom,
    pub to: String,
    pub content: MessageContent,
    /// Where Twilio posts status changes.
    pub status_callback: Option<String>,
    /// `ValidityPeriod`: seconds the message may wait in Twilio's queue (1–36000).
    pub validity_period: Option<u32>,
}

pub(crate) const MAX_MEDIA_URLS: usize = 10;

/// The CreateMessage form, or why the message cannot be sent as it is.
pub(crate) fn message_form(
    message: &OutgoingMessage,
) -> Result<Vec<(&'static str, String)>, (FailureKind, String)> {
    use FailureKind::*;
    if message.to.trim().is_empty() {
        return Err((InvalidRecipient, "the message has no recipient".into()));
    }
    let mut form = vec![("To", message.channel.address(&message.to))];
    match &message.from {
        MessageFrom::Address(address) if !address.trim().is_empty() => {
            form.push(("From", message.channel.address(address)));
        }
        MessageFrom::Address(_) => {
            return Err((MissingFromNumber, "the message has no sender".into()));
        }
        MessageFrom::MessagingService(sid) => {
            if !super::is_sid(sid, "MG") {
                return Err((
                    InvalidSender,
                    format!("{sid:?} is not a Messaging Service SID (MG…)"),
                ));
            }
            form.push(("MessagingServiceSid", sid.clone()));
        }
    }
    match &message.content {
        MessageContent::Text { body } => {
            if body.trim().is_empty() {
                return Err((InvalidMessage, "the message text is empty".into()));
            }
            form.push(("Body", body.clone()));
        }
        MessageContent::Media { urls, caption } => {
            if urls.is_empty() {
                return Err((
                    InvalidMessage,
                    "a media message needs at least one media URL".into(),
                ));
            }
            if urls.len() > MAX_MEDIA_URLS {
                return Err((
                    InvalidMessage,
                    format!("at most {MAX_MEDIA_URLS} media URLs can be sent at once"),
                ));
            }
            if let Some(caption) = caption.as_ref().filter(|c| !c.trim().is_empty()) {
                form.push(("Body", caption.clone()));
            }
            // The spec's MediaUrl is an array: the form repeats the key once per URL.
            form.extend(urls.iter().map(|url| ("MediaUrl", url.clone())));
        }
        MessageContent::Template {
            content_sid,
            variables,
        } => {
            if content_sid.trim().is_empty() {
                return Err((
                    MissingContentSid,
                    "the template message has no Content SID".into(),
                ));
            }
            if !super::is_sid(content_sid, "HX") {
                return Err((
                    TemplateRejected,
                    format!("{content_sid:?} is not a template SID (HX…)"),
                ));
            }
            form.push(("ContentSid", content_sid.clone()));
            if !variables.is_empty() {
                // ContentVariables is a string holding a JSON object.
                let json = serde_json::to_string(variables).map_err(|e| {
                    (
                        TemplateRejected,
                        format!("the template variables cannot be encoded: {e}"),
                    )
                })?;
                form.push(("ContentVariables", json));
            }
        }
    }
    if let Some(callback) = message.status_callback.as_ref().filter(|c| !c.is_empty()) {
        form.push(("StatusCallback", callback.clone()));
    }
    if let Some(seconds) = message.validity_period {
        if !(1..=36_000).contains(&seconds) {
            return Err((
                InvalidMessage,
                format!("ValidityPeriod is 1 to 36000 seconds, not {seconds}"),
            ));
        }
        form.push(("ValidityPeriod", seconds.to_string()));
    }
    Ok(form)
}

/// Filters of ListMessage. Dates as Twilio accepts them, e.g. `2024-05-01` or
/// `2024-05-01T00:00:00Z`; WhatsApp addresses with their `whatsapp:` prefix.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MessageFilter {
    pub to: Option<String>,
    pub from: Option<String>,
    pub date_sent: Option<String>,
    pub date_sent_before: Option<String>,
    pub date_sent_after: Option<String>,
}

impl MessageFilter {
    pub(crate) fn query_pairs(&self) -> Vec<(&'static str, &str)> {
        [
            ("To", &self.to),
            ("From", &self.from),
            ("DateSent", &self.date_sent),
            ("DateSent<", &self.date_sent_before),
            ("DateSent>", &self.date_sent_after),
        ]
        .into_iter()
        .filter_map(|(key, value)| value.as_deref().map(|value| (key, value)))
        .collect()
    }
}

/// `callback_method` / `fallback_method` of a sender webhook (`POST` | `PUT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum SenderWebhookMethod {
    #[serde(rename = "POST")]
    Post,
    #[serde(rename = "PUT")]
    Put,
}

/// `messaging.v2.channels_sender.webhook` to write: unset fields are left out of the JSON, so
/// Twilio keeps their current values.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SenderWebhookInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback_method: Option<SenderWebhookMethod>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback_method: Option<SenderWebhookMethod>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_callback_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_callback_method: Option<String>,
}

impl SenderWebhookInput {
    /// Only the inbound callback URL and method.
    pub fn callback(url: impl Into<String>, method: SenderWebhookMethod) -> Self {
        Self {
            callback_url: Some(url.into()),
            callback_method: Some(method),
            ..Self::default()
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum VerificationMethod {
    Sms,
    Voice,
}

/// `messaging.v2.channels_sender.configuration` to write.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SenderConfigurationInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waba_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification_method: Option<VerificationMethod>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voice_application_sid: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProfileWebsite {
    pub website: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProfileEmail {
    pub email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// `messaging.v2.channels_sender.profile` to write. WhatsApp requires `name` on create.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SenderProfileInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logo_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vertical: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub websites: Vec<ProfileWebsite>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<ProfileEmail>,
}

/// CreateChannelsSender body (`messaging.v2.channels_sender.requests.create`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SenderCreate {
    /// `whatsapp:+E164`.
    pub sender_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub configuration: Option<SenderConfigurationInput>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook: Option<SenderWebhookInput>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<SenderProfileInput>,
}

impl SenderCreate {
    /// A WhatsApp sender for an E.164 number.
    pub fn whatsapp(phone_number: &str) -> Self {
        Self {
            sender_id: MessageChannel::WhatsApp.address(phone_number),
            configuration: None,
            webhook: None,
            profile: None,
        }
    }
}

/// UpdateChannelsSender body (`messaging.v2.channels_sender.requests.update`): only the parts
/// being changed are sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SenderUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub configuration: Option<SenderConfigurationInput>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook: Option<SenderWebhookInput>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<SenderProfileInput>,
}

impl SenderUpdate {
    /// Changes the webhook object only.
    pub fn webhook(webhook: SenderWebhookInput) -> Self {
        Self {
            webhook: Some(webhook),
            ..Self::default()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.configuration.is_none() && self.webhook.is_none() && self.profile.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::RequestBody;

    const HX: &str = "HXaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const MG: &str = "MGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    fn message(channel: MessageChannel, content: MessageContent) -> OutgoingMessage {
        OutgoingMessage {
            channel,
            from: MessageFrom::Address("+15005550006".into()),
            to: "+15551234567".into(),
            content,
            status_callback: None,
            validity_period: None,
        }
    }

    fn encoded(message: &OutgoingMessage) -> String {
        match RequestBody::form(&message_form(message).unwrap()) {
            RequestBody::Form(body) => body,
            RequestBody::Json(_) => unreachable!(),
        }
    }

    #[test]
    fn sms_text_form_is_pascal_case() {
        let mut message = message(
            MessageChannel::Sms,
            MessageContent::Text {
                body: "Your room is ready".into(),
            },
        );
        message.status_callback = Some("https://hooks.example/status".into());
        assert_eq!(
            message_form(&message).unwrap(),
            vec![
                ("To", "+15551234567".to_owned()),
                ("From", "+15005550006".to_owned()),
                ("Body", "Your room is ready".to_owned()),
                ("StatusCallback", "https://hooks.example/status".to_owned()),
            ]
        );
        assert_eq!(
            encoded(&message),
            "To=%2B15551234567&From=%2B15005550006&Body=Your+room+is+ready&StatusCallback=https%3A%2F%2Fhooks.example%2Fstatus"
        );
    }

    #[test]
    fn whatsapp_media_form_prefixes_addresses_and_repeats_media_url() {
        let message = message(
            MessageChannel::WhatsApp,
            MessageContent::Media {
                urls: vec![
                    "https://cdn.example/a.jpg".into(),
                    "https://cdn.example/b.pdf".into(),
                ],
                caption: Some("Your invoice".into()),
            },
        );
        assert_eq!(
            message_form(&message).unwrap(),
            vec![
                ("To", "whatsapp:+15551234567".to_owned()),
                ("From", "whatsapp:+15005550006".to_owned()),
                ("Body", "Your invoice".to_owned()),
                ("MediaUrl", "https://cdn.example/a.jpg".to_owned()),
                ("MediaUrl", "https://cdn.example/b.pdf".to_owned()),
            ]
        );
        assert!(encoded(&message).contains(
            "MediaUrl=https%3A%2F%2Fcdn.example%2Fa.jpg&MediaUrl=https%3A%2F%2Fcdn.example%2Fb.pdf"
        ));
    }

    #[test]
    fn whatsapp_prefix_is_not_doubled() {
        assert_eq!(
            MessageChannel::WhatsApp.address("whatsapp:+1555"),
            "whatsapp:+1555"
        );
        assert_eq!(
            MessageChannel::WhatsApp.address(" +1555 "),
            "whatsapp:+1555"
        );
        assert_eq!(MessageChannel::Sms.address("+1555"), "+1555");
    }

    #[test]
    fn template_form_has_content_sid_and_json_variables_and_no_body() {
        let variables = BTreeMap::from([
            ("1".to_owned(), "Alice".to_owned()),
            ("2".to_owned(), "12:00".to_owned()),
        ]);
        let mut message = message(
            MessageChannel::WhatsApp,
            MessageContent::Template {
                content_sid: HX.into(),
                variables,
            },
        );
        message.from = MessageFrom::MessagingService(MG.into());
        let form = message_form(&message).unwrap();
        assert_eq!(
            form,
            vec![
                ("To", "whatsapp:+15551234567".to_owned()),
                ("MessagingServiceSid", MG.to_owned()),
                ("ContentSid", HX.to_owned()),
                (
                    "ContentVariables",
                    r#"{"1":"Alice","2":"12:00"}"#.to_owned()
                ),
            ]
        );
        assert!(!form.iter().any(|(key, _)| *key == "Body"));
    }

    #[test]
    fn invalid_messages_are_refused_before_sending() {
        let cases = [
            message(
                MessageChannel::Sms,
                MessageContent::Text { body: "  ".into() },
            ),
            message(
                MessageChannel::Sms,
                MessageContent::Media {
                    urls: vec![],
                    caption: None,
                },
            ),
            message(
                MessageChannel::Sms,
                MessageContent::Media {
                    urls: vec!["https://x/y".into(); 11],
                    caption: None,
                },
            ),
            message(
                MessageChannel::WhatsApp,
                MessageContent::Template {
                    content_sid: "HX123".into(),
                    variables: BTreeMap::new(),
                },
            ),
            OutgoingMessage {
                to: String::new(),
                ..message(
                    MessageChannel::Sms,
                    MessageContent::Text { body: "x".into() },
                )
            },
            OutgoingMessage {
                from: MessageFrom::MessagingService("PN123".into()),
                ..message(
                    MessageChannel::Sms,
                    MessageContent::Text { body: "x".into() },
                )
            },
        ];
        for case in cases {
            assert!(message_form(&case).is_err(), "{case:?}");
        }
    }

    #[test]
    fn sms_webhook_form_sets_only_url_and_method() {
        let form = sms_webhook_form(&SmsWebhook {
            url: "https://hooks.example/in?t=1".into(),
            method: SmsWebhookMethod::Post,
        });
        assert_eq!(
            form,
            vec![
                ("SmsUrl", "https://hooks.example/in?t=1".to_owned()),
                ("SmsMethod", "POST".to_owned())
            ]
        );
    }

    #[test]
    fn sender_update_contains_only_the_webhook_and_no_nulls() {
        let update = SenderUpdate::webhook(SenderWebhookInput::callback(
            "https://hooks.example/wa",
            SenderWebhookMethod::Post,
        ));
        assert_eq!(
            serde_json::to_string(&update).unwrap(),
            r#"{"webhook":{"callback_url":"https://hooks.example/wa","callback_method":"POST"}}"#
        );
        assert!(SenderUpdate::default().is_empty());
        assert_eq!(
            serde_json::to_string(&SenderUpdate::default()).unwrap(),
            "{}"
        );
    }

    #[test]
    fn sender_create_matches_the_spec_example_shape() {
        let create = SenderCreate {
            configuration: Some(SenderConfigurationInput {
                waba_id: Some("1234567XXX".into()),
                verification_method: Some(VerificationMethod::Sms),
                ..SenderConfigurationInput::default()
            }),
            profile: Some(SenderProfileInput {
                name: Some("Hotel Example".into()),
                websites: vec![ProfileWebsite {
                    website: "https://hotel.example".into(),
                    label: Some("Website".into()),
                }],
                ..SenderProfileInput::default()
            }),
            ..SenderCreate::whatsapp("+15017122661")
        };
        let json: serde_json::Value = serde_json::to_value(&create).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "sender_id": "whatsapp:+15017122661",
                "configuration": {"waba_id": "1234567XXX", "verification_method": "sms"},
                "profile": {"name": "Hotel Example", "websites": [{"website": "https://hotel.example", "label": "Website"}]}
            })
        );
    }

    #[test]
    fn message_filter_query_uses_spec_names() {
        let filter = MessageFilter {
            to: Some("whatsapp:+1555".into()),
            date_sent_after: Some("2024-05-01T00:00:00Z".into()),
            ..MessageFilter::default()
        };
        assert_eq!(
            filter.query_pairs(),
            vec![
                ("To", "whatsapp:+1555"),
                ("DateSent>", "2024-05-01T00:00:00Z")
            ]
        );
    }
}
