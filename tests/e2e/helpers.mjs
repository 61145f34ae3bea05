// What several end-to-end tests share: a `switchboard sandbox` of their own, the way to a
// connector's page, and its tabs; the registration of every secret the tests use (capture.mjs).
import { execFileSync, spawn } from "node:child_process";
import { createServer } from "node:net";
import { createInterface } from "node:readline";

import { rememberSecret, rememberWebhookUrl } from "./capture.mjs";

export { rememberSecret, rememberWebhookUrl };

/** A port nothing listens on right now (the listener takes it a moment later). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Registers the secrets of a sandbox account (its start line's, or one its admin API made). */
export function rememberSandboxAccount(account, label = "sandbox") {
  if (account.twilio) {
    rememberSecret(`${label} Twilio auth token`, account.twilio.auth_token, { users: [account.twilio.account_sid] });
  }
  if (account.telnyx) rememberSecret(`${label} Telnyx API key`, account.telnyx.api_key);
  if (account["46elks"]) {
    rememberSecret(`${label} 46elks password`, account["46elks"].password, { users: [account["46elks"].username] });
  }
}

/**
 * Registers the token of a connector's inbound URL, asked of the CLI; returns the URL (null when
 * its organization has no inbound base URL, so no token is handed out).
 */
export function rememberWebhookOf(connector, cli = process.env.CLI_BINARY) {
  const { url } = JSON.parse(execFileSync(cli, ["--json", "webhook", "url", connector], { encoding: "utf8" }));
  if (url) rememberWebhookUrl(`webhook token of ${connector}`, url);
  return url ?? null;
}

/** Starts `switchboard sandbox` and returns the child and its start line (URL, credentials, admin token). */
export async function startSandbox(cli = process.env.CLI_BINARY) {
  const child = spawn(cli, ["sandbox"], { stdio: ["ignore", "pipe", "inherit"] });
  const [line] = await Promise.race([
    createInterface({ input: child.stdout })[Symbol.asyncIterator]().next().then((r) => [r.value]),
    new Promise((_, reject) => setTimeout(() => reject(new Error("the sandbox printed no start line")), 15000)),
  ]);
  const start = JSON.parse(line);
  // Created here: registered for the secret scan at once (the admin token too, which the app is
  // never given).
  rememberSecret("sandbox admin token", start.admin_token);
  rememberSandboxAccount(start);
  return { child, start };
}

/** Clicks the connector page's tab named `label`. */
export async function clickTab(session, label) {
  for (const tab of await session.findAll('[role="tab"]')) {
    if ((await tab.textContent()) === label) return tab.click();
  }
  throw new Error(`no tab ${label}`);
}

/** Clicks the connector's link in the sidebar (its organization already open) and waits for its page's tabs. */
export async function openConnectorLink(session, connector) {
  const link = await session.waitFor(async () => {
    for (const a of await session.findAll(".sidebar-connectors a")) if ((await a.textContent()) === connector) return a;
    return null;
  }, `the link of connector ${connector} in the sidebar`);
  await link.click();
  await session.waitForCss('[role="tab"]');
}

/** Opens the organization in the sidebar, then the connector's page. */
export async function openConnector(session, org, connector) {
  await session.waitFor(() => session.button(org), `organization ${org} in the sidebar`);
  await (await session.button(org)).click();
  await openConnectorLink(session, connector);
}

/** The demo's credentials were made by the app's own emulator: a test learns them from the
 * keychain (and each connector's webhook token), for the secret scan. */
export function rememberDemoSecrets(connectors, cli = process.env.CLI_BINARY) {
  const service = `app.switchboard.admin.${process.env.SWITCHBOARD_KEYRING_NAMESPACE}`;
  for (const connector of connectors) {
    const secret = execFileSync("secret-tool", ["lookup", "service", service, "username", `connector/${connector.id}`], {
      encoding: "utf8",
    });
    const user = connector.settings.accountSid ?? connector.settings.username;
    rememberSecret(`the demo's ${connector.name} secret`, secret, { users: user ? [user] : [] });
    rememberWebhookOf(connector.id, cli);
  }
}
