// End to end: numbers, webhooks and channels in the real app against the sandbox
// (see app.test.mjs for the setup run.sh provides).
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { test } from "node:test";

import { Session } from "./webdriver.mjs";

const { WEBDRIVER_URL, APP_BINARY, CLI_BINARY } = process.env;
const SCREENSHOTS = process.env.E2E_SCREENSHOTS ?? "/tmp";
const ORG = "Harbour Hotel";
const CONNECTOR = "Harbour SMS";

async function startSandbox() {
  const child = spawn(CLI_BINARY, ["sandbox"], { stdio: ["ignore", "pipe", "inherit"] });
  const { value } = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next();
  return { child, start: JSON.parse(value) };
}

async function row(session, e164) {
  return session.find(`[data-testid="number-row"][data-e164="${e164}"]`);
}

async function rowText(session, e164) {
  return (await row(session, e164)).textContent();
}

async function clickIn(session, css, text) {
  for (const element of await session.findAll(css)) {
    if ((await element.textContent()).trim() === text) return element.click();
  }
  throw new Error(`no ${css} reading ${text}`);
}

test("activate two numbers, set their webhook, bind one to an agent; the other agent sees it Already bound", async (t) => {
  const { child, start } = await startSandbox();
  t.after(() => child.kill());
  execFileSync(CLI_BINARY, ["org", "add", ORG, "--inbound-base-url", "https://hooks.harbour.example"]);
  execFileSync(
    CLI_BINARY,
    ["connector", "add", "--org", ORG, "--kind", "sms", "--provider", "twilio", "--name", CONNECTOR,
      "--account-sid", start.twilio.account_sid, "--base-url", `${start.url}/twilio`, "--secret-stdin"],
    { input: `${start.twilio.auth_token}\n` },
  );

  const session = await Session.start(WEBDRIVER_URL, APP_BINARY);
  try {
    await session.waitFor(() => session.button(ORG), "the organization in the sidebar");
    await (await session.button(ORG)).click();
    const numbersButton = await session.waitForCss(`button[aria-label="Numbers of ${CONNECTOR}"]`);
    await numbersButton.click();
    await session.waitFor(() => session.button("Fetch numbers"), "the Fetch numbers button");
    await (await session.button("Fetch numbers")).click();
    await session.waitFor(async () => (await session.findAll('[data-testid="number-row"]')).length === 5, "five numbers");

    for (const e164 of ["+14155550101", "+14155550103"]) {
      await (await session.find(`input[aria-label="Use ${e164}"]`)).click();
    }
    await (await session.button("Save")).click();
    for (const e164 of ["+14155550101", "+14155550103"]) {
      await session.waitFor(async () => {
        const button = await session.find(`button[aria-label="Set webhook on ${e164}"]`);
        const disabled = await session.call("GET", `/element/${button.id}/property/disabled`);
        return disabled === false ? button : null;
      }, `Set webhook enabled on ${e164} once active`).then((button) => button.click());
      await session.waitFor(
        async () => (await rowText(session, e164)).includes("Webhook configured"),
        `Webhook configured on ${e164}`,
      ).catch(async (error) => {
        await session.screenshot(join(SCREENSHOTS, "switchboard-e2e-numbers-failure.png"));
        throw new Error(`${error.message}; row: ${await rowText(session, e164)}`);
      });
    }
    assert.match(await rowText(session, "+14155550102"), /Webhook not checked|Webhook not set up in provider/);
    await session.screenshot(join(SCREENSHOTS, "switchboard-e2e-numbers.png"));

    for (const name of ["Front desk", "Night porter"]) {
      const input = await session.find('input[name="agent.name"]');
      await input.type(name);
      await (await session.button("Add agent")).click();
      await session.waitForCss(`button[aria-label="Add channel to ${name}"]`);
    }
    await (await session.find('button[aria-label="Add channel to Front desk"]')).click();
    const connectors = await session.waitForCss('select[name="channel.connector"]');
    const options = await session.findAll('select[name="channel.connector"] option');
    let value = "";
    for (const option of options) if ((await option.textContent()) === CONNECTOR) value = await session.call("GET", `/element/${option.id}/property/value`);
    await connectors.choose(value);
    await session.waitFor(async () => (await session.findAll('[data-testid="channel-choice"]')).length === 2, "two active numbers to choose from");
    await clickIn(session, '[data-testid="channel-choice"] button', "+14155550101");
    await session.waitFor(
      async () => (await Promise.all((await session.findAll('[data-testid="agent-row"]')).map((r) => r.textContent()))).some(
        (text) => text.startsWith("Front desk") && text.includes("+14155550101 via"),
      ),
      "the channel listed under Front desk",
    );

    await (await session.find('button[aria-label="Add channel to Night porter"]')).click();
    await (await session.waitForCss('select[name="channel.connector"]')).choose(value);
    const choice = await session.waitFor(async () => {
      for (const item of await session.findAll('[data-testid="channel-choice"]')) {
        const text = await item.textContent();
        if (text.startsWith("+14155550101")) return text;
      }
      return null;
    }, "the bound number among the choices");
    assert.match(choice, /Already bound/);
    assert.match(choice, /Front desk/);
    await session.screenshot(join(SCREENSHOTS, "switchboard-e2e-channels.png"));
  } finally {
    await session.end();
  }

  const channels = JSON.parse(execFileSync(CLI_BINARY, ["--json", "channel", "list"], { encoding: "utf8" }));
  assert.deepEqual(
    channels.map((c) => [c.agentName, c.e164]),
    [["Front desk", "+14155550101"]],
  );
});
