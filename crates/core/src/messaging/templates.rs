//! The WhatsApp templates of a Twilio account (Content API `ContentAndApprovals`), as the Send
//! test form offers them: name, language, category, approval, the text with its placeholders,
//! and each variable with its default.

use serde::{Deserialize, Serialize};
use switchboard_providers::AnyProviderClient;
use switchboard_providers::twilio::ContentWithApprovals;

use crate::adapter::client_for;
use crate::error::CoreError;
use crate::service::Switchboard;

/// A template's variable: its placeholder name (`1`, `customer`) and the default the account
/// gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TemplateVariable {
    pub name: String,
    pub default: Option<String>,
}

/// One template of the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Template {
    /// `HX…`.
    pub sid: String,
    pub name: String,
    pub language: Option<String>,
    /// WhatsApp's category (`UTILITY`, `MARKETING`, `AUTHENTICATION`).
    pub category: Option<String>,
    /// WhatsApp's approval status (`approved`, `pending`, `rejected`, `unsubmitted`…).
    pub status: String,
    pub approved: bool,
    pub rejection_reason: Option<String>,
    /// The text with its `{{…}}` placeholders, for a preview.
    pub body: Option<String>,
    /// Every placeholder of the text and every variable with a default, in order.
    pub variables: Vec<TemplateVariable>,
}

/// The `{{name}}` placeholders of `body`, in order of first appearance.
fn placeholders(body: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut rest = body;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let name = after[..end].trim().to_owned();
        if !name.is_empty() && !found.contains(&name) {
            found.push(name);
        }
        rest = &after[end + 2..];
    }
    found
}

fn template(content: &ContentWithApprovals) -> Option<Template> {
    let sid = content.sid.clone()?;
    let approval = content.whatsapp_approval();
    let body = content.types.as_ref().and_then(|types| {
        types
            .values()
            .find_map(|kind| kind.get("body").and_then(|b| b.as_str()))
            .map(str::to_owned)
    });
    let defaults = content.variables.clone().unwrap_or_default();
    let mut names = body.as_deref().map(placeholders).unwrap_or_default();
    for name in defaults.keys() {
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
    let variables = names
        .into_iter()
        .map(|name| TemplateVariable {
            default: defaults
                .get(&name)
                .and_then(|v| v.as_str())
                .map(str::to_owned),
            name,
        })
        .collect();
    let status = approval
        .as_ref()
        .and_then(|a| a.status.clone())
        .unwrap_or_else(|| "unsubmitted".to_owned());
    Some(Template {
        name: content.friendly_name.clone().unwrap_or_else(|| sid.clone()),
        sid,
        language: content.language.clone(),
        category: approval.as_ref().and_then(|a| a.category.clone()),
        approved: approval.as_ref().is_some_and(|a| a.is_approved()),
        rejection_reason: approval.and_then(|a| a.rejection_reason),
        status,
        body,
        variables,
    })
}

impl Switchboard {
    /// The account's WhatsApp templates: the approved ones, or with `all` every one with its
    /// status. Only a Twilio connector has them.
    pub async fn message_templates(
        &self,
        connector: &str,
        all: bool,
    ) -> Result<Vec<Template>, CoreError> {
        let reference = connector.to_owned();
        let (connector, secret) = self
            .blocking(move |core| {
                let connector = core.connector_resolve(&reference)?;
                let secret = core.connector_secret(&connector.id)?;
                Ok((connector, secret))
            })
            .await?;
        let client = client_for(&connector, secret, self.provider_timeout())?;
        let AnyProviderClient::Twilio(twilio) = client else {
            return Err(CoreError::Conflict(format!(
                "'{}' is not a Twilio connector: WhatsApp templates live in a Twilio account",
                connector.name
            )));
        };
        let contents = twilio
            .list_content_and_approvals()
            .await
            .map_err(|e| CoreError::from(e.failure()))?;
        let mut templates: Vec<Template> = contents
            .iter()
            .filter_map(template)
            .filter(|t| all || t.approved)
            .collect();
        templates.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(templates)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_come_in_order_once() {
        assert_eq!(
            placeholders("Hi {{1}}, order {{ 2 }} for {{1}}; {{name}}"),
            ["1", "2", "name"]
        );
        assert!(placeholders("no variables {{").is_empty());
    }
}
