// End to end: "Try the sandbox" on first run, in the real app (see app.test.mjs for the setup).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";

import { Session } from "./webdriver.mjs";
import { openConnectorLink, rememberDemoSecrets } from "./helpers.mjs";

const { WEBDRIVER_URL, APP_BINARY, CLI_BINARY } = process.env;
const SCREENSHOTS = process.env.E2E_SCREENSHOTS ?? "/tmp";
const DEMO = ["WhatsApp (Twilio)", "SMS (Twilio)", "SMS (Telnyx)", "SMS (46elks)"];

const cli = (...args) => execFileSync(CLI_BINARY, ["--json", ...args], { encoding: "utf8" });

async function rows(session) {
  const found = await session.findAll('[data-testid="connector-row"]');
  return Promise.all(found.map((row) => row.textContent()));
}

/** Each connector row as the screen shows it: name, state badge, when it was last checked. */
function rowStates(session) {
  return session.execute(`return [...document.querySelectorAll('[data-testid="connector-row"]')].map((row) => ({
    name: row.querySelector(".connector-name")?.textContent ?? "",
    state: row.querySelector(".badge")?.textContent ?? "",
    checkedAt: row.querySelector("time")?.getAttribute("datetime") ?? null,
    text: row.textContent,
  }));`);
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
  rememberDemoSecrets(demo);

  // Relaunch: the sandbox comes back with the same credentials; checking again stays Active.
  session = await Session.start(WEBDRIVER_URL, APP_BINARY);
  try {
    await session.waitFor(() => session.button("Sandbox demo"), "the demo organization in the sidebar");
    await (await session.button("Sandbox demo")).click();
    await session.waitFor(() => allDemoActive(session), "the demo connectors after a relaunch");
    // Check each demo connector again from its row; the row then shows a later check, and Active.
    for (const name of DEMO) {
      const before = (await rowStates(session)).find((row) => row.name === name);
      assert.ok(before?.checkedAt, `${name} shows when it was last checked: ${before?.text}`);
      await (await session.find(`button[aria-label="Check again: ${name}"]`)).click();
      const after = await session.waitFor(async () => {
        const row = (await rowStates(session)).find((r) => r.name === name);
        return row?.checkedAt && Date.parse(row.checkedAt) > Date.parse(before.checkedAt) ? row : null;
      }, `${name} checked again`).catch(async (error) => {
        await session.screenshot(join(SCREENSHOTS, "switchboard-e2e-sandbox-failure.png"));
        throw error;
      });
      assert.equal(after.state, "Active · Connected", after.text);
    }
    const states = await rowStates(session);
    assert.deepEqual(
      DEMO.map((name) => states.find((row) => row.name === name)?.state),
      DEMO.map(() => "Active · Connected"),
    );
  } finally {
    await session.end();
  }

  // The connector's own page: opened from the sidebar, its tab kept across a relaunch.
  session = await Session.start(WEBDRIVER_URL, APP_BINARY);
  try {
    await session.waitFor(() => session.button("Sandbox demo"), "the demo organization in the sidebar");
    await openConnectorLink(session, DEMO[0]);
    await session.waitFor(async () => (await (await session.find("#connector-title")).textContent()) === DEMO[0], "its page");
    const badges = await (await session.find('[data-testid="connector-badges"]')).textContent();
    assert.match(badges, /Active/);
    assert.match(badges, /Connected/);
    for (const tab of await session.findAll('[role="tab"]')) if ((await tab.textContent()) === "Settings") await tab.click();
    await session.waitForCss('input[name="name"]');
  } finally {
    await session.end();
  }
  session = await Session.start(WEBDRIVER_URL, APP_BINARY);
  try {
    const selected = await session.waitForCss('[role="tab"][aria-selected="true"]');
    assert.equal(await selected.textContent(), "Settings", "a relaunch opens the tab the user left");
    assert.equal(await (await session.find("#connector-title")).textContent(), DEMO[0]);
  } finally {
    await session.end();
  }
});
