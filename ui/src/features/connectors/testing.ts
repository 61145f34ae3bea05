// Fixtures for this feature's tests.
import type { Connector_Serialize } from "../../bindings";

/** A connector as the backend serializes it. */
export function aConnector(overrides: Partial<Connector_Serialize> = {}): Connector_Serialize {
  return {
    id: "c1",
    orgId: "o1",
    kind: "whatsapp",
    provider: "twilio",
    name: "Front desk",
    settings: {
      accountSid: "AC0123456789abcdef0123456789abcdef",
      apiKeySid: null,
      username: null,
      messagingProfileId: null,
      from: "+46701234567",
      baseUrl: null,
      messagingBaseUrl: null,
      contentBaseUrl: null,
      smtpHost: null,
      smtpPort: null,
      smtpSecurity: null,
    },
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
