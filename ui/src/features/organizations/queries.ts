import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { commands, type OrganizationDraft } from "../../bindings";
import { unwrap } from "../../lib/api";

export const organizationKeys = { all: ["organizations"] as const };

export function useOrganizations() {
  return useQuery({ queryKey: organizationKeys.all, queryFn: () => unwrap(commands.orgList()) });
}

export function useCreateOrganization() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (draft: OrganizationDraft) => unwrap(commands.orgCreate(draft)),
    onSuccess: () => client.invalidateQueries({ queryKey: organizationKeys.all }),
  });
}
