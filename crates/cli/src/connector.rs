//! `switchboard connector …`

use std::io::Read;

use switchboard_core::{
    Connector, ConnectorDraft, ConnectorSettings, ConnectorState, Recipient, RecipientDraft,
    Switchboard,
};

use crate::args::{AddConnector, ConnectorCommand, EditConnector, SecretArgs, SettingsArgs};
use crate::output::{Failure, Output};

/// The environment variable read for the secret when no flag says otherwise.
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
        "provider" => "--provider",
        "secret" => "--secret-stdin",
        "recipients" => "--to",
        "settings.accountSid" => "--account-sid",
        "settings.apiKeySid" => "--api-key-sid",
        "settings.username" => "--username",
        "settings.messagingProfileId" => "--messaging-profile-id",
        "settings.from" => "--from",
        "settings.baseUrl" => "--base-url",
        "settings.messagingBaseUrl" => "--messaging-base-url",
        "settings.contentBaseUrl" => "--content-base-url",
        "settings.smtpHost" => "--smtp-host",
        "settings.smtpPort" => "--smtp-port",
        "settings.smtpSecurity" => "--smtp-security",
        "settings.smtpCaPem" => "--ca-file",
        other => other,
    };
    flag.to_owned()
}

fn read_secret(args: &SecretArgs) -> Result<Option<String>, Failure> {
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
    let var = args.secret_env.as_deref().unwrap_or(SECRET_ENV);
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

/// Applies the flags given on top of `base`; a flag not given keeps the base value.
fn apply(base: ConnectorSettings, args: SettingsArgs) -> ConnectorSettings {
    let base_url = args.base_url.or(base.base_url);
    ConnectorSettings {
        account_sid: args.account_sid.or(base.account_sid),
        api_key_sid: args.api_key_sid.or(base.api_key_sid),
        username: args.username.or(base.username),
        messaging_profile_id: args.messaging_profile_id.or(base.messaging_profile_id),
        from: args.from.or(base.from),
        base_url,
        messaging_base_url: args.messaging_base_url.or(base.messaging_base_url),
        content_base_url: args.content_base_url.or(base.content_base_url),
        smtp_host: args.smtp_host.or(base.smtp_host),
        smtp_port: args.smtp_port.or(base.smtp_port),
        smtp_security: args.smtp_security.map(Into::into).or(base.smtp_security),
        smtp_ca_pem: args.ca_file.or(base.smtp_ca_pem),
    }
}

fn add_draft(core: &Switchboard, add: AddConnector) -> Result<ConnectorDraft, Failure> {
    let org = core.organization_resolve(&add.org).map_err(|e| {
        Failure::bad_input(
            "--org",
            format!("{e}; list them with: switchboard org list"),
        )
    })?;
    let secret = read_secret(&add.secret)?;
    let recipients = recipients(&add.settings.to)?;
    Ok(ConnectorDraft {
        org_id: org.id,
        kind: add.kind.into(),
        provider: add.provider.into(),
        name: add.name,
        settings: apply(ConnectorSettings::default(), add.settings),
        recipients,
        receive_inbound: !add.no_inbound,
        secret,
    })
}

fn edit_draft(current: &Connector, edit: EditConnector) -> Result<ConnectorDraft, Failure> {
    let secret = read_secret(&edit.secret)?;
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
        provider: current.provider,
        name: edit.name.unwrap_or_else(|| current.name.clone()),
        settings: apply(current.settings.clone(), edit.settings),
        recipients: list,
        receive_inbound: edit.receive_inbound.unwrap_or(current.receive_inbound),
        secret,
    })
}
