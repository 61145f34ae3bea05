// The numbers commands of the mock backend (mode "mock" only; see ipc.ts). Every connector's
// provider account holds ten thousand numbers, so a browser test can scroll a long list with real
// layout. None has a webhook URL: the mock organizations have no inbound base URL.
type Json = Record<string, unknown>;

export const MOCK_ACCOUNT_NUMBERS = 10_000;

const fetchedAt = new Map<string, string>();

/** "+14150000000" … "+14150009999": sorted the way the backend lists them. */
const e164 = (index: number) => `+1415${String(index).padStart(7, "0")}`;

function number(connectorId: string, index: number): Json {
  return {
    connectorId,
    e164: e164(index),
    providerId: `PN${index}`,
    kind: "number",
    friendlyName: `Room ${index + 1}`,
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
    lastSeenAt: fetchedAt.get(connectorId),
    agent: null,
  };
}

function list(connectorId: string): Json {
  const at = fetchedAt.get(connectorId) ?? null;
  return {
    connectorId,
    fetchedAt: at,
    expectedWebhookUrl: null,
    numbers: at ? Array.from({ length: MOCK_ACCOUNT_NUMBERS }, (_, index) => number(connectorId, index)) : [],
    freshness: { asOf: at, stale: false, failure: null },
  };
}

export const numberCommands: Record<string, (args: Json) => unknown> = {
  numbers_list: (args) => list(String(args.connectorId)),
  numbers_refresh: (args) => {
    fetchedAt.set(String(args.connectorId), new Date().toISOString());
    return list(String(args.connectorId));
  },
  webhook_url: (args) => ({
    connectorId: args.connectorId,
    url: null,
    missingReason: "The organization has no inbound base URL: add one to get a webhook URL",
    needsReset: 0,
  }),
  webhook_jobs: () => [],
};
