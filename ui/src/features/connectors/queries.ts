import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { commands, type ConnectorDraft } from "../../bindings";
import { unwrap } from "../../lib/api";

export const connectorKeys = {
  all: ["connectors"] as const,
  ofOrg: (orgId: string) => ["connectors", orgId] as const,
};

export function useConnectors(orgId: string) {
  return useQuery({ queryKey: connectorKeys.ofOrg(orgId), queryFn: () => unwrap(commands.connectorList(orgId)) });
}

export function useSaveConnector(existingId: string | null) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (draft: ConnectorDraft) =>
      unwrap(existingId ? commands.connectorUpdate(existingId, draft) : commands.connectorCreate(draft)),
    onSuccess: () => client.invalidateQueries({ queryKey: connectorKeys.all }),
  });
}

export function useDeleteConnector() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(commands.connectorDelete(id)),
    onSuccess: () => client.invalidateQueries({ queryKey: connectorKeys.all }),
  });
}
