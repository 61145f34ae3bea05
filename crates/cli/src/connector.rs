//! `switchboard connector …`

use std::io::Read;

use switchboard_core::{
    Connector, ConnectorDraft, ConnectorSettings, ConnectorState, ElksSettings, ProviderKind,
    Recipient, RecipientDraft, SmtpSettings, Switchboard, TelnyxSettings, TwilioSettings,
};

use crate::args::{AddConnector, ConnectorCommand, EditConnector, SecretArgs, SettingsArgs};
use crate::output::{Failure, Output};

/// The environment variable `connector add` reads the secret from when no flag says otherwise.
/// `connector edit` never falls back to it: an edit replaces the stored secret only when asked.
const SECRET_ENV: &str = "SWITCHBOARD_SECRET";

pub fn run(
    core: &Switchboard,
    runtime: &tokio::runtime::Runtime,
    command: ConnectorCommand,
    out: &Output,
) -> Result<(), Failure> {
    // Saving checks the credentials right away; a failed check leaves the connector saved in
    // state Error with the reason, and the command still succeeds (it saved what was typed).
    let check = |id: &str| runtime.block_on(core.connector_check(id));
    match command {
        ConnectorCommand::Add(add) => {
            let draft = add_draft(core, *add)?;
            let connector = core.connector_create(&draft).map_err(flagged)?;
            out.connector(&check(&connector.id)?);
        }
        ConnectorCommand::Check { id } => {
            let current = core.connector_resolve(&id)?;
            let checked = check(&current.id)?;
            out.connector(&checked);
            if checked.state == ConnectorState::Error {
                return Err(Failure::check_failed(&checked).silent_json());
            }
        }
        ConnectorCommand::List { org } => {
            let org_id = org
                .map(|org| core.organization_resolve(&org))
                .transpose()?
                .map(|o| o.id);
            out.connectors(&core.connectors(org_id.as_deref())?);
        }
        ConnectorCommand::Show { id } => out.connector(&core.connector_resolve(&id)?),
        ConnectorCommand::Edit(edit) => {
            let current = core.connector_resolve(&edit.id)?;
            let draft = edit_draft(&current, *edit)?;
            let saved = core
                .connector_update(&current.id, &draft)
                .map_err(flagged)?;
            out.connector(&check(&saved.id)?);
        }
        ConnectorCommand::Remove { id } => {
            let current = core.connector_resolve(&id)?;
            core.connector_delete(&current.id)?;
            out.removed(&current.id);
        }
    }
    Ok(())
}

fn flagged(error: switchboard_core::CoreError) -> Failure {
    Failure::core(error).with_flags(flag_of)
}

/// The flag a field error is about, so the message names what the user typed.
fn flag_of(field: &str) -> String {
    if let Some(rest) = field.strip_prefix("recipients[") {
        let index: usize = rest
            .split(']')
            .next()
            .and_then(|i| i.parse().ok())
            .unwrap_or(0);
        return format!("--to #{}", index + 1);
    }
    let flag = match field {
        "orgId" => "--org",
        "name" => "--name",
        "kind" => "--kind",
        "settings.provider" => "--provider",
        "secret" => "--secret-stdin",
        "recipients" => "--to",
        "settings.accountSid" => "--account-sid",
        "settings.apiKeySid" => "--api-key-sid",
        "settings.username" => "--username",
        "settings.messagingProfileId" => "--messaging-profile-id",
        "settings.publicKey" => "--public-key",
        "settings.from" => "--from",
        "settings.baseUrl" => "--base-url",
        "settings.messagingBaseUrl" => "--messaging-base-url",
        "settings.contentBaseUrl" => "--content-base-url",
        "settings.host" => "--smtp-host",
        "settings.port" => "--smtp-port",
        "settings.security" => "--smtp-security",
        "settings.caPem" => "--ca-file",
        other => other,
    };
    flag.to_owned()
}

