import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { commands, type UpdateSettings_Serialize as UpdateSettings } from "../../bindings";
import { renderWithQuery } from "../../test/render";
import { About } from "./About";

vi.mock("../../bindings", () => ({
  commands: {
    updatesSettings: vi.fn(),
    updatesSetCheckOnLaunch: vi.fn(),
    updatesCheck: vi.fn(),
    updatesInstall: vi.fn(),
  },
}));

const mocked = vi.mocked(commands);

function settings(overrides: Partial<UpdateSettings> = {}): UpdateSettings {
  return { currentVersion: "0.1.0", checkOnLaunch: true, disabledByEnvironment: false, lastCheck: null, ...overrides };
}

beforeEach(() => {
  vi.resetAllMocks();
});

describe("About", () => {
  it("shows the version and turns the check on launch off", async () => {
    mocked.updatesSettings.mockResolvedValue({ status: "ok", data: settings() });
    mocked.updatesSetCheckOnLaunch.mockResolvedValue({ status: "ok", data: settings({ checkOnLaunch: false }) });
    const user = userEvent.setup();
    renderWithQuery(<About />);
    await user.click(screen.getByRole("button", { name: "About Switchboard" }));
    expect(await screen.findByTestId("about-version")).toHaveTextContent("0.1.0");
    const toggle = screen.getByRole("checkbox", { name: "Check for updates when Switchboard starts" });
    expect(toggle).toBeChecked();
    await user.click(toggle);
    expect(mocked.updatesSetCheckOnLaunch).toHaveBeenCalledWith(false);
    expect(await screen.findByRole("checkbox", { name: "Check for updates when Switchboard starts" })).not.toBeChecked();
  });

  it("checks for updates and offers to install a newer version", async () => {
    mocked.updatesSettings.mockResolvedValue({ status: "ok", data: settings() });
    mocked.updatesCheck.mockResolvedValue({
      status: "ok",
      data: { checkedAt: "2026-12-04T12:00:00Z", available: { version: "0.2.0", notes: "Faster lists", date: null } },
    });
    mocked.updatesInstall.mockResolvedValue({ status: "ok", data: null });
    const user = userEvent.setup();
    renderWithQuery(<About />);
    await user.click(screen.getByRole("button", { name: "About Switchboard" }));
    await user.click(await screen.findByRole("button", { name: "Check for updates" }));
    expect(await screen.findByRole("status")).toHaveTextContent("Version 0.2.0 is available.");
    expect(screen.getByText("Faster lists")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Install and restart" }));
    expect(mocked.updatesInstall).toHaveBeenCalledTimes(1);
  });

  it("says when it is up to date, and why a check failed", async () => {
    mocked.updatesSettings.mockResolvedValue({ status: "ok", data: settings() });
    mocked.updatesCheck.mockResolvedValueOnce({
      status: "error",
      error: { code: "failed", message: "Could not check for updates: offline.", fields: [], provider: null },
    });
    mocked.updatesCheck.mockResolvedValueOnce({ status: "ok", data: { checkedAt: "2026-12-04T12:00:00Z", available: null } });
    const user = userEvent.setup();
    renderWithQuery(<About />);
    await user.click(screen.getByRole("button", { name: "About Switchboard" }));
    await user.click(await screen.findByRole("button", { name: "Check for updates" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Could not check for updates: offline.");
    await user.click(screen.getByRole("button", { name: "Check for updates" }));
    expect(await screen.findByRole("status")).toHaveTextContent("Switchboard is up to date.");
  });

  it("cannot check when the environment turned updates off", async () => {
    mocked.updatesSettings.mockResolvedValue({ status: "ok", data: settings({ disabledByEnvironment: true }) });
    const user = userEvent.setup();
    renderWithQuery(<About />);
    await user.click(screen.getByRole("button", { name: "About Switchboard" }));
    expect(await screen.findByTestId("updates-disabled")).toHaveTextContent("SWITCHBOARD_UPDATES=off");
    expect(screen.getByRole("button", { name: "Check for updates" })).toBeDisabled();
    expect(mocked.updatesCheck).not.toHaveBeenCalled();
  });
});
