// Issue 12 §1, end to end on the real app: one instance at a time (a second launch hands over to
// the first and exits), the window's size remembered, the rotating log file in the app's log
// folder, and the update check's setting (off in tests; stored where the CLI reads it too).
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { startSandbox } from "./helpers.mjs";
import { Session } from "./webdriver.mjs";

const { WEBDRIVER_URL, APP_BINARY, CLI_BINARY, XDG_CONFIG_HOME, XDG_DATA_HOME } = process.env;
for (const [name, value] of Object.entries({ WEBDRIVER_URL, APP_BINARY, CLI_BINARY, XDG_CONFIG_HOME, XDG_DATA_HOME })) {
  assert.ok(value, `${name} must be set: run this through tests/e2e/run.sh`);
}
assert.equal(process.env.SWITCHBOARD_UPDATES, "off", "tests never ask the release feed");
const IDENTIFIER = "app.switchboard.admin";
const LOG_DIR = join(XDG_DATA_HOME, IDENTIFIER, "logs");
const WINDOW_STATE = join(XDG_CONFIG_HOME, IDENTIFIER, ".window-state.json");

function logText() {
  if (!existsSync(LOG_DIR)) return "";
  return readdirSync(LOG_DIR)
    .map((name) => readFileSync(join(LOG_DIR, name), "utf8"))
    .join("");
}

