import type { QueryClient } from "@tanstack/react-query";

import { allConnectorsQuery } from "./features/connectors/queries";
import { numberPageQuery } from "./features/numbers/queries";
import { organizationsQuery } from "./features/organizations/queries";
import { parseRoute } from "./lib/route";

/**
 * At launch, asks for what the reopened page shows while the app says it has started, instead of
 * one after the other as each part renders: the organizations and connectors (the sidebar, a
 * connector's page) and, on a connector's Numbers tab, the first page of its numbers. A request
 * that fails here is asked again by the part that shows it.
 */
export function prefetchReopenedPage(client: QueryClient) {
  void client.prefetchQuery(organizationsQuery);
  void client.prefetchQuery(allConnectorsQuery);
  const route = parseRoute(window.location.hash);
  if (route.page === "connector" && route.tab === "numbers") {
    void client.prefetchQuery(numberPageQuery(route.connectorId, 0));
  }
}
