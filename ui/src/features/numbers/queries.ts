import { useIsMutating, useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { Channel } from "@tauri-apps/api/core";

import { commands, type JobProgress, type JobProgress_Deserialize } from "../../bindings";
import { unwrap } from "../../lib/api";
import { queryKeys } from "../../lib/queryKeys";

const numberKeys = queryKeys.numbers;

/** The kept list's active numbers still in the account: what the pickers of an agent's channel and
 * of a test send's sender offer (not the whole list, which may hold thousands). */
export function useActiveNumbers(connectorId: string) {
  return useQuery({ queryKey: numberKeys.active(connectorId), queryFn: () => unwrap(commands.numbersActive(connectorId)) });
}

/** Numbers per page of the Numbers section's list: a few screens of rows. */
export const NUMBERS_PAGE = 100;
/**
 * How long a page no row of which is in view stays cached: a list of thousands is read a page at
 * a time as it scrolls, and the pages scrolled past are let go instead of piling up in the window.
 */
const PAGE_KEPT_MS = 5_000;

/** Page `page` (0-based, NUMBERS_PAGE numbers each) of the connector's kept list. */
export function numberPageQuery(connectorId: string, page: number) {
  return {
    queryKey: numberKeys.page(connectorId, page),
    queryFn: () => unwrap(commands.numbersPage(connectorId, page * NUMBERS_PAGE, NUMBERS_PAGE)),
    gcTime: PAGE_KEPT_MS,
  };
}

/** One page of the list with the whole list's counts (the first one heads the section). */
export function useNumberPage(connectorId: string, page: number) {
  return useQuery(numberPageQuery(connectorId, page));
}

/** The pages holding the rows in view, in the order asked. */
export function useNumberPages(connectorId: string, pages: number[]) {
  return useQueries({ queries: pages.map((page) => numberPageQuery(connectorId, page)) });
}

export function useWebhookUrl(connectorId: string) {
  return useQuery({ queryKey: numberKeys.url(connectorId), queryFn: () => unwrap(commands.webhookUrl(connectorId)) });
}

/** The connector's jobs (a running job's progress is pushed instead: see `progressChannel`). */
export function useWebhookJobs(connectorId: string) {
  return useQuery({ queryKey: numberKeys.jobs(connectorId), queryFn: () => unwrap(commands.webhookJobs(connectorId)) });
}

export type OnProgress = (progress: JobProgress) => void;

/** Set, rollback and resume carry this key, so a job this window runs is not taken for one a crash stopped. */
const jobRunKey = (connectorId: string) => ["webhook-job-run", connectorId] as const;

/** Whether this window is running a bulk job on the connector now. */
export function useJobRunning(connectorId: string) {
  return useIsMutating({ mutationKey: jobRunKey(connectorId) }) > 0;
}

/** A channel the backend pushes a bulk job's steps into: one before the first write, one per number. */
function progressChannel(onProgress: OnProgress): Channel<JobProgress_Deserialize> {
  return new Channel<JobProgress_Deserialize>(onProgress);
}

/** After any change: the list, the URL (needs-reset count), the jobs and the channels. */
function useRefreshAfter(connectorId: string) {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: numberKeys.list(connectorId) }),
      client.invalidateQueries({ queryKey: numberKeys.url(connectorId) }),
      client.invalidateQueries({ queryKey: numberKeys.jobs(connectorId) }),
      client.invalidateQueries({ queryKey: queryKeys.channels.all }),
      client.invalidateQueries({ queryKey: queryKeys.audit.all }),
    ]);
}

/** Fetches the list from the provider again; what it keeps is how fresh the answer is (the rows
 * are read back a page at a time: the whole list is not held on to here). */
export function useRefreshNumbers(connectorId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const { freshness } = await unwrap(commands.numbersRefresh(connectorId));
      return { freshness };
    },
    onSuccess: () => client.invalidateQueries({ queryKey: numberKeys.list(connectorId) }),
  });
}

export function useSaveActivation(connectorId: string) {
  const after = useRefreshAfter(connectorId);
  return useMutation({
    mutationFn: async ({ activate, deactivate }: { activate: string[]; deactivate: string[] }) => {
      if (activate.length) await unwrap(commands.numbersSetActive(connectorId, activate, true));
      if (deactivate.length) await unwrap(commands.numbersSetActive(connectorId, deactivate, false));
    },
    onSettled: after,
  });
}

export function useRegenerate(connectorId: string) {
  const after = useRefreshAfter(connectorId);
  return useMutation({ mutationFn: () => unwrap(commands.webhookRegenerate(connectorId)), onSettled: after });
}

/** The preview of a bulk set (old → new per number), read fresh each time it opens. */
export function useWebhookPlan(connectorId: string, numbers: string[]) {
  return useQuery({
    queryKey: numberKeys.plan(connectorId, numbers),
    queryFn: () => unwrap(commands.webhookPlan(connectorId, numbers)),
    gcTime: 0,
    retry: false,
  });
}

export function useSetWebhook(connectorId: string, onProgress: OnProgress) {
  const after = useRefreshAfter(connectorId);
  return useMutation({
    mutationKey: jobRunKey(connectorId),
    mutationFn: (numbers: string[]) => unwrap(commands.webhookSet(connectorId, numbers, progressChannel(onProgress))),
    onSettled: after,
  });
}

export function useRollback(connectorId: string, onProgress: OnProgress) {
  const after = useRefreshAfter(connectorId);
  return useMutation({
    mutationKey: jobRunKey(connectorId),
    mutationFn: (jobId: string) => unwrap(commands.webhookRollback(jobId, progressChannel(onProgress))),
    onSettled: after,
  });
}

export function useResume(connectorId: string, onProgress: OnProgress) {
  const after = useRefreshAfter(connectorId);
  return useMutation({
    mutationKey: jobRunKey(connectorId),
    mutationFn: (jobId: string) => unwrap(commands.webhookResume(jobId, progressChannel(onProgress))),
    onSettled: after,
  });
}
