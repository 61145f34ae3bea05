import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { commands } from "../../bindings";
import { renderWithQuery } from "../../test/render";
import { ExportConfiguration, ImportConfiguration } from "./ConfigTransfer";
import type { ImportItem, ImportPreview } from "./transfer";

vi.mock("../../bindings", () => ({
  commands: { configExport: vi.fn(), configExportSave: vi.fn(), configImportPreview: vi.fn(), configImportApply: vi.fn() },
}));

const mocked = vi.mocked(commands);
const ORG = { id: "o1", name: "Grand Hotel" };
const FILE = '{"format": "switchboard-config", "version": 1}';

function item(key: string, change: ImportItem["change"], label: string, extra: Partial<ImportItem> = {}): ImportItem {
  return {
    key,
    kind: "connector",
    change,
    label,
    details: [],
    requires: [],
    secret: null,
    selected: change === "added" || change === "changed",
    ...extra,
  };
}

const PREVIEW: ImportPreview = {
  organizationId: "o1",
  organizationName: "Grand Hotel",
  items: [
    item("organization", "changed", "Organization 'Grand Hotel': inbound base URL", {
      kind: "organization",
      details: ["inbound base URL: (none) → https://hooks.grand-hotel.example"],
    }),
    item("connector:Reception SMS", "added", "Connector 'Reception SMS' (sms, telnyx)", {
      secret: { connector: "Reception SMS", label: "API key", required: true },
    }),
    item("number:Reception SMS/+13125550101", "added", "Number +13125550101 of 'Reception SMS': active", {
      kind: "number",
      requires: ["connector:Reception SMS"],
    }),
    item("agent:Concierge", "added", "Agent 'Concierge'", { kind: "agent" }),
    item("channel:Reception SMS/+13125550101", "added", "Channel +13125550101 of 'Reception SMS' → agent 'Concierge'", {
      kind: "channel",
      requires: ["connector:Reception SMS", "number:Reception SMS/+13125550101", "agent:Concierge"],
    }),
    item("connector:Spare SMS", "removed", "Connector 'Spare SMS' (sms, telnyx)", {
      details: ["Not in the file: applying removes it with its numbers, message history and keychain entry"],
    }),
    item("connector:Front desk", "unchanged", "Connector 'Front desk' (whatsapp, twilio)"),
    item("connector:Nordic", "conflict", "Connector 'Nordic' (sms, 46elks)", {
      details: ["A connector's kind and provider cannot change"],
    }),
  ],
};

const ok = <T,>(data: T) => Promise.resolve({ status: "ok" as const, data });

beforeEach(() => vi.resetAllMocks());

async function openDiff() {
  mocked.configImportPreview.mockImplementation(() => ok(PREVIEW));
  const user = userEvent.setup();
  renderWithQuery(<ImportConfiguration organization={ORG} />);
  await user.click(screen.getByRole("button", { name: "Import configuration" }));
  const dialog = screen.getByRole("dialog", { name: "Import into Grand Hotel" });
  await user.click(within(dialog).getByLabelText("Or paste the JSON"));
  await user.paste(FILE);
  await user.click(within(dialog).getByRole("button", { name: "Show changes" }));
  await within(dialog).findByRole("list", { name: "Changes" });
  return { user, dialog };
}

const box = (dialog: HTMLElement, name: RegExp) => within(dialog).getByRole("checkbox", { name });

