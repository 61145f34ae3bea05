import { useMutation } from "@tanstack/react-query";

import { commands } from "../../bindings";
import { StaleNotice } from "../../components/StaleNotice";
import { failureMessage, unwrap } from "../../lib/api";
import type { DriftReason } from "../../lib/types";

function describeDrift(reason: DriftReason): string {
  switch (reason.kind) {
    case "noInboundBaseUrl":
      return "The organization has no inbound base URL, so there is no URL to expect";
    case "notSet":
      return "Webhook not set up in provider";
    case "urlMismatch":
      return "The provider has another URL";
    case "wrongMethod":
      return `The provider calls it with ${reason.method}, not POST`;
    case "overriddenByMessagingService":
      return `Overridden by the Messaging Service ${reason.name ? `'${reason.name}' ` : ""}${reason.sid}`;
    case "overriddenByApplication":
      return `Overridden by the application ${reason.sid}`;
    case "senderOffline":
      return reason.reasons.length ? `The sender is offline: ${reason.reasons.join("; ")}` : "The sender is offline";
    case "numberGone":
      return "The number is no longer in the provider account";
    case "needsReset":
      return "The webhook URL was regenerated: set the webhook again";
  }
}

/** Expected vs actual webhook for every active number, read from the provider now. */
export function DriftReport({ connectorId }: { connectorId: string }) {
  const drift = useMutation({ mutationFn: () => unwrap(commands.driftReport(connectorId)) });
  return (
    <div className="drift">
      <button type="button" onClick={() => drift.mutate()} disabled={drift.isPending}>
        {drift.isPending ? "Comparing…" : "Check drift"}
      </button>
      {drift.isError && (
        <p className="form-error" role="alert">
          {failureMessage(drift.error)}
        </p>
      )}
      <StaleNotice
        freshness={drift.data?.freshness}
        what="the webhooks"
        onRetry={() => drift.mutate()}
        retrying={drift.isPending}
      />
      {drift.data && drift.data.entries.length === 0 && <p className="muted">No active numbers: nothing to compare.</p>}
      {drift.data && drift.data.entries.length > 0 && (
        <ul className="drift-list" aria-label="Drift report">
          {drift.data.entries.map((entry) => (
            <li key={entry.e164} data-testid="drift-entry">
              <strong>{entry.e164}</strong>{" "}
              {entry.reasons.length === 0 ? (
                <span className="badge webhook-configured">As expected</span>
              ) : (
                <>
                  <ul>
                    {entry.reasons.map((reason) => (
                      <li key={reason.kind} className="state-reason">
                        {describeDrift(reason)}
                      </li>
                    ))}
                  </ul>
                  <span className="muted small">
                    expected {entry.expectedUrl ?? "(none)"} · provider has {entry.actualUrl ?? "(none)"}
                  </span>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
