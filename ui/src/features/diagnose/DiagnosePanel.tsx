import { useState } from "react";

import type { Connector } from "../../bindings";
import { FailureNotice } from "../../components/ProviderFailure";
import { StaleNotice } from "../../components/StaleNotice";
import { age } from "../numbers/labels";
import { type Diagnosis, type Finding, useLastDiagnosis, useRunDiagnosis, useSupportBundle } from "./queries";

const SEVERITY_LABEL: Record<Finding["severity"], string> = {
  ok: "OK",
  info: "Info",
  warning: "Warning",
  error: "Error",
};

const SINCE_LAST_LABEL: Record<NonNullable<Finding["sinceLast"]>, string> = {
  new: "New since last time",
  again: "Same as last time",
  fixed: "Fixed since last time",
};

function FindingItem({ finding }: { finding: Finding }) {
  return (
    <li className={`finding finding-${finding.severity}`} data-testid="finding" data-severity={finding.severity}>
      <div className="finding-head">
        <span className={`badge severity-${finding.severity}`}>{SEVERITY_LABEL[finding.severity]}</span>
        <strong>{finding.title}</strong>
        {finding.sinceLast && finding.sinceLast !== "again" && (
          <span className={`badge since-${finding.sinceLast}`}>{SINCE_LAST_LABEL[finding.sinceLast]}</span>
        )}
      </div>
      <p>{finding.meaning}</p>
      {finding.fix && (
        <p className="finding-fix">
          <strong>Fix:</strong> {finding.fix}
        </p>
      )}
      {finding.evidence.length > 0 && (
        <details>
          <summary>Evidence</summary>
          <ul className="plain-list evidence">
            {finding.evidence.map((e, i) => (
              <li key={i}>
                <code>
                  {[e.request, e.status != null ? `→ ${e.status}` : null, e.summary, e.latencyMs != null ? `(${e.latencyMs} ms)` : null]
                    .filter(Boolean)
                    .join(" ")}
                </code>
              </li>
            ))}
          </ul>
        </details>
      )}
    </li>
  );
}

function Summary({ run }: { run: Diagnosis }) {
  const fresh = run.findings.filter((f) => f.sinceLast === "new");
  return (
    <div className="diagnosis-summary" data-testid="diagnosis-summary">
      <p>
        {run.errors} error(s), {run.warnings} warning(s) · {run.wallMs} ms · diagnosed {age(run.startedAt)}
      </p>
      {run.previousRunAt && run.fixedSinceLast.length > 0 && (
        <div>
          <h3>Fixed since last time</h3>
          <ul className="plain-list">
            {run.fixedSinceLast.map((fixed) => (
              <li key={fixed.id}>✓ {fixed.title}</li>
            ))}
          </ul>
        </div>
      )}
      {fresh.length > 0 && (
        <div>
          <h3>New since last time</h3>
          <ul className="plain-list">
            {fresh.map((finding) => (
              <li key={finding.id}>! {finding.title}</li>
            ))}
          </ul>
        </div>
      )}
      {run.previousRunAt && run.fixedSinceLast.length === 0 && fresh.length === 0 && (
        <p className="muted">Nothing changed since the last run.</p>
      )}
    </div>
  );
}

/** The Diagnose card of a connector's Overview: findings as they arrive, the run compared with the last one, and the support bundle. */
export function DiagnosePanel({ connector }: { connector: Connector }) {
  const last = useLastDiagnosis(connector.id);
  const [streamed, setStreamed] = useState<Finding[] | null>(null);
  const run = useRunDiagnosis(connector.id, (finding) => setStreamed((previous) => [...(previous ?? []), finding]));
  const bundle = useSupportBundle(connector.id);

  const start = () => {
    setStreamed([]);
    run.mutate();
  };
  // While it runs: what has arrived, in arrival order. After: the run (or the last stored one), worst first.
  const current: Diagnosis | null = run.data ?? last.data ?? null;
  const findings: Finding[] = run.isPending ? (streamed ?? []) : (current?.findings ?? []);
  const sorted = run.isPending ? findings : [...findings].sort((a, b) => rank(b) - rank(a));

  return (
    <div className="card" aria-labelledby="diagnose-title">
      <h2 id="diagnose-title">Diagnose</h2>
      <p className="muted">
        Checks the provider, the credentials, the numbers and their webhooks, the inbound URL, recent errors and the backup email path, and says what to do about each problem.
      </p>
      <div className="actions">
        <button type="button" onClick={start} disabled={run.isPending}>
          {run.isPending ? "Diagnosing…" : "Diagnose"}
        </button>
        <button type="button" className="secondary" onClick={() => bundle.mutate()} disabled={bundle.isPending || run.isPending}>
          {bundle.isPending ? "Writing the bundle…" : "Support bundle"}
        </button>
      </div>
      {run.isError && <FailureNotice error={run.error} lead="The diagnosis did not run:" />}
      {bundle.isError && <FailureNotice error={bundle.error} lead="The support bundle was not written:" />}
      {bundle.data && (
        <p className="notice" role="status" data-testid="bundle-path">
          Support bundle saved to <code>{bundle.data.path}</code> ({bundle.data.files.length} files; phone numbers, SIDs and emails masked, no secret).
        </p>
      )}
      {run.isPending && (
        <p role="status" className="muted">
          {findings.length === 0 ? "Starting the checks…" : `${findings.length} finding(s) so far…`}
        </p>
      )}
      {!run.isPending && current && <Summary run={current} />}
      {sorted.length > 0 && (
        <ul className="plain-list findings" aria-label="Findings">
          {sorted.map((finding) => (
            <FindingItem key={finding.id} finding={finding} />
          ))}
        </ul>
      )}
      {!run.isPending && current?.lastKnown && <LastKnown known={current.lastKnown} onRetry={start} />}
      {!run.isPending && !current && !last.isPending && <p className="muted">Not diagnosed yet.</p>}
    </div>
  );
}

/** The provider could not be reached: what the last run that reached it found, with its age (issue 11 §5). */
function LastKnown({ known, onRetry }: { known: NonNullable<Diagnosis["lastKnown"]>; onRetry: () => void }) {
  const sorted = [...known.findings].sort((a, b) => rank(b) - rank(a));
  return (
    <section className="stack" aria-label="Last known state" data-testid="diagnosis-last-known">
      <StaleNotice freshness={known.freshness} what="the account's state" onRetry={onRetry} />
      <p className="muted">
        The last run that reached the provider found {known.errors} error(s), {known.warnings} warning(s):
      </p>
      <ul className="plain-list findings" aria-label="Last known findings">
        {sorted.map((finding) => (
          <FindingItem key={finding.id} finding={{ ...finding, sinceLast: null }} />
        ))}
      </ul>
    </section>
  );
}

/** Errors first, then warnings, info and ok; skipped checks last among their severity. */
function rank(finding: Finding): number {
  const order = { error: 40, warning: 30, info: 20, ok: 10 } as const;
  return order[finding.severity] - (finding.skipped ? 5 : 0);
}
