import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { commands } from "../../bindings";
import type { SenderView } from "../../lib/types";
import { renderWithQuery } from "../../test/render";
import { aConnector } from "../connectors/testing";
import { staleSince, unreachable } from "../../test/offline";
import { FRESH } from "../numbers/testing";
import { SendersSection } from "./SendersSection";

vi.mock("../../bindings", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../bindings")>()),
  commands: {
    sendersList: vi.fn(),
    senderVerticals: vi.fn(),
    senderRegister: vi.fn(),
    senderVerify: vi.fn(),
    senderFollow: vi.fn(),
    senderUpdate: vi.fn(),
    senderRemove: vi.fn(),
  },
}));

// The backend pushes statuses over a Tauri channel; here the channel is a plain callback holder.
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

const aSender = (overrides: Partial<SenderView> = {}): SenderView => ({
  connectorId: "c1",
  sid: "XE1",
  e164: "+14155550199",
  status: "ONLINE",
  statusWords: { meaning: "Online: guests can reach it on WhatsApp.", action: null },
  settled: true,
  awaitingCode: false,
  qualityRating: null,
  qualityWords: null,
  messagingLimit: null,
  limitWords: null,
  offlineReasons: [],
  wabaId: null,
  verificationMethod: "sms",
  profile: { name: "Grand Hotel", about: null, address: null, description: null, emails: [], logoUrl: null, vertical: null, websites: [] },
  webhook: { callbackUrl: null, callbackMethod: null, fallbackUrl: null, fallbackMethod: null, statusCallbackUrl: null, statusCallbackMethod: null },
  removalWarning: "Turn off two-step verification in WhatsApp Manager before registering the number elsewhere.",
  ...overrides,
});

beforeEach(() => {
  vi.resetAllMocks();
  mocked.senderVerticals.mockResolvedValue(["Hotel and Lodging", "Other"]);
});

