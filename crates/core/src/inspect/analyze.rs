//! Explaining one webhook request against one connector, without I/O: the token in the URL, the
//! provider's signature over every URL variant, and what the request is about.

use std::collections::BTreeMap;

use serde_json::Value;
use switchboard_providers::signature::{
    SignatureError, TELNYX_SIGNATURE_HEADER, TELNYX_TIMESTAMP_HEADER, TELNYX_TOLERANCE,
    TWILIO_SIGNATURE_HEADER, body_sha256_hex, sign_twilio, verify_telnyx,
};

use super::variants::{PortChange, UrlSource, candidates, path, port_variants, query};
use super::{
    CapturedRequest, InspectReport, Reason, ReasonCode, SignedVariant, Verdict, WebhookKind,
};
use crate::audit::redact_webhook_tokens;
use crate::model::{Connector, ConnectorSettings, ProviderKind};

/// Everything known about the connector a request names.
pub(crate) struct Target<'a> {
    pub connector: &'a Connector,
    pub webhook_token: &'a str,
    /// The connector's secret (Twilio: the Auth Token or API key secret).
    pub secret: Option<&'a str>,
    /// The public inbound URL set at the provider, when the organization has a base URL.
    pub public_url: Option<&'a str>,
    /// Unix seconds.
    pub now: i64,
}

/// `/inbound/{connector}/{token}` in the URL's path: (connector id, token).
pub(crate) fn inbound_path(url: &str) -> Option<(String, String)> {
    let path = path(url);
    let at = path.rfind("/inbound/")?;
    let mut segments = path[at + "/inbound/".len()..].split('/');
    let connector = segments.next().filter(|s| !s.is_empty())?;
    let token = segments.next().filter(|s| !s.is_empty())?;
    Some((connector.to_owned(), token.to_owned()))
}

/// Equal in time independent of where the bytes first differ.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn header<'a>(request: &'a CapturedRequest, name: &str) -> Option<&'a str> {
    request
        .headers
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.trim())
}

fn reason(code: ReasonCode, message: impl Into<String>) -> Reason {
    Reason {
        code,
        message: message.into(),
    }
}

fn is_json(request: &CapturedRequest) -> bool {
    header(request, "content-type").is_some_and(|t| t.to_ascii_lowercase().contains("json"))
        || request.body.trim_start().starts_with('{')
}

fn form_params(body: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body.as_bytes())
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect()
}

fn strip_channel(number: &str) -> String {
    number
        .trim()
        .strip_prefix("whatsapp:")
        .unwrap_or(number.trim())
        .to_owned()
}

/// A report for a request that could not be tied to a connector.
pub(crate) fn unattributed(
    request: &CapturedRequest,
    code: ReasonCode,
    message: String,
) -> InspectReport {
    InspectReport {
        verdict: Verdict::Invalid,
        valid: false,
        received_url: redact_webhook_tokens(&request.url),
        reasons: vec![reason(code, message)],
        ..InspectReport::default()
    }
}

pub(crate) fn analyze(request: &CapturedRequest, target: &Target<'_>) -> InspectReport {
    let connector = target.connector;
    let mut report = InspectReport {
        verdict: Verdict::Invalid,
        valid: false,
        provider: Some(connector.provider()),
        connector_id: Some(connector.id.clone()),
        connector_name: Some(connector.name.clone()),
        received_url: redact_webhook_tokens(&request.url),
        public_url: target.public_url.map(redact_webhook_tokens),
        ..InspectReport::default()
    };
    let token_ok = inbound_path(&request.url).is_some_and(|(_, token)| {
        constant_time_eq(token.as_bytes(), target.webhook_token.as_bytes())
    });
    report.token_matches = Some(token_ok);
    if !token_ok {
        report.reasons.push(reason(
            ReasonCode::TokenMismatch,
            "The URL's secret token is not this connector's current one: the webhook set at the \
             provider still has an old URL (the token was regenerated since), or the request is \
             forged. Set the webhook again from the Numbers tab.",
        ));
    }
    describe_content(request, connector.provider(), &mut report);
    let signature = match connector.provider() {
        ProviderKind::Twilio => twilio(request, target, &mut report),
        ProviderKind::Telnyx => telnyx(request, target, &mut report),
        ProviderKind::Elks46 => {
            report.reasons.push(reason(
                ReasonCode::Unsigned,
                "46elks does not sign its webhooks: the secret token in the URL is the only \
                 check.",
            ));
            Verdict::Valid
        }
        ProviderKind::Smtp => {
            report.reasons.push(reason(
                ReasonCode::NotAWebhookConnector,
                "This is an email connector: no provider posts webhooks for it.",
            ));
            Verdict::Invalid
        }
    };
    report.verdict = match (token_ok, signature) {
        (false, _) | (_, Verdict::Invalid) => Verdict::Invalid,
        (true, verdict) => verdict,
    };
    report.valid = report.verdict == Verdict::Valid;
    report
}

