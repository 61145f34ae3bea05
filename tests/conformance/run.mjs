// The Twilio conformance gate. Every Twilio call the app makes (crates/providers/examples/
// twilio_flows.rs, the real client) goes
//   1. through `prism proxy <spec> <sandbox>/twilio`: Prism validates each request against
//      Twilio's OpenAPI spec and each answer of the sandbox too. Any violation fails unless it
//      is in WAIVERS below, each with its evidence;
//   2. against `prism mock <spec>`: Twilio's examples as answers, invalid requests refused with
//      422. Every flow must succeed and every answer parse.
// One Prism per spec file. The specs are Twilio's twilio-oai files as the npm package
// @twilio-alpha/mcp (Twilio, MIT) ships them, locked in package-lock.json; $TWILIO_SPECS may
// point at another copy. Needs the CLI (`switchboard sandbox`) and the flows example built.
//
// The gate is strict: each flow names the requests it sent, and they must be the ones Prism
// logged, in order, so every violation belongs to one request of one flow; a 422 from the mock is
// forgiven only when that very request broke nothing but waived rules; each group runs exactly
// the flows pinned in GROUPS, and those must cover every client method core calls; Prism is
// stopped and its whole log read before anything is judged; both runs of the api group then send
// two malformed requests (a bad SID; a send without `To`, a top-level rule) that must be
// reported; a waiver or amendment that matches nothing fails the gate.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { rmSync } from "node:fs";
import { access, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

import { judgeRun, staleWaivers } from "./gate.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const target = process.env.CARGO_TARGET_DIR ?? join(root, "target");
const CLI = join(target, "debug", "switchboard");
const FLOWS = join(target, "debug", "examples", "twilio_flows");
const PRISM = join(here, "node_modules", ".bin", "prism");

// The spec files this gate was written against: twilio-oai commit 4ae76f3 (2025-07-03, "[Librarian]
// Regenerated @ d122b050…"), which is what @twilio-alpha/mcp 0.7.0 ships in twilio-oai/spec/json
// (each file equal, as JSON, to that commit's). A lock update that changes them fails here, so
// the waivers below are looked at again against the new files before the pins move.
const PACKAGE = "@twilio-alpha/mcp";
const PINNED = {
  version: "0.7.0",
  twilioOai: "twilio-oai 4ae76f3 (2025-07-03)",
  sha256: {
    "twilio_api_v2010.json": "475b69553e34e797af05d34679cdad3bc3b8b4b8b92e6ac044fa6ebc255bf052",
    "twilio_messaging_v1.json": "b82234c04d804b9f3d971bf40ece272c453cb54b7d7168484bffc00a2c5bd1b0",
    "twilio_messaging_v2.json": "49cc04bdcb9148cf10e42ff46a32e4e887eaf530d15782f46ec930ba74270e73",
    "twilio_content_v1.json": "c3f6345c3576b6c322ab54c1a3b3a7ad36f44e11e05e35542bc04b3fe79cf17a",
  },
};
const packageDir = join(here, "node_modules", ...PACKAGE.split("/"));
const usingPinned = !process.env.TWILIO_SPECS;
const specDir = process.env.TWILIO_SPECS ?? join(packageDir, "twilio-oai", "spec", "json");

// Each group's flows, exactly (a flow missing or extra fails), and the client method each one
// exercises. Every TwilioClient method that crates/core calls must be here (checked below).
const GROUPS = [
  {
    group: "api",
    spec: "twilio_api_v2010.json",
    flows: {
      "fetch account (credential check with the auth token)": "fetch_account",
      "check credentials (API key)": "check_credentials",
      "list incoming phone numbers": "each_incoming_phone_number_page",
      "fetch incoming phone number": "fetch_incoming_phone_number",
      "update incoming phone number (SmsUrl, SmsMethod)": "set_sms_webhook",
      "create message (text)": "send_message",
      "create message (media + caption)": "send_message",
      "create message (template)": "send_message",
      "create message (WhatsApp Sandbox From)": "send_message",
      "fetch message": "fetch_message",
      "list messages": "list_messages",
      "message history (From, DateSent>)": "message_pages",
    },
  },
  {
    group: "services",
    spec: "twilio_messaging_v1.json",
    flows: {
      "list messaging services": "list_messaging_services",
      "fetch messaging service": "fetch_messaging_service",
      "list messaging service phone numbers": "list_messaging_service_phone_numbers",
    },
  },
  {
    group: "senders",
    spec: "twilio_messaging_v2.json",
    flows: {
      "create sender": "create_sender",
      "list whatsapp senders": "list_whatsapp_senders",
      "fetch sender": "fetch_sender",
      "update sender (webhook only)": "set_sender_webhook",
      "update sender (profile)": "update_sender",
      "verify sender (verification code)": "verify_sender",
      "delete sender": "delete_sender",
    },
  },
  {
    group: "content",
    spec: "twilio_content_v1.json",
    flows: {
      "list content": "list_content",
      "list content and approvals": "list_content_and_approvals",
    },
  },
];

// Violations the gate forgives, each with its evidence. `rule` and `message` match Prism's
// report; `request` (optional) the request it is on; `run` (optional) "proxy" or "mock";
// `pinned: true` marks a waiver about the pinned spec files only (not required to match when
// $TWILIO_SPECS points elsewhere). Anything else fails the gate.
const WAIVERS = [
  {
    rule: /^response\.body\.(\w+\.)*(first_page_uri|next_page_uri|previous_page_uri|uri|subresource_uris\.\w+)$/,
    message: /must match format "uri"/,
    why: 'Twilio\'s 2010 API gives relative URIs: the spec\'s own ListIncomingPhoneNumber example (readFull) has "first_page_uri" and "uri" starting "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IncomingPhoneNumbers.json?…"',
  },
  {
    rule: /^request\.body\.MediaUrl$/,
    message: /must be array/,
    request: /^POST \/2010-04-01\/Accounts\/AC\w+\/Messages\.json$/,
    why:
      "MediaUrl is sent as repeated keys (MediaUrl=a&MediaUrl=b), the OpenAPI default for a form array (style form, explode true) " +
      "and what Twilio takes; Prism only reads arrays written MediaUrl[]= (stoplightio/prism issue 2473, PR 2654). " +
      "A unit test in crates/providers/src/twilio/requests.rs pins the repeated keys.",
  },
  {
    rule: /^request\.path\.sid$/,
    message: /^must match pattern "\^XE\[0-9a-fA-F\]\{32\}\$"$/,
    request: /^(GET|POST|DELETE) \/v2\/Channels\/Senders\/XEXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX$/,
    run: "mock",
    pinned: true,
    why:
      "the pinned messaging_v2 spec's own CreateChannelsSender example answers sid XEXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX, which its " +
      "own Sid pattern refuses; Prism's mock hands it out and the flows then use it (twilio-oai 7f0d627, 2025-08-28, replaced the placeholders)",
  },
];

// Additions to the pinned specs, for what Twilio's API answers today and the pinned spec does not
// list yet. Each is checked: the pinned spec must lack it, and the sandbox must serve it.
const AMENDMENTS = [
  {
    spec: "twilio_messaging_v2.json",
    schema: "channels_sender_enum_status",
    add: ["TWILIO_REVIEW", "DRAFT"],
    why:
      "WhatsApp senders in review or in draft: Twilio's spec lists both in channels_sender_enum_status from twilio-oai a3f1069 " +
      "(2025-08-18) on, up to the newest copy (twilio-oai d50069b, 2026-04-14); the sandbox seeds a sender in every status the API has",
    served: (start) => senderStatuses(start),
  },
];

function exists(path) {
  return access(path).then(() => true, () => false);
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
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
}
process.on("exit", stopAll);
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]]) {
  process.on(signal, () => process.exit(code));
}

