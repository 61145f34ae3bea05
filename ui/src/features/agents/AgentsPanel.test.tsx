import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { commands } from "../../bindings";
import type { Agent, AgentChannel, AuditEntry } from "../../lib/types";
import { renderWithQuery } from "../../test/render";
import { AuditLog } from "../audit/AuditLog";
import { aConnector } from "../connectors/testing";
import { aNumber } from "../numbers/testing";
import { AgentsPanel } from "./AgentsPanel";

vi.mock("../../bindings", () => ({
  commands: {
    agentList: vi.fn(),
    agentCreate: vi.fn(),
    agentRename: vi.fn(),
    agentDelete: vi.fn(),
    channelList: vi.fn(),
    channelBind: vi.fn(),
    channelUnbind: vi.fn(),
    connectorList: vi.fn(),
    numbersActive: vi.fn(),
    auditList: vi.fn(),
  },
}));

const mocked = vi.mocked(commands);
const ok = <T,>(data: T) => Promise.resolve({ status: "ok" as const, data });

const anAgent = (id: string, name: string): Agent => ({ id, orgId: "o1", name, description: null, createdAt: "2026-11-22T10:00:00Z" });
const FRONT = anAgent("a1", "Front desk");
const NIGHT = anAgent("a2", "Night porter");
const aChannel = (agent: Agent, e164: string): AgentChannel => ({
  agentId: agent.id,
  agentName: agent.name,
  connectorId: "c1",
  connectorName: "Harbour SMS",
  e164,
  createdAt: "2026-11-22T10:00:00Z",
});
const anEntry = (id: number, action: string, target: string, after: string): AuditEntry => ({
  id,
  orgId: "o1",
  connectorId: "c1",
  action,
  target,
  before: null,
  after,
  createdAt: "2026-11-22T10:00:00Z",
});

/** The backend's state: one number bound to Front desk, another free. */
let channels: AgentChannel[];
let audit: AuditEntry[];

beforeEach(() => {
  vi.resetAllMocks();
  channels = [aChannel(FRONT, "+14155550101")];
  audit = [anEntry(1, "channel.bind", "+14155550101", "agent Front desk")];
  mocked.agentList.mockImplementation(() => ok([FRONT, NIGHT]));
  mocked.channelList.mockImplementation(() => ok(channels));
  mocked.auditList.mockImplementation(() => ok({ entries: audit, nextBefore: null, actions: [...new Set(audit.map((e) => e.action))] }));
  mocked.connectorList.mockImplementation(() => ok([aConnector({ id: "c1", kind: "sms", name: "Harbour SMS" })]));
  mocked.numbersActive.mockImplementation(() =>
    ok({
      connectorId: "c1",
      fetchedAt: "2026-11-22T10:00:00Z",
      expectedWebhookUrl: null,
      freshness: { asOf: "2026-11-22T10:00:00Z", stale: false, failure: null },
      numbers: [
        aNumber({ active: true, agent: channels.some((c) => c.e164 === "+14155550101") ? { id: FRONT.id, name: FRONT.name } : null }),
        aNumber({ e164: "+14155550103", providerId: "PN3", active: true }),
      ],
    }),
  );
  mocked.channelBind.mockImplementation((agentId, connectorId, e164) => {
    const agent = [FRONT, NIGHT].find((a) => a.id === agentId)!;
    const channel = { ...aChannel(agent, e164), connectorId };
    channels = [...channels, channel];
    audit = [anEntry(audit.length + 1, "channel.bind", e164, `agent ${agent.name}`), ...audit];
    return ok(channel);
  });
});

async function openChoices(user: ReturnType<typeof userEvent.setup>, agent: Agent) {
  await user.click(await screen.findByRole("button", { name: `Add channel to ${agent.name}` }));
  await user.selectOptions(within(await screen.findByTestId("add-channel")).getByLabelText("Connector"), "Harbour SMS");
  await screen.findAllByTestId("channel-choice");
  return screen.getByTestId("add-channel");
}

