//! A real SMTP server for tests: tests/smtp/server.py (aiosmtpd) started as a child process with
//! a test CA and a server certificate made here, listening on 127.0.0.1 (plain, STARTTLS, TLS),
//! requiring AUTH with [`LOGIN`] and [`PASSWORD`], recording every message it receives. Shared
//! by core's and the CLI's tests (`#[path]`).

#![allow(dead_code)] // each test crate uses its own part of it

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

pub const LOGIN: &str = "frontdesk";
pub const PASSWORD: &str = "correct horse battery staple";
pub const SERVER_NAME: &str = "mail.test.switchboard";

/// The test's mail server: a child process that ends when this is dropped.
pub struct MailServer {
    child: Child,
    ports: Value,
    pub ca_pem: String,
    dir: tempfile::TempDir,
}

impl MailServer {
    pub fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let (ca_pem, cert_pem, key_pem) = test_pki();
        let cert = dir.path().join("server.pem");
        let key = dir.path().join("server.key");
        std::fs::write(&cert, cert_pem).unwrap();
        std::fs::write(&key, key_pem).unwrap();
        let out = dir.path().join("received");
        std::fs::create_dir(&out).unwrap();
        // From a crate's folder or the repository's root (the app's tests).
        let script = Path::new(env!("CARGO_MANIFEST_DIR"))
            .ancestors()
            .map(|dir| dir.join("tests/smtp/server.py"))
            .find(|path| path.exists())
            .unwrap();
        let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned());
        let mut child = Command::new(&python)
            .arg(&script)
            .arg("--out")
            .arg(&out)
            .arg("--cert")
            .arg(&cert)
            .arg("--key")
            .arg(&key)
            .args(["--login", LOGIN, "--password-env", "TEST_SMTP_PASSWORD"])
            .env("TEST_SMTP_PASSWORD", PASSWORD)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("could not start {python}: {e}"));
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let ports: Value = serde_json::from_str(&line).unwrap_or_else(|_| {
            let _ = child.kill();
            panic!(
                "the test SMTP server did not start (is aiosmtpd installed? \
                 `scripts/deps.sh test` installs it); it said: {line:?}"
            )
        });
        Self {
            child,
            ports,
            ca_pem,
            dir,
        }
    }

    pub fn port(&self, listener: &str) -> u16 {
        u16::try_from(self.ports[listener].as_u64().unwrap()).unwrap()
    }

    /// Every message received, oldest first.
    pub fn received(&self) -> Vec<Value> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.dir.path().join("received"))
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|path| serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap())
            .collect()
    }
}

impl Drop for MailServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A test CA and a server certificate it signed for localhost and 127.0.0.1 (PEM).
pub fn test_pki() -> (String, String, String) {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose,
    };
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "Switchboard test CA");
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_pem = ca.self_signed(&ca_key).unwrap().pem();
    let issuer = Issuer::new(ca, ca_key);
    let server_key = KeyPair::generate().unwrap();
    let mut server =
        CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).unwrap();
    server
        .distinguished_name
        .push(DnType::CommonName, SERVER_NAME);
    let server_pem = server.signed_by(&server_key, &issuer).unwrap().pem();
    (ca_pem, server_pem, server_key.serialize_pem())
}
