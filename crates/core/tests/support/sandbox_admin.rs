//! The sandbox's admin API (`/_sandbox/*`: accounts, latency, faults, the request log) as core's
//! tests call it, with the sandbox's admin token. Included by each test file with `#[path]`.

use serde_json::Value;
use switchboard_sandbox::RunningSandbox;

/// Calls `/_sandbox/{path}`; an answer other than 2xx fails the test. `Null` when the answer
/// has no JSON body.
pub async fn admin(
    sandbox: &RunningSandbox,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> Value {
    let mut request = reqwest::Client::new()
        .request(method, sandbox.admin_url(path))
        .bearer_auth(sandbox.admin_token());
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    response.json().await.unwrap_or(Value::Null)
}
