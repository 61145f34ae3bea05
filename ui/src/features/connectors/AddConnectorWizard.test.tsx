import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { commands } from "../../bindings";
import { renderWithQuery } from "../../test/render";
import { AddConnectorWizard } from "./AddConnectorWizard";
import { ConnectorList } from "./ConnectorList";
import { aConnector, settingsFor } from "./testing";

// The real catalog (a constant); the commands mocked.
vi.mock("../../bindings", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../bindings")>()),
  commands: {
    connectorList: vi.fn(),
    connectorValidate: vi.fn(),
    connectorCreate: vi.fn(),
    connectorCheck: vi.fn(),
    connectorDelete: vi.fn(),
  },
}));

const mocked = vi.mocked(commands);
const ok = <T,>(data: T) => Promise.resolve({ status: "ok" as const, data });

beforeEach(() => {
  vi.resetAllMocks();
  mocked.connectorValidate.mockImplementation(() => ok([]));
  mocked.connectorList.mockImplementation(() => ok([]));
});

const continueButton = () => screen.getByRole("button", { name: "Continue" });
const radioNames = () => screen.getAllByRole("radio").map((r) => r.getAttribute("value"));

function renderWizard() {
  const onCreated = vi.fn();
  const onCancel = vi.fn();
  renderWithQuery(<AddConnectorWizard orgId="o1" onCreated={onCreated} onCancel={onCancel} />);
  return { onCreated, onCancel };
}

describe("AddConnectorWizard", () => {
  it("asks for the type first, each with a one-line description; Continue waits for a choice", async () => {
    const user = userEvent.setup();
    renderWizard();
    expect(screen.getByRole("heading", { name: "Step 1 of 3: Choose the type" })).toBeInTheDocument();
    const group = screen.getByRole("radiogroup", { name: "Step 1 of 3: Choose the type" });
    expect(within(group).getAllByRole("radio").map((r) => r.getAttribute("value"))).toEqual(["whatsapp", "sms", "email"]);
    expect(within(group).getByRole("radio", { name: "WhatsApp" })).toHaveAccessibleDescription(/approved WhatsApp sender/);
    expect(within(group).getByRole("radio", { name: "SMS" })).toHaveAccessibleDescription(/Twilio, Telnyx or 46elks/);
    expect(within(group).getByRole("radio", { name: "Email" })).toHaveAccessibleDescription(/SMTP/);
    expect(continueButton()).toBeDisabled();
    await user.click(screen.getByRole("radio", { name: "SMS" }));
    expect(continueButton()).toBeEnabled();
    // No form yet: its fields come after the provider.
    expect(screen.queryByLabelText("Name")).not.toBeInTheDocument();
  });

  it.each([
    ["WhatsApp", ["twilio"], "twilio"],
    ["SMS", ["twilio", "telnyx", "46elks"], null],
    ["Email", ["smtp"], "smtp"],
  ])("offers the providers of %s (a single one chosen already, the step still shown)", async (type, providers, preselected) => {
    const user = userEvent.setup();
    renderWizard();
    await user.click(screen.getByRole("radio", { name: type }));
    await user.click(continueButton());
    const heading = screen.getByRole("heading", { name: "Step 2 of 3: Choose the provider" });
    expect(heading).toHaveFocus();
    expect(radioNames()).toEqual(providers);
    const checked = screen.getAllByRole("radio").find((r) => (r as HTMLInputElement).checked);
    expect(checked?.getAttribute("value") ?? null).toBe(preselected);
    if (preselected) expect(continueButton()).toBeEnabled();
    else expect(continueButton()).toBeDisabled();
  });

  it("is keyboard reachable: arrows move within the group, Space chooses, focus goes to each step's heading", async () => {
    const user = userEvent.setup();
    renderWizard();
    await user.tab();
    expect(screen.getByRole("radio", { name: "WhatsApp" })).toHaveFocus();
    await user.keyboard("{ArrowDown}");
    expect(screen.getByRole("radio", { name: "SMS" })).toHaveFocus();
    expect(screen.getByRole("radio", { name: "SMS" })).toBeChecked();
    await user.tab();
    await user.tab();
    expect(continueButton()).toHaveFocus();
    await user.keyboard("{Enter}");
    expect(screen.getByRole("heading", { name: "Step 2 of 3: Choose the provider" })).toHaveFocus();
    await user.tab();
    await user.keyboard(" ");
    expect(screen.getByRole("radio", { name: "Twilio" })).toBeChecked();
    await user.click(continueButton());
    expect(screen.getByRole("heading", { name: "Step 3 of 3: Connector details" })).toHaveFocus();
  });

  it("shows the chosen provider's form with the seeds' labels, and Create connector", async () => {
    const user = userEvent.setup();
    renderWizard();
    await user.click(screen.getByRole("radio", { name: "SMS" }));
    await user.click(continueButton());
    await user.click(screen.getByRole("radio", { name: "46elks" }));
    await user.click(continueButton());
    expect(screen.getByTestId("wizard-choice")).toHaveTextContent("SMS 46elks");
    expect(screen.getByLabelText("API Username")).toBeInTheDocument();
    expect(screen.getByLabelText("API Password")).toBeInTheDocument();
    // The type and provider were chosen in the steps before: no selects for them here.
    expect(screen.queryByLabelText("Kind")).not.toBeInTheDocument();
    expect(screen.queryByLabelText("Provider")).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Create connector" })).toBeInTheDocument();
  });

  it("Back keeps the type, the provider and what was typed in the form", async () => {
    const user = userEvent.setup();
    renderWizard();
    await user.click(screen.getByRole("radio", { name: "SMS" }));
    await user.click(continueButton());
    await user.click(screen.getByRole("radio", { name: "Telnyx" }));
    await user.click(continueButton());
    await user.type(screen.getByLabelText("Name"), "Harbour SMS");
    await user.type(screen.getByLabelText("API Key"), "KEYsecret");

    await user.click(screen.getByRole("button", { name: "Back" }));
    expect(screen.getByRole("heading", { name: "Step 2 of 3: Choose the provider" })).toHaveFocus();
    expect(screen.getByRole("radio", { name: "Telnyx" })).toBeChecked();
    await user.click(screen.getByRole("button", { name: "Back" }));
    expect(screen.getByRole("heading", { name: "Step 1 of 3: Choose the type" })).toHaveFocus();
    expect(screen.getByRole("radio", { name: "SMS" })).toBeChecked();

    await user.click(continueButton());
    expect(screen.getByRole("radio", { name: "Telnyx" })).toBeChecked();
    await user.click(continueButton());
    expect(screen.getByLabelText("Name")).toHaveValue("Harbour SMS");
    expect(screen.getByLabelText("API Key")).toHaveValue("KEYsecret");
  });

  it("changing the type drops a provider that type does not have", async () => {
    const user = userEvent.setup();
    renderWizard();
    await user.click(screen.getByRole("radio", { name: "SMS" }));
    await user.click(continueButton());
    await user.click(screen.getByRole("radio", { name: "46elks" }));
    await user.click(screen.getByRole("button", { name: "Back" }));
    await user.click(screen.getByRole("radio", { name: "WhatsApp" }));
    await user.click(continueButton());
    expect(radioNames()).toEqual(["twilio"]);
    expect(screen.getByRole("radio", { name: "Twilio" })).toBeChecked();
  });

  it("creates the connector of the chosen type and provider and hands it on", async () => {
    const created = aConnector({ id: "c9", kind: "sms", name: "Harbour SMS", settings: settingsFor("telnyx") });
    mocked.connectorCreate.mockImplementation(() => ok(created));
    const user = userEvent.setup();
    const { onCreated } = renderWizard();
    await user.click(screen.getByRole("radio", { name: "SMS" }));
    await user.click(continueButton());
    await user.click(screen.getByRole("radio", { name: "Telnyx" }));
    await user.click(continueButton());
    await user.type(screen.getByLabelText("Name"), "Harbour SMS");
    await user.type(screen.getByLabelText("API Key"), "KEYsecret");
    await user.click(screen.getByRole("button", { name: "Create connector" }));
    await waitFor(() => expect(onCreated).toHaveBeenCalledWith(created));
    const [draft] = mocked.connectorCreate.mock.calls[0];
    expect(draft).toMatchObject({ orgId: "o1", kind: "sms", name: "Harbour SMS", secret: "KEYsecret" });
    expect(draft.settings.provider).toBe("telnyx");
  });
});

