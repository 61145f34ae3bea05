//! The command line, as the CLI contract in DESIGN.md spells it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use switchboard_core::{ConnectorKind, ProviderKind, SmtpSecurity};

#[derive(Debug, Parser)]
#[command(
    name = "switchboard",
    version,
    about = "Administer Switchboard's messaging connectors"
)]
pub struct Cli {
    /// Folder of the Switchboard database (default: the app's data folder).
    #[arg(long, global = true, env = "SWITCHBOARD_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Print machine-readable JSON on stdout.
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Organizations, which own connectors and agents.
    #[command(subcommand)]
    Org(OrgCommand),
    /// Messaging connectors (WhatsApp, SMS, Email).
    #[command(subcommand)]
    Connector(ConnectorCommand),
    /// The provider's numbers and WhatsApp senders of a connector.
    #[command(subcommand)]
    Numbers(NumbersCommand),
    /// The connector's inbound webhook: its URL, setting it on numbers, jobs and rollback.
    #[command(subcommand)]
    Webhook(WebhookCommand),
    /// WhatsApp senders (Twilio Senders API): register, verify, follow, update, remove.
    #[command(subcommand)]
    Senders(Box<SendersCommand>),
    /// Expected vs actual webhook for every active number/sender, with reasons.
    Drift {
        /// A connector (id, id prefix or name); all connectors when left out.
        connector: Option<String>,
    },
    /// Agents, who answer on numbers through channels.
    #[command(subcommand)]
    Agent(AgentCommand),
    /// Channels: one active number bound to one agent.
    #[command(subcommand)]
    Channel(ChannelCommand),
    /// Every admin action (organizations, agents, connectors, secrets replaced, numbers,
    /// webhooks, channels, senders) with before and after, newest first.
    Audit(AuditArgs),
    /// Send a test message through a connector (and with --wait follow it to a final status).
    Send(SendArgs),
    /// Messages sent through a connector: list, show one, check one whose outcome is unknown.
    #[command(subcommand)]
    Messages(MessagesCommand),
    /// The WhatsApp templates of a Twilio connector's account (approved ones; --all: every one).
    Templates {
        /// A connector (id, id prefix or name).
        connector: String,
        /// Every template with its approval status, not only the approved ones.
        #[arg(long)]
        all: bool,
    },
    /// A connector's statistics: sent, failed, this month, success rate, last error.
    Stats {
        /// A connector (id, id prefix or name).
        connector: String,
        /// Days of the per-day chart (text output).
        #[arg(long, default_value_t = 30)]
        days: u32,
    },
    /// The error log: every failure of every action, newest first.
    Logs(LogsArgs),
    /// Write an organization's configuration (connectors, recipients, numbers' active flags,
    /// agents, channels) as JSON, without any secret or webhook token.
    Export {
        /// The organization (name or id).
        org: String,
        /// Write the file here instead of printing it on stdout.
        #[arg(long, visible_alias = "output", value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Show what importing a configuration file changes, then apply the new and changed items
    /// (or those named with --only) all or nothing.
    Import(ImportArgs),
    /// Diagnose a connector: findings (severity, meaning, fix, evidence) as they arrive,
    /// compared with the previous run; exit 1 when any finding is an error.
    Diagnose {
        /// A connector (id, id prefix or name).
        connector: String,
        /// Also write a support bundle (a zip; identifiers masked, no secret) to FILE.
        #[arg(long, value_name = "FILE")]
        bundle: Option<PathBuf>,
    },
    /// The webhook inspector: whose a webhook request is, whether its token and signature are
    /// genuine, which URL the provider signed, and why not. Exit 1 when it is not valid.
    Inspect(InspectArgs),
    /// The app's own settings, shared with the app (its About panel).
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// Run the local provider emulator (Twilio, Telnyx, 46elks); prints its credentials as JSON.
    Sandbox {
        /// Port on 127.0.0.1 (0 picks a free one).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// Delay added to every answer, in milliseconds.
        #[arg(long, default_value_t = 0)]
        latency_ms: u64,
        /// More provider requests than this in flight at once get HTTP 429 (Twilio code 20429).
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
        concurrency_limit: Option<u64>,
        /// Same credentials and SIDs on every start (useful for a stored demo setup).
        #[arg(long)]
        seed: Option<u64>,
    },
}

#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Whether the app looks for a signed update when it starts: show it, or turn it on / off.
    Updates {
        #[arg(value_enum)]
        value: Option<OnOff>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Explain a request captured on your own server (`-` reads stdin): JSON {method, url,
    /// headers, body}, or the raw HTTP text (request line, headers, blank line, body).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["port", "bind", "allow_remote"])]
    pub paste: Option<PathBuf>,
    /// Without --paste: listen for webhooks on this port (0 picks a free one) and explain each
    /// as it arrives, until Ctrl-C.
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// The address to listen on (default 127.0.0.1). Any other needs --allow-remote.
    #[arg(long, value_name = "ADDR")]
    pub bind: Option<std::net::IpAddr>,
    /// Confirm listening on a non-loopback address: anyone who can reach it can post to it.
    #[arg(long)]
    pub allow_remote: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file `switchboard export` wrote (`-` reads stdin).
    pub file: PathBuf,
    /// Import into this organization (name or id) instead of the one the file names.
    #[arg(long)]
    pub org: Option<String>,
    /// Show what would change and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Apply only this item (a key from the list, e.g. `connector:Reception SMS`). Repeatable;
    /// default: every new and changed item. Removals are applied only when named.
    #[arg(long = "only", value_name = "KEY")]
    pub only: Vec<String>,
    /// The secret of a connector of the file, read from an environment variable. Repeatable.
    #[arg(long = "secret-env", value_name = "CONNECTOR=VAR")]
    pub secret_env: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Create an organization.
    Add {
        name: String,
        /// Public https base URL the providers post inbound messages to.
        #[arg(long, value_name = "URL")]
        inbound_base_url: Option<String>,
    },
    /// Change an organization (found by name or id).
    Edit {
        name: String,
        #[arg(long, value_name = "URL")]
        inbound_base_url: Option<String>,
        /// New name.
        #[arg(long)]
        rename: Option<String>,
    },
    List,
}

#[derive(Debug, Subcommand)]
pub enum ConnectorCommand {
    /// Create a connector; the secret is read from stdin (--secret-stdin) or $SWITCHBOARD_SECRET.
    Add(Box<AddConnector>),
    List {
        /// Only this organization's connectors (name or id).
        #[arg(long)]
        org: Option<String>,
    },
    /// Show one connector (id, id prefix or name).
    Show { id: String },
    /// Change a connector; flags not given keep their values. The stored secret is replaced
    /// only with --secret-stdin or --secret-env (never from $SWITCHBOARD_SECRET).
    Edit(Box<EditConnector>),
    /// Remove a connector and its keychain entry.
    Remove { id: String },
    /// Check the credentials against the provider again (exit 1 when they fail).
    Check { id: String },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum KindArg {
    Whatsapp,
    Sms,
    Email,
}

impl From<KindArg> for ConnectorKind {
    fn from(kind: KindArg) -> Self {
        match kind {
            KindArg::Whatsapp => Self::Whatsapp,
            KindArg::Sms => Self::Sms,
            KindArg::Email => Self::Email,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ProviderArg {
    Twilio,
    Telnyx,
    #[value(name = "46elks")]
    Elks46,
    Smtp,
}

impl From<ProviderArg> for ProviderKind {
    fn from(provider: ProviderArg) -> Self {
        match provider {
            ProviderArg::Twilio => Self::Twilio,
            ProviderArg::Telnyx => Self::Telnyx,
            ProviderArg::Elks46 => Self::Elks46,
            ProviderArg::Smtp => Self::Smtp,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SecurityArg {
    Starttls,
    Tls,
    None,
}

impl From<SecurityArg> for SmtpSecurity {
    fn from(security: SecurityArg) -> Self {
        match security {
            SecurityArg::Starttls => Self::Starttls,
            SecurityArg::Tls => Self::Tls,
            SecurityArg::None => Self::None,
        }
    }
}

#[derive(Debug, Args)]
pub struct AddConnector {
    /// Organization (name or id).
    #[arg(long)]
    pub org: String,
    #[arg(long, value_enum)]
    pub kind: KindArg,
    #[arg(long, value_enum)]
    pub provider: ProviderArg,
    #[arg(long)]
    pub name: String,
    #[command(flatten)]
    pub settings: SettingsArgs,
    /// Do not set an inbound webhook on this connector's numbers.
    #[arg(long)]
    pub no_inbound: bool,
    #[command(flatten)]
    pub secret: SecretArgs,
}

#[derive(Debug, Args)]
pub struct EditConnector {
    pub id: String,
    #[arg(long)]
    pub name: Option<String>,
    #[command(flatten)]
    pub settings: SettingsArgs,
    /// Remove every recipient (before adding those given with --to).
    #[arg(long)]
    pub clear_recipients: bool,
    /// Whether the connector's numbers get an inbound webhook.
    #[arg(long, value_name = "BOOL")]
    pub receive_inbound: Option<bool>,
    #[command(flatten)]
    pub secret: SecretArgs,
}

#[derive(Debug, Args)]
pub struct SettingsArgs {
    #[arg(long, value_name = "AC…")]
    pub account_sid: Option<String>,
    #[arg(long, value_name = "SK…")]
    pub api_key_sid: Option<String>,
    /// 46elks API username, or SMTP login.
    #[arg(long)]
    pub username: Option<String>,
    #[arg(long)]
    pub messaging_profile_id: Option<String>,
    /// Telnyx's webhook public key (Mission Control, Keys & Credentials), for `inspect`.
    #[arg(long, value_name = "BASE64")]
    pub public_key: Option<String>,
    /// The sender (required; kept on an edit): +E164, a Twilio Messaging Service SID (MG…), a
    /// 46elks name, or the SMTP From address.
    #[arg(long)]
    pub from: Option<String>,
    /// A recipient: +E164 with an optional backup email after a comma. Repeatable.
    #[arg(long = "to", value_name = "+E164[,backup@mail]")]
    pub to: Vec<String>,
    /// Provider API base URL (for Twilio: all three hosts unless set apart).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    #[arg(long, value_name = "URL")]
    pub messaging_base_url: Option<String>,
    #[arg(long, value_name = "URL")]
    pub content_base_url: Option<String>,
    #[arg(long)]
    pub smtp_host: Option<String>,
    #[arg(long)]
    pub smtp_port: Option<u16>,
    #[arg(long, value_enum)]
    pub smtp_security: Option<SecurityArg>,
    /// An extra CA certificate (PEM file) to trust for the SMTP server, e.g. the hotel's own.
    #[arg(long, value_name = "PEM", value_parser = read_ca_file)]
    pub ca_file: Option<String>,
}

/// Reads `--ca-file` while parsing, so a missing or unreadable file is a usage error (exit 2)
/// naming the flag; whether it holds certificates is the validator's call.
fn read_ca_file(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("could not read the file '{path}': {e}"))
}

#[derive(Debug, Args)]
pub struct SecretArgs {
    /// Read the secret (Auth Token, API key, password) from standard input.
    #[arg(long)]
    pub secret_stdin: bool,
    /// Read the secret from this environment variable instead.
    #[arg(long, value_name = "VAR")]
    pub secret_env: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum NumbersCommand {
    /// Fetch the provider's list (all pages) and show it with active and webhook state.
    List {
        connector: String,
        /// Show the list kept from the last fetch instead of asking the provider.
        #[arg(long)]
        cached: bool,
        /// Show one page of the list from this position (0-based), with the list's counts.
        #[arg(long, value_name = "N")]
        offset: Option<u32>,
        /// Show at most this many numbers (1 to 1000; 100 when only --offset is given).
        #[arg(long, value_name = "N")]
        limit: Option<u32>,
        /// Show only the active numbers still in the account (those a channel or a test send
        /// can use), not the whole list.
        #[arg(long, conflicts_with_all = ["offset", "limit"])]
        active: bool,
    },
    /// Choose numbers for use (E.164, with or without `whatsapp:`).
    Activate {
        connector: String,
        #[arg(required = true, value_name = "NUMBER")]
        numbers: Vec<String>,
    },
    Deactivate {
        connector: String,
        #[arg(required = true, value_name = "NUMBER")]
        numbers: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum WebhookCommand {
    /// Show the connector's inbound webhook URL.
    Url {
        connector: String,
        /// Make a new URL; every active number must then be set again.
        #[arg(long)]
        regenerate: bool,
    },
    /// Set the URL on numbers and read it back (progress on stderr, one result per number).
    Set {
        connector: String,
        #[arg(
            value_name = "NUMBER",
            required_unless_present = "all",
            conflicts_with = "all"
        )]
        numbers: Vec<String>,
        /// Every active number.
        #[arg(long)]
        all: bool,
        /// Show old → new per number and change nothing.
        #[arg(long)]
        dry_run: bool,
        /// At most this many numbers written at once (default: as many as the provider account
        /// takes, learned from its answers).
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..=64))]
        concurrency: Option<u16>,
    },
    /// Restore the values a job replaced.
    Rollback {
        job: String,
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..=64))]
        concurrency: Option<u16>,
    },
    /// Finish a job that was interrupted.
    Resume {
        job: String,
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..=64))]
        concurrency: Option<u16>,
    },
    /// The connector's jobs, newest first.
    Jobs { connector: String },
}

