// End to end, offline (issue 11 §5): the Numbers tab lists the sandbox's numbers; the sandbox is
// killed; Refresh keeps the numbers listed and says how old they are and why they could not be
// refreshed. The same for importing the message history (see app.test.mjs for the setup run.sh
// provides).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { test } from "node:test";

import { clickTab, startSandbox, openConnector } from "./helpers.mjs";
import { Session } from "./webdriver.mjs";

const { WEBDRIVER_URL, APP_BINARY, CLI_BINARY } = process.env;
const SCREENSHOTS = process.env.E2E_SCREENSHOTS ?? "/tmp";
const ORG = "Lighthouse Inn";
const CONNECTOR = "Lighthouse SMS";

test("a provider that goes away leaves the numbers listed with their age and the reason", async (t) => {
  const { child, start } = await startSandbox();
  t.after(() => child.kill());
  execFileSync(CLI_BINARY, ["org", "add", ORG]);
  execFileSync(
    CLI_BINARY,
    ["connector", "add", "--org", ORG, "--kind", "sms", "--provider", "twilio", "--name", CONNECTOR,
      "--from", "+14155550101", "--account-sid", start.twilio.account_sid, "--base-url", `${start.url}/twilio`,
      "--secret-stdin"],
    { input: `${start.twilio.auth_token}\n` },
  );

  const session = await Session.start(WEBDRIVER_URL, APP_BINARY);
  try {
    await session.waitFor(() => session.button(ORG), "the organization in the sidebar");
    await (await session.button(ORG)).click();
    await (await session.waitForCss(`button[aria-label="Numbers of ${CONNECTOR}"]`)).click();
    await session.waitFor(() => session.button("Fetch numbers"), "the Fetch numbers button");
    await (await session.button("Fetch numbers")).click();
    const rows = async () => (await session.findAll('[data-testid="number-row"]')).length;
    await session.waitFor(async () => (await rows()) === 5, "five numbers");
    assert.equal((await session.findAll('[data-testid="stale-notice"]')).length, 0, "fresh: no notice");

    child.kill();
    await once(child, "exit");
    await (await session.button("Refresh")).click();
    const notice = await session.waitForCss('[data-testid="stale-notice"]', 30000).catch(async (error) => {
      await session.screenshot(join(SCREENSHOTS, "switchboard-e2e-offline-failure.png"));
      throw error;
    });
    const said = await notice.textContent();
    assert.match(said, /Showing the last known state from (just now|1 minute ago)/);
    assert.match(said, /Twilio could not be reached/);
    assert.match(said, /the numbers could not be refreshed/);
    assert.equal(await rows(), 5, "the numbers stay listed");
    await session.screenshot(join(SCREENSHOTS, "switchboard-e2e-offline.png"));
  } finally {
    await session.end();
  }
});

test("importing the history with the provider gone keeps the imported messages and says how old they are", async (t) => {
  const org = "Lighthouse Annex";
  const connector = "Annex SMS";
  const { child, start } = await startSandbox();
  t.after(() => child.kill());
  execFileSync(CLI_BINARY, ["org", "add", org]);
  execFileSync(
    CLI_BINARY,
    ["connector", "add", "--org", org, "--kind", "sms", "--provider", "twilio", "--name", connector,
      "--from", "+14155550101", "--account-sid", start.twilio.account_sid, "--base-url", `${start.url}/twilio`,
      "--secret-stdin"],
    { input: `${start.twilio.auth_token}\n` },
  );

  const session = await Session.start(WEBDRIVER_URL, APP_BINARY);
  try {
    await openConnector(session, org, connector);
    await clickTab(session, "Messages");
    await (await session.waitFor(() => session.button("Import history"), "the Import history button")).click();
    await session.waitForCss('[data-testid="sync-report"]', 30000);
    assert.equal((await session.findAll('[data-testid="stale-notice"]')).length, 0, "fresh: no notice");

    child.kill();
    await once(child, "exit");
    await (await session.button("Import history")).click();
    const notice = await session.waitForCss('[data-testid="stale-notice"]', 30000).catch(async (error) => {
      await session.screenshot(join(SCREENSHOTS, "switchboard-e2e-offline-history-failure.png"));
      throw error;
    });
    const said = await notice.textContent();
    assert.match(said, /Showing the last known state from (just now|1 minute ago)/);
    assert.match(said, /Twilio could not be reached/);
    assert.match(said, /the message history could not be refreshed/);
    assert.equal((await session.findAll('[data-testid="sync-report"]')).length, 0, "no import reported");
  } finally {
    await session.end();
  }
});
