import { useIsMutating, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Channel } from "@tauri-apps/api/core";

import { commands, type JobProgress, type JobProgress_Deserialize } from "../../bindings";
import { unwrap } from "../../lib/api";
import { queryKeys } from "../../lib/queryKeys";

const numberKeys = queryKeys.numbers;

export function useNumbers(connectorId: string) {
  return useQuery({ queryKey: numberKeys.list(connectorId), queryFn: () => unwrap(commands.numbersList(connectorId)) });
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

export function useRefreshNumbers(connectorId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(commands.numbersRefresh(connectorId)),
    onSuccess: (list) => client.setQueryData(numberKeys.list(connectorId), list),
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
