import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { commands } from "../../bindings";
import type { MessageAttempt } from "../../lib/types";
import { staleSince, unreachable } from "../../test/offline";
import { renderWithQuery } from "../../test/render";
import { aConnector } from "../connectors/testing";
import { ErrorLogs } from "./ErrorLogs";
import { ImportedList } from "./ImportedList";
import { MessagesTab } from "./MessagesTab";
import { SendTest } from "./SendTest";

vi.mock("../../bindings", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../bindings")>()),
  commands: {
    numbersActive: vi.fn(),
    messageSend: vi.fn(),
    messageReconcile: vi.fn(),
    messageTemplates: vi.fn(),
    messagesImported: vi.fn(),
    messagesSync: vi.fn(),
    messageList: vi.fn(),
    connectorList: vi.fn(),
    logList: vi.fn(),
    logExport: vi.fn(),
  },
}));

vi.mock("@tauri-apps/api/core", () => ({
  Channel: class<T> {
    onmessage: (value: T) => void;
    constructor(onmessage: (value: T) => void) {
      this.onmessage = onmessage;
    }
  },
}));

const mocked = vi.mocked(commands);
/** The paged lists' scroll boxes in the app: 12 rows of 40px (the log), 10 (sent messages). */
const VIEWS: Record<string, number> = { "Error log": 12 * 40, "Sent messages": 10 * 40 };
const ok = <T,>(data: T) => Promise.resolve({ status: "ok" as const, data });

const anAttempt = (overrides: Partial<MessageAttempt> = {}): MessageAttempt => ({
  id: "a1",
  connectorId: "c1",
  channel: "whatsapp",
  from: "+46701234567",
  to: "+46707654321",
  kind: "text",
  body: "Your room is ready",
  templateSid: null,
  templateVariables: null,
  mediaUrls: [],
  validityPeriod: null,
  statusCallback: null,
  providerMessageId: "SM1",
  status: "queued",
  outcome: "sent",
  final: false,
  errorCode: null,
  errorKind: null,
  errorMessage: null,
  cause: null,
  fix: null,
  price: null,
  priceUnit: null,
  createdAt: "2026-12-04T10:00:00Z",
  updatedAt: "2026-12-04T10:00:00Z",
  acceptedAt: null,
  deliveredAt: null,
  finalAt: null,
  fallbackStatus: null,
  fallbackTo: null,
  fallbackError: null,
  history: [{ status: "queued", at: "2026-12-04T10:00:00Z", errorCode: null }],
  ...overrides,
});

beforeEach(() => {
  vi.resetAllMocks();
  // jsdom lays nothing out: give the virtual lists' scroll boxes the height they have in the app.
  vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockImplementation(function (this: HTMLElement) {
    return VIEWS[this.getAttribute("aria-label") ?? ""] ?? 0;
  });
  mocked.numbersActive.mockImplementation(() => ok({ connectorId: "c1", fetchedAt: null, expectedWebhookUrl: null, numbers: [], freshness: { asOf: null, stale: false, failure: null } }));
});

afterEach(() => vi.restoreAllMocks());

