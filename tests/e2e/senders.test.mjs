// End to end: a WhatsApp sender registered in the real app, verified with the code WhatsApp
// "sent" (the sandbox's admin API tells it), followed to ONLINE, then its webhook set.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";

import { clickTab, openConnector, rememberWebhookOf, startSandbox } from "./helpers.mjs";
import { Session } from "./webdriver.mjs";

const { WEBDRIVER_URL, APP_BINARY, CLI_BINARY } = process.env;
const SCREENSHOTS = process.env.E2E_SCREENSHOTS ?? "/tmp";
const ORG = "Seaside Hotel";
const CONNECTOR = "Seaside WhatsApp";
const NUMBER = "+46701112233";

async function verificationCode(start, sender) {
  const response = await fetch(`${start.url}/_sandbox/verification-codes`, {
    headers: { Authorization: `Bearer ${start.admin_token}` },
  });
  assert.ok(response.ok, `verification codes: HTTP ${response.status}`);
  return (await response.json())[sender];
}

async function rowText(session, css) {
  const rows = await session.findAll(css);
  return rows.length ? rows[0].textContent() : "";
}

test("register a WhatsApp sender, verify it with its code, see it ONLINE, then set its webhook", async (t) => {
  const { child, start } = await startSandbox();
  t.after(() => child.kill());
  execFileSync(CLI_BINARY, ["org", "add", ORG, "--inbound-base-url", "https://hooks.seaside.example"]);
  const added = execFileSync(
    CLI_BINARY,
    ["--json", "connector", "add", "--org", ORG, "--kind", "whatsapp", "--provider", "twilio", "--name", CONNECTOR,
      "--account-sid", start.twilio.account_sid, "--from", "+14155550101", "--base-url", `${start.url}/twilio`,
      "--secret-stdin"],
    { input: `${start.twilio.auth_token}\n` },
  );
  // (By id: another E2E file may have a connector of the same name.)
  assert.ok(rememberWebhookOf(JSON.parse(added).id), "the connector has an inbound URL");

  const session = await Session.start(WEBDRIVER_URL, APP_BINARY);
  try {
    await openConnector(session, ORG, CONNECTOR);
    await clickTab(session, "WhatsApp senders");

    await (await session.waitFor(() => session.button("Register a sender"), "Register a sender")).click();
    await (await session.waitForCss('input[name="sender"]')).type(NUMBER);
    await (await session.find('input[name="profile.name"]')).type("Seaside Hotel");
    await (await session.button("Register sender")).click();

    // Not one of the account's own numbers: WhatsApp sends it a code, and the app asks for it.
    const codeInput = await session.waitForCss('input[name="code"]', 20000).catch(async (error) => {
      await session.screenshot(join(SCREENSHOTS, "switchboard-e2e-senders-failure.png"));
      throw error;
    });
    const code = await verificationCode(start, `whatsapp:${NUMBER}`);
    assert.match(code ?? "", /^\d{6}$/, "the sandbox holds a code for the new sender");
    await codeInput.type(code);
    await (await session.button("Verify")).click();

    const row = `[data-testid="sender-row"][data-e164="${NUMBER}"]`;
    await session.waitFor(
      async () => (await rowText(session, `${row} [data-testid="sender-status"]`)) === "ONLINE",
      "the sender ONLINE, followed live",
      30000,
    ).catch(async (error) => {
      await session.screenshot(join(SCREENSHOTS, "switchboard-e2e-senders-failure.png"));
      throw new Error(`${error.message}; row: ${await rowText(session, row)}`);
    });
    await session.screenshot(join(SCREENSHOTS, "switchboard-e2e-senders.png"));

    // Its webhook, from the Numbers tab: fetch, activate, set, read back.
    await clickTab(session, "Numbers");
    const fetchButton = await session.waitFor(
      async () =>
        (await session.button("Fetch numbers").catch(() => null)) ?? (await session.button("Refresh").catch(() => null)),
      "the Fetch / Refresh button",
    );
    await fetchButton.click();
    const use = await session.waitForCss(`input[aria-label="Use ${NUMBER}"]`, 20000);
    await use.click();
    await (await session.button("Save")).click();
    await session.waitFor(async () => {
      const button = await session.find(`button[aria-label="Set webhook on ${NUMBER}"]`);
      return (await button.property("disabled")) === false ? button : null;
    }, "Set webhook enabled once active").then((button) => button.click());
    await session.waitFor(
      async () => (await rowText(session, `[data-testid="number-row"][data-e164="${NUMBER}"]`)).includes("Webhook configured"),
      "Webhook configured on the new sender",
    );
  } finally {
    await session.end();
  }

  const senders = JSON.parse(execFileSync(CLI_BINARY, ["--json", "senders", "list", CONNECTOR], { encoding: "utf8" }));
  const registered = senders.find((s) => s.e164 === NUMBER);
  assert.equal(registered?.status, "ONLINE");
  assert.ok(registered.webhook.callbackUrl?.startsWith("https://hooks.seaside.example/inbound/"), JSON.stringify(registered.webhook));
});
