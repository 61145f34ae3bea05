import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { commands } from "./bindings";
import { queryKeys } from "./lib/queryKeys";
import { ConnectorList } from "./features/connectors/ConnectorList";
import { OrganizationForm } from "./features/organizations/OrganizationForm";
import { ImportConfiguration } from "./features/organizations/ConfigTransfer";
import { OrganizationSummary } from "./features/organizations/OrganizationSummary";
import { useOrganizations } from "./features/organizations/queries";
import { AgentsPanel } from "./features/agents/AgentsPanel";
import { AuditLog } from "./features/audit/AuditLog";
import { ErrorLogs } from "./features/messaging/ErrorLogs";
import { useAllConnectors } from "./features/connectors/queries";
import { ConnectorPage } from "./features/connector-page/ConnectorPage";
import { useRoute } from "./lib/route";
import { LeaveSandbox } from "./features/sandbox/LeaveSandbox";
import { TrySandbox } from "./features/sandbox/TrySandbox";
import { failureMessage } from "./lib/api";
import { About } from "./features/about/About";

export function App() {
  const status = useQuery({ queryKey: queryKeys.appStatus, queryFn: () => commands.appStatus() });

  if (status.isPending) return <p className="muted centered">Starting Switchboard…</p>;
  if (status.isError) return <Blocked title="Switchboard could not start" message={failureMessage(status.error)} />;
  if (status.data.startupError)
    return <Blocked title="Switchboard cannot open its data" message={status.data.startupError.message} />;
  return <Workspace sandboxUrl={status.data.sandboxUrl} />;
}

function Blocked({ title, message }: { title: string; message: string }) {
  return (
    <main className="blocked" role="alert">
      <h1>{title}</h1>
      <p>{message}</p>
    </main>
  );
}

function Workspace({ sandboxUrl }: { sandboxUrl: string | null }) {
  const organizations = useOrganizations();
  const [route, navigate] = useRoute();
  const [creating, setCreating] = useState(false);
  const allConnectors = useAllConnectors();
  const orgs = organizations.data ?? [];
  // First run: nothing set up yet (no connector anywhere), so offer the sandbox.
  const firstRun = organizations.isSuccess && allConnectors.isSuccess && allConnectors.data.length === 0;
  const shownConnector =
    route.page === "connector" ? allConnectors.data?.find((c) => c.id === route.connectorId) : undefined;
  const selectedId = route.page === "connector" ? shownConnector?.orgId : route.orgId;
  const selected = orgs.find((org) => org.id === selectedId) ?? orgs[0];
  const setSelectedId = (orgId: string) => navigate({ page: "home", orgId });
  const orgConnectors = allConnectors.data?.filter((c) => c.orgId === selected?.id) ?? [];

  return (
    <div className="layout">
      <nav className="sidebar" aria-label="Organizations">
        <div className="brand">Switchboard</div>
        <h2>Organizations</h2>
        {organizations.isSuccess && orgs.length === 0 && (
          <p className="sidebar-empty">No organizations yet. Create your first one to start adding connectors.</p>
        )}
        <ul>
          {orgs.map((org) => (
            <li key={org.id}>
              <button
                type="button"
                className={org.id === selected?.id ? "org selected" : "org"}
                aria-current={org.id === selected?.id && route.page === "home" ? "page" : undefined}
                onClick={() => {
                  setSelectedId(org.id);
                  setCreating(false);
                }}
              >
                {org.name}
              </button>
              {org.id === selected?.id && orgConnectors.length > 0 && (
                <ul className="sidebar-connectors" aria-label={`Connectors of ${org.name}`}>
                  {orgConnectors.map((c) => (
                    <li key={c.id}>
                      <a
                        href={`#/connectors/${encodeURIComponent(c.id)}/overview`}
                        className={route.page === "connector" && route.connectorId === c.id ? "selected" : undefined}
                        aria-current={route.page === "connector" && route.connectorId === c.id ? "page" : undefined}
                      >
                        {c.name}
                      </a>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
        {orgs.length > 0 && (
          <button type="button" className="ghost" onClick={() => setCreating(true)}>
            + Organization
          </button>
        )}
        {sandboxUrl && <LeaveSandbox sandboxUrl={sandboxUrl} />}
        <About />
      </nav>
      <main className="content">
        {organizations.isPending && <p className="muted">Loading…</p>}
        {organizations.isError && (
          <p className="form-error" role="alert">
            Could not load the organizations: {failureMessage(organizations.error)}{" "}
            <button type="button" onClick={() => organizations.refetch()}>
              Try again
            </button>
          </p>
        )}
        {organizations.isSuccess && (orgs.length === 0 || creating) && (
          <section className="card narrow">
            <h1>{orgs.length === 0 ? "Create your first organization" : "New organization"}</h1>
            {orgs.length === 0 && (
              <p className="muted">
                Create your first organization to start adding connectors. An organization is your hotel or facility:
                its connectors, numbers and agents live in it.
              </p>
            )}
            <OrganizationForm
              onSaved={(org) => {
                setSelectedId(org.id);
                setCreating(false);
              }}
              onCancel={orgs.length > 0 ? () => setCreating(false) : undefined}
            />
            <p className="muted">
              Or bring one from another machine:{" "}
              <ImportConfiguration
                organization={null}
                onImported={(orgId) => {
                  setSelectedId(orgId);
                  setCreating(false);
                }}
              />
            </p>
          </section>
        )}
        {firstRun && (
          <TrySandbox
            onReady={(demo) => {
              setSelectedId(demo.organization.id);
              setCreating(false);
            }}
          />
        )}
        {route.page === "connector" && !creating && (
          <ConnectorPage connectorId={route.connectorId} tab={route.tab} navigate={navigate} />
        )}
        {selected && !creating && route.page === "home" && (
          <>
            <OrganizationSummary key={`org-${selected.id}`} organization={selected} />
            <ConnectorList key={selected.id} orgId={selected.id} orgName={selected.name} />
            <AgentsPanel key={`agents-${selected.id}`} orgId={selected.id} />
            <ErrorLogs key={`logs-${selected.id}`} orgId={selected.id} />
            <AuditLog key={`audit-${selected.id}`} orgId={selected.id} />
          </>
        )}
      </main>
    </div>
  );
}
