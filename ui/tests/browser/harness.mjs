// What every browser test shares: the built UI with the IPC mocked (ui/dist-mock) served on a
// loopback port, and Debian's Chromium driven by Playwright. It builds nothing: run
// `npm run build && npm run build:mock` first (`make test` does, in its ui and ui-mock steps).
import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

export const ui = fileURLToPath(new URL("../..", import.meta.url));
export const mockDist = join(ui, "dist-mock");
export const prodDist = join(ui, "dist");
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".png": "image/png" };

/** Serves ui/dist-mock and launches Chromium; `close()` stops both. */
export async function start() {
  assert.ok(
    existsSync(join(mockDist, "index.html")),
    "ui/dist-mock is missing: run `npm run build:mock` in ui/ first (this test builds nothing itself)",
  );
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    let file = join(mockDist, path);
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(mockDist, "index.html");
    response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    response.end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  return {
    baseUrl,
    browser,
    async close() {
      await browser.close();
      server.close();
    },
  };
}

/** A fresh page on the app; `problems` collects uncaught page errors (a test expects none). */
export async function openApp(harness) {
  const page = await harness.browser.newPage({ viewport: { width: 1200, height: 800 } });
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));
  await page.goto(harness.baseUrl);
  return { page, problems };
}

export const GOOD_SID = "AC0123456789abcdef0123456789abcdef";
export const GOOD_TOKEN = "0123456789abcdef0123456789abcdef";

/** Creates the first organization through its form. */
export async function createOrganization(page, name) {
  await page.fill('input[name="org.name"]', name);
  await page.getByRole("button", { name: "Create organization" }).click();
}

/**
 * Goes through the Add Connector wizard: the type, the provider, Continue; the form is left to
 * the caller.
 */
export async function openConnectorForm(page, type, provider) {
  await page.getByRole("button", { name: "Add Connector" }).click();
  const dialog = page.getByRole("dialog", { name: "Add Connector" });
  await dialog.getByRole("radio", { name: type, exact: true }).check();
  await dialog.getByRole("button", { name: "Continue" }).click();
  await dialog.getByRole("radio", { name: provider, exact: true }).check();
  await dialog.getByRole("button", { name: "Continue" }).click();
  await dialog.getByRole("heading", { name: "Step 3 of 3: Connector details" }).waitFor();
  return dialog;
}

/**
 * Adds a valid Twilio SMS connector through the Add Connector wizard, which lands on the new
 * connector's page; then goes back to the organization's page and returns the connector's row.
 */
export async function addConnector(page, name, orgName = "Grand Hotel") {
  await openConnectorForm(page, "SMS", "Twilio");
  await page.fill('input[name="name"]', name);
  await page.fill('input[name="settings.accountSid"]', GOOD_SID);
  await page.fill('input[name="settings.from"]', "+1 415 555 0101");
  await page.fill('input[name="secret"]', GOOD_TOKEN);
  await page.getByRole("button", { name: "Create connector" }).click();
  await page.getByRole("dialog").waitFor({ state: "detached" });
  await page.getByRole("heading", { level: 1, name }).waitFor();
  await page.getByRole("navigation", { name: "Organizations" }).getByRole("button", { name: orgName, exact: true }).click();
  const row = page.locator('[data-testid="connector-row"]', { hasText: name });
  await row.waitFor();
  return row;
}
