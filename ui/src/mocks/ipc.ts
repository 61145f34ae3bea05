// SWITCHBOARD_MOCK_IPC: an in-memory backend for browser tests of the built UI (mode "mock" only).
// It holds fixtures, never rules: the rules live in Rust and reach the UI through
// `connector_validate`. Here a few fixture inputs get the field errors the backend gives for them.
import { mockIPC } from "@tauri-apps/api/mocks";

import { messagingCommands } from "./messaging";
import { markWebhookSet, numberCommands } from "./numbers";
import { transferCommands } from "./transfer";

// A marker a test looks for to prove production builds do not contain this module.
(window as unknown as Record<string, unknown>).__SWITCHBOARD_MOCK_IPC__ = true;

type Json = Record<string, unknown>;
interface FieldError {
  field: string;
  message: string;
}

const organizations: Json[] = [];
const connectors: Json[] = [];
let nextId = 1;
const now = () => new Date().toISOString();

/** Field errors the backend gives for these exact inputs (copied from what it answers). */
const CANNED_FIELD_ERRORS: { field: string; value: unknown; message: string }[] = [
  {
    field: "settings.accountSid",
    value: "AC123",
    message: "An Account SID starts with AC followed by 32 hexadecimal characters (34 in all; got 5 characters)",
  },
  { field: "name", value: "", message: "Give the organization a name" },
];

/** The value at a field path such as `settings.accountSid`. */
function valueAt(draft: Json, path: string): unknown {
  return path.split(".").reduce<unknown>((value, key) => (value as Json | undefined)?.[key], draft);
}

function cannedErrors(draft: Json, fields: string[]): FieldError[] {
  return CANNED_FIELD_ERRORS.filter((canned) => fields.includes(canned.field) && valueAt(draft, canned.field) === canned.value).map(
    ({ field, message }) => ({ field, message }),
  );
}

const connectorProblems = (draft: Json) => cannedErrors(draft, ["settings.accountSid"]);

function notFound(id: string) {
  return { code: "not_found", message: `No connector ${id}: it may have been removed. Reload the list.`, fields: [], provider: null };
}

function validationError(fields: FieldError[]) {
  return { code: "validation", message: fields.map((f) => `${f.field}: ${f.message}`).join("\n"), fields, provider: null };
}

// A bulk job pushes its steps into the Channel the UI passes (`onProgress`), as the backend does.
function streamJob(args: Json, kind: "set" | "rollback"): Json {
  const channel = args.onProgress as { id: number };
  const internals = (window as unknown as { __TAURI_INTERNALS__: { runCallback: (id: number, data: unknown) => void } })
    .__TAURI_INTERNALS__;
  const numbers = Array.isArray(args.numbers) ? (args.numbers as string[]) : [];
  const id = `j${nextId++}`;
  const step = (done: number, e164: string | null) => ({
    jobId: id,
    done,
    total: numbers.length,
    changed: done,
    failed: 0,
    current: e164 ? { e164, outcome: "changed", reason: null } : null,
  });
  internals.runCallback(channel.id, { index: 0, message: step(0, null) });
  numbers.forEach((e164, i) => internals.runCallback(channel.id, { index: i + 1, message: step(i + 1, e164) }));
  const items = numbers.map((e164) => ({ e164, outcome: "changed" }));
  return { id, connectorId: args.connectorId ?? "", kind, rollbackOf: null, state: "finished", createdAt: now(), finishedAt: now(), items };
}

