// What several end-to-end tests share: a `switchboard sandbox` of their own, the way to a
// connector's page, and its tabs.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

/** Starts `switchboard sandbox` and returns the child and its start line (URL, credentials, admin token). */
export async function startSandbox(cli = process.env.CLI_BINARY) {
  const child = spawn(cli, ["sandbox"], { stdio: ["ignore", "pipe", "inherit"] });
  const [line] = await Promise.race([
    createInterface({ input: child.stdout })[Symbol.asyncIterator]().next().then((r) => [r.value]),
    new Promise((_, reject) => setTimeout(() => reject(new Error("the sandbox printed no start line")), 15000)),
  ]);
  return { child, start: JSON.parse(line) };
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
