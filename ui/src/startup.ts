import type { QueryClient } from "@tanstack/react-query";

import { commands } from "./bindings";
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
    reopenedNumbersOf = route.connectorId;
    void client.prefetchQuery(numberPageQuery(route.connectorId, 0));
  }
}

/** When the UI's script began to run (ms since the Unix epoch): its page fetched and parsed. */
const scriptStartedAt = performance.timeOrigin + performance.now();
/** The connector whose Numbers tab the app reopened on, until its first screen is reported. */
let reopenedNumbersOf: string | null = null;

/**
 * The Numbers section first showed rows (`shownAt`, on the page's clock). When that is the page
 * the app reopened on, the app's log records how long the launch took to show it and where the
 * time went (once per launch; a support engineer asked "it opens slowly" reads it there).
 */
export function reportFirstScreen(connectorId: string, shownAt: number) {
  if (reopenedNumbersOf === null || reopenedNumbersOf !== connectorId) return;
  reopenedNumbersOf = null;
  const report = { pageStartedAt: performance.timeOrigin, scriptStartedAt, shownAt: performance.timeOrigin + shownAt };
  // Only a log line: a launch that cannot write it shows the same screen.
  void commands.appFirstScreen(report).catch(() => undefined);
}
