import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { mockIPC } from "@tauri-apps/api/mocks";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { commands } from "../../bindings";
import type { JobItem, MessageAttempt, WebhookJob } from "../../lib/types";
import { renderWithQuery } from "../../test/render";
import { RecoveryBanner } from "./RecoveryBanner";

vi.mock("../../bindings", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../bindings")>()),
  commands: {
    webhookJobs: vi.fn(),
    webhookResume: vi.fn(),
    messageList: vi.fn(),
    messageReconcile: vi.fn(),
  },
}));

const mocked = vi.mocked(commands);
const ok = <T,>(data: T) => Promise.resolve({ status: "ok" as const, data });

const anItem = (e164: string, outcome: JobItem["outcome"]): JobItem => ({
  e164,
  providerId: `PN${e164}`,
  previousUrl: null,
  previousMethod: null,
  newUrl: "https://hooks.example/t",
  newMethod: "POST",
  previousProfile: null,
  newProfile: null,
  outcome,
  mayHaveLanded: false,
  reason: null,
});

const aJob = (overrides: Partial<WebhookJob> = {}): WebhookJob => ({
  id: "j1",
  connectorId: "c1",
  kind: "set",
  rollbackOf: null,
  state: "finished",
  createdAt: "2026-12-04T10:00:00Z",
  finishedAt: "2026-12-04T10:00:01Z",
  items: [anItem("+14155550101", "changed"), anItem("+14155550102", "pending"), anItem("+14155550103", "pending")],
  ...overrides,
});

const anUnknownSend = (id: string): MessageAttempt => ({
  id,
  connectorId: "c1",
  channel: "sms",
  from: "+14155550101",
  to: "+46701234567",
  kind: "text",
  body: "Your room is ready",
  templateSid: null,
  templateVariables: null,
  mediaUrls: [],
  validityPeriod: null,
  statusCallback: null,
  providerMessageId: null,
  status: "unknown",
  outcome: "unknown",
  final: false,
  errorCode: null,
  errorKind: "UNKNOWN_OUTCOME",
  errorMessage: "The provider does not list this message yet",
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
  history: [{ status: "sending", at: "2026-12-04T10:00:00Z", errorCode: null }],
});

beforeEach(() => {
  vi.resetAllMocks();
  // The resume's progress channel registers with Tauri's IPC internals: the mock provides them.
  mockIPC(() => {
    throw new Error("every command is mocked through the bindings");
  });
  mocked.messageList.mockImplementation(() => ok({ attempts: [], nextCursor: null }));
});

describe("RecoveryBanner", () => {
  it("says nothing when no job was interrupted and no send is unknown", async () => {
    mocked.webhookJobs.mockImplementation(() => ok([aJob()]));
    const { container, client } = renderWithQuery(<RecoveryBanner connectorId="c1" />);
    // Both answers in (the banner shows nothing while it waits), and rendered.
    await vi.waitFor(() => {
      expect(mocked.webhookJobs).toHaveBeenCalled();
      expect(mocked.messageList).toHaveBeenCalled();
      expect(client.isFetching()).toBe(0);
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(container).toBeEmptyDOMElement();
  });

  it("offers Resume for a job a crash stopped, and resumes that job", async () => {
    mocked.webhookJobs.mockImplementation(() => ok([aJob({ id: "j2", state: "running", finishedAt: null }), aJob()]));
    mocked.webhookResume.mockImplementation(() => ok(aJob({ id: "j2" })));
    const user = userEvent.setup();
    renderWithQuery(<RecoveryBanner connectorId="c1" />);
    const job = await screen.findByTestId("interrupted-job");
    expect(job).toHaveTextContent("A webhook update stopped before it finished (1 of 3 numbers done)");
    await user.click(within(job).getByRole("button", { name: "Resume" }));
    expect(mocked.webhookResume).toHaveBeenCalledWith("j2", expect.anything());
  });

  it("offers Check for sends whose outcome is unknown, and checks each of them", async () => {
    mocked.webhookJobs.mockImplementation(() => ok([]));
    mocked.messageList.mockImplementation(() => ok({ attempts: [anUnknownSend("a1"), anUnknownSend("a2")], nextCursor: null }));
    mocked.messageReconcile.mockImplementation((id) => ok({ ...anUnknownSend(id), outcome: "sent" as const }));
    const user = userEvent.setup();
    renderWithQuery(<RecoveryBanner connectorId="c1" />);
    const sends = await screen.findByTestId("unknown-sends");
    expect(sends).toHaveTextContent("2 test messages have an unknown outcome");
    expect(mocked.messageList).toHaveBeenCalledWith("c1", { status: "unknown", limit: 100 });
    await user.click(within(sends).getByRole("button", { name: "Check" }));
    expect(mocked.messageReconcile).toHaveBeenCalledWith("a1");
    expect(mocked.messageReconcile).toHaveBeenCalledWith("a2");
  });
});
