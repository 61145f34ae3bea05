import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { commands } from "../../bindings";
import { renderWithQuery } from "../../test/render";
import { parseHeaders, type InspectReport } from "./request";
import { WebhookInspector } from "./WebhookInspector";

vi.mock("../../bindings", () => ({
  commands: { inspectorExplain: vi.fn(), inspectorStatus: vi.fn(), inspectorStart: vi.fn(), inspectorStop: vi.fn() },
}));

const mocked = vi.mocked(commands);
const ok = <T,>(data: T) => Promise.resolve({ status: "ok" as const, data });

const aReport = (overrides: Partial<InspectReport> = {}): InspectReport => ({
  verdict: "valid",
  valid: true,
  kind: "inbound_message",
  provider: "twilio",
  connectorId: "c1",
  connectorName: "Front desk",
  tokenMatches: true,
  signedVariant: { source: "public", port: "as_is", bodySha256: false, url: "https://hooks.hotel.example/inbound/c1/[redacted]" },
  receivedUrl: "http://10.0.0.5:8080/inbound/c1/[redacted]",
  publicUrl: "https://hooks.hotel.example/inbound/c1/[redacted]",
  reasons: [],
  number: "+14155550101",
  numberKnown: true,
  otherParty: "+46701234567",
  messageId: "SM1",
  attemptId: null,
  status: null,
  errorCode: null,
  ...overrides,
});

const STOPPED = { running: false, url: null, counts: { inboundMessages: 0, statusCallbacks: 0, attemptsUpdated: 0, inboundStored: 0, refused: 0 }, recent: [] };

beforeEach(() => {
  vi.resetAllMocks();
  mocked.inspectorStatus.mockImplementation(() => ok(STOPPED));
});

describe("parseHeaders", () => {
  it("reads Name: value lines, skips a request line and blank lines, and names what it cannot read", () => {
    const { headers, unreadable } = parseHeaders(
      "POST /inbound/c/t HTTP/1.1\r\nX-Twilio-Signature: abc=\n\nContent-Type: application/json\nnot a header",
    );
    expect(headers).toEqual({ "X-Twilio-Signature": "abc=", "Content-Type": "application/json" });
    expect(unreadable).toEqual(["not a header"]);
  });
});

async function fill(headers: string) {
  const user = userEvent.setup();
  renderWithQuery(<WebhookInspector />);
  await user.click(screen.getByRole("button", { name: "Webhook inspector" }));
  const dialog = screen.getByRole("dialog", { name: "Webhook inspector" });
  await user.type(within(dialog).getByLabelText("URL as received"), "http://10.0.0.5:8080/inbound/c1/t0k");
  await user.click(within(dialog).getByLabelText("Headers"));
  await user.paste(headers);
  await user.click(within(dialog).getByLabelText("Body"));
  await user.paste("Body=Hi&To=%2B14155550101");
  await user.click(within(dialog).getByRole("button", { name: "Explain" }));
  return dialog;
}

describe("WebhookInspector", () => {
  it("sends the pasted request and says which URL the provider signed", async () => {
    mocked.inspectorExplain.mockImplementation(() =>
      ok(
        aReport({
          reasons: [{ code: "signed_another_url", message: "Genuine, but Twilio signed the public inbound URL." }],
        }),
      ),
    );
    const dialog = await fill("X-Twilio-Signature: abc=");
    const report = await within(dialog).findByRole("region", { name: "Inspection report" });
    expect(mocked.inspectorExplain).toHaveBeenCalledWith({
      method: "POST",
      url: "http://10.0.0.5:8080/inbound/c1/t0k",
      headers: { "X-Twilio-Signature": "abc=" },
      body: "Body=Hi&To=%2B14155550101",
    });
    expect(report).toHaveTextContent("Genuine");
    expect(report).toHaveTextContent("an inbound message for “Front desk” (twilio)");
    expect(report).toHaveTextContent("the public inbound URL set at the provider");
    expect(report).toHaveTextContent("+14155550101 (one of the connector's numbers)");
    expect(within(report).getByRole("list", { name: "Reasons" })).toHaveTextContent("Twilio signed the public inbound URL");
  });

  it("shows why a request is not genuine", async () => {
    mocked.inspectorExplain.mockImplementation(() =>
      ok(
        aReport({
          verdict: "invalid",
          valid: false,
          signedVariant: null,
          reasons: [{ code: "token_or_body", message: "Either the body was changed on the way, or the Auth Token differs." }],
        }),
      ),
    );
    const dialog = await fill("X-Twilio-Signature: abc=");
    const report = await within(dialog).findByRole("region", { name: "Inspection report" });
    expect(report).toHaveTextContent("Not genuine");
    expect(report).not.toHaveTextContent("Signed over");
    expect(report).toHaveTextContent("the body was changed on the way");
  });

  it("refuses headers it cannot read without calling the backend", async () => {
    const dialog = await fill("X-Twilio-Signature abc");
    expect(within(dialog).getByRole("alert")).toHaveTextContent("X-Twilio-Signature abc");
    expect(mocked.inspectorExplain).not.toHaveBeenCalled();
  });
});

describe("Listener", () => {
  it("listens on loopback, and on another address only after the warning is ticked", async () => {
    mocked.inspectorStart.mockImplementation(() =>
      ok({
        running: true,
        url: "http://127.0.0.1:8787",
        counts: { inboundMessages: 1, statusCallbacks: 0, attemptsUpdated: 0, inboundStored: 0, refused: 0 },
        recent: [{ receivedAt: "2026-12-04T21:00:00.000Z", method: "POST", answered: 200, applied: null, report: aReport() }],
      }),
    );
    const user = userEvent.setup();
    renderWithQuery(<WebhookInspector />);
    await user.click(screen.getByRole("button", { name: "Webhook inspector" }));
    const listener = await screen.findByRole("region", { name: "Listener" });
    const address = within(listener).getByLabelText("Address");
    await user.clear(address);
    await user.type(address, "0.0.0.0");
    const startButton = within(listener).getByRole("button", { name: "Start listening" });
    expect(startButton).toBeDisabled();
    await user.click(within(listener).getByRole("checkbox", { name: /anyone who can reach this computer/ }));
    await user.click(startButton);
    expect(mocked.inspectorStart).toHaveBeenCalledWith("0.0.0.0", 0, true);
    expect(await within(listener).findByText(/^Listening on/)).toHaveTextContent("Listening on http://127.0.0.1:8787: 1 inbound message(s)");
    const received = within(listener).getByRole("list", { name: "Received requests" });
    expect(received).toHaveTextContent("answered 200");
    expect(received).toHaveTextContent("Genuine");
  });
});
