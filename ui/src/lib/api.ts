// Unwraps the generated bindings' results: data, or a typed failure the UI can branch on.
import type { CommandError, ErrorCode, FieldError } from "../bindings";

export class CommandFailure extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldError[];

  constructor(error: CommandError) {
    super(error.message);
    this.name = "CommandFailure";
    this.code = error.code;
    this.fields = error.fields ?? [];
  }
}

type Result<T> = { status: "ok"; data: T } | { status: "error"; error: CommandError };

/** Awaits a bindings call and returns its data, or throws a `CommandFailure`. */
export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await call;
  } catch (error) {
    // Errors the backend did not type (IPC failure, a panic) still reach the user in plain words.
    const message = error instanceof Error ? error.message : String(error);
    throw new CommandFailure({
      code: "not_ready",
      message: `Switchboard's backend did not answer (${message}). Restart the app; if it happens again, report it.`,
      fields: [],
    });
  }
  if (result.status === "error") throw new CommandFailure(result.error);
  return result.data;
}

/** Field errors keyed by field path. */
export function byField(errors: FieldError[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const { field, message } of errors) map[field] ??= message;
  return map;
}

export function failureMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return "Something went wrong. Try again; if it keeps happening, restart the app.";
}
