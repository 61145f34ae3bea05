import { beforeEach, describe, expect, it } from "vitest";

import { navigate, parseRoute, restoreRoute, routeHash } from "./route";

describe("route", () => {
  beforeEach(() => {
    window.localStorage.clear();
    window.history.replaceState(null, "", "#");
  });

  it("reads a connector page and its tab from the hash, and writes it back the same", () => {
    const route = parseRoute("#/connectors/c-1/numbers");
    expect(route).toEqual({ page: "connector", connectorId: "c-1", tab: "numbers" });
    expect(routeHash(route)).toBe("#/connectors/c-1/numbers");
  });

  it("falls back to the overview for an unknown tab, and home for anything else", () => {
    expect(parseRoute("#/connectors/c-1/nonsense")).toEqual({ page: "connector", connectorId: "c-1", tab: "overview" });
    expect(parseRoute("#/whatever")).toEqual({ page: "home", orgId: null });
    expect(parseRoute("")).toEqual({ page: "home", orgId: null });
  });

  it("a relaunch with no hash opens the page and tab the user was on", () => {
    navigate({ page: "connector", connectorId: "c-9", tab: "logs" });
    window.history.replaceState(null, "", "#");
    restoreRoute();
    expect(parseRoute(window.location.hash)).toEqual({ page: "connector", connectorId: "c-9", tab: "logs" });
  });

  it("a link followed at launch wins over the remembered page", () => {
    navigate({ page: "connector", connectorId: "c-9", tab: "logs" });
    window.history.replaceState(null, "", "#/connectors/c-2/settings");
    restoreRoute();
    expect(parseRoute(window.location.hash)).toEqual({ page: "connector", connectorId: "c-2", tab: "settings" });
  });
});
