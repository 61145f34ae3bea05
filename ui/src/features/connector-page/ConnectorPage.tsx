import * as Tabs from "@radix-ui/react-tabs";
import { useState } from "react";

import type { Connector } from "../../bindings";
import { FailureNotice, ProviderFailure } from "../../components/ProviderFailure";
import { failureMessage } from "../../lib/api";
import type { ConnectorTab, Route } from "../../lib/route";
import { ConnectorForm } from "../connectors/ConnectorForm";
import { kindLabel, providerLabel } from "../connectors/catalog";
import { STATE_LABEL } from "../connectors/labels";
import { DiagnosePanel } from "../diagnose/DiagnosePanel";
import { useAllConnectors, useCheckConnector } from "../connectors/queries";
import { RemoveDialog } from "../connectors/RemoveDialog";
import { age } from "../numbers/labels";
import { NumbersSection } from "../numbers/NumbersSection";
import { ErrorLogs } from "../messaging/ErrorLogs";
import { MessagesTab } from "../messaging/MessagesTab";
import { SendTest } from "../messaging/SendTest";
import { StatsPanel } from "../messaging/StatsPanel";
import { SendersSection } from "../senders/SendersSection";
import { RecoveryBanner } from "./RecoveryBanner";

interface TabSpec {
  tab: ConnectorTab;
  label: string;
  /** Whether this kind of connector has the tab (an Email connector has no numbers). */
  shown: (connector: Connector) => boolean;
}

const TABS: TabSpec[] = [
  { tab: "overview", label: "Overview", shown: () => true },
  { tab: "numbers", label: "Numbers", shown: (c) => c.kind !== "email" },
  { tab: "senders", label: "WhatsApp senders", shown: (c) => c.kind === "whatsapp" && c.settings.provider === "twilio" },
  { tab: "send", label: "Send test", shown: (c) => c.kind !== "email" },
  { tab: "messages", label: "Messages", shown: (c) => c.kind !== "email" },
  { tab: "logs", label: "Error logs", shown: () => true },
  { tab: "settings", label: "Settings", shown: () => true },
];

