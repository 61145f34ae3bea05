// The app as the .deb installed it (/usr/bin/switchboard-app), driven once over WebDriver:
// Try the sandbox → the four demo connectors Active; the installed CLI sees them. Run by
// tests/package/install.sh through tests/e2e/run.sh (Xvfb, D-Bus + gnome-keyring, tauri-driver).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";

import { rememberDemoSecrets } from "../e2e/helpers.mjs";
import { Session } from "../e2e/webdriver.mjs";

const { WEBDRIVER_URL, APP_BINARY, CLI_BINARY } = process.env;
const SCREENSHOTS = process.env.E2E_SCREENSHOTS ?? "/tmp";
const DEMO = ["WhatsApp (Twilio)", "SMS (Twilio)", "SMS (Telnyx)", "SMS (46elks)"];

const cli = (...args) => JSON.parse(execFileSync(CLI_BINARY, ["--json", ...args], { encoding: "utf8" }));

async function demoRows(session) {
  const rows = await session.findAll('[data-testid="connector-row"]');
  return Promise.all(rows.map((row) => row.textContent()));
}

test("the installed app: Try the sandbox gives four Active connectors", async () => {
  assert.ok(APP_BINARY.startsWith("/usr/bin/") && CLI_BINARY.startsWith("/usr/bin/"), "runs the installed binaries");
  assert.deepEqual(cli("connector", "list"), [], "a fresh data folder");

  const session = await Session.start(WEBDRIVER_URL, APP_BINARY);
  try {
    await session.waitFor(() => session.button("Try the sandbox"), "the Try the sandbox button", 30000);
    await (await session.button("Try the sandbox")).click();
    await session
      .waitFor(async () => {
        const texts = await demoRows(session);
        return DEMO.every((name) => texts.some((t) => t.includes(name) && t.includes("Active")));
      }, "four demo connectors, Active", 30000)
      .catch(async (error) => {
        await session.screenshot(join(SCREENSHOTS, "switchboard-package-failure.png"));
        throw new Error(`${error.message}; rows: ${(await demoRows(session)).join(" | ")}`);
      });
  } finally {
    await session.end();
  }

  const connectors = cli("connector", "list");
  const names = connectors.map((c) => c.name).sort();
  assert.deepEqual(names, [...DEMO].sort(), "the installed CLI reads what the installed app wrote");
  // For the secret scan after the run (tests/e2e/run.sh): the demo's secrets, from the keychain.
  rememberDemoSecrets(connectors, CLI_BINARY);
});
