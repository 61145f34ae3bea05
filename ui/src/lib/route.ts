// Where the user is, kept in the URL's hash (`#/connectors/{id}/{tab}`) and remembered across
// launches, so a relaunch opens the page and tab the user left.
import { useCallback, useSyncExternalStore } from "react";

export const CONNECTOR_TABS = ["overview", "numbers", "senders", "send", "messages", "logs", "settings"] as const;
export type ConnectorTab = (typeof CONNECTOR_TABS)[number];

export type Route = { page: "home"; orgId: string | null } | { page: "connector"; connectorId: string; tab: ConnectorTab };

const STORAGE_KEY = "switchboard.route";
const HOME: Route = { page: "home", orgId: null };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] === "connectors" && parts[1]) {
    const tab = CONNECTOR_TABS.find((t) => t === parts[2]) ?? "overview";
    return { page: "connector", connectorId: parts[1], tab };
  }
  if (parts[0] === "organizations" && parts[1]) return { page: "home", orgId: parts[1] };
  return HOME;
}

export function routeHash(route: Route): string {
  if (route.page === "connector") return `#/connectors/${encodeURIComponent(route.connectorId)}/${route.tab}`;
  return route.orgId ? `#/organizations/${encodeURIComponent(route.orgId)}` : "#/";
}

function remembered(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function remember(hash: string) {
  try {
    window.localStorage.setItem(STORAGE_KEY, hash);
  } catch {
    // Storage may be unavailable (private mode); the route then lasts for this launch only.
  }
}

/** On launch with no hash, go back to where the user was last time; from then on remember each move. */
export function restoreRoute() {
  if (window.location.hash.length <= 1) {
    const last = remembered();
    if (last) window.history.replaceState(null, "", last);
  }
  window.addEventListener("hashchange", () => remember(window.location.hash));
}

function subscribe(onChange: () => void) {
  window.addEventListener("hashchange", onChange);
  return () => window.removeEventListener("hashchange", onChange);
}

export function navigate(route: Route) {
  const hash = routeHash(route);
  remember(hash);
  if (window.location.hash !== hash) window.location.hash = hash;
}

export function useRoute(): [Route, (route: Route) => void] {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  const go = useCallback((route: Route) => navigate(route), []);
  return [parseRoute(hash), go];
}
