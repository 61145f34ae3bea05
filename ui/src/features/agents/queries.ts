import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { commands } from "../../bindings";
import { unwrap } from "../../lib/api";
import { queryKeys } from "../../lib/queryKeys";

export function useAgents(orgId: string) {
  return useQuery({ queryKey: queryKeys.agents.ofOrg(orgId), queryFn: () => unwrap(commands.agentList(orgId)) });
}

/** Which agent answers on which number, for the whole organization. */
export function useChannels(orgId: string) {
  return useQuery({ queryKey: queryKeys.channels.ofOrg(orgId), queryFn: () => unwrap(commands.channelList(orgId)) });
}

export function useCreateAgent(orgId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ name, description }: { name: string; description: string | null }) =>
      unwrap(commands.agentCreate({ orgId, name, description })),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.agents.ofOrg(orgId) }),
        client.invalidateQueries({ queryKey: queryKeys.audit.all }),
      ]),
  });
}

/** After a rename or a removal: the agents, their channels, the numbers (they show their agent) and the audit log. */
function useRefreshAfterAgentChange(orgId: string) {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: queryKeys.agents.ofOrg(orgId) }),
      client.invalidateQueries({ queryKey: queryKeys.channels.all }),
      client.invalidateQueries({ queryKey: queryKeys.numbers.all }),
      client.invalidateQueries({ queryKey: queryKeys.audit.all }),
    ]);
}

export function useRenameAgent(orgId: string) {
  const after = useRefreshAfterAgentChange(orgId);
  return useMutation({
    mutationFn: ({ agentId, name }: { agentId: string; name: string }) => unwrap(commands.agentRename(agentId, name)),
    onSuccess: after,
  });
}

/** Removes the agent and unbinds its numbers; connectors and numbers stay. */
export function useDeleteAgent(orgId: string) {
  const after = useRefreshAfterAgentChange(orgId);
  return useMutation({
    mutationFn: (agentId: string) => unwrap(commands.agentDelete(agentId)),
    onSettled: after,
  });
}

/** After a bind or an unbind: the channels, the numbers (they show their agent) and the audit log. */
function useRefreshAfterChannelChange() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: queryKeys.channels.all }),
      client.invalidateQueries({ queryKey: queryKeys.numbers.all }),
      client.invalidateQueries({ queryKey: queryKeys.audit.all }),
    ]);
}

export function useBindChannel(agentId: string) {
  const after = useRefreshAfterChannelChange();
  return useMutation({
    mutationFn: ({ connectorId, number }: { connectorId: string; number: string }) =>
      unwrap(commands.channelBind(agentId, connectorId, number)),
    // Also after a failure: "already bound" means the lists shown are out of date.
    onSettled: after,
  });
}

export function useUnbindChannel() {
  const after = useRefreshAfterChannelChange();
  return useMutation({
    mutationFn: ({ agentId, number }: { agentId: string; number: string }) => unwrap(commands.channelUnbind(agentId, number)),
    onSettled: after,
  });
}