describe("AgentsPanel", () => {
  it("offers the connector's active numbers, asked for alone, and a number bound to another agent cannot be chosen", async () => {
    const user = userEvent.setup();
    renderWithQuery(<AgentsPanel orgId="o1" />);
    const panel = await openChoices(user, NIGHT);
    const choices = within(panel).getAllByTestId("channel-choice");
    expect(choices.map((c) => within(c).getByRole("radio").getAttribute("value"))).toEqual(["+14155550101", "+14155550103"]);
    // The active numbers alone, not the connector's whole list (which may hold thousands).
    expect(mocked.numbersActive).toHaveBeenCalledWith("c1");
    const [bound] = choices;
    expect(within(bound).getByText("Already bound")).toBeInTheDocument();
    expect(bound).toHaveTextContent("to Front desk");
    const boundChoice = within(bound).getByRole("radio", { name: "+14155550101" });
    expect(boundChoice).toBeDisabled();
    await user.click(boundChoice);
    expect(boundChoice).not.toBeChecked();
    const save = within(panel).getByRole("button", { name: "Save" });
    expect(save).toBeDisabled();
    await user.click(save);
    expect(mocked.channelBind).not.toHaveBeenCalled();
    expect(screen.getByTestId("add-channel")).toBeInTheDocument();
  });

  it("picking a number binds nothing until Save", async () => {
    const user = userEvent.setup();
    renderWithQuery(<AgentsPanel orgId="o1" />);
    const panel = await openChoices(user, NIGHT);
    await user.click(within(panel).getByRole("radio", { name: "+14155550103" }));
    expect(within(panel).getByRole("radio", { name: "+14155550103" })).toBeChecked();
    expect(mocked.channelBind).not.toHaveBeenCalled();
    await user.click(within(panel).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByTestId("add-channel")).not.toBeInTheDocument();
    expect(mocked.channelBind).not.toHaveBeenCalled();
  });

  it("binds a free number, closes the choices and lists it, and the audit log shows the bind", async () => {
    const user = userEvent.setup();
    renderWithQuery(
      <>
        <AgentsPanel orgId="o1" />
        <AuditLog orgId="o1" />
      </>,
    );
    expect(await screen.findByText("agent Front desk", { exact: false })).toBeInTheDocument();
    const panel = await openChoices(user, NIGHT);
    await user.click(within(panel).getByRole("radio", { name: "+14155550103" }));
    await user.click(within(panel).getByRole("button", { name: "Save" }));
    expect(mocked.channelBind).toHaveBeenCalledTimes(1);
    expect(mocked.channelBind).toHaveBeenCalledWith("a2", "c1", "+14155550103");
    await waitFor(() => expect(screen.queryByTestId("add-channel")).not.toBeInTheDocument());
    const night = screen.getAllByTestId("agent-row").find((row) => row.textContent?.startsWith("Night porter"))!;
    expect(await within(night).findByText(/\+14155550103 via Harbour SMS/)).toBeInTheDocument();
    // The bind is audited by the backend: the log on screen reloads to show it.
    expect(await screen.findByText("+14155550103")).toBeInTheDocument();
    expect(screen.getByText(/agent Night porter/)).toBeInTheDocument();
  });

  it("renames an agent in place, and the audit log shows before and after", async () => {
    let agents = [FRONT, NIGHT];
    mocked.agentList.mockImplementation(() => ok(agents));
    mocked.agentRename.mockImplementation((agentId, name) => {
      const before = agents.find((a) => a.id === agentId)!;
      agents = agents.map((a) => (a.id === agentId ? { ...a, name } : a));
      audit = [{ ...anEntry(audit.length + 1, "agent.rename", name, name), connectorId: null, before: before.name }, ...audit];
      return ok({ ...before, name });
    });
    const user = userEvent.setup();
    renderWithQuery(
      <>
        <AgentsPanel orgId="o1" />
        <AuditLog orgId="o1" />
      </>,
    );
    await user.click(await screen.findByRole("button", { name: "Rename Night porter" }));
    const field = screen.getByLabelText("New name");
    expect(field).toHaveValue("Night porter");
    expect(field).toHaveFocus();
    await user.clear(field);
    await user.type(field, "Night desk");
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(mocked.agentRename).toHaveBeenCalledWith("a2", "Night desk");
    expect(await screen.findByRole("button", { name: "Rename Night desk" })).toBeInTheDocument();
    const row = (await screen.findAllByTestId("audit-row"))[0];
    expect(row).toHaveTextContent("agent.rename");
    expect(row).toHaveTextContent("Night porter → Night desk");
  });

  it("removes an agent only after saying its numbers are unbound and the connectors stay", async () => {
    let agents = [FRONT, NIGHT];
    mocked.agentList.mockImplementation(() => ok(agents));
    mocked.agentDelete.mockImplementation((agentId) => {
      agents = agents.filter((a) => a.id !== agentId);
      channels = channels.filter((c) => c.agentId !== agentId);
      return ok(null);
    });
    const user = userEvent.setup();
    renderWithQuery(<AgentsPanel orgId="o1" />);
    await screen.findByText(/\+14155550101 via Harbour SMS/);
    await user.click(await screen.findByRole("button", { name: "Remove Front desk" }));
    const dialog = screen.getByRole("dialog", { name: "Remove the agent Front desk?" });
    expect(dialog).toHaveTextContent("Its number is unbound and then answer for no agent.");
    expect(dialog).toHaveTextContent("The connectors and their numbers stay as they are.");
    expect(mocked.agentDelete).not.toHaveBeenCalled();
    await user.click(within(dialog).getByRole("button", { name: "Remove agent" }));
    expect(mocked.agentDelete).toHaveBeenCalledWith("a1");
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    await waitFor(() => expect(screen.getAllByTestId("agent-row")).toHaveLength(1));
    expect(screen.queryByText(/\+14155550101 via/)).not.toBeInTheDocument();
  });
});