#[derive(Debug, Subcommand)]
pub enum AgentCommand {
    Add {
        #[arg(long)]
        org: String,
        name: String,
        #[arg(long)]
        description: Option<String>,
    },
    List {
        #[arg(long)]
        org: Option<String>,
    },
    /// Give an agent (id, id prefix or name) a new name; its channels stay.
    Rename { agent: String, name: String },
    /// Remove an agent and unbind its numbers; connectors and numbers stay.
    Remove { agent: String },
}

#[derive(Debug, Subcommand)]
pub enum ChannelCommand {
    /// Bind an active number of a connector to an agent.
    Bind {
        agent: String,
        connector: String,
        number: String,
    },
    /// Unbind; the connector and the number stay as they are.
    Unbind { agent: String, number: String },
    List {
        #[arg(long)]
        org: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum SendersCommand {
    /// Every WhatsApp sender of the connector's Twilio account, read afresh.
    List { connector: String },
    /// One sender, with its status, rating, limit and offline reasons in plain words.
    Show {
        connector: String,
        /// Its number (+E.164, with or without `whatsapp:`) or its SID (XE…).
        sender: String,
    },
    /// Register a number as a WhatsApp sender; WhatsApp then sends it a verification code.
    Register {
        connector: String,
        /// The number, in international format (`whatsapp:` is added).
        #[arg(long, value_name = "+E164")]
        sender: String,
        /// The WhatsApp Business Account ID (Meta's WhatsApp Manager).
        #[arg(long, value_name = "W")]
        waba_id: Option<String>,
        /// How WhatsApp sends the code (default sms).
        #[arg(long, value_enum)]
        verification_method: Option<VerificationMethodArg>,
        #[command(flatten)]
        profile: SenderProfileArgs,
        #[command(flatten)]
        webhook: SenderWebhookArgs,
        /// Follow the status until it settles (progress on stderr).
        #[arg(long)]
        wait: bool,
    },
    /// Submit the verification code the number received.
    Verify {
        connector: String,
        sender: String,
        code: String,
        /// Follow the status until it settles (progress on stderr).
        #[arg(long)]
        wait: bool,
    },
    /// Change the profile and/or webhook; only the flags given change.
    Update {
        connector: String,
        sender: String,
        #[command(flatten)]
        profile: SenderProfileArgs,
        #[command(flatten)]
        webhook: SenderWebhookArgs,
        /// Follow the status until it settles (progress on stderr).
        #[arg(long)]
        wait: bool,
    },
    /// Remove the sender at Twilio (says first what to do before re-registering the number).
    Remove {
        connector: String,
        sender: String,
        /// Remove without asking.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum VerificationMethodArg {
    Sms,
    Voice,
}

#[derive(Debug, Args)]
pub struct SenderProfileArgs {
    /// The display name WhatsApp users see (Meta's display name guidelines apply).
    #[arg(long, value_name = "N")]
    pub profile_name: Option<String>,
    #[arg(long)]
    pub about: Option<String>,
    #[arg(long)]
    pub address: Option<String>,
    #[arg(long)]
    pub description: Option<String>,
    /// Repeat for a second address.
    #[arg(long = "email", value_name = "EMAIL")]
    pub emails: Vec<String>,
    /// An https URL of the logo.
    #[arg(long)]
    pub logo_url: Option<String>,
    /// The business category, e.g. "Hotel and Lodging".
    #[arg(long)]
    pub vertical: Option<String>,
    /// Repeat for a second website.
    #[arg(long = "website", value_name = "URL")]
    pub websites: Vec<String>,
}

#[derive(Debug, Args)]
pub struct SenderWebhookArgs {
    /// Where Twilio posts inbound messages.
    #[arg(long, value_name = "URL")]
    pub callback_url: Option<String>,
    /// POST or PUT.
    #[arg(long, value_name = "METHOD")]
    pub callback_method: Option<String>,
    #[arg(long, value_name = "URL")]
    pub fallback_url: Option<String>,
    /// POST or PUT.
    #[arg(long, value_name = "METHOD")]
    pub fallback_method: Option<String>,
    #[arg(long, value_name = "URL")]
    pub status_callback_url: Option<String>,
    /// POST or GET.
    #[arg(long, value_name = "METHOD")]
    pub status_callback_method: Option<String>,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("content").required(true).args(["text", "media", "template"])))]
pub struct SendArgs {
    /// A connector (id, id prefix or name).
    pub connector: String,
    /// The recipient, as people write it (+46 70 123 45 67).
    #[arg(long, value_name = "NUMBER")]
    pub to: String,
    /// A text message.
    #[arg(long, value_name = "T")]
    pub text: Option<String>,
    /// https URLs of media to send (repeat the flag or list several).
    #[arg(long, value_name = "URL", num_args = 1..)]
    pub media: Vec<String>,
    /// The text beside the media.
    #[arg(long, value_name = "C", requires = "media")]
    pub caption: Option<String>,
    /// A WhatsApp template's Content SID (HX…).
    #[arg(long, value_name = "HX…")]
    pub template: Option<String>,
    /// A template variable (repeat: --var 1=Alice --var 2=Monday).
    #[arg(long = "var", value_name = "K=V", requires = "template")]
    pub vars: Vec<String>,
    /// The sender: the connector's, one of its active numbers, or a Messaging Service SID (MG…).
    #[arg(long, value_name = "F")]
    pub from: Option<String>,
    /// Twilio: seconds the message may wait in Twilio's queue (1–36000).
    #[arg(long, value_name = "SECONDS")]
    pub validity_period: Option<u32>,
    /// Twilio: where Twilio posts status changes.
    #[arg(long, value_name = "URL")]
    pub status_callback: Option<String>,
    /// Follow the status until it is final (progress on stderr).
    #[arg(long)]
    pub wait: bool,
}

#[derive(Debug, Subcommand)]
pub enum MessagesCommand {
    /// The connector's messages, newest first, a page at a time.
    List {
        connector: String,
        /// Only this status or outcome (queued, delivered, failed, unknown…).
        #[arg(long, value_name = "S")]
        status: Option<String>,
        /// Only messages to or from this number (or a part of it).
        #[arg(long, value_name = "NUMBER")]
        number: Option<String>,
        /// Only messages sent since (RFC 3339, YYYY-MM-DD, or 24h / 7d ago).
        #[arg(long, value_name = "T")]
        since: Option<String>,
        /// Only messages sent before (same forms as --since).
        #[arg(long, value_name = "T")]
        until: Option<String>,
        /// At most this many messages (1 to 1000).
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// The page after this message: the id of the last message of the previous page.
        #[arg(long, value_name = "ID")]
        cursor: Option<String>,
    },
    /// One message with every status it went through.
    Show {
        /// The message's id (or a unique prefix of 4+ characters).
        attempt: String,
    },
    /// Find out what became of a send whose outcome is unknown (never sends it again).
    Check { attempt: String },
    /// Import the connector's message history from its provider now (first time: the last 30
    /// days; then what is new). Prints what was fetched, what was new and how many pages.
    /// The messages imported from the provider (see `messages sync`), newest first.
    History {
        /// A connector (id, id prefix or name).
        connector: String,
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
    Sync {
        /// A connector (id, id prefix or name).
        connector: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
    Csv,
}

#[derive(Debug, Args)]
pub struct LogsArgs {
    /// Only this connector (id, id prefix or name).
    #[arg(long, value_name = "ID")]
    pub connector: Option<String>,
    /// Only this organization (id or name).
    #[arg(long, value_name = "ORG")]
    pub org: Option<String>,
    /// The least severe level shown: error, warning (default) or info (everything).
    #[arg(long, value_name = "L")]
    pub level: Option<String>,
    /// send, status_query, credential_check, webhook_set, bulk_job, backup_email, import.
    #[arg(long, value_name = "A")]
    pub action: Option<String>,
    /// The failure kind (INVALID_RECIPIENT…).
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// Only failures about this number.
    #[arg(long, value_name = "NUMBER")]
    pub number: Option<String>,
    /// Since (RFC 3339, YYYY-MM-DD, or 24h / 7d ago).
    #[arg(long, value_name = "T")]
    pub since: Option<String>,
    /// Until (same forms as --since).
    #[arg(long, value_name = "T")]
    pub until: Option<String>,
    /// Words to find in the message or code.
    #[arg(long, value_name = "WORDS")]
    pub text: Option<String>,
    /// At most this many rows (text and json).
    #[arg(long, default_value_t = 100)]
    pub limit: u32,
    /// Output format (default: json with --json, else text).
    #[arg(long, value_enum)]
    pub format: Option<LogFormat>,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Only this organization (id or name).
    #[arg(long, value_name = "ORG")]
    pub org: Option<String>,
    /// Only this connector (id, id prefix or name; the id of a removed one works too).
    #[arg(long, value_name = "ID")]
    pub connector: Option<String>,
    /// Only this action (repeat for several): connector.create, channel.bind, …
    #[arg(long = "action", value_name = "A")]
    pub actions: Vec<String>,
    /// Words to find in the target, before or after.
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// Since (RFC 3339, YYYY-MM-DD, or 24h / 7d ago).
    #[arg(long, value_name = "T")]
    pub since: Option<String>,
    /// Until (same forms as --since).
    #[arg(long, value_name = "T")]
    pub until: Option<String>,
    /// At most this many entries (1 to 1000).
    #[arg(long, default_value_t = 50, value_name = "N")]
    pub limit: u32,
}
