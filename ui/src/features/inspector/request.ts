// The webhook inspector's pieces that need no screen: reading pasted headers, the query, and the
// report's words.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { commands } from "../../bindings";
import type { CapturedRequest_Deserialize as CapturedRequest, InspectReport_Serialize, ListenerStatus_Serialize } from "../../bindings";
import { unwrap } from "../../lib/api";

export type InspectReport = InspectReport_Serialize;

/**
 * Headers pasted as a server logs them, one `Name: value` a line (a request line such as
 * `POST /x HTTP/1.1` and blank lines are skipped). Returns the headers and the lines it could not read.
 */
export function parseHeaders(text: string): { headers: Record<string, string>; unreadable: string[] } {
  const headers: Record<string, string> = {};
  const unreadable: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || /^[A-Z]+ \S+ HTTP\/\d/.test(line)) continue;
    const colon = line.indexOf(":");
    if (colon <= 0) {
      unreadable.push(line);
      continue;
    }
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return { headers, unreadable };
}

export function useExplain() {
  return useMutation({ mutationFn: (request: CapturedRequest) => unwrap(commands.inspectorExplain(request)) });
}

export const VERDICT_WORDS: Record<InspectReport["verdict"], string> = {
  valid: "Genuine",
  invalid: "Not genuine",
  cannot_verify: "Cannot verify",
};

export const KIND_WORDS: Record<InspectReport["kind"], string> = {
  inbound_message: "an inbound message",
  status_callback: "a status callback",
  unknown: "a request",
};

const SOURCE_WORDS: Record<NonNullable<InspectReport["signedVariant"]>["source"], string> = {
  as_received: "the URL as received",
  https: "the URL as received with https instead of http",
  forwarded: "the URL rebuilt from X-Forwarded-Proto/Host",
  public: "the public inbound URL set at the provider",
};

const PORT_WORDS: Record<NonNullable<InspectReport["signedVariant"]>["port"], string> = {
  as_is: "",
  without_port: ", without its port",
  with_default_port: ", with the default port",
};

/** Which URL the provider signed, in words ("" when no variant matched). */
export function signedWords(report: InspectReport): string {
  const variant = report.signedVariant;
  if (!variant) return "";
  const body = variant.bodySha256 ? " (the JSON body covered by bodySHA256)" : "";
  return `${SOURCE_WORDS[variant.source]}${PORT_WORDS[variant.port]}${body}`;
}

export type ListenerStatus = ListenerStatus_Serialize;

const listenerKey = ["inspector", "listener"] as const;

/** The listener's state, refreshed every 2 s while it runs (to show the requests as they arrive). */
export function useListener() {
  return useQuery({
    queryKey: listenerKey,
    queryFn: () => unwrap(commands.inspectorStatus()),
    refetchInterval: (query) => (query.state.data?.running ? 2000 : false),
  });
}

export function useStartListener() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ bind, port, allowRemote }: { bind: string; port: number; allowRemote: boolean }) =>
      unwrap(commands.inspectorStart(bind.trim() || null, port, allowRemote)),
    onSuccess: (status) => client.setQueryData(listenerKey, status),
  });
}

export function useStopListener() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(commands.inspectorStop()),
    onSuccess: (status) => client.setQueryData(listenerKey, status),
  });
}

/** Whether `bind` is a loopback address (or empty, which means loopback). */
export function isLoopback(bind: string): boolean {
  const value = bind.trim();
  return value === "" || value === "localhost" || value === "::1" || value.startsWith("127.");
}
