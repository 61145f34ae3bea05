// The Twilio conformance gate. Every Twilio call the app makes (crates/providers/examples/
// twilio_flows.rs, the real client) goes
//   1. through `prism proxy <spec> <sandbox>/twilio`: Prism validates each request against
//      Twilio's OpenAPI spec and each answer of the sandbox too. Any request violation fails;
//      a response violation fails unless it is in WAIVERS below, each with the example from
//      Twilio's own spec that shows Twilio answers the same way;
//   2. against `prism mock <spec>`: Twilio's examples as answers, invalid requests refused with
//      422. Every flow must succeed and every answer parse.
// One Prism per spec file. Needs the CLI (`switchboard sandbox`) and the flows example built.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { createInterface } from "node:readline";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const target = process.env.CARGO_TARGET_DIR ?? join(root, "target");
const CLI = join(target, "debug", "switchboard");
const FLOWS = join(target, "debug", "examples", "twilio_flows");
const PRISM = join(here, "node_modules", ".bin", "prism");
// Twilio's specs (MIT) live beside the repository, in ../shared/specs/twilio.
const specDir = process.env.TWILIO_SPECS ?? join(root, "..", "shared", "specs", "twilio");
if (!(await exists(join(specDir, "twilio_api_v2010.json")))) {
  console.error(`conformance: Twilio's OpenAPI specs are not in ${specDir}; set TWILIO_SPECS to their folder`);
  process.exit(1);
}

const GROUPS = [
  { group: "api", spec: "twilio_api_v2010.json" },
  { group: "services", spec: "twilio_messaging_v1.json" },
  { group: "senders", spec: "twilio_messaging_v2.json" },
  { group: "content", spec: "twilio_content_v1.json" },
];

// Response rules Twilio's own answers break; the sandbox answers as Twilio does. A waiver that
// matches nothing in a run fails the gate, so the list holds only what is still needed.
const WAIVERS = [
  {
    rule: /^response\.body\.(\w+\.)*(first_page_uri|next_page_uri|previous_page_uri|uri|subresource_uris\.\w+)$/,
    message: /must match format "uri"/,
    why: 'Twilio\'s 2010 API gives relative URIs: the spec\'s own ListIncomingPhoneNumber example (readFull) has "first_page_uri" and "uri" starting "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IncomingPhoneNumbers.json?…"',
  },
];

// Request rules Prism gets wrong, each with the Prism issue. Requests breaking any other rule fail.
const REQUEST_WAIVERS = [
  {
    rule: /^request\.body\.MediaUrl$/,
    message: /must be array/,
    why:
      "MediaUrl is sent as repeated keys (MediaUrl=a&MediaUrl=b), the OpenAPI default for a form array (style form, explode true) " +
      "and what Twilio takes; Prism only reads arrays written MediaUrl[]= (stoplightio/prism issue 2473, PR 2654). " +
      "A unit test in crates/providers/src/twilio/requests.rs pins the repeated keys.",
  },
];

function exists(path) {
  return import("node:fs/promises").then((fs) => fs.access(path).then(() => true, () => false));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

const children = [];
function stopAll() {
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
}
process.on("exit", stopAll);
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]]) {
  process.on(signal, () => process.exit(code));
}

/** Starts a Prism and resolves once it listens; its log lines collect in `log`. */
async function prism(args) {
  const port = await freePort();
  const child = spawn(PRISM, [...args, "--port", String(port), "--errors=false"], { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  const log = [];
  let ready;
  const listening = new Promise((resolve, reject) => {
    ready = resolve;
    child.on("exit", (code) => reject(new Error(`prism ${args.join(" ")} exited with ${code}:\n${log.slice(-20).join("\n")}`)));
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => {
      log.push(line);
      if (line.includes("Prism is listening")) ready();
    });
  }
  await Promise.race([
    listening,
    new Promise((_, reject) => setTimeout(() => reject(new Error(`prism ${args[0]} did not start in 120 s`)), 120_000)),
  ]);
  return { base: `http://127.0.0.1:${port}`, log, child };
}

function run(command, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.on("exit", (code) => resolve({ code, out }));
  });
}

