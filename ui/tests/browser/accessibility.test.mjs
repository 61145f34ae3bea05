// Accessibility and comfort of the built UI (issue 12 §4), in Debian's Chromium with the IPC
// mocked (see harness.mjs): axe finds no serious or critical problem on any page or dialog, in the
// light and the dark scheme; the system's dark setting makes the app dark; and the app stays
// usable in a 1024×700 window (no sideways scrolling, the main actions on screen).
// The keyboard-only journey is in keyboard.test.mjs.
/* global document, getComputedStyle -- the functions given to page.evaluate run in the page */
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
 * the connector's remove and edit dialogs, the audit log, export, import, the webhook inspector,
 * the organization's edit dialog, and a WhatsApp connector's senders.
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
  await page.getByText("Audit log", { exact: true }).click();
  await visit("organization, audit log open");
  await page.getByRole("button", { name: "Edit Reception SMS" }).click();
  await page.getByRole("dialog").getByText("Stored in the system keychain").waitFor();
  await visit("edit connector dialog");
  await page.keyboard.press("Escape");

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
  const inspector = page.getByRole("dialog", { name: "Webhook inspector" });
  await inspector.waitFor();
  await visit("webhook inspector");
  await inspector.getByLabel("URL as received").fill("https://hooks.grand-hotel.test/elsewhere");
  await inspector.getByRole("button", { name: "Explain" }).click();
  await inspector.getByRole("region", { name: "Inspection report" }).waitFor();
  await visit("webhook inspector, report");
  await page.keyboard.press("Escape");

  await page.getByRole("button", { name: "Edit organization" }).click();
  await page.getByRole("dialog", { name: "Edit Grand Hotel" }).waitFor();
  await visit("edit organization");
  await page.keyboard.press("Escape");

  await openConnectorForm(page, "WhatsApp", "Twilio");
  await page.fill('input[name="name"]', "Front desk WhatsApp");
  await page.fill('input[name="settings.accountSid"]', GOOD_SID);
  await page.fill('input[name="settings.from"]', "+1 415 555 0101");
  await page.fill('input[name="secret"]', GOOD_TOKEN);
  await page.getByRole("button", { name: "Create connector" }).click();
  await page.getByRole("heading", { level: 1, name: "Front desk WhatsApp" }).waitFor();
  await tab("WhatsApp senders");
  await page.getByText("+14155550101").first().waitFor();
  await visit("whatsapp senders");
  await page.getByRole("navigation", { name: "Organizations" }).getByRole("button", { name: "Grand Hotel", exact: true }).click();
  await page.getByRole("heading", { level: 1, name: "Grand Hotel: connectors" }).waitFor();
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

/** The relative luminance (0 black … 1 white) of a computed CSS colour such as "rgb(17, 22, 29)". */
function luminance(color) {
  const [r, g, b] = color.match(/[\d.]+/g).slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The colours a user sees on the main surfaces: the page, a card, a text field, a dialog. */
async function surfaces(page) {
  return page.evaluate(() => {
    const style = (selector) => {
      const element = document.querySelector(selector);
      if (!element) throw new Error(`nothing matches ${selector}`);
      const computed = getComputedStyle(element);
      return { background: computed.backgroundColor, color: computed.color };
    };
    return {
      page: style("html"),
      card: style(".card"),
      field: style('input[name="org.name"]'),
      dialog: style('[role="dialog"]'),
    };
  });
}

test("the system's dark setting makes the app dark: the page, cards, fields and dialogs, with light text", async () => {
  const measured = {};
  for (const colorScheme of ["light", "dark"]) {
    const { page, problems } = await openApp(harness);
    await page.emulateMedia({ colorScheme });
    await createOrganization(page, "Grand Hotel");
    await page.getByRole("button", { name: "Edit organization" }).click();
    await page.getByRole("dialog", { name: "Edit Grand Hotel" }).waitFor();
    measured[colorScheme] = await surfaces(page);
    if (colorScheme === "dark") await page.screenshot({ path: process.env.UI_DARK_SCREENSHOT ?? "/tmp/switchboard-ui-dark.png" });
    assert.deepEqual(problems, []);
    await page.close();
  }
  for (const [surface, { background, color }] of Object.entries(measured.light)) {
    assert.ok(luminance(background) > 0.8, `light ${surface}: a light background (${background})`);
    assert.ok(luminance(color) < 0.1, `light ${surface}: dark text (${color})`);
  }
  for (const [surface, { background, color }] of Object.entries(measured.dark)) {
    assert.ok(luminance(background) < 0.05, `dark ${surface}: a dark background (${background})`);
    assert.ok(luminance(color) > 0.6, `dark ${surface}: light text (${color})`);
  }
});

/** What does not fit sideways in a window this narrow: the page itself, or a box that scrolls sideways. */
async function sidewaysOverflow(page) {
  return page.evaluate(() => {
    const found = [];
    const root = document.scrollingElement;
    if (root.scrollWidth > root.clientWidth) found.push(`the page (${root.scrollWidth}px wide in ${root.clientWidth}px)`);
    for (const element of document.querySelectorAll("body *")) {
      const { overflowX } = getComputedStyle(element);
      if ((overflowX === "auto" || overflowX === "scroll") && element.scrollWidth > element.clientWidth + 1) {
        const name = element.getAttribute("aria-label") ?? element.className ?? element.tagName;
        found.push(`${name} (${element.scrollWidth}px wide in ${element.clientWidth}px)`);
      }
    }
    return found;
  });
}

/** Controls that sit (partly) left or right of the window, where a user cannot see or click them. */
async function controlsOffScreen(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const inDialog = document.querySelector('[role="dialog"]');
    const scope = inDialog ?? document;
    return [...scope.querySelectorAll("button, a[href], input, select, textarea, [role=tab]")]
      .filter((element) => element.getClientRects().length > 0)
      .filter((element) => {
        const box = element.getBoundingClientRect();
        return box.left < 0 || box.right > width + 0.5;
      })
      .map((element) => `${element.tagName.toLowerCase()} "${element.getAttribute("aria-label") ?? element.textContent.trim().slice(0, 40)}"`);
  });
}

test("in a 1024×700 window nothing scrolls sideways on any page or dialog, every control is within the width, and the main actions are on screen", async () => {
  const { page, problems } = await openApp(harness);
  await page.setViewportSize({ width: 1024, height: 700 });
  const found = [];
  await tour(page, async (label) => {
    for (const problem of await sidewaysOverflow(page)) found.push(`${label}: scrolls sideways: ${problem}`);
    for (const control of await controlsOffScreen(page)) found.push(`${label}: off screen: ${control}`);
  });
  assert.deepEqual(found, []);

  // The main actions of the organization's page and of a connector's numbers are on screen without scrolling.
  const onScreen = async (locator, what) => {
    const box = await locator.boundingBox();
    assert.ok(box && box.x >= 0 && box.y >= 0 && box.x + box.width <= 1024 && box.y + box.height <= 700, `${what} is on screen (${JSON.stringify(box)})`);
  };
  await onScreen(page.getByRole("button", { name: "Add Connector" }), "Add Connector");
  await page.getByRole("button", { name: "Numbers of Reception SMS" }).click();
  await onScreen(page.getByRole("button", { name: "Set webhook on all active" }), "Set webhook on all active");
  await onScreen(page.getByRole("button", { name: "Save" }), "Save");
  await onScreen(page.getByRole("tab", { name: "Send test" }), "the Send test tab");
  await page.screenshot({ path: process.env.UI_SMALL_SCREENSHOT ?? "/tmp/switchboard-ui-1024x700.png" });
  assert.deepEqual(problems, []);
});
