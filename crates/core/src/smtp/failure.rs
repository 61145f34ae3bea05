//! What went wrong talking to a mail server, typed, and worded like a provider failure (cause and
//! fix in plain words; the SMTP reply code as the "provider code") so the app, the CLI and the
//! store carry it as a [`ProviderFailure`] of provider `smtp`.

use std::error::Error as _;

use switchboard_providers::{FailureKind, Provider, ProviderFailure};

/// Why an SMTP session failed. Never carries the password: a server's reply text is kept only
/// after the password has been scrubbed from it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SmtpError {
    /// The connector's settings cannot make a session (no host, no TLS to a remote host, …).
    #[error("the SMTP settings cannot be used: {0}")]
    Settings(String),
    /// A login is set but no password is stored.
    #[error("no SMTP password is stored for this connector")]
    NoPassword,
    #[error("the mail server's address could not be found")]
    Dns,
    #[error("the mail server refused the connection")]
    Refused,
    #[error("the mail server did not answer within {seconds} s")]
    Timeout { seconds: u64 },
    /// The server's certificate does not chain to a trusted CA (`detail` says how).
    #[error("the mail server's certificate is not trusted: {detail}")]
    UntrustedCertificate { detail: String },
    /// The certificate is trusted but names another host.
    #[error("the mail server's certificate is for another name: {detail}")]
    CertificateName { detail: String },
    #[error("the secure connection failed: {detail}")]
    Tls { detail: String },
    #[error("the mail server does not offer STARTTLS")]
    NoStarttls,
    #[error("the mail server refused the login ({code}: {message})")]
    AuthRejected { code: String, message: String },
    #[error("the mail server offers no login method Switchboard can use (PLAIN or LOGIN)")]
    NoAuthMechanism,
    /// The server wants a login but the connector has none.
    #[error("the mail server requires a login ({code}: {message})")]
    AuthRequired { code: String, message: String },
    /// The server answered a command with an error reply.
    #[error("the mail server refused {step} ({code}: {message})")]
    Refusal {
        step: &'static str,
        code: String,
        message: String,
    },
    #[error("the address {0} cannot be used")]
    Address(String),
    #[error("the connection to the mail server failed: {detail}")]
    Network { detail: String },
}

impl SmtpError {
    /// The failure as the app and the CLI show it (cause, fix, SMTP code), for a credential check
    /// (`checking`) or a send.
    pub fn failure(&self, checking: bool) -> ProviderFailure {
        let (kind, cause, fix): (FailureKind, String, String) = match self {
            Self::Settings(why) => (
                FailureKind::InvalidConnectionSettings,
                format!("The connector's SMTP settings cannot be used: {why}."),
                "Edit the connector's settings.".into(),
            ),
            Self::NoPassword => (
                FailureKind::InvalidConnectionSettings,
                "A login is set but no SMTP password is stored.".into(),
                "Edit the connector and enter the SMTP password.".into(),
            ),
            Self::Dns => (
                FailureKind::Unreachable,
                "The mail server's host name could not be found.".into(),
                "Check the SMTP host for typos and that this computer is online.".into(),
            ),
            Self::Refused => (
                FailureKind::Unreachable,
                "The mail server refused the connection: nothing listens on that port.".into(),
                "Check the SMTP host and port (587 for STARTTLS, 465 for TLS) and that the \
                 server is running."
                    .into(),
            ),
            Self::Timeout { seconds } => (
                FailureKind::Unreachable,
                format!("The mail server did not answer within {seconds} seconds."),
                "Check the SMTP host and port, and that a firewall lets this computer reach it."
                    .into(),
            ),
            Self::UntrustedCertificate { .. } => (
                FailureKind::Unreachable,
                "The mail server's certificate is not signed by an authority Switchboard \
                 trusts, so the connection was not made secure."
                    .into(),
                "If the hotel runs its own mail server, add your mail server's CA certificate \
                 (PEM) to the connector; otherwise check the SMTP host."
                    .into(),
            ),
            Self::CertificateName { .. } => (
                FailureKind::Unreachable,
                "The mail server's certificate is made out to another host name.".into(),
                "Use the host name the certificate names (ask whoever runs the mail server)."
                    .into(),
            ),
            Self::Tls { .. } => (
                FailureKind::Unreachable,
                "The secure (TLS) connection to the mail server failed.".into(),
                "Check the security setting: STARTTLS usually on port 587, TLS on port 465.".into(),
            ),
            Self::NoStarttls => (
                FailureKind::Unreachable,
                "The mail server does not offer STARTTLS on this port.".into(),
                "Use port 587 with STARTTLS, or port 465 with TLS.".into(),
            ),
            Self::AuthRejected { .. } => (
                FailureKind::InvalidCredentials,
                "The mail server did not accept the username and password.".into(),
                "Check the SMTP username and enter the password again.".into(),
            ),
            Self::NoAuthMechanism => (
                FailureKind::InvalidConnectionSettings,
                "The mail server offers no login method Switchboard can use (PLAIN or LOGIN), \
                 or none on this connection."
                    .into(),
                "Use the port and security the mail server's provider documents for logging in."
                    .into(),
            ),
            Self::AuthRequired { .. } => (
                FailureKind::InvalidCredentials,
                "The mail server requires a login.".into(),
                "Edit the connector and enter the SMTP username and password.".into(),
            ),
            Self::Refusal { .. } | Self::Network { .. } => (
                if checking {
                    FailureKind::CredentialCheckFailed
                } else {
                    FailureKind::SendMessageFailed
                },
                format!("The {}.", without_article(self)),
                if checking {
                    "Check the connector's settings, then check it again.".into()
                } else {
                    "Check the connector with \"Check again\"; the mail server's answer above \
                     says what it refused."
                        .into()
                },
            ),
            Self::Address(address) => (
                FailureKind::InvalidRecipient,
                format!("The address '{address}' cannot be used for an email."),
                "Correct the backup email address.".into(),
            ),
        };
        let (code, message) = match self {
            Self::AuthRejected { code, message }
            | Self::AuthRequired { code, message }
            | Self::Refusal { code, message, .. } => (Some(code.clone()), message.clone()),
            Self::UntrustedCertificate { detail }
            | Self::CertificateName { detail }
            | Self::Tls { detail }
            | Self::Network { detail } => (None, detail.clone()),
            _ => (None, String::new()),
        };
        ProviderFailure {
            provider: Provider::Smtp,
            kind,
            provider_code: code,
            http_status: None,
            message,
            cause,
            fix,
            docs_url: None,
        }
    }
}

