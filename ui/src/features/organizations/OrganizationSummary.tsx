import { useState } from "react";

import type { Organization } from "../../bindings";
import { Dialog } from "../../components/Dialog";
import { WebhookInspector } from "../inspector/WebhookInspector";
import { ExportConfiguration, ImportConfiguration } from "./ConfigTransfer";
import { OrganizationForm } from "./OrganizationForm";

/** The organization's own settings, above its connectors: where inbound messages arrive, and Edit. */
export function OrganizationSummary({ organization }: { organization: Organization }) {
  const [editing, setEditing] = useState(false);
  const [toReset, setToReset] = useState(0);
  return (
    <div className="org-summary">
      <p className="muted">
        Inbound base URL:{" "}
        {organization.inboundBaseUrl ? <code>{organization.inboundBaseUrl}</code> : "not set — numbers cannot receive messages yet"}
      </p>
      <button type="button" onClick={() => setEditing(true)}>
        Edit organization
      </button>
      <ExportConfiguration organization={organization} />
      <ImportConfiguration organization={organization} />
      <WebhookInspector />
      {toReset > 0 && (
        <p className="state-warning" role="status">
          The inbound base URL changed: {toReset} active {toReset === 1 ? "number needs" : "numbers need"} the webhook set again.
          Open each connector&apos;s Numbers tab and use &ldquo;Set on all&rdquo;.
        </p>
      )}
      {editing && (
        <Dialog title={`Edit ${organization.name}`} onClose={() => setEditing(false)}>
          <OrganizationForm
            organization={organization}
            onSaved={(_, numbersToReset) => {
              setToReset(numbersToReset);
              setEditing(false);
            }}
            onCancel={() => setEditing(false)}
          />
        </Dialog>
      )}
    </div>
  );
}
