import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { commands } from "../../bindings";
import { unwrap } from "../../lib/api";
import { queryKeys } from "../../lib/queryKeys";
import type { OrganizationDraft } from "../../lib/types";

const organizationKeys = queryKeys.organizations;

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
