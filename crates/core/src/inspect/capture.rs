//! Reading a captured request: JSON `{method, url, headers, body}`, or raw HTTP text as a server
//! logged it (request line, headers, a blank line, the body).

use super::CapturedRequest;

/// Why a pasted request cannot be read (never echoes its content, which may hold a token).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaptureError {
    #[error("the request is neither JSON {{method, url, headers, body}} nor raw HTTP text: {0}")]
    Unreadable(String),
}

/// Reads a captured request. Raw HTTP with a path-only request line gets its URL from the
/// `Host` header, as `http://` (what a server behind a TLS proxy sees; the https variant is
/// tried too). One trailing line break after the body is dropped (editors add it).
pub fn parse_captured(text: &str) -> Result<CapturedRequest, CaptureError> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        let request: CapturedRequest = serde_json::from_str(trimmed).map_err(|e| {
            CaptureError::Unreadable(format!("invalid JSON ({})", json_problem(&e)))
        })?;
        if request.url.trim().is_empty() {
            return Err(CaptureError::Unreadable("the JSON has no \"url\"".into()));
        }
        return Ok(request);
    }
    let (head, body) = match trimmed.find("\r\n\r\n") {
        Some(at) => (&trimmed[..at], &trimmed[at + 4..]),
        None => match trimmed.find("\n\n") {
            Some(at) => (&trimmed[..at], &trimmed[at + 2..]),
            None => (trimmed, ""),
        },
    };
    let mut lines = head.lines();
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return Err(CaptureError::Unreadable(
            "the first line is not \"METHOD URL HTTP/1.1\"".into(),
        ));
    };
    let mut request = CapturedRequest {
        method: method.to_ascii_uppercase(),
        ..CapturedRequest::default()
    };
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            return Err(CaptureError::Unreadable(
                "a header line has no \"Name: value\" form".into(),
            ));
        };
        request
            .headers
            .insert(name.trim().to_owned(), value.trim().to_owned());
    }
    request.url = if target.contains("://") {
        target.to_owned()
    } else {
        let host = request
            .headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("host"))
            .map(|(_, value)| value.clone())
            .ok_or_else(|| {
                CaptureError::Unreadable(
                    "the request line has a path only and there is no Host header".into(),
                )
            })?;
        format!("http://{host}{target}")
    };
    let body = body
        .strip_suffix("\r\n")
        .or_else(|| body.strip_suffix('\n'))
        .unwrap_or(body);
    request.body = body.to_owned();
    Ok(request)
}

fn json_problem(error: &serde_json::Error) -> &'static str {
    match error.classify() {
        serde_json::error::Category::Io => "could not be read",
        serde_json::error::Category::Syntax => "a syntax error",
        serde_json::error::Category::Data => "a field has the wrong type",
        serde_json::error::Category::Eof => "it ends too early",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_http_and_json_are_read() {
        let raw = "POST /sb/inbound/c/t?x=1 HTTP/1.1\r\nHost: 10.0.0.5:8080\r\nX-Twilio-Signature: abc=\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\nBody=Hi&To=%2B1\n";
        let request = parse_captured(raw).unwrap();
        assert_eq!(request.method, "POST");
        assert_eq!(request.url, "http://10.0.0.5:8080/sb/inbound/c/t?x=1");
        assert_eq!(request.headers["X-Twilio-Signature"], "abc=");
        assert_eq!(request.body, "Body=Hi&To=%2B1");

        let absolute = parse_captured("POST https://h.example/inbound/c/t HTTP/1.1\n\n{}").unwrap();
        assert_eq!(absolute.url, "https://h.example/inbound/c/t");
        assert_eq!(absolute.body, "{}");

        let json = parse_captured(
            r#"{"url": "https://h.example/inbound/c/t", "headers": {"a": "b"}, "body": "x"}"#,
        )
        .unwrap();
        assert_eq!(json.method, "");
        assert_eq!(json.headers["a"], "b");
    }

    #[test]
    fn unreadable_requests_say_why_without_echoing_them() {
        for (text, words) in [
            ("{\"url\": 5}", "wrong type"),
            ("{}", "no \"url\""),
            ("hello", "first line"),
            ("POST /inbound/c/s3cret HTTP/1.1\n\nx", "no Host"),
            ("POST /x HTTP/1.1\nHost h\n\n", "Name: value"),
        ] {
            let error = parse_captured(text).unwrap_err().to_string();
            assert!(error.contains(words), "{text}: {error}");
            assert!(!error.contains("s3cret"), "{error}");
        }
    }
}
