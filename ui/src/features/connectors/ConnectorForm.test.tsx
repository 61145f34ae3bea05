import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { commands } from "../../bindings";
import { ConnectorForm } from "./ConnectorForm";
import { aConnector, renderWithQuery } from "./testing";

vi.mock("../../bindings", () => ({
  commands: {
    connectorValidate: vi.fn(),
    connectorCreate: vi.fn(),
    connectorUpdate: vi.fn(),
  },
}));

const mocked = vi.mocked(commands);
const ok = <T,>(data: T) => Promise.resolve({ status: "ok" as const, data });

beforeEach(() => {
  vi.resetAllMocks();
  mocked.connectorValidate.mockImplementation(() => ok([]));
});

const names = () =>
  Array.from(document.querySelectorAll("input, select"))
    .map((e) => e.getAttribute("name"))
    .filter(Boolean);

describe("ConnectorForm", () => {
  it("offers the providers of the chosen kind", async () => {
    const user = userEvent.setup();
    renderWithQuery(<ConnectorForm orgId="o1" onDone={() => undefined} />);
    const provider = screen.getByLabelText("Provider") as HTMLSelectElement;
    const options = () => Array.from(provider.options).map((o) => o.value);
    expect(options()).toEqual(["twilio"]);
    await user.selectOptions(screen.getByLabelText("Kind"), "sms");
    expect(options()).toEqual(["twilio", "telnyx", "46elks"]);
    await user.selectOptions(screen.getByLabelText("Kind"), "email");
    expect(options()).toEqual(["smtp"]);
  });

  it("shows the fields of the chosen provider", async () => {
    const user = userEvent.setup();
    renderWithQuery(<ConnectorForm orgId="o1" onDone={() => undefined} />);
    expect(names()).toEqual(expect.arrayContaining(["settings.accountSid", "settings.apiKeySid", "secret", "settings.from"]));
    expect(screen.getByLabelText("Auth Token")).toHaveAttribute("type", "password");
    await user.type(screen.getByLabelText("API Key SID (optional)"), "SK1");
    expect(screen.getByLabelText("API key secret")).toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText("Kind"), "sms");
    await user.selectOptions(screen.getByLabelText("Provider"), "46elks");
    expect(names()).toContain("settings.username");
    expect(names()).not.toContain("settings.accountSid");
    expect(screen.getByLabelText("API password")).toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText("Kind"), "email");
    expect(names()).toEqual(expect.arrayContaining(["settings.smtpHost", "settings.smtpPort", "settings.smtpSecurity"]));
    expect(screen.queryByText("Add recipient")).not.toBeInTheDocument();
  });

  it("shows the backend's field errors beside the field the user touched", async () => {
    mocked.connectorValidate.mockImplementation(() =>
      ok([
        { field: "settings.accountSid", message: "An Account SID starts with AC" },
        { field: "secret", message: "Enter the Auth Token" },
      ]),
    );
    const user = userEvent.setup();
    renderWithQuery(<ConnectorForm orgId="o1" onDone={() => undefined} />);
    await user.type(screen.getByLabelText("Account SID"), "AC123");
    const error = await screen.findByText("An Account SID starts with AC");
    expect(error).toHaveAttribute("role", "alert");
    expect(error).toHaveAttribute("data-field-error", "settings.accountSid");
    expect(screen.getByLabelText("Account SID")).toHaveAttribute("aria-invalid", "true");
    expect(screen.queryByText("Enter the Auth Token")).not.toBeInTheDocument();
    const [draft] = mocked.connectorValidate.mock.calls.at(-1)!;
    expect(draft.settings?.accountSid).toBe("AC123");
  });

  it("shows every field error after a refused save", async () => {
    mocked.connectorCreate.mockImplementation(() =>
      Promise.resolve({
        status: "error" as const,
        error: { code: "validation" as const, message: "bad", fields: [{ field: "name", message: "Give the connector a name" }] },
      }),
    );
    const onDone = vi.fn();
    const user = userEvent.setup();
    renderWithQuery(<ConnectorForm orgId="o1" onDone={onDone} />);
    await user.click(screen.getByRole("button", { name: "Save connector" }));
    expect(await screen.findByText("Give the connector a name")).toHaveAttribute("data-field-error", "name");
    expect(onDone).not.toHaveBeenCalled();
  });

  it("never pre-fills the secret on edit and sends it only after Replace", async () => {
    mocked.connectorUpdate.mockImplementation(() => ok(aConnector()));
    const onDone = vi.fn();
    const user = userEvent.setup();
    renderWithQuery(<ConnectorForm orgId="o1" connector={aConnector()} onDone={onDone} />);
    expect(screen.getByText("Stored in the system keychain")).toBeInTheDocument();
    expect(document.querySelector('input[name="secret"]')).toBeNull();
    expect(screen.getByLabelText("Account SID")).toHaveValue("AC0123456789abcdef0123456789abcdef");
    expect(screen.getByLabelText("Kind")).toBeDisabled();

    await user.click(screen.getByRole("button", { name: "Save connector" }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(mocked.connectorUpdate.mock.calls[0][1].secret).toBeNull();

    await user.click(screen.getByRole("button", { name: "Replace" }));
    const secret = screen.getByLabelText("Auth Token");
    expect(secret).toHaveValue("");
    await user.type(secret, "new-token");
    await user.click(screen.getByRole("button", { name: "Save connector" }));
    await waitFor(() => expect(mocked.connectorUpdate).toHaveBeenCalledTimes(2));
    expect(mocked.connectorUpdate.mock.calls[1][1].secret).toBe("new-token");
  });

  it("edits recipients as rows with an optional backup email", async () => {
    mocked.connectorCreate.mockImplementation(() => ok(aConnector()));
    const user = userEvent.setup();
    renderWithQuery(<ConnectorForm orgId="o1" onDone={() => undefined} />);
    await user.click(screen.getByRole("button", { name: "Add recipient" }));
    await user.click(screen.getByRole("button", { name: "Add recipient" }));
    await user.type(document.querySelector<HTMLInputElement>('input[name="recipients[0].number"]')!, "+46 70 123 45 67");
    await user.type(document.querySelector<HTMLInputElement>('input[name="recipients[1].number"]')!, "+46 70 765 43 21");
    await user.type(document.querySelector<HTMLInputElement>('input[name="recipients[1].backupEmail"]')!, "a@b.se");
    await user.click(screen.getByRole("button", { name: "Remove recipient 1" }));
    await user.click(screen.getByRole("button", { name: "Save connector" }));
    await waitFor(() => expect(mocked.connectorCreate).toHaveBeenCalled());
    expect(mocked.connectorCreate.mock.calls[0][0].recipients).toEqual([{ number: "+46 70 765 43 21", backupEmail: "a@b.se" }]);
  });
});
