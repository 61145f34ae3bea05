import { useState } from "react";

import type { Connector } from "../../bindings";
import { Dialog } from "../../components/Dialog";
import { FailureNotice, ProviderFailure } from "../../components/ProviderFailure";
import { failureMessage } from "../../lib/api";
import { age } from "../numbers/labels";
import { navigate, routeHash } from "../../lib/route";
import { AddConnectorWizard } from "./AddConnectorWizard";
import { ConnectorForm } from "./ConnectorForm";
import { kindLabel, providerLabel } from "./catalog";
import { STATE_LABEL } from "./labels";
import { useCheckConnector, useConnectors } from "./queries";
import { RemoveDialog } from "./RemoveDialog";

type Editing = { mode: "new" } | { mode: "edit"; connector: Connector } | null;

export function ConnectorList({ orgId, orgName }: { orgId: string; orgName: string }) {
  const connectors = useConnectors(orgId);
  const [editing, setEditing] = useState<Editing>(null);
  const [removing, setRemoving] = useState<Connector | null>(null);
  const check = useCheckConnector();

  return (
    <section className="connectors" aria-labelledby="connectors-title">
      <header className="section-header">
        <h1 id="connectors-title">{orgName}: connectors</h1>
        <button type="button" className="primary" onClick={() => setEditing({ mode: "new" })}>
          Add Connector
        </button>
      </header>

      {connectors.isPending && <p className="muted">Loading connectors…</p>}
      {connectors.isError && (
        <p className="form-error" role="alert">
          Could not load the connectors: {failureMessage(connectors.error)}
        </p>
      )}
      {connectors.data?.length === 0 && (
        <div className="empty">
          <p>No connectors yet — add one to start managing numbers.</p>
          <p className="muted">A connector holds the credentials of one provider account: Twilio, Telnyx, 46elks or an SMTP server.</p>
          <button type="button" onClick={() => setEditing({ mode: "new" })}>
            Add a connector
          </button>
        </div>
      )}
      {connectors.data && connectors.data.length > 0 && (
        <ul className="connector-list">
          {connectors.data.map((connector) => (
            <li
              key={connector.id}
              data-testid="connector-row"
              className="connector-row"
              // A click anywhere on the row opens the connector's page; keyboard users have its name link.
              onClick={(event) => {
                if (!(event.target as Element).closest("button, a")) navigate({ page: "connector", connectorId: connector.id, tab: "overview" });
              }}
            >
              <div className="connector-main">
                <a className="connector-name" href={routeHash({ page: "connector", connectorId: connector.id, tab: "overview" })}>
                  {connector.name}
                </a>
                <span className="muted">
                  {kindLabel(connector.kind)} · {providerLabel(connector.settings.provider)} · {connector.recipients.length}{" "}
                  {connector.recipients.length === 1 ? "recipient" : "recipients"}
                </span>
                {connector.state === "active" && connector.accountName && (
                  <span className="muted">
                    Account: {connector.accountName}
                    {connector.accountType ? ` (${connector.accountType})` : ""}
                  </span>
                )}
                {connector.state === "error" && connector.stateFailure && <ProviderFailure failure={connector.stateFailure} />}
                {connector.state === "error" && !connector.stateFailure && connector.stateReason && (
                  <span className="state-reason">{connector.stateReason}</span>
                )}
                {connector.state === "active" && connector.stateWarning && (
                  <span className="state-warning">{connector.stateWarning}</span>
                )}
                {check.isError && check.variables === connector.id && (
                  <FailureNotice error={check.error} lead="The check did not run:" />
                )}
              </div>
              <StateBadge connector={connector} />
              <CheckedAt connector={connector} />
              <div className="row-actions">
                {connector.kind !== "email" && (
                  <button
                    type="button"
                    aria-label={`Numbers of ${connector.name}`}
                    onClick={() => navigate({ page: "connector", connectorId: connector.id, tab: "numbers" })}
                  >
                    Numbers
                  </button>
                )}
                <button
                  type="button"
                  onClick={() => check.mutate(connector.id)}
                  disabled={check.isPending && check.variables === connector.id}
                  aria-label={`Check again: ${connector.name}`}
                >
                  {check.isPending && check.variables === connector.id ? "Checking…" : "Check again"}
                </button>
                <button type="button" onClick={() => setEditing({ mode: "edit", connector })} aria-label={`Edit ${connector.name}`}>
                  Edit
                </button>
                <button type="button" className="danger" onClick={() => setRemoving(connector)} aria-label={`Remove ${connector.name}`}>
                  Remove
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}

      {editing?.mode === "new" && (
        <Dialog title="Add Connector" onClose={() => setEditing(null)}>
          <AddConnectorWizard
            orgId={orgId}
            onCancel={() => setEditing(null)}
            onCreated={(created) => {
              setEditing(null);
              // Land on the new connector: its state, health and numbers are what comes next.
              navigate({ page: "connector", connectorId: created.id, tab: "overview" });
            }}
          />
        </Dialog>
      )}
      {editing?.mode === "edit" && (
        <Dialog title={`Edit ${editing.connector.name}`} onClose={() => setEditing(null)}>
          <ConnectorForm orgId={orgId} connector={editing.connector} onDone={() => setEditing(null)} />
        </Dialog>
      )}
      {removing && <RemoveDialog connector={removing} onClose={() => setRemoving(null)} onRemoved={() => setRemoving(null)} />}
    </section>
  );
}

function StateBadge({ connector }: { connector: Connector }) {
  return <span className={`badge state-${connector.state}`}>{STATE_LABEL[connector.state]}</span>;
}

/** When the credentials were last checked, so a stale state is told from a fresh one. */
function CheckedAt({ connector }: { connector: Connector }) {
  if (!connector.checkedAt) return null;
  return (
    <time
      className="muted checked-at"
      dateTime={connector.checkedAt}
      title={new Date(connector.checkedAt).toLocaleString()}
    >
      Checked {age(connector.checkedAt)}
    </time>
  );
}
