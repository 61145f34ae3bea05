// The send dialog, the statistics panel and the error log in the built UI, in Debian's Chromium
// with the IPC mocked (see harness.mjs; the mock follows a send to its final status over the
// Channel, and fails a number ending in 0999 with Twilio's 30008 as the sandbox does).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { addConnector, createOrganization, openApp, start } from "./harness.mjs";

let harness;

before(async () => {
  harness = await start();
});

after(async () => {
  await harness?.close();
});

async function sendTest(page, to, text) {
  const form = page.getByRole("form", { name: "Send a test message" });
  await form.locator('[name="to"]').fill(to);
  await form.locator('[name="text"]').fill(text);
  await form.getByRole("button", { name: "Send test" }).click();
}

test("a test send is followed to Delivered, a failing one to Failed with its code; the panel counts both and the log shows the failure", async () => {
  const { page, problems } = await openApp(harness);
  await createOrganization(page, "Grand Hotel");
  const row = await addConnector(page, "Reception SMS");
  await row.click();
  await page.getByRole("heading", { level: 1, name: "Reception SMS" }).waitFor();

  await page.getByRole("tab", { name: "Send test" }).click();
  await sendTest(page, "+46 70 123 45 67", "Your room is ready");
  const outcome = page.getByTestId("attempt-outcome");
  await outcome.getByText("Delivered", { exact: true }).waitFor();
  const timeline = await page.getByTestId("attempt").textContent();
  for (const status of ["queued", "sent", "delivered"]) assert.match(timeline, new RegExp(status, "i"));

  await sendTest(page, "+46 70 123 0999", "Your room is ready");
  await outcome.getByText("Failed", { exact: true }).waitFor();
  assert.match(await page.getByTestId("attempt").textContent(), /30008/);

  await page.getByRole("tab", { name: "Overview" }).click();
  const figures = page.getByTestId("stats-figures");
  await figures.waitFor();
  const figure = async (label) =>
    (await figures.locator(".figure", { has: page.locator("dt", { hasText: label }) }).locator("dd").textContent()).trim();
  await figures.getByText("50.0 %").waitFor();
  assert.equal(await figure("Total Sent"), "1");
  assert.equal(await figure("Total Fails"), "1");
  assert.equal(await figure("Attempts"), "2");
  assert.equal(await figure("Success Rate"), "50.0 %");
  assert.match(await page.getByTestId("last-error").textContent(), /30008/);

  await page.getByRole("tab", { name: "Error logs" }).click();
  const logRow = page.getByTestId("log-row").filter({ hasText: "+46701230999" });
  await logRow.waitFor();
  assert.match(await logRow.textContent(), /30008/);
  assert.deepEqual(problems, []);
});
