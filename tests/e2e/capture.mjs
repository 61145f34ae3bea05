// What the E2E run keeps for the secret scan that run.sh runs after every test (secret-scan.mjs):
// the IPC answers and pushed messages the recorder saw in the app's webview, and every secret and
// token the tests used, each registered where it is created or typed. Both are files in the run's
// scratch dir (E2E_CAPTURE_DIR, set by run.sh), one JSON object a line.
import { appendFileSync, mkdirSync } from "node:fs";
import { basename, join } from "node:path";

export const IPC_FILE = "ipc.jsonl";
export const SECRETS_FILE = "secrets.jsonl";

function captureDir() {
  const dir = process.env.E2E_CAPTURE_DIR;
  if (!dir) throw new Error("E2E_CAPTURE_DIR must be set: run the E2E tests through tests/e2e/run.sh");
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The test file that is running, to say where a record came from. */
function origin() {
  return basename(process.argv[1] ?? "?");
}

/**
 * Registers a secret the tests use (an auth token, an API key, a password, the sandbox's admin
 * token) for the scan: it must appear in no captured IPC answer or message, no file of the data
 * dir, no log, no export. `users` are the names it is sent with in Basic auth (an Account SID, a
 * login), so the scan also looks for the base64 of `user:secret`. Returns `value`.
 */
export function rememberSecret(label, value, { users = [] } = {}) {
  if (typeof value !== "string" || value.length < 6) {
    throw new Error(`rememberSecret(${label}): a secret must be a string of at least 6 characters`);
  }
  appendFileSync(
    join(captureDir(), SECRETS_FILE),
    `${JSON.stringify({ kind: "secret", label: `${label} (${origin()})`, value, users })}\n`,
  );
  return value;
}

/**
 * Registers the token of a connector's inbound webhook URL (…/inbound/<connector>/<token>). Like
 * the IPC-level scan (src-tauri/src/ipc_secret_scan_tests.rs), the scan allows it in the database
 * (which checks inbound requests against it) and in command answers (the UI shows the URL to
 * copy), nowhere else. Returns the token.
 */
export function rememberWebhookUrl(label, url) {
  const match = /\/inbound\/[^/]+\/([^/?#]+)$/.exec(url ?? "");
  if (!match) throw new Error(`rememberWebhookUrl(${label}): not an inbound webhook URL: ${url}`);
  appendFileSync(
    join(captureDir(), SECRETS_FILE),
    `${JSON.stringify({ kind: "webhook-token", label: `${label} (${origin()})`, value: match[1] })}\n`,
  );
  return match[1];
}

/** Appends what the recorder handed over to the capture file. */
export function appendIpc(records) {
  if (!records.length) return;
  const from = origin();
  appendFileSync(
    join(captureDir(), IPC_FILE),
    records.map((record) => `${JSON.stringify({ ...record, from })}\n`).join(""),
  );
}
