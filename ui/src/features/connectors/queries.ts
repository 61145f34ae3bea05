import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { commands } from "../../bindings";
import { unwrap } from "../../lib/api";
import { queryKeys } from "../../lib/queryKeys";
import type { ConnectorDraft } from "../../lib/types";

const connectorKeys = queryKeys.connectors;

export function useConnectors(orgId: string) {
  return useQuery({ queryKey: connectorKeys.ofOrg(orgId), queryFn: () => unwrap(commands.connectorList(orgId)) });
}

/** Every connector of every organization (to tell whether anything is set up yet). */
/** Every connector of every organization (the sidebar and a connector's page read it). */
export const allConnectorsQuery = { queryKey: connectorKeys.all, queryFn: () => unwrap(commands.connectorList(null)) };

export function useAllConnectors() {
  return useQuery(allConnectorsQuery);
}

export function useSaveConnector(existingId: string | null) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (draft: ConnectorDraft) =>
      unwrap(existingId ? commands.connectorUpdate(existingId, draft) : commands.connectorCreate(draft)),
    // Also after a failure: a connector can be saved and then fail its credential check.
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: connectorKeys.all }),
        client.invalidateQueries({ queryKey: queryKeys.audit.all }),
      ]),
  });
}

export function useDeleteConnector() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(commands.connectorDelete(id)),
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: connectorKeys.all }),
        client.invalidateQueries({ queryKey: queryKeys.audit.all }),
      ]),
  });
}

/**
 * The backend's field errors for a draft (empty when it can be saved). The draft may hold a secret,
 * so results are dropped from the cache as soon as no form shows them.
 */
export function useConnectorValidation(draft: ConnectorDraft, existingId: string | null, enabled: boolean) {
  return useQuery({
    queryKey: connectorKeys.validation(existingId, draft),
    queryFn: () => unwrap(commands.connectorValidate(draft, existingId)),
    enabled,
    gcTime: 0,
    placeholderData: keepPreviousData,
  });
}

/** Checks the credentials against the provider again; the list shows the new state. */
export function useCheckConnector() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(commands.connectorCheck(id)),
    onSettled: () => client.invalidateQueries({ queryKey: connectorKeys.all }),
  });
}