describe("SendTest", () => {
  it("sends a text and shows each status the backend pushes, never 'sent' as delivered", async () => {
    let push: (attempt: MessageAttempt) => void = () => undefined;
    mocked.messageSend.mockImplementation((_connector, _request, channel) => {
      push = (channel as unknown as { onmessage: (a: MessageAttempt) => void }).onmessage;
      return ok(anAttempt());
    });
    const queued = { status: "queued", at: "2026-12-04T10:00:00Z", errorCode: null };
    const sent = { status: "sent", at: "2026-12-04T10:00:01Z", errorCode: null };
    const delivered = { status: "delivered", at: "2026-12-04T10:00:03Z", errorCode: null };
    const user = userEvent.setup();
    renderWithQuery(<SendTest connector={aConnector()} />);
    expect(screen.getByText(/only reaches people who wrote to this number in the last 24 hours/)).toBeInTheDocument();
    await user.type(screen.getByLabelText("Text"), "Your room is ready");
    await user.click(screen.getByRole("button", { name: "Send test" }));
    expect(mocked.messageSend).toHaveBeenCalledWith(
      "c1",
      expect.objectContaining({ to: "+46707654321", text: "Your room is ready", template: null, media: [] }),
      expect.anything(),
    );
    expect(await screen.findByText("Sent (queued)")).toBeInTheDocument();
    act(() => push(anAttempt({ status: "sent", history: [queued, sent] })));
    expect(await screen.findByText("Sent (sent)")).toBeInTheDocument();
    act(() => push(anAttempt({ status: "delivered", outcome: "delivered", final: true, history: [queued, sent, delivered] })));
    await waitFor(() => expect(screen.getByTestId("attempt-outcome")).toHaveTextContent("Delivered"));
    expect(within(screen.getByRole("list", { name: "Statuses" })).getAllByRole("listitem")).toHaveLength(3);
  });

  it("an unknown outcome offers Check, not Send again, and Check asks the provider", async () => {
    mocked.messageSend.mockImplementation(() => ok(anAttempt({ status: "unknown", outcome: "unknown", final: false })));
    mocked.messageReconcile.mockImplementation(() => ok(anAttempt({ status: "delivered", outcome: "delivered", final: true })));
    const user = userEvent.setup();
    renderWithQuery(<SendTest connector={aConnector()} />);
    await user.type(screen.getByLabelText("Text"), "Hello");
    await user.click(screen.getByRole("button", { name: "Send test" }));
    await screen.findByText("Outcome unknown");
    expect(screen.getByRole("button", { name: "Send test" })).toBeDisabled();
    await user.click(screen.getByRole("button", { name: "Check" }));
    expect(mocked.messageReconcile).toHaveBeenCalledWith("a1");
  });

  it("a refused send outside the 24-hour window explains itself and offers a template", async () => {
    mocked.messageSend.mockImplementation(() =>
      ok(
        anAttempt({
          status: "failed",
          outcome: "failed",
          final: true,
          errorCode: "63016",
          errorKind: "OUTSIDE_SESSION_WINDOW",
          cause: "The guest has not written in 24 hours.",
          fix: "Send an approved template.",
        }),
      ),
    );
    const user = userEvent.setup();
    renderWithQuery(<SendTest connector={aConnector()} />);
    await user.type(screen.getByLabelText("Text"), "Hello");
    await user.click(screen.getByRole("button", { name: "Send test" }));
    expect(await screen.findByText("Send an approved template.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Use a template" }));
    expect(screen.getByLabelText("Content SID")).toBeInTheDocument();
  });

  it("picks an approved template, fills its variables with their defaults, previews the text and sends it", async () => {
    mocked.messageTemplates.mockImplementation(() =>
      ok({ freshness: { asOf: null, stale: false, failure: null }, templates: [
        {
          sid: "HX0123",
          name: "order_update",
          language: "en",
          category: "UTILITY",
          status: "approved",
          approved: true,
          rejectionReason: null,
          body: "Hi {{1}}, your order {{2}} has shipped.",
          variables: [
            { name: "1", default: "customer" },
            { name: "2", default: "order number" },
          ],
        },
      ] }),
    );
    mocked.messageSend.mockImplementation(() => ok(anAttempt({ kind: "template" })));
    const user = userEvent.setup();
    renderWithQuery(<SendTest connector={aConnector()} />);
    await user.click(screen.getByLabelText("WhatsApp template"));
    await user.selectOptions(await screen.findByLabelText("Template"), "HX0123");
    expect(screen.getByLabelText("Variable {{1}}")).toHaveValue("customer");
    expect(screen.getByTestId("template-preview")).toHaveTextContent("Hi customer, your order order number has shipped.");
    await user.clear(screen.getByLabelText("Variable {{1}}"));
    await user.type(screen.getByLabelText("Variable {{1}}"), "Alice");
    expect(screen.getByTestId("template-preview")).toHaveTextContent("Hi Alice, your order order number has shipped.");
    await user.click(screen.getByRole("button", { name: "Send test" }));
    expect(mocked.messageSend).toHaveBeenCalledWith(
      "c1",
      expect.objectContaining({ template: "HX0123", variables: { "1": "Alice", "2": "order number" }, text: null }),
      expect.anything(),
    );
  });

  it("offline: a send that cannot reach the provider keeps everything typed", async () => {
    mocked.messageSend.mockImplementation(() => unreachable());
    const user = userEvent.setup();
    renderWithQuery(<SendTest connector={aConnector({ recipients: [] })} />);
    await user.type(screen.getByLabelText("To"), "+46701234567");
    await user.type(screen.getByLabelText("Text"), "Your room is ready");
    await user.click(screen.getByRole("button", { name: "Send test" }));
    expect(await screen.findByText(/could not be reached/)).toBeInTheDocument();
    expect(screen.getByLabelText("To")).toHaveValue("+46701234567");
    expect(screen.getByLabelText("Text")).toHaveValue("Your room is ready");
  });

  it("offline: the template picker offers the last known templates and says how old they are", async () => {
    mocked.messageTemplates.mockImplementation(() =>
      ok({
        freshness: staleSince(12),
        templates: [
          { sid: "HX0123", name: "order_update", language: "en", category: "UTILITY", status: "approved", approved: true, rejectionReason: null, body: "Hi {{1}}", variables: [{ name: "1", default: "customer" }] },
        ],
      }),
    );
    const user = userEvent.setup();
    renderWithQuery(<SendTest connector={aConnector()} />);
    await user.click(screen.getByLabelText("WhatsApp template"));
    expect(await screen.findByTestId("stale-notice")).toHaveTextContent("from 12 minutes ago — Twilio could not be reached");
    await user.selectOptions(screen.getByLabelText("Template"), "HX0123");
    expect(screen.getByLabelText("Variable {{1}}")).toHaveValue("customer");
  });

  it("shows the backend's field errors under their fields", async () => {
    mocked.messageSend.mockImplementation(() =>
      Promise.resolve({
        status: "error" as const,
        error: { code: "validation" as const, message: "invalid", fields: [{ field: "to", message: "'12' is not a phone number" }], provider: null },
      }),
    );
    const user = userEvent.setup();
    renderWithQuery(<SendTest connector={aConnector({ recipients: [] })} />);
    await user.type(screen.getByLabelText("To"), "12");
    await user.click(screen.getByRole("button", { name: "Send test" }));
    expect(await screen.findByText("'12' is not a phone number")).toBeInTheDocument();
  });
});

