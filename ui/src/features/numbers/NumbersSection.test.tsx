import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { Channel } from "@tauri-apps/api/core";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { commands, type JobProgress_Deserialize, type NumberList_Serialize } from "../../bindings";
import type { PhoneNumber, WebhookJob, WebhookUrl } from "../../lib/types";
import { renderWithQuery } from "../../test/render";
import { aConnector } from "../connectors/testing";
import { age } from "./labels";
import { staleSince } from "../../test/offline";
import { FRESH, aNumber } from "./testing";
import { FIRST_NUMBERS_MARK, NumbersSection } from "./NumbersSection";

vi.mock("../../bindings", () => ({
  commands: {
    numbersPage: vi.fn(),
    numbersRefresh: vi.fn(),
    numbersSetActive: vi.fn(),
    webhookUrl: vi.fn(),
    webhookRegenerate: vi.fn(),
    webhookPlan: vi.fn(),
    webhookSet: vi.fn(),
    webhookJobs: vi.fn(),
    webhookRollback: vi.fn(),
    driftReport: vi.fn(),
  },
}));

const mocked = vi.mocked(commands);
const ok = <T,>(data: T) => Promise.resolve({ status: "ok" as const, data });
const URL = "https://hooks.example/inbound/c1/token";

const url = (overrides: Partial<WebhookUrl> = {}): WebhookUrl => ({
  connectorId: "c1",
  url: URL,
  missingReason: null,
  needsReset: 0,
  ...overrides,
});

const aJob = (overrides: Partial<WebhookJob> = {}): WebhookJob => ({
  id: "j1",
  connectorId: "c1",
  kind: "set",
  rollbackOf: null,
  state: "finished",
  createdAt: "2026-11-22T10:00:00Z",
  finishedAt: "2026-11-22T10:00:01Z",
  items: [],
  ...overrides,
});

/** Sends a message into a Channel the way Tauri's backend does: through its callback, with an index. */
function push(channel: Channel<JobProgress_Deserialize>, index: number, message: JobProgress_Deserialize) {
  const internals = (window as unknown as { __TAURI_INTERNALS__: { runCallback: (id: number, data: unknown) => void } })
    .__TAURI_INTERNALS__;
  act(() => internals.runCallback(channel.id, { index, message }));
}

/** The connector's list as the backend keeps it in SQLite (each test says what it holds). */
const keptList = vi.fn<(connectorId: string) => Promise<{ status: "ok"; data: NumberList_Serialize }>>();

/**
 * The section reads the list a page at a time: each page is cut from what `keptList` holds, as
 * the backend cuts it from SQLite.
 */
function servePagesFromTheList() {
  mocked.numbersPage.mockImplementation(async (connectorId, offset, limit) => {
    const answer = await keptList(connectorId);
    const { numbers, fetchedAt } = answer.data;
    const active = numbers.filter((n) => n.active).length;
    const page = numbers.slice(offset, offset + limit);
    return { status: "ok", data: { connectorId, fetchedAt, total: numbers.length, active, offset, numbers: page } };
  });
}

function list(numbers: PhoneNumber[]) {
  return ok({ connectorId: "c1", fetchedAt: new Date().toISOString(), expectedWebhookUrl: URL, numbers, freshness: FRESH });
}

/** The height of the list's scroll box in the app: 8 rows of 64px. */
const VIEW = 8 * 64;

beforeEach(() => {
  vi.resetAllMocks();
  servePagesFromTheList();
  // Channels register their callback with Tauri's IPC internals: the mock provides them.
  mockIPC(() => {
    throw new Error("every command is mocked through the bindings");
  });
  // jsdom lays nothing out, so the virtualized list would have no view to fill: give its scroll
  // box the height it has in the app. Every other element keeps jsdom's 0.
  vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockImplementation(function (this: HTMLElement) {
    return this.getAttribute("aria-label") === "Numbers" ? VIEW : 0;
  });
  mocked.webhookUrl.mockImplementation(() => ok(url()));
  mocked.webhookJobs.mockImplementation(() => ok([]));
});

afterEach(() => {
  clearMocks();
  vi.restoreAllMocks();
});

