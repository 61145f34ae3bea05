import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { commands } from "../../bindings";
import { ConnectorList } from "./ConnectorList";
import { aConnector, renderWithQuery } from "./testing";

vi.mock("../../bindings", () => ({
  commands: {
    connectorList: vi.fn(),
    connectorDelete: vi.fn(),
    connectorValidate: vi.fn(),
  },
}));

const mocked = vi.mocked(commands);
const ok = <T,>(data: T) => Promise.resolve({ status: "ok" as const, data });

beforeEach(() => {
  vi.resetAllMocks();
  mocked.connectorValidate.mockImplementation(() => ok([]));
});

describe("ConnectorList", () => {
  it("says what to do when there are no connectors", async () => {
    mocked.connectorList.mockImplementation(() => ok([]));
    renderWithQuery(<ConnectorList orgId="o1" orgName="Grand Hotel" />);
    expect(await screen.findByText("No connectors yet — add one to start managing numbers.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "New connector" })).toBeInTheDocument();
  });

  it("lists connectors with their state", async () => {
    mocked.connectorList.mockImplementation(() =>
      ok([aConnector(), aConnector({ id: "c2", name: "SMS", kind: "sms", provider: "46elks", state: "error", stateReason: "Wrong password" })]),
    );
    renderWithQuery(<ConnectorList orgId="o1" orgName="Grand Hotel" />);
    const rows = await screen.findAllByTestId("connector-row");
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByText("Not checked yet")).toBeInTheDocument();
    expect(within(rows[1]).getByText("Error: Wrong password")).toBeInTheDocument();
    expect(rows[1]).toHaveTextContent("SMS · 46elks");
  });

  it("removes only after confirmation, saying the keychain entry goes too", async () => {
    mocked.connectorList.mockImplementation(() => ok([aConnector()]));
    mocked.connectorDelete.mockImplementation(() => ok(null));
    const user = userEvent.setup();
    renderWithQuery(<ConnectorList orgId="o1" orgName="Grand Hotel" />);
    await user.click(await screen.findByRole("button", { name: "Remove Front desk" }));
    const dialog = screen.getByRole("dialog");
    expect(dialog).toHaveTextContent("deleted from the system keychain");
    expect(mocked.connectorDelete).not.toHaveBeenCalled();
    await user.click(within(dialog).getByRole("button", { name: "Keep it" }));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(mocked.connectorDelete).not.toHaveBeenCalled();

    await user.click(screen.getByRole("button", { name: "Remove Front desk" }));
    await user.click(screen.getByRole("button", { name: "Remove connector" }));
    await waitFor(() => expect(mocked.connectorDelete).toHaveBeenCalledWith("c1"));
  });

  it("opens the form for a new connector", async () => {
    mocked.connectorList.mockImplementation(() => ok([]));
    const user = userEvent.setup();
    renderWithQuery(<ConnectorList orgId="o1" orgName="Grand Hotel" />);
    await user.click(await screen.findByRole("button", { name: "New connector" }));
    expect(screen.getByRole("dialog")).toHaveTextContent("New connector");
    expect(screen.getByLabelText("Kind")).toHaveFocus();
  });
});
