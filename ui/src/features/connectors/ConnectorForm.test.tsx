import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { commands, type CommandError } from "../../bindings";
import { ConnectorForm } from "./ConnectorForm";
import { unreachable } from "../../test/offline";
import { renderWithQuery } from "../../test/render";
import { aConnector, settingsFor } from "./testing";

// The real catalog (a constant); the commands mocked.
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

afterEach(() => {
  vi.useRealTimers();
});

const names = () =>
  Array.from(document.querySelectorAll("input, select"))
    .map((e) => e.getAttribute("name"))
    .filter(Boolean);

const input = (name: string) => document.querySelector<HTMLInputElement>(`[name="${name}"]`)!;

describe("ConnectorForm", () => {
  it("says a backup email needs an Email connector when the organization has none", async () => {
    renderWithQuery(<ConnectorForm orgId="o1" onDone={() => undefined} />);
    expect(await screen.findByTestId("needs-email-connector")).toHaveTextContent("requires an Email connector");
  });

  it("says nothing of it once the organization has an Email connector", async () => {
    mocked.connectorList.mockImplementation(() => ok([aConnector({ id: "e1", kind: "email", settings: settingsFor("smtp") })]));
    renderWithQuery(<ConnectorForm orgId="o1" onDone={() => undefined} />);
    await waitFor(() => expect(mocked.connectorList).toHaveBeenCalledWith("o1"));
    await act(async () => undefined);
    expect(screen.queryByTestId("needs-email-connector")).not.toBeInTheDocument();
  });

  it("offers the providers of the chosen kind", async () => {
    const user = userEvent.setup();
    renderWithQuery(<ConnectorForm orgId="o1" onDone={() => undefined} />);
    const provider = screen.getByLabelText("Provider") as HTMLSelectElement;
    const options = () => Array.from(provider.options).map((o) => [o.value, o.text]);
    expect(options()).toEqual([["twilio", "Twilio"]]);
    await user.selectOptions(screen.getByLabelText("Kind"), "sms");
    expect(options()).toEqual([
      ["twilio", "Twilio"],
      ["telnyx", "Telnyx"],
      ["46elks", "46elks"],
    ]);
    await user.selectOptions(screen.getByLabelText("Provider"), "telnyx");
    await user.selectOptions(screen.getByLabelText("Kind"), "email");
    expect(options()).toEqual([["smtp", "SMTP"]]);
    expect(provider).toHaveValue("smtp");
  });

  it("shows the fields of the chosen provider", async () => {
    const user = userEvent.setup();
    renderWithQuery(<ConnectorForm orgId="o1" onDone={() => undefined} />);
    expect(names()).toEqual(expect.arrayContaining(["name", "settings.accountSid", "settings.apiKeySid", "secret", "settings.from"]));
    expect(screen.getByLabelText("Account SID")).toBeInTheDocument();
    // Seeds 000 and 002: the sender is required for every WhatsApp and SMS provider.
    expect(screen.getByLabelText("From")).toHaveAttribute("type", "tel");
    const secret = screen.getByLabelText("Auth Token");
    expect(secret).toHaveAttribute("type", "password");
    expect(secret).toHaveAttribute("autocomplete", "off");
    await user.type(screen.getByLabelText("API Key SID (optional)"), "SK1");
    expect(screen.getByLabelText("API Key Secret")).toBeInTheDocument();
    expect(screen.getByLabelText("Receive inbound data")).toBeChecked();
    expect(screen.getByRole("button", { name: "Add recipient" })).toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText("Kind"), "sms");
    await user.selectOptions(screen.getByLabelText("Provider"), "telnyx");
    expect(screen.getByLabelText("API Key")).toHaveAttribute("name", "secret");
    expect(names()).toContain("settings.messagingProfileId");
    expect(names()).not.toContain("settings.accountSid");

    await user.selectOptions(screen.getByLabelText("Provider"), "46elks");
    expect(screen.getByLabelText("API Username")).toHaveAttribute("name", "settings.username");
    expect(screen.getByLabelText("API Password")).toHaveAttribute("name", "secret");
    expect(screen.getByLabelText("From")).toHaveAttribute("name", "settings.from");
    expect(names()).not.toContain("settings.messagingProfileId");

    await user.selectOptions(screen.getByLabelText("Kind"), "email");
    expect(names()).toEqual(expect.arrayContaining(["settings.host", "settings.port", "settings.security", "settings.username", "secret", "settings.from"]));
    expect(screen.getByLabelText("SMTP Port")).toHaveAttribute("type", "number");
    expect(Array.from((screen.getByLabelText("Security") as HTMLSelectElement).options).map((o) => o.value)).toEqual(["starttls", "tls", "none"]);
    expect(screen.getByLabelText("Username (optional)")).toBeInTheDocument();
    expect(screen.getByLabelText("Password (optional)")).toBeInTheDocument();
    expect(screen.getByLabelText("From")).toHaveAttribute("type", "email");
    expect(screen.queryByRole("button", { name: "Add recipient" })).not.toBeInTheDocument();
  });

  it("keeps the provider's base URLs in an Advanced section that opens", async () => {
    const user = userEvent.setup();
    renderWithQuery(<ConnectorForm orgId="o1" onDone={() => undefined} />);
    const advanced = screen.getByText("Advanced").closest("details")!;
    expect(advanced).not.toHaveAttribute("open");
    await user.click(screen.getByText("Advanced"));
    expect(advanced).toHaveAttribute("open");
    expect(screen.getByLabelText("API Base URL (optional)")).toHaveAttribute("name", "settings.baseUrl");
    expect(names()).toEqual(expect.arrayContaining(["settings.messagingBaseUrl", "settings.contentBaseUrl"]));

    await user.selectOptions(screen.getByLabelText("Kind"), "sms");
    await user.selectOptions(screen.getByLabelText("Provider"), "telnyx");
    expect(names()).toContain("settings.baseUrl");
    expect(names()).not.toContain("settings.messagingBaseUrl");
  });

  it("asks the backend once the user pauses typing, and shows its errors beside the touched fields only", async () => {
    // Fake timers, and keys typed through fireEvent: user-event's own waits never end under
    // Vitest's fake timers.
    vi.useFakeTimers();
    mocked.connectorValidate.mockImplementation(() =>
      ok([
        { field: "settings.accountSid", message: "An Account SID starts with AC" },
        { field: "secret", message: "Enter the Auth Token" },
      ]),
    );
    renderWithQuery(<ConnectorForm orgId="o1" onDone={() => undefined} />);
    const field = screen.getByLabelText("Account SID");
    /** Types `text` after what the field holds, one key every `gapMs`. */
    const type = async (text: string, gapMs: number) => {
      for (const key of text) {
        fireEvent.change(field, { target: { value: (field as HTMLInputElement).value + key } });
        await act(() => vi.advanceTimersByTimeAsync(gapMs));
      }
    };
    // An untouched form is not checked, however long it waits.
    await act(() => vi.advanceTimersByTimeAsync(5000));
    expect(mocked.connectorValidate).not.toHaveBeenCalled();

    // A key every 200ms: 800ms of typing, never a 300ms pause, so nothing is asked yet.
    await type("AC123", 200);
    expect(mocked.connectorValidate).not.toHaveBeenCalled();
    await act(() => vi.advanceTimersByTimeAsync(99));
    expect(mocked.connectorValidate).not.toHaveBeenCalled();
    await act(() => vi.advanceTimersByTimeAsync(1));
    // One call for the whole word, with all of it, not one per key.
    expect(mocked.connectorValidate).toHaveBeenCalledTimes(1);
    expect(mocked.connectorValidate.mock.calls[0][0].settings).toMatchObject({ provider: "twilio", accountSid: "AC123" });
    expect(mocked.connectorValidate.mock.calls[0][1]).toBeNull();

    await act(() => vi.advanceTimersByTimeAsync(0));
    const error = screen.getByText("An Account SID starts with AC");
    expect(error).toHaveAttribute("role", "alert");
    expect(error).toHaveAttribute("data-field-error", "settings.accountSid");
    expect(field).toHaveAttribute("aria-invalid", "true");
    expect(field).toHaveAttribute("aria-describedby", error.id);
    expect(screen.queryByText("Enter the Auth Token")).not.toBeInTheDocument();

    // The next pause asks again, once.
    await type("4", 299);
    expect(mocked.connectorValidate).toHaveBeenCalledTimes(1);
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(mocked.connectorValidate).toHaveBeenCalledTimes(2);
    expect(mocked.connectorValidate.mock.calls[1][0].settings).toMatchObject({ accountSid: "AC1234" });
    await act(() => vi.advanceTimersByTimeAsync(10_000));
    expect(mocked.connectorValidate).toHaveBeenCalledTimes(2);
  });

  it("shows a field's error once the user leaves it", async () => {
    mocked.connectorValidate.mockImplementation(() => ok([{ field: "name", message: "Give the connector a name" }]));
    const user = userEvent.setup();
    renderWithQuery(<ConnectorForm orgId="o1" onDone={() => undefined} />);
    await user.click(screen.getByLabelText("Name"));
    await user.tab();
    expect(await screen.findByText("Give the connector a name")).toHaveAttribute("data-field-error", "name");
  });

  it("shows every field error after a refused save, and those of no field in the form's alert", async () => {
    mocked.connectorCreate.mockImplementation(() =>
      failed({
        code: "validation",
        message: "bad",
        fields: [
          { field: "name", message: "Give the connector a name" },
          { field: "settings.contentBaseUrl", message: "'x' must start with https://" },
          { field: "orgId", message: "The organization no longer exists: pick another one" },
        ],
      }),
    );
    const onDone = vi.fn();
    const user = userEvent.setup();
    renderWithQuery(<ConnectorForm orgId="o1" onDone={onDone} />);
    await user.click(screen.getByRole("button", { name: "Create connector" }));
    expect(await screen.findByText("Give the connector a name")).toHaveAttribute("data-field-error", "name");
    // An error inside the collapsed Advanced section opens it.
    const advancedError = screen.getByText("'x' must start with https://");
    expect(advancedError).toHaveAttribute("data-field-error", "settings.contentBaseUrl");
    expect(advancedError.closest("details")).toHaveAttribute("open");
    expect(screen.getByText("The organization no longer exists: pick another one")).toHaveAttribute("data-field-error", "orgId");
    expect(onDone).not.toHaveBeenCalled();
  });

  it("shows other failures in a form-level alert", async () => {
    mocked.connectorCreate.mockImplementation(() =>
      failed({ code: "keychain_unavailable", message: "No system keychain is running: start it, then save again.", fields: [] }),
    );
    const user = userEvent.setup();
    renderWithQuery(<ConnectorForm orgId="o1" onDone={() => undefined} />);
    await user.click(screen.getByRole("button", { name: "Create connector" }));
    const alert = await screen.findByText(/No system keychain is running/);
    expect(alert).toHaveAttribute("role", "alert");
    expect(alert).toHaveTextContent("The connector was not saved");
  });

  it("offline: an edit whose save cannot reach the provider keeps everything typed, secret included", async () => {
    mocked.connectorUpdate.mockImplementation(() => unreachable());
    const onDone = vi.fn();
    const user = userEvent.setup();
    renderWithQuery(<ConnectorForm orgId="o1" connector={aConnector()} onDone={onDone} />);
    const name = screen.getByLabelText("Name");
    await user.clear(name);
    await user.type(name, "Night desk");
    await user.click(screen.getByRole("button", { name: /Replace/ }));
    await user.type(input("secret"), "new-token");
    await user.click(screen.getByRole("button", { name: "Save connector" }));
    expect(await screen.findByText(/could not be reached/)).toBeInTheDocument();
    expect(onDone).not.toHaveBeenCalled();
    expect(screen.getByLabelText("Name")).toHaveValue("Night desk");
    expect(input("secret")).toHaveValue("new-token");
    expect(input("recipients[0].number")).toHaveValue("+46707654321");
  });

  it("sends only the fields of the chosen provider and closes after saving", async () => {
    mocked.connectorCreate.mockImplementation(() => ok(aConnector()));
    const onDone = vi.fn();
    const user = userEvent.setup();
    renderWithQuery(<ConnectorForm orgId="o1" onDone={onDone} />);
    await user.type(screen.getByLabelText("Account SID"), "AC0123");
    await user.selectOptions(screen.getByLabelText("Kind"), "sms");
    await user.selectOptions(screen.getByLabelText("Provider"), "46elks");
    await user.type(screen.getByLabelText("Name"), "Night SMS");
    await user.type(screen.getByLabelText("API Username"), "u123");
    await user.type(screen.getByLabelText("API Password"), "pw");
    await user.type(screen.getByLabelText("From"), "GrandHotel");
    await user.click(screen.getByLabelText("Receive inbound data"));
    await user.click(screen.getByRole("button", { name: "Create connector" }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    const [draft] = mocked.connectorCreate.mock.calls[0];
    expect(draft).toMatchObject({ orgId: "o1", kind: "sms", name: "Night SMS", receiveInbound: false, secret: "pw" });
    // Tagged with the provider, with its fields only (the Account SID typed before is not sent).
    expect(draft.settings).toEqual({ provider: "46elks", username: "u123", from: "GrandHotel", baseUrl: null });
  });

  it("never pre-fills the secret on edit and sends it only after Replace", async () => {
    mocked.connectorUpdate.mockImplementation(() => ok(aConnector()));
    const onDone = vi.fn();
    const user = userEvent.setup();
    renderWithQuery(<ConnectorForm orgId="o1" connector={aConnector()} onDone={onDone} />);
    expect(screen.getByText("Stored in the system keychain")).toBeInTheDocument();
    expect(input("secret")).toBeNull();
    expect(screen.getByLabelText("Account SID")).toHaveValue("AC0123456789abcdef0123456789abcdef");
    expect(screen.getByLabelText("Kind")).toBeDisabled();
    expect(screen.getByLabelText("Provider")).toBeDisabled();
    expect(input("recipients[0].number")).toHaveValue("+46707654321");
    expect(input("recipients[0].backupEmail")).toHaveValue("night@hotel.example");

    await user.click(screen.getByRole("button", { name: "Save connector" }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(mocked.connectorUpdate.mock.calls[0][0]).toBe("c1");
    expect(mocked.connectorUpdate.mock.calls[0][1].secret).toBeNull();

    await user.click(screen.getByRole("button", { name: "Replace" }));
    const secret = screen.getByLabelText("Auth Token");
    expect(secret).toHaveValue("");
    expect(secret).toHaveAttribute("type", "password");
    expect(secret).toHaveFocus();
    await user.type(secret, "new-token");
    await user.click(screen.getByRole("button", { name: "Save connector" }));
    await waitFor(() => expect(mocked.connectorUpdate).toHaveBeenCalledTimes(2));
    expect(mocked.connectorUpdate.mock.calls[1][1].secret).toBe("new-token");

    // Changing one's mind keeps the stored secret again.
    await user.click(screen.getByRole("button", { name: "Keep stored" }));
    expect(input("secret")).toBeNull();
    await user.click(screen.getByRole("button", { name: "Save connector" }));
    await waitFor(() => expect(mocked.connectorUpdate).toHaveBeenCalledTimes(3));
    expect(mocked.connectorUpdate.mock.calls[2][1].secret).toBeNull();
  });

  it("asks for a secret on edit when none is stored", async () => {
    mocked.connectorUpdate.mockImplementation(() => ok(aConnector()));
    const user = userEvent.setup();
    renderWithQuery(<ConnectorForm orgId="o1" connector={aConnector({ hasSecret: false })} onDone={() => undefined} />);
    expect(screen.queryByText("Stored in the system keychain")).not.toBeInTheDocument();
    await user.type(screen.getByLabelText("Auth Token"), "token");
    await user.click(screen.getByRole("button", { name: "Save connector" }));
    await waitFor(() => expect(mocked.connectorUpdate).toHaveBeenCalled());
    expect(mocked.connectorUpdate.mock.calls[0][1].secret).toBe("token");
  });

  it("edits recipients as rows with an optional backup email", async () => {
    mocked.connectorCreate.mockImplementation(() => ok(aConnector()));
    const user = userEvent.setup();
    renderWithQuery(<ConnectorForm orgId="o1" onDone={() => undefined} />);
    await user.click(screen.getByRole("button", { name: "Add recipient" }));
    await user.click(screen.getByRole("button", { name: "Add recipient" }));
    await user.type(input("recipients[0].number"), "+46 70 123 45 67");
    await user.type(input("recipients[1].number"), "+46 70 765 43 21");
    await user.type(input("recipients[1].backupEmail"), "a@b.se");
    expect(screen.getAllByLabelText("Backup Email (optional)")).toHaveLength(2);
    await user.click(screen.getByRole("button", { name: "Remove recipient 1" }));
    expect(input("recipients[0].number")).toHaveValue("+46 70 765 43 21");
    expect(input("recipients[1].number")).toBeNull();
    await user.click(screen.getByRole("button", { name: "Create connector" }));
    await waitFor(() => expect(mocked.connectorCreate).toHaveBeenCalled());
    expect(mocked.connectorCreate.mock.calls[0][0].recipients).toEqual([{ number: "+46 70 765 43 21", backupEmail: "a@b.se" }]);
  });

  it("shows a recipient's error beside its row", async () => {
    mocked.connectorValidate.mockImplementation(() =>
      ok([{ field: "recipients[0].number", message: "'070' has no country code" }]),
    );
    const user = userEvent.setup();
    renderWithQuery(<ConnectorForm orgId="o1" onDone={() => undefined} />);
    await user.click(screen.getByRole("button", { name: "Add recipient" }));
    await user.type(input("recipients[0].number"), "070");
    const error = await screen.findByText("'070' has no country code");
    expect(error).toHaveAttribute("data-field-error", "recipients[0].number");
    expect(within(error.closest(".recipient") as HTMLElement).getByLabelText("To")).toHaveAttribute("aria-invalid", "true");
  });

  it("shows a kind and provider that do not fit under the provider", async () => {
    mocked.connectorValidate.mockImplementation(() =>
      ok([{ field: "settings.provider", message: "A whatsapp connector works with twilio, not telnyx" }]),
    );
    const user = userEvent.setup();
    renderWithQuery(<ConnectorForm orgId="o1" onDone={() => undefined} />);
    await user.selectOptions(screen.getByLabelText("Provider"), "twilio");
    const error = await screen.findByText("A whatsapp connector works with twilio, not telnyx");
    expect(error).toHaveAttribute("data-field-error", "settings.provider");
    expect(screen.getByLabelText("Provider")).toHaveAttribute("aria-invalid", "true");
  });

  it("edits an SMTP connector with the values it has, sending its settings typed", async () => {
    mocked.connectorUpdate.mockImplementation(() => ok(aConnector()));
    const user = userEvent.setup();
    const smtp = aConnector({ kind: "email", settings: settingsFor("smtp"), recipients: [], hasSecret: false });
    renderWithQuery(<ConnectorForm orgId="o1" connector={smtp} onDone={() => undefined} />);
    expect(screen.getByLabelText("SMTP Host")).toHaveValue("smtp.hotel.example");
    expect(screen.getByLabelText("SMTP Port")).toHaveValue(587);
    await user.selectOptions(screen.getByLabelText("Security"), "tls");
    await user.clear(screen.getByLabelText("SMTP Port"));
    await user.type(screen.getByLabelText("SMTP Port"), "465");
    await user.click(screen.getByRole("button", { name: "Save connector" }));
    await waitFor(() => expect(mocked.connectorUpdate).toHaveBeenCalled());
    expect(mocked.connectorUpdate.mock.calls[0][1]).toMatchObject({
      kind: "email",
      recipients: [],
      settings: { provider: "smtp", host: "smtp.hotel.example", port: 465, security: "tls", username: null, from: "noreply@hotel.example" },
    });
  });

  it("cancels without saving", async () => {
    const onDone = vi.fn();
    const user = userEvent.setup();
    renderWithQuery(<ConnectorForm orgId="o1" onDone={onDone} />);
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    expect(onDone).toHaveBeenCalled();
    expect(mocked.connectorCreate).not.toHaveBeenCalled();
  });
});
