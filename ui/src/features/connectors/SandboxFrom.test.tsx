import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { commands, type CommandError } from "../../bindings";
import { renderWithQuery } from "../../test/render";
import { ConnectorForm } from "./ConnectorForm";
import { aConnector } from "./testing";

// The real constants (catalog, WhatsApp Sandbox); the commands mocked.
vi.mock("../../bindings", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../bindings")>()),
  commands: {
    connectorValidate: vi.fn(),
    connectorCreate: vi.fn(),
    connectorUpdate: vi.fn(),
    connectorList: vi.fn(),
  },
}));

const mocked = vi.mocked(commands);
const ok = <T,>(data: T) => Promise.resolve({ status: "ok" as const, data });
const failed = (error: CommandError) => Promise.resolve({ status: "error" as const, error });

beforeEach(() => {
  vi.resetAllMocks();
  mocked.connectorValidate.mockImplementation(() => ok([]));
  mocked.connectorList.mockImplementation(() => ok([]));
});

const fromInput = () => document.querySelector<HTMLInputElement>('[name="settings.from"]')!;

describe("ConnectorForm's From for Twilio WhatsApp", () => {
  it("offers Twilio's WhatsApp Sandbox with a one-line explanation, and saves its number", async () => {
    mocked.connectorCreate.mockImplementation(() => ok(aConnector()));
    const onDone = vi.fn();
    const user = userEvent.setup();
    renderWithQuery(<ConnectorForm orgId="o1" onDone={onDone} />);
    const offer = screen.getByRole("button", { name: "Use Twilio WhatsApp Sandbox (+1 415 523 8886)" });
    expect(screen.getByText(/sends only to people who joined your sandbox by sending "join <code>"/)).toBeInTheDocument();
    await user.click(offer);
    expect(fromInput()).toHaveValue("+14155238886");
    expect(screen.getByText("Using the Twilio WhatsApp Sandbox (+1 415 523 8886).")).toBeInTheDocument();
    await user.type(screen.getByLabelText("Name"), "WhatsApp test");
    await user.type(screen.getByLabelText("Account SID"), "AC0123456789abcdef0123456789abcdef");
    await user.type(screen.getByLabelText("Auth Token"), "token");
    await user.click(screen.getByRole("button", { name: "Create connector" }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    const [draft] = mocked.connectorCreate.mock.calls[0];
    expect(draft).toMatchObject({ kind: "whatsapp", settings: { provider: "twilio", from: "+14155238886" } });
  });

  it("is not offered to an SMS connector, whose refusal shows under From", async () => {
    mocked.connectorCreate.mockImplementation(() =>
      failed({
        code: "validation",
        message: "bad",
        fields: [{ field: "settings.from", message: "+1 415 523 8886 is Twilio's WhatsApp Sandbox number: it sends WhatsApp messages only" }],
      }),
    );
    const user = userEvent.setup();
    renderWithQuery(<ConnectorForm orgId="o1" onDone={() => undefined} />);
    await user.selectOptions(screen.getByLabelText("Kind"), "sms");
    expect(screen.queryByTestId("sandbox-from-offer")).not.toBeInTheDocument();
    await user.type(fromInput(), "+14155238886");
    await user.click(screen.getByRole("button", { name: "Create connector" }));
    expect(await screen.findByText(/is Twilio's WhatsApp Sandbox number/)).toHaveAttribute("data-field-error", "settings.from");
  });
});
