// Fixtures for this feature's tests.
import type { Connector_Serialize, ConnectorSettings_Serialize, ProviderKind } from "../../bindings";

/** Settings of each provider as the backend serializes them. */
export function settingsFor(provider: ProviderKind): ConnectorSettings_Serialize {
  switch (provider) {
    case "twilio":
      return {
        provider,
        accountSid: "AC0123456789abcdef0123456789abcdef",
        apiKeySid: null,
        from: "+46701234567",
        baseUrl: null,
        messagingBaseUrl: null,
        contentBaseUrl: null,
      };
    case "telnyx":
      return { provider, messagingProfileId: null, from: "+46701234567", baseUrl: null, publicKey: null };
    case "46elks":
      return { provider, username: "u0123456789abcdef", from: "GrandHotel", baseUrl: null };
    case "smtp":
      return { provider, host: "smtp.hotel.example", port: 587, security: "starttls", username: null, from: "noreply@hotel.example", caPem: null };
  }
}

/** A connector as the backend serializes it. */
export function aConnector(overrides: Partial<Connector_Serialize> = {}): Connector_Serialize {
  return {
    id: "c1",
    orgId: "o1",
    kind: "whatsapp",
    name: "Front desk",
    settings: settingsFor("twilio"),
    recipients: [{ number: "+46707654321", backupEmail: "night@hotel.example" }],
    receiveInbound: true,
    hasSecret: true,
    state: "not_checked",
    stateReason: null,
    stateFailure: null,
    checkedAt: null,
    accountName: null,
    accountType: null,
    stateWarning: null,
    createdAt: "2026-11-22T10:00:00Z",
    updatedAt: "2026-11-22T10:00:00Z",
    ...overrides,
  };
}
