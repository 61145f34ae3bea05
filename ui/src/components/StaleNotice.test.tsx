import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { staleSince } from "../test/offline";
import { StaleNotice } from "./StaleNotice";

afterEach(() => {
  vi.useRealTimers();
});

describe("StaleNotice", () => {
  it("says nothing while the data is fresh", () => {
    const { container } = render(
      <StaleNotice freshness={{ asOf: new Date().toISOString(), stale: false, failure: null }} what="the numbers" onRetry={() => {}} />,
    );
    expect(container).toBeEmptyDOMElement();
  });

  it("says how old the shown state is, what could not be refreshed and why, and the age moves on", () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "Date"] });
    vi.setSystemTime(new Date("2026-11-22T10:12:00Z"));
    render(<StaleNotice freshness={staleSince(12)} what="the numbers" onRetry={() => {}} />);
    const notice = screen.getByTestId("stale-notice");
    expect(notice).toHaveTextContent(
      "Showing the last known state from 12 minutes ago — Twilio could not be reached: nothing answered at its address (connection refused), so the numbers could not be refreshed.",
    );
    expect(notice).toHaveTextContent("Check the internet connection");
    expect(notice).not.toHaveTextContent("tcp connect error");
    act(() => {
      vi.advanceTimersByTime(3 * 60_000);
    });
    expect(notice).toHaveTextContent("from 15 minutes ago");
  });

  it("retries on request", async () => {
    const onRetry = vi.fn();
    render(<StaleNotice freshness={staleSince(2)} what="the senders" onRetry={onRetry} />);
    await userEvent.setup().click(screen.getByRole("button", { name: "Retry" }));
    expect(onRetry).toHaveBeenCalledOnce();
  });
});
