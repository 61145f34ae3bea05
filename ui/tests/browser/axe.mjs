// axe-core run inside the page under test: the accessibility rules a screen reader or keyboard
// user relies on (names, roles, headings, contrast). The test injects axe's own script; nothing
// of it ships with the app.
/* global window, document, axe -- the functions given to page.evaluate run in the page */
import { createRequire } from "node:module";

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** The impacts that fail a test: the issue asks for 0 serious or critical findings. */
export const BLOCKING = new Set(["serious", "critical"]);

/**
 * Runs axe on the page (or within `selector`) and returns the serious and critical findings,
 * each as one readable line per offending node.
 */
export async function axeFindings(page, { selector, label = page.url() } = {}) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: axePath });
  const results = await page.evaluate(async (context) => {
    return axe.run(context ?? document, { resultTypes: ["violations"] });
  }, selector ?? null);
  const lines = [];
  for (const violation of results.violations) {
    if (!BLOCKING.has(violation.impact)) continue;
    for (const node of violation.nodes) {
      lines.push(`${label}: ${violation.id} (${violation.impact}) ${node.target.join(" ")}: ${node.failureSummary.replace(/\s+/g, " ")}`);
    }
  }
  return lines;
}