fn twilio(request: &CapturedRequest, target: &Target<'_>, report: &mut InspectReport) -> Verdict {
    let Some(signature) = header(request, TWILIO_SIGNATURE_HEADER).filter(|s| !s.is_empty()) else {
        report.reasons.push(reason(
            ReasonCode::MissingSignature,
            "The request has no X-Twilio-Signature header: it did not come from Twilio (or a \
             proxy dropped the header).",
        ));
        return Verdict::Invalid;
    };
    let Some(secret) = target.secret else {
        report.reasons.push(reason(
            ReasonCode::NoSecret,
            "Cannot verify: no Auth Token is saved for this connector. Edit the connector and \
             enter it.",
        ));
        return Verdict::CannotVerify;
    };
    let json = is_json(request);
    let get = request.method.eq_ignore_ascii_case("GET");
    let params = if json || get {
        Vec::new()
    } else {
        form_params(&request.body)
    };
    let candidates = candidates(
        &request.url,
        header(request, "x-forwarded-proto"),
        header(request, "x-forwarded-host"),
        header(request, "x-forwarded-port"),
        target.public_url,
    );
    // Every variant is computed, so the time taken does not say which one matched.
    let mut matched: Option<(UrlSource, PortChange, String)> = None;
    for (source, candidate) in &candidates {
        for (port, url) in port_variants(candidate) {
            let expected = sign_twilio(secret, &url, &params);
            if constant_time_eq(expected.as_bytes(), signature.as_bytes()) && matched.is_none() {
                matched = Some((*source, port, url));
            }
        }
    }
    let Some((source, port, signed)) = matched else {
        twilio_mismatch(request, target, json, report);
        return Verdict::Invalid;
    };
    let body_sha256 = json.then(|| {
        url::Url::parse(&signed).ok().and_then(|parsed| {
            parsed
                .query_pairs()
                .find(|(name, _)| name == "bodySHA256")
                .map(|(_, value)| value.to_ascii_lowercase())
        })
    });
    report.signed_variant = Some(SignedVariant {
        source,
        port,
        body_sha256: json,
        url: redact_webhook_tokens(&signed),
    });
    if let Some(claimed) = body_sha256 {
        let Some(claimed) = claimed else {
            report.reasons.push(reason(
                ReasonCode::NoBodyHash,
                "The request has a JSON body but its URL carries no bodySHA256, so nothing \
                 protects the body: refuse it.",
            ));
            return Verdict::Invalid;
        };
        let actual = body_sha256_hex(request.body.as_bytes());
        if !constant_time_eq(actual.as_bytes(), claimed.as_bytes()) {
            report.reasons.push(reason(
                ReasonCode::BodyChanged,
                "Twilio signed the URL, but the body is not the one it sent (its SHA-256 differs \
                 from the URL's bodySHA256): the body was changed on the way.",
            ));
            return Verdict::Invalid;
        }
    }
    if source != UrlSource::AsReceived {
        report.reasons.push(reason(
            ReasonCode::SignedAnotherUrl,
            format!(
                "Genuine, but Twilio signed {} ({}), not the URL the server saw ({}). A server \
                 that checks the signature against the URL it rebuilt refuses this request: \
                 behind a proxy, check it against the public URL (or rebuild it from \
                 X-Forwarded-Proto and X-Forwarded-Host).",
                source.describe(),
                redact_webhook_tokens(&signed),
                report.received_url
            ),
        ));
    }
    Verdict::Valid
}