describe("SendersSection", () => {
  it("shows each sender's status, offline reasons and limit in plain words", async () => {
    mocked.sendersList.mockImplementation(() =>
      ok({ freshness: FRESH, senders: [
        aSender({
          sid: "XE2",
          e164: "+14155550198",
          status: "OFFLINE",
          statusWords: { meaning: "Offline: WhatsApp does not deliver its messages.", action: "Fix the reasons below." },
          settled: true,
          messagingLimit: "250",
          limitWords: { meaning: "250 business-initiated conversations a day.", action: "The display name is not approved yet." },
          offlineReasons: [{ code: "63101", message: "x", meaning: "Meta disabled the number.", fix: "Appeal in WhatsApp Manager.", moreInfo: null }],
        }),
      ] }),
    );
    renderWithQuery(<SendersSection connector={aConnector()} />);
    const row = await screen.findByTestId("sender-row");
    expect(within(row).getByTestId("sender-status")).toHaveTextContent("OFFLINE");
    expect(row).toHaveTextContent("Offline: WhatsApp does not deliver its messages.");
    expect(row).toHaveTextContent("Meta disabled the number. Appeal in WhatsApp Manager.");
    expect(row).toHaveTextContent("The display name is not approved yet.");
  });

  it("registers a sender, asks for its code, verifies it and follows it live to ONLINE", async () => {
    const pending = aSender({
      status: "PENDING_VERIFICATION",
      statusWords: { meaning: "Waiting for the verification code.", action: "Enter the code WhatsApp sent." },
      settled: true,
      awaitingCode: true,
    });
    mocked.sendersList.mockImplementation(() => ok({ senders: [], freshness: FRESH }));
    mocked.senderRegister.mockImplementation(() => ok(pending));
    mocked.senderVerify.mockImplementation(() => ok(aSender({ status: "VERIFYING", statusWords: { meaning: "Verifying.", action: null }, settled: false })));
    mocked.senderFollow.mockImplementation((_connector, _sender, channel) => {
      const push = (channel as unknown as { onmessage: (v: SenderView) => void }).onmessage;
      push(aSender({ status: "VERIFYING", statusWords: { meaning: "Verifying.", action: null }, settled: false }));
      push(aSender());
      return ok(aSender());
    });
    const user = userEvent.setup();
    renderWithQuery(<SendersSection connector={aConnector()} />);
    await user.click(await screen.findByRole("button", { name: "Register a sender" }));
    const dialog = screen.getByRole("dialog", { name: "Register a WhatsApp sender" });
    await user.type(within(dialog).getByLabelText("Number"), "+1 415 555 0199");
    await user.type(within(dialog).getByLabelText("Display name"), "Grand Hotel");
    await user.click(within(dialog).getByRole("button", { name: "Register sender" }));
    expect(mocked.senderRegister).toHaveBeenCalledWith(
      "c1",
      expect.objectContaining({ sender: "+1 415 555 0199", verificationMethod: "sms", profile: expect.objectContaining({ name: "Grand Hotel" }) }),
    );

    const verify = await screen.findByRole("dialog", { name: "Verify +14155550199" });
    await user.type(within(verify).getByLabelText("Verification code"), "123456");
    await user.click(within(verify).getByRole("button", { name: "Verify" }));
    expect(mocked.senderVerify).toHaveBeenCalledWith("c1", "XE1", "123456");
    await waitFor(() => expect(screen.getByTestId("sender-status")).toHaveTextContent("ONLINE"));
    expect(mocked.senderFollow).toHaveBeenCalledWith("c1", "XE1", expect.anything());
  });

  it("asks for the code as soon as a sender it just registered starts waiting for one", async () => {
    mocked.sendersList.mockImplementation(() => ok({ senders: [], freshness: FRESH }));
    mocked.senderRegister.mockImplementation(() =>
      ok(aSender({ status: "CREATING", statusWords: { meaning: "Creating.", action: null }, settled: false })),
    );
    mocked.senderFollow.mockImplementation((_connector, _sender, channel) => {
      const pending = aSender({ status: "PENDING_VERIFICATION", statusWords: { meaning: "Waiting for the code.", action: null }, awaitingCode: true });
      (channel as unknown as { onmessage: (v: SenderView) => void }).onmessage(pending);
      return ok(pending);
    });
    const user = userEvent.setup();
    renderWithQuery(<SendersSection connector={aConnector()} />);
    await user.click(await screen.findByRole("button", { name: "Register a sender" }));
    const dialog = screen.getByRole("dialog", { name: "Register a WhatsApp sender" });
    await user.type(within(dialog).getByLabelText("Number"), "+14155550199");
    await user.click(within(dialog).getByRole("button", { name: "Register sender" }));
    expect(await screen.findByRole("dialog", { name: "Verify +14155550199" })).toBeInTheDocument();
  });

  it("a field error from the backend shows under its field and nothing closes", async () => {
    mocked.sendersList.mockImplementation(() => ok({ senders: [], freshness: FRESH }));
    mocked.senderRegister.mockImplementation(() =>
      Promise.resolve({
        status: "error" as const,
        error: { code: "validation" as const, message: "invalid", fields: [{ field: "sender", message: "Enter the number in international format" }], provider: null },
      }),
    );
    const user = userEvent.setup();
    renderWithQuery(<SendersSection connector={aConnector()} />);
    await user.click(await screen.findByRole("button", { name: "Register a sender" }));
    const dialog = screen.getByRole("dialog");
    await user.click(within(dialog).getByRole("button", { name: "Register sender" }));
    expect(await within(dialog).findByText("Enter the number in international format")).toBeInTheDocument();
  });

  it("offline: keeps what was typed in Register when Twilio cannot be reached, and lists the last known senders", async () => {
    mocked.sendersList.mockImplementation(() => ok({ senders: [aSender()], freshness: staleSince(12) }));
    mocked.senderRegister.mockImplementation(() => unreachable());
    const user = userEvent.setup();
    renderWithQuery(<SendersSection connector={aConnector()} />);
    expect(await screen.findByTestId("stale-notice")).toHaveTextContent("from 12 minutes ago — Twilio could not be reached");
    expect(screen.getByTestId("sender-row")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Register a sender" }));
    const dialog = screen.getByRole("dialog", { name: "Register a WhatsApp sender" });
    await user.type(within(dialog).getByLabelText("Number"), "+14155550199");
    await user.type(within(dialog).getByLabelText("Display name"), "Grand Hotel");
    await user.type(within(dialog).getByLabelText("About (optional)"), "Front desk, open 24/7");
    await user.click(within(dialog).getByRole("button", { name: "Register sender" }));
    expect(await within(dialog).findByText(/nothing answered at its address/)).toBeInTheDocument();
    await waitFor(() => expect(mocked.sendersList).toHaveBeenCalledTimes(2));
    expect(screen.getByRole("dialog", { name: "Register a WhatsApp sender" })).toBe(dialog);
    expect(within(dialog).getByLabelText("Number")).toHaveValue("+14155550199");
    expect(within(dialog).getByLabelText("Display name")).toHaveValue("Grand Hotel");
    expect(within(dialog).getByLabelText("About (optional)")).toHaveValue("Front desk, open 24/7");
  });

  it("offline: a code that could not be sent stays typed, and is not called a wrong code", async () => {
    const waiting = aSender({ status: "PENDING_VERIFICATION", statusWords: { meaning: "Waiting for the code.", action: null }, settled: true, awaitingCode: true });
    mocked.sendersList.mockImplementation(() => ok({ senders: [waiting], freshness: FRESH }));
    mocked.senderVerify.mockImplementation(() => unreachable());
    const user = userEvent.setup();
    renderWithQuery(<SendersSection connector={aConnector()} />);
    await user.click(await screen.findByRole("button", { name: "Enter code for +14155550199" }));
    const dialog = screen.getByRole("dialog", { name: "Verify +14155550199" });
    await user.type(within(dialog).getByLabelText("Verification code"), "123456");
    await user.click(within(dialog).getByRole("button", { name: "Verify" }));
    const alert = await within(dialog).findByRole("alert");
    expect(alert).toHaveTextContent("The code was not sent");
    expect(alert).not.toHaveTextContent("not accepted");
    expect(within(dialog).getByLabelText("Verification code")).toHaveValue("123456");
  });

  it("says what seed 004 says before removing, and again after", async () => {
    mocked.sendersList.mockImplementation(() => ok({ senders: [aSender()], freshness: FRESH }));
    mocked.senderRemove.mockImplementation(() => ok({ connectorId: "c1", sid: "XE1", e164: "+14155550199", warning: "Turn off two-step verification first." }));
    const user = userEvent.setup();
    renderWithQuery(<SendersSection connector={aConnector()} />);
    await user.click(await screen.findByRole("button", { name: "Remove +14155550199" }));
    const dialog = screen.getByRole("dialog");
    expect(dialog).toHaveTextContent("Turn off two-step verification in WhatsApp Manager");
    expect(mocked.senderRemove).not.toHaveBeenCalled();
    await user.click(within(dialog).getByRole("button", { name: "Remove sender" }));
    expect(mocked.senderRemove).toHaveBeenCalledWith("c1", "XE1");
    expect(await within(dialog).findByText("Turn off two-step verification first.")).toBeInTheDocument();
  });
});
