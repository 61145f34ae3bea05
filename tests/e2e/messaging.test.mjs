// End to end: a test message sent from the real app through the sandbox, followed to Delivered,
// counted by the statistics panel; a refused one lands in the error log, which exports it.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";

import { clickTab, startSandbox, openConnector } from "./helpers.mjs";
import { Session } from "./webdriver.mjs";

const { WEBDRIVER_URL, APP_BINARY, CLI_BINARY } = process.env;
const SCREENSHOTS = process.env.E2E_SCREENSHOTS ?? "/tmp";
const ORG = "Lakeside Hotel";
const CONNECTOR = "Lakeside SMS";

async function send(session, to, text) {
  const toInput = await session.waitForCss('input[name="to"]');
  await toInput.clear();
  await toInput.type(to);
  const body = await session.find('textarea[name="text"]');
  await body.clear();
  await body.type(text);
  // (The tab is a "Send test" button too: click the form's own.)
  await (await session.find('form[aria-label="Send a test message"] button[type="submit"]')).click();
}

async function figure(session, label) {
  return session.execute(
    `for (const f of document.querySelectorAll('[data-testid="stats-figures"] .figure'))
       if (f.querySelector("dt")?.textContent === arguments[0]) return f.querySelector("dd")?.textContent;
     return null;`,
    label,
  );
}

test("send a test message, see it Delivered and counted; a refused one is in the error log", async (t) => {
  const { child, start } = await startSandbox();
  t.after(() => child.kill());
  execFileSync(CLI_BINARY, ["org", "add", ORG]);
  execFileSync(
    CLI_BINARY,
    ["connector", "add", "--org", ORG, "--kind", "sms", "--provider", "twilio", "--name", CONNECTOR,
      "--account-sid", start.twilio.account_sid, "--from", "+14155550101", "--base-url", `${start.url}/twilio`,
      "--to", "+46 70 123 45 67", "--secret-stdin"],
    { input: `${start.twilio.auth_token}\n` },
  );

  const session = await Session.start(WEBDRIVER_URL, APP_BINARY);
  try {
    await openConnector(session, ORG, CONNECTOR);

    await clickTab(session, "Send test");
    await send(session, "+46 70 123 45 67", "Your room is ready");
    await session.waitFor(
      async () => (await (await session.find('[data-testid="attempt-outcome"]')).textContent()) === "Delivered",
      "the test message Delivered, pushed live",
      30000,
    ).catch(async (error) => {
      await session.screenshot(join(SCREENSHOTS, "switchboard-e2e-send-failure.png"));
      throw error;
    });
    await session.screenshot(join(SCREENSHOTS, "switchboard-e2e-send.png"));

    // Twilio's magic number for an invalid recipient: refused at once, with the plain reason.
    await send(session, "+15005550001", "This one cannot go");
    await session.waitFor(
      async () => (await (await session.find('[data-testid="attempt-outcome"]')).textContent()) === "Failed",
      "the refused message Failed",
    );
    const refused = await (await session.find('[data-testid="attempt"]')).textContent();
    assert.match(refused, /INVALID_RECIPIENT/);
    assert.match(refused, /21211/);

    await clickTab(session, "Overview");
    await session.waitFor(async () => (await figure(session, "Total Sent")) === "1", "Total Sent 1 in the panel");
    assert.equal(await figure(session, "Total Fails"), "1");
    assert.equal(await figure(session, "Attempts"), "2");
    assert.equal(await figure(session, "Success Rate"), "50.0 %");
    await session.screenshot(join(SCREENSHOTS, "switchboard-e2e-stats.png"));

    await clickTab(session, "Error logs");
    const row = await session.waitForCss('[data-testid="log-row"]');
    const logged = await row.textContent();
    assert.match(logged, /INVALID_RECIPIENT/);
    assert.match(logged, /\+15005550001/);
  } finally {
    await session.end();
  }

  // The same log, exported as CSV by the CLI the app's Export uses.
  const csv = execFileSync(CLI_BINARY, ["logs", "--connector", CONNECTOR, "--format", "csv"], { encoding: "utf8" });
  assert.match(csv.split("\n")[0], /level/);
  assert.match(csv, /INVALID_RECIPIENT.*\+15005550001|\+15005550001.*INVALID_RECIPIENT/);
});
