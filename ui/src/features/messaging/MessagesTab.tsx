import { useState } from "react";

import { FailureNotice } from "../../components/ProviderFailure";
import type { MessageAttempt } from "../../lib/types";
import { AttemptView, OutcomeBadge } from "./AttemptView";
import { ImportedList } from "./ImportedList";
import { useAttempts, useSyncHistory } from "./queries";

const FILTERS = ["", "delivered", "sent", "failed", "unknown"] as const;

/** The connector's test sends, newest first, and the import of its message history. */
export function MessagesTab({ connectorId }: { connectorId: string }) {
  const [status, setStatus] = useState<string>("");
  const attempts = useAttempts(connectorId, status || null);
  const sync = useSyncHistory(connectorId);
  const [open, setOpen] = useState<MessageAttempt | null>(null);
  return (
    <div className="stack">
      <section className="card stack" aria-labelledby="history-title">
        <h2 id="history-title">Message history at the provider</h2>
        <p className="muted">Imports the account&apos;s messages for this connector&apos;s numbers: the last 30 days the first time, then what is new.</p>
        <div className="actions">
          <button type="button" onClick={() => sync.mutate()} disabled={sync.isPending}>
            {sync.isPending ? "Importing…" : "Import history"}
          </button>
        </div>
        {sync.data && (
          <p role="status" data-testid="sync-report">
            Fetched {sync.data.fetched} messages in {sync.data.pages} page(s): {sync.data.new} new, {sync.data.updated} updated.
          </p>
        )}
        {sync.isError && <FailureNotice error={sync.error} lead="The history was not imported:" />}
        <ImportedList connectorId={connectorId} />
      </section>
      <section className="card stack" aria-labelledby="attempts-title">
        <header className="section-header">
          <h2 id="attempts-title">Messages sent from Switchboard</h2>
          <label className="inline">
            Status
            <select value={status} onChange={(e) => setStatus(e.target.value)} aria-label="Show messages with status">
              {FILTERS.map((f) => (
                <option key={f} value={f}>
                  {f === "" ? "All" : f}
                </option>
              ))}
            </select>
          </label>
        </header>
        {attempts.isError && <FailureNotice error={attempts.error} lead="Could not read the messages:" />}
        {attempts.data?.length === 0 && <p className="muted">No messages yet. Send one from Send test.</p>}
        <ul className="plain-list attempt-list">
          {attempts.data?.map((attempt) => (
            <li key={attempt.id} data-testid="attempt-row">
              <button type="button" className="link" onClick={() => setOpen(open?.id === attempt.id ? null : attempt)}>
                <time dateTime={attempt.createdAt}>{new Date(attempt.createdAt).toLocaleString()}</time> · {attempt.kind} to {attempt.to}
              </button>{" "}
              <OutcomeBadge attempt={attempt} />
              {open?.id === attempt.id && <AttemptView attempt={attempt} />}
            </li>
          ))}
        </ul>
        {attempts.data && attempts.data.length >= 200 && <p className="hint">The newest 200 are shown; the CLI lists more (switchboard messages list).</p>}
      </section>
    </div>
  );
}
