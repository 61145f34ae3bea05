import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { commands } from "../../bindings";
import { useRoute } from "../../lib/route";
import { renderWithQuery } from "../../test/render";
import { aConnector, settingsFor } from "../connectors/testing";
import { ConnectorPage } from "./ConnectorPage";

vi.mock("../../bindings", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../bindings")>()),
  commands: {
    connectorList: vi.fn(),
    connectorCheck: vi.fn(),
    connectorValidate: vi.fn(),
    numbersList: vi.fn(),
    webhookUrl: vi.fn(),
    webhookJobs: vi.fn(),
  },
}));

const mocked = vi.mocked(commands);
const ok = <T,>(data: T) => Promise.resolve({ status: "ok" as const, data });

/** The page as the app mounts it: driven by the URL's hash. */
function Routed() {
  const [route, navigate] = useRoute();
  if (route.page !== "connector") return <p>home</p>;
  return <ConnectorPage connectorId={route.connectorId} tab={route.tab} navigate={navigate} />;
}

beforeEach(() => {
  vi.resetAllMocks();
  window.history.replaceState(null, "", "#/connectors/c1/overview");
  mocked.connectorValidate.mockImplementation(() => ok([]));
});

describe("ConnectorPage", () => {
  it("shows the connector's state and connection badges with the account, and keeps the tab in the URL", async () => {
    mocked.connectorList.mockImplementation(() =>
      ok([aConnector({ state: "active", accountName: "Grand Hotel", accountType: "Full", checkedAt: "2026-11-22T10:00:00Z" })]),
    );
    const user = userEvent.setup();
    renderWithQuery(<Routed />);
    const badges = await screen.findByTestId("connector-badges");
    expect(within(badges).getByText("Active")).toHaveClass("badge");
    expect(within(badges).getByText("Connected")).toHaveClass("badge");
    expect(screen.getByText("Grand Hotel (Full)")).toBeInTheDocument();
    expect(screen.getByText(/backup email night@hotel.example/)).toBeInTheDocument();

    const tabs = screen.getByRole("tablist");
    expect(within(tabs).getAllByRole("tab").map((t) => t.textContent)).toEqual(["Overview", "Numbers", "WhatsApp senders", "Settings"]);
    await user.click(within(tabs).getByRole("tab", { name: "Settings" }));
    expect(window.location.hash).toBe("#/connectors/c1/settings");
    expect(await screen.findByRole("tab", { name: "Settings", selected: true })).toBeInTheDocument();
    expect(screen.getByLabelText("Name")).toHaveValue("Front desk");
  });

  it("an Error connector says Not connected and why; an Email connector has no Numbers tab", async () => {
    mocked.connectorList.mockImplementation(() =>
      ok([
        aConnector({ id: "c1", kind: "email", settings: settingsFor("smtp"), state: "error", stateReason: "The SMTP server refused the password." }),
      ]),
    );
    renderWithQuery(<Routed />);
    const badges = await screen.findByTestId("connector-badges");
    expect(within(badges).getByText("Error")).toBeInTheDocument();
    expect(within(badges).getByText("Not connected")).toBeInTheDocument();
    expect(screen.getByText("The SMTP server refused the password.")).toBeInTheDocument();
    expect(within(screen.getByRole("tablist")).queryByRole("tab", { name: "Numbers" })).not.toBeInTheDocument();
  });

  it("opens at the tab the URL names, and says so when the connector is gone", async () => {
    mocked.connectorList.mockImplementation(() => ok([]));
    window.history.replaceState(null, "", "#/connectors/c1/numbers");
    renderWithQuery(<Routed />);
    expect(await screen.findByRole("heading", { name: "This connector is gone" })).toBeInTheDocument();
  });
});
