import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Channel } from "@tauri-apps/api/core";

import { commands, type MessageAttempt_Deserialize } from "../../bindings";
import { unwrap } from "../../lib/api";
import { queryKeys } from "../../lib/queryKeys";
import type { AttemptFilter, LogFilter, MessageAttempt, SendRequest } from "../../lib/types";

/** Rows a page of the error log and of the sent messages. */
const PAGE = 100;

function useRefreshMessages() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: queryKeys.messages.all }),
      client.invalidateQueries({ queryKey: queryKeys.logs.all }),
      client.invalidateQueries({ queryKey: queryKeys.connectors.all }),
    ]);
}

/**
 * Sends a test message. The stored attempt comes back at once; every later status is pushed by
 * the backend over a channel to `onStatus` until it is final (the UI polls nothing).
 */
export function useSendMessage(connectorId: string, onStatus: (attempt: MessageAttempt) => void) {
  const refresh = useRefreshMessages();
  return useMutation({
    mutationFn: (request: SendRequest) =>
      unwrap(
        commands.messageSend(
          connectorId,
          request,
          new Channel<MessageAttempt_Deserialize>((attempt) => {
            onStatus(attempt as MessageAttempt);
            if (attempt.final) void refresh();
          }),
        ),
      ),
    onSettled: refresh,
  });
}

/** Asks the provider what became of a send whose outcome is unknown. */
export function useReconcile() {
  const refresh = useRefreshMessages();
  return useMutation({ mutationFn: (attemptId: string) => unwrap(commands.messageReconcile(attemptId)), onSettled: refresh });
}

/** The connector's own sends, newest first, filtered by the backend, a page at a time (keyset paging by attempt). */
export function useAttempts(connectorId: string, filter: AttemptFilter) {
  return useInfiniteQuery({
    queryKey: queryKeys.messages.list(connectorId, filter),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => unwrap(commands.messageList(connectorId, { ...filter, cursor: pageParam, limit: PAGE })),
    getNextPageParam: (page) => page.nextCursor,
  });
}

/** The account's approved WhatsApp templates (read when the template form opens). */
export function useTemplates(connectorId: string, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.messages.templates(connectorId),
    queryFn: () => unwrap(commands.messageTemplates(connectorId, false)),
    enabled,
  });
}

/** What the imports stored from the provider, newest first. */
export function useImported(connectorId: string) {
  return useQuery({
    queryKey: queryKeys.messages.imported(connectorId),
    queryFn: () => unwrap(commands.messagesImported(connectorId, 5000)),
  });
}

export function useStats(connectorId: string, days: number) {
  return useQuery({ queryKey: queryKeys.messages.stats(connectorId, days), queryFn: () => unwrap(commands.messageStats(connectorId, days)) });
}

export function useSyncHistory(connectorId: string) {
  const refresh = useRefreshMessages();
  return useMutation({ mutationFn: () => unwrap(commands.messagesSync(connectorId)), onSettled: refresh });
}

/** The error log, newest first, a page at a time (keyset paging by row id). */
export function useLogs(filter: LogFilter) {
  return useInfiniteQuery({
    queryKey: queryKeys.logs.list(filter),
    initialPageParam: null as number | null,
    queryFn: ({ pageParam }) => unwrap(commands.logList({ ...filter, before: pageParam, limit: PAGE })),
    getNextPageParam: (page) => page.nextBefore,
  });
}

export function exportLogs(filter: LogFilter) {
  return unwrap(commands.logExport(filter));
}
