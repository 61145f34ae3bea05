import { useInfiniteQuery } from "@tanstack/react-query";

import { commands } from "../../bindings";
import { unwrap } from "../../lib/api";
import { queryKeys } from "../../lib/queryKeys";
import type { AuditFilter } from "../../lib/types";

const PAGE = 50;

/** The organization's audit log that matches `filter`, newest first, a page at a time. */
export function useAuditLog(orgId: string, filter: AuditFilter = {}) {
  return useInfiniteQuery({
    queryKey: [...queryKeys.audit.ofOrg(orgId), filter],
    initialPageParam: null as number | null,
    queryFn: ({ pageParam }) => unwrap(commands.auditList(orgId, { ...filter, before: pageParam, limit: PAGE })),
    getNextPageParam: (page) => page.nextBefore,
  });
}
