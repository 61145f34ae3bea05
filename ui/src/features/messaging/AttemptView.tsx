import type { MessageAttempt, Outcome } from "../../lib/types";
import { useReconcile } from "./queries";
import { FailureNotice } from "../../components/ProviderFailure";

const OUTCOME_LABEL: Record<Outcome, string> = {
  sending: "Sending…",
  unknown: "Outcome unknown",
  sent: "Sent",
  delivered: "Delivered",
  failed: "Failed",
};

const OUTCOME_CLASS: Record<Outcome, string> = {
  sending: "state-not_checked",
  unknown: "state-warning-badge",
  sent: "state-not_checked",
  delivered: "state-active",
  failed: "state-error",
};

export function OutcomeBadge({ attempt }: { attempt: MessageAttempt }) {
  // "sent" is never shown as delivered: the provider took it, nothing more is known yet.
  const label = attempt.outcome === "sent" && !attempt.final ? `Sent (${attempt.status})` : OUTCOME_LABEL[attempt.outcome];
  return (
    <span className={`badge ${OUTCOME_CLASS[attempt.outcome]}`} data-testid="attempt-outcome">
      {label}
    </span>
  );
}

/** One send: its statuses as they came, what went wrong and what to do, and Check for an unknown one. */
export function AttemptView({ attempt }: { attempt: MessageAttempt }) {
  const reconcile = useReconcile();
  return (
    <div className="attempt stack" data-testid="attempt" data-outcome={attempt.outcome}>
      <p>
        <OutcomeBadge attempt={attempt} /> To {attempt.to} from {attempt.from}
        {attempt.providerMessageId && <code className="muted"> {attempt.providerMessageId}</code>}
      </p>
      <ol className="timeline" aria-label="Statuses">
        {attempt.history.map((change, index) => (
          <li key={`${change.status}-${index}`}>
            <time dateTime={change.at}>{new Date(change.at).toLocaleTimeString()}</time> {change.status}
            {change.errorCode && <code> ({change.errorCode})</code>}
          </li>
        ))}
      </ol>
      {(attempt.cause || attempt.errorMessage) && (
        <div className="provider-failure">
          <p className="failure-cause">{attempt.cause ?? attempt.errorMessage}</p>
          {attempt.fix && <p>{attempt.fix}</p>}
          {(attempt.errorKind || attempt.errorCode) && (
            <p>
              <code>
                {attempt.errorKind}
                {attempt.errorCode && ` · code ${attempt.errorCode}`}
              </code>
            </p>
          )}
        </div>
      )}
      {attempt.fallbackStatus && (
        <p className="hint">
          Backup email: {attempt.fallbackStatus}
          {attempt.fallbackTo && ` to ${attempt.fallbackTo}`}
          {attempt.fallbackError && ` — ${attempt.fallbackError}`}
        </p>
      )}
      {attempt.outcome === "unknown" && (
        <div className="notice-warning">
          <p>
            Switchboard could not tell whether the provider took this message. Check asks the provider for its recent messages
            from this sender to this recipient, so the guest never gets it twice.
          </p>
          <button type="button" onClick={() => reconcile.mutate(attempt.id)} disabled={reconcile.isPending}>
            {reconcile.isPending ? "Checking…" : "Check"}
          </button>
          {reconcile.isError && <FailureNotice error={reconcile.error} lead="The check did not run:" />}
        </div>
      )}
    </div>
  );
}
