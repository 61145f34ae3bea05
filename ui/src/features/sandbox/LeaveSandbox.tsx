import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { commands } from "../../bindings";
import { failureMessage, unwrap } from "../../lib/api";

/** Stops the emulator and removes the demo organization; it then stays away until tried again. */
function useLeaveSandbox() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(commands.sandboxLeave()),
    // The demo organization, its connectors and the sandbox address are gone: reload everything.
    onSettled: () => client.invalidateQueries(),
  });
}

export function LeaveSandbox({ sandboxUrl }: { sandboxUrl: string }) {
  const leave = useLeaveSandbox();
  const [confirming, setConfirming] = useState(false);
  return (
    <div className="leave-sandbox">
      <p className="sidebar-note" title={sandboxUrl}>
        Sandbox running at {sandboxUrl}
      </p>
      {!confirming && (
        <button type="button" className="ghost" onClick={() => setConfirming(true)}>
          Leave the sandbox
        </button>
      )}
      {confirming && (
        <div role="group" aria-label="Leave the sandbox?">
          <p>
            This stops the sandbox and removes the organization “Sandbox demo” with its connectors. It will not start
            again by itself.
          </p>
          <button type="button" disabled={leave.isPending} onClick={() => leave.mutate()}>
            {leave.isPending ? "Leaving the sandbox…" : "Remove the demo and leave"}
          </button>{" "}
          <button type="button" className="ghost" disabled={leave.isPending} onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      )}
      {leave.isError && (
        <p className="form-error" role="alert">
          Could not leave the sandbox: {failureMessage(leave.error)}
        </p>
      )}
    </div>
  );
}