/** The violations in a Prism log, each with the request it belongs to. */
function violations(log) {
  const found = [];
  let request = "(before any request)";
  for (const raw of log) {
    const line = raw.replace(/\x1b\[[0-9;]*m/g, "");
    const received = line.match(/\[HTTP SERVER\] (\w+) (\S+) .*Request received/);
    if (received) request = `${received[1].toUpperCase()} ${received[2]}`;
    const violation = line.match(/Violation: (\S+) (.*)$/);
    if (violation) found.push({ request, rule: violation[1], message: violation[2].trim() });
    // A mock names no rule: "[VALIDATOR] ✖ error Request body property MediaUrl must be array".
    const refused = line.match(/\[VALIDATOR\] ✖\s+error\s+(Request (body|path|query|header)\w* (property|parameter) (\S+) (.*))$/);
    if (refused) found.push({ request, rule: `request.${refused[2]}.${refused[4]}`, message: refused[5].trim() });
  }
  return found;
}

function waiverFor(v) {
  const list = v.rule.startsWith("request") ? REQUEST_WAIVERS : WAIVERS;
  return list.find((w) => w.rule.test(v.rule) && w.message.test(v.message));
}

/** Counts waived violations; returns the others as problems. */
function judge(found, label) {
  const out = [];
  for (const v of found) {
    const waiver = waiverFor(v);
    if (waiver) {
      waived.set(waiver.why, (waived.get(waiver.why) ?? 0) + 1);
      used.add(waiver);
    } else out.push(`${v.rule.startsWith("request") ? "REQUEST" : "response"} violation (${label}) ${v.request}: ${v.rule} ${v.message}`);
  }
  return out;
}

/** Flow results; a flow Prism's mock refused (422) only for waived request rules is waived too.
 * A run that reports no flow, or ends other than 0 (all passed) or 1 (some failed), is a problem:
 * the gate must not pass because the flows never ran. */
function flowProblems({ code, out }, found, label) {
  const refused = found.filter((v) => v.rule.startsWith("request"));
  const onlyWaived = refused.length > 0 && refused.every((v) => waiverFor(v));
  const lines = out.split("\n").filter(Boolean);
  const problems = [];
  if (lines.length === 0 || (code !== 0 && code !== 1)) problems.push(`${label}: the flows did not run (exit ${code})`);
  flowCount.set(label.split(" ")[0], (flowCount.get(label.split(" ")[0]) ?? 0) + lines.length);
  for (const line of lines) {
    let result;
    try {
      result = JSON.parse(line);
    } catch {
      problems.push(`${label}: unreadable flow output ${line}`);
      continue;
    }
    if (result.ok) continue;
    if (label.startsWith("mock") && onlyWaived && /HTTP 422/.test(result.error)) {
      waived.set(`${label} "${result.flow}" refused by Prism's mock for a waived request rule above`, 1);
      continue;
    }
    problems.push(`${label}: flow "${result.flow}" failed: ${result.error}`);
  }
  return problems;
}

async function sandbox() {
  const child = spawn(CLI, ["sandbox", "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  const { value } = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next();
  if (value === undefined) throw new Error(`${CLI} sandbox printed no start line; build the CLI first (make conformance does)`);
  return JSON.parse(value);
}

const started = Date.now();
const problems = [];
const waived = new Map();
const used = new Set();
const flowCount = new Map();
const start = await sandbox();
// An approved template of the seeded account, read straight from the sandbox.
const auth = `Basic ${Buffer.from(`${start.twilio.account_sid}:${start.twilio.auth_token}`).toString("base64")}`;
const content = await (await fetch(`${start.url}/twilio/v1/ContentAndApprovals`, { headers: { authorization: auth } })).json();
const approved = content.contents.find((c) => c.approval_requests?.status === "approved");
if (!approved) throw new Error("the sandbox has no approved template");

for (const { group, spec } of GROUPS) {
  const document = join(specDir, spec);
  // 1. Proxy to the sandbox.
  const proxy = await prism(["proxy", document, `${start.url}/twilio`]);
  const proxied = await run(
    FLOWS,
    [
      group, "--base", proxy.base, "--account-sid", start.twilio.account_sid, "--content-sid", approved.sid,
      "--api-key-sid", start.twilio.api_key_sid,
    ],
    { TWILIO_AUTH_TOKEN: start.twilio.auth_token, TWILIO_API_KEY_SECRET: start.twilio.api_key_secret },
  );
  await new Promise((resolve) => setTimeout(resolve, 300)); // the last log lines
  process.stdout.write(proxied.out.replace(/^(?=.)/gm, `proxy ${group}: `));
  if (group === "api") {
    // The gate must be able to fail: a request with a malformed SID has to show as a violation.
    const bad = `/2010-04-01/Accounts/${start.twilio.account_sid}/IncomingPhoneNumbers/PN-not-a-sid.json`;
    await fetch(`${proxy.base}${bad}`, { headers: { authorization: auth } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const caught = violations(proxy.log).filter((v) => v.request === `GET ${bad}`);
    if (!caught.some((v) => v.rule === "request.path.sid")) problems.push("self-check: Prism did not report a malformed SID");
  }
  const proxyViolations = violations(proxy.log).filter((v) => !v.request.includes("PN-not-a-sid"));
  problems.push(...judge(proxyViolations, `proxy ${group}`), ...flowProblems(proxied, proxyViolations, `proxy ${group}`));
  proxy.child.kill("SIGTERM");

  // 2. Twilio's own examples as answers.
  const mock = await prism(["mock", document]);
  const mocked = await run(
    FLOWS,
    [group, "--base", mock.base, "--account-sid", `AC${"a".repeat(32)}`, "--api-key-sid", `SK${"a".repeat(32)}`],
    { TWILIO_AUTH_TOKEN: "mock-token", TWILIO_API_KEY_SECRET: "mock-secret" },
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  process.stdout.write(mocked.out.replace(/^(?=.)/gm, `mock ${group}: `));
  const mockViolations = violations(mock.log).filter((v) => v.rule.startsWith("request"));
  problems.push(...judge(mockViolations, `mock ${group}`), ...flowProblems(mocked, mockViolations, `mock ${group}`));
  mock.child.kill("SIGTERM");
}

for (const [why, count] of waived) console.log(`waived ×${count}: ${why}`);
for (const waiver of [...WAIVERS, ...REQUEST_WAIVERS].filter((w) => !used.has(w))) {
  problems.push(`stale waiver (nothing matched it; remove it): ${waiver.rule}`);
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`flows: ${flowCount.get("proxy") ?? 0} through prism proxy to the sandbox, ${flowCount.get("mock") ?? 0} against prism mock; ${seconds} s`);
if (problems.length) {
  console.error(`\nconformance: ${problems.length} problem(s)\n${problems.join("\n")}`);
  process.exit(1);
}
console.log("conformance: every Twilio request the app makes passes Prism; the sandbox's answers too (waivers above)");
process.exit(0);