describe("paged lists", () => {
  describe("ErrorLogs", () => {
    const entry = (id: number) => ({
      id,
      at: "2026-12-04T10:00:00Z",
      level: "error",
      connectorId: "c1",
      orgId: "o1",
      kind: "INVALID_RECIPIENT",
      code: "21211",
      message: `Bad number ${id}`,
      action: "send",
      number: "+15005550001",
      attemptId: null,
    });
    // 150 entries, ids 150 down to 1, served 100 a page as the backend does (keyset by id).
    const page = (before: number | null | undefined) => {
      const top = before ?? 151;
      const entries = Array.from({ length: Math.min(100, top - 1) }, (_, i) => entry(top - 1 - i));
      return { entries, nextBefore: top - 1 > 100 ? entries[entries.length - 1].id : null };
    };

    it("renders only the rows in view and fetches the next page as the user scrolls to the end", async () => {
      mocked.logList.mockImplementation((filter) => ok(page(filter.before)));
      renderWithQuery(<ErrorLogs connectorId="c1" />);
      await waitFor(() => expect(screen.getByTestId("log-paging")).toHaveTextContent("100 loaded; scroll down"));
      const rendered = screen.getAllByTestId("log-row");
      expect(rendered.length).toBeGreaterThanOrEqual(12);
      expect(rendered.length).toBeLessThan(30);
      expect(mocked.logList).toHaveBeenCalledTimes(1);
      expect(mocked.logList).toHaveBeenLastCalledWith(expect.objectContaining({ connectorId: "c1", before: null, limit: 100 }));

      const viewport = screen.getByRole("table", { name: "Error log" });
      fireEvent.scroll(viewport, { target: { scrollTop: 100 * 40 - 12 * 40 } });
      await waitFor(() => expect(mocked.logList).toHaveBeenLastCalledWith(expect.objectContaining({ connectorId: "c1", before: 51 })));
      await waitFor(() => expect(screen.getByTestId("log-paging")).toHaveTextContent("150 in all."));
      fireEvent.scroll(viewport, { target: { scrollTop: 150 * 40 - 12 * 40 } });
      expect(await screen.findByText("Bad number 1")).toBeInTheDocument();
      expect(screen.queryByText("Bad number 150")).not.toBeInTheDocument();
      expect(mocked.logList).toHaveBeenCalledTimes(2);
    });

    it("sends the filters from the first page again, and exports what is shown", async () => {
      mocked.logList.mockImplementation((filter) => ok(page(filter.before)));
      mocked.logExport.mockImplementation(() =>
        ok({ path: "/home/frontdesk/Downloads/switchboard-logs-c1.csv", bytes: 120, records: 2 }),
      );
      const user = userEvent.setup();
      renderWithQuery(<ErrorLogs connectorId="c1" />);
      await screen.findAllByTestId("log-row");
      await user.selectOptions(screen.getByLabelText("Action"), "send");
      await user.type(screen.getByLabelText("Number"), "+1500");
      await waitFor(() =>
        expect(mocked.logList).toHaveBeenLastCalledWith(
          expect.objectContaining({ connectorId: "c1", action: "send", number: "+1500", before: null }),
        ),
      );
      await user.click(screen.getByRole("button", { name: "Export CSV" }));
      expect(mocked.logExport).toHaveBeenCalledWith(expect.objectContaining({ action: "send", number: "+1500" }));
      expect(await screen.findByTestId("export-result")).toHaveTextContent(
        "Exported 2 entries to /home/frontdesk/Downloads/switchboard-logs-c1.csv.",
      );
    });
  });

  describe("MessagesTab's sent messages", () => {
    const page = (cursor: string | null | undefined) => {
      const start = cursor ? Number(cursor.slice(1)) + 1 : 0;
      const count = cursor ? 50 : 100;
      const attempts = Array.from({ length: count }, (_, i) => anAttempt({ id: `a${start + i}`, to: `+4670${start + i}` }));
      return { attempts, nextCursor: cursor ? null : "a99" };
    };

    beforeEach(() => {
      mocked.messagesImported.mockImplementation(() => ok([]));
      mocked.messageList.mockImplementation((_connector, filter) => ok(page(filter.cursor)));
    });

    it("fetches the next page as the user scrolls, and opens a message's timeline", async () => {
      const user = userEvent.setup();
      renderWithQuery(<MessagesTab connectorId="c1" />);
      await waitFor(() => expect(screen.getByTestId("attempts-paging")).toHaveTextContent("100 loaded; scroll down"));
      expect(screen.getAllByTestId("attempt-row").length).toBeLessThan(30);
      expect(mocked.messageList).toHaveBeenCalledTimes(1);

      fireEvent.scroll(screen.getByRole("table", { name: "Sent messages" }), { target: { scrollTop: 100 * 40 - 10 * 40 } });
      await waitFor(() => expect(mocked.messageList).toHaveBeenLastCalledWith("c1", expect.objectContaining({ cursor: "a99", limit: 100 })));
      await waitFor(() => expect(screen.getByTestId("attempts-paging")).toHaveTextContent("150 in all."));

      fireEvent.scroll(screen.getByRole("table", { name: "Sent messages" }), { target: { scrollTop: 150 * 40 - 10 * 40 } });
      await user.click(await screen.findByRole("button", { name: /to \+4670149/ }));
      expect(screen.getByTestId("attempt")).toHaveTextContent("To +4670149");
    });

    it("offline: importing the history keeps the imported messages and says how old they are", async () => {
      mocked.messagesImported.mockImplementation(() =>
        ok([{ providerMessageId: "SM1", direction: "inbound", from: "+46701234567", to: "+14155550101", status: "received", outcome: "received", errorCode: null, price: null, priceUnit: null, sentAt: "2026-12-04T10:00:00.000Z", bodyExcerpt: "Is breakfast served at 7?" }]),
      );
      mocked.messagesSync.mockImplementation(() =>
        ok({ connectorId: "c1", fetched: 0, new: 0, updated: 0, pages: 0, since: "2026-12-04T10:00:00.000Z", first: false, freshness: staleSince(12) }),
      );
      const user = userEvent.setup();
      renderWithQuery(<MessagesTab connectorId="c1" />);
      await user.click(screen.getByRole("button", { name: "Import history" }));
      const notice = await screen.findByTestId("stale-notice");
      expect(notice).toHaveTextContent("from 12 minutes ago — Twilio could not be reached");
      expect(notice).toHaveTextContent("the message history could not be refreshed");
      expect(screen.queryByTestId("sync-report")).not.toBeInTheDocument();
      expect(await screen.findByTestId("imported-count")).toHaveTextContent("1 of 1 imported messages");
    });

    it("sends the status, number and dates to the backend and starts from the first page", async () => {
      const user = userEvent.setup();
      renderWithQuery(<MessagesTab connectorId="c1" />);
      await screen.findAllByTestId("attempt-row");
      await user.selectOptions(screen.getByLabelText("Sent messages with status"), "failed");
      await user.type(screen.getByLabelText("Sent messages with number"), "+46 70");
      fireEvent.change(screen.getByLabelText("Sent messages since"), { target: { value: "2026-12-01" } });
      fireEvent.change(screen.getByLabelText("Sent messages until"), { target: { value: "2026-12-03" } });
      await waitFor(() =>
        expect(mocked.messageList).toHaveBeenLastCalledWith("c1", {
          status: "failed",
          number: "+46 70",
          since: new Date("2026-12-01T00:00").toISOString(),
          until: new Date("2026-12-04T00:00").toISOString(),
          cursor: null,
          limit: 100,
        }),
      );
    });
  });
});

