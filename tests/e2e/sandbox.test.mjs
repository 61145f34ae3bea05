// End to end: "Try the sandbox" on first run, in the real app (see app.test.mjs for the setup).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";

import { Session } from "./webdriver.mjs";

const { WEBDRIVER_URL, APP_BINARY, CLI_BINARY } = process.env;
const SCREENSHOTS = process.env.E2E_SCREENSHOTS ?? "/tmp";
const DEMO = ["WhatsApp (Twilio)", "SMS (Twilio)", "SMS (Telnyx)", "SMS (46elks)"];

const cli = (...args) => execFileSync(CLI_BINARY, ["--json", ...args], { encoding: "utf8" });

async function rows(session) {
  const found = await session.findAll('[data-testid="connector-row"]');
  return Promise.all(found.map((row) => row.textContent()));
}

async function allDemoActive(session) {
  const texts = await rows(session);
  return DEMO.every((name) => texts.some((t) => t.includes(name) && t.includes("Active"))) ? texts : null;
}

test("first run: Try the sandbox creates a demo organization whose connectors are Active, also after a relaunch", async () => {
  // First run means no connector anywhere: remove what other tests left in this data dir.
  for (const connector of JSON.parse(cli("connector", "list"))) cli("connector", "remove", connector.id);

  let session = await Session.start(WEBDRIVER_URL, APP_BINARY);
  try {
    await session.waitFor(() => session.button("Try the sandbox"), "the Try the sandbox button");
    await (await session.button("Try the sandbox")).click();
    await session.waitFor(() => allDemoActive(session), "four demo connectors, Active", 30000).catch(async (error) => {
      await session.screenshot(join(SCREENSHOTS, "switchboard-e2e-sandbox-failure.png"));
      throw new Error(`${error.message}; rows: ${(await rows(session)).join(" | ")}`);
    });
    const note = await session.waitForCss(".sidebar-note");
    assert.match(await note.textContent(), /^Sandbox running at http:\/\/127\.0\.0\.1:\d+$/);
    await session.screenshot(join(SCREENSHOTS, "switchboard-e2e-sandbox.png"));
  } finally {
    await session.end();
  }

  const demo = JSON.parse(cli("connector", "list")).filter((c) => DEMO.includes(c.name));
  assert.equal(demo.length, 4);
  assert.ok(demo.every((c) => c.hasSecret && c.settings.baseUrl.startsWith("http://127.0.0.1:")));

  // Relaunch: the sandbox comes back with the same credentials; checking again stays Active.
  session = await Session.start(WEBDRIVER_URL, APP_BINARY);
  try {
    await session.waitFor(() => session.button("Sandbox demo"), "the demo organization in the sidebar");
    await (await session.button("Sandbox demo")).click();
    await session.waitFor(() => allDemoActive(session), "the demo connectors after a relaunch");
    const checkedBefore = demo.map((c) => c.checkedAt).sort().at(-1);
    const button = await session.waitFor(async () => {
      for (const candidate of await session.findAll('[data-testid="connector-row"] button'))
        if ((await candidate.text()) === "Check again") return candidate;
      return null;
    }, "a Check again button");
    await button.click();
    const rechecked = await session.waitFor(
      () => JSON.parse(cli("connector", "list")).find((c) => DEMO.includes(c.name) && c.checkedAt > checkedBefore),
      "a demo connector checked again",
    );
    assert.equal(rechecked.state, "active", rechecked.stateReason ?? "");
  } finally {
    await session.end();
  }
});