/// Why no variant matched, in the most likely order.
fn twilio_mismatch(
    request: &CapturedRequest,
    target: &Target<'_>,
    json: bool,
    report: &mut InspectReport,
) {
    if let ConnectorSettings::Twilio(settings) = &target.connector.settings
        && settings.api_key_sid.is_some()
    {
        report.reasons.push(reason(
            ReasonCode::ApiKeySecret,
            "The signature does not match. This connector signs in with an API key, but Twilio \
             signs webhooks with the account's Auth Token, which is not the API key secret \
             saved here: check the request with the Auth Token from the Twilio Console, or \
             save the connector with the Auth Token.",
        ));
        return;
    }
    let differs = target.public_url.is_some_and(|public| {
        path(public) != path(&request.url) || !query(&request.url).is_empty()
    });
    if differs {
        report.reasons.push(reason(
            ReasonCode::UrlChanged,
            format!(
                "The signature does not match any variant of the URL. The request arrived at a \
                 path or query ({}) other than the public URL set at the provider ({}): Twilio \
                 signs the exact URL it posts to, so a proxy that rewrites the path or query \
                 (or a request to another URL) fails.",
                report.received_url,
                report.public_url.clone().unwrap_or_default()
            ),
        ));
        return;
    }
    let message = if json {
        "The signature does not match any variant of the URL with the saved Auth Token: the \
         Auth Token saved for this connector is not the one Twilio signs with (rotated in the \
         Console, or another account or subaccount)."
    } else {
        "The signature does not match any variant of the URL with this body and the saved Auth \
         Token: either the body was changed on the way (a proxy or framework re-encoding the \
         form, a parameter added or dropped), or the Auth Token saved for this connector is not \
         the one Twilio signs with (rotated in the Console, or another account or subaccount)."
    };
    report
        .reasons
        .push(reason(ReasonCode::TokenOrBody, message));
}

fn telnyx(request: &CapturedRequest, target: &Target<'_>, report: &mut InspectReport) -> Verdict {
    let public_key = match &target.connector.settings {
        ConnectorSettings::Telnyx(settings) => settings.public_key.as_deref(),
        _ => None,
    };
    let Some(public_key) = public_key else {
        report.reasons.push(reason(
            ReasonCode::NoPublicKey,
            "Cannot verify: the connector has no Telnyx public key. Copy it from the Telnyx \
             portal (Mission Control, Keys & Credentials, Public Key) into the connector's \
             settings.",
        ));
        return Verdict::CannotVerify;
    };
    let signature = header(request, TELNYX_SIGNATURE_HEADER).unwrap_or("");
    let timestamp = header(request, TELNYX_TIMESTAMP_HEADER).unwrap_or("");
    let result = verify_telnyx(
        public_key,
        timestamp,
        signature,
        request.body.as_bytes(),
        target.now,
        TELNYX_TOLERANCE,
    );
    let (code, message) = match result {
        Ok(()) => return Verdict::Valid,
        Err(SignatureError::Missing) => (
            ReasonCode::MissingSignature,
            "The request has no telnyx-signature-ed25519 header: it did not come from Telnyx (or \
             a proxy dropped the header)."
                .to_owned(),
        ),
        Err(SignatureError::Stale { skew_seconds, .. }) => (
            ReasonCode::OldTimestamp,
            format!(
                "The signature is {} s {} the telnyx-timestamp, more than the 300 s allowed: \
                 a replayed or long-delayed request, or this computer's clock is wrong.",
                skew_seconds.unsigned_abs(),
                if skew_seconds >= 0 { "past" } else { "before" }
            ),
        ),
        Err(SignatureError::BadKey) => (
            ReasonCode::BadPublicKey,
            "The saved Telnyx public key is not base64 of a 32-byte Ed25519 key: copy it again \
             from Mission Control (Keys & Credentials, Public Key)."
                .to_owned(),
        ),
        Err(SignatureError::BadTimestamp) => (
            ReasonCode::MissingSignature,
            "The telnyx-timestamp header is missing or not a Unix time in seconds.".to_owned(),
        ),
        Err(_) => (
            ReasonCode::TokenOrBody,
            "The Ed25519 signature does not match this body and timestamp: the body was changed \
             on the way, or the saved public key is another Telnyx account's."
                .to_owned(),
        ),
    };
    report.reasons.push(reason(code, message));
    Verdict::Invalid
}

