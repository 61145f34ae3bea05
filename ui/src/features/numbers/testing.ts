// Fixtures for tests that show numbers.
import type { PhoneNumber } from "../../lib/types";

/** A number as the backend serializes it: inactive, no webhook, bound to no agent. */
export function aNumber(overrides: Partial<PhoneNumber> = {}): PhoneNumber {
  return {
    connectorId: "c1",
    e164: "+14155550101",
    providerId: "PN1",
    kind: "number",
    friendlyName: null,
    capabilities: ["sms"],
    providerStatus: "in-use",
    qualityRating: null,
    messagingLimit: null,
    offlineReasons: [],
    webhookUrl: null,
    webhookMethod: null,
    webhookOverride: null,
    active: false,
    webhookState: "not_set",
    webhookReason: null,
    gone: false,
    lastSeenAt: "2026-11-22T10:00:00Z",
    agent: null,
    ...overrides,
  };
}

/** Read just now: nothing to say about its age. */
export const FRESH = { asOf: null, stale: false, failure: null };