const transfer = transferCommands(
  organizations,
  connectors,
  (draft) => {
    const connector = { ...draft, id: `c${nextId++}`, hasSecret: true, stateReason: null, stateFailure: null, checkedAt: now() };
    connectors.push(connector);
    return connector;
  },
  (name) => {
    const org = { id: `org${nextId++}`, name, inboundBaseUrl: null, createdAt: now(), updatedAt: now() };
    organizations.push(org);
    return org;
  },
);
// A diagnosis pushes each finding into the Channel the UI passes (`onFinding`), as the backend does.
function streamDiagnosis(args: Json): Json {
  const channel = args.onFinding as { id: number };
  const internals = (window as unknown as { __TAURI_INTERNALS__: { runCallback: (id: number, data: unknown) => void } })
    .__TAURI_INTERNALS__;
  const finding = (id: string, title: string) => ({
    id,
    check: id,
    severity: "ok",
    title,
    meaning: "A mock finding.",
    fix: null,
    evidence: [],
    skipped: false,
    sinceLast: null,
  });
  const findings = [finding("credentials", "The credentials are right"), finding("webhook", "Every active number has Switchboard's webhook")];
  findings.forEach((message, index) => internals.runCallback(channel.id, { index, message }));
  const at = now();
  return {
    id: `d${nextId++}`,
    connectorId: args.connectorId ?? "",
    connectorName: "mock",
    startedAt: at,
    finishedAt: at,
    wallMs: 1,
    longestChainMs: 1,
    findings,
    fixedSinceLast: [],
    previousRunAt: null,
    errors: 0,
    warnings: 0,
    timings: [],
    providerUnreachable: false,
    lastKnown: null,
  };
}

// What a command pushes into the Channel the UI passed, as the backend does.
function pushToChannel(channelId: number, index: number, message: unknown) {
  const internals = (window as unknown as { __TAURI_INTERNALS__: { runCallback: (id: number, data: unknown) => void } })
    .__TAURI_INTERNALS__;
  internals.runCallback(channelId, { index, message });
}

const messaging = messagingCommands(now, pushToChannel);
const numberCommandsOf = numberCommands((connectorId) => {
  const orgId = connectors.find((c) => c.id === connectorId)?.orgId;
  const base = organizations.find((o) => o.id === orgId)?.inboundBaseUrl;
  return typeof base === "string" && base ? `${base.replace(/\/$/, "")}/hooks/${connectorId}` : null;
});

