import { act, screen, waitFor, within } from "@testing-library/react";
import type { Channel } from "@tauri-apps/api/core";
import { mockIPC } from "@tauri-apps/api/mocks";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { commands, type Finding_Deserialize } from "../../bindings";
import { renderWithQuery } from "../../test/render";
import { aConnector } from "../connectors/testing";
import { DiagnosePanel } from "./DiagnosePanel";
import type { Diagnosis, Finding } from "./queries";

vi.mock("../../bindings", () => ({
  commands: {
    diagnosisRun: vi.fn(),
    diagnosisLast: vi.fn(),
    supportBundleCreate: vi.fn(),
  },
}));

const mocked = vi.mocked(commands);
const ok = <T,>(data: T) => Promise.resolve({ status: "ok" as const, data });

const aFinding = (overrides: Partial<Finding> = {}): Finding => ({
  id: "credentials",
  check: "credentials",
  severity: "ok",
  title: "The credentials are right",
  meaning: "The provider accepted the credentials.",
  fix: null,
  evidence: [{ request: "GET /2010-04-01/Accounts/{Sid}.json", status: 200, summary: "accepted", latencyMs: 103 }],
  skipped: false,
  sinceLast: null,
  ...overrides,
});

const aRun = (findings: Finding[], overrides: Partial<Diagnosis> = {}): Diagnosis => ({
  id: "r1",
  connectorId: "c1",
  connectorName: "Front desk",
  startedAt: new Date().toISOString(),
  finishedAt: new Date().toISOString(),
  wallMs: 420,
  longestChainMs: 410,
  findings,
  fixedSinceLast: [],
  previousRunAt: null,
  errors: findings.filter((f) => f.severity === "error").length,
  warnings: findings.filter((f) => f.severity === "warning").length,
  timings: [],
  providerUnreachable: false,
  lastKnown: null,
  ...overrides,
});

/** Sends a message into a Channel the way Tauri's backend does: through its callback, with an index. */
function push(channel: Channel<Finding_Deserialize>, index: number, message: Finding) {
  const internals = (window as unknown as { __TAURI_INTERNALS__: { runCallback: (id: number, data: unknown) => void } })
    .__TAURI_INTERNALS__;
  act(() => internals.runCallback(channel.id, { index, message }));
}

beforeEach(() => {
  vi.resetAllMocks();
  // Channels register their callback with Tauri's IPC internals: the mock provides them.
  mockIPC(() => {
    throw new Error("every command is mocked through the bindings");
  });
  mocked.diagnosisLast.mockImplementation(() => ok(null));
});

