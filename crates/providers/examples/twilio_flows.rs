//! Runs every Twilio call Switchboard makes, through the real client, against the bases given:
//! the conformance gate (`tests/conformance/run.mjs`) points them at Stoplight Prism, which
//! validates each request (and the answer) against Twilio's OpenAPI specs.
//!
//! `twilio_flows GROUP --base URL --account-sid AC… [--content-sid HX…] [--api-key-sid SK…]`
//! with the token in `TWILIO_AUTH_TOKEN` and the API key's secret in `TWILIO_API_KEY_SECRET`.
//! GROUP is `api` (2010: Account, IncomingPhoneNumbers, Messages), `services` (Messaging v1),
//! `senders` (Messaging v2) or `content` (Content v1); each spec file has its own Prism. Prints
//! one JSON line per flow — its name, whether it succeeded, and the requests it sent, as the
//! client names them (`GET /v1/Services/{Sid}`), so the gate can tie each request Prism saw to
//! its flow — and exits 1 when one failed.

use std::collections::BTreeMap;
use std::fmt;
use std::process::ExitCode;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde_json::json;
use switchboard_providers::twilio::{
    MessageChannel, MessageContent, MessageFilter, MessageFrom, OutgoingMessage, ProfileEmail,
    SenderCreate, SenderProfileInput, SenderUpdate, SenderWebhookInput, SenderWebhookMethod,
    SmsWebhook, SmsWebhookMethod, TwilioClient, TwilioCredentials, TwilioEndpoints,
    WHATSAPP_SANDBOX_NUMBER,
};
use switchboard_providers::{BaseUrl, HttpOptions, ProviderError, RetryPolicy, Secret};
use tracing::field::{Field, Visit};
use tracing::span;

/// Collects the operation of every request the client sends (its `calling provider` event,
/// one per attempt), until the flow that sent them reports.
#[derive(Clone, Default)]
struct Requests(Arc<Mutex<Vec<String>>>);

impl Requests {
    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

#[derive(Default)]
struct CallEvent {
    message: String,
    operation: Option<String>,
}

impl Visit for CallEvent {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "operation" {
            self.operation = Some(value.to_owned());
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            self.message = format!("{value:?}");
        }
    }
}

impl tracing::Subscriber for Requests {
    fn enabled(&self, metadata: &tracing::Metadata<'_>) -> bool {
        metadata.target().starts_with("switchboard_providers")
    }

    fn new_span(&self, _: &span::Attributes<'_>) -> span::Id {
        span::Id::from_u64(1)
    }

    fn record(&self, _: &span::Id, _: &span::Record<'_>) {}

    fn record_follows_from(&self, _: &span::Id, _: &span::Id) {}

    fn event(&self, event: &tracing::Event<'_>) {
        let mut call = CallEvent::default();
        event.record(&mut call);
        if let (true, Some(operation)) = (call.message == "calling provider", call.operation) {
            self.0
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(operation);
        }
    }

    fn enter(&self, _: &span::Id) {}

    fn exit(&self, _: &span::Id) {}
}

struct Flows {
    client: TwilioClient,
    /// The same account through an API key (`--api-key-sid`), whose credential check is another
    /// request (restricted keys cannot read the Account).
    api_key_client: Option<TwilioClient>,
    /// An approved template of the account (`--content-sid`).
    content_sid: String,
    requests: Requests,
    failed: bool,
}

impl Flows {
    fn report<T>(&mut self, flow: &str, result: Result<T, ProviderError>) -> Option<T> {
        let requests = self.requests.take();
        match result {
            Ok(value) => {
                println!(
                    "{}",
                    json!({ "flow": flow, "ok": true, "requests": requests })
                );
                Some(value)
            }
            Err(error) => {
                self.failed = true;
                println!(
                    "{}",
                    json!({ "flow": flow, "ok": false, "error": error.to_string(), "requests": requests })
                );
                None
            }
        }
    }

    fn missing(&mut self, flow: &str, what: &str) {
        self.failed = true;
        let requests = self.requests.take();
        println!(
            "{}",
            json!({ "flow": flow, "ok": false, "error": format!("no {what} to use"), "requests": requests })
        );
    }

