//! Switchboard's core: the domain (organizations, connectors, recipients), the rules that validate
//! it, the SQLite store and the OS-keychain secret store. Both the desktop app and the CLI call the
//! services in [`Switchboard`]; nothing in here knows about Tauri.

mod adapter;
mod agents;
mod audit;
mod catalog;
mod channels;
mod check;
mod clock;
mod demo;
pub mod diagnose;
pub mod email;
mod error;
mod freshness;
pub mod history;
mod ids;
pub mod inspect;
pub mod last_known;
pub mod limiter;
pub mod logs;
pub mod messaging;
mod model;
pub mod numbers;
pub mod paths;
mod secrets;
pub mod senders;
mod service;
pub mod settings;
pub mod smtp;
mod store;
pub mod transfer;
pub mod validate;
mod whatsapp_sandbox;

#[cfg(test)]
mod upgrade_tests;

pub use agents::{Agent, AgentDraft};
pub use audit::{AUDIT_ACTIONS, AuditEntry, AuditFilter, AuditPage};
pub use catalog::{
    CatalogField, Choice, ConnectorCatalog, FieldInput, KindEntry, LabelWhenFilled, ProviderEntry,
    connector_catalog,
};
pub use channels::AgentChannel;
pub use demo::{
    DEMO_ORGANIZATION, Demo, DemoAccounts, DemoSandbox, SANDBOX_LEFT_FILE, SANDBOX_MEMO_FILE,
    SandboxDemo, SandboxJoin,
};
pub use error::{CoreError, ErrorCode, FailureCode, FieldError, readable};
pub use logs::{LogAction, LogEntry, LogFilter, LogPage};
pub use messaging::{
    AttemptFilter, AttemptPage, AttemptSink, FollowOptions, MessageAttempt, MessageKind,
    MessagingStats, Outcome, SendRequest, StatusChange, Template, TemplateVariable,
};
pub use messaging::{WHATSAPP_SANDBOX_NUMBER, WhatsappSandbox, whatsapp_sandbox};
pub use model::{
    ApiUrls, Connector, ConnectorDraft, ConnectorKind, ConnectorSettings, ConnectorState,
    ElksSettings, Event, EventLevel, Organization, OrganizationDraft, OrganizationUpdate,
    ProviderKind, Recipient, RecipientDraft, SmtpSecurity, SmtpSettings, TelnyxSettings,
    TwilioSettings,
};
pub use secrets::{
    KEYRING_NAMESPACE_ENV, KeyringSecretStore, MemorySecretStore, SecretError, SecretKey,
    SecretStore, Sensitive,
};
pub use service::Switchboard;
pub use store::{SCHEMA_VERSION, Store, StoreError};
pub use switchboard_providers::{FailureKind, Provider, ProviderFailure};
pub use transfer::{
    ConfigExport, ImportApplied, ImportChange, ImportItem, ImportItemKind, ImportPreview,
    ImportSecret, ImportSelection, SecretPrompt,
};

/// The application identifier: the Tauri bundle identifier, the keychain service name and the
/// name of the data directory. A test pins it to `tauri.conf.json`.
pub const APP_IDENTIFIER: &str = "app.switchboard.admin";