/** One connector's own page: a tab per task, the tab kept in the URL. */
export function ConnectorPage({
  connectorId,
  tab,
  navigate,
}: {
  connectorId: string;
  tab: ConnectorTab;
  navigate: (route: Route) => void;
}) {
  const connectors = useAllConnectors();
  const connector = connectors.data?.find((c) => c.id === connectorId);

  if (connectors.isPending) return <p className="muted">Loading the connector…</p>;
  if (connectors.isError)
    return (
      <p className="form-error" role="alert">
        Could not load the connector: {failureMessage(connectors.error)}
      </p>
    );
  if (!connector)
    return (
      <section className="card narrow" role="alert">
        <h1>This connector is gone</h1>
        <p>It was removed, perhaps from another window or the command line.</p>
        <button type="button" onClick={() => navigate({ page: "home", orgId: null })}>
          Back to the connectors
        </button>
      </section>
    );

  const tabs = TABS.filter((spec) => spec.shown(connector));
  const current = tabs.some((spec) => spec.tab === tab) ? tab : "overview";
  const go = (next: string) => {
    const found = tabs.find((spec) => spec.tab === next);
    if (found) navigate({ page: "connector", connectorId, tab: found.tab });
  };

  return (
    <section className="connector-page" aria-labelledby="connector-title">
      <a className="back-link" href={`#/organizations/${encodeURIComponent(connector.orgId)}`}>
        ← All connectors
      </a>
      <header className="section-header">
        <div>
          <h1 id="connector-title">{connector.name}</h1>
          <p className="muted">
            {kindLabel(connector.kind)} · {providerLabel(connector.settings.provider)}
          </p>
        </div>
        <ConnectorBadges connector={connector} />
      </header>
      {connector.kind !== "email" && <RecoveryBanner connectorId={connector.id} />}
      <Tabs.Root value={current} onValueChange={go} className="tabs">
        <Tabs.List className="tab-list" aria-label={`${connector.name} sections`}>
          {tabs.map((spec) => (
            <Tabs.Trigger key={spec.tab} value={spec.tab} className="tab">
              {spec.label}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        <Tabs.Content value="overview" className="tab-panel">
          <Overview connector={connector} />
        </Tabs.Content>
        {connector.kind !== "email" && (
          <Tabs.Content value="numbers" className="tab-panel">
            <NumbersSection connector={connector} />
          </Tabs.Content>
        )}
        {connector.kind === "whatsapp" && (
          <Tabs.Content value="senders" className="tab-panel">
            <SendersSection connector={connector} />
          </Tabs.Content>
        )}
        {connector.kind !== "email" && (
          <>
            <Tabs.Content value="send" className="tab-panel">
              <SendTest connector={connector} />
            </Tabs.Content>
            <Tabs.Content value="messages" className="tab-panel">
              <MessagesTab connectorId={connector.id} />
            </Tabs.Content>
          </>
        )}
        <Tabs.Content value="logs" className="tab-panel">
          <ErrorLogs connectorId={connector.id} />
        </Tabs.Content>
        <Tabs.Content value="settings" className="tab-panel">
          <Settings connector={connector} onRemoved={() => navigate({ page: "home", orgId: connector.orgId })} />
        </Tabs.Content>
      </Tabs.Root>
    </section>
  );
}

/** The two badges of seed 001: the connector's state, and whether the provider account answers. */
export function ConnectorBadges({ connector }: { connector: Connector }) {
  const checked = connector.checkedAt ? ` · checked ${age(connector.checkedAt)}` : "";
  // Active with a failure: the provider could not be asked at the last check, so the state is
  // the last known one (verified at checkedAt) and the connection badge says why.
  const connected = connector.state === "active" && !connector.stateFailure;
  const unreachable = connector.stateFailure?.kind === "UNREACHABLE";
  return (
    <div className="badges" data-testid="connector-badges">
      <span className={`badge state-${connector.state}`} title={(connector.stateReason ?? "") + checked}>
        {connector.state === "active" ? "Active" : STATE_LABEL[connector.state]}
      </span>
      {connector.state !== "not_checked" && (
        <span
          className={`badge ${connected ? "state-active" : "state-error"}`}
          title={connected ? `The provider accepted the credentials${checked}` : `${connector.stateReason ?? ""}${checked}`}
        >
          {connected ? "Connected" : unreachable ? "Not connected: provider unreachable" : "Not connected"}
        </span>
      )}
    </div>
  );
}

function Overview({ connector }: { connector: Connector }) {
  const check = useCheckConnector();
  return (
    <div className="stack">
      <div className="card">
        <h2>Connection</h2>
        <dl className="facts">
          {connector.accountName && (
            <>
              <dt>Account</dt>
              <dd>
                {connector.accountName}
                {connector.accountType ? ` (${connector.accountType})` : ""}
              </dd>
            </>
          )}
          <dt>Last checked</dt>
          <dd>{connector.checkedAt ? new Date(connector.checkedAt).toLocaleString() : "Never"}</dd>
        </dl>
        {connector.state === "error" && connector.stateFailure && <ProviderFailure failure={connector.stateFailure} />}
        {connector.state === "error" && !connector.stateFailure && connector.stateReason && (
          <p className="state-reason">{connector.stateReason}</p>
        )}
        {connector.state === "active" && connector.stateWarning && <p className="state-warning">{connector.stateWarning}</p>}
        {check.isError && <FailureNotice error={check.error} lead="The check did not run:" />}
        <button type="button" onClick={() => check.mutate(connector.id)} disabled={check.isPending}>
          {check.isPending ? "Checking…" : "Check again"}
        </button>
      </div>
      <DiagnosePanel connector={connector} />
      {connector.kind !== "email" && <StatsPanel connectorId={connector.id} />}
      <div className="card">
        <h2>Recipients</h2>
        {connector.recipients.length === 0 ? (
          <p className="muted">No recipients. Add them in Settings.</p>
        ) : (
          <ul className="plain-list">
            {connector.recipients.map((recipient) => (
              <li key={recipient.number}>
                {recipient.number}
                {recipient.backupEmail && <span className="muted"> · backup email {recipient.backupEmail}</span>}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

function Settings({ connector, onRemoved }: { connector: Connector; onRemoved: () => void }) {
  const [removing, setRemoving] = useState(false);
  const [saved, setSaved] = useState(0);
  const [reset, setReset] = useState(0);
  return (
    <div className="stack">
      <div className="card">
        <h2>Settings</h2>
        {saved > 0 && (
          <p className="notice" role="status">
            Saved and checked again.
          </p>
        )}
        <ConnectorForm
          key={`${saved}-${reset}`}
          orgId={connector.orgId}
          connector={connector}
          onDone={() => setSaved((n) => n + 1)}
          onCancel={() => setReset((n) => n + 1)}
          cancelLabel="Discard changes"
        />
      </div>
      <div className="card danger-zone">
        <h2>Remove this connector</h2>
        <p className="muted">Its settings go, and its secret is deleted from the system keychain. Numbers at the provider are not changed.</p>
        <button type="button" className="danger" onClick={() => setRemoving(true)}>
          Remove connector…
        </button>
      </div>
      {removing && <RemoveDialog connector={connector} onClose={() => setRemoving(false)} onRemoved={onRemoved} />}
    </div>
  );
}
