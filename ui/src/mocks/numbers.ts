// The numbers commands of the mock backend (mode "mock" only; see ipc.ts). Every connector's
// provider account holds ten thousand numbers, so a browser test can scroll a long list with real
// layout. A connector has a webhook URL when its organization has an inbound base URL; numbers can
// be activated and get that URL set, so a browser test can go through the whole numbers journey.
type Json = Record<string, unknown>;

export const MOCK_ACCOUNT_NUMBERS = 10_000;

const fetchedAt = new Map<string, string>();
/** Per connector: the active numbers, and those whose webhook was set to the connector's URL. */
const active = new Map<string, Set<string>>();
const configured = new Map<string, Set<string>>();
const setOf = (sets: Map<string, Set<string>>, connectorId: string) => {
  if (!sets.has(connectorId)) sets.set(connectorId, new Set());
  return sets.get(connectorId) as Set<string>;
};

/** The numbers a webhook job set (the job itself is streamed by ipc.ts). */
export function markWebhookSet(connectorId: string, numbers: string[]) {
  numbers.forEach((e164) => setOf(configured, connectorId).add(e164));
}

/** "+14150000000" … "+14150009999": sorted the way the backend lists them. */
const e164 = (index: number) => `+1415${String(index).padStart(7, "0")}`;

function number(connectorId: string, index: number, url: string | null): Json {
  const isActive = active.get(connectorId)?.has(e164(index)) ?? false;
  const isSet = configured.get(connectorId)?.has(e164(index)) ?? false;
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
    webhookUrl: isSet ? url : null,
    webhookMethod: null,
    webhookOverride: null,
    active: isActive,
    webhookState: isSet ? "configured" : "not_set",
    webhookReason: null,
    gone: false,
    lastSeenAt: fetchedAt.get(connectorId),
    agent: null,
  };
}

/** `webhookUrl` gives a connector's inbound webhook URL, or null when its organization has no base URL. */
export function numberCommands(webhookUrl: (connectorId: string) => string | null): Record<string, (args: Json) => unknown> {
  /** The kept list's active numbers (all in the account: the mock's numbers never vanish). */
  const activeList = (connectorId: string): Json => {
    const at = fetchedAt.get(connectorId) ?? null;
    const url = webhookUrl(connectorId);
    const chosen = at ? [...setOf(active, connectorId)].sort() : [];
    return {
      connectorId,
      fetchedAt: at,
      expectedWebhookUrl: url,
      // "+1415" then the number's index.
      numbers: chosen.map((e164) => number(connectorId, Number(e164.slice(5)), url)),
      freshness: { asOf: at, stale: false, failure: null },
    };
  };
  const page = (connectorId: string, offset: number, limit: number): Json => {
    const at = fetchedAt.get(connectorId) ?? null;
    const url = webhookUrl(connectorId);
    const total = at ? MOCK_ACCOUNT_NUMBERS : 0;
    const end = Math.min(total, offset + limit);
    return {
      connectorId,
      fetchedAt: at,
      total,
      active: at ? setOf(active, connectorId).size : 0,
      offset,
      numbers: Array.from({ length: Math.max(0, end - offset) }, (_, i) => number(connectorId, offset + i, url)),
    };
  };
  /** What a refresh or an activation answers: the list's counts, not its rows. */
  const summary = (connectorId: string): Json => {
    const { fetchedAt: at, total, active: activeCount } = page(connectorId, 0, 1);
    return { connectorId, fetchedAt: at, total, active: activeCount, freshness: { asOf: at, stale: false, failure: null } };
  };
  return {
    numbers_active: (args) => activeList(String(args.connectorId)),
    numbers_page: (args) => page(String(args.connectorId), Number(args.offset), Number(args.limit)),
    numbers_refresh: (args) => {
      fetchedAt.set(String(args.connectorId), new Date().toISOString());
      return summary(String(args.connectorId));
    },
    numbers_set_active: (args) => {
      const numbers = setOf(active, String(args.connectorId));
      for (const e164 of args.numbers as string[]) {
        if (args.active) numbers.add(e164);
        else numbers.delete(e164);
      }
      return summary(String(args.connectorId));
    },
    webhook_url: (args) => {
      const url = webhookUrl(String(args.connectorId));
      return {
        connectorId: args.connectorId,
        url,
        missingReason: url ? null : "The organization has no inbound base URL: add one to get a webhook URL",
        needsReset: 0,
      };
    },
    // The preview of a bulk set: the numbers asked for, or every active one.
    webhook_plan: (args) => {
      const connectorId = String(args.connectorId);
      const asked = args.numbers as string[];
      const chosen = asked.length > 0 ? asked : [...setOf(active, connectorId)].sort();
      const url = webhookUrl(connectorId) ?? "";
      return chosen.map((e164) => ({
        e164,
        currentUrl: configured.get(connectorId)?.has(e164) ? url : null,
        newUrl: url,
        webhookState: configured.get(connectorId)?.has(e164) ? "configured" : "not_set",
      }));
    },
    webhook_jobs: () => [],
  };
}
