import { useMutation, useQueryClient } from "@tanstack/react-query";

import { commands } from "../../bindings";
import { failureMessage, unwrap } from "../../lib/api";
import type { SandboxDemo } from "../../lib/types";

/** Starts the local provider emulator and creates a demo organization wired to it. */
function useTrySandbox(onReady: (demo: SandboxDemo) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(commands.sandboxTry()),
    // Here rather than in `mutate`: reloading the lists below unmounts this card, and a card that
    // is gone gets no per-call callbacks.
    onSuccess: onReady,
    // The organization and its connectors exist even when a check fails: reload everything.
    onSettled: () => client.invalidateQueries(),
  });
}

export function TrySandbox({ onReady }: { onReady: (demo: SandboxDemo) => void }) {
  const trySandbox = useTrySandbox(onReady);
  return (
    <section className="card narrow try-sandbox" aria-labelledby="try-sandbox-title">
      <h2 id="try-sandbox-title">No provider account at hand?</h2>
      <p className="muted">
        Try the sandbox: a local stand-in for Twilio, Telnyx and 46elks that runs inside Switchboard. It creates the
        organization “Sandbox demo” with a WhatsApp connector and three SMS connectors, so you can try numbers,
        webhooks and test messages without sending anything for real.
      </p>
      <button
        type="button"
        disabled={trySandbox.isPending}
        onClick={() => trySandbox.mutate()}
      >
        {trySandbox.isPending ? "Starting the sandbox…" : "Try the sandbox"}
      </button>
      {trySandbox.isError && (
        <p className="form-error" role="alert">
          {failureMessage(trySandbox.error)}
        </p>
      )}
    </section>
  );
}
