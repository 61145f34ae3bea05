//! One SMTP session through `lettre`: connect (implicit TLS, STARTTLS or plain to this machine),
//! EHLO, AUTH, then optionally one message. Every step runs under one overall timeout.

use std::future::Future;
use std::time::Duration;

use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, Certificate, TlsParameters};
use lettre::transport::smtp::extension::ClientId;

use super::failure::{SmtpError, Step, classify};
use super::{SmtpConfig, ca_certificates};
use crate::model::SmtpSecurity;
use crate::secrets::Sensitive;

/// The login methods tried, in order; both send the password as is, which is why a session
/// without TLS is allowed only to this machine.
const MECHANISMS: [Mechanism; 2] = [Mechanism::Plain, Mechanism::Login];

/// What a session learned about the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Greeting {
    /// The name the server gives in its EHLO answer.
    pub server_name: String,
    pub encrypted: bool,
    pub logged_in: bool,
}

pub(crate) struct Session {
    connection: AsyncSmtpConnection,
    greeting: Greeting,
    /// Only to scrub it from server replies that are kept.
    password: Option<Sensitive<String>>,
}

impl Session {
    pub fn greeting(&self) -> &Greeting {
        &self.greeting
    }

    /// Sends one message (`from` and `to` already parsed by the caller) and returns the server's
    /// reply (e.g. `250 2.0.0 Ok: queued as …`).
    pub async fn send(
        &mut self,
        envelope: &lettre::address::Envelope,
        message: &[u8],
        timeout: Duration,
    ) -> Result<String, SmtpError> {
        let password = self
            .password
            .as_ref()
            .map(|p| p.expose().as_str())
            .unwrap_or("");
        let sent = within(timeout, async {
            self.connection
                .send(envelope, message)
                .await
                .map_err(|e| classify(&e, Step::Mail, password))
        })
        .await?;
        let reply = sent.message().collect::<Vec<_>>().join(" ");
        Ok(format!("{} {reply}", sent.code()))
    }

    /// Says goodbye; a server that hangs up first is not an error worth reporting.
    pub async fn quit(mut self) {
        let _ = tokio::time::timeout(Duration::from_secs(5), self.connection.quit()).await;
    }
}

/// Connects, secures, greets and logs in.
pub(crate) async fn open(
    config: &SmtpConfig,
    password: Option<Sensitive<String>>,
    timeout: Duration,
) -> Result<Session, SmtpError> {
    let credentials = match (&config.username, &password) {
        (Some(username), Some(password)) => Some(Credentials::new(
            username.clone(),
            password.expose().clone(),
        )),
        (Some(_), None) => return Err(SmtpError::NoPassword),
        (None, _) => None,
    };
    let scrub = password
        .as_ref()
        .map(|p| p.expose().clone())
        .unwrap_or_default();
    let host = config
        .host
        .trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let tls = match config.security {
        SmtpSecurity::None => None,
        SmtpSecurity::Starttls | SmtpSecurity::Tls => Some(tls_parameters(config, &host)?),
    };
    let hello = ClientId::default();
    let (connection, logged_in) = within(timeout, async {
        let implicit = match config.security {
            SmtpSecurity::Tls => tls.clone(),
            _ => None,
        };
        // Resolved here so that a name that does not resolve is told apart by type, not by text.
        let addresses: Vec<std::net::SocketAddr> =
            match tokio::net::lookup_host((host.as_str(), config.port)).await {
                Ok(found) => found.collect(),
                Err(_) => Vec::new(),
            };
        if addresses.is_empty() {
            return Err(SmtpError::Dns);
        }
        let mut connection = AsyncSmtpConnection::connect_tokio1(
            addresses.as_slice(),
            Some(timeout),
            &hello,
            implicit,
            None,
        )
        .await
        .map_err(|e| classify(&e, Step::Connect, &scrub))?;
        if config.security == SmtpSecurity::Starttls {
            if !connection.can_starttls() {
                connection.abort().await;
                return Err(SmtpError::NoStarttls);
            }
            if let Some(tls) = tls {
                connection
                    .starttls(tls, &hello)
                    .await
                    .map_err(|e| classify(&e, Step::Starttls, &scrub))?;
            }
        }
        let Some(credentials) = credentials else {
            return Ok((connection, false));
        };
        if connection
            .server_info()
            .get_auth_mechanism(&MECHANISMS)
            .is_none()
        {
            connection.abort().await;
            return Err(SmtpError::NoAuthMechanism);
        }
        match connection.auth(&MECHANISMS, &credentials).await {
            Ok(_) => Ok((connection, true)),
            Err(error) => {
                connection.abort().await;
                Err(classify(&error, Step::Auth, &scrub))
            }
        }
    })
    .await?;
    let greeting = Greeting {
        server_name: connection.server_info().name().to_owned(),
        encrypted: connection.is_encrypted(),
        logged_in,
    };
    Ok(Session {
        connection,
        greeting,
        password,
    })
}

/// The public roots plus the connector's own CA certificates.
fn tls_parameters(config: &SmtpConfig, host: &str) -> Result<TlsParameters, SmtpError> {
    let mut builder = TlsParameters::builder(host.to_owned());
    if let Some(pem) = &config.ca_pem {
        let certificates = ca_certificates(pem).map_err(|why| {
            SmtpError::Settings(format!("the CA certificate cannot be used: {why}"))
        })?;
        for certificate in certificates {
            let certificate = Certificate::from_der(certificate.to_vec())
                .map_err(|_| SmtpError::Settings("the CA certificate cannot be used".to_owned()))?;
            builder = builder.add_root_certificate(certificate);
        }
    }
    builder.build_rustls().map_err(|e| SmtpError::Tls {
        detail: e.to_string(),
    })
}

/// Runs `work` under the session's overall timeout.
async fn within<T>(
    timeout: Duration,
    work: impl Future<Output = Result<T, SmtpError>>,
) -> Result<T, SmtpError> {
    let seconds = timeout.as_secs().max(1);
    match tokio::time::timeout(timeout, work).await {
        Ok(Err(SmtpError::Timeout { .. })) | Err(_) => Err(SmtpError::Timeout { seconds }),
        Ok(result) => result,
    }
}
