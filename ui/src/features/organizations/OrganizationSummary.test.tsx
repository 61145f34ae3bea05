import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { commands } from "../../bindings";
import type { Organization } from "../../bindings";
import { renderWithQuery } from "../../test/render";
import { OrganizationSummary } from "./OrganizationSummary";

vi.mock("../../bindings", () => ({ commands: { orgUpdate: vi.fn() } }));

const mocked = vi.mocked(commands);
const ORG: Organization = {
  id: "o1",
  name: "Grand Hotel",
  inboundBaseUrl: "https://hooks.grand-hotel.example",
  createdAt: "2026-11-22T10:00:00Z",
  updatedAt: "2026-11-22T10:00:00Z",
};

beforeEach(() => vi.resetAllMocks());

describe("OrganizationSummary", () => {
  it("edits the inbound base URL, warns before saving, and says how many numbers must be set again", async () => {
    mocked.orgUpdate.mockImplementation((_, draft) =>
      Promise.resolve({ status: "ok" as const, data: { organization: { ...ORG, name: draft.name, inboundBaseUrl: draft.inboundBaseUrl ?? null }, numbersToReset: 3 } }),
    );
    const user = userEvent.setup();
    renderWithQuery(<OrganizationSummary organization={ORG} />);
    await user.click(screen.getByRole("button", { name: "Edit organization" }));
    const dialog = screen.getByRole("dialog", { name: "Edit Grand Hotel" });
    const url = within(dialog).getByLabelText(/Inbound base URL/);
    expect(url).toHaveValue("https://hooks.grand-hotel.example");
    expect(within(dialog).queryByText(/each active number must then have its webhook set again/)).not.toBeInTheDocument();
    await user.clear(url);
    await user.type(url, "https://in.grand-hotel.example");
    expect(within(dialog).getByText(/each active number must then have its webhook set again/)).toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "Save organization" }));
    expect(mocked.orgUpdate).toHaveBeenCalledWith("o1", { name: "Grand Hotel", inboundBaseUrl: "https://in.grand-hotel.example" });
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(screen.getByRole("status")).toHaveTextContent("3 active numbers need the webhook set again");
  });

  it("shows the backend's field error under the field and keeps the dialog open", async () => {
    mocked.orgUpdate.mockImplementation(() =>
      Promise.resolve({
        status: "error" as const,
        error: { code: "validation" as const, message: "invalid", fields: [{ field: "inboundBaseUrl", message: "Use https" }], provider: null },
      }),
    );
    const user = userEvent.setup();
    renderWithQuery(<OrganizationSummary organization={ORG} />);
    await user.click(screen.getByRole("button", { name: "Edit organization" }));
    const dialog = screen.getByRole("dialog");
    await user.click(within(dialog).getByRole("button", { name: "Save organization" }));
    expect(await within(dialog).findByText("Use https")).toBeInTheDocument();
  });

  it("keeps what was typed when the save fails, and saves it on the next try", async () => {
    mocked.orgUpdate.mockImplementationOnce(() =>
      Promise.resolve({
        status: "error" as const,
        error: { code: "database" as const, message: "The database is busy: try again.", fields: [], provider: null },
      }),
    );
    const user = userEvent.setup();
    renderWithQuery(<OrganizationSummary organization={ORG} />);
    await user.click(screen.getByRole("button", { name: "Edit organization" }));
    const dialog = screen.getByRole("dialog");
    const url = within(dialog).getByLabelText(/Inbound base URL/);
    await user.clear(url);
    await user.type(url, "https://in.grand-hotel.example");
    await user.click(within(dialog).getByRole("button", { name: "Save organization" }));
    expect(await within(dialog).findByText(/The database is busy/)).toBeInTheDocument();
    expect(within(dialog).getByLabelText(/Inbound base URL/)).toHaveValue("https://in.grand-hotel.example");
    mocked.orgUpdate.mockImplementation((_, draft) =>
      Promise.resolve({ status: "ok" as const, data: { organization: { ...ORG, inboundBaseUrl: draft.inboundBaseUrl ?? null }, numbersToReset: 0 } }),
    );
    await user.click(within(dialog).getByRole("button", { name: "Save organization" }));
    expect(mocked.orgUpdate).toHaveBeenLastCalledWith("o1", { name: "Grand Hotel", inboundBaseUrl: "https://in.grand-hotel.example" });
  });
});
