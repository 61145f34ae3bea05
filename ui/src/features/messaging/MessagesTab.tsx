import { useState } from "react";

import { FailureNotice } from "../../components/ProviderFailure";
import { StaleNotice } from "../../components/StaleNotice";
import type { AttemptFilter, MessageAttempt } from "../../lib/types";
import { useDebounced } from "../../lib/useDebounced";
import { AttemptView, OutcomeBadge } from "./AttemptView";
import { ImportedList } from "./ImportedList";
import { PagedRows } from "./PagedRows";
import { useAttempts, useSyncHistory } from "./queries";

const FILTERS = ["", "delivered", "sent", "failed", "unknown"] as const;
const ROW_HEIGHT = 40;
const VIEW_ROWS = 10;
const TYPING_DELAY_MS = 300;

/** Local midnight of a date input's day (`days` later), as the backend's RFC 3339. */
function dayStart(date: string, days = 0): string | null {
  if (!date) return null;
  const day = new Date(`${date}T00:00`);
  if (Number.isNaN(day.getTime())) return null;
  day.setDate(day.getDate() + days);
  return day.toISOString();
}

/** The connector's test sends, newest first, and the import of its message history. */
export function MessagesTab({ connectorId }: { connectorId: string }) {
  const [form, setForm] = useState({ status: "", number: "", since: "", until: "" });
  const number = useDebounced(form.number.trim(), TYPING_DELAY_MS);
  const filter: AttemptFilter = {
    status: form.status || null,
    number: number || null,
    since: dayStart(form.since),
    // The whole of the last day chosen.
    until: dayStart(form.until, 1),
  };
  const attempts = useAttempts(connectorId, filter);
  const rows = attempts.data?.pages.flatMap((page) => page.attempts) ?? [];
  const sync = useSyncHistory(connectorId);
  const [openId, setOpenId] = useState<string | null>(null);
  const open: MessageAttempt | undefined = rows.find((attempt) => attempt.id === openId);
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
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
        {sync.data && !sync.data.freshness.stale && (
          <p role="status" data-testid="sync-report">
            Fetched {sync.data.fetched} messages in {sync.data.pages} page(s): {sync.data.new} new, {sync.data.updated} updated.
          </p>
        )}
        {/* The provider could not be reached: the messages imported before stay listed below. */}
        <StaleNotice freshness={sync.data?.freshness} what="the message history" onRetry={() => sync.mutate()} retrying={sync.isPending} />
        {sync.isError && <FailureNotice error={sync.error} lead="The history was not imported:" />}
        <ImportedList connectorId={connectorId} />
      </section>
      <section className="card stack" aria-labelledby="attempts-title">
        <h2 id="attempts-title">Messages sent from Switchboard</h2>
        <div className="log-filters">
          <label>
            Status
            <select value={form.status} onChange={(e) => set("status")(e.target.value)} aria-label="Sent messages with status">
              {FILTERS.map((f) => (
                <option key={f} value={f}>
                  {f === "" ? "All" : f}
                </option>
              ))}
            </select>
          </label>
          <label>
            Number
            <input value={form.number} onChange={(e) => set("number")(e.target.value)} placeholder="+46…" aria-label="Sent messages with number" />
          </label>
          <label>
            From
            <input type="date" value={form.since} onChange={(e) => set("since")(e.target.value)} aria-label="Sent messages since" />
          </label>
          <label>
            To
            <input type="date" value={form.until} onChange={(e) => set("until")(e.target.value)} aria-label="Sent messages until" />
          </label>
        </div>
        {attempts.isError && <FailureNotice error={attempts.error} lead="Could not read the messages:" />}
        {attempts.isSuccess && rows.length === 0 && (
          <p className="muted">
            {filter.status || filter.number || filter.since || filter.until ? "No sent message matches." : "No messages yet. Send one from Send test."}
          </p>
        )}
        <PagedRows<MessageAttempt>
          label="Sent messages"
          rows={rows}
          rowKey={(attempt) => attempt.id}
          rowHeight={ROW_HEIGHT}
          viewRows={VIEW_ROWS}
          hasNextPage={attempts.hasNextPage}
          isFetchingNextPage={attempts.isFetchingNextPage}
          fetchNextPage={attempts.fetchNextPage}
          statusTestId="attempts-paging"
          renderRow={(attempt, style) => (
            <div key={attempt.id} role="row" data-testid="attempt-row" className="attempt-row" style={style}>
              <span role="cell">
                <button
                  type="button"
                  className="link"
                  aria-expanded={openId === attempt.id}
                  onClick={() => setOpenId(openId === attempt.id ? null : attempt.id)}
                >
                  <time dateTime={attempt.createdAt}>{new Date(attempt.createdAt).toLocaleString()}</time> · {attempt.kind} to {attempt.to}
                </button>
              </span>
              <span role="cell">
                <OutcomeBadge attempt={attempt} />
              </span>
            </div>
          )}
        />
        {open && <AttemptView attempt={open} />}
      </section>
    </div>
  );
}