/// The secret the flags ask for; without a flag, `$SWITCHBOARD_SECRET` when `env_fallback`.
fn read_secret(args: &SecretArgs, env_fallback: bool) -> Result<Option<String>, Failure> {
    if args.secret_stdin {
        let mut secret = String::new();
        std::io::stdin().read_to_string(&mut secret).map_err(|e| {
            Failure::bad_input("--secret-stdin", format!("could not read stdin: {e}"))
        })?;
        // One trailing newline is what `echo` and most pipes add; anything else is kept as typed.
        let secret = secret.strip_suffix('\n').unwrap_or(&secret);
        let secret = secret.strip_suffix('\r').unwrap_or(secret);
        if secret.is_empty() {
            return Err(Failure::bad_input(
                "--secret-stdin",
                "stdin was empty: pipe the secret in",
            ));
        }
        return Ok(Some(secret.to_owned()));
    }
    let var = match (&args.secret_env, env_fallback) {
        (Some(var), _) => var.as_str(),
        (None, true) => SECRET_ENV,
        (None, false) => return Ok(None),
    };
    match std::env::var(var) {
        Ok(secret) if !secret.is_empty() => Ok(Some(secret)),
        _ if args.secret_env.is_some() => Err(Failure::bad_input(
            "--secret-env",
            format!("${var} is not set or empty"),
        )),
        _ => Ok(None),
    }
}

fn recipient(value: &str, index: usize) -> Result<RecipientDraft, Failure> {
    let mut parts = value.splitn(2, ',');
    let number = parts.next().unwrap_or_default().trim().to_owned();
    let backup_email = parts
        .next()
        .map(|e| e.trim().to_owned())
        .filter(|e| !e.is_empty());
    if number.is_empty() {
        return Err(Failure::bad_input(
            &format!("--to #{}", index + 1),
            "give a number: +E164[,backup@mail]",
        ));
    }
    Ok(RecipientDraft {
        number,
        backup_email,
    })
}

fn recipients(values: &[String]) -> Result<Vec<RecipientDraft>, Failure> {
    values
        .iter()
        .enumerate()
        .map(|(index, value)| recipient(value, index))
        .collect()
}

/// Applies the flags given on top of `base`; a flag not given keeps the base value. A flag of
/// another provider is bad input (it would be dropped otherwise, unnoticed).
fn apply(base: ConnectorSettings, args: SettingsArgs) -> Result<ConnectorSettings, Failure> {
    let SettingsArgs {
        account_sid,
        api_key_sid,
        username,
        messaging_profile_id,
        public_key,
        from,
        to: _,
        base_url,
        messaging_base_url,
        content_base_url,
        smtp_host,
        smtp_port,
        smtp_security,
        ca_file,
    } = args;
    let provider = base.provider();
    // Each provider takes some of the flags; the rest must not be given.
    let mut foreign = vec![
        ("--account-sid", account_sid.is_some()),
        ("--api-key-sid", api_key_sid.is_some()),
        ("--username", username.is_some()),
        ("--messaging-profile-id", messaging_profile_id.is_some()),
        ("--public-key", public_key.is_some()),
        ("--base-url", base_url.is_some()),
        ("--messaging-base-url", messaging_base_url.is_some()),
        ("--content-base-url", content_base_url.is_some()),
        ("--smtp-host", smtp_host.is_some()),
        ("--smtp-port", smtp_port.is_some()),
        ("--smtp-security", smtp_security.is_some()),
        ("--ca-file", ca_file.is_some()),
    ];
    let mut taken = |flag: &str| foreign.retain(|(name, _)| *name != flag);
    let settings = match base {
        ConnectorSettings::Twilio(twilio) => {
            for flag in [
                "--account-sid",
                "--api-key-sid",
                "--base-url",
                "--messaging-base-url",
                "--content-base-url",
            ] {
                taken(flag);
            }
            ConnectorSettings::Twilio(TwilioSettings {
                account_sid: account_sid.unwrap_or(twilio.account_sid),
                api_key_sid: api_key_sid.or(twilio.api_key_sid),
                from: from.or(twilio.from),
                base_url: base_url.or(twilio.base_url),
                messaging_base_url: messaging_base_url.or(twilio.messaging_base_url),
                content_base_url: content_base_url.or(twilio.content_base_url),
            })
        }
        ConnectorSettings::Telnyx(telnyx) => {
            taken("--messaging-profile-id");
            taken("--public-key");
            taken("--base-url");
            ConnectorSettings::Telnyx(TelnyxSettings {
                public_key: public_key.or(telnyx.public_key),
                messaging_profile_id: messaging_profile_id.or(telnyx.messaging_profile_id),
                from: from.or(telnyx.from),
                base_url: base_url.or(telnyx.base_url),
            })
        }
        ConnectorSettings::Elks46(elks) => {
            taken("--username");
            taken("--base-url");
            ConnectorSettings::Elks46(ElksSettings {
                username: username.unwrap_or(elks.username),
                from: from.or(elks.from),
                base_url: base_url.or(elks.base_url),
            })
        }
        ConnectorSettings::Smtp(smtp) => {
            for flag in [
                "--username",
                "--smtp-host",
                "--smtp-port",
                "--smtp-security",
                "--ca-file",
            ] {
                taken(flag);
            }
            ConnectorSettings::Smtp(SmtpSettings {
                host: smtp_host.unwrap_or(smtp.host),
                port: smtp_port.unwrap_or(smtp.port),
                security: smtp_security.map_or(smtp.security, Into::into),
                username: username.or(smtp.username),
                from: from.unwrap_or(smtp.from),
                ca_pem: ca_file.or(smtp.ca_pem),
            })
        }
    };
    match foreign.iter().find(|(_, given)| *given) {
        Some((flag, _)) => Err(Failure::bad_input(
            flag,
            format!(
                "a {} connector has no such setting; see switchboard connector add --help",
                provider.label()
            ),
        )),
        None => Ok(settings),
    }
}

