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
    numbersActive: vi.fn(),
    webhookUrl: vi.fn(),
    webhookJobs: vi.fn(),
    messageStats: vi.fn(),
    diagnosisLast: vi.fn(),
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
  mocked.diagnosisLast.mockImplementation(() => ok(null));
  mocked.messageStats.mockImplementation(() =>
    ok({
      totalSent: 7,
      totalFails: 3,
      sentThisMonth: 2,
      successRate: 70,
      attempts: 10,
      lastSent: "2026-11-30T10:00:00Z",
      lastFailed: "2026-11-29T10:00:00Z",
      lastError: { message: "The number is not a valid phone number.", code: "21211", at: "2026-11-29T10:00:00Z" },
      perDay: [{ day: "2026-11-29", sent: 3, failed: 1 }],
      topErrors: [{ code: "21211", kind: "INVALID_RECIPIENT", count: 3, fix: "Check the number." }],
      deliveryP50Ms: 1200,
      deliveryP95Ms: 4000,
    }),
  );
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
    // The statistics panel: the seed's eight figures, with its labels.
    const figures = await screen.findByTestId("stats-figures");
    for (const [label, value] of [["Total Sent", "7"], ["Total Fails", "3"], ["Sent This Month", "2"], ["Success Rate", "70.0 %"], ["Attempts", "10"]]) {
      expect(within(figures).getByText(label).nextSibling).toHaveTextContent(value);
    }
    expect(screen.getByTestId("last-error")).toHaveTextContent("The number is not a valid phone number. (21211)");
    expect(screen.getByTestId("top-errors")).toHaveTextContent("21211 INVALID_RECIPIENT × 3 — Check the number.");

    const tabs = screen.getByRole("tablist");
    expect(within(tabs).getAllByRole("tab").map((t) => t.textContent)).toEqual(["Overview", "Numbers", "WhatsApp senders", "Send test", "Messages", "Error logs", "Settings"]);
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

  it("an Active connector whose provider could not be asked keeps Active and says why it is not connected", async () => {
    mocked.connectorList.mockImplementation(() =>
      ok([
        aConnector({
          id: "c1",
          state: "active",
          stateReason: "Twilio could not be reached. Still Active as last verified at 2026-12-04T10:00:00Z: the credentials were not refused.",
          stateFailure: {
            provider: "twilio",
            kind: "UNREACHABLE",
            providerCode: null,
            httpStatus: null,
            message: "connection refused",
            cause: "Nothing answered at the provider's address.",
            fix: "Check the network.",
            docsUrl: null,
          },
        }),
      ]),
    );
    renderWithQuery(<Routed />);
    const badges = await screen.findByTestId("connector-badges");
    expect(within(badges).getByText("Active")).toBeInTheDocument();
    expect(within(badges).getByText("Not connected: provider unreachable")).toBeInTheDocument();
  });

  it("opens at the tab the URL names, and says so when the connector is gone", async () => {
    mocked.connectorList.mockImplementation(() => ok([]));
    window.history.replaceState(null, "", "#/connectors/c1/numbers");
    renderWithQuery(<Routed />);
    expect(await screen.findByRole("heading", { name: "This connector is gone" })).toBeInTheDocument();
  });
});
