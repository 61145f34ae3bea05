// End to end: the real app SIGKILLed in the middle of a bulk webhook job and of a send. On restart
// the job's journal agrees with the provider, the connector page offers Resume (which finishes the
// job), and the send, journaled before it left, is reconciled with the one message the provider
// holds instead of being sent again.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, readlinkSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { clickTab, openConnector, rememberSandboxAccount, rememberWebhookUrl, startSandbox } from "./helpers.mjs";
import { Session } from "./webdriver.mjs";

const { WEBDRIVER_URL, APP_BINARY, CLI_BINARY, SWITCHBOARD_DATA_DIR } = process.env;
const SCREENSHOTS = process.env.E2E_SCREENSHOTS ?? "/tmp";
const ORG = "Crashpad Hotel";
const CONNECTOR = "Crashpad SMS";
const NUMBERS = 40;
const BASE = "https://hooks.crashpad.example";

const cli = (args, options = {}) => execFileSync(CLI_BINARY, args, { encoding: "utf8", ...options });
const cliJson = (args) => JSON.parse(cli(["--json", ...args]));

/** The app this E2E run started: its binary, with this run's own data dir in its environment. */
function appPids() {
  // The kernel names the binary by its real path (target/ may be a symlink).
  const binary = realpathSync(APP_BINARY);
  const pids = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/exe`) !== binary) continue;
      const environ = readFileSync(`/proc/${entry}/environ`, "utf8").split("\0");
      if (environ.includes(`SWITCHBOARD_DATA_DIR=${SWITCHBOARD_DATA_DIR}`)) pids.push(Number(entry));
    } catch {
      // A process that ended meanwhile, or one we may not read: not ours.
    }
  }
  return pids;
}

/** SIGKILL, as a crash or a power cut would: no handler runs, nothing is flushed by the app. */
async function killApp(session) {
  // What the IPC recorder saw so far goes to the capture file: the page dies with the app.
  await session.drainIpc();
  const pids = appPids();
  assert.equal(pids.length, 1, `exactly one app of this run is running: ${pids}`);
  process.kill(pids[0], "SIGKILL");
  const until = Date.now() + 10000;
  while (appPids().length > 0) {
    assert.ok(Date.now() < until, "the app did not die");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // The driver's session is gone with its app; closing it is best effort.
  await Promise.race([session.call("DELETE", "").catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 3000))]);
}

async function admin(start, method, path, body) {
  const response = await fetch(`${start.url}/_sandbox/${path}`, {
    method,
    headers: { authorization: `Bearer ${start.admin_token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(response.ok, `${method} ${path}: ${response.status}`);
  return response.json().catch(() => null);
}

async function twilio(start, account, path) {
  const auth = Buffer.from(`${account.account_sid}:${account.auth_token}`).toString("base64");
  const response = await fetch(`${start.url}/twilio/2010-04-01/Accounts/${account.account_sid}/${path}`, {
    headers: { authorization: `Basic ${auth}` },
  });
  assert.ok(response.ok, `${path}: ${response.status}`);
  return response.json();
}

/** Each number's SMS URL as the provider has it now. */
async function providerUrls(start, account) {
  const page = await twilio(start, account, "IncomingPhoneNumbers.json?PageSize=1000");
  return new Map(page.incoming_phone_numbers.map((n) => [n.phone_number, n.sms_url || null]));
}

test("SIGKILL mid bulk job and mid send: on restart the journal is consistent, Resume finishes the job, the send is reconciled", async (t) => {
  const { child, start } = await startSandbox();
  t.after(() => child.kill());
  const account = await admin(start, "POST", "accounts", { provider: "twilio", numbers: NUMBERS });
  rememberSandboxAccount(account, "admin-made sandbox account");
  const numbers = account.numbers;
  cli(["org", "add", ORG, "--inbound-base-url", BASE]);
  const connector = JSON.parse(
    cli(
      ["--json", "connector", "add", "--org", ORG, "--kind", "sms", "--provider", "twilio", "--name", CONNECTOR,
        "--account-sid", account.twilio.account_sid, "--from", numbers[0], "--base-url", `${start.url}/twilio`,
        "--secret-stdin"],
      { input: `${account.twilio.auth_token}\n` },
    ),
  );
  cli(["numbers", "activate", connector.id, ...numbers]);
  const expected = cliJson(["webhook", "url", connector.id]).url;
  assert.ok(expected?.startsWith(BASE), JSON.stringify(expected));
  rememberWebhookUrl(`webhook token of ${CONNECTOR}`, expected);
  // Slow answers, so the job is still running when the app is killed (the account's window starts
  // at 32 numbers in flight: the last 8 of the 40 are still being written).
  await admin(start, "POST", "latency", { ms: 1200 });

  // 1. A bulk set, killed half-way.
  let session = await Session.start(WEBDRIVER_URL, APP_BINARY);
  await openConnector(session, ORG, CONNECTOR);
  await clickTab(session, "Numbers");
  await (await session.waitFor(() => session.button("Set webhook on all active"), "Set webhook on all active", 30000)).click();
  await (await session.waitFor(() => session.button(`Set on ${NUMBERS} numbers`), "the plan dialog", 30000)).click();
  await session.waitFor(async () => {
    const text = await (await session.find('[data-testid="webhook-job"]')).textContent();
    const done = Number(/Setting webhooks: (\d+) of/.exec(text)?.[1] ?? 0);
    return done >= 8 && done < NUMBERS;
  }, "the job under way", 60000);
  await killApp(session);
  await admin(start, "POST", "latency", { ms: 0 });

  // The journal after the crash: the job is still running; every number it says is set is set
  // at the provider; the others are pending (their write may or may not have landed).
  const [job] = cliJson(["webhook", "jobs", connector.id]);
  assert.equal(job.state, "running", JSON.stringify(job));
  assert.equal(job.items.length, NUMBERS);
  const changed = job.items.filter((i) => i.outcome === "changed");
  const pending = job.items.filter((i) => i.outcome === "pending");
  assert.ok(changed.length >= 8 && pending.length > 0, `${changed.length} changed, ${pending.length} pending`);
  assert.equal(changed.length + pending.length, NUMBERS, "no number failed");
  let urls = await providerUrls(start, account.twilio);
  for (const item of changed) assert.equal(urls.get(item.e164), expected, `${item.e164} is set as journaled`);

  // 2. Restart: the connector page offers Resume, and Resume finishes the job.
  session = await Session.start(WEBDRIVER_URL, APP_BINARY);
  try {
    await openConnector(session, ORG, CONNECTOR);
    const banner = await session.waitForCss('[data-testid="interrupted-job"]', 30000);
    assert.match(await banner.textContent(), new RegExp(`${changed.length} of ${NUMBERS} numbers done`));
    await session.screenshot(join(SCREENSHOTS, "switchboard-e2e-crash-resume.png"));
    await (await banner.find("button")).click();
    await session.waitFor(() => cliJson(["webhook", "jobs", connector.id])[0].state === "finished", "the job finished", 60000);
    await session.waitFor(async () => (await session.findAll('[data-testid="recovery-banner"]')).length === 0, "the banner gone");
  } catch (error) {
    await session.screenshot(join(SCREENSHOTS, "switchboard-e2e-crash-failure.png"));
    throw error;
  }
  const [resumed] = cliJson(["webhook", "jobs", connector.id]);
  assert.equal(resumed.id, job.id);
  assert.equal(resumed.state, "finished", JSON.stringify(resumed));
  assert.equal(resumed.items.filter((i) => i.outcome === "changed").length, NUMBERS);
  urls = await providerUrls(start, account.twilio);
  for (const e164 of numbers) assert.equal(urls.get(e164), expected, `${e164} set after Resume`);

  // 3. A send, killed while the provider holds the answer back (it did take the message).
  await admin(start, "POST", "faults", { method: "POST", path: "*/Messages.json", kind: "timeout", count: 1 });
  await clickTab(session, "Send test");
  const to = await session.waitForCss('input[name="to"]');
  await to.clear();
  await to.type("+46 70 123 45 67");
  await (await session.find('textarea[name="text"]')).type("Your room is ready");
  await (await session.find('form[aria-label="Send a test message"] button[type="submit"]')).click();
  const held = async () => (await admin(start, "GET", "requests")).filter((r) => r.fault === "timeout");
  await session.waitFor(async () => (await held()).length === 1, "the send at the provider");
  await killApp(session);
  await admin(start, "DELETE", "faults");

  // Journaled before it left: the attempt is there, not final, and the provider has one message.
  const listed = (page) => (Array.isArray(page) ? page : page.attempts);
  const [attempt] = listed(cliJson(["messages", "list", connector.id]));
  assert.equal(attempt.final, false, JSON.stringify(attempt));
  assert.ok(["sending", "unknown"].includes(attempt.outcome), JSON.stringify(attempt));
  const before = (await twilio(start, account.twilio, "Messages.json")).messages;
  assert.equal(before.length, 1);

  // Restart: the app reconciles it with that message, and sends nothing again.
  session = await Session.start(WEBDRIVER_URL, APP_BINARY);
  try {
    await openConnector(session, ORG, CONNECTOR);
    await session.waitFor(() => {
      const now = cliJson(["messages", "show", attempt.id]);
      return now.providerMessageId === before[0].sid && now.outcome !== "unknown" ? now : null;
    }, "the send reconciled with the provider's message", 30000);
    assert.equal((await session.findAll('[data-testid="unknown-sends"]')).length, 0, "nothing left to check");
  } finally {
    await session.end();
  }
  const after = (await twilio(start, account.twilio, "Messages.json")).messages;
  assert.equal(after.length, 1, "the message was never sent twice");
});
