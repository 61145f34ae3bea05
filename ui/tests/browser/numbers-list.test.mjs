// The Phone numbers list with ten thousand numbers in the built UI, with real layout: only the rows
// in view are in the DOM, and scrolling to the end shows the last number (see harness.mjs).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { addConnector, createOrganization, openApp, start } from "./harness.mjs";

const ROW_HEIGHT = 64;
const COUNT = 10_000; // MOCK_ACCOUNT_NUMBERS in src/mocks/numbers.ts
const e164 = (index) => `+1415${String(index).padStart(7, "0")}`;

let harness;

before(async () => {
  harness = await start();
});

after(async () => {
  await harness?.close();
});

/** The numbers of the rows in the DOM, and whether each lies inside the list's visible box. */
function renderedRows(page) {
  return page.locator('[role="table"][aria-label="Numbers"]').evaluate((table) => {
    const box = table.getBoundingClientRect();
    return [...table.querySelectorAll('[data-testid="number-row"]')].map((row) => {
      const r = row.getBoundingClientRect();
      return { e164: row.dataset.e164, index: Number(row.getAttribute("aria-rowindex")), inView: r.bottom > box.top && r.top < box.bottom };
    });
  });
}

test("ten thousand numbers: a bounded number of rows is rendered, and scrolling to the end shows the last number", async () => {
  const { page, problems } = await openApp(harness);
  await createOrganization(page, "Grand Hotel");
  await addConnector(page, "Front desk SMS");
  await page.getByRole("button", { name: "Numbers of Front desk SMS" }).click();
  await page.getByRole("button", { name: "Fetch numbers" }).click();

  const table = page.getByRole("table", { name: "Numbers" });
  await table.waitFor();
  assert.equal(await table.getAttribute("aria-rowcount"), String(COUNT));
  const { clientHeight, scrollHeight } = await table.evaluate((t) => ({ clientHeight: t.clientHeight, scrollHeight: t.scrollHeight }));
  assert.equal(scrollHeight, COUNT * ROW_HEIGHT, "the list is as tall as all its rows");
  const viewRows = Math.ceil(clientHeight / ROW_HEIGHT);
  assert.ok(viewRows >= 4, `the list shows several rows (${clientHeight}px high)`);

  const top = await renderedRows(page);
  assert.equal(top[0].e164, e164(0));
  assert.ok(top.length >= viewRows, `every row in view is rendered (${top.length} of ${viewRows})`);
  assert.ok(top.length <= viewRows + 2 * 4 + 1, `only the rows in view and a few more are rendered, not ${top.length}`);
  assert.ok(top.filter((row) => row.inView).length >= viewRows - 1);
  await page.getByRole("checkbox", { name: `Use ${e164(0)}` }).waitFor();

  // Scroll in steps with the mouse wheel first (the way a user does), then jump to the end.
  await table.hover();
  for (let step = 0; step < 5; step += 1) await page.mouse.wheel(0, 400);
  const list = await table.elementHandle();
  await page.waitForFunction((t) => t.scrollTop >= 2000, list);
  await page.waitForFunction(([t, first]) => !t.querySelector(`[data-e164="${first}"]`), [list, e164(0)]);
  await table.evaluate((t) => {
    t.scrollTop = t.scrollHeight;
  });
  const last = page.locator(`[data-testid="number-row"][data-e164="${e164(COUNT - 1)}"]`);
  await last.waitFor();
  assert.equal(await last.getAttribute("aria-rowindex"), String(COUNT));

  const bottom = await renderedRows(page);
  assert.ok(bottom.length > 0 && bottom.length <= viewRows + 2 * 4 + 1, `${bottom.length} rows rendered at the end`);
  assert.ok(bottom.find((row) => row.e164 === e164(COUNT - 1)).inView, "the last number is in the visible part of the list");
  assert.ok(!bottom.some((row) => row.index <= COUNT - 40), "rows far above the view are gone from the DOM");
  await page.getByRole("checkbox", { name: `Use ${e164(COUNT - 1)}` }).check();
  assert.equal(await page.getByRole("button", { name: "Save" }).isEnabled(), true, "a row at the end takes input");
  await page.screenshot({ path: process.env.UI_NUMBERS_SCREENSHOT ?? "/tmp/switchboard-ui-numbers.png" });
  assert.deepEqual(problems, []);
});
