// End to end: a message to a guest the sandbox fails goes to the guest's backup email through an
// Email connector made in the app, and reaches the test's real SMTP server (tests/smtp/server.py,
// aiosmtpd) with the original text; the failure is in the Error logs tab, which exports it as CSV.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import { clickTab, openConnectorLink, rememberSecret, startSandbox } from "./helpers.mjs";
import { Session } from "./webdriver.mjs";

const { WEBDRIVER_URL, APP_BINARY, CLI_BINARY } = process.env;
const SCREENSHOTS = process.env.E2E_SCREENSHOTS ?? "/tmp";
const ORG = "Quayside Hotel";
const MAIL = "Harbour mail";
const SMS = "Harbour SMS";
const LOGIN = "frontdesk";
const PASSWORD = "correct horse battery staple";
// The sandbox ends a message to a number ending in 0999 "failed" (Twilio 30008).
const GUEST = "+46701230999";
const BACKUP = "guest@harbour.example";
const TEXT = "Your room 12 is ready";

/**
 * Starts tests/smtp/server.py (the core tests' SMTP server) with a throwaway certificate, and
 * returns its listener ports and the messages it received (one JSON file each).
 */
async function startMailServer(t) {
  const dir = mkdtempSync(join(tmpdir(), "switchboard-e2e-smtp-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // Only the plain listener is used (security "none", allowed to a server on this machine), but
  // the server opens its TLS listeners too and needs a certificate for them.
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
    "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")], { stdio: "ignore" });
  const out = join(dir, "received");
  execFileSync("mkdir", [out]);
  const script = join(dirname(fileURLToPath(import.meta.url)), "..", "smtp", "server.py");
  const child = spawn(process.env.PYTHON ?? "python3",
    [script, "--out", out, "--cert", join(dir, "cert.pem"), "--key", join(dir, "key.pem"), "--login", LOGIN,
      "--password-env", "TEST_SMTP_PASSWORD"],
    { stdio: ["pipe", "pipe", "inherit"], env: { ...process.env, TEST_SMTP_PASSWORD: PASSWORD } });
  t.after(() => {
    child.stdin.end();
    child.kill();
  });
  const [line] = await Promise.race([
    createInterface({ input: child.stdout })[Symbol.asyncIterator]().next().then((r) => [r.value]),
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error("the test SMTP server did not start (scripts/deps.sh test installs aiosmtpd)")), 15000)),
  ]);
  const ports = JSON.parse(line);
  const received = () =>
    readdirSync(out)
      .filter((name) => name.endsWith(".json"))
      .sort()
      .map((name) => JSON.parse(readFileSync(join(out, name), "utf8")));
  return { ports, received };
}

async function connectorRows(session) {
  const rows = await session.findAll('[data-testid="connector-row"]');
  return Promise.all(rows.map((row) => row.textContent()));
}

/** Types into the input named `name` and checks the value took (a clear can race React's re-render). */
async function fill(session, name, value) {
  const input = await session.waitForCss(`[name="${name}"]`);
  await session.waitFor(async () => {
    await input.clear();
    await input.type(value);
    return (await input.property("value")) === value;
  }, `${value} in ${name}`);
}

/**
 * The org page's Add Connector wizard: the type, the provider, Continue, the form filled with
 * `fields` (name → value; selects are chosen), Create connector; then back on the org's page.
 */
async function newConnector(session, kind, provider, fields, more = async () => {}) {
  await (await session.waitFor(() => session.button("Add Connector"), "the Add Connector button")).click();
  await (await session.waitForCss(`input[name="connector-kind"][value="${kind}"]`)).click();
  await (await session.button("Continue")).click();
  await (await session.waitForCss(`input[name="connector-provider"][value="${provider}"]`)).click();
  await (await session.button("Continue")).click();
  await session.waitForCss('input[name="name"]');
  for (const [name, value] of Object.entries(fields)) {
    if (name === "settings.security") await (await session.find(`select[name="${name}"]`)).choose(value);
    else await fill(session, name, value);
  }
  await more();
  await (await session.button("Create connector")).click();
  // Creating opens the new connector's page; the list is on the organization's.
  await session.waitFor(
    async () => (await (await session.find("#connector-title")).textContent()) === fields.name,
    `${fields.name}'s page`,
  );
  await (await session.button(ORG)).click();
}

async function waitActive(session, name) {
  return session.waitFor(
    async () => (await connectorRows(session)).some((t) => t.includes(name) && t.includes("Active")),
    `${name} in the list, checked: Active`,
    30000,
  ).catch(async (error) => {
    await session.screenshot(join(SCREENSHOTS, "switchboard-e2e-backup-failure.png"));
    throw new Error(`${error.message}; rows: ${(await connectorRows(session)).join(" | ")}`);
  });
}

