// The E2E run's secret scan (issue 12 §3), run by run.sh after every E2E test: every secret and
// token the tests registered (capture.mjs's rememberSecret / rememberWebhookUrl), and every secret
// left in the run's private keychain, looked for in every IPC answer and pushed message the
// recorder captured in the app's webview, every file of the data dir (the SQLite file with its
// -wal and -shm), every log, every export and bundle (zips opened). Any hit fails, naming the
// place and the secret's label, never the secret.
//
// The rule is the IPC-level scan's (src-tauri/src/ipc_secret_scan_tests.rs): a keychain secret
// may be nowhere; a webhook URL's token may be in the database (it checks inbound requests
// against it) and in command answers (the UI shows the inbound URL to copy into a provider's
// console), nowhere else — not in a message pushed over a channel, a log, an export or a bundle.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { inflateRawSync } from "node:zlib";

import { IPC_FILE, SECRETS_FILE } from "./capture.mjs";

/** The ways a secret can travel: as is, escaped in JSON or a URL, in base64, in Basic/PLAIN auth. */
export function formsOf(entry) {
  const { value } = entry;
  const forms = new Set([value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]);
  forms.add(encodeURIComponent(value).replaceAll("%20", "+"));
  if (entry.kind === "secret") {
    const b64 = (text) => Buffer.from(text).toString("base64");
    forms.add(b64(value));
    for (const user of entry.users ?? []) {
      forms.add(b64(`${user}:${value}`));
      forms.add(b64(`\0${user}\0${value}`));
    }
  }
  return [...forms].filter((form) => form.length >= 6);
}

/** The entries of a zip file (stored or deflated; a nested zip's entries too) as [name, bytes]. */
export function zipEntries(bytes, name) {
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error(`${name}: not a zip (no end of central directory)`);
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  const entries = [];
  for (let i = 0; i < count; i += 1) {
    if (bytes.readUInt32LE(at) !== 0x02014b50) throw new Error(`${name}: a broken central directory`);
    const method = bytes.readUInt16LE(at + 10);
    const size = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    const local = bytes.readUInt32LE(at + 42);
    const entryName = bytes.subarray(at + 46, at + 46 + nameLength).toString("utf8");
    at += 46 + nameLength + extraLength + commentLength;
    if (size === 0xffffffff || local === 0xffffffff) throw new Error(`${name}!${entryName}: zip64 is not read`);
    if (bytes.readUInt32LE(local) !== 0x04034b50) throw new Error(`${name}!${entryName}: a broken local header`);
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const data = bytes.subarray(start, start + size);
    let inner;
    if (method === 0) inner = data;
    else if (method === 8) inner = inflateRawSync(data);
    else throw new Error(`${name}!${entryName}: compression method ${method} is not read`);
    entries.push([`${name}!${entryName}`, inner]);
  }
  return entries;
}

/** Every file under `dir` as [path, bytes], a zip's entries as files of their own. */
export function filesUnder(dir) {
  const files = [];
  const add = (name, bytes) => {
    files.push([name, bytes]);
    if (name.endsWith(".zip")) for (const [inner, innerBytes] of zipEntries(bytes, name)) add(inner, innerBytes);
  };
  const walk = (at) => {
    for (const entry of readdirSync(at).sort()) {
      const path = join(at, entry);
      if (statSync(path).isDirectory()) walk(path);
      else add(path, readFileSync(path));
    }
  };
  walk(dir);
  return files;
}

/** The database and its -wal / -shm / -journal: the one place a webhook token may be kept. */
export function isDatabase(name) {
  return /^switchboard\.db(-wal|-shm|-journal)?$/.test(basename(name));
}

/**
 * Scans everything given for every registered secret. `secrets`: entries of the secrets file;
 * `ipc`: records of the capture file; `files`: [path, bytes, { database }]. Returns the hits
 * ("<place> holds <label>") and what was scanned.
 */
