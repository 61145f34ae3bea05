// What the app says next to Twilio's WhatsApp Sandbox as a From (see lib/whatsappSandbox.ts).
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

/** What must happen before a message from the sandbox arrives: the recipient joins it. */
export function SandboxJoinNotice() {
  return (
    <div className="notice-warning" role="note" aria-label="Twilio WhatsApp Sandbox">
      <p>
        Sending from the {WHATSAPP_SANDBOX.label}. {WHATSAPP_SANDBOX.joinFix}
      </p>
      <p className="hint">
        Otherwise Twilio fails the message (code {WHATSAPP_SANDBOX.providerCode}): {WHATSAPP_SANDBOX.joinCause}
      </p>
    </div>
  );
}
