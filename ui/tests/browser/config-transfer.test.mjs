// Export and import of an organization's configuration in the built UI, in Debian's Chromium with
// the IPC mocked (see harness.mjs): the export holds no secret, an import shows the diff, asks for
// the new connector's secret and applies it.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { GOOD_SID, GOOD_TOKEN, addConnector, createOrganization, openApp, start } from "./harness.mjs";

let harness;

before(async () => {
  harness = await start();
});

after(async () => {
  await harness?.close();
});

test("the configuration is exported without its secret and a changed copy is imported", async () => {
  const { page, problems } = await openApp(harness);
  await createOrganization(page, "Grand Hotel");
  await addConnector(page, "Reception SMS");

  await page.getByRole("button", { name: "Export configuration" }).click();
  const exported = page.getByRole("dialog", { name: "Export Grand Hotel" });
  const text = exported.getByLabel("Configuration JSON");
  await text.waitFor();
  const json = await text.inputValue();
  assert.match(json, /"format": "switchboard-config"/);
  assert.match(json, /Reception SMS/);
  // (The test token happens to be the tail of the test Account SID, which the export does hold.)
  assert.ok(!json.replaceAll(GOOD_SID, "").includes(GOOD_TOKEN), "the secret is not in the export");
  await exported.getByRole("button", { name: "Save switchboard-config-grand-hotel.json to Downloads" }).click();
  await exported.getByText("Saved to (mock)/Downloads/switchboard-config-grand-hotel.json").waitFor();
  await exported.getByRole("button", { name: "Close" }).click();
  await exported.waitFor({ state: "detached" });

  await page.getByRole("button", { name: "Import configuration" }).click();
  const importing = page.getByRole("dialog", { name: "Import into Grand Hotel" });
  await importing.getByLabel("Or paste the JSON").fill(json.replace('"Reception SMS"', '"Spare SMS"'));
  await importing.getByRole("button", { name: "Show changes" }).click();
  const added = importing.getByRole("checkbox", { name: "New: Connector 'Spare SMS' (sms, twilio)" });
  await added.waitFor();
  assert.equal(await added.isChecked(), true);
  const apply = importing.getByRole("button", { name: "Apply 1 change" });
  assert.equal(await apply.isDisabled(), true, "Apply waits for the new connector's secret");
  await importing.getByLabel("Auth Token or API key secret of 'Spare SMS'").fill(GOOD_TOKEN);
  await page.screenshot({ path: process.env.UI_IMPORT_SCREENSHOT ?? "/tmp/switchboard-ui-import.png" });
  await apply.click();
  await importing.getByText("Imported 1 change into Grand Hotel.").waitFor();
  await importing.getByRole("button", { name: "Done" }).click();
  await page.locator('[data-testid="connector-row"]', { hasText: "Spare SMS" }).waitFor();
  assert.deepEqual(problems, []);

  // Another machine: nothing there yet; the first-run screen imports the file as it is.
  const other = await openApp(harness);
  await other.page.getByRole("button", { name: "Import configuration" }).click();
  const fresh = other.page.getByRole("dialog", { name: "Import a configuration" });
  await fresh.getByLabel("Or paste the JSON").fill(json);
  await fresh.getByRole("button", { name: "Show changes" }).click();
  await fresh.getByText("The import creates the organization Grand Hotel", { exact: false }).waitFor();
  await fresh.getByLabel("Auth Token or API key secret of 'Reception SMS'").fill(GOOD_TOKEN);
  await fresh.getByRole("button", { name: "Apply 1 change" }).click();
  await fresh.getByRole("button", { name: "Done" }).click();
  await other.page.locator('[data-testid="connector-row"]', { hasText: "Reception SMS" }).waitFor();
  assert.deepEqual(other.problems, []);
});