/** Runs the app binary again, as a user double-clicking it would; resolves with its exit. */
function secondLaunch(ms = 15000) {
  return new Promise((resolve, reject) => {
    const child = spawn(APP_BINARY, [], { env: process.env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the second instance was still running after ${ms} ms: ${stderr}`));
    }, ms);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });
}

async function sidebar(session) {
  return session.waitFor(() => session.button("About Switchboard"), "the sidebar's About button", 30000);
}

test("a second launch hands over to the running window and exits; the first window stays", async () => {
  const session = await Session.start(WEBDRIVER_URL, APP_BINARY);
  try {
    await sidebar(session);
    const started = Date.now();
    const second = await secondLaunch();
    assert.equal(second.code, 0, `the second instance exits cleanly: ${second.stderr}`);
    assert.ok(Date.now() - started < 15000);
    // The first window still answers, on the same page.
    await (await session.button("About Switchboard")).click();
    await session.waitForCss('[data-testid="about-version"]');
    await session.waitFor(
      () => logText().includes("a second launch was handed over to this window"),
      "the first instance's log line about the hand-over",
    );
  } finally {
    await session.end();
  }
});

test("the update check is off in tests, and its setting is stored where the CLI reads it", async () => {
  const session = await Session.start(WEBDRIVER_URL, APP_BINARY);
  try {
    await (await sidebar(session)).click();
    const disabled = await session.waitForCss('[data-testid="updates-disabled"]');
    assert.match(await disabled.textContent(), /SWITCHBOARD_UPDATES=off/);
    const check = await session.button("Check for updates");
    assert.equal(await check.property("disabled"), true, "no check can be started");
    const toggle = await session.find('input[name="updates.checkOnLaunch"]');
    const before = await toggle.property("checked");
    await toggle.click();
    await session.waitFor(async () => (await toggle.property("checked")) === !before, "the toggle to flip");
    const cli = JSON.parse(execFileSync(CLI_BINARY, ["--json", "settings", "updates"], { encoding: "utf8" }));
    assert.equal(cli.updatesCheckOnLaunch, !before, "the app and the CLI share the setting");
    execFileSync(CLI_BINARY, ["settings", "updates", "on"]);
  } finally {
    await session.end();
  }
  assert.doesNotMatch(logText(), /an update is available|no update available|update check failed/, "no check ran");
});

test("the window's size is remembered across launches, in the app's config folder", async () => {
  let session = await Session.start(WEBDRIVER_URL, APP_BINARY);
  try {
    await sidebar(session);
  } finally {
    await session.end();
  }
  await new Promise((resolve, reject) => {
    const until = Date.now() + 10000;
    const poll = () =>
      existsSync(WINDOW_STATE)
        ? resolve()
        : Date.now() > until
          ? reject(new Error(`no window state at ${WINDOW_STATE}`))
          : setTimeout(poll, 150);
    poll();
  });
  const saved = JSON.parse(readFileSync(WINDOW_STATE, "utf8"));
  assert.ok(saved.main.width >= 800 && saved.main.height >= 560, JSON.stringify(saved));
  // As if the user had made the window smaller before closing it (still above its minimum,
  // 1024×700, below which the window cannot go).
  saved.main = { ...saved.main, width: 1100, height: 740, maximized: false };
  writeFileSync(WINDOW_STATE, JSON.stringify(saved));

  session = await Session.start(WEBDRIVER_URL, APP_BINARY);
  try {
    await sidebar(session);
    const size = await session.waitFor(async () => {
      const inner = await session.execute("return [window.innerWidth, window.innerHeight];");
      return inner[0] === 1100 ? inner : null;
    }, "the window at the remembered width").catch(async (error) => {
      const inner = await session.execute("return [window.innerWidth, window.innerHeight];");
      throw new Error(`${error.message}; the window is ${inner.join("x")}`);
    });
    assert.ok(Math.abs(size[1] - 740) <= 40, `height ${size[1]}`);
  } finally {
    await session.end();
    // The E2E files share one config folder: the next ones start at the default size again
    // (after the app has gone, since it saves its state as it closes).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    rmSync(WINDOW_STATE, { force: true });
  }
});

test("the app writes a log file in its log folder, with no secret from the keychain in it", async () => {
  const text = logText();
  assert.ok(existsSync(join(LOG_DIR, "switchboard.log")), `no switchboard.log in ${LOG_DIR}`);
  assert.match(text, /\[INFO\]/, "info lines are written by default");
  // Every secret this run stored in its private keychain.
  let listed = "";
  try {
    const service = `${IDENTIFIER}.${process.env.SWITCHBOARD_KEYRING_NAMESPACE}`;
    listed = execFileSync("secret-tool", ["search", "--all", "--unlock", "service", service], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch {
    // Nothing stored yet (this file alone): there is no secret to look for.
  }
  const secrets = listed
    .split("\n")
    .filter((line) => line.startsWith("secret = "))
    .map((line) => line.slice("secret = ".length))
    .filter((secret) => secret.length >= 8);
  for (const secret of secrets) assert.ok(!text.includes(secret), "the log holds a secret");
});

test("reopened on a connector's Numbers tab, the app logs how long its first screen took and where the time went", async (t) => {
  const { child, start } = await startSandbox();
  t.after(() => child.kill());
  execFileSync(CLI_BINARY, ["org", "add", "Timing Hotel"]);
  const connector = JSON.parse(
    execFileSync(
      CLI_BINARY,
      ["--json", "connector", "add", "--org", "Timing Hotel", "--kind", "sms", "--provider", "twilio", "--name", "Timing SMS",
        "--account-sid", start.twilio.account_sid, "--from", "+14155550101", "--base-url", `${start.url}/twilio`, "--secret-stdin"],
      { input: `${start.twilio.auth_token}\n`, encoding: "utf8" },
    ),
  );
  execFileSync(CLI_BINARY, ["numbers", "list", connector.id]);
  const rowsShown = (session) =>
    session.waitFor(async () => (await session.findAll('[data-testid="number-row"]')).length > 0, "the number rows", 30000);

  // The user leaves the app on the connector's Numbers tab…
  let session = await Session.start(WEBDRIVER_URL, APP_BINARY);
  try {
    await sidebar(session);
    await session.execute(`window.location.hash = ${JSON.stringify(`#/connectors/${connector.id}/numbers`)}`);
    await rowsShown(session);
  } finally {
    await session.end();
  }
  // (Counted, not sliced: the log may have rotated in between.)
  const FIRST_SCREEN =
    /first screen: number rows shown (\d+) ms after the app started \(its page started at (\d+) ms, its script ran at (\d+) ms; rows at (\d+) ms since the Unix epoch\)/g;
  const lines = (pattern) => [...logText().matchAll(pattern)];
  const before = { screens: lines(FIRST_SCREEN).length, setups: lines(/setup: the data folder opened in \d+ ms, ready \d+ ms after the app started/g).length, pages: lines(/the window's page loaded \d+ ms after the app started/g).length };
  // …and starts it again: it reopens there and logs its first screen, once.
  session = await Session.start(WEBDRIVER_URL, APP_BINARY);
  try {
    await rowsShown(session);
    await session.waitFor(() => lines(FIRST_SCREEN).length > before.screens, "the first screen's line in the log");
    const screens = lines(FIRST_SCREEN);
    assert.equal(screens.length, before.screens + 1, "once per launch");
    const [rows, page, script, at] = screens.at(-1).slice(1).map(Number);
    assert.ok(page <= script && script <= rows && rows < 120000, `in order, within the launch: ${screens.at(-1)[0]}`);
    assert.ok(Math.abs(Date.now() - at) < 300000, `the rows' time is now's: ${at}`);
    assert.ok(lines(/setup: the data folder opened in \d+ ms, ready \d+ ms after the app started/g).length > before.setups, "setup's line");
    assert.ok(lines(/the window's page loaded \d+ ms after the app started/g).length > before.pages, "the page's line");
  } finally {
    await session.end();
  }
});
