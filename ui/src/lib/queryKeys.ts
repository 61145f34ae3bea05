// Every TanStack Query key of the app, in one place. A feature's hooks read and invalidate through
// these, so what another feature's change must refresh (channels after a webhook set, the audit log
// after a bind) is named once. Keys are prefixes of each other where a change invalidates a family:
// invalidating `numbers.all` refreshes the numbers of every connector.
import type { ConnectorDraft } from "./types";

export const queryKeys = {
  appStatus: ["app-status"] as const,
  updates: ["updates"] as const,
  organizations: {
    all: ["organizations"] as const,
  },
  connectors: {
    all: ["connectors"] as const,
    ofOrg: (orgId: string) => ["connectors", orgId] as const,
    /** The draft may hold a secret: the hook that uses this key keeps nothing in the cache. */
    validation: (existingId: string | null, draft: ConnectorDraft) => ["connector-validation", existingId, draft] as const,
  },
  numbers: {
    all: ["numbers"] as const,
    list: (connectorId: string) => ["numbers", connectorId] as const,
    /** Under `list`: whatever refreshes the list refreshes its active numbers. */
    active: (connectorId: string) => ["numbers", connectorId, "active"] as const,
    /** Under `list`: whatever refreshes the list refreshes its pages. */
    page: (connectorId: string, page: number) => ["numbers", connectorId, "page", page] as const,
    url: (connectorId: string) => ["webhook-url", connectorId] as const,
    jobs: (connectorId: string) => ["webhook-jobs", connectorId] as const,
    plan: (connectorId: string, numbers: string[]) => ["webhook-plan", connectorId, numbers] as const,
  },
  senders: {
    all: ["senders"] as const,
    list: (connectorId: string) => ["senders", connectorId] as const,
    verticals: ["sender-verticals"] as const,
  },
  messages: {
    all: ["messages"] as const,
    list: (connectorId: string, filter: unknown) => ["messages", connectorId, filter] as const,
    stats: (connectorId: string, days: number) => ["messages", "stats", connectorId, days] as const,
    templates: (connectorId: string) => ["messages", "templates", connectorId] as const,
    imported: (connectorId: string) => ["messages", "imported", connectorId] as const,
  },
  logs: {
    all: ["logs"] as const,
    list: (filter: unknown) => ["logs", filter] as const,
  },
  agents: {
    all: ["agents"] as const,
    ofOrg: (orgId: string) => ["agents", orgId] as const,
  },
  channels: {
    all: ["channels"] as const,
    ofOrg: (orgId: string) => ["channels", orgId] as const,
  },
  audit: {
    all: ["audit"] as const,
    ofOrg: (orgId: string) => ["audit", orgId] as const,
  },
};