mockIPC((cmd, payload) => {
  const args = (payload ?? {}) as Json;
  switch (cmd) {
    case "app_status":
      return { version: "mock", dataDir: "(mock)", startupError: null, sandboxUrl: null, sandboxWhatsappJoin: null };
    case "app_first_screen":
      return null; // the app's log line (nothing to show)
    case "org_list":
      return organizations;
    case "org_create": {
      const draft = args.draft as Json;
      const fields = cannedErrors(draft, ["name"]);
      if (fields.length) throw validationError(fields);
      const org = { id: `org${nextId++}`, name: draft.name, inboundBaseUrl: draft.inboundBaseUrl ?? null, createdAt: now(), updatedAt: now() };
      organizations.push(org);
      return org;
    }
    case "connector_list":
      return connectors.filter((c) => !args.orgId || c.orgId === args.orgId);
    case "connector_validate":
      return connectorProblems(args.draft as Json);
    case "connector_create": {
      const draft = args.draft as Json;
      const fields = connectorProblems(draft);
      if (fields.length) throw validationError(fields);
      const { secret, ...rest } = draft;
      const connector = {
        ...rest,
        id: `c${nextId++}`,
        hasSecret: Boolean(secret),
        state: "not_checked",
        stateReason: null,
        stateFailure: null,
        checkedAt: null,
        accountName: null,
        accountType: null,
        stateWarning: null,
        createdAt: now(),
        updatedAt: now(),
      };
      connectors.push(connector);
      return connector;
    }
    case "connector_get": {
      const connector = connectors.find((c) => c.id === args.id);
      if (!connector) throw notFound(String(args.id));
      return connector;
    }
    case "connector_update": {
      const index = connectors.findIndex((c) => c.id === args.id);
      if (index < 0) throw notFound(String(args.id));
      const draft = args.draft as Json;
      const fields = connectorProblems(draft);
      if (fields.length) throw validationError(fields);
      const { secret, ...rest } = draft;
      const previous = connectors[index];
      connectors[index] = { ...previous, ...rest, hasSecret: Boolean(secret) || previous.hasSecret, updatedAt: now() };
      return connectors[index];
    }
    case "connector_check": {
      const connector = connectors.find((c) => c.id === args.id);
      if (!connector) throw notFound(String(args.id));
      Object.assign(connector, { state: "active", stateReason: null, stateFailure: null, checkedAt: now(), accountName: "Mock account", accountType: "Full" });
      return connector;
    }
    case "connector_delete": {
      const index = connectors.findIndex((c) => c.id === args.id);
      if (index >= 0) connectors.splice(index, 1);
      return null;
    }
    case "audit_list":
      return { entries: [], nextBefore: null, actions: [] };
    case "diagnosis_last":
      return null;
    case "diagnosis_run":
      return streamDiagnosis(args);
    case "support_bundle_create":
      return { path: "(mock)/support-bundles/switchboard-support.zip", files: ["diagnosis.json"], bytes: 1 };
    case "inspector_status":
    case "inspector_stop":
      return { running: false, url: null, counts: { inboundMessages: 0, statusCallbacks: 0, attemptsUpdated: 0, inboundStored: 0, refused: 0 }, recent: [] };
    // One WhatsApp sender per account, online, so the WhatsApp senders tab has something to show.
    case "senders_list":
      return {
        senders: [
          {
            connectorId: args.connectorId,
            sid: "XE0123456789abcdef0123456789abcdef",
            e164: "+14155550101",
            status: "ONLINE",
            statusWords: { meaning: "The sender is online and can send messages.", action: null },
            settled: true,
            awaitingCode: false,
            qualityRating: "HIGH",
            qualityWords: { meaning: "Recipients rarely block or report this sender.", action: null },
            messagingLimit: "TIER_1K",
            limitWords: { meaning: "Up to 1,000 new conversations a day.", action: null },
            offlineReasons: [],
            wabaId: null,
            verificationMethod: "sms",
            profile: { name: "Grand Hotel", about: null, address: null, description: null, emails: [], logoUrl: null, vertical: "Hotel and Lodging", websites: [] },
            webhook: { callbackUrl: null, callbackMethod: null, fallbackUrl: null, fallbackMethod: null, statusCallbackUrl: null, statusCallbackMethod: null },
            removalWarning: "Turn off two-step verification in WhatsApp Manager first, or the number cannot be registered again elsewhere.",
          },
        ],
        freshness: { asOf: now(), stale: false, failure: null },
      };
    // A pasted request the mock cannot place: a report in words, as the backend gives for it.
    case "inspector_explain":
      return {
        verdict: "invalid",
        valid: false,
        kind: "unknown",
        provider: null,
        connectorId: null,
        connectorName: null,
        tokenMatches: null,
        signedVariant: null,
        receivedUrl: String((args.request as Json | undefined)?.url ?? ""),
        publicUrl: null,
        reasons: [{ code: "not_inbound_path", message: "The URL has no /inbound/{connector}/{token} path: it is not a Switchboard webhook URL." }],
        number: null,
        numberKnown: false,
        otherParty: null,
        messageId: null,
        attemptId: null,
        status: null,
        errorCode: null,
      };
    case "sender_verticals":
      return ["Hotel and Lodging", "Travel and Transportation", "Other"];
    case "webhook_set":
      markWebhookSet(String(args.connectorId), Array.isArray(args.numbers) ? (args.numbers as string[]) : []);
      return streamJob(args, "set");
    case "webhook_rollback":
    case "webhook_resume":
      return streamJob(args, "rollback");
    default:
      if (Object.hasOwn(numberCommandsOf, cmd)) return numberCommandsOf[cmd](args);
      if (Object.hasOwn(messaging, cmd)) return messaging[cmd as keyof typeof messaging](args);
      if (Object.hasOwn(transfer, cmd)) return transfer[cmd](args);
      throw { code: "not_found", message: `The mock backend has no command ${cmd}`, fields: [] };
  }
});