describe("Add Connector on the organization page", () => {
  it("lands on the new connector's page once created", async () => {
    window.location.hash = "#/organizations/o1";
    const created = aConnector({ id: "c42", name: "Front desk WhatsApp" });
    mocked.connectorCreate.mockImplementation(() => ok(created));
    const user = userEvent.setup();
    renderWithQuery(<ConnectorList orgId="o1" orgName="Grand Hotel" />);
    await user.click(await screen.findByRole("button", { name: "Add Connector" }));
    const dialog = screen.getByRole("dialog", { name: "Add Connector" });
    await user.click(within(dialog).getByRole("radio", { name: "WhatsApp" }));
    await user.click(within(dialog).getByRole("button", { name: "Continue" }));
    await user.click(within(dialog).getByRole("button", { name: "Continue" }));
    await user.type(within(dialog).getByLabelText("Name"), "Front desk WhatsApp");
    await user.type(within(dialog).getByLabelText("Account SID"), "AC0123456789abcdef0123456789abcdef");
    await user.type(within(dialog).getByLabelText("Auth Token"), "token");
    await user.click(within(dialog).getByRole("button", { name: "Create connector" }));
    await waitFor(() => expect(window.location.hash).toBe("#/connectors/c42/overview"));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });

  it("opens the form directly to edit a connector (no wizard)", async () => {
    mocked.connectorList.mockImplementation(() => ok([aConnector()]));
    const user = userEvent.setup();
    renderWithQuery(<ConnectorList orgId="o1" orgName="Grand Hotel" />);
    await user.click(await screen.findByRole("button", { name: "Edit Front desk" }));
    const dialog = screen.getByRole("dialog", { name: "Edit Front desk" });
    expect(within(dialog).queryByRole("radiogroup")).not.toBeInTheDocument();
    expect(within(dialog).getByLabelText("Name")).toHaveValue("Front desk");
    expect(within(dialog).getByRole("button", { name: "Save connector" })).toBeInTheDocument();
  });
});
