import { useState } from "react";

import { Dialog } from "../../components/Dialog";
import { failureMessage } from "../../lib/api";
import type { Agent } from "../../lib/types";
import { useConnectors } from "../connectors/queries";
import { useActiveNumbers } from "../numbers/queries";
import { useAgents, useBindChannel, useChannels, useCreateAgent, useDeleteAgent, useRenameAgent, useUnbindChannel } from "./queries";

/** Agents of the organization and the numbers they answer on. */
export function AgentsPanel({ orgId }: { orgId: string }) {
  const agents = useAgents(orgId);
  const channels = useChannels(orgId);
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const create = useCreateAgent(orgId);
  const unbind = useUnbindChannel();

  return (
    <section className="agents card" aria-labelledby="agents-title">
      <h2 id="agents-title">Agents</h2>
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate(
            { name, description: description.trim() || null },
            {
              onSuccess: () => {
                setName("");
                setDescription("");
              },
            },
          );
        }}
      >
        <label>
          Agent name
          <input name="agent.name" value={name} onChange={(event) => setName(event.target.value)} />
        </label>
        <label>
          Description (optional)
          <input
            name="agent.description"
            value={description}
            onChange={(event) => setDescription(event.target.value)}
          />
        </label>
        <button type="submit" disabled={create.isPending}>
          Add agent
        </button>
      </form>
      {create.isError && (
        <p className="form-error" role="alert">
          {failureMessage(create.error)}
        </p>
      )}
      {agents.data?.length === 0 && <p className="muted">No agents yet. An agent answers the messages of the numbers bound to it.</p>}
      <ul className="agent-list">
        {agents.data?.map((agent) => (
          <li key={agent.id} data-testid="agent-row">
            <AgentHeader orgId={orgId} agent={agent} numbers={channels.data?.filter((c) => c.agentId === agent.id).length ?? 0} />
            <ul>
              {channels.data
                ?.filter((c) => c.agentId === agent.id)
                .map((c) => (
                  <li key={`${c.connectorId}-${c.e164}`}>
                    {c.e164} via {c.connectorName}{" "}
                    <button type="button" onClick={() => unbind.mutate({ agentId: agent.id, number: c.e164 })}>
                      Unbind
                    </button>
                  </li>
                ))}
            </ul>
            <AddChannel orgId={orgId} agent={agent} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The agent's name with Rename (in place) and Remove (asked first: its numbers are unbound). */
function AgentHeader({ orgId, agent, numbers }: { orgId: string; agent: Agent; numbers: number }) {
  const [renaming, setRenaming] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);
  const rename = useRenameAgent(orgId);
  const remove = useDeleteAgent(orgId);
  if (renaming !== null)
    return (
      <form
        className="inline-form"
        aria-label={`Rename ${agent.name}`}
        onSubmit={(event) => {
          event.preventDefault();
          rename.mutate({ agentId: agent.id, name: renaming }, { onSuccess: () => setRenaming(null) });
        }}
      >
        <label>
          New name
          <input name="agent.rename" value={renaming} autoFocus onChange={(event) => setRenaming(event.target.value)} />
        </label>
        <button type="submit" disabled={rename.isPending}>
          Save
        </button>
        <button
          type="button"
          onClick={() => {
            setRenaming(null);
            rename.reset();
          }}
        >
          Cancel
        </button>
        {rename.isError && (
          <p className="form-error" role="alert">
            {failureMessage(rename.error)}
          </p>
        )}
      </form>
    );
  return (
    <>
      <strong>{agent.name}</strong>
      {agent.description && <span className="muted"> · {agent.description}</span>}{" "}
      <button type="button" onClick={() => setRenaming(agent.name)} aria-label={`Rename ${agent.name}`}>
        Rename
      </button>{" "}
      <button type="button" className="danger" onClick={() => setRemoving(true)} aria-label={`Remove ${agent.name}`}>
        Remove
      </button>
      {removing && (
        <Dialog title={`Remove the agent ${agent.name}?`} onClose={() => setRemoving(false)}>
          <p>
            {numbers > 0
              ? `Its ${numbers === 1 ? "number is" : `${numbers} numbers are`} unbound and then answer for no agent. `
              : ""}
            The connectors and their numbers stay as they are.
          </p>
          {remove.isError && (
            <p className="form-error" role="alert">
              {failureMessage(remove.error)}
            </p>
          )}
          <div className="actions">
            <button type="button" onClick={() => setRemoving(false)}>
              Cancel
            </button>
            <button
              type="button"
              className="danger"
              disabled={remove.isPending}
              onClick={() => remove.mutate(agent.id, { onSuccess: () => setRemoving(false) })}
            >
              Remove agent
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}

function AddChannel({ orgId, agent }: { orgId: string; agent: Agent }) {
  const connectors = useConnectors(orgId);
  const [open, setOpen] = useState(false);
  const [connectorId, setConnectorId] = useState("");
  const [picked, setPicked] = useState<string | null>(null);
  const bind = useBindChannel(agent.id);
  const close = () => {
    setOpen(false);
    setConnectorId("");
    setPicked(null);
    bind.reset();
  };
  if (!open)
    return (
      <button type="button" onClick={() => setOpen(true)} aria-label={`Add channel to ${agent.name}`}>
        Add channel
      </button>
    );
  const usable = connectors.data?.filter((c) => c.kind !== "email") ?? [];
  return (
    <form
      className="add-channel"
      data-testid="add-channel"
      aria-label={`Add a channel to ${agent.name}`}
      onSubmit={(event) => {
        event.preventDefault();
        if (!connectorId || !picked) return;
        bind.mutate({ connectorId, number: picked }, { onSuccess: close });
      }}
    >
      <label>
        Connector
        <select
          name="channel.connector"
          value={connectorId}
          onChange={(event) => {
            setConnectorId(event.target.value);
            setPicked(null);
          }}
        >
          <option value="">Choose a connector…</option>
          {usable.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      {connectorId && <NumberChoices connectorId={connectorId} agentId={agent.id} picked={picked} onPick={setPicked} />}
      {bind.isError && (
        <p className="form-error" role="alert">
          {failureMessage(bind.error)}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" disabled={!picked || bind.isPending}>
          Save
        </button>
        <button type="button" onClick={close}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The connector's active numbers as a choice of one; a number bound to an agent cannot be picked. */
function NumberChoices({
  connectorId,
  agentId,
  picked,
  onPick,
}: {
  connectorId: string;
  agentId: string;
  picked: string | null;
  onPick: (e164: string) => void;
}) {
  const numbers = useActiveNumbers(connectorId);
  const active = numbers.data?.numbers ?? [];
  if (numbers.isSuccess && active.length === 0)
    return <p className="muted">This connector has no active numbers: activate some in its Numbers section.</p>;
  return (
    <fieldset className="number-choices">
      <legend>Number</legend>
      {active.map((number) => {
        const boundElsewhere = number.agent && number.agent.id !== agentId;
        const boundHere = number.agent?.id === agentId;
        return (
          <div key={number.e164} data-testid="channel-choice" data-e164={number.e164}>
            <label>
              <input
                type="radio"
                name={`channel.number.${agentId}`}
                value={number.e164}
                checked={picked === number.e164}
                disabled={Boolean(number.agent)}
                onChange={() => onPick(number.e164)}
              />
              {number.e164}
            </label>
            {boundElsewhere && <span className="badge state-error">Already bound</span>}
            {boundElsewhere && <span className="muted"> to {number.agent?.name}</span>}
            {boundHere && <span className="muted"> bound to this agent</span>}
          </div>
        );
      })}
    </fieldset>
  );
}