describe("ErrorLogs across the organization", () => {
  it("asks for the organization's log and names each row's connector", async () => {
    mocked.connectorList.mockImplementation(() => ok([aConnector({ id: "c9", name: "Night SMS" })]));
    mocked.logList.mockImplementation(() =>
      ok({
        entries: [
          {
            id: 1,
            at: "2026-12-04T10:00:00Z",
            level: "error",
            connectorId: "c9",
            orgId: "o1",
            kind: "UNREACHABLE",
            code: null,
            message: "The provider could not be reached.",
            action: "credential_check",
            number: null,
            attemptId: null,
          },
        ],
        nextBefore: null,
      }),
    );
    renderWithQuery(<ErrorLogs orgId="o1" />);
    expect(screen.getByRole("heading", { name: "Error logs of every connector" })).toBeInTheDocument();
    const row = await screen.findByTestId("log-row");
    await waitFor(() => expect(row).toHaveTextContent("Night SMS"));
    expect(mocked.logList).toHaveBeenCalledWith(expect.objectContaining({ orgId: "o1", connectorId: null }));
  });
});

describe("ImportedList", () => {
  it("counts the imported messages and filters them by status and number", async () => {
    const message = (i: number, outcome: string) => ({
      providerMessageId: `SM${i}`,
      direction: "outbound",
      from: "+14155550101",
      to: i % 2 ? "+46701111111" : "+46702222222",
      status: outcome === "failed" ? "undelivered" : "delivered",
      outcome,
      errorCode: outcome === "failed" ? "30003" : null,
      price: null,
      priceUnit: null,
      sentAt: `2026-11-${String(1 + (i % 28)).padStart(2, "0")}T10:00:00.000Z`,
      bodyExcerpt: `Message ${i}`,
    });
    mocked.messagesImported.mockImplementation(() =>
      ok(Array.from({ length: 1000 }, (_, i) => message(i, i % 10 === 0 ? "failed" : "delivered"))),
    );
    const user = userEvent.setup();
    renderWithQuery(<ImportedList connectorId="c1" />);
    await waitFor(() => expect(screen.getByTestId("imported-count")).toHaveTextContent("1000 of 1000 imported messages"));
    await user.selectOptions(screen.getByLabelText("Imported messages with status"), "failed");
    expect(screen.getByTestId("imported-count")).toHaveTextContent("100 of 1000");
    await user.type(screen.getByLabelText("Imported messages with number"), "+4670222");
    expect(screen.getByTestId("imported-count")).toHaveTextContent("100 of 1000");
    await user.clear(screen.getByLabelText("Imported messages with number"));
    await user.type(screen.getByLabelText("Imported messages with number"), "+4670111");
    expect(screen.getByTestId("imported-count")).toHaveTextContent("0 of 1000");
  });
});

describe("SendTest's Twilio options", () => {
  it("sends a validity period and a status callback when given", async () => {
    mocked.messageSend.mockImplementation(() => ok(anAttempt()));
    const user = userEvent.setup();
    renderWithQuery(<SendTest connector={aConnector()} />);
    await user.type(screen.getByLabelText("Text"), "Hello");
    await user.click(screen.getByText("Twilio options"));
    await user.type(screen.getByLabelText("Validity period in seconds (optional)"), "600");
    await user.type(screen.getByLabelText("Status callback URL (optional)"), "https://hooks.hotel.example/status");
    await user.click(screen.getByRole("button", { name: "Send test" }));
    expect(mocked.messageSend).toHaveBeenCalledWith(
      "c1",
      expect.objectContaining({ validityPeriod: 600, statusCallback: "https://hooks.hotel.example/status" }),
      expect.anything(),
    );
  });
});
