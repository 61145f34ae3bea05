// A keyboard-only journey through the built UI (issue 12 §4), in Debian's Chromium with the IPC
// mocked (see harness.mjs): create an organization, add a connector, fetch its numbers, activate
// one, set its webhook, send a test, with Tab, Shift+Tab, arrows, Space and Enter only (never the
// mouse, never a locator's click or fill), and the focus visible and on screen at every stop.
/* global document, getComputedStyle, innerHeight, innerWidth -- the functions given to page.evaluate run in the page */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { GOOD_SID, GOOD_TOKEN, openApp, start } from "./harness.mjs";

let harness;

before(async () => {
  harness = await start();
});

after(async () => {
  await harness?.close();
});

/** The focused element: its accessible name as a user hears it, and whether its focus shows. */
function focused(page) {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    const labelled = element.getAttribute("aria-labelledby");
    const name = (
      element.getAttribute("aria-label") ??
      (labelled ? document.getElementById(labelled)?.textContent : null) ??
      element.labels?.[0]?.textContent ??
      element.textContent ??
      ""
    ).trim();
    // The ring is the element's own outline, or (for a radio inside a choice card) the card's.
    const ringOf = (node) => {
      const style = getComputedStyle(node);
      return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
    };
    const card = element.closest(".choice-card");
    const box = element.getBoundingClientRect();
    return {
      name,
      role: element.getAttribute("role") ?? element.tagName.toLowerCase(),
      inputName: element.getAttribute("name"),
      ring: element.matches(":focus-visible") && (ringOf(element) || (card !== null && ringOf(card))),
      onScreen: box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth,
      inDialog: element.closest('[role="dialog"]') !== null,
    };
  });
}

/**
 * Presses Tab (or Shift+Tab) until the focus is on what `wanted` describes (its accessible name,
 * its form field name or its role), and checks that the focus ring shows there and is on screen.
 */
async function tabTo(page, wanted, { back = false, max = 80 } = {}) {
  const matches = (f) => f && (wanted.name === undefined || f.name === wanted.name) && (wanted.inputName === undefined || f.inputName === wanted.inputName) && (wanted.role === undefined || f.role === wanted.role);
  let current = await focused(page);
  for (let step = 0; !matches(current); step += 1) {
    assert.ok(step < max, `${JSON.stringify(wanted)} is reached with the keyboard (focus stayed at ${JSON.stringify(current)})`);
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
    current = await focused(page);
  }
  assert.ok(current.ring, `the focus on ${JSON.stringify(wanted)} is visible`);
  assert.ok(current.onScreen, `${JSON.stringify(wanted)} is on screen when focused`);
  return current;
}

/** In a radio group (one Tab stop), moves with the arrow keys to the choice named `name` and chooses it. */
async function arrowTo(page, name) {
  for (let step = 0; (await focused(page))?.name !== name; step += 1) {
    assert.ok(step < 10, `the arrows reach ${name}`);
    await page.keyboard.press("ArrowDown");
  }
  // Tab onto a group with nothing chosen focuses its first choice without choosing it: Space does.
  await page.keyboard.press("Space");
  const current = await focused(page);
  assert.ok(current.ring && current.onScreen, `the focus on ${name} is visible`);
  return current;
}

async function typeInto(page, inputName, text) {
  await tabTo(page, { inputName });
  await page.keyboard.type(text);
}

/** After a key that moves the focus within the number list: waits until it is on `name`, then checks it shows. */
async function focusMovesTo(page, name) {
  await page.waitForFunction((wanted) => document.activeElement?.getAttribute("aria-label") === wanted, name);
  return tabTo(page, { name }, { max: 0 });
}

/** Waits for text on the page, without touching anything. */
const shows = (page, text) => page.getByText(text, { exact: true }).first().waitFor();

