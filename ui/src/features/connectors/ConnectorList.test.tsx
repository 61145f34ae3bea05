import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { commands } from "../../bindings";
import { ConnectorList } from "./ConnectorList";
import { renderWithQuery } from "../../test/render";
import { aConnector, settingsFor } from "./testing";

// The real catalog (a constant); the commands mocked.
vi.mock("../../bindings", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../bindings")>()),
  commands: {
    connectorList: vi.fn(),
    connectorDelete: vi.fn(),
    connectorValidate: vi.fn(),
    connectorCheck: vi.fn(),
  },
}));

const mocked = vi.mocked(commands);
const ok = <T,>(data: T) => Promise.resolve({ status: "ok" as const, data });

beforeEach(() => {
  vi.resetAllMocks();
  mocked.connectorValidate.mockImplementation(() => ok([]));
});

describe("ConnectorList", () => {
  it("says what to do when there are no connectors, with a button that does it", async () => {
    mocked.connectorList.mockImplementation(() => ok([]));
    const user = userEvent.setup();
    renderWithQuery(<ConnectorList orgId="o1" orgName="Grand Hotel" />);
    expect(await screen.findByText("No connectors yet — add one to start managing numbers.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Add Connector" })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Add a connector" }));
    expect(screen.getByRole("dialog", { name: "Add Connector" })).toBeInTheDocument();
  });

  it("lists connectors with kind, provider, recipients and state", async () => {
    mocked.connectorList.mockImplementation(() =>
      ok([
        aConnector(),
        aConnector({ id: "c2", name: "SMS", kind: "sms", settings: settingsFor("46elks"), state: "error", stateReason: "Wrong password", recipients: [] }),
        aConnector({ id: "c3", name: "Backup", kind: "email", settings: settingsFor("smtp"), state: "active", accountName: "Grand Hotel AB" }),
      ]),
    );
    renderWithQuery(<ConnectorList orgId="o1" orgName="Grand Hotel" />);
    const rows = await screen.findAllByTestId("connector-row");
    expect(rows).toHaveLength(3);
    expect(rows[0]).toHaveTextContent("Front desk");
    expect(rows[0]).toHaveTextContent("WhatsApp · Twilio · 1 recipient");
    expect(within(rows[0]).getByText("Not checked yet")).toHaveClass("badge");
    expect(rows[1]).toHaveTextContent("SMS · 46elks · 0 recipients");
    expect(within(rows[1]).getByText("Error")).toHaveClass("badge");
    expect(within(rows[1]).getByText("Wrong password")).toBeInTheDocument();
    expect(rows[2]).toHaveTextContent("Email · SMTP");
    expect(within(rows[2]).getByText("Active · Connected")).toHaveClass("badge");
    expect(rows[2]).toHaveTextContent("Account: Grand Hotel AB");
  });

  it("shows a failed check's cause, fix and provider code linking to its page, without opening the form", async () => {
    mocked.connectorList.mockImplementation(() =>
      ok([
        aConnector({
          state: "error",
          stateReason: "summary line",
          stateFailure: {
            provider: "twilio",
            kind: "ACCOUNT_SUSPENDED",
            providerCode: "10001",
            httpStatus: 401,
            message: "Account is not active",
            cause: "The Twilio account exists but is not active.",
            fix: "Check the account's status in the Twilio console.",
            docsUrl: "https://www.twilio.com/docs/api/errors/10001",
          },
        }),
      ]),
    );
    const user = userEvent.setup();
    renderWithQuery(<ConnectorList orgId="o1" orgName="Grand Hotel" />);
    const [row] = await screen.findAllByTestId("connector-row");
    expect(within(row).getByText("The Twilio account exists but is not active.")).toBeInTheDocument();
    expect(within(row).getByText("Check the account's status in the Twilio console.")).toBeInTheDocument();
    expect(within(row).getByText("ACCOUNT_SUSPENDED")).toBeInTheDocument();
    expect(within(row).queryByText("summary line")).not.toBeInTheDocument();
    const link = within(row).getByRole("link", { name: "Twilio 10001" });
    expect(link).toHaveAttribute("href", "https://www.twilio.com/docs/api/errors/10001");
    link.addEventListener("click", (event) => event.preventDefault());
    await user.click(link);
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });

  it("a click on a row, its name or its Numbers button opens the connector's page at that tab", async () => {
    mocked.connectorList.mockImplementation(() => ok([aConnector({ id: "c7" })]));
    const user = userEvent.setup();
    window.history.replaceState(null, "", "#");
    renderWithQuery(<ConnectorList orgId="o1" orgName="Grand Hotel" />);
    const [row] = await screen.findAllByTestId("connector-row");
    await user.click(within(row).getByText(/WhatsApp · Twilio/));
    expect(window.location.hash).toBe("#/connectors/c7/overview");
    await user.click(within(row).getByRole("button", { name: "Numbers of Front desk" }));
    expect(window.location.hash).toBe("#/connectors/c7/numbers");
    expect(within(row).getByRole("link", { name: "Front desk" })).toHaveAttribute("href", "#/connectors/c7/overview");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });

  it("opens the form pre-filled from Edit, kind and provider fixed", async () => {
    mocked.connectorList.mockImplementation(() => ok([aConnector()]));
    const user = userEvent.setup();
    renderWithQuery(<ConnectorList orgId="o1" orgName="Grand Hotel" />);
    await user.click(await screen.findByRole("button", { name: "Edit Front desk" }));
    const dialog = screen.getByRole("dialog", { name: "Edit Front desk" });
    expect(within(dialog).getByLabelText("Name")).toHaveValue("Front desk");
    expect(within(dialog).getByLabelText("Kind")).toBeDisabled();
    expect(within(dialog).getByLabelText("Provider")).toBeDisabled();
    // The first field that can take focus does: the kind and provider are disabled on edit.
    expect(within(dialog).getByLabelText("Name")).toHaveFocus();
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });

  it("removes only after confirmation, saying the keychain entry goes too", async () => {
    mocked.connectorList.mockImplementation(() => ok([aConnector()]));
    mocked.connectorDelete.mockImplementation(() => ok(null));
    const user = userEvent.setup();
    renderWithQuery(<ConnectorList orgId="o1" orgName="Grand Hotel" />);
    await user.click(await screen.findByRole("button", { name: "Remove Front desk" }));
    const dialog = screen.getByRole("dialog");
    expect(dialog).toHaveTextContent("Front desk");
    expect(dialog).toHaveTextContent("deleted from the system keychain");
    expect(mocked.connectorDelete).not.toHaveBeenCalled();
    await user.click(within(dialog).getByRole("button", { name: "Keep it" }));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(mocked.connectorDelete).not.toHaveBeenCalled();

    await user.click(screen.getByRole("button", { name: "Remove Front desk" }));
    await user.click(screen.getByRole("button", { name: "Remove connector" }));
    await waitFor(() => expect(mocked.connectorDelete).toHaveBeenCalledWith("c1"));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
  });

  it("keeps the dialog open with the reason when removing fails", async () => {
    mocked.connectorList.mockImplementation(() => ok([aConnector()]));
    mocked.connectorDelete.mockImplementation(() =>
      Promise.resolve({
        status: "error" as const,
        error: { code: "keychain_unavailable" as const, message: "No keychain is running. Start it and try again.", fields: [] },
      }),
    );
    const user = userEvent.setup();
    renderWithQuery(<ConnectorList orgId="o1" orgName="Grand Hotel" />);
    await user.click(await screen.findByRole("button", { name: "Remove Front desk" }));
    await user.click(screen.getByRole("button", { name: "Remove connector" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("No keychain is running. Start it and try again.");
    expect(screen.getByRole("dialog")).toBeInTheDocument();
  });

  it("checks a connector again on request and shows the new state and when it was checked", async () => {
    const earlier = "2026-11-22T10:00:00Z";
    mocked.connectorList.mockImplementation(() => ok([aConnector({ state: "error", stateReason: "Wrong token", checkedAt: earlier })]));
    const user = userEvent.setup();
    renderWithQuery(<ConnectorList orgId="o1" orgName="Grand Hotel" />);
    const row = await screen.findByTestId("connector-row");
    expect(within(row).getByText(/^Checked /)).toHaveAttribute("datetime", earlier);
    const now = new Date().toISOString();
    mocked.connectorCheck.mockImplementation(() => {
      const checked = aConnector({ state: "active", accountName: "Grand Hotel AB", checkedAt: now });
      mocked.connectorList.mockImplementation(() => ok([checked]));
      return ok(checked);
    });
    await user.click(within(row).getByRole("button", { name: "Check again: Front desk" }));
    expect(mocked.connectorCheck).toHaveBeenCalledTimes(1);
    expect(mocked.connectorCheck).toHaveBeenCalledWith("c1");
    expect(await within(row).findByText("Active · Connected")).toHaveClass("badge");
    expect(within(row).getByText("Checked just now")).toHaveAttribute("datetime", now);
    expect(within(row).queryByText("Wrong token")).not.toBeInTheDocument();
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });

  it("opens the Add Connector wizard with focus on its first choice, and gives focus back on Escape", async () => {
    mocked.connectorList.mockImplementation(() => ok([]));
    const user = userEvent.setup();
    renderWithQuery(<ConnectorList orgId="o1" orgName="Grand Hotel" />);
    const opener = await screen.findByRole("button", { name: "Add Connector" });
    await user.click(opener);
    expect(screen.getByRole("dialog", { name: "Add Connector" })).toBeInTheDocument();
    expect(screen.getByRole("radio", { name: /WhatsApp/ })).toHaveFocus();
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(opener).toHaveFocus();
  });
});
