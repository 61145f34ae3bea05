// End to end: Diagnose in the real app — a sandbox connector's page, the Diagnose button, the
// findings on screen as they arrive, then the support bundle saved in the exports folder. Also the
// IPC recorder's test in the real webview (ipc-recorder.mjs): it saw the answers of the commands
// this flow makes the UI call and the findings pushed over the Channel, also after a reload.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { startSandbox, openConnector } from "./helpers.mjs";
import { Session } from "./webdriver.mjs";

const { WEBDRIVER_URL, APP_BINARY, CLI_BINARY } = process.env;
const SCREENSHOTS = process.env.E2E_SCREENSHOTS ?? "/tmp";
const ORG = "Fjord Hotel";
const CONNECTOR = "Fjord SMS";

/** Each finding on screen: severity and title. */
function findings(session) {
  return session.execute(`return [...document.querySelectorAll('[data-testid="finding"]')].map((f) => ({
    severity: f.getAttribute("data-severity"),
    title: f.querySelector("strong")?.textContent ?? "",
  }));`);
}

test("Diagnose a sandbox connector: findings on screen, then a support bundle", async (t) => {
  const { child, start } = await startSandbox();
  t.after(() => child.kill());
  execFileSync(CLI_BINARY, ["org", "add", ORG]);
  execFileSync(
    CLI_BINARY,
    ["connector", "add", "--org", ORG, "--kind", "sms", "--provider", "twilio", "--name", CONNECTOR,
      "--account-sid", start.twilio.account_sid, "--from", "+14155550101", "--base-url", `${start.url}/twilio`,
      "--secret-stdin"],
    { input: `${start.twilio.auth_token}\n` },
  );

  const session = await Session.start(WEBDRIVER_URL, APP_BINARY);
  try {
    await openConnector(session, ORG, CONNECTOR);
    await session.waitFor(() => session.button("Diagnose"), "the Diagnose button on the Overview");
    await (await session.button("Diagnose")).click();

    const seen = await session.waitFor(async () => {
      const summary = await session.findAll('[data-testid="diagnosis-summary"]');
      const list = await findings(session);
      return summary.length && list.length ? list : null;
    }, "the findings and the summary", 30000).catch(async (error) => {
      await session.screenshot(join(SCREENSHOTS, "switchboard-e2e-diagnose-failure.png"));
      throw error;
    });
    assert.ok(
      seen.some((f) => f.severity === "ok" && f.title === "The credentials are right"),
      JSON.stringify(seen),
    );
    assert.ok(!seen.some((f) => f.severity === "error"), JSON.stringify(seen));
    // No inbound base URL: said, with what to do.
    assert.ok(seen.some((f) => f.title === "There is no inbound URL"), JSON.stringify(seen));
    await session.screenshot(join(SCREENSHOTS, "switchboard-e2e-diagnose.png"));

    await (await session.button("Support bundle")).click();
    const saved = await session.waitForCss('[data-testid="bundle-path"]');
    const path = await (await saved.find("code")).textContent();
    assert.ok(path.startsWith(process.env.SWITCHBOARD_DOWNLOAD_DIR), path);
    assert.ok(existsSync(path), `${path} exists`);

    // What the recorder captured in this window: the answers of the commands the UI called for
    // this flow (named, with their values) and the findings pushed over diagnosis_run's Channel.
    await session.drainIpc();
    const answered = (command, text) =>
      session.captured.some((r) => r.kind === "answer" && r.command === command && r.outcome === "resolved" && r.value.includes(text));
    assert.ok(answered("connector_list", CONNECTOR), "the organization page's connector_list answer was captured");
    assert.ok(answered("diagnosis_run", "The credentials are right"), "diagnosis_run's answer was captured");
    assert.ok(answered("support_bundle_create", path.split("/").pop()), "support_bundle_create's answer was captured");
    assert.ok(
      session.captured.some((r) => r.kind === "push" && r.value.includes("The credentials are right")),
      "the findings pushed over the Channel were captured",
    );
    // A reload: read first, installed again after; the next calls are captured too.
    const before = session.captured.length;
    await session.refresh();
    await (await session.waitFor(() => session.button(ORG), "the organization after the reload")).click();
    await session.waitFor(async () => {
      await session.drainIpc();
      return session.captured.slice(before).some((r) => r.kind === "answer" && r.command === "connector_list");
    }, "connector_list's answer captured after the reload");
  } finally {
    await session.end();
  }
});
