//! `agent add`, `list`, `rename` and `remove`.

use switchboard_core::{AgentDraft, CoreError, Switchboard};

use crate::args::AgentCommand;
use crate::output::{Failure, Output};

pub fn run(core: &Switchboard, command: AgentCommand, out: &Output) -> Result<(), Failure> {
    match command {
        AgentCommand::Add {
            org,
            name,
            description,
        } => {
            let org = core.organization_resolve(&org)?;
            let agent = core
                .agent_create(&AgentDraft {
                    org_id: org.id,
                    name,
                    description,
                })
                .map_err(name_argument)?;
            if out.is_json() {
                out.print_json(&agent);
            } else {
                println!("{}  {}", agent.id, agent.name);
            }
        }
        AgentCommand::List { org } => {
            let org_id = org
                .map(|o| core.organization_resolve(&o).map(|o| o.id))
                .transpose()?;
            let agents = core.agents(org_id.as_deref())?;
            if out.is_json() {
                out.print_json(&agents);
            } else {
                for agent in agents {
                    println!("{}  {}", agent.id, agent.name);
                }
            }
        }
        AgentCommand::Rename { agent, name } => {
            let agent = core.agent_rename(&agent, &name).map_err(name_argument)?;
            if out.is_json() {
                out.print_json(&agent);
            } else {
                println!("{}  {}", agent.id, agent.name);
            }
        }
        AgentCommand::Remove { agent } => {
            core.agent_delete(&agent)?;
            if out.is_json() {
                out.print_json(&serde_json::json!({ "removed": agent }));
            } else {
                println!(
                    "Removed the agent {agent}; its numbers are unbound, the connectors stay."
                );
            }
        }
    }
    Ok(())
}

/// A core error about an agent, its `name` field named as the CLI's NAME argument.
fn name_argument(error: CoreError) -> Failure {
    Failure::core(error).with_flags(|f| {
        if f == "name" {
            "NAME".into()
        } else {
            f.to_owned()
        }
    })
}
