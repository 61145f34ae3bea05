// Fixtures for offline tests (issue 11 §5): a provider out of reach.
import type { CommandError, Freshness_Serialize, ProviderFailure_Serialize } from "../bindings";

export const UNREACHABLE: ProviderFailure_Serialize = {
  provider: "twilio",
  kind: "UNREACHABLE",
  message: "GET /2010-04-01/Accounts/AC1/IncomingPhoneNumbers.json (127.0.0.1:9): tcp connect error",
  cause: "The provider could not be reached: nothing answered at its address (connection refused).",
  fix: "Check the internet connection and the connector's API address, then try again.",
};

/** The last known state, read `minutesAgo` before `now`. */
export function staleSince(minutesAgo: number, now = Date.now()): Freshness_Serialize {
  return { asOf: new Date(now - minutesAgo * 60_000).toISOString(), stale: true, failure: UNREACHABLE };
}

/** A command that failed because the provider could not be reached. */
export function unreachable() {
  const error: CommandError = {
    code: "UNREACHABLE",
    message: "The provider could not be reached. (connection refused) Check the internet connection.",
    fields: [],
    provider: UNREACHABLE,
  };
  return Promise.resolve({ status: "error" as const, error });
}
