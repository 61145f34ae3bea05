// What the app says next to Twilio's WhatsApp Sandbox as a From (see lib/whatsappSandbox.ts).
import { useMutation, useQuery } from "@tanstack/react-query";

import { commands } from "../bindings";
import { failureMessage, unwrap } from "../lib/api";
import { queryKeys } from "../lib/queryKeys";
import type { Connector } from "../lib/types";
import { WHATSAPP_SANDBOX, isSandboxNumber } from "../lib/whatsappSandbox";

/** Offered under a Twilio WhatsApp connector's From: one click fills in the sandbox's number. */
export function SandboxFromOffer({ value, onUse }: { value: string; onUse: (number: string) => void }) {
  return (
    <div className="sandbox-offer" data-testid="sandbox-from-offer">
      {isSandboxNumber(value) ? (
        <p className="hint">Using the {WHATSAPP_SANDBOX.label}.</p>
      ) : (
        <button type="button" onClick={() => onUse(WHATSAPP_SANDBOX.number)}>
          Use {WHATSAPP_SANDBOX.label}
        </button>
      )}
      <p className="hint">{WHATSAPP_SANDBOX.hint}</p>
    </div>
  );
}

/**
 * What must happen before a message from the sandbox arrives: the recipient joins it. On the
 * app's own sandbox demo nobody can write from WhatsApp, so the app plays the guest's join.
 */
export function SandboxJoinNotice({ connector, to }: { connector?: Connector; to?: string }) {
  return (
    <div className="notice-warning" role="note" aria-label="Twilio WhatsApp Sandbox">
      <p>
        Sending from the {WHATSAPP_SANDBOX.label}. {WHATSAPP_SANDBOX.joinFix}
      </p>
      <p className="hint">
        Otherwise Twilio fails the message (code {WHATSAPP_SANDBOX.providerCode}): {WHATSAPP_SANDBOX.joinCause}
      </p>
      {connector && <DemoJoin connector={connector} to={to ?? ""} />}
    </div>
  );
}

/** On the demo's emulator: its join words, and a button that sends them from the guest's number. */
function DemoJoin({ connector, to }: { connector: Connector; to: string }) {
  const status = useQuery({ queryKey: queryKeys.appStatus, queryFn: () => commands.appStatus() });
  const join = useMutation({ mutationFn: (guest: string) => unwrap(commands.sandboxWhatsappJoin(guest)) });
  const sandboxUrl = status.data?.sandboxUrl;
  const words = status.data?.sandboxWhatsappJoin;
  const baseUrl = "baseUrl" in connector.settings ? connector.settings.baseUrl : null;
  if (!sandboxUrl || !words || !baseUrl?.startsWith(sandboxUrl)) return null;
  return (
    <div className="stack" data-testid="sandbox-demo-join">
      <p>
        This connector runs on the sandbox demo, whose WhatsApp Sandbox code is <code>{words}</code>. A real guest sends
        it from WhatsApp; here the app can send it for them.
      </p>
      <div className="row">
        <button type="button" disabled={!to.trim() || join.isPending} onClick={() => join.mutate(to)}>
          {to.trim() ? `Send "${words}" from ${to.trim()}` : "Type the recipient first"}
        </button>
      </div>
      {join.data && (
        <p role="status">
          {join.data.joined ? `${join.data.guest} joined.` : `${join.data.guest} did not join.`} Twilio&apos;s reply: {join.data.reply}
        </p>
      )}
      {join.error && (
        <p className="form-error" role="alert">
          {failureMessage(join.error)}
        </p>
      )}
    </div>
  );
}
