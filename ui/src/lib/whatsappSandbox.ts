// Twilio's WhatsApp Sandbox as a From: its number, label and join step come from the backend
// (WHATSAPP_SANDBOX in the bindings; the join words are the failure table's for Twilio 63015).
import { WHATSAPP_SANDBOX } from "../bindings";

export { WHATSAPP_SANDBOX };

/** Whether a From, as typed or stored, is the sandbox's number. */
export function isSandboxNumber(from: string | null | undefined): boolean {
  const digits = (from ?? "").replace(/^whatsapp:/, "").replace(/[^\d+]/g, "");
  return digits === WHATSAPP_SANDBOX.number;
}