/// The settings of a new connector of `provider`, before any flag.
fn empty_settings(provider: ProviderKind) -> ConnectorSettings {
    match provider {
        ProviderKind::Twilio => ConnectorSettings::Twilio(TwilioSettings::default()),
        ProviderKind::Telnyx => ConnectorSettings::Telnyx(TelnyxSettings::default()),
        ProviderKind::Elks46 => ConnectorSettings::Elks46(ElksSettings::default()),
        ProviderKind::Smtp => ConnectorSettings::Smtp(SmtpSettings::default()),
    }
}

fn add_draft(core: &Switchboard, add: AddConnector) -> Result<ConnectorDraft, Failure> {
    let org = core.organization_resolve(&add.org).map_err(|e| {
        Failure::bad_input(
            "--org",
            format!("{e}; list them with: switchboard org list"),
        )
    })?;
    let secret = read_secret(&add.secret, true)?;
    let recipients = recipients(&add.settings.to)?;
    Ok(ConnectorDraft {
        org_id: org.id,
        kind: add.kind.into(),
        name: add.name,
        settings: apply(empty_settings(add.provider.into()), add.settings)?,
        recipients,
        receive_inbound: !add.no_inbound,
        secret,
    })
}

fn edit_draft(current: &Connector, edit: EditConnector) -> Result<ConnectorDraft, Failure> {
    let secret = read_secret(&edit.secret, false)?;
    let mut list: Vec<RecipientDraft> = if edit.clear_recipients {
        Vec::new()
    } else {
        current
            .recipients
            .iter()
            .map(
                |Recipient {
                     number,
                     backup_email,
                 }| RecipientDraft {
                    number: number.clone(),
                    backup_email: backup_email.clone(),
                },
            )
            .collect()
    };
    let added = recipients(&edit.settings.to)?;
    list.retain(|kept| !added.iter().any(|new| new.number == kept.number));
    list.extend(added);
    Ok(ConnectorDraft {
        org_id: current.org_id.clone(),
        kind: current.kind,
        name: edit.name.unwrap_or_else(|| current.name.clone()),
        settings: apply(current.settings.clone(), edit.settings)?,
        recipients: list,
        receive_inbound: edit.receive_inbound.unwrap_or(current.receive_inbound),
        secret,
    })
}
