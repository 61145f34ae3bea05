import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { commands } from "../../bindings";
import { renderWithQuery } from "../../test/render";
import { LeaveSandbox } from "./LeaveSandbox";

vi.mock("../../bindings", () => ({ commands: { sandboxLeave: vi.fn() } }));

const mocked = vi.mocked(commands);

beforeEach(() => {
  vi.resetAllMocks();
});

describe("LeaveSandbox", () => {
  it("asks first, then leaves the sandbox", async () => {
    mocked.sandboxLeave.mockResolvedValue({ status: "ok", data: null });
    const user = userEvent.setup();
    renderWithQuery(<LeaveSandbox sandboxUrl="http://127.0.0.1:4010" />);
    expect(screen.getByText("Sandbox running at http://127.0.0.1:4010")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Leave the sandbox" }));
    expect(mocked.sandboxLeave).not.toHaveBeenCalled();
    expect(screen.getByRole("group", { name: "Leave the sandbox?" })).toHaveTextContent(
      "removes the organization “Sandbox demo”",
    );
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("group")).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Leave the sandbox" }));
    await user.click(screen.getByRole("button", { name: "Remove the demo and leave" }));
    expect(mocked.sandboxLeave).toHaveBeenCalledTimes(1);
  });

  it("says why leaving failed", async () => {
    mocked.sandboxLeave.mockResolvedValue({
      status: "error",
      error: { code: "keychain_refused", message: "The system keychain refused the operation", fields: [] },
    });
    const user = userEvent.setup();
    renderWithQuery(<LeaveSandbox sandboxUrl="http://127.0.0.1:4010" />);
    await user.click(screen.getByRole("button", { name: "Leave the sandbox" }));
    await user.click(screen.getByRole("button", { name: "Remove the demo and leave" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Could not leave the sandbox: The system keychain refused the operation",
    );
  });
});
