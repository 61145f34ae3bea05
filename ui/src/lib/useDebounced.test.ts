import { act, renderHook } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { useDebounced } from "./useDebounced";

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

/** Renders the hook and records the value it returns on every render. */
function track(delayMs: number) {
  const seen: string[] = [];
  const hook = renderHook(
    ({ value }) => {
      const settled = useDebounced(value, delayMs);
      seen.push(settled);
      return settled;
    },
    { initialProps: { value: "a" } },
  );
  return { ...hook, seen, changes: () => seen.filter((v, i) => i === 0 || v !== seen[i - 1]) };
}

describe("useDebounced", () => {
  it("gives a new value only once it has stood still for the whole delay", () => {
    const { result, rerender, changes } = track(300);
    rerender({ value: "ab" });
    act(() => vi.advanceTimersByTime(299));
    expect(result.current).toBe("a");
    rerender({ value: "abc" }); // a change restarts the wait
    act(() => vi.advanceTimersByTime(299));
    expect(result.current).toBe("a");
    act(() => vi.advanceTimersByTime(1));
    expect(result.current).toBe("abc");
    // One change for the whole burst: "ab" was never given out.
    expect(changes()).toEqual(["a", "abc"]);
    act(() => vi.advanceTimersByTime(10_000));
    expect(changes()).toEqual(["a", "abc"]);
  });

  it("gives every value that stood still for the delay, in order", () => {
    const { result, rerender, changes } = track(300);
    rerender({ value: "b" });
    act(() => vi.advanceTimersByTime(300));
    expect(result.current).toBe("b");
    rerender({ value: "c" });
    act(() => vi.advanceTimersByTime(300));
    expect(result.current).toBe("c");
    expect(changes()).toEqual(["a", "b", "c"]);
  });

  it("leaves no timer behind once unmounted", () => {
    const { rerender, unmount } = track(300);
    rerender({ value: "b" });
    expect(vi.getTimerCount()).toBe(1);
    unmount();
    expect(vi.getTimerCount()).toBe(0);
  });
});
