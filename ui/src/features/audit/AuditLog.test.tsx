import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { commands } from "../../bindings";
import type { AuditEntry, AuditFilter } from "../../lib/types";
import { renderWithQuery } from "../../test/render";
import { aConnector } from "../connectors/testing";
import { AuditLog } from "./AuditLog";

vi.mock("../../bindings", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../bindings")>()),
  commands: { auditList: vi.fn(), connectorList: vi.fn() },
}));

const mocked = vi.mocked(commands);
const ok = <T,>(data: T) => Promise.resolve({ status: "ok" as const, data });

const entry = (id: number, action: string, target: string, connectorId: string | null = null): AuditEntry => ({
  id,
  orgId: "o1",
  connectorId,
  action,
  target,
  before: `was ${target}`,
  after: `now ${target}`,
  createdAt: "2026-11-22T10:00:00Z",
});

const ENTRIES = [
  entry(5, "connector.update", "Front desk", "c1"),
  entry(4, "channel.bind", "+14155550101", "c2"),
  entry(3, "agent.create", "Concierge"),
  entry(2, "connector.secret_replaced", "Front desk", "c1"),
  entry(1, "connector.create", "Front desk", "c1"),
];

/** A backend that filters like the real one (actions, connector, text) and pages two at a time. */
function backend(orgId: string, filter: AuditFilter) {
  expect(orgId).toBe("o1");
  const words = filter.text?.toLowerCase();
  const matching = ENTRIES.filter(
    (e) =>
      (!filter.actions?.length || filter.actions.includes(e.action)) &&
      (!filter.connectorId || e.connectorId === filter.connectorId) &&
      (!words || [e.target, e.before, e.after].some((v) => v?.toLowerCase().includes(words))) &&
      (filter.before == null || e.id < filter.before),
  );
  const page = matching.slice(0, 2);
  return ok({
    entries: page,
    nextBefore: matching.length > 2 ? page[page.length - 1].id : null,
    actions: [...new Set(ENTRIES.map((e) => e.action))].sort(),
  });
}

const lastFilter = () => mocked.auditList.mock.calls[mocked.auditList.mock.calls.length - 1][1];
const rows = () => screen.queryAllByTestId("audit-row");

beforeEach(() => {
  vi.resetAllMocks();
  mocked.auditList.mockImplementation(backend);
  mocked.connectorList.mockImplementation(() =>
    ok([aConnector({ id: "c1", name: "Front desk" }), aConnector({ id: "c2", name: "Harbour SMS", kind: "sms" })]),
  );
});

describe("AuditLog", () => {
  it("offers the actions the log holds and the organization's connectors", async () => {
    renderWithQuery(<AuditLog orgId="o1" />);
    await waitFor(() => expect(rows()).toHaveLength(2));
    const action = screen.getByLabelText("Action");
    await waitFor(() =>
      expect(within(action).getAllByRole("option").map((o) => o.textContent)).toEqual([
        "Any action",
        "agent.create",
        "channel.bind",
        "connector.create",
        "connector.secret_replaced",
        "connector.update",
      ]),
    );
    const connector = screen.getByLabelText("Connector");
    await waitFor(() =>
      expect(within(connector).getAllByRole("option").map((o) => o.textContent)).toEqual(["Any connector", "Front desk", "Harbour SMS"]),
    );
  });

  it("filters by action, connector and words, and pages with the cursor", async () => {
    const user = userEvent.setup();
    renderWithQuery(<AuditLog orgId="o1" />);
    await waitFor(() => expect(rows()).toHaveLength(2));
    await user.click(screen.getByRole("button", { name: "Older entries" }));
    await waitFor(() => expect(rows()).toHaveLength(4));
    expect(lastFilter()).toMatchObject({ before: 4 });

    await user.selectOptions(screen.getByLabelText("Action"), "connector.secret_replaced");
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(lastFilter()).toMatchObject({ actions: ["connector.secret_replaced"], before: null });
    expect(rows()[0]).toHaveTextContent("connector.secret_replaced");
    expect(rows()[0]).toHaveTextContent("Front desk");

    await user.selectOptions(screen.getByLabelText("Action"), "");
    await user.selectOptions(screen.getByLabelText("Connector"), "Harbour SMS");
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(lastFilter()).toMatchObject({ actions: [], connectorId: "c2" });
    expect(rows()[0]).toHaveTextContent("+14155550101");

    await user.selectOptions(screen.getByLabelText("Connector"), "");
    await user.type(screen.getByLabelText("Search"), "concierge");
    await waitFor(() => expect(lastFilter()).toMatchObject({ text: "concierge" }));
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]).toHaveTextContent("agent.create");

    await user.click(screen.getByRole("button", { name: "Clear filters" }));
    // The whole log again, as far as it was paged.
    await waitFor(() => expect(rows()).toHaveLength(4));
    expect(lastFilter()).toMatchObject({ actions: [], connectorId: null, text: null, since: null, until: null });
  });

  it("sends a date range from the start of the From day to the end of the To day", async () => {
    const user = userEvent.setup();
    renderWithQuery(<AuditLog orgId="o1" />);
    await waitFor(() => expect(rows()).toHaveLength(2));
    await user.type(screen.getByLabelText("From"), "2026-11-20");
    await user.type(screen.getByLabelText("To"), "2026-11-22");
    await waitFor(() =>
      expect(lastFilter()).toMatchObject({
        since: new Date(2026, 10, 20).toISOString(),
        until: new Date(2026, 10, 23).toISOString(),
      }),
    );
  });

  it("says when nothing matches the filters", async () => {
    mocked.auditList.mockImplementation(() => ok({ entries: [], nextBefore: null, actions: ["agent.create"] }));
    const user = userEvent.setup();
    renderWithQuery(<AuditLog orgId="o1" />);
    expect(await screen.findByText("No changes yet.")).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText("Action"), "agent.create");
    expect(await screen.findByText("No change matches these filters.")).toBeInTheDocument();
  });
});
