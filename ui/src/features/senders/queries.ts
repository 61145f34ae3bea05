import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Channel } from "@tauri-apps/api/core";

import { commands, type SenderView_Deserialize } from "../../bindings";
import { unwrap } from "../../lib/api";
import { queryKeys } from "../../lib/queryKeys";
import type { SenderDraft, SenderUpdateDraft, SenderView } from "../../lib/types";

const senderKeys = queryKeys.senders;

/** The account's WhatsApp senders, read afresh from Twilio. */
export function useSenders(connectorId: string) {
  return useQuery({ queryKey: senderKeys.list(connectorId), queryFn: () => unwrap(commands.sendersList(connectorId)) });
}

export function useVerticals() {
  return useQuery({ queryKey: senderKeys.verticals, queryFn: () => commands.senderVerticals(), staleTime: Infinity });
}

function useRefresh(connectorId: string) {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: senderKeys.list(connectorId) }),
      client.invalidateQueries({ queryKey: queryKeys.numbers.list(connectorId) }),
      client.invalidateQueries({ queryKey: queryKeys.audit.all }),
    ]);
}

export type OnStatus = (sender: SenderView) => void;

/**
 * Follows a sender until its status settles; every status the backend sees is pushed to `onStatus`
 * as it happens (over a Tauri channel, not polled by the UI).
 */
export function useFollowSender(connectorId: string, onStatus: OnStatus) {
  const refresh = useRefresh(connectorId);
  return useMutation({
    mutationFn: (sender: string) =>
      unwrap(commands.senderFollow(connectorId, sender, new Channel<SenderView_Deserialize>((view) => onStatus(view as SenderView)))),
    onSettled: refresh,
  });
}

export function useRegisterSender(connectorId: string) {
  const refresh = useRefresh(connectorId);
  return useMutation({
    mutationFn: (draft: SenderDraft) => unwrap(commands.senderRegister(connectorId, draft)),
    onSettled: refresh,
  });
}

export function useVerifySender(connectorId: string) {
  const refresh = useRefresh(connectorId);
  return useMutation({
    mutationFn: ({ sender, code }: { sender: string; code: string }) => unwrap(commands.senderVerify(connectorId, sender, code)),
    onSettled: refresh,
  });
}

export function useUpdateSender(connectorId: string) {
  const refresh = useRefresh(connectorId);
  return useMutation({
    mutationFn: ({ sender, draft }: { sender: string; draft: SenderUpdateDraft }) =>
      unwrap(commands.senderUpdate(connectorId, sender, draft)),
    onSettled: refresh,
  });
}

export function useRemoveSender(connectorId: string) {
  const refresh = useRefresh(connectorId);
  return useMutation({
    mutationFn: (sender: string) => unwrap(commands.senderRemove(connectorId, sender)),
    onSettled: refresh,
  });
}
