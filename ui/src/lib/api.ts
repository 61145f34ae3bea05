// Unwraps the generated bindings' results: data, or a typed failure the UI can branch on.
import type { CommandError, FailureCode, FieldError, ProviderFailure } from "../bindings";

export class CommandFailure extends Error {
  /** Core's code (`validation`, `not_found`…) or, for a provider failure, its kind (`INVALID_CREDENTIALS`). */
  readonly code: FailureCode;
  readonly fields: FieldError[];
  /** The typed provider failure (cause, fix, provider code and page), when it is one. */
  readonly provider: ProviderFailure | null;

  constructor(error: CommandError) {
    super(error.message);
    this.name = "CommandFailure";
    this.code = error.code;
    this.fields = error.fields ?? [];
    this.provider = error.provider ?? null;
  }
}

type Result<T> = { status: "ok"; data: T } | { status: "error"; error: CommandError };

function isCommandError(value: unknown): value is CommandError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as CommandError).code === "string" &&
    typeof (value as CommandError).message === "string"
  );
}

function untyped(detail: string): CommandFailure {
  return new CommandFailure({
    code: "not_ready",
    message: `Switchboard's backend did not answer (${detail}). Restart the app; if it happens again, report it.`,
    fields: [],
    provider: null,
  });
}

/** Awaits a bindings call and returns its data, or throws a `CommandFailure`. */
export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await call;
  } catch (error) {
    // Errors the backend did not type (IPC failure, a panic) still reach the user in plain words.
    throw untyped(error instanceof Error ? error.message : String(error));
  }
  if (result.status === "ok") return result.data;
  // Tauri rejects arguments it cannot decode with a bare string, which the bindings pass on as is.
  if (!isCommandError(result.error)) throw untyped(String(result.error));
  throw new CommandFailure(result.error);
}

/** Field errors keyed by field path (the first message of each field). */
export function byField(errors: FieldError[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const { field, message } of errors) map[field] ??= message;
  return map;
}

/** The field errors of a failed save, or none when it failed for another reason. */
export function fieldErrorsOf(error: unknown): FieldError[] {
  return error instanceof CommandFailure && error.code === "validation" ? error.fields : [];
}

export function failureMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return "Something went wrong. Try again; if it keeps happening, restart the app.";
}
