import { useState } from "react";

import { FailureNotice } from "../../components/ProviderFailure";
import type { LogEntry, LogFilter, SavedFile } from "../../lib/types";
import { useAllConnectors } from "../connectors/queries";
import { PagedRows } from "./PagedRows";
import { exportLogs, useLogs } from "./queries";

const ROW_HEIGHT = 40;
const VIEW_ROWS = 12;

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

  // The backend writes the file (a webview's own download lands wherever the platform puts it)
  // and says where.
  const [exported, setExported] = useState<SavedFile | null>(null);
  const download = async () => {
    setExportError(null);
    setExported(null);
    try {
      setExported(await exportLogs(filter));
    } catch (error) {
      setExportError(error);
    }
  };
  // Each column shrinks to a floor (its text then ends in "…", the whole in its title), so the row
  // fits the smallest window without scrolling sideways.
  const columns = [
    "minmax(6.5rem, 10.5rem)",
    connectorId ? null : "minmax(5rem, 8rem)",
    "3.5rem",
    "minmax(6rem, 15rem)",
    "minmax(5.5rem, 7.5rem)",
    "minmax(7rem, 8.5rem)",
    "minmax(5rem, 1fr)",
  ]
    .filter(Boolean)
    .join(" ");

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
      {exported && (
        <p role="status" data-testid="export-result">
          Exported {exported.records ?? 0} {exported.records === 1 ? "entry" : "entries"} to <code>{exported.path}</code>.
        </p>
      )}
      {logs.isError && <FailureNotice error={logs.error} lead="Could not read the log:" />}
      {logs.isSuccess && entries.length === 0 && <p className="muted">Nothing logged that matches.</p>}
      <PagedRows<LogEntry>
        label="Error log"
        rows={entries}
        rowKey={(entry) => entry.id}
        rowHeight={ROW_HEIGHT}
        viewRows={VIEW_ROWS}
        hasNextPage={logs.hasNextPage}
        isFetchingNextPage={logs.isFetchingNextPage}
        fetchNextPage={logs.fetchNextPage}
        statusTestId="log-paging"
        header={
          <div className="log-grid log-header" role="row" style={{ gridTemplateColumns: columns, height: ROW_HEIGHT }}>
            <span role="columnheader">Time</span>
            {!connectorId && <span role="columnheader">Connector</span>}
            <span role="columnheader">Level</span>
            <span role="columnheader">Kind · code</span>
            <span role="columnheader">Action</span>
            <span role="columnheader">Number</span>
            <span role="columnheader">Message</span>
          </div>
        }
        renderRow={(entry, style) => (
          <div
            key={entry.id}
            role="row"
            data-testid="log-row"
            className={`log-grid level-${entry.level}`}
            style={{ ...style, gridTemplateColumns: columns }}
          >
            <span role="cell">
              <time dateTime={entry.at}>{new Date(entry.at).toLocaleString()}</time>
            </span>
            {!connectorId && (
              <span role="cell" className="ellipsis">
                {nameOf(entry.connectorId)}
              </span>
            )}
            <span role="cell" className="log-level">
              {entry.level}
            </span>
            <span role="cell" className="ellipsis" title={[entry.kind, entry.code].filter(Boolean).join(" ")}>
              {entry.kind}
              {entry.code && <code> {entry.code}</code>}
            </span>
            <span role="cell">{entry.action.replace("_", " ")}</span>
            <span role="cell">{entry.number}</span>
            <span role="cell" className="ellipsis" title={entry.message}>
              {entry.message}
            </span>
          </div>
        )}
      />
    </section>
  );
}
