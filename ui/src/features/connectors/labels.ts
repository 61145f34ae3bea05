// What the form shows for each kind and provider. Labels only: the rules live in the backend.
import type { ConnectorKind, ConnectorState, ProviderKind } from "../../bindings";

export const KIND_LABEL: Record<ConnectorKind, string> = { whatsapp: "WhatsApp", sms: "SMS", email: "Email" };

export const PROVIDER_LABEL: Record<ProviderKind, string> = {
  twilio: "Twilio",
  telnyx: "Telnyx",
  "46elks": "46elks",
  smtp: "SMTP",
};

export const PROVIDERS_OF: Record<ConnectorKind, ProviderKind[]> = {
  whatsapp: ["twilio"],
  sms: ["twilio", "telnyx", "46elks"],
  email: ["smtp"],
};

export const STATE_LABEL: Record<ConnectorState, string> = {
  not_checked: "Not checked yet",
  active: "Active · Connected",
  error: "Error",
};

export type SettingKey =
  | "accountSid"
  | "apiKeySid"
  | "username"
  | "messagingProfileId"
  | "from"
  | "baseUrl"
  | "messagingBaseUrl"
  | "contentBaseUrl"
  | "smtpHost"
  | "smtpPort";

export interface SettingField {
  key: SettingKey | "secret" | "smtpSecurity";
  label: string;
  placeholder?: string;
  hint?: string;
}

export function secretLabel(provider: ProviderKind, usesApiKey: boolean): string {
  switch (provider) {
    case "twilio":
      return usesApiKey ? "API key secret" : "Auth Token";
    case "telnyx":
      return "API key";
    case "46elks":
      return "API password";
    case "smtp":
      return "Password";
  }
}

/** The provider's own fields, in form order ("secret" marks where the secret goes). */
export const FIELDS_OF: Record<ProviderKind, SettingField[]> = {
  twilio: [
    { key: "accountSid", label: "Account SID", placeholder: "AC…" },
    {
      key: "apiKeySid",
      label: "API Key SID (optional)",
      placeholder: "SK…",
      hint: "Fill in to sign in with an API key instead of the Auth Token.",
    },
    { key: "secret", label: "" },
    { key: "from", label: "Sender number (optional)", placeholder: "+46 70 123 45 67" },
  ],
  telnyx: [
    { key: "secret", label: "" },
    { key: "messagingProfileId", label: "Messaging profile ID (optional)" },
    { key: "from", label: "Sender number (optional)", placeholder: "+46 70 123 45 67" },
  ],
  "46elks": [
    { key: "username", label: "API username", placeholder: "u…" },
    { key: "secret", label: "" },
    { key: "from", label: "Sender: number or name (max 11)", placeholder: "GrandHotel" },
  ],
  smtp: [
    { key: "smtpHost", label: "SMTP host", placeholder: "smtp.hotel.example" },
    { key: "smtpPort", label: "SMTP port", placeholder: "587" },
    { key: "smtpSecurity", label: "Security" },
    { key: "username", label: "Login (optional)" },
    { key: "secret", label: "" },
    { key: "from", label: "From address", placeholder: "noreply@hotel.example" },
  ],
};

const BASE_URL_HINT = "Leave empty to use the provider's own; set it to use a sandbox.";

export const ADVANCED_OF: Record<ProviderKind, SettingField[]> = {
  twilio: [
    { key: "baseUrl", label: "API base URL (optional)", placeholder: "https://api.twilio.com", hint: BASE_URL_HINT },
    { key: "messagingBaseUrl", label: "Messaging base URL (optional)", placeholder: "https://messaging.twilio.com" },
    { key: "contentBaseUrl", label: "Content base URL (optional)", placeholder: "https://content.twilio.com" },
  ],
  telnyx: [{ key: "baseUrl", label: "API base URL (optional)", placeholder: "https://api.telnyx.com", hint: BASE_URL_HINT }],
  "46elks": [{ key: "baseUrl", label: "API base URL (optional)", placeholder: "https://api.46elks.com", hint: BASE_URL_HINT }],
  smtp: [],
};