    async fn api(&mut self) {
        let account = self.client.fetch_account().await;
        self.report(
            "fetch account (credential check with the auth token)",
            account,
        );
        if let Some(client) = &self.api_key_client {
            let check = client.check_credentials().await;
            self.report("check credentials (API key)", check);
        }
        // The way core lists them: page by page as they arrive.
        let mut listed = Vec::new();
        let numbers = self
            .client
            .each_incoming_phone_number_page(|page| listed.extend(page))
            .await
            .map(|()| listed);
        let numbers = self
            .report("list incoming phone numbers", numbers)
            .unwrap_or_default();
        let Some(sid) = numbers.iter().find_map(|n| n.sid.clone()) else {
            return self.missing("fetch incoming phone number", "number");
        };
        let fetched = self.client.fetch_incoming_phone_number(&sid).await;
        self.report("fetch incoming phone number", fetched);
        let webhook = SmsWebhook {
            url: "https://hooks.example.com/inbound/c/t".into(),
            method: SmsWebhookMethod::Post,
        };
        let set = self.client.set_sms_webhook(&sid, &webhook).await;
        self.report("update incoming phone number (SmsUrl, SmsMethod)", set);

        let from = numbers
            .iter()
            .find_map(|n| n.phone_number.clone())
            .unwrap_or_else(|| "+15005550006".into());
        let sends = [
            (
                "create message (text)",
                MessageChannel::Sms,
                MessageContent::Text {
                    body: "Your room is ready.".into(),
                },
            ),
            (
                "create message (media + caption)",
                MessageChannel::WhatsApp,
                MessageContent::Media {
                    urls: vec![
                        "https://example.com/a.png".into(),
                        "https://example.com/b.png".into(),
                    ],
                    caption: Some("Your key card".into()),
                },
            ),
            (
                "create message (template)",
                MessageChannel::WhatsApp,
                MessageContent::Template {
                    content_sid: self.content_sid.clone(),
                    variables: BTreeMap::from([("1".into(), "Alice".into())]),
                },
            ),
        ];
        let mut sent = None;
        for (flow, channel, content) in sends {
            let message = OutgoingMessage {
                channel,
                from: MessageFrom::Address(from.clone()),
                to: "+14155550199".into(),
                content,
                status_callback: Some("https://hooks.example.com/status".into()),
                validity_period: None,
            };
            let result = self.client.send_message(&message).await;
            if let Some(message) = self.report(flow, result) {
                sent = sent.or(message.sid);
            }
        }
        // Twilio's WhatsApp Sandbox number as From: no number of the account, taken all the same
        // (the recipient's join decides the message's fate later, as 63015).
        let sandbox = OutgoingMessage {
            channel: MessageChannel::WhatsApp,
            from: MessageFrom::Address(WHATSAPP_SANDBOX_NUMBER.into()),
            to: "+14155550199".into(),
            content: MessageContent::Text {
                body: "Your room is ready.".into(),
            },
            status_callback: None,
            validity_period: None,
        };
        let result = self.client.send_message(&sandbox).await;
        self.report("create message (WhatsApp Sandbox From)", result);
        match sent {
            Some(sid) => {
                let fetched = self.client.fetch_message(&sid).await;
                self.report("fetch message", fetched);
            }
            None => self.missing("fetch message", "message"),
        }
        let filter = MessageFilter {
            to: Some("+14155550199".into()),
            ..MessageFilter::default()
        };
        // One message: Prism's mock answers every page with the same example, whose
        // next_page_uri points at itself, and the client refuses to follow a page loop.
        let listed = self.client.list_messages(&filter, 1).await;
        self.report("list messages", listed);
        // The history import's query: From and DateSent> (a GMT day), pages of 1000. Only the
        // first page, for the same reason as above.
        let history = MessageFilter {
            from: Some("+14155550101".into()),
            date_sent_after: Some("2024-05-01".into()),
            ..MessageFilter::default()
        };
        let mut pages = self.client.message_pages(&history, 1000);
        let first = match pages.next_raw_page().await {
            Ok(Some(raw)) => raw.decode(),
            Ok(None) => Ok(Vec::new()),
            Err(error) => Err(error),
        };
        self.report("message history (From, DateSent>)", first);
    }

    async fn services(&mut self) {
        let services = self.client.list_messaging_services().await;
        let services = self
            .report("list messaging services", services)
            .unwrap_or_default();
        let Some(sid) = services.iter().find_map(|s| s.sid.clone()) else {
            return self.missing("fetch messaging service", "service");
        };
        let fetched = self.client.fetch_messaging_service(&sid).await;
        self.report("fetch messaging service", fetched);
        let numbers = self.client.list_messaging_service_phone_numbers(&sid).await;
        self.report("list messaging service phone numbers", numbers);
    }

