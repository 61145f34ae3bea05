import { useState } from "react";

import { FailureNotice } from "../../components/ProviderFailure";
import type { AuditFilter } from "../../lib/types";
import { useDebounced } from "../../lib/useDebounced";
import { useConnectors } from "../connectors/queries";
import { useAuditLog } from "./queries";

const TEXT_DELAY_MS = 300;

/** The start of a local calendar day (`YYYY-MM-DD`), `days` later, as an RFC 3339 instant. */
function dayStart(day: string, days = 0): string | null {
  const [year, month, date] = day.split("-").map(Number);
  if (!year || !month || !date) return null;
  return new Date(year, month - 1, date + days).toISOString();
}

/**
 * Every admin action in the organization (connectors and their secrets, numbers, webhooks,
 * channels, agents, the organization itself) with before and after, newest first; filtered by
 * action, connector, words and a date range.
 */
export function AuditLog({ orgId }: { orgId: string }) {
  const [form, setForm] = useState({ action: "", connectorId: "", text: "", from: "", to: "" });
  const text = useDebounced(form.text.trim(), TEXT_DELAY_MS);
  const filter: AuditFilter = {
    actions: form.action ? [form.action] : [],
    connectorId: form.connectorId || null,
    text: text || null,
    since: form.from ? dayStart(form.from) : null,
    // The To day is included: up to the start of the day after it.
    until: form.to ? dayStart(form.to, 1) : null,
  };
  const audit = useAuditLog(orgId, filter);
  const connectors = useConnectors(orgId);
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const pages = audit.data?.pages ?? [];
  const entries = pages.flatMap((page) => page.entries);
  // The actions this organization's log holds (the first page carries them).
  const actions = pages[0]?.actions ?? [];
  const filtered = Object.values(form).some((v) => v !== "");
  const nameOf = (id: string | null) => connectors.data?.find((c) => c.id === id)?.name ?? "";

  return (
    <details className="audit card">
      <summary>Audit log</summary>
      <div className="log-filters" role="group" aria-label="Filter the audit log">
        <label>
          Action
          <select value={form.action} onChange={(e) => set("action")(e.target.value)}>
            <option value="">Any action</option>
            {[...new Set([...actions, ...(form.action ? [form.action] : [])])].map((action) => (
              <option key={action} value={action}>
                {action}
              </option>
            ))}
          </select>
        </label>
        <label>
          Connector
          <select value={form.connectorId} onChange={(e) => set("connectorId")(e.target.value)}>
            <option value="">Any connector</option>
            {connectors.data?.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Search
          <input type="search" value={form.text} onChange={(e) => set("text")(e.target.value)} placeholder="number, name, URL…" />
        </label>
        <label>
          From
          <input type="date" value={form.from} max={form.to || undefined} onChange={(e) => set("from")(e.target.value)} />
        </label>
        <label>
          To
          <input type="date" value={form.to} min={form.from || undefined} onChange={(e) => set("to")(e.target.value)} />
        </label>
        {filtered && (
          <button type="button" onClick={() => setForm({ action: "", connectorId: "", text: "", from: "", to: "" })}>
            Clear filters
          </button>
        )}
      </div>
      {audit.isError && <FailureNotice error={audit.error} lead="Could not read the audit log:" />}
      {audit.isSuccess && entries.length === 0 && <p className="muted">{filtered ? "No change matches these filters." : "No changes yet."}</p>}
      <table>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id} data-testid="audit-row">
              <td className="muted">
                <time dateTime={entry.createdAt}>{new Date(entry.createdAt).toLocaleString()}</time>
              </td>
              <td>{entry.action}</td>
              <td>
                {entry.target}
                {entry.connectorId && nameOf(entry.connectorId) && <span className="muted"> · {nameOf(entry.connectorId)}</span>}
              </td>
              <td className="muted">
                {entry.before ?? "—"} → {entry.after ?? "—"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {audit.hasNextPage && (
        <button type="button" onClick={() => audit.fetchNextPage()} disabled={audit.isFetchingNextPage}>
          {audit.isFetchingNextPage ? "Loading…" : "Older entries"}
        </button>
      )}
    </details>
  );
}