test("a failing recipient's backup email reaches the SMTP server; the failure is in the error log and its CSV", async (t) => {
  const { child, start } = await startSandbox();
  t.after(() => child.kill());
  const mail = await startMailServer(t);
  // Typed into the Email connector's form below.
  rememberSecret("SMTP password", PASSWORD, { users: [LOGIN] });
  execFileSync(CLI_BINARY, ["org", "add", ORG]);

  const session = await Session.start(WEBDRIVER_URL, APP_BINARY);
  try {
    await (await session.waitFor(() => session.button(ORG), "the organization in the sidebar")).click();

    // The Email connector, made in the app: the test's server, no TLS (it is on this machine).
    await newConnector(session, "email", "smtp", {
      name: MAIL,
      "settings.host": "127.0.0.1",
      "settings.port": String(mail.ports.plain),
      "settings.security": "none",
      "settings.username": LOGIN,
      secret: PASSWORD,
      "settings.from": "frontdesk@harbour.example",
    });
    await waitActive(session, MAIL);

    // The SMS connector with a recipient who has a backup email.
    await newConnector(
      session,
      "sms",
      "twilio",
      { name: SMS, "settings.accountSid": start.twilio.account_sid, secret: start.twilio.auth_token, "settings.from": "+14155550101" },
      async () => {
        await (await session.find("details.advanced > summary")).click();
        await fill(session, "settings.baseUrl", `${start.url}/twilio`);
        await (await session.button("Add recipient")).click();
        await fill(session, "recipients[0].number", GUEST);
        await fill(session, "recipients[0].backupEmail", BACKUP);
      },
    );
    await waitActive(session, SMS);

    await openConnectorLink(session, SMS);
    await clickTab(session, "Send test");
    await fill(session, "to", GUEST);
    const body = await session.find('textarea[name="text"]');
    await body.clear();
    await body.type(TEXT);
    await (await session.find('form[aria-label="Send a test message"] button[type="submit"]')).click();

    // Followed to Failed, then the backup email, both pushed to the screen.
    const shown = await session.waitFor(async () => {
      const attempt = await (await session.find('[data-testid="attempt"]')).textContent();
      return attempt.includes("Backup email: sent") ? attempt : null;
    }, "the failure and its backup email on screen", 45000).catch(async (error) => {
      await session.screenshot(join(SCREENSHOTS, "switchboard-e2e-backup-failure.png"));
      throw error;
    });
    assert.equal(await (await session.find('[data-testid="attempt-outcome"]')).textContent(), "Failed");
    assert.match(shown, /30008/);
    assert.match(shown, new RegExp(`Backup email: sent to ${BACKUP}`));
    await session.screenshot(join(SCREENSHOTS, "switchboard-e2e-backup.png"));

    // At the SMTP server: one email to the backup address, with the original text and the failure.
    const [email, ...others] = mail.received();
    assert.equal(others.length, 0, "exactly one backup email");
    assert.deepEqual(email.rcpt_tos, [BACKUP]);
    assert.equal(email.mail_from, "frontdesk@harbour.example");
    assert.ok(email.body.includes(TEXT), email.body);
    assert.ok(email.body.includes(GUEST) && `${email.subject} ${email.body}`.includes(SMS), `${email.subject}\n${email.body}`);

    // The Error logs tab shows the failure.
    await clickTab(session, "Error logs");
    const row = await session.waitFor(async () => {
      for (const r of await session.findAll('[data-testid="log-row"]')) {
        const text = await r.textContent();
        if (text.includes(GUEST)) return text;
      }
      return null;
    }, "the failure's row in the error log");
    assert.match(row, /30008/);
    assert.match(row, /send/);

    // Export CSV: the app writes the file itself into the exports folder (run.sh points
    // SWITCHBOARD_DOWNLOAD_DIR at a scratch folder) and says where.
    await (await session.button("Export CSV")).click();
    const result = await (await session.waitForCss('[data-testid="export-result"]')).textContent();
    const path = await (await session.find('[data-testid="export-result"] code')).textContent();
    assert.ok(path.startsWith(process.env.SWITCHBOARD_DOWNLOAD_DIR), path);
    assert.match(basename(path), /^switchboard-logs-.+\.csv$/);
    const csv = readFileSync(path, "utf8");
    const lines = csv.trim().split("\n");
    assert.equal(lines[0], "time,level,action,kind,code,message,number,connector,attempt");
    const failure = lines.find((l) => l.includes(GUEST));
    assert.ok(failure, csv);
    assert.match(failure, /,error,send,[A-Z_]+,30008,/);
    await session.screenshot(join(SCREENSHOTS, "switchboard-e2e-backup-log.png"));
    assert.equal(result, `Exported ${lines.length - 1} ${lines.length - 1 === 1 ? "entry" : "entries"} to ${path}.`);
  } finally {
    await session.end();
  }
});