/** The journey, in the given colour scheme. */
async function journey(colorScheme) {
  const { page, problems } = await openApp(harness);
  await page.emulateMedia({ colorScheme });
  await shows(page, "Create your first organization");

  await typeInto(page, "org.name", "Grand Hotel");
  await typeInto(page, "org.inboundBaseUrl", "https://hooks.grand-hotel.test");
  await tabTo(page, { name: "Create organization" });
  await page.keyboard.press("Enter");
  await shows(page, "Grand Hotel: connectors");

  // The Add Connector wizard: a radio group per step, chosen with the arrows or Space.
  await tabTo(page, { name: "Add Connector" });
  await page.keyboard.press("Enter");
  await page.getByRole("dialog", { name: "Add Connector" }).waitFor();
  assert.ok((await tabTo(page, { inputName: "connector-kind" })).inDialog, "the focus is inside the wizard");
  await arrowTo(page, "SMS");
  await tabTo(page, { name: "Continue" });
  await page.keyboard.press("Enter");
  await tabTo(page, { role: "input", inputName: "connector-provider" });
  await arrowTo(page, "Twilio");
  await tabTo(page, { name: "Continue" });
  await page.keyboard.press("Enter");
  await shows(page, "Step 3 of 3: Connector details");
  await typeInto(page, "name", "Reception SMS");
  await typeInto(page, "settings.accountSid", GOOD_SID);
  await typeInto(page, "settings.from", "+1 415 555 0101");
  await typeInto(page, "secret", GOOD_TOKEN);
  await tabTo(page, { inputName: "receiveInbound" });
  if (!(await page.evaluate(() => document.activeElement.checked))) await page.keyboard.press("Space");
  assert.ok(await page.evaluate(() => document.activeElement.checked), "Receive inbound data is on");
  await tabTo(page, { name: "Create connector" });
  await page.keyboard.press("Enter");
  await page.getByRole("dialog").waitFor({ state: "detached" });
  await page.getByRole("heading", { level: 1, name: "Reception SMS" }).waitFor();

  // The connector's tabs: one Tab stop, the arrows move between them.
  await tabTo(page, { name: "Overview", role: "tab" });
  await page.keyboard.press("ArrowRight");
  await tabTo(page, { name: "Numbers", role: "tab" });
  await tabTo(page, { name: "Fetch numbers" });
  await page.keyboard.press("Enter");
  await page.getByRole("table", { name: "Numbers" }).waitFor();
  // The list of ten thousand is one Tab stop: the arrows, Home and End move between its rows.
  await tabTo(page, { name: "Use +14150000000" });
  await page.keyboard.press("ArrowDown");
  await focusMovesTo(page, "Use +14150000001");
  await page.keyboard.press("End");
  await focusMovesTo(page, "Use +14150009999");
  await page.keyboard.press("Home");
  await focusMovesTo(page, "Use +14150000000");
  await page.keyboard.press("Space");
  await page.keyboard.press("Tab");
  assert.doesNotMatch((await focused(page))?.name ?? "", /^(Use|Set webhook on) \+1415/, "the next Tab leaves the list");
  await page.keyboard.press("Shift+Tab");
  await focusMovesTo(page, "Use +14150000000");
  // Save sits above the list: Shift+Tab goes back to it from a row.
  await tabTo(page, { name: "Save" }, { back: true, max: 3 });
  await page.keyboard.press("Enter");
  await page.getByRole("button", { name: "Set webhook on +14150000000" }).and(page.locator(":enabled")).waitFor();

  await tabTo(page, { name: "Set webhook on all active" });
  await page.keyboard.press("Enter");
  await page.getByRole("checkbox", { name: "Include +14150000000" }).waitFor();
  const run = await tabTo(page, { name: "Set on 1 number" });
  assert.ok(run.inDialog, "the focus is inside the Set the webhook dialog");
  await page.keyboard.press("Enter");
  await page.locator('[data-e164="+14150000000"]').getByText("Webhook configured").waitFor();
  assert.equal((await focused(page))?.name, "Set webhook on all active", "the focus is back on what opened the dialog");

  // Back up to the tab list, over to Send test, and send.
  await tabTo(page, { name: "Numbers", role: "tab" }, { back: true });
  await page.keyboard.press("ArrowRight");
  await tabTo(page, { name: "Send test", role: "tab" });
  await typeInto(page, "to", "+46 70 123 45 67");
  await typeInto(page, "text", "Your room is ready");
  await tabTo(page, { name: "Send test", role: "button" });
  await page.keyboard.press("Enter");
  await page.getByTestId("attempt-outcome").getByText("Delivered", { exact: true }).waitFor();
  await page.screenshot({ path: process.env.UI_KEYBOARD_SCREENSHOT ?? `/tmp/switchboard-ui-keyboard-${colorScheme}.png` });
  assert.deepEqual(problems, []);
}

for (const colorScheme of ["light", "dark"]) {
  test(`keyboard only (${colorScheme} scheme): add a connector, fetch and activate a number, set its webhook, send a test; the focus is visible at every step`, () =>
    journey(colorScheme));
}
