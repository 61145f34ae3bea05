// A provider failure as support engineers need it: what happened, what to do, and the codes to
// search for — the stable kind, and the provider's own code linking to its page for it.
import type { ProviderFailure as Failure } from "../bindings";
import { CommandFailure, failureMessage } from "../lib/api";
import { PROVIDER_NAME } from "../lib/providerNames";

export function ProviderFailure({ failure }: { failure: Failure }) {
  const provider = PROVIDER_NAME[failure.provider];
  const code = failure.providerCode ? `${provider} ${failure.providerCode}` : null;
  return (
    <div className="provider-failure" data-testid="provider-failure" data-kind={failure.kind}>
      <p className="failure-cause">{failure.cause}</p>
      <p className="failure-fix">{failure.fix}</p>
      <p className="failure-code muted">
        <code>{failure.kind}</code>
        {code && " · "}
        {code &&
          (failure.docsUrl ? (
            <a href={failure.docsUrl} target="_blank" rel="noopener noreferrer" title={failure.docsUrl}>
              {code}
            </a>
          ) : (
            <span>{code}</span>
          ))}
        {failure.httpStatus != null && ` · HTTP ${failure.httpStatus}`}
        {failure.message && <span className="failure-message"> · {provider} said: “{failure.message}”</span>}
      </p>
    </div>
  );
}

/** A failed call: the provider failure when it is one, otherwise the message after `lead`. */
export function FailureNotice({ error, lead }: { error: unknown; lead: string }) {
  const failure = error instanceof CommandFailure ? error.provider : null;
  return (
    <div className="form-error" role="alert">
      {failure ? (
        <>
          <p>{lead}</p>
          <ProviderFailure failure={failure} />
        </>
      ) : (
        <p>
          {lead} {failureMessage(error)}
        </p>
      )}
    </div>
  );
}
