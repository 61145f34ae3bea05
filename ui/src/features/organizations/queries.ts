import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { commands } from "../../bindings";
import { unwrap } from "../../lib/api";
import { queryKeys } from "../../lib/queryKeys";
import type { OrganizationDraft } from "../../lib/types";

const organizationKeys = queryKeys.organizations;

export const organizationsQuery = { queryKey: organizationKeys.all, queryFn: () => unwrap(commands.orgList()) };

export function useOrganizations() {
  return useQuery(organizationsQuery);
}

export function useCreateOrganization() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (draft: OrganizationDraft) => unwrap(commands.orgCreate(draft)),
    onSuccess: () => client.invalidateQueries({ queryKey: organizationKeys.all }),
  });
}

/** Saves an organization's name and inbound base URL; the answer says how many numbers must be set again. */
export function useUpdateOrganization(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (draft: OrganizationDraft) => unwrap(commands.orgUpdate(id, draft)),
    onSuccess: () => {
      client.invalidateQueries({ queryKey: organizationKeys.all });
      // The connectors' webhook URLs and their numbers' states changed with the base URL.
      client.invalidateQueries({ queryKey: queryKeys.numbers.all });
      client.invalidateQueries({ queryKey: queryKeys.audit.all });
    },
  });
}
