// End to end: the webhook inspector in the real app (issue 11 §3) — started from the organization
// page, the sandbox's inbound simulation posts a signed message to its listener and the dialog
// shows it genuine for its connector and number; a tampered copy pasted into the form is refused
// with its reason (see app.test.mjs for the setup run.sh provides).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { join } from "node:path";
import { test } from "node:test";

import { freePort, rememberWebhookUrl, startSandbox } from "./helpers.mjs";
import { Session } from "./webdriver.mjs";

const { WEBDRIVER_URL, APP_BINARY, CLI_BINARY } = process.env;
const SCREENSHOTS = process.env.E2E_SCREENSHOTS ?? "/tmp";
const ORG = "Pier Lodge";
const CONNECTOR = "Pier SMS";
const NUMBER = "+14155550101";
const GUEST = "+46701234567";

function cli(args, input) {
  return execFileSync(CLI_BINARY, args, input === undefined ? {} : { input }).toString();
}

/** Twilio's X-Twilio-Signature: HMAC-SHA1 over the URL and the sorted form parameters. */
function twilioSignature(authToken, url, params) {
  const data = Object.keys(params).sort().reduce((acc, key) => acc + key + params[key], url);
  return createHmac("sha1", authToken).update(data).digest("base64");
}

/** The text of every report in the listener's list of received requests. */
function receivedReports(session) {
  return session.execute(`return [...document.querySelectorAll('ol[aria-label="Received requests"] > li')]
    .map((li) => li.textContent);`);
}

async function setField(element, value) {
  await element.clear();
  await element.type(value);
}

test("the inspector's listener verifies a sandbox inbound message, and a pasted tampered copy is refused", async (t) => {
  const { child, start } = await startSandbox();
  t.after(() => child.kill());
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  cli(["org", "add", ORG, "--inbound-base-url", base]);
  const connector = JSON.parse(
    cli(
      ["--json", "connector", "add", "--org", ORG, "--kind", "sms", "--provider", "twilio", "--name", CONNECTOR,
        "--from", NUMBER, "--account-sid", start.twilio.account_sid, "--base-url", `${start.url}/twilio`,
        "--secret-stdin"],
      `${start.twilio.auth_token}\n`,
    ),
  );
  cli(["numbers", "list", connector.id]);
  cli(["numbers", "activate", connector.id, NUMBER]);
  cli(["webhook", "set", connector.id, NUMBER]);
  const webhookUrl = JSON.parse(cli(["--json", "webhook", "url", connector.id])).url;
  assert.ok(webhookUrl.startsWith(`${base}/inbound/${connector.id}/`), webhookUrl);
  rememberWebhookUrl(`webhook token of ${CONNECTOR}`, webhookUrl);

  const session = await Session.start(WEBDRIVER_URL, APP_BINARY);
  try {
    await session.waitFor(() => session.button(ORG), "the organization in the sidebar");
    await (await session.button(ORG)).click();
    await (await session.waitFor(() => session.button("Webhook inspector"), "the inspector on the organization page")).click();
    const portField = await session.waitForCss('.inspector-listener input[type="number"]');
    await setField(portField, String(port));
    await (await session.button("Start listening")).click();
    await session.waitFor(async () => {
      const said = await session.execute(`return document.querySelector(".inspector-listener")?.textContent ?? "";`);
      return said.includes(`Listening on ${base}`);
    }, "the listener running on the chosen port");

    // The sandbox signs the message as Twilio does and posts it to the number's webhook URL.
    const posted = await fetch(`${start.url}/_sandbox/inbound`, {
      method: "POST",
      headers: { authorization: `Bearer ${start.admin_token}`, "content-type": "application/json" },
      body: JSON.stringify({ to: NUMBER, from: GUEST, body: "Is breakfast served at 7?" }),
    }).then((r) => r.json());
    assert.equal(posted.status, 200, JSON.stringify(posted));

    const [shown] = await session.waitFor(async () => {
      const reports = await receivedReports(session);
      return reports.length ? reports : null;
    }, "the received request in the dialog", 15000).catch(async (error) => {
      await session.screenshot(join(SCREENSHOTS, "switchboard-e2e-inspector-failure.png"));
      throw error;
    });
    assert.match(shown, /Genuine an inbound message for “Pier SMS” \(twilio\)/);
    assert.match(shown, /\+14155550101 \(one of the connector's numbers\)/);
    assert.match(shown, /answered 200/);
    assert.match(shown, /inbound message from \+46701234567 stored/);
    await session.screenshot(join(SCREENSHOTS, "switchboard-e2e-inspector.png"));

    // A copy "captured on the hotel's server": signed for one body, pasted with another.
    const params = { AccountSid: start.twilio.account_sid, Body: "Is breakfast served at 7?", From: GUEST, MessageSid: "SM0123456789abcdef0123456789abcdef", NumMedia: "0", To: NUMBER };
    const signature = twilioSignature(start.twilio.auth_token, webhookUrl, params);
    const explain = async (body) => {
      const form = await session.waitForCss(".inspector-form");
      await (await form.find('input[type="text"]')).type(webhookUrl);
      const [headers, bodyField] = await session.findAll(".inspector-form textarea");
      // One header: WebKitWebDriver types no newline into a textarea (a form body is the default).
      await headers.type(`X-Twilio-Signature: ${signature}`);
      await bodyField.type(body);
      await (await session.button("Explain")).click();
      const report = await session.waitForCss('.inspector-form [aria-label="Inspection report"]');
      return (await report.textContent()).trim();
    };
    const refused = await explain(new URLSearchParams({ ...params, Body: "Is dinner served at 7?" }).toString());
    assert.match(refused, /^Not genuine an inbound message for “Pier SMS” \(twilio\)/);
    assert.match(refused, /the body was changed on the way/);
    await session.screenshot(join(SCREENSHOTS, "switchboard-e2e-inspector-refused.png"));

    // The same request as signed passes (a fresh form: closing the dialog forgets what was pasted).
    await (await session.find('.inspector-form button[type="button"]')).click();
    await (await session.button("Webhook inspector")).click();
    const accepted = await explain(new URLSearchParams(params).toString());
    assert.match(accepted, /^Genuine an inbound message for “Pier SMS” \(twilio\)/);
  } finally {
    await session.end();
  }
});