    async fn senders(&mut self) {
        let mut create = SenderCreate::whatsapp("+14155550177");
        create.profile = Some(SenderProfileInput {
            name: Some("Grand Hotel".into()),
            ..SenderProfileInput::default()
        });
        let created = self.client.create_sender(&create).await;
        let created = self.report("create sender", created).and_then(|s| s.sid);
        let senders = self.client.list_whatsapp_senders().await;
        let senders = self
            .report("list whatsapp senders", senders)
            .unwrap_or_default();
        // Twilio's example list may be empty: then fetch the one just created.
        match senders
            .iter()
            .find_map(|s| s.sid.clone())
            .or(created.clone())
        {
            Some(sid) => {
                let fetched = self.client.fetch_sender(&sid).await;
                self.report("fetch sender", fetched);
            }
            None => self.missing("fetch sender", "sender"),
        }
        let Some(sid) = created else {
            return self.missing("update sender (webhook only)", "created sender");
        };
        let webhook = SenderWebhookInput {
            callback_url: Some("https://hooks.example.com/inbound/c/t".into()),
            callback_method: Some(SenderWebhookMethod::Post),
            ..SenderWebhookInput::default()
        };
        let updated = self.client.set_sender_webhook(&sid, webhook).await;
        self.report("update sender (webhook only)", updated);
        let profile = SenderUpdate {
            profile: Some(SenderProfileInput {
                about: Some("Open 24/7".into()),
                vertical: Some("Hotel and Lodging".into()),
                emails: vec![ProfileEmail {
                    email: "desk@grand-hotel.example".into(),
                    label: Some("Email".into()),
                }],
                ..SenderProfileInput::default()
            }),
            ..SenderUpdate::default()
        };
        let updated = self.client.update_sender(&sid, &profile).await;
        self.report("update sender (profile)", updated);
        // The sandbox takes only the code it sent to a sender waiting for one: the gate reads
        // both from its admin API (TWILIO_PENDING_SENDER, TWILIO_VERIFICATION_CODE). Prism's
        // mock takes any code for any sender.
        let pending = std::env::var("TWILIO_PENDING_SENDER").ok();
        let code = std::env::var("TWILIO_VERIFICATION_CODE").unwrap_or_else(|_| "123456".into());
        let verify_sid = match pending {
            Some(sender_id) => senders
                .iter()
                .find(|s| s.sender_id.as_deref() == Some(sender_id.as_str()))
                .and_then(|s| s.sid.clone()),
            None => Some(sid.clone()),
        };
        match verify_sid {
            Some(verify_sid) => {
                let verified = self.client.verify_sender(&verify_sid, &code).await;
                self.report("verify sender (verification code)", verified);
            }
            None => self.missing("verify sender (verification code)", "pending sender"),
        }
        let deleted = self.client.delete_sender(&sid).await;
        self.report("delete sender", deleted);
    }

    async fn content(&mut self) {
        let content = self.client.list_content().await;
        self.report("list content", content);
        let approvals = self.client.list_content_and_approvals().await;
        self.report("list content and approvals", approvals);
    }
}

fn usage(message: &str) -> ExitCode {
    eprintln!(
        "{message}\nusage: twilio_flows api|services|senders|content --base URL --account-sid AC…"
    );
    ExitCode::from(2)
}

#[tokio::main]
async fn main() -> ExitCode {
    let requests = Requests::default();
    if tracing::subscriber::set_global_default(requests.clone()).is_err() {
        return usage("could not watch the client's requests");
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let Some(group) = args.first().cloned() else {
        return usage("which group of flows?");
    };
    let (Some(base), Some(account_sid)) = (value("--base"), value("--account-sid")) else {
        return usage("--base and --account-sid are needed");
    };
    let token = std::env::var("TWILIO_AUTH_TOKEN").unwrap_or_default();
    let base = match BaseUrl::parse(&base) {
        Ok(base) => base,
        Err(error) => return usage(&format!("--base: {error}")),
    };
    let options = HttpOptions {
        request_timeout: Duration::from_secs(20),
        // One attempt: a retry would hide a request Prism refused.
        retry: RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        },
        ..HttpOptions::default()
    };
    let endpoints = TwilioEndpoints::all(base);
    let credentials = TwilioCredentials::with_auth_token(account_sid.clone(), Secret::new(token));
    let client = match TwilioClient::new(credentials, endpoints.clone(), &options) {
        Ok(client) => client,
        Err(error) => return usage(&error.to_string()),
    };
    let api_key_client = match value("--api-key-sid") {
        Some(key_sid) => {
            let secret = std::env::var("TWILIO_API_KEY_SECRET").unwrap_or_default();
            let credentials =
                TwilioCredentials::with_api_key(account_sid, key_sid, Secret::new(secret));
            match TwilioClient::new(credentials, endpoints, &options) {
                Ok(client) => Some(client),
                Err(error) => return usage(&error.to_string()),
            }
        }
        None => None,
    };
    let content_sid = value("--content-sid").unwrap_or_else(|| format!("HX{}", "a".repeat(32)));
    let mut flows = Flows {
        client,
        api_key_client,
        content_sid,
        requests,
        failed: false,
    };
    match group.as_str() {
        "api" => flows.api().await,
        "services" => flows.services().await,
        "senders" => flows.senders().await,
        "content" => flows.content().await,
        other => return usage(&format!("unknown group {other:?}")),
    }
    if flows.failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
