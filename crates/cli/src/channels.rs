//! `channel bind`, `channel unbind` and `channel list`.

use serde_json::json;
use switchboard_core::Switchboard;

use crate::args::ChannelCommand;
use crate::output::{Failure, Output};

pub fn run(core: &Switchboard, command: ChannelCommand, out: &Output) -> Result<(), Failure> {
    match command {
        ChannelCommand::Bind {
            agent,
            connector,
            number,
        } => {
            let channel = core
                .channel_bind(&agent, &connector, &number)
                .map_err(|e| {
                    Failure::core(e).with_flags(|f| {
                        if f == "number" {
                            "NUMBER".into()
                        } else {
                            f.to_owned()
                        }
                    })
                })?;
            if out.is_json() {
                out.print_json(&channel);
            } else {
                println!(
                    "{} → {} ({})",
                    channel.e164, channel.agent_name, channel.connector_name
                );
            }
        }
        ChannelCommand::Unbind { agent, number } => {
            core.channel_unbind(&agent, &number)?;
            if out.is_json() {
                out.print_json(&json!({ "unbound": number }));
            } else {
                println!("Unbound {number}; the connector and the number stay as they are.");
            }
        }
        ChannelCommand::List { org } => {
            let org_id = org
                .map(|o| core.organization_resolve(&o).map(|o| o.id))
                .transpose()?;
            let channels = core.channels(org_id.as_deref())?;
            if out.is_json() {
                out.print_json(&channels);
            } else {
                for c in channels {
                    println!("{:<16} {:<20} {}", c.e164, c.agent_name, c.connector_name);
                }
            }
        }
    }
    Ok(())
}
