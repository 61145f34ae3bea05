import { useQuery } from "@tanstack/react-query";

import { commands } from "../../bindings";
import { unwrap } from "../../lib/api";
import { queryKeys } from "../../lib/queryKeys";

/** Every change to numbers, webhooks and channels in the organization, newest first. */
export function useAuditLog(orgId: string) {
  return useQuery({ queryKey: queryKeys.audit.ofOrg(orgId), queryFn: () => unwrap(commands.auditList(orgId)) });
}
