// The built UI in Debian's Chromium, with the IPC mocked (ui/dist-mock). This test builds nothing:
// run `npm run build && npm run build:mock` first (`make test` does, in its ui and ui-mock steps).
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

const ui = fileURLToPath(new URL("../..", import.meta.url));
const mockDist = join(ui, "dist-mock");
const prodDist = join(ui, "dist");
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".png": "image/png" };

let server;
let browser;
let baseUrl;

before(async () => {
  assert.ok(
    existsSync(join(mockDist, "index.html")),
    "ui/dist-mock is missing: run `npm run build:mock` in ui/ first (this test builds nothing itself)",
  );
  server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    let file = join(mockDist, path);
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(mockDist, "index.html");
    response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    response.end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${server.address().port}/`;
  browser = await chromium.launch({
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
});

after(async () => {
  await browser?.close();
  server?.close();
});

test("a bad Account SID shows its field error; fixed, the connector saves and is listed", async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));
  await page.goto(baseUrl);

  await page.fill('input[name="org.name"]', "Grand Hotel");
  await page.getByRole("button", { name: "Create organization" }).click();
  await page.getByRole("button", { name: "New connector" }).click();

  await page.selectOption('select[name="kind"]', "whatsapp");
  await page.selectOption('select[name="provider"]', "twilio");
  await page.fill('input[name="name"]', "Front desk WhatsApp");
  await page.fill('input[name="settings.accountSid"]', "AC123");
  const fieldError = page.locator('[data-field-error="settings.accountSid"]');
  await fieldError.waitFor();
  assert.match(await fieldError.innerText(), /starts with AC/);
  assert.equal(await page.getAttribute('input[name="settings.accountSid"]', "aria-invalid"), "true");
  await page.screenshot({ path: process.env.UI_FORM_SCREENSHOT ?? "/tmp/switchboard-ui-form.png" });

  await page.fill('input[name="settings.accountSid"]', "AC0123456789abcdef0123456789abcdef");
  await page.fill('input[name="secret"]', "0123456789abcdef0123456789abcdef");
  await fieldError.waitFor({ state: "detached" });
  await page.getByRole("button", { name: "Save connector" }).click();

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