/// "the mail server refused …" without its "the", to follow a capital "The".
fn without_article(error: &SmtpError) -> String {
    let text = error.to_string();
    text.strip_prefix("the ")
        .map_or(text.clone(), str::to_owned)
}

/// Where in the session an error happened, which decides what an error reply means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    Connect,
    Starttls,
    Auth,
    Mail,
}

impl Step {
    fn refused(self) -> &'static str {
        match self {
            Step::Connect => "the connection",
            Step::Starttls => "STARTTLS",
            Step::Auth => "the login",
            Step::Mail => "the message",
        }
    }
}

/// Reads a lettre error: its reply code, or the I/O or TLS error in its source chain. `password`
/// is scrubbed from any text kept.
pub(crate) fn classify(
    error: &lettre::transport::smtp::Error,
    step: Step,
    password: &str,
) -> SmtpError {
    let scrub = |text: String| match password.is_empty() {
        true => text,
        false => text.replace(password, "[redacted]"),
    };
    if let Some(code) = error.status() {
        let code = code.to_string();
        let message = scrub(error.source().map(ToString::to_string).unwrap_or_default());
        return match (step, code.as_str()) {
            // 535: credentials invalid; 534: this password is not allowed here (e.g. an app
            // password is required).
            (Step::Auth, "535" | "534") => SmtpError::AuthRejected { code, message },
            (Step::Mail, "530") => SmtpError::AuthRequired { code, message },
            _ => SmtpError::Refusal {
                step: step.refused(),
                code,
                message,
            },
        };
    }
    if error.is_timeout() {
        return SmtpError::Timeout { seconds: 0 };
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = error.source();
    while let Some(current) = source {
        if let Some(tls) = as_rustls(current) {
            return tls_error(tls);
        }
        if let Some(io) = current.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => return SmtpError::Refused,
                std::io::ErrorKind::TimedOut => return SmtpError::Timeout { seconds: 0 },
                _ => {}
            }
        }
        source = current.source();
    }
    let detail = scrub(error.to_string());
    if error.is_tls() {
        SmtpError::Tls { detail }
    } else {
        SmtpError::Network { detail }
    }
}

/// A rustls error, directly or inside an `io::Error` (whose `source()` skips the error it wraps).
fn as_rustls<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    error.downcast_ref::<rustls::Error>().or_else(|| {
        error
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|inner| inner.downcast_ref::<rustls::Error>())
    })
}

fn tls_error(error: &rustls::Error) -> SmtpError {
    use rustls::CertificateError as Cert;
    let detail = error.to_string();
    match error {
        rustls::Error::InvalidCertificate(Cert::UnknownIssuer | Cert::BadSignature) => {
            SmtpError::UntrustedCertificate { detail }
        }
        rustls::Error::InvalidCertificate(Cert::NotValidForName)
        | rustls::Error::InvalidCertificate(Cert::NotValidForNameContext { .. }) => {
            SmtpError::CertificateName { detail }
        }
        _ => SmtpError::Tls { detail },
    }
}
