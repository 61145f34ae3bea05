import { useVirtualizer } from "@tanstack/react-virtual";
import { useMemo, useRef, useState } from "react";

import { FailureNotice } from "../../components/ProviderFailure";
import { useImported } from "./queries";

const ROW_HEIGHT = 44;
const OUTCOMES = ["", "delivered", "sent", "failed", "received", "pending"];

/** The messages the history import stored: every one the account sent or received on the connector's numbers. */
export function ImportedList({ connectorId }: { connectorId: string }) {
  const imported = useImported(connectorId);
  const [outcome, setOutcome] = useState("");
  const [number, setNumber] = useState("");
  const [since, setSince] = useState("");
  const rows = useMemo(() => {
    const digits = number.replace(/[^\d+]/g, "");
    return (imported.data ?? []).filter(
      (m) =>
        (!outcome || m.outcome === outcome) &&
        (!digits || m.from.includes(digits) || m.to.includes(digits)) &&
        (!since || m.sentAt >= since),
    );
  }, [imported.data, outcome, number, since]);
  const viewport = useRef<HTMLDivElement>(null);
  // TanStack Virtual keeps its own state, which the React Compiler cannot see (as in NumbersSection).
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => viewport.current, estimateSize: () => ROW_HEIGHT, overscan: 6 });

  return (
    <div className="stack">
      <div className="log-filters">
        <label>
          Status
          <select value={outcome} onChange={(e) => setOutcome(e.target.value)} aria-label="Imported messages with status">
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {o === "" ? "All" : o}
              </option>
            ))}
          </select>
        </label>
        <label>
          Number
          <input value={number} onChange={(e) => setNumber(e.target.value)} placeholder="+46…" aria-label="Imported messages with number" />
        </label>
        <label>
          Since
          <input type="date" value={since} onChange={(e) => setSince(e.target.value)} aria-label="Imported messages since" />
        </label>
      </div>
      {imported.isError && <FailureNotice error={imported.error} lead="Could not read the imported messages:" />}
      {imported.isSuccess && rows.length === 0 && <p className="muted">Nothing imported matches. Import the history above.</p>}
      <p className="muted" data-testid="imported-count">
        {rows.length} of {imported.data?.length ?? 0} imported messages
      </p>
      <div ref={viewport} className="virtual-viewport" style={{ height: Math.min(rows.length, 10) * ROW_HEIGHT + 2 }}>
        <div style={{ height: virtual.getTotalSize(), position: "relative" }}>
          {virtual.getVirtualItems().map((item) => {
            const m = rows[item.index];
            return (
              <div
                key={m.providerMessageId}
                data-testid="imported-row"
                className="imported-row"
                style={{ position: "absolute", top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
              >
                <time dateTime={m.sentAt}>{new Date(m.sentAt).toLocaleString()}</time>
                <span>{m.direction === "inbound" ? "in" : "out"}</span>
                <span>
                  {m.from} → {m.to}
                </span>
                <span className={`badge ${m.outcome === "failed" ? "state-error" : m.outcome === "delivered" ? "state-active" : "state-not_checked"}`}>
                  {m.status}
                </span>
                <span className="muted">{m.errorCode ?? ""}</span>
                <span className="muted ellipsis">{m.bodyExcerpt ?? ""}</span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
