// End to end: the real Switchboard window (WebKitGTK) driven over WebDriver through tauri-driver,
// with a temporary data dir and a private keychain. `tests/e2e/run.sh` provides all of that.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { startSandbox } from "./helpers.mjs";
import { Session } from "./webdriver.mjs";

const { WEBDRIVER_URL, APP_BINARY, CLI_BINARY, SWITCHBOARD_DATA_DIR, SWITCHBOARD_KEYRING_NAMESPACE } =
  process.env;
for (const [name, value] of Object.entries({ WEBDRIVER_URL, APP_BINARY, CLI_BINARY, SWITCHBOARD_DATA_DIR })) {
  assert.ok(value, `${name} must be set: run this through tests/e2e/run.sh`);
}
const SERVICE = `app.switchboard.admin.${SWITCHBOARD_KEYRING_NAMESPACE}`;
const SCREENSHOTS = process.env.E2E_SCREENSHOTS ?? "/tmp";

function databaseBytes() {
  return ["", "-wal", "-shm"]
    .map((suffix) => {
      try {
        return readFileSync(join(SWITCHBOARD_DATA_DIR, `switchboard.db${suffix}`));
      } catch {
        return Buffer.alloc(0);
      }
    })
    .reduce((all, part) => Buffer.concat([all, part]));
}

function connectorsFromCli() {
  return JSON.parse(execFileSync(CLI_BINARY, ["--json", "connector", "list"], { encoding: "utf8" }));
}

async function connectorNames(session) {
  const rows = await session.findAll('[data-testid="connector-row"]');
  return Promise.all(rows.map((row) => row.textContent()));
}

test("Add Connector → WhatsApp → Twilio against the sandbox: created, opened and checked Active, relaunch, still there; the token only in the keychain", async (t) => {
  const { child, start } = await startSandbox();
  t.after(() => child.kill());
  const TOKEN = start.twilio.auth_token;
  let session = await Session.start(WEBDRIVER_URL, APP_BINARY);
  try {
    const orgName = await session.waitForCss('input[name="org.name"]');
    await orgName.type("Grand Hotel");
    await (await session.button("Create organization")).click();

    // The wizard of seeds 000–002: the type, the provider (Twilio is WhatsApp's only one, chosen
    // already), Continue, the form.
    await session.waitFor(() => session.button("Add Connector"), "the Add Connector button");
    await (await session.button("Add Connector")).click();
    await (await session.waitForCss('input[name="connector-kind"][value="whatsapp"]')).click();
    await (await session.button("Continue")).click();
    const twilio = await session.waitForCss('input[name="connector-provider"][value="twilio"]');
    assert.equal(await twilio.property("checked"), true, "a type with one provider has it chosen");
    await (await session.button("Continue")).click();
    await (await session.waitForCss('input[name="name"]')).type("Front desk WhatsApp");
    const sid = await session.find('input[name="settings.accountSid"]');
    await sid.type("AC123");
    await (await session.find('input[name="secret"]')).type(TOKEN);
    // Seeds 000 and 002: From is required; the sandbox account's number with its WhatsApp sender.
    await (await session.find('input[name="settings.from"]')).type("+1 415 555 0101");

    const fieldError = await session.waitForCss('[data-field-error="settings.accountSid"]');
    assert.match(await fieldError.text(), /AC/);
    await session.screenshot(join(SCREENSHOTS, "switchboard-e2e-field-error.png"));

    // Replace what was typed; under load a clear can race React's re-render, so check the value took.
    await session.waitFor(async () => {
      await sid.clear();
      await sid.type(start.twilio.account_sid);
      return (await sid.property("value")) === start.twilio.account_sid;
    }, "the good Account SID in its field");
    await (await session.find("details.advanced > summary")).click();
    await (await session.waitForCss('input[name="settings.baseUrl"]')).type(`${start.url}/twilio`);
    await session.waitFor(
      async () => (await session.findAll('[data-field-error="settings.accountSid"]')).length === 0,
      "the field error to go away",
    ).catch(async (error) => {
      await session.screenshot(join(SCREENSHOTS, "switchboard-e2e-failure.png"));
      const shown = await Promise.all((await session.findAll("[data-field-error]")).map((e) => e.textContent()));
      throw new Error(`${error.message}; Account SID field: ${await sid.property("value")}; errors: ${shown.join(" | ")}`);
    });
    await (await session.button("Create connector")).click();
    // Creating lands on the new connector's page, checked against the sandbox: Active.
    const opened = async () => {
      const title = await (await session.find("#connector-title")).textContent();
      const badges = await (await session.find('[data-testid="connector-badges"]')).textContent();
      return title === "Front desk WhatsApp" && badges.includes("Active") ? badges : null;
    };
    await session.waitFor(opened, "the new connector's page, checked against the sandbox: Active").catch(async (error) => {
      await session.screenshot(join(SCREENSHOTS, "switchboard-e2e-failure.png"));
      throw error;
    });
    await session.screenshot(join(SCREENSHOTS, "switchboard-e2e-created.png"));
    // And listed on the organization's page.
    await (await session.button("Grand Hotel")).click();
    await session.waitFor(
      async () => (await connectorNames(session)).some((t) => t.includes("Front desk WhatsApp") && t.includes("Active")),
      "the connector in the list: Active",
    ).catch(async (error) => {
      await session.screenshot(join(SCREENSHOTS, "switchboard-e2e-failure.png"));
      throw new Error(`${error.message}; rows: ${(await connectorNames(session)).join(" | ")}`);
    });
    await session.screenshot(join(SCREENSHOTS, "switchboard-e2e-listed.png"));
  } finally {
    await session.end();
  }

  // Relaunch the app on the same data dir: the connector is still there.
  session = await Session.start(WEBDRIVER_URL, APP_BINARY);
  try {
    const names = await session.waitFor(async () => {
      const found = await connectorNames(session);
      return found.length > 0 ? found : null;
    }, "the connector list after a relaunch");
    assert.ok(names.some((t) => t.includes("Front desk WhatsApp")), names.join(", "));
  } finally {
    await session.end();
  }

  const [connector] = connectorsFromCli();
  assert.equal(connector.name, "Front desk WhatsApp");
  assert.equal(connector.hasSecret, true);
  assert.equal(connector.settings.from, "+14155550101", "the From as typed, in E.164");
  const stored = execFileSync("secret-tool", ["lookup", "service", SERVICE, "username", `connector/${connector.id}`], {
    encoding: "utf8",
  });
  assert.equal(stored, TOKEN, "the token is in the keychain");
  const bytes = databaseBytes();
  assert.ok(bytes.includes("Front desk WhatsApp"), "the scan reads the real database");
  assert.ok(!bytes.includes(TOKEN), "the token is not in SQLite or its WAL");
});
