import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { commands } from "../../bindings";
import type { MessageAttempt } from "../../lib/types";
import { renderWithQuery } from "../../test/render";
import { aConnector, settingsFor } from "../connectors/testing";
import { SendTest } from "./SendTest";

vi.mock("../../bindings", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../bindings")>()),
  commands: {
    numbersActive: vi.fn(),
    messageSend: vi.fn(),
    messageReconcile: vi.fn(),
    messageTemplates: vi.fn(),
    appStatus: vi.fn(),
    sandboxWhatsappJoin: vi.fn(),
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
const ok = <T,>(data: T) => Promise.resolve({ status: "ok" as const, data });

const failedFromSandbox: MessageAttempt = {
  id: "a1",
  connectorId: "c1",
  channel: "whatsapp",
  from: "+14155238886",
  to: "+46707654321",
  kind: "text",
  body: "Hello",
  templateSid: null,
  templateVariables: null,
  mediaUrls: [],
  validityPeriod: null,
  statusCallback: null,
  providerMessageId: "SM1",
  status: "failed",
  outcome: "failed",
  final: true,
  errorCode: "63015",
  errorKind: "INVALID_RECIPIENT",
  errorMessage: "Channel Sandbox can only send messages to phone numbers that have joined the Sandbox",
  cause: "The recipient has not joined your Twilio WhatsApp Sandbox (from the backend).",
  fix: 'Ask the recipient to send "join <code>" (from the backend).',
  price: null,
  priceUnit: null,
  createdAt: "2026-12-04T10:00:00Z",
  updatedAt: "2026-12-04T10:00:01Z",
  acceptedAt: "2026-12-04T10:00:00Z",
  deliveredAt: null,
  finalAt: "2026-12-04T10:00:01Z",
  fallbackStatus: null,
  fallbackTo: null,
  fallbackError: null,
  history: [
    { status: "queued", at: "2026-12-04T10:00:00Z", errorCode: null },
    { status: "failed", at: "2026-12-04T10:00:01Z", errorCode: "63015" },
  ],
};

beforeEach(() => {
  vi.resetAllMocks();
  mocked.numbersActive.mockImplementation(() => ok({ connectorId: "c1", fetchedAt: null, expectedWebhookUrl: null, numbers: [], freshness: { asOf: null, stale: false, failure: null } }));
  mocked.appStatus.mockResolvedValue({ version: "0.1.0", dataDir: "/tmp", startupError: null, sandboxUrl: null, sandboxWhatsappJoin: null });
});

const joinNotice = () => screen.queryByRole("note", { name: "Twilio WhatsApp Sandbox" });

describe("SendTest from Twilio's WhatsApp Sandbox", () => {
  it("offers the sandbox as From, explains the join step when it is chosen, and shows a 63015 failure's cause and fix", async () => {
    mocked.messageSend.mockImplementation(() => ok(failedFromSandbox));
    const user = userEvent.setup();
    renderWithQuery(<SendTest connector={aConnector()} />);
    expect(joinNotice()).not.toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText("From"), "Twilio WhatsApp Sandbox (+1 415 523 8886)");
    const notice = joinNotice();
    expect(notice).toHaveTextContent('"join <code>"');
    expect(notice).toHaveTextContent("+1 415 523 8886");
    expect(notice).toHaveTextContent("Messaging → Try it out → Send a WhatsApp message");
    expect(notice).toHaveTextContent("72 hours");
    await user.type(screen.getByLabelText("Text"), "Hello");
    await user.click(screen.getByRole("button", { name: "Send test" }));
    expect(mocked.messageSend).toHaveBeenCalledWith("c1", expect.objectContaining({ from: "+14155238886" }), expect.anything());
    expect(await screen.findByText("The recipient has not joined your Twilio WhatsApp Sandbox (from the backend).")).toBeInTheDocument();
    expect(screen.getByText('Ask the recipient to send "join <code>" (from the backend).')).toBeInTheDocument();
    expect(screen.getByText(/INVALID_RECIPIENT · code 63015/)).toBeInTheDocument();
  });

  it("explains the join step up front when the sandbox is the connector's own sender", () => {
    const settings = { ...settingsFor("twilio"), from: "+14155238886" };
    renderWithQuery(<SendTest connector={aConnector({ settings })} />);
    expect(joinNotice()).toBeInTheDocument();
  });

  it("offers no sandbox to an SMS connector", () => {
    renderWithQuery(<SendTest connector={aConnector({ kind: "sms" })} />);
    const options = Array.from((screen.getByLabelText("From") as HTMLSelectElement).options).map((o) => o.text);
    expect(options.some((o) => o.includes("Sandbox"))).toBe(false);
    expect(joinNotice()).not.toBeInTheDocument();
  });

  it("on the sandbox demo, plays the guest's join with the demo's code, from the number typed in To", async () => {
    const demoUrl = "http://127.0.0.1:4010";
    mocked.appStatus.mockResolvedValue({
      version: "0.1.0",
      dataDir: "/tmp",
      startupError: null,
      sandboxUrl: demoUrl,
      sandboxWhatsappJoin: "join brave-otter",
    });
    mocked.sandboxWhatsappJoin.mockImplementation(() =>
      ok({ guest: "+46707654321", joined: true, reply: "You are all set! The sandbox can now send/receive messages." }),
    );
    const settings = { ...settingsFor("twilio"), from: "+14155238886", baseUrl: `${demoUrl}/twilio` };
    const user = userEvent.setup();
    renderWithQuery(<SendTest connector={aConnector({ settings })} />);
    const demo = await screen.findByTestId("sandbox-demo-join");
    expect(demo).toHaveTextContent("join brave-otter");
    await user.clear(screen.getByLabelText("To"));
    expect(screen.getByRole("button", { name: "Type the recipient first" })).toBeDisabled();
    await user.type(screen.getByLabelText("To"), "+46 70 765 43 21");
    await user.click(screen.getByRole("button", { name: 'Send "join brave-otter" from +46 70 765 43 21' }));
    expect(mocked.sandboxWhatsappJoin).toHaveBeenCalledWith("+46 70 765 43 21");
    expect(await screen.findByText(/\+46707654321 joined\. Twilio's reply: You are all set!/)).toBeInTheDocument();
  });

  it("offers no simulated join for a connector on a real account", async () => {
    mocked.appStatus.mockResolvedValue({
      version: "0.1.0",
      dataDir: "/tmp",
      startupError: null,
      sandboxUrl: "http://127.0.0.1:4010",
      sandboxWhatsappJoin: "join brave-otter",
    });
    const settings = { ...settingsFor("twilio"), from: "+14155238886" };
    renderWithQuery(<SendTest connector={aConnector({ settings })} />);
    expect(joinNotice()).toBeInTheDocument();
    await waitFor(() => expect(mocked.appStatus).toHaveBeenCalled());
    expect(screen.queryByTestId("sandbox-demo-join")).not.toBeInTheDocument();
  });
});