export function scan({ secrets, ipc, files }) {
  const needles = secrets.map((entry) => ({ entry, forms: formsOf(entry).map((form) => Buffer.from(form)) }));
  const hits = new Set();
  // Per hit, the text around it with the secret masked: what to look at when a run leaks.
  const evidence = {};
  const problems = [];
  const look = (place, bytes, { tokensAllowed }) => {
    for (const { entry, forms } of needles) {
      if (entry.kind === "webhook-token" && tokensAllowed) continue;
      const form = forms.find((candidate) => bytes.includes(candidate));
      if (form) {
        const hit = `${place} holds ${entry.kind === "webhook-token" ? "the webhook token" : "the secret"} ${entry.label}`;
        hits.add(hit);
        const at = bytes.indexOf(form);
        const around = (from, to) => bytes.subarray(Math.max(0, from), Math.max(0, to)).toString("utf8").replace(/[^\x20-\x7e]/g, ".");
        // Every secret masked, not only this one: the excerpt is printed.
        const masked = (text) =>
          needles.reduce((out, { forms: all }) => all.reduce((acc, f) => acc.replaceAll(f.toString("utf8"), "<masked>"), out), text);
        evidence[hit] ??= `…${masked(around(at - 120, at))}<${entry.kind}>${masked(around(at + form.length, at + form.length + 60))}…`;
      }
    }
  };
  const commands = new Map();
  let answers = 0;
  let pushes = 0;
  for (const record of ipc) {
    if (record.kind === "answer") {
      answers += 1;
      commands.set(record.command, (commands.get(record.command) ?? 0) + 1);
      // The UI shows the inbound URL: an answer may carry a webhook token, never a secret.
      look(`the ${record.outcome} answer of ${record.command} (${record.from})`, Buffer.from(record.value), {
        tokensAllowed: true,
      });
    } else if (record.kind === "push") {
      pushes += 1;
      look(`a message pushed over a channel or event (${record.from})`, Buffer.from(record.value), {
        tokensAllowed: false,
      });
    } else if (record.kind === "lost") {
      problems.push(`the IPC records of a session in ${record.from} could not be read: ${record.reason}`);
    } else {
      problems.push(`an unknown capture record: ${record.kind}`);
    }
  }
  let bytes = 0;
  for (const [name, content, { database = false } = {}] of files) {
    bytes += content.length;
    look(name, content, { tokensAllowed: database });
  }
  if (!secrets.some((entry) => entry.kind === "secret" && entry.from !== "keychain")) problems.push("no secret was registered: a scan of nothing is no scan");
  if (answers === 0) problems.push("no IPC answer was captured: the recorder saw nothing");
  if (!files.some(([name]) => isDatabase(name))) problems.push("the database was not among the files scanned");
  return {
    hits: [...hits].sort(),
    evidence,
    problems,
    summary: {
      answers,
      pushes,
      commands: Object.fromEntries([...commands].sort()),
      files: files.length,
      bytes,
      secrets: secrets.filter((entry) => entry.kind === "secret").length,
      webhookTokens: secrets.filter((entry) => entry.kind === "webhook-token").length,
    },
  };
}

function readLines(path) {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line));
}

/** Every secret in the run's private keychain (secret-tool), labelled by its keychain user name. */
function keychainSecrets(service) {
  let listed = "";
  try {
    listed = execFileSync("secret-tool", ["search", "--all", "--unlock", "service", service], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch {
    return [];
  }
  // One block an item: "[path]", then "secret = …" and "attribute.username = …" among its lines.
  return listed
    .split(/^\[/m)
    .map((block) => {
      const field = (key) => block.split("\n").find((line) => line.startsWith(`${key} = `))?.slice(key.length + 3);
      return { value: field("secret"), user: field("attribute.username") ?? "?" };
    })
    .filter(({ value }) => value && value.length >= 6)
    .map(({ value, user }) => ({ kind: "secret", label: `keychain item ${user}`, value, users: [], from: "keychain" }));
}

/**
 * `node secret-scan.mjs --capture DIR --database-dir DIR --log-dir DIR [--dir DIR]… [--file FILE]…
 * [--keychain-service NAME]`: exits 1 on a hit or when there was nothing to scan. The database
 * and log dirs must exist; a --dir or --file that does not (nothing was exported) is said.
 */
function main(argv) {
  const args = { dir: [], file: [], logDir: [] };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, "").replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    if (Array.isArray(args[key])) args[key].push(argv[i + 1]);
    else args[key] = argv[i + 1];
  }
  const secrets = readLines(join(args.capture, SECRETS_FILE));
  const registered = secrets.length;
  if (args.keychainService) secrets.push(...keychainSecrets(args.keychainService));
  const ipc = readLines(join(args.capture, IPC_FILE));
  const files = [];
  const absent = [];
  for (const [name, bytes] of filesUnder(args.databaseDir)) files.push([name, bytes, { database: isDatabase(name) }]);
  for (const dir of args.logDir) {
    if (!existsSync(dir)) throw new Error(`no log folder at ${dir}`);
    for (const [name, bytes] of filesUnder(dir)) files.push([name, bytes, {}]);
  }
  for (const dir of args.dir) {
    if (existsSync(dir)) for (const [name, bytes] of filesUnder(dir)) files.push([name, bytes, {}]);
    else absent.push(dir);
  }
  for (const file of args.file) {
    if (existsSync(file)) files.push([file, readFileSync(file), {}]);
    else absent.push(file);
  }
  const { hits, evidence, problems, summary } = scan({ secrets, ipc, files });
  const commands = Object.entries(summary.commands).map(([command, n]) => `${command} ×${n}`);
  console.log(
    `secret scan: ${summary.secrets} secrets (${registered} entries registered by the tests, ` +
      `${secrets.length - registered} from the keychain) and ${summary.webhookTokens} webhook tokens, looked for in ` +
      `${summary.answers} IPC answers of ${commands.length} commands, ${summary.pushes} pushed messages, ` +
      `${summary.files} files (${summary.bytes} bytes)`,
  );
  console.log(`secret scan: commands answered: ${commands.join(", ")}`);
  if (absent.length) console.log(`secret scan: not present (nothing written there): ${absent.join(", ")}`);
  for (const problem of problems) console.error(`secret scan: FAILED: ${problem}`);
  for (const hit of hits) console.error(`secret scan: LEAK: ${hit}\n  around it: ${evidence[hit]}`);
  if (hits.length || problems.length) return 1;
  console.log("secret scan: no hit");
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
