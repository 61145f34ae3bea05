// The connector form in the built UI, in Debian's Chromium with the IPC mocked (see harness.mjs).
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { GOOD_SID, GOOD_TOKEN, createOrganization, mockDist, openApp, openConnectorForm, prodDist, start } from "./harness.mjs";

let harness;

before(async () => {
  harness = await start();
});

after(async () => {
  await harness?.close();
});

test("Add Connector → WhatsApp → Twilio: a bad Account SID shows its field error; fixed, the connector is created, opened and listed", async () => {
  const { page, problems } = await openApp(harness);
  await createOrganization(page, "Grand Hotel");
  await openConnectorForm(page, "WhatsApp", "Twilio");
  await page.fill('input[name="name"]', "Front desk WhatsApp");
  await page.fill('input[name="settings.accountSid"]', "AC123");
  const fieldError = page.locator('[data-field-error="settings.accountSid"]');
  await fieldError.waitFor();
  assert.match(await fieldError.innerText(), /starts with AC/);
  assert.equal(await page.getAttribute('input[name="settings.accountSid"]', "aria-invalid"), "true");
  await page.screenshot({ path: process.env.UI_FORM_SCREENSHOT ?? "/tmp/switchboard-ui-form.png" });

  await page.fill('input[name="settings.accountSid"]', GOOD_SID);
  await page.fill('input[name="settings.from"]', "+1 415 555 0101");
  await page.fill('input[name="secret"]', GOOD_TOKEN);
  await fieldError.waitFor({ state: "detached" });
  await page.getByRole("button", { name: "Create connector" }).click();

  // Creating lands on the new connector's page.
  await page.getByRole("heading", { level: 1, name: "Front desk WhatsApp" }).waitFor();
  assert.match(await page.getByTestId("connector-badges").innerText(), /Not checked yet/);
  await page.getByRole("navigation", { name: "Organizations" }).getByRole("button", { name: "Grand Hotel", exact: true }).click();
  const row = page.locator('[data-testid="connector-row"]', { hasText: "Front desk WhatsApp" });
  await row.waitFor();
  assert.match(await row.innerText(), /Not checked yet/);
  await page.screenshot({ path: process.env.UI_SCREENSHOT ?? "/tmp/switchboard-ui.png" });

  // Edit: the secret is write-only, the kind fixed; Replace reveals an empty password input.
  await row.getByRole("button", { name: "Edit" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByText("Stored in the system keychain").waitFor();
  assert.equal(await page.locator('input[name="secret"]').count(), 0);
  assert.equal(await page.isDisabled('select[name="kind"]'), true);
  await dialog.getByRole("button", { name: "Replace" }).click();
  assert.equal(await page.inputValue('input[name="secret"]'), "");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await dialog.waitFor({ state: "detached" });

  // Remove asks first, in the app.
  await row.getByRole("button", { name: "Remove" }).click();
  const confirm = page.getByRole("dialog");
  assert.match(await confirm.innerText(), /Front desk WhatsApp[\s\S]*keychain/);
  await confirm.getByRole("button", { name: "Remove connector" }).click();
  await page.getByText("No connectors yet — add one to start managing numbers.").waitFor();
  assert.deepEqual(problems, []);
});

test("the connector dialog keeps Tab inside, hides the page behind, and Escape closes it with focus back on its opener", async () => {
  const { page, problems } = await openApp(harness);
  await createOrganization(page, "Grand Hotel");
  const opener = page.getByRole("button", { name: "Add Connector" });
  const openerElement = await opener.elementHandle();
  await opener.click();
  const dialog = page.getByRole("dialog", { name: "Add Connector" });
  await dialog.waitFor();
  assert.equal(await dialog.getAttribute("aria-modal"), "true");
  const first = await dialog.evaluate((d) => d.querySelector("input, select")?.getAttribute("name"));
  assert.equal(await dialog.evaluate((d) => d.ownerDocument.activeElement?.getAttribute("name")), first, "focus starts on the first field");
  // Far more Tabs than the form has fields: focus never leaves the dialog.
  for (let i = 0; i < 40; i += 1) {
    await page.keyboard.press("Tab");
    assert.equal(await dialog.evaluate((d) => d.contains(d.ownerDocument.activeElement)), true, `Tab ${i + 1} left the dialog`);
  }
  assert.equal(await opener.count(), 0, "the page behind is hidden from the accessibility tree");
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
  await page.waitForFunction((button) => button === button.ownerDocument.activeElement, openerElement);
  assert.deepEqual(problems, []);
});

test("the Add Connector wizard works from the keyboard alone, and Back keeps what was chosen and typed", async () => {
  const { page, problems } = await openApp(harness);
  await createOrganization(page, "Grand Hotel");
  await page.getByRole("button", { name: "Add Connector" }).focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Add Connector" });
  await dialog.waitFor();
  const focusedName = () =>
    page.evaluate(() => {
      const focused = globalThis.document.activeElement;
      return focused?.getAttribute("name") ?? focused?.textContent;
    });
  assert.equal(await focusedName(), "connector-kind");
  // Arrows move within the radio group and choose: WhatsApp → SMS.
  await page.keyboard.press("ArrowDown");
  assert.equal(await dialog.getByRole("radio", { name: "SMS", exact: true }).isChecked(), true);
  await dialog.getByRole("button", { name: "Continue" }).focus();
  await page.keyboard.press("Enter");
  assert.equal(await focusedName(), "Step 2 of 3: Choose the provider", "focus moves to the step's heading");
  await page.keyboard.press("Tab");
  await page.keyboard.press("ArrowDown");
  assert.equal(await dialog.getByRole("radio", { name: "Telnyx", exact: true }).isChecked(), true);
  await dialog.getByRole("button", { name: "Continue" }).focus();
  await page.keyboard.press("Enter");
  assert.equal(await focusedName(), "Step 3 of 3: Connector details");
  await page.keyboard.press("Tab");
  await page.keyboard.type("Harbour SMS");
  assert.equal(await page.inputValue('input[name="name"]'), "Harbour SMS");
  assert.ok(await page.locator('input[name="secret"]').count(), "Telnyx's API Key field");

  await dialog.getByRole("button", { name: "Back" }).click();
  assert.equal(await dialog.getByRole("radio", { name: "Telnyx", exact: true }).isChecked(), true);
  await dialog.getByRole("button", { name: "Continue" }).click();
  assert.equal(await page.inputValue('input[name="name"]'), "Harbour SMS");
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
  assert.deepEqual(problems, []);
});

test("the production build does not contain the IPC mock", () => {
  assert.ok(existsSync(join(prodDist, "index.html")), "ui/dist is missing: run `npm run build` in ui/ first (this test builds nothing itself)");
  const files = readdirSync(join(prodDist, "assets"));
  assert.ok(files.some((f) => f.endsWith(".js")));
  for (const file of files) {
    const text = readFileSync(join(prodDist, "assets", file), "utf8");
    assert.ok(!text.includes("__SWITCHBOARD_MOCK_IPC__"), `${file} contains the mock`);
  }
  const mockFiles = readdirSync(join(mockDist, "assets"));
  assert.ok(
    mockFiles.some((f) => readFileSync(join(mockDist, "assets", f), "utf8").includes("__SWITCHBOARD_MOCK_IPC__")),
    "the marker exists in the mock build, so its absence above means something",
  );
});
