import type { ProviderFailure } from "../bindings";

/** A provider as people name it, in failures and notices. */
export const PROVIDER_NAME: Record<ProviderFailure["provider"], string> = {
  twilio: "Twilio",
  telnyx: "Telnyx",
  "46elks": "46elks",
  smtp: "SMTP server",
};