describe("DiagnosePanel", () => {
  it("shows each finding as it arrives, then the run worst first with what was fixed since last time", async () => {
    let channel: Channel<Finding_Deserialize> | undefined;
    let finish: (run: Diagnosis) => void = () => {};
    mocked.diagnosisRun.mockImplementation((_id, onFinding) => {
      channel = onFinding;
      return new Promise((resolve) => {
        finish = (run) => resolve({ status: "ok", data: run });
      });
    });
    const user = userEvent.setup();
    renderWithQuery(<DiagnosePanel connector={aConnector({ id: "c1" })} />);
    expect(await screen.findByText("Not diagnosed yet.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Diagnose" }));
    await waitFor(() => expect(channel).toBeDefined());
    const pushed = channel as Channel<Finding_Deserialize>;
    expect(screen.getByRole("button", { name: "Diagnosing…" })).toBeDisabled();
    expect(screen.getByText("Starting the checks…")).toBeInTheDocument();

    const credentials = aFinding({ sinceLast: "fixed" });
    push(pushed, 0, credentials);
    const list = () => screen.getByRole("list", { name: "Findings" });
    expect(within(list()).getAllByTestId("finding")).toHaveLength(1);
    expect(within(list()).getByText("The credentials are right")).toBeInTheDocument();
    expect(within(list()).getByText("Fixed since last time")).toBeInTheDocument();
    expect(screen.getByText("1 finding(s) so far…")).toBeInTheDocument();

    const drift = aFinding({
      id: "webhook.+14155550101",
      check: "webhook",
      severity: "warning",
      title: "Inbound messages to +14155550101 do not reach Switchboard",
      meaning: "Webhook not set up in provider.",
      fix: "Set the webhook: Numbers → Set webhook",
      evidence: [],
      sinceLast: "new",
    });
    push(pushed, 1, drift);
    const items = within(list()).getAllByTestId("finding");
    expect(items).toHaveLength(2);
    // In arrival order while it runs.
    expect(items[1]).toHaveAttribute("data-severity", "warning");
    expect(within(items[1]).getByText(/Set the webhook/)).toBeInTheDocument();
    expect(within(items[1]).getByText("New since last time")).toBeInTheDocument();

    await act(async () =>
      finish(
        aRun([credentials, drift], {
          previousRunAt: "2026-12-04T10:00:00Z",
          fixedSinceLast: [{ id: "credentials", title: "Twilio refused the Auth Token", severity: "error" }],
        }),
      ),
    );
    const summary = await screen.findByTestId("diagnosis-summary");
    expect(summary).toHaveTextContent("0 error(s), 1 warning(s)");
    expect(within(summary).getByText("Fixed since last time")).toBeInTheDocument();
    expect(within(summary).getByText(/Twilio refused the Auth Token/)).toBeInTheDocument();
    expect(within(summary).getByText("New since last time")).toBeInTheDocument();
    expect(within(summary).getByText(/Inbound messages to \+14155550101 do not reach Switchboard/)).toBeInTheDocument();
    // Worst first once it is done.
    expect(within(list()).getAllByTestId("finding")[0]).toHaveAttribute("data-severity", "warning");
    expect(screen.getByRole("button", { name: "Diagnose" })).toBeEnabled();
  });

  it("shows the last stored run on opening, and where the support bundle went", async () => {
    mocked.diagnosisLast.mockImplementation(() =>
      ok(aRun([aFinding({ severity: "error", title: "Twilio refused the Auth Token", fix: "Copy the Auth Token again" })])),
    );
    mocked.supportBundleCreate.mockImplementation(() =>
      ok({ path: "/home/frontdesk/Downloads/switchboard-support-c1.zip", files: ["diagnosis.json"], bytes: 1200 }),
    );
    const user = userEvent.setup();
    renderWithQuery(<DiagnosePanel connector={aConnector({ id: "c1" })} />);
    expect(await screen.findByText("Twilio refused the Auth Token")).toBeInTheDocument();
    expect(screen.getByText("Copy the Auth Token again")).toBeInTheDocument();
    expect(screen.getByTestId("diagnosis-summary")).toHaveTextContent("1 error(s), 0 warning(s)");
    await user.click(screen.getByRole("button", { name: "Support bundle" }));
    expect(await screen.findByTestId("bundle-path")).toHaveTextContent("/home/frontdesk/Downloads/switchboard-support-c1.zip");
  });

  it("beside a run that could not reach the provider, shows the last run that did, with its age", async () => {
    const unreachable = {
      provider: "twilio" as const,
      kind: "UNREACHABLE" as const,
      providerCode: null,
      httpStatus: null,
      message: "",
      cause: "The provider could not be reached: nothing answered at its address (connection refused).",
      fix: "Check the internet connection, then try again.",
      docsUrl: null,
    };
    const earlier = new Date(Date.now() - 2 * 60 * 60 * 1000).toISOString();
    mocked.diagnosisLast.mockImplementation(() =>
      ok(
        aRun([aFinding({ id: "credentials", severity: "error", title: "Twilio could not be reached" })], {
          providerUnreachable: true,
          lastKnown: {
            runId: "r0",
            freshness: { asOf: earlier, stale: true, failure: unreachable },
            errors: 0,
            warnings: 1,
            findings: [aFinding({ id: "webhook.+14155550101", check: "webhook", severity: "warning", title: "Inbound messages to +14155550101 do not reach Switchboard" })],
          },
        }),
      ),
    );
    renderWithQuery(<DiagnosePanel connector={aConnector({ id: "c1" })} />);
    const known = await screen.findByTestId("diagnosis-last-known");
    expect(within(known).getByTestId("stale-notice")).toHaveTextContent("from 2 hours ago — Twilio could not be reached");
    expect(within(known).getByTestId("stale-notice")).toHaveTextContent("the account's state could not be refreshed");
    expect(known).toHaveTextContent("found 0 error(s), 1 warning(s)");
    expect(within(known).getByText("Inbound messages to +14155550101 do not reach Switchboard")).toBeInTheDocument();
    // The run itself is still shown, worst first.
    expect(within(screen.getByRole("list", { name: "Findings" })).getByText("Twilio could not be reached")).toBeInTheDocument();
  });

  it("says why when the diagnosis cannot run", async () => {
    mocked.diagnosisRun.mockImplementation(() =>
      Promise.resolve({
        status: "error" as const,
        error: { code: "not_found", message: "No connector c1: it may have been removed.", fields: [], provider: null },
      }),
    );
    const user = userEvent.setup();
    renderWithQuery(<DiagnosePanel connector={aConnector({ id: "c1" })} />);
    await user.click(await screen.findByRole("button", { name: "Diagnose" }));
    expect(await screen.findByText(/The diagnosis did not run/)).toBeInTheDocument();
  });
});