describe("NumbersSection", () => {
  it("marks, once per page load, when number rows are first shown (the first useful screen)", async () => {
    performance.clearMarks();
    keptList.mockImplementation(() => ok({ connectorId: "c1", fetchedAt: null, expectedWebhookUrl: URL, numbers: [], freshness: FRESH }));
    const { unmount } = renderWithQuery(<NumbersSection connector={aConnector({ id: "c1", kind: "sms" })} />);
    await screen.findByRole("button", { name: "Fetch numbers" });
    expect(performance.getEntriesByName(FIRST_NUMBERS_MARK)).toHaveLength(0);
    unmount();

    keptList.mockImplementation(() => list([aNumber()]));
    const again = renderWithQuery(<NumbersSection connector={aConnector({ id: "c1", kind: "sms" })} />);
    await screen.findByTestId("number-row");
    await waitFor(() => expect(performance.getEntriesByName(FIRST_NUMBERS_MARK)).toHaveLength(1));
    again.unmount();
    renderWithQuery(<NumbersSection connector={aConnector({ id: "c1", kind: "sms" })} />);
    await screen.findByTestId("number-row");
    expect(performance.getEntriesByName(FIRST_NUMBERS_MARK)).toHaveLength(1);
  });

  it("only lets an active number get a webhook, and says why not otherwise", async () => {
    keptList.mockImplementation(() =>
      list([aNumber(), aNumber({ e164: "+14155550103", active: true, webhookState: "configured", webhookUrl: URL })]),
    );
    renderWithQuery(<NumbersSection connector={aConnector({ id: "c1", kind: "sms" })} />);
    const inactive = await screen.findByRole("button", { name: "Set webhook on +14155550101" });
    expect(inactive).toBeDisabled();
    expect(inactive).toHaveAttribute("title", expect.stringContaining("Activate and save this number first"));
    expect(screen.getByRole("button", { name: "Set webhook on +14155550103" })).toBeEnabled();
    const rows = screen.getAllByTestId("number-row");
    expect(within(rows[1]).getByText("Webhook configured")).toHaveClass("badge");
    expect(within(rows[0]).getByText("Webhook not set up in provider")).toBeInTheDocument();
    expect(screen.getByTestId("webhook-url")).toHaveTextContent(URL);
  });

  it("is blocked when the connector does not receive inbound data", async () => {
    keptList.mockImplementation(() => list([aNumber({ active: true })]));
    renderWithQuery(<NumbersSection connector={aConnector({ id: "c1", kind: "sms", receiveInbound: false })} />);
    const button = await screen.findByRole("button", { name: "Set webhook on +14155550101" });
    expect(button).toBeDisabled();
    expect(button).toHaveAttribute("title", expect.stringContaining("Receive inbound data"));
  });

  it("saves the checked numbers and sets a webhook, reading the result back", async () => {
    keptList.mockImplementation(() => list([aNumber()]));
    mocked.numbersSetActive.mockImplementation(() =>
      ok({ connectorId: "c1", fetchedAt: null, total: 1, active: 1, freshness: FRESH }),
    );
    const user = userEvent.setup();
    renderWithQuery(<NumbersSection connector={aConnector({ id: "c1", kind: "sms" })} />);
    await user.click(await screen.findByRole("checkbox", { name: "Use +14155550101" }));
    keptList.mockImplementation(() => list([aNumber({ active: true })]));
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(mocked.numbersSetActive).toHaveBeenCalledWith("c1", ["+14155550101"], true);
    const set = await screen.findByRole("button", { name: "Set webhook on +14155550101" });
    await waitFor(() => expect(set).toBeEnabled());
    mocked.webhookSet.mockImplementation(() => {
      keptList.mockImplementation(() =>
        list([aNumber({ active: true, webhookState: "configured", webhookUrl: URL })]),
      );
      return ok(aJob());
    });
    await user.click(set);
    expect(await screen.findByText("Webhook configured")).toBeInTheDocument();
    expect(mocked.webhookSet).toHaveBeenCalledWith("c1", ["+14155550101"], expect.any(Channel));
  });

  it("after a regenerate, a banner sets the webhook on all numbers in one click", async () => {
    keptList.mockImplementation(() => list([aNumber({ active: true, webhookState: "needs_reset" })]));
    mocked.webhookUrl.mockImplementation(() => ok(url({ needsReset: 1 })));
    mocked.webhookSet.mockImplementation(() => {
      mocked.webhookUrl.mockImplementation(() => ok(url()));
      keptList.mockImplementation(() =>
        list([aNumber({ active: true, webhookState: "configured", webhookUrl: URL })]),
      );
      return ok(
        aJob({
          items: [
            {
              e164: "+14155550101",
              providerId: "PN1",
              previousUrl: "https://old",
              previousMethod: "POST",
              newUrl: URL,
              newMethod: "POST",
              previousProfile: null,
              newProfile: null,
              outcome: "changed",
              reason: null,
              mayHaveLanded: false,
            },
          ],
        }),
      );
    });
    const user = userEvent.setup();
    renderWithQuery(<NumbersSection connector={aConnector({ id: "c1", kind: "sms" })} />);
    const banner = await screen.findByRole("status");
    expect(banner).toHaveTextContent("1 number needs the webhook set again");
    await user.click(within(banner).getByRole("button", { name: "Set on all" }));
    expect(mocked.webhookSet).toHaveBeenCalledWith("c1", [], expect.any(Channel));
    expect(await screen.findByText("Webhook configured")).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole("status")).not.toBeInTheDocument());
  });

  it("previews a bulk set, old → new, and runs it on the numbers left ticked", async () => {
    keptList.mockImplementation(() =>
      list([
        aNumber({ active: true, webhookUrl: "https://old" }),
        aNumber({ e164: "+14155550103", providerId: "PN3", active: true }),
      ]),
    );
    mocked.webhookPlan.mockImplementation(() =>
      ok([
        { e164: "+14155550101", currentUrl: "https://old", newUrl: URL, webhookState: "not_set" as const },
        { e164: "+14155550103", currentUrl: null, newUrl: URL, webhookState: "not_set" as const },
      ]),
    );
    mocked.webhookSet.mockImplementation(() => ok(aJob()));
    const user = userEvent.setup();
    renderWithQuery(<NumbersSection connector={aConnector({ id: "c1", kind: "sms" })} />);
    await user.click(await screen.findByRole("button", { name: "Set webhook on all active" }));
    const dialog = await screen.findByRole("dialog", { name: "Set the webhook" });
    expect(await within(dialog).findByText(/https:\/\/old → /)).toBeInTheDocument();
    expect(mocked.webhookPlan).toHaveBeenCalledWith("c1", []);
    expect(mocked.webhookSet).not.toHaveBeenCalled();
    await user.click(within(dialog).getByRole("checkbox", { name: "Include +14155550101" }));
    await user.click(within(dialog).getByRole("button", { name: "Set on 1 number" }));
    expect(mocked.webhookSet).toHaveBeenCalledWith("c1", ["+14155550103"], expect.any(Channel));
  });

  it("draws a bulk set's progress from the steps the backend pushes, without polling", async () => {
    keptList.mockImplementation(() =>
      list([aNumber({ active: true }), aNumber({ e164: "+14155550103", providerId: "PN3", active: true })]),
    );
    mocked.webhookPlan.mockImplementation(() =>
      ok([
        { e164: "+14155550101", currentUrl: null, newUrl: URL, webhookState: "not_set" as const },
        { e164: "+14155550103", currentUrl: null, newUrl: URL, webhookState: "not_set" as const },
      ]),
    );
    let channel: Channel<JobProgress_Deserialize> | undefined;
    let finish: (job: WebhookJob) => void = () => {};
    mocked.webhookSet.mockImplementation((_connectorId, _numbers, onProgress) => {
      channel = onProgress;
      return new Promise((resolve) => {
        finish = (job) => resolve({ status: "ok", data: job });
      });
    });
    const user = userEvent.setup();
    renderWithQuery(<NumbersSection connector={aConnector({ id: "c1", kind: "sms" })} />);
    await user.click(await screen.findByRole("button", { name: "Set webhook on all active" }));
    const dialog = await screen.findByRole("dialog", { name: "Set the webhook" });
    await user.click(await within(dialog).findByRole("button", { name: "Set on 2 numbers" }));
    await waitFor(() => expect(channel).toBeDefined());
    const pushed = channel as Channel<JobProgress_Deserialize>;
    const bar = () => screen.getByRole("progressbar");
    expect(screen.getByTestId("webhook-job")).toHaveTextContent("Setting webhooks: starting…");

    const step = { jobId: "j1", total: 2, changed: 0, failed: 0, current: null };
    push(pushed, 0, { ...step, done: 0 });
    expect(screen.getByTestId("webhook-job")).toHaveTextContent("Setting webhooks: 0 of 2");
    push(pushed, 1, {
      ...step,
      done: 1,
      failed: 1,
      current: { e164: "+14155550101", outcome: "failed", reason: "Twilio answered 503" },
    });
    expect(screen.getByTestId("webhook-job")).toHaveTextContent("Setting webhooks: 1 of 2 (1 failed)");
    expect(bar()).toHaveAttribute("value", "1");
    expect(bar()).toHaveAttribute("max", "2");
    expect(screen.getByTestId("job-current")).toHaveTextContent("+14155550101: failed: Twilio answered 503");

    // The jobs list is read once on opening, not polled while the job runs.
    const reads = mocked.webhookJobs.mock.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(mocked.webhookJobs.mock.calls.length).toBe(reads);

    push(pushed, 2, {
      ...step,
      done: 2,
      changed: 1,
      failed: 1,
      current: { e164: "+14155550103", outcome: "changed", reason: null },
    });
    expect(bar()).toHaveAttribute("value", "2");
    expect(screen.getByTestId("job-current")).toHaveTextContent("+14155550103: set");

    mocked.webhookJobs.mockImplementation(() => ok([aJob()]));
    await act(async () => finish(aJob()));
    expect(await screen.findByText(/Last webhook update: 0 set/)).toBeInTheDocument();
    expect(screen.queryByRole("progressbar")).not.toBeInTheDocument();
  });

  it("renders only the rows in view of a very long list, and scrolls to its last number", async () => {
    const e164 = (i: number) => `+1415${String(i).padStart(7, "0")}`;
    const many = Array.from({ length: 10000 }, (_, i) => aNumber({ e164: e164(i) }));
    keptList.mockImplementation(() => list(many));
    renderWithQuery(<NumbersSection connector={aConnector({ id: "c1", kind: "sms" })} />);
    const table = await screen.findByRole("table", { name: "Numbers" });
    expect(table).toHaveAttribute("aria-rowcount", "10000");
    const shown = () => screen.getAllByTestId("number-row").map((row) => row.getAttribute("data-e164"));
    const bounded = (rows: unknown[]) => {
      // The 8 rows in view, plus at most 4 either side and one partly shown.
      expect(rows.length).toBeGreaterThanOrEqual(8);
      expect(rows.length).toBeLessThanOrEqual(17);
    };

    await waitFor(() => expect(shown()[0]).toBe(e164(0)));
    bounded(shown());
    expect(screen.getByRole("checkbox", { name: `Use ${e164(7)}` })).toBeInTheDocument();
    expect(shown()).not.toContain(e164(9999));

    fireEvent.scroll(table, { target: { scrollTop: 10000 * 64 - VIEW } });
    const last = await screen.findByRole("checkbox", { name: `Use ${e164(9999)}` });
    expect(last.closest("[role=row]")).toHaveAttribute("aria-rowindex", "10000");
    bounded(shown());
    expect(shown()).not.toContain(e164(0));
    // The rows' data is read the same way: the first page, then the last, nothing between.
    const offsets = mocked.numbersPage.mock.calls.map(([, offset, limit]) => [offset, limit]);
    expect(new Set(offsets.map(String))).toEqual(new Set(["0,100", "9900,100"]));
  });

  it("is one Tab stop for the keyboard, and the arrows, Home and End move between its rows", async () => {
    const e164 = (i: number) => `+1415${String(i).padStart(7, "0")}`;
    keptList.mockImplementation(() => list(Array.from({ length: 100 }, (_, i) => aNumber({ e164: e164(i) }))));
    const user = userEvent.setup();
    renderWithQuery(<NumbersSection connector={aConnector({ id: "c1", kind: "sms" })} />);
    const first = await screen.findByRole("checkbox", { name: `Use ${e164(0)}` });
    const table = screen.getByRole("table", { name: "Numbers" });
    const stops = () => within(table).getAllByRole("checkbox").filter((box) => box.tabIndex === 0);
    expect(stops()).toEqual([first]);

    first.focus();
    await user.keyboard("{ArrowDown}");
    await waitFor(() => expect(screen.getByRole("checkbox", { name: `Use ${e164(1)}` })).toHaveFocus());
    expect(stops()).toEqual([screen.getByRole("checkbox", { name: `Use ${e164(1)}` })]);
    await user.keyboard("{End}");
    // jsdom does not scroll: do what the browser does when the list scrolls to its end.
    fireEvent.scroll(table, { target: { scrollTop: 100 * 64 - VIEW } });
    await waitFor(() => expect(screen.getByRole("checkbox", { name: `Use ${e164(99)}` })).toHaveFocus());
    await user.keyboard("{Home}");
    fireEvent.scroll(table, { target: { scrollTop: 0 } });
    await waitFor(() => expect(screen.getByRole("checkbox", { name: `Use ${e164(0)}` })).toHaveFocus());
    await user.keyboard("{ArrowUp}");
    expect(screen.getByRole("checkbox", { name: `Use ${e164(0)}` })).toHaveFocus();
  });

  it("says how old the kept list is", () => {
    const now = Date.parse("2026-11-22T10:00:00Z");
    expect(age("2026-11-22T09:59:30Z", now)).toBe("just now");
    expect(age("2026-11-22T09:57:00Z", now)).toBe("3 minutes ago");
    expect(age("2026-11-22T07:00:00Z", now)).toBe("3 hours ago");
  });

  it("reports drift with a plain reason per number", async () => {
    keptList.mockImplementation(() => list([aNumber({ active: true })]));
    mocked.driftReport.mockImplementation(() =>
      ok({ freshness: FRESH, entries: [
        {
          connectorId: "c1",
          connectorName: "SMS",
          e164: "+14155550101",
          expectedUrl: URL,
          actualUrl: URL,
          actualMethod: "POST",
          reasons: [{ kind: "overriddenByMessagingService" as const, sid: "MG1", name: "Front" }],
        },
      ] }),
    );
    const user = userEvent.setup();
    renderWithQuery(<NumbersSection connector={aConnector({ id: "c1", kind: "sms" })} />);
    await user.click(await screen.findByRole("button", { name: "Check drift" }));
    expect(await screen.findByText("Overridden by the Messaging Service 'Front' MG1")).toBeInTheDocument();
  });

  it("keeps the numbers listed when the provider cannot be reached, and says how old they are", async () => {
    const fetchedAt = new Date(Date.now() - 12 * 60_000).toISOString();
    const kept = [aNumber({ active: true }), aNumber({ e164: "+14155550103", providerId: "PN3" })];
    keptList.mockImplementation(() =>
      ok({ connectorId: "c1", fetchedAt, expectedWebhookUrl: URL, numbers: kept, freshness: { ...FRESH, asOf: fetchedAt } }),
    );
    mocked.numbersRefresh.mockImplementation(() =>
      ok({ connectorId: "c1", fetchedAt, total: kept.length, active: 1, freshness: staleSince(12) }),
    );
    mocked.driftReport.mockImplementation(() => ok({ entries: [], freshness: staleSince(12) }));
    const user = userEvent.setup();
    renderWithQuery(<NumbersSection connector={aConnector({ id: "c1", kind: "sms" })} />);
    await user.click(await screen.findByRole("button", { name: "Refresh" }));
    const notices = await screen.findAllByTestId("stale-notice");
    expect(notices[0]).toHaveTextContent("Showing the last known state from 12 minutes ago — Twilio could not be reached");
    expect(notices[0]).toHaveTextContent("the numbers could not be refreshed");
    expect(screen.getByText("+14155550101")).toBeInTheDocument();
    expect(screen.getByText("+14155550103")).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    // Retry asks the provider again.
    await user.click(within(notices[0]).getByRole("button", { name: "Retry" }));
    await waitFor(() => expect(mocked.numbersRefresh).toHaveBeenCalledTimes(2));
    // Drift compared from the kept list says so too.
    await user.click(screen.getByRole("button", { name: "Check drift" }));
    await waitFor(() => expect(screen.getAllByTestId("stale-notice")).toHaveLength(2));
    expect(screen.getAllByTestId("stale-notice")[1]).toHaveTextContent("the webhooks could not be refreshed");
  });
});