/// The text of an inbound message (Twilio `Body`, Telnyx `payload.text`, 46elks `message`), for
/// storing it with the connector's messages; never echoed in a report.
pub(crate) fn message_text(request: &CapturedRequest, provider: ProviderKind) -> Option<String> {
    let text = match provider {
        ProviderKind::Twilio if is_json(request) => serde_json::from_str::<Value>(&request.body)
            .ok()?["Body"]
            .as_str()
            .map(str::to_owned),
        ProviderKind::Twilio => form_params(&request.body)
            .into_iter()
            .find_map(|(name, value)| (name == "Body").then_some(value)),
        ProviderKind::Telnyx => {
            serde_json::from_str::<Value>(&request.body).ok()?["data"]["payload"]["text"]
                .as_str()
                .map(str::to_owned)
        }
        ProviderKind::Elks46 => form_params(&request.body)
            .into_iter()
            .find_map(|(name, value)| (name == "message").then_some(value)),
        ProviderKind::Smtp => None,
    };
    text.filter(|t| !t.is_empty())
}

/// The kind, number, other party, message id and status, as far as the body tells.
fn describe_content(request: &CapturedRequest, provider: ProviderKind, report: &mut InspectReport) {
    match provider {
        ProviderKind::Twilio => {
            let fields: BTreeMap<String, String> = if is_json(request) {
                serde_json::from_str::<BTreeMap<String, Value>>(&request.body)
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|(k, v)| v.as_str().map(|v| (k, v.to_owned())))
                    .collect()
            } else {
                let mut fields = form_params(&request.body);
                if request.method.eq_ignore_ascii_case("GET") {
                    fields = form_params(query(&request.url).trim_start_matches('?'));
                }
                fields.into_iter().collect()
            };
            let get = |name: &str| fields.get(name).filter(|v| !v.is_empty()).cloned();
            report.message_id = get("MessageSid").or_else(|| get("SmsSid"));
            match get("MessageStatus") {
                Some(status) if status != "received" => {
                    report.kind = WebhookKind::StatusCallback;
                    report.status = Some(status);
                    report.error_code = get("ErrorCode");
                    report.number = get("From").map(|n| strip_channel(&n));
                    report.other_party = get("To").map(|n| strip_channel(&n));
                }
                _ if get("Body").is_some() || get("NumMedia").is_some() => {
                    report.kind = WebhookKind::InboundMessage;
                    report.number = get("To").map(|n| strip_channel(&n));
                    report.other_party = get("From").map(|n| strip_channel(&n));
                }
                _ => {}
            }
        }
        ProviderKind::Telnyx => {
            let Ok(event) = serde_json::from_str::<Value>(&request.body) else {
                return;
            };
            let data = &event["data"];
            let payload = &data["payload"];
            let phone = |value: &Value| {
                value["phone_number"]
                    .as_str()
                    .or_else(|| value.as_str())
                    .map(str::to_owned)
            };
            let first_to = &payload["to"][0];
            report.message_id = payload["id"].as_str().map(str::to_owned);
            match data["event_type"].as_str() {
                Some("message.received") => {
                    report.kind = WebhookKind::InboundMessage;
                    report.number = phone(first_to);
                    report.other_party = phone(&payload["from"]);
                }
                Some(event) if event.starts_with("message.") => {
                    report.kind = WebhookKind::StatusCallback;
                    report.status = first_to["status"].as_str().map(str::to_owned);
                    report.error_code = payload["errors"][0]["code"]
                        .as_str()
                        .map(str::to_owned)
                        .or_else(|| payload["errors"][0]["code"].as_i64().map(|c| c.to_string()));
                    report.number = phone(&payload["from"]);
                    report.other_party = phone(first_to);
                }
                _ => {}
            }
        }
        ProviderKind::Elks46 => {
            let fields: BTreeMap<String, String> = form_params(&request.body).into_iter().collect();
            let get = |name: &str| fields.get(name).filter(|v| !v.is_empty()).cloned();
            report.message_id = get("id");
            if get("direction").as_deref() == Some("incoming") {
                report.kind = WebhookKind::InboundMessage;
                report.number = get("to");
                report.other_party = get("from");
            } else if let Some(status) = get("status") {
                report.kind = WebhookKind::StatusCallback;
                report.status = Some(status);
            }
        }
        ProviderKind::Smtp => {}
    }
}
