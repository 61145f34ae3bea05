//! Content API v1: templates (`/v1/Content`) and their WhatsApp approvals
//! (`/v1/ContentAndApprovals`, `/v1/Content/{Sid}/ApprovalRequests`).

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::Uri;
use serde_json::{Value, json};

use super::{ApiBase, Page, PageRequest, TwilioAuth, TwilioError, TwilioResult};
use crate::clock::{self, Timestamp};
use crate::params::Params;
use crate::state::Sandbox;

#[derive(Debug, Clone)]
pub struct ContentTemplate {
    pub sid: String,
    pub friendly_name: String,
    pub language: String,
    /// Default placeholder values, e.g. `{"1": "name"}`.
    pub variables: Value,
    /// Keyed by content type, e.g. `{"twilio/text": {"body": "Hi {{1}}"}}`.
    pub types: Value,
    pub approval: Approval,
    pub date_created: Timestamp,
}

#[derive(Debug, Clone)]
pub struct Approval {
    /// WhatsApp template name (lower snake case).
    pub name: String,
    /// `UTILITY`, `MARKETING`, `AUTHENTICATION`.
    pub category: String,
    /// `approved`, `rejected`, `pending`, `unsubmitted`…
    pub status: String,
    pub rejection_reason: String,
}

impl ContentTemplate {
    fn content_type(&self) -> String {
        self.types
            .as_object()
            .and_then(|types| types.keys().next().cloned())
            .unwrap_or_default()
    }

    fn render_common(&self, account_sid: &str) -> serde_json::Map<String, Value> {
        let date = clock::iso8601(&self.date_created);
        let value = json!({
            "date_created": date,
            "date_updated": date,
            "sid": self.sid,
            "account_sid": account_sid,
            "friendly_name": self.friendly_name,
            "language": self.language,
            "variables": self.variables,
            "types": self.types,
        });
        match value {
            Value::Object(map) => map,
            _ => serde_json::Map::new(),
        }
    }

    fn render(&self, account_sid: &str, base: &str) -> Value {
        let url = format!("{base}/v1/Content/{}", self.sid);
        let mut map = self.render_common(account_sid);
        map.insert("url".into(), json!(url));
        map.insert(
            "links".into(),
            json!({
                "approval_create": format!("{url}/ApprovalRequests/whatsapp"),
                "approval_fetch": format!("{url}/ApprovalRequests"),
            }),
        );
        Value::Object(map)
    }

    fn approval_fields(&self) -> Value {
        json!({
            "name": self.approval.name,
            "category": self.approval.category,
            "content_type": self.content_type(),
            "status": self.approval.status,
            "rejection_reason": self.approval.rejection_reason,
            "allow_category_change": false,
        })
    }

    fn render_with_approvals(&self, account_sid: &str) -> Value {
        let mut map = self.render_common(account_sid);
        map.insert("approval_requests".into(), self.approval_fields());
        Value::Object(map)
    }
}

fn list_page(
    sandbox: &Sandbox,
    auth: &TwilioAuth,
    query: Option<&str>,
    render: impl Fn(&ContentTemplate) -> Value,
) -> TwilioResult<(Page, PageRequest)> {
    auth.require_active()?;
    let params = Params::from_query(query);
    let request = PageRequest::from_params(&params, 50);
    let world = sandbox.world();
    let account = world
        .twilio
        .get(&auth.account_sid)
        .ok_or_else(TwilioError::authenticate)?;
    let page = Page::of(&account.contents, &request, |c| c.sid.as_str(), render);
    Ok((page, request))
}

pub async fn list(
    State(sandbox): State<Arc<Sandbox>>,
    auth: TwilioAuth,
    ApiBase(base): ApiBase,
    RawQuery(query): RawQuery,
) -> TwilioResult<Json<Value>> {
    let account_sid = auth.account_sid.clone();
    let (page, request) = list_page(&sandbox, &auth, query.as_deref(), |c| {
        c.render(&account_sid, &base)
    })?;
    let url = format!("{base}/v1/Content");
    Ok(Json(page.render_meta("contents", &url, &[], &request)))
}

pub async fn list_with_approvals(
    State(sandbox): State<Arc<Sandbox>>,
    auth: TwilioAuth,
    ApiBase(base): ApiBase,
    RawQuery(query): RawQuery,
) -> TwilioResult<Json<Value>> {
    let account_sid = auth.account_sid.clone();
    let (page, request) = list_page(&sandbox, &auth, query.as_deref(), |c| {
        c.render_with_approvals(&account_sid)
    })?;
    let url = format!("{base}/v1/ContentAndApprovals");
    Ok(Json(page.render_meta("contents", &url, &[], &request)))
}

fn find<'a>(
    world: &'a crate::state::World,
    auth: &TwilioAuth,
    content_sid: &str,
    uri: &Uri,
) -> TwilioResult<&'a ContentTemplate> {
    auth.require_active()?;
    world
        .twilio
        .get(&auth.account_sid)
        .and_then(|account| account.contents.iter().find(|c| c.sid == content_sid))
        .ok_or_else(|| TwilioError::not_found(uri.path()))
}

pub async fn fetch(
    State(sandbox): State<Arc<Sandbox>>,
    auth: TwilioAuth,
    ApiBase(base): ApiBase,
    Path(content_sid): Path<String>,
    uri: Uri,
) -> TwilioResult<Json<Value>> {
    let world = sandbox.world();
    let template = find(&world, &auth, &content_sid, &uri)?;
    Ok(Json(template.render(&auth.account_sid, &base)))
}

pub async fn fetch_approvals(
    State(sandbox): State<Arc<Sandbox>>,
    auth: TwilioAuth,
    ApiBase(base): ApiBase,
    Path(content_sid): Path<String>,
    uri: Uri,
) -> TwilioResult<Json<Value>> {
    let world = sandbox.world();
    let template = find(&world, &auth, &content_sid, &uri)?;
    let mut whatsapp = template.approval_fields();
    if let Some(map) = whatsapp.as_object_mut() {
        map.insert("type".into(), json!("whatsapp"));
    }
    Ok(Json(json!({
        "sid": template.sid,
        "account_sid": auth.account_sid,
        "whatsapp": whatsapp,
        "url": format!("{base}/v1/Content/{}/ApprovalRequests", template.sid),
    })))
}
