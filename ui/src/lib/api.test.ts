import { describe, expect, it } from "vitest";

import { byField, CommandFailure, unwrap } from "./api";

describe("unwrap", () => {
  it("returns the data of an ok result", async () => {
    await expect(unwrap(Promise.resolve({ status: "ok" as const, data: 42 }))).resolves.toBe(42);
  });

  it("throws a typed failure with code and fields", async () => {
    const call = Promise.resolve({
      status: "error" as const,
      error: { code: "validation" as const, message: "bad", fields: [{ field: "name", message: "Give it a name" }] },
    });
    const failure = await unwrap(call).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CommandFailure);
    expect((failure as CommandFailure).code).toBe("validation");
    expect(byField((failure as CommandFailure).fields)).toEqual({ name: "Give it a name" });
  });

  it("turns an untyped rejection into a plain-language failure", async () => {
    const failure = await unwrap(Promise.reject(new Error("ipc down"))).catch((e: unknown) => e);
    expect((failure as CommandFailure).message).toMatch(/did not answer.*Restart/);
  });
});
