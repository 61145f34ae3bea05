// Offline (issue 11 §5): the screen keeps showing the last known data; this says how old it is,
// what could not be refreshed and why, and offers to try again. The age moves on by itself.
import { useEffect, useState } from "react";

import type { Freshness, ProviderFailure } from "../bindings";
import { age } from "../features/numbers/labels";
import { PROVIDER_NAME } from "../lib/providerNames";

const TICK_MS = 30_000;

/** Now, moving on every `everyMs` while mounted. */
function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** The cause's own detail (`nothing answered at its address (connection refused)`), if any. */
function detail(cause: string): string {
  const match = /^The provider could not be reached:?\s*(.*?)\.?$/s.exec(cause.trim());
  return match ? match[1] : "";
}

function whatFailed(failure: ProviderFailure): string {
  const provider = PROVIDER_NAME[failure.provider];
  switch (failure.kind) {
    case "UNREACHABLE": {
      const why = detail(failure.cause);
      return why ? `${provider} could not be reached: ${why}` : `${provider} could not be reached`;
    }
    case "RATE_LIMITED":
      return `${provider} is refusing requests for now (too many)`;
    case "PROVIDER_UNAVAILABLE":
      return `${provider} had a temporary problem of its own`;
    default:
      return failure.cause.replace(/\.$/, "");
  }
}

/**
 * Shown above data that could not be refreshed; renders nothing while the data is fresh.
 * `what` names what could not be refreshed ("the numbers").
 */
export function StaleNotice({
  freshness,
  what,
  onRetry,
  retrying = false,
}: {
  freshness: Freshness | null | undefined;
  what: string;
  onRetry: () => void;
  retrying?: boolean;
}) {
  const now = useNow(TICK_MS);
  if (!freshness?.stale) return null;
  const when = freshness.asOf ? `from ${age(freshness.asOf, now)}` : "(never refreshed)";
  const failure = freshness.failure;
  return (
    <div className="stale-notice" role="status" data-testid="stale-notice" data-kind={failure?.kind} title={failure?.message || undefined}>
      <p>
        Showing the last known state {when} — {failure ? whatFailed(failure) : "the provider could not be reached"}, so{" "}
        {what} could not be refreshed.
      </p>
      {failure && <p className="muted small">{failure.fix}</p>}
      <button type="button" onClick={onRetry} disabled={retrying}>
        {retrying ? "Retrying…" : "Retry"}
      </button>
    </div>
  );
}
