// End to end: numbers, webhooks and channels in the real app against the sandbox
// (see app.test.mjs for the setup run.sh provides).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";

import { rememberWebhookOf, startSandbox } from "./helpers.mjs";
import { Session } from "./webdriver.mjs";

const { WEBDRIVER_URL, APP_BINARY, CLI_BINARY } = process.env;
const SCREENSHOTS = process.env.E2E_SCREENSHOTS ?? "/tmp";
const ORG = "Harbour Hotel";
const CONNECTOR = "Harbour SMS";

async function row(session, e164) {
  return session.find(`[data-testid="number-row"][data-e164="${e164}"]`);
}

async function rowText(session, e164) {
  return (await row(session, e164)).textContent();
}

test("activate two numbers, set their webhook, bind one to an agent; the other agent sees it Already bound", async (t) => {
  const { child, start } = await startSandbox();
  t.after(() => child.kill());
  execFileSync(CLI_BINARY, ["org", "add", ORG, "--inbound-base-url", "https://hooks.harbour.example"]);
  const added = execFileSync(
    CLI_BINARY,
    ["--json", "connector", "add", "--org", ORG, "--kind", "sms", "--provider", "twilio", "--name", CONNECTOR,
      "--account-sid", start.twilio.account_sid, "--from", "+14155550101", "--base-url", `${start.url}/twilio`,
      "--secret-stdin"],
    { input: `${start.twilio.auth_token}\n` },
  );
  // (By id: another E2E file may have a connector of the same name.)
  assert.ok(rememberWebhookOf(JSON.parse(added).id), "the connector has an inbound URL");

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

    // Back from the connector's page to the organization, where its agents are.
    await (await session.button(ORG)).click();
    for (const name of ["Front desk", "Night porter"]) {
      const input = await session.waitForCss('input[name="agent.name"]');
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
    // Pick, then Save (seed 001): picking alone binds nothing.
    await (await session.find('[data-testid="channel-choice"][data-e164="+14155550101"] input[type="radio"]')).click();
    const agentRows = async () => Promise.all((await session.findAll('[data-testid="agent-row"]')).map((r) => r.textContent()));
    assert.ok(!(await agentRows()).some((text) => text.includes("+14155550101 via")), "nothing is bound before Save");
    await (await session.find('[data-testid="add-channel"] button[type="submit"]')).click();
    await session.waitFor(
      async () => (await agentRows()).some((text) => text.startsWith("Front desk") && text.includes("+14155550101 via")),
      "the channel listed under Front desk",
    );

    // Night porter is offered the number bound to Front desk, says so, and cannot take it.
    await (await session.find('button[aria-label="Add channel to Night porter"]')).click();
    await (await session.waitForCss('select[name="channel.connector"]')).choose(value);
    const choice = await session.waitForCss('[data-testid="channel-choice"][data-e164="+14155550101"]');
    const reason = await choice.textContent();
    assert.match(reason, /Already bound/);
    assert.match(reason, /to Front desk/);
    const boundRadio = await choice.find('input[type="radio"]');
    assert.equal(await boundRadio.property("disabled"), true, "the bound number cannot be picked");
    // Click it anyway: a disabled input takes no click (a driver may also refuse it outright).
    await boundRadio.click().catch((error) => {
      if (!/not interactable|intercepted|invalid element state/i.test(error.message)) throw error;
    });
    assert.equal(await boundRadio.property("checked"), false, "the bound number stays unpicked");
    const save = await session.find('[data-testid="add-channel"] button[type="submit"]');
    assert.equal(await save.property("disabled"), true, "Save stays disabled with nothing picked");
    await session.staysTrue(async () => {
      const night = (await agentRows()).find((text) => text.startsWith("Night porter")) ?? "";
      return (await session.findAll('[data-testid="add-channel"]')).length === 1 && !night.includes("+14155550101 via");
    }, "nothing bound to Night porter");
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
