import { useState } from "react";

import { FailureNotice } from "../../components/ProviderFailure";
import type { LogFilter } from "../../lib/types";
import { useAllConnectors } from "../connectors/queries";
import { exportLogs, useLogs } from "./queries";

const ACTIONS = ["", "send", "status_query", "credential_check", "webhook_set", "bulk_job", "backup_email", "import"];
const LEVELS = [
  ["warning", "Warnings and errors"],
  ["error", "Errors only"],
  ["info", "Everything"],
] as const;

/** Seed 000's connector logs: every failure of every action, newest first, filtered and exported. */
export function ErrorLogs({ connectorId, orgId }: { connectorId?: string; orgId?: string }) {
  const [form, setForm] = useState({ level: "warning", action: "", number: "", text: "" });
  const filter: LogFilter = {
    connectorId: connectorId ?? null,
    orgId: orgId ?? null,
    level: form.level,
    action: form.action || null,
    number: form.number.trim() || null,
    text: form.text.trim() || null,
  };
  const logs = useLogs(filter);
  const [exportError, setExportError] = useState<unknown>(null);
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const entries = logs.data?.pages.flatMap((page) => page.entries) ?? [];
  // Across the organization, each row says which connector it is about.
  const connectors = useAllConnectors();
  const nameOf = (id: string | null) => connectors.data?.find((c) => c.id === id)?.name ?? "";

  const download = async () => {
    setExportError(null);
    try {
      const csv = await exportLogs(filter);
      const url = URL.createObjectURL(new Blob([csv], { type: "text/csv" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = `switchboard-logs-${connectorId ?? orgId ?? "all"}.csv`;
      link.click();
      URL.revokeObjectURL(url);
    } catch (error) {
      setExportError(error);
    }
  };

  return (
    <section className="card stack" aria-labelledby="logs-title">
      <header className="section-header">
        <h2 id="logs-title">{connectorId ? "Error logs" : "Error logs of every connector"}</h2>
        <button type="button" onClick={download}>
          Export CSV
        </button>
      </header>
      <div className="log-filters">
        <label>
          Level
          <select value={form.level} onChange={(e) => set("level")(e.target.value)}>
            {LEVELS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Action
          <select value={form.action} onChange={(e) => set("action")(e.target.value)}>
            {ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a === "" ? "Any" : a.replace("_", " ")}
              </option>
            ))}
          </select>
        </label>
        <label>
          Number
          <input value={form.number} onChange={(e) => set("number")(e.target.value)} placeholder="+46…" />
        </label>
        <label>
          Text
          <input value={form.text} onChange={(e) => set("text")(e.target.value)} placeholder="words or code" />
        </label>
      </div>
      {exportError !== null && <FailureNotice error={exportError} lead="The export failed:" />}
      {logs.isError && <FailureNotice error={logs.error} lead="Could not read the log:" />}
      {logs.isSuccess && entries.length === 0 && <p className="muted">Nothing logged that matches.</p>}
      <table className="log-table">
        <thead>
          <tr>
            <th>Time</th>
            {!connectorId && <th>Connector</th>}
            <th>Level</th>
            <th>Kind · code</th>
            <th>Action</th>
            <th>Number</th>
            <th>Message</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id} data-testid="log-row" className={`level-${entry.level}`}>
              <td>
                <time dateTime={entry.at}>{new Date(entry.at).toLocaleString()}</time>
              </td>
              {!connectorId && <td>{nameOf(entry.connectorId)}</td>}
              <td>{entry.level}</td>
              <td>
                {entry.kind}
                {entry.code && <code> {entry.code}</code>}
              </td>
              <td>{entry.action.replace("_", " ")}</td>
              <td>{entry.number}</td>
              <td>{entry.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {logs.hasNextPage && (
        <button type="button" onClick={() => logs.fetchNextPage()} disabled={logs.isFetchingNextPage}>
          {logs.isFetchingNextPage ? "Loading…" : "Older entries"}
        </button>
      )}
    </section>
  );
}
