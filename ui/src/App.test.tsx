import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { App } from "./App";
import { commands } from "./bindings";
import type { Organization } from "./lib/types";
import { renderWithQuery } from "./test/render";

// The real catalog (a constant); the commands mocked.
vi.mock("./bindings", async (importOriginal) => ({
  ...(await importOriginal<typeof import("./bindings")>()),
  commands: {
    appStatus: vi.fn(),
    orgList: vi.fn(),
    orgCreate: vi.fn(),
    connectorList: vi.fn(),
    sandboxTry: vi.fn(),
    sandboxLeave: vi.fn(),
  },
}));

const mocked = vi.mocked(commands);
const ok = <T,>(data: T) => Promise.resolve({ status: "ok" as const, data });
const anOrg = (id: string, name: string): Organization => ({
  id,
  name,
  inboundBaseUrl: null,
  createdAt: "2026-11-22T10:00:00Z",
  updatedAt: "2026-11-22T10:00:00Z",
});

beforeEach(() => {
  vi.resetAllMocks();
  mocked.appStatus.mockResolvedValue({ version: "0.1.0", dataDir: "/tmp/sb", startupError: null, sandboxUrl: null, sandboxWhatsappJoin: null });
  mocked.connectorList.mockImplementation(() => ok([]));
});

