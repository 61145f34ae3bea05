import { describe, expect, it } from "vitest";

import type { CommandError } from "../bindings";
import { byField, CommandFailure, fieldErrorsOf, unwrap } from "./api";

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

describe("unwrap of errors the bindings could not type", () => {
  it("turns a bare string (an argument Tauri could not decode) into a plain-language failure", async () => {
    const call = Promise.resolve({ status: "error" as const, error: "invalid args `draft`" as unknown as CommandError });
    const failure = await unwrap(call).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CommandFailure);
    expect((failure as CommandFailure).message).toMatch(/invalid args `draft`.*Restart/);
    expect(fieldErrorsOf(failure)).toEqual([]);
  });

  it("keeps the field errors of validation failures only", () => {
    const fields = [{ field: "name", message: "Give it a name" }];
    expect(fieldErrorsOf(new CommandFailure({ code: "validation", message: "bad", fields }))).toEqual(fields);
    expect(fieldErrorsOf(new CommandFailure({ code: "database", message: "bad", fields }))).toEqual([]);
    expect(fieldErrorsOf(new Error("x"))).toEqual([]);
  });
});