describe("Import configuration", () => {
  it("shows the diff: new and changed ticked, removals not, unchanged folded away, conflicts without a checkbox", async () => {
    const { dialog } = await openDiff();
    expect(mocked.configImportPreview).toHaveBeenCalledWith("o1", FILE);
    expect(box(dialog, /^Changed: Organization/)).toBeChecked();
    expect(within(dialog).getByText("inbound base URL: (none) → https://hooks.grand-hotel.example")).toBeInTheDocument();
    expect(box(dialog, /^New: Connector 'Reception SMS'/)).toBeChecked();
    expect(box(dialog, /^New: Channel/)).toBeChecked();
    expect(box(dialog, /^Removed: Connector 'Spare SMS'/)).not.toBeChecked();
    expect(within(dialog).queryByRole("checkbox", { name: /Nordic/ })).not.toBeInTheDocument();
    expect(within(dialog).getByText("A connector's kind and provider cannot change")).toBeInTheDocument();
    expect(within(dialog).queryByRole("checkbox", { name: /Front desk/ })).not.toBeInTheDocument();
    expect(within(dialog).getByText("1 unchanged")).toBeInTheDocument();
    // The new connector's secret is asked for, and Apply waits for it.
    expect(within(dialog).getByLabelText("API key of 'Reception SMS'")).toHaveAttribute("type", "password");
    expect(within(dialog).getByRole("button", { name: "Apply 5 changes" })).toBeDisabled();
  });

  it("unticking an item unticks what needs it, and ticking one ticks what it needs", async () => {
    const { user, dialog } = await openDiff();
    await user.click(box(dialog, /^New: Agent 'Concierge'/));
    expect(box(dialog, /^New: Channel/)).not.toBeChecked();
    expect(box(dialog, /^New: Number/)).toBeChecked();

    await user.click(box(dialog, /^New: Connector 'Reception SMS'/));
    expect(box(dialog, /^New: Number/)).not.toBeChecked();
    expect(within(dialog).queryByLabelText("API key of 'Reception SMS'")).not.toBeInTheDocument();
    expect(within(dialog).getByRole("button", { name: "Apply 1 change" })).toBeEnabled();

    await user.click(box(dialog, /^New: Channel/));
    for (const name of [/^New: Connector 'Reception SMS'/, /^New: Number/, /^New: Agent/, /^New: Channel/]) {
      expect(box(dialog, name)).toBeChecked();
    }
  });

  it("applies exactly the ticked items with the typed secret and says what happened", async () => {
    mocked.configImportApply.mockImplementation(() =>
      ok({
        organization: { id: "o1", name: "Grand Hotel", inboundBaseUrl: null, createdAt: "", updatedAt: "" },
        applied: ["organization", "connector:Reception SMS"],
        connectors: [
          {
            id: "c9",
            orgId: "o1",
            kind: "sms",
            name: "Reception SMS",
            settings: { provider: "telnyx", messagingProfileId: null, from: "+13125550101", baseUrl: null },
            recipients: [],
            receiveInbound: true,
            hasSecret: true,
            state: "error",
            stateReason: "Telnyx did not accept the API key",
            stateFailure: null,
            checkedAt: null,
            accountName: null,
            accountType: null,
            stateWarning: null,
            createdAt: "",
            updatedAt: "",
          },
        ],
        numbersToReset: 1,
      }),
    );
    const { user, dialog } = await openDiff();
    await user.click(box(dialog, /^New: Agent 'Concierge'/));
    await user.click(box(dialog, /^New: Number/));
    await user.click(box(dialog, /^Removed: Connector 'Spare SMS'/));
    await user.type(within(dialog).getByLabelText("API key of 'Reception SMS'"), "KEY-telnyx");
    await user.click(within(dialog).getByRole("button", { name: "Apply 3 changes" }));
    expect(mocked.configImportApply).toHaveBeenCalledWith("o1", FILE, {
      keys: ["organization", "connector:Reception SMS", "connector:Spare SMS"],
      secrets: [{ connector: "Reception SMS", secret: "KEY-telnyx" }],
    });
    expect(await within(dialog).findByText("Imported 2 changes into Grand Hotel.")).toBeInTheDocument();
    expect(within(dialog).getByText(/Telnyx did not accept the API key/)).toBeInTheDocument();
    expect(within(dialog).getByText(/1 active number needs the webhook set/)).toBeInTheDocument();
  });

  it("names the path of every problem in a bad file", async () => {
    mocked.configImportPreview.mockImplementation(() =>
      Promise.resolve({
        status: "error" as const,
        error: {
          code: "validation" as const,
          message: "invalid",
          fields: [
            {
              field: "connectors[2].settings.accountSid",
              message: "An Account SID starts with AC followed by 32 hexadecimal characters (34 in all; got 5 characters)",
            },
          ],
          provider: null,
        },
      }),
    );
    const user = userEvent.setup();
    renderWithQuery(<ImportConfiguration organization={ORG} />);
    await user.click(screen.getByRole("button", { name: "Import configuration" }));
    const dialog = screen.getByRole("dialog");
    await user.click(within(dialog).getByLabelText("Or paste the JSON"));
    await user.paste(FILE);
    await user.click(within(dialog).getByRole("button", { name: "Show changes" }));
    const alert = await within(dialog).findByRole("alert");
    expect(alert).toHaveTextContent("This file cannot be imported");
    expect(within(alert).getByText("connectors[2].settings.accountSid")).toBeInTheDocument();
    expect(alert).toHaveTextContent("starts with AC");
  });

  it("keeps the diff when applying fails and says nothing was imported", async () => {
    mocked.configImportApply.mockImplementation(() =>
      Promise.resolve({
        status: "error" as const,
        error: { code: "keychain_refused" as const, message: "The system keychain refused the operation", fields: [], provider: null },
      }),
    );
    const { user, dialog } = await openDiff();
    await user.type(within(dialog).getByLabelText("API key of 'Reception SMS'"), "KEY");
    await user.click(within(dialog).getByRole("button", { name: "Apply 5 changes" }));
    const alert = await within(dialog).findByRole("alert");
    expect(alert).toHaveTextContent("Nothing was imported: The system keychain refused the operation");
    expect(box(dialog, /^New: Connector 'Reception SMS'/)).toBeChecked();
  });
});