/** Starts a Prism and resolves once it listens; `stop()` ends it and resolves with its whole log. */
async function prism(args) {
  const port = await freePort();
  const child = spawn(PRISM, [...args, "--port", String(port), "--errors=false"], { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  const log = [];
  let ready;
  let stopping = false;
  const closed = new Promise((resolve) => child.on("close", resolve));
  const listening = new Promise((resolve, reject) => {
    ready = resolve;
    child.on("exit", (code) => {
      if (!stopping) reject(new Error(`prism ${args.join(" ")} exited with ${code}:\n${log.slice(-20).join("\n")}`));
    });
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
  async function stop() {
    stopping = true;
    child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await closed; // the process has ended and both pipes are read to their end
    clearTimeout(killer);
    await new Promise((resolve) => setImmediate(resolve)); // the readline interfaces' last lines
    return log;
  }
  return { base: `http://127.0.0.1:${port}`, stop };
}

function run(command, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.on("close", (code) => resolve({ code, out }));
  });
}

const problems = [];
const waived = new Map();
const used = new Set();
const flowTotal = { proxy: 0, mock: 0 };

/** Requests that must be reported: a malformed SID (a path rule) and a send without `To` (a
 * top-level body rule, which Prism words without a property name). */
async function selfCheck(base, accountSid, auth, runKind) {
  const checks = [
    {
      request: `GET /2010-04-01/Accounts/${accountSid}/IncomingPhoneNumbers/PN-not-a-sid.json`,
      rule: "request.path.sid",
      message: /pattern/,
    },
    {
      request: `POST /2010-04-01/Accounts/${accountSid}/Messages.json`,
      rule: "request.body",
      message: /required property 'To'/,
      body: "From=%2B15005550006&Body=self-check",
    },
  ];
  for (const check of checks) {
    const [method, path] = check.request.split(" ");
    const headers = { authorization: auth };
    if (check.body) headers["content-type"] = "application/x-www-form-urlencoded";
    const answer = await fetch(`${base}${path}`, { method, headers, body: check.body });
    await answer.arrayBuffer();
    check.answered = answer.status;
    // The mock must refuse both; the proxy passes them on to the sandbox, which refuses them too.
    if (runKind === "mock") check.status = 422;
  }
  return checks;
}

async function sandbox() {
  const child = spawn(CLI, ["sandbox", "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  const { value } = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next();
  if (value === undefined) throw new Error(`${CLI} sandbox printed no start line; build the CLI first (make conformance does)`);
  return JSON.parse(value);
}

function twilioAuth(start) {
  return `Basic ${Buffer.from(`${start.twilio.account_sid}:${start.twilio.auth_token}`).toString("base64")}`;
}

/** Every status among the seeded account's WhatsApp senders, read straight from the sandbox. */
async function senderStatuses(start) {
  const statuses = new Set();
  let url = `${start.url}/twilio/v2/Channels/Senders?Channel=whatsapp&PageSize=1000`;
  for (let page = 0; url && page < 20; page++) {
    const body = await (await fetch(url, { headers: { authorization: twilioAuth(start) } })).json();
    for (const sender of body.senders ?? []) statuses.add(sender.status);
    url = body.meta?.next_page_url ?? null;
  }
  return statuses;
}

/** Method names of `impl TwilioClient` that crates/core calls (`.name(`). */
async function coreCalls() {
  const client = await readFile(join(root, "crates", "providers", "src", "twilio", "mod.rs"), "utf8");
  const methods = [...client.matchAll(/^\s*pub async fn (\w+)/gm)].map((m) => m[1]);
  // The history import's pager is made by a (non-async) TwilioClient method in history.rs.
  const history = await readFile(join(root, "crates", "providers", "src", "twilio", "history.rs"), "utf8");
  const impl = history.split("impl TwilioClient {")[1]?.split("\n}\n")[0] ?? "";
  methods.push(...[...impl.matchAll(/^\s*pub fn (\w+)/gm)].map((m) => m[1]));
  const sources = [];
  async function walk(dir) {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.name.endsWith(".rs")) sources.push(await readFile(path, "utf8"));
    }
  }
  await walk(join(root, "crates", "core", "src"));
  const text = sources.join("\n");
  return { methods, called: methods.filter((m) => new RegExp(`\\.${m}\\(`).test(text)) };
}

async function sha256(path) {
  return createHash("sha256").update(await readFile(path)).digest("hex");
}

// ---- the run -----------------------------------------------------------------------------

const started = Date.now();
if (!(await exists(join(specDir, "twilio_api_v2010.json")))) {
  console.error(
    usingPinned
      ? `conformance: Twilio's OpenAPI specs are not in ${specDir}; run scripts/deps.sh test (npm ci in tests/conformance)`
      : `conformance: TWILIO_SPECS=${specDir} holds no twilio_api_v2010.json`,
  );
  process.exit(1);
}
let source;
if (usingPinned) {
  const installed = JSON.parse(await readFile(join(packageDir, "package.json"), "utf8")).version;
  source = `${PACKAGE} ${installed} (${PINNED.twilioOai})`;
  if (installed !== PINNED.version) problems.push(`${PACKAGE} ${installed} is installed, the gate pins ${PINNED.version}`);
  for (const [file, hash] of Object.entries(PINNED.sha256)) {
    if ((await sha256(join(specDir, file))) !== hash) {
      problems.push(`${file} in ${PACKAGE} is not the pinned ${PINNED.twilioOai} copy: check WAIVERS and AMENDMENTS against it, then update PINNED`);
    }
  }
} else {
  source = `$TWILIO_SPECS (${specDir})`;
}
console.log(`conformance: Twilio's OpenAPI specs from ${source}`);

// Every client method core calls has a pinned flow, and every pinned flow names a real method.
const { methods, called } = await coreCalls();
const pinnedMethods = new Set(GROUPS.flatMap((g) => Object.values(g.flows)));
for (const method of called) {
  if (!pinnedMethods.has(method)) problems.push(`core calls TwilioClient::${method}, which no pinned flow exercises`);
}
for (const method of pinnedMethods) {
  if (!methods.includes(method)) problems.push(`a pinned flow names TwilioClient::${method}, which does not exist`);
}

// The pinned specs with their amendments, in a scratch folder.
const scratch = await mkdtemp(join(tmpdir(), "switchboard-conformance-"));
process.on("exit", () => rmSync(scratch, { recursive: true, force: true }));
const specPath = new Map(GROUPS.map((g) => [g.spec, join(specDir, g.spec)]));
for (const amendment of AMENDMENTS) {
  const document = JSON.parse(await readFile(join(specDir, amendment.spec), "utf8"));
  const schema = document.components?.schemas?.[amendment.schema];
  if (!Array.isArray(schema?.enum)) {
    problems.push(`amendment: ${amendment.spec} has no enum ${amendment.schema}`);
    continue;
  }
  const present = amendment.add.filter((value) => schema.enum.includes(value));
  if (present.length && usingPinned) problems.push(`stale amendment (the spec lists ${present.join(", ")} already; remove it): ${amendment.schema}`);
  amendment.added = amendment.add.filter((value) => !schema.enum.includes(value));
  schema.enum.push(...amendment.added);
  const path = join(scratch, amendment.spec);
  await writeFile(path, JSON.stringify(document));
  specPath.set(amendment.spec, path);
}

const start = await sandbox();
const auth = twilioAuth(start);
// An approved template of the seeded account, read straight from the sandbox.
const content = await (await fetch(`${start.url}/twilio/v1/ContentAndApprovals`, { headers: { authorization: auth } })).json();
const approved = content.contents.find((c) => c.approval_requests?.status === "approved");
if (!approved) throw new Error("the sandbox has no approved template");
for (const amendment of AMENDMENTS) {
  const served = await amendment.served(start);
  const unused = amendment.add.filter((value) => !served.has(value));
  if (unused.length) problems.push(`stale amendment (the sandbox serves no ${unused.join(", ")}; remove it): ${amendment.schema}`);
}

/** The seeded sender waiting for its verification code, and the code, from the admin API. */
async function pendingSender(start) {
  const answer = await fetch(`${start.url}/_sandbox/verification-codes`, { headers: { authorization: `Bearer ${start.admin_token}` } });
  const [sender, code] = Object.entries(await answer.json())[0] ?? [];
  if (!sender) throw new Error("the sandbox has no sender waiting for a verification code");
  return { TWILIO_PENDING_SENDER: sender, TWILIO_VERIFICATION_CODE: code };
}

// Read before any flow runs: the senders flows use the code up.
const pending = await pendingSender(start);
const MOCK_ACCOUNT = `AC${"a".repeat(32)}`;
const mockAuth = `Basic ${Buffer.from(`${MOCK_ACCOUNT}:mock-token`).toString("base64")}`;
for (const group of GROUPS) {
  const document = specPath.get(group.spec);
  for (const runKind of ["proxy", "mock"]) {
    const server = runKind === "proxy" ? await prism(["proxy", document, `${start.url}/twilio`]) : await prism(["mock", document]);
    const args =
      runKind === "proxy"
        ? ["--account-sid", start.twilio.account_sid, "--content-sid", approved.sid, "--api-key-sid", start.twilio.api_key_sid]
        : ["--account-sid", MOCK_ACCOUNT, "--api-key-sid", `SK${"a".repeat(32)}`];
    const env =
      runKind === "proxy"
        ? { TWILIO_AUTH_TOKEN: start.twilio.auth_token, TWILIO_API_KEY_SECRET: start.twilio.api_key_secret, ...pending }
        : { TWILIO_AUTH_TOKEN: "mock-token", TWILIO_API_KEY_SECRET: "mock-secret" };
    const result = await run(FLOWS, [group.group, "--base", server.base, ...args], env);
    process.stdout.write(result.out.replace(/^(?=.)/gm, `${runKind} ${group.group}: `));
    const selfChecks =
      group.group === "api"
        ? await selfCheck(server.base, runKind === "proxy" ? start.twilio.account_sid : MOCK_ACCOUNT, runKind === "proxy" ? auth : mockAuth, runKind)
        : [];
    const log = await server.stop();
    if (process.env.CONFORMANCE_LOG) process.stderr.write(`--- prism ${runKind} ${group.group}\n${log.join("\n")}\n`);
    const verdict = judgeRun({ group, runKind, result, log, selfChecks, waivers: WAIVERS });
    problems.push(...verdict.problems);
    for (const [why, count] of verdict.waived) waived.set(why, (waived.get(why) ?? 0) + count);
    for (const waiver of verdict.used) used.add(waiver);
    flowTotal[runKind] += verdict.flows;
  }
}

for (const [why, count] of waived) console.log(`waived ×${count}: ${why}`);
for (const amendment of AMENDMENTS.filter((a) => a.added?.length)) {
  console.log(`amended ${amendment.spec} ${amendment.schema} + ${amendment.added.join(", ")}: ${amendment.why}`);
}
problems.push(...staleWaivers(WAIVERS, used, usingPinned));
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`flows: ${flowTotal.proxy} through prism proxy to the sandbox, ${flowTotal.mock} against prism mock; ${seconds} s`);
if (problems.length) {
  console.error(`\nconformance: ${problems.length} problem(s)\n${problems.join("\n")}`);
  process.exit(1);
}
console.log(`conformance: every Twilio request the app makes passes Prism against ${source}; the sandbox's answers too (waivers above)`);
process.exit(0);
