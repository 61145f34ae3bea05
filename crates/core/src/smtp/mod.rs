//! Email connectors' mail servers: [`SmtpConfig`] is what an SMTP session needs, read from a
//! connector by [`smtp_config`] (the one place that knows how the settings are stored), with the
//! rules the validator applies on save; `session` speaks SMTP through `lettre` (tokio, rustls);
//! [`failure`] words what went wrong; `check` is an Email connector's credential check. A leaf
//! below the services: the backup email itself is [`crate::email`].

mod check;
pub mod failure;
pub(crate) mod session;

use std::net::IpAddr;

use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;

use crate::adapter::LOOPBACK_ONLY_ENV;
use crate::model::{Connector, ConnectorSettings, SmtpSecurity};

pub(crate) use check::check_record;
pub use failure::SmtpError;

/// The largest CA certificate file accepted (a chain of a few certificates fits many times).
const CA_PEM_MAX: usize = 64 * 1024;

/// Everything an SMTP session needs except the password (which stays in the keychain until the
/// moment of use).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    /// The login; `None` when the server takes mail without one (a local relay).
    pub username: Option<String>,
    /// The address backup emails come from.
    pub from: String,
    /// Extra CA certificates (PEM) to trust besides the public roots.
    pub ca_pem: Option<String>,
}

/// An Email connector's SMTP settings. The only function that reads them from the connector, so a
/// change in how settings are stored is adapted here alone.
pub fn smtp_config(connector: &Connector) -> Result<SmtpConfig, SmtpError> {
    let ConnectorSettings::Smtp(smtp) = &connector.settings else {
        return Err(SmtpError::Settings(format!(
            "'{}' is not an Email connector",
            connector.name
        )));
    };
    let missing = |what: &str| SmtpError::Settings(format!("the connector has no {what}"));
    let config = SmtpConfig {
        host: Some(smtp.host.clone())
            .filter(|host| !host.is_empty())
            .ok_or_else(|| missing("SMTP host"))?,
        port: Some(smtp.port)
            .filter(|port| *port != 0)
            .ok_or_else(|| missing("SMTP port"))?,
        security: smtp.security,
        username: smtp.username.clone(),
        from: Some(smtp.from.clone())
            .filter(|from| !from.is_empty())
            .ok_or_else(|| missing("From address"))?,
        ca_pem: smtp.ca_pem.clone(),
    };
    if let Err(reason) = security_for_host(config.security, &config.host) {
        return Err(SmtpError::Settings(reason));
    }
    if std::env::var_os(LOOPBACK_ONLY_ENV).is_some() && !is_loopback_host(&config.host) {
        return Err(SmtpError::Settings(format!(
            "{LOOPBACK_ONLY_ENV} is set: only a mail server on this machine may be called"
        )));
    }
    Ok(config)
}

/// `localhost`, `127.0.0.0/8` or `::1` (with or without brackets): decided on the parsed
/// address, so `127.evil.example` is not this machine.
pub fn is_loopback_host(host: &str) -> bool {
    let host = host.trim();
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    match bare.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => ip.is_loopback(),
        Ok(IpAddr::V6(ip)) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Err(_) => bare.eq_ignore_ascii_case("localhost"),
    }
}

/// No encryption is allowed only to a mail server on this machine: anywhere else the password
/// and the guests' messages would cross the network in clear text.
pub fn security_for_host(security: SmtpSecurity, host: &str) -> Result<(), String> {
    match security {
        SmtpSecurity::None if !is_loopback_host(host) => Err(
            "Without TLS only a mail server on this machine (localhost) can be used: choose \
             STARTTLS (port 587) or TLS (port 465)"
                .to_owned(),
        ),
        _ => Ok(()),
    }
}

/// The certificates of a PEM text, each checked to be an X.509 certificate a TLS client can
/// trust as a root.
pub(crate) fn ca_certificates(pem: &str) -> Result<Vec<CertificateDer<'static>>, String> {
    let certificates = CertificateDer::pem_slice_iter(pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| "it is not readable PEM".to_owned())?;
    if certificates.is_empty() {
        return Err("it holds no -----BEGIN CERTIFICATE----- block".to_owned());
    }
    let mut roots = rustls::RootCertStore::empty();
    for certificate in &certificates {
        roots
            .add(certificate.clone())
            .map_err(|_| "a certificate in it cannot be read as X.509".to_owned())?;
    }
    Ok(certificates)
}

/// The validation rule for the extra CA certificate (field `settings.caPem`): one or more
/// PEM certificates. Returns it trimmed.
pub fn ca_pem(input: &str) -> Result<String, String> {
    let trimmed = input.trim();
    if trimmed.len() > CA_PEM_MAX {
        return Err(format!(
            "The CA certificate is larger than {} KiB: give only the CA's certificate (PEM)",
            CA_PEM_MAX / 1024
        ));
    }
    ca_certificates(trimmed).map_err(|why| {
        format!(
            "The CA certificate cannot be used: {why}. Export your mail server's CA certificate \
             in PEM format (text starting with -----BEGIN CERTIFICATE-----)"
        )
    })?;
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_is_decided_on_the_address() {
        for host in [
            "localhost",
            "LOCALHOST",
            "127.0.0.1",
            "127.1.2.3",
            "::1",
            "[::1]",
        ] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in [
            "127.evil.example",
            "localhost.evil.example",
            "10.0.0.1",
            "smtp.hotel.example",
        ] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }

    #[test]
    fn no_tls_only_to_this_machine() {
        assert!(security_for_host(SmtpSecurity::None, "127.0.0.1").is_ok());
        assert!(security_for_host(SmtpSecurity::None, "smtp.hotel.example").is_err());
        assert!(security_for_host(SmtpSecurity::Starttls, "smtp.hotel.example").is_ok());
        assert!(security_for_host(SmtpSecurity::Tls, "smtp.hotel.example").is_ok());
    }

    #[test]
    fn a_ca_certificate_must_be_pem_certificates() {
        assert!(ca_pem("").is_err());
        assert!(ca_pem("not a certificate").is_err());
        let garbage = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        assert!(ca_pem(garbage).is_err());
        let key = rcgen::KeyPair::generate().unwrap();
        let params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        let pem = params.self_signed(&key).unwrap().pem();
        assert_eq!(ca_pem(&format!("\n{pem}\n")).unwrap(), pem.trim());
        // A private key is not a certificate.
        assert!(ca_pem(&key.serialize_pem()).is_err());
    }
}