describe("Import configuration on a machine without the organization", () => {
  it("creates the organization the file names and opens it", async () => {
    mocked.configImportPreview.mockImplementation(() =>
      ok({
        organizationId: null,
        organizationName: "Grand Hotel",
        items: [item("organization", "added", "Organization 'Grand Hotel'", { kind: "organization" })],
      }),
    );
    mocked.configImportApply.mockImplementation(() =>
      ok({
        organization: { id: "o7", name: "Grand Hotel", inboundBaseUrl: null, createdAt: "", updatedAt: "" },
        applied: ["organization"],
        connectors: [],
        numbersToReset: 0,
      }),
    );
    const onImported = vi.fn();
    const user = userEvent.setup();
    renderWithQuery(<ImportConfiguration organization={null} onImported={onImported} />);
    await user.click(screen.getByRole("button", { name: "Import configuration" }));
    const dialog = screen.getByRole("dialog", { name: "Import a configuration" });
    await user.click(within(dialog).getByLabelText("Or paste the JSON"));
    await user.paste(FILE);
    await user.click(within(dialog).getByRole("button", { name: "Show changes" }));
    expect(await within(dialog).findByText(/The import creates the organization Grand Hotel/)).toBeInTheDocument();
    expect(mocked.configImportPreview).toHaveBeenCalledWith(null, FILE);
    await user.click(within(dialog).getByRole("button", { name: "Apply 1 change" }));
    expect(mocked.configImportApply).toHaveBeenCalledWith(null, FILE, { keys: ["organization"], secrets: [] });
    await user.click(await within(dialog).findByRole("button", { name: "Done" }));
    expect(onImported).toHaveBeenCalledWith("o7");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });
});

describe("Export configuration", () => {
  it("shows the JSON without secrets, saves it under its name and copies it", async () => {
    const json = '{\n  "format": "switchboard-config"\n}\n';
    mocked.configExport.mockImplementation(() => ok({ fileName: "switchboard-config-grand-hotel.json", json }));
    mocked.configExportSave.mockImplementation(() =>
      ok({ path: "/home/frontdesk/Downloads/switchboard-config-grand-hotel.json", bytes: json.length, records: null }),
    );
    // user-event puts a clipboard of its own on the navigator.
    const user = userEvent.setup();
    renderWithQuery(<ExportConfiguration organization={ORG} />);
    await user.click(screen.getByRole("button", { name: "Export configuration" }));
    const dialog = screen.getByRole("dialog", { name: "Export Grand Hotel" });
    expect(await within(dialog).findByLabelText("Configuration JSON")).toHaveValue(json);
    expect(mocked.configExport).toHaveBeenCalledWith("o1");
    await user.click(within(dialog).getByRole("button", { name: "Copy" }));
    await waitFor(async () => expect(await navigator.clipboard.readText()).toBe(json));
    expect(within(dialog).getByRole("status")).toHaveTextContent("Copied");
    await user.click(within(dialog).getByRole("button", { name: "Save switchboard-config-grand-hotel.json to Downloads" }));
    expect(mocked.configExportSave).toHaveBeenCalledWith("o1");
    await waitFor(() =>
      expect(within(dialog).getByRole("status")).toHaveTextContent(
        "Saved to /home/frontdesk/Downloads/switchboard-config-grand-hotel.json",
      ),
    );
  });
});