describe("App", () => {
  it("shows only the startup error when the backend cannot start", async () => {
    mocked.appStatus.mockResolvedValue({
      version: "0.1.0",
      dataDir: "/tmp/sb",
      sandboxUrl: null,
      sandboxWhatsappJoin: null,
      startupError: {
        code: "database_too_new",
        message: "The database was written by a newer Switchboard. Install that version or newer.",
        fields: [],
      },
    });
    renderWithQuery(<App />);
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("The database was written by a newer Switchboard. Install that version or newer.");
    expect(screen.queryByRole("navigation")).not.toBeInTheDocument();
    expect(mocked.orgList).not.toHaveBeenCalled();
  });

  it("starts with the first organization to create, with the backend's field errors beside the fields", async () => {
    mocked.orgList.mockImplementation(() => ok([]));
    mocked.orgCreate.mockImplementation(() =>
      Promise.resolve({
        status: "error" as const,
        error: {
          code: "validation" as const,
          message: "bad",
          fields: [{ field: "inboundBaseUrl", message: "'http://hooks.example' must use https://" }],
        },
      }),
    );
    const user = userEvent.setup();
    renderWithQuery(<App />);
    expect(await screen.findByRole("heading", { name: "Create your first organization" })).toBeInTheDocument();
    await user.type(screen.getByLabelText("Organization name"), "Grand Hotel");
    await user.type(screen.getByLabelText("Inbound base URL (optional)"), "http://hooks.example");
    await user.click(screen.getByRole("button", { name: "Create organization" }));
    const error = await screen.findByText("'http://hooks.example' must use https://");
    expect(error).toHaveAttribute("role", "alert");
    expect(screen.getByLabelText("Inbound base URL (optional)")).toHaveAttribute("aria-invalid", "true");
    expect(mocked.orgCreate).toHaveBeenCalledWith({ name: "Grand Hotel", inboundBaseUrl: "http://hooks.example" });
  });

  it("selects the organization it created and shows its connectors", async () => {
    const created = anOrg("o1", "Grand Hotel");
    mocked.orgList.mockImplementationOnce(() => ok([])).mockImplementation(() => ok([created]));
    mocked.orgCreate.mockImplementation(() => ok(created));
    const user = userEvent.setup();
    renderWithQuery(<App />);
    await user.type(await screen.findByLabelText("Organization name"), "Grand Hotel");
    await user.click(screen.getByRole("button", { name: "Create organization" }));
    expect(await screen.findByText("No connectors yet — add one to start managing numbers.")).toBeInTheDocument();
    expect(within(screen.getByRole("navigation")).getByRole("button", { name: "Grand Hotel" })).toHaveAttribute("aria-current", "page");
    expect(mocked.connectorList).toHaveBeenCalledWith("o1");
  });

  it("selects the first organization by default and switches on click", async () => {
    mocked.orgList.mockImplementation(() => ok([anOrg("o1", "Grand Hotel"), anOrg("o2", "Harbour Inn")]));
    const user = userEvent.setup();
    renderWithQuery(<App />);
    expect(await screen.findByRole("heading", { name: "Grand Hotel: connectors" })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Harbour Inn" }));
    expect(await screen.findByRole("heading", { name: "Harbour Inn: connectors" })).toBeInTheDocument();
    await waitFor(() => expect(mocked.connectorList).toHaveBeenCalledWith("o2"));
  });

  it("shows the same form from the sidebar's + Organization button once organizations exist", async () => {
    const created = anOrg("o2", "Harbour Inn");
    mocked.orgList
      .mockImplementationOnce(() => ok([anOrg("o1", "Grand Hotel")]))
      .mockImplementation(() => ok([anOrg("o1", "Grand Hotel"), created]));
    mocked.orgCreate.mockImplementation(() => ok(created));
    const user = userEvent.setup();
    renderWithQuery(<App />);
    await user.click(await screen.findByRole("button", { name: "+ Organization" }));
    expect(screen.getByRole("heading", { name: "New organization" })).toBeInTheDocument();
    await user.type(screen.getByLabelText("Organization name"), "Harbour Inn");
    await user.click(screen.getByRole("button", { name: "Create organization" }));
    expect(await screen.findByRole("heading", { name: "Harbour Inn: connectors" })).toBeInTheDocument();
    expect(mocked.orgCreate).toHaveBeenCalledWith({ name: "Harbour Inn", inboundBaseUrl: null });
  });

  it("offers the sandbox on first run and opens the demo organization it creates", async () => {
    const demo = anOrg("demo", "Sandbox demo");
    mocked.orgList.mockImplementationOnce(() => ok([])).mockImplementation(() => ok([anOrg("o1", "Grand Hotel"), demo]));
    mocked.sandboxTry.mockImplementation(() => {
      mocked.appStatus.mockResolvedValue({
        version: "0.1.0",
        dataDir: "/tmp/sb",
        startupError: null,
        sandboxUrl: "http://127.0.0.1:4010",
        sandboxWhatsappJoin: "join brave-otter",
      });
      return ok({ organization: demo, connectors: [], sandboxUrl: "http://127.0.0.1:4010" });
    });
    const user = userEvent.setup();
    renderWithQuery(<App />);
    await user.click(await screen.findByRole("button", { name: "Try the sandbox" }));
    expect(await screen.findByRole("heading", { name: "Sandbox demo: connectors" })).toBeInTheDocument();
    expect(await screen.findByText("Sandbox running at http://127.0.0.1:4010")).toBeInTheDocument();
    expect(mocked.sandboxTry).toHaveBeenCalledTimes(1);
  });

  it("leaves the sandbox from the sidebar, after which it is offered again", async () => {
    const demo = anOrg("demo", "Sandbox demo");
    mocked.appStatus.mockResolvedValue({
      version: "0.1.0",
      dataDir: "/tmp/sb",
      startupError: null,
      sandboxUrl: "http://127.0.0.1:4010",
      sandboxWhatsappJoin: "join brave-otter",
    });
    mocked.orgList.mockImplementation(() => ok([demo]));
    mocked.sandboxLeave.mockImplementation(() => {
      mocked.appStatus.mockResolvedValue({ version: "0.1.0", dataDir: "/tmp/sb", startupError: null, sandboxUrl: null, sandboxWhatsappJoin: null });
      mocked.orgList.mockImplementation(() => ok([]));
      return ok(null);
    });
    const user = userEvent.setup();
    renderWithQuery(<App />);
    const sidebar = await screen.findByRole("navigation");
    expect(await within(sidebar).findByText("Sandbox running at http://127.0.0.1:4010")).toBeInTheDocument();
    await user.click(within(sidebar).getByRole("button", { name: "Leave the sandbox" }));
    await user.click(within(sidebar).getByRole("button", { name: "Remove the demo and leave" }));
    expect(await screen.findByRole("button", { name: "Try the sandbox" })).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByText(/Sandbox running at/)).not.toBeInTheDocument());
    expect(mocked.sandboxLeave).toHaveBeenCalledTimes(1);
  });

  it("says why the sandbox could not start", async () => {
    mocked.orgList.mockImplementation(() => ok([]));
    mocked.sandboxTry.mockImplementation(() =>
      Promise.resolve({
        status: "error" as const,
        error: { code: "failed" as const, message: "The sandbox could not start: address in use", fields: [] },
      }),
    );
    const user = userEvent.setup();
    renderWithQuery(<App />);
    await user.click(await screen.findByRole("button", { name: "Try the sandbox" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The sandbox could not start: address in use");
  });
});
