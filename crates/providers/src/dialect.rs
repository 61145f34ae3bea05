//! A provider's error dialect: how it writes an error body and what its codes mean beyond the
//! shared table. The HTTP executor is handed one, so the executor and the error types never
//! import a provider.

use url::Url;

use crate::error::{ApiErrorBody, ProviderError};
use crate::failure::{CallContext, FailureKind, table};
use crate::provider::Provider;

pub(crate) trait Dialect: Send + Sync + 'static {
    fn provider(&self) -> Provider;

    /// Reads whatever the provider sent with a non-success status; never fails.
    fn parse_error_body(&self, body: &[u8]) -> ApiErrorBody;

    /// The kind, given what the shared code table says (`by_table`); override where the
    /// provider's answer says more than its code (a blamed field, a message's wording).
    fn refine(
        &self,
        _http_status: u16,
        _body: &ApiErrorBody,
        by_table: Option<FailureKind>,
    ) -> Option<FailureKind> {
        by_table
    }

    /// The provider's page for this error, if it has one.
    fn docs_url(&self, code: Option<&str>, more_info: Option<&str>) -> Option<String>;
}

/// Builds the typed error for a non-success answer: the dialect's reading of the body,
/// classified by the table, the HTTP status and finally what the call was for.
pub(crate) fn api_error(
    dialect: &dyn Dialect,
    http_status: u16,
    body: ApiErrorBody,
    context: CallContext,
) -> ProviderError {
    let provider = dialect.provider();
    let row = body
        .code
        .as_deref()
        .and_then(|code| table::lookup(provider, code));
    let kind = if http_status == 429 {
        // Whatever the code, a 429 was never processed: say so.
        FailureKind::RateLimited
    } else {
        dialect
            .refine(http_status, &body, row.map(|row| row.kind))
            .or_else(|| table::kind_for_status(http_status))
            .unwrap_or_else(|| context.fallback_kind())
    };
    let hint = row
        .filter(|row| row.kind == kind)
        .and_then(|row| row.hint.as_ref())
        .or_else(|| table::status_hint(provider, http_status, kind));
    let docs_url = dialect.docs_url(body.code.as_deref(), body.more_info.as_deref());
    body.into_error(provider, http_status, kind, hint, docs_url)
}

/// `url` when it is an https link on `domain` or one of its subdomains — a provider's body is
/// not trusted to put any other link in front of the user.
pub(crate) fn https_link_on(url: &str, domain: &str) -> Option<String> {
    let parsed = Url::parse(url.trim()).ok()?;
    let host = parsed.host_str()?;
    let on_domain = host == domain || host.ends_with(&format!(".{domain}"));
    (parsed.scheme() == "https" && on_domain).then(|| parsed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_links_on_the_provider_domain_are_kept() {
        let cases = [
            ("https://www.twilio.com/docs/errors/20003", true),
            ("https://twilio.com/docs/errors/20003", true),
            ("http://www.twilio.com/docs/errors/20003", false),
            ("https://www.twilio.com.evil.example/x", false),
            ("https://eviltwilio.com/x", false),
            ("javascript:alert(1)", false),
            ("not a url", false),
        ];
        for (url, kept) in cases {
            assert_eq!(https_link_on(url, "twilio.com").is_some(), kept, "{url}");
        }
    }
}
