import { QueryClient } from "@tanstack/react-query";
import { afterEach, describe, expect, it, vi } from "vitest";

import { commands } from "./bindings";
import { queryKeys } from "./lib/queryKeys";
import { prefetchReopenedPage, reportFirstScreen } from "./startup";

vi.mock("./bindings", () => ({
  commands: {
    orgList: vi.fn(() => Promise.resolve({ status: "ok", data: [] })),
    connectorList: vi.fn(() => Promise.resolve({ status: "ok", data: [] })),
    appFirstScreen: vi.fn(() => Promise.resolve({ status: "ok", data: null })),
    numbersPage: vi.fn(() =>
      Promise.resolve({ status: "ok", data: { connectorId: "c1", fetchedAt: null, total: 0, active: 0, offset: 0, numbers: [] } }),
    ),
  },
}));

const mocked = vi.mocked(commands);

afterEach(() => {
  vi.clearAllMocks();
  window.history.replaceState(null, "", "#/");
});

describe("prefetchReopenedPage", () => {
  it("asks at once for the sidebar's data and, reopening a Numbers tab, its first page of numbers", async () => {
    window.history.replaceState(null, "", "#/connectors/c1/numbers");
    const client = new QueryClient();
    prefetchReopenedPage(client);
    expect(mocked.orgList).toHaveBeenCalledTimes(1);
    expect(mocked.connectorList).toHaveBeenCalledWith(null);
    expect(mocked.numbersPage).toHaveBeenCalledWith("c1", 0, 100);
    // Kept where the Numbers section reads its first page.
    await vi.waitFor(() => expect(client.getQueryData(queryKeys.numbers.page("c1", 0))).toMatchObject({ connectorId: "c1" }));
  });

  it("asks for no numbers when the reopened page is not a Numbers tab", () => {
    for (const hash of ["#/", "#/connectors/c1/overview", "#/organizations/o1"]) {
      window.history.replaceState(null, "", hash);
      prefetchReopenedPage(new QueryClient());
    }
    expect(mocked.numbersPage).not.toHaveBeenCalled();
    expect(mocked.connectorList).toHaveBeenCalledTimes(3);
  });
});

describe("reportFirstScreen", () => {
  it("tells the app's log once when the reopened Numbers tab first shows rows, on the page's clock", () => {
    window.history.replaceState(null, "", "#/connectors/c1/numbers");
    prefetchReopenedPage(new QueryClient());
    reportFirstScreen("c2", 120); // another connector's rows: not the reopened page
    expect(mocked.appFirstScreen).not.toHaveBeenCalled();
    reportFirstScreen("c1", 300);
    expect(mocked.appFirstScreen).toHaveBeenCalledTimes(1);
    const [report] = mocked.appFirstScreen.mock.calls[0];
    expect(report.pageStartedAt).toBe(performance.timeOrigin);
    expect(report.shownAt).toBe(performance.timeOrigin + 300);
    expect(report.scriptStartedAt ?? Number.NaN).toBeGreaterThanOrEqual(performance.timeOrigin);
    reportFirstScreen("c1", 900); // rows shown again later (after a refresh): not a launch
    expect(mocked.appFirstScreen).toHaveBeenCalledTimes(1);
  });

  it("reports nothing when the app reopened on another page", () => {
    window.history.replaceState(null, "", "#/connectors/c1/overview");
    prefetchReopenedPage(new QueryClient());
    reportFirstScreen("c1", 300);
    expect(mocked.appFirstScreen).not.toHaveBeenCalled();
  });
});
