// The E2E secret scan's own judgement (secret-scan.mjs), with planted secrets: it must find a
// secret wherever it lies (a log, the database's WAL, inside a bundle's zip, an IPC answer, a
// pushed message, in base64 Basic auth), allow a webhook token only where the IPC-level scan does,
// never print a secret, and refuse to pass when there was nothing to look for or nothing captured.
// Needs no app: it runs with the E2E tests (run.sh) and alone (node --test on this file).
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import { filesUnder, scan } from "./secret-scan.mjs";

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "secret-scan.mjs");
const TOKEN = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6";
const SID = "AC0123456789abcdef0123456789abcdef";
const WEBHOOK = "wh7Tq0kVb2Xy9Lm4Np6Rs8Uv";
const secrets = [
  { kind: "secret", label: "sandbox Twilio auth token", value: TOKEN, users: [SID] },
  { kind: "webhook-token", label: "webhook token of Harbour SMS", value: WEBHOOK },
];
const answer = (command, value) => ({ kind: "answer", command, outcome: "resolved", value: JSON.stringify(value), from: "x.test.mjs" });
const push = (value) => ({ kind: "push", value: JSON.stringify(value), from: "x.test.mjs" });
const database = ["/data/switchboard.db", Buffer.from(`...inbound/c1/${WEBHOOK}...`), { database: true }];
const clean = { secrets, ipc: [answer("connector_list", [{ name: "Harbour SMS" }])], files: [database] };

test("nothing planted: no hit, and a webhook token is allowed in the database and in answers", () => {
  const ipc = [...clean.ipc, answer("webhook_url", { url: `https://h.example/inbound/c1/${WEBHOOK}` })];
  const result = scan({ ...clean, ipc });
  assert.deepEqual(result.hits, []);
  assert.deepEqual(result.problems, []);
  assert.equal(result.summary.answers, 2);
  assert.deepEqual(result.summary.commands, { connector_list: 1, webhook_url: 1 });
});

test("a secret planted anywhere is found and named by its label", () => {
  const basic = Buffer.from(`${SID}:${TOKEN}`).toString("base64");
  const result = scan({
    secrets,
    ipc: [
      answer("connector_get", { settings: { authToken: TOKEN } }),
      { ...answer("connector_check", { message: `bad ${TOKEN}` }), outcome: "rejected" },
      push({ message: { finding: TOKEN }, index: 0 }),
    ],
    files: [
      database,
      ["/data/switchboard.db-wal", Buffer.from(`\0\0${TOKEN}\0`), { database: true }],
      ["/logs/switchboard.log", Buffer.from(`[DEBUG] Authorization: Basic ${basic}\n`)],
    ],
  });
  assert.deepEqual(result.hits, [
    "/data/switchboard.db-wal holds the secret sandbox Twilio auth token",
    "/logs/switchboard.log holds the secret sandbox Twilio auth token",
    "a message pushed over a channel or event (x.test.mjs) holds the secret sandbox Twilio auth token",
    "the rejected answer of connector_check (x.test.mjs) holds the secret sandbox Twilio auth token",
    "the resolved answer of connector_get (x.test.mjs) holds the secret sandbox Twilio auth token",
  ]);
});

test("a webhook token outside the database and the answers is a hit: pushed, logged, exported", () => {
  const result = scan({
    ...clean,
    ipc: [...clean.ipc, push({ message: { url: `/inbound/c1/${WEBHOOK}` }, index: 1 })],
    files: [database, ["/downloads/switchboard-logs.csv", Buffer.from(`x,${WEBHOOK}\n`)]],
  });
  assert.deepEqual(result.hits, [
    "/downloads/switchboard-logs.csv holds the webhook token webhook token of Harbour SMS",
    "a message pushed over a channel or event (x.test.mjs) holds the webhook token webhook token of Harbour SMS",
  ]);
  // What to look at, the token masked.
  const around = result.evidence[result.hits[1]];
  assert.match(around, /"url":"\/inbound\/c1\/<webhook-token>"/);
  assert.ok(!around.includes(WEBHOOK));
});

test("nothing registered, nothing captured or a lost session fails the scan", () => {
  assert.match(scan({ ...clean, secrets: [secrets[1]] }).problems.join(), /no secret was registered/);
  const keychainOnly = [{ ...secrets[0], from: "keychain" }];
  assert.match(scan({ ...clean, secrets: keychainOnly }).problems.join(), /no secret was registered/);
  assert.match(scan({ ...clean, ipc: [push({})] }).problems.join(), /no IPC answer was captured/);
  assert.match(scan({ ...clean, files: [] }).problems.join(), /the database was not among the files/);
  const lost = { kind: "lost", reason: "the app was gone", from: "x.test.mjs" };
  assert.match(scan({ ...clean, ipc: [...clean.ipc, lost] }).problems.join(), /could not be read: the app was gone/);
});

test("the command-line scan opens a bundle's zip, fails on the secret inside, and never prints it", (t) => {
  const root = mkdtempSync(join(tmpdir(), "switchboard-scan-test-"));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const [capture, data, logs, downloads] = ["capture", "data", "logs", "downloads"].map((name) => join(root, name));
  for (const dir of [capture, data, logs, downloads]) mkdirSync(dir);
  writeFileSync(join(capture, "secrets.jsonl"), secrets.map((s) => `${JSON.stringify(s)}\n`).join(""));
  writeFileSync(join(capture, "ipc.jsonl"), `${JSON.stringify(clean.ipc[0])}\n`);
  writeFileSync(join(data, "switchboard.db"), database[1]);
  writeFileSync(join(logs, "switchboard.log"), "[INFO] started\n");
  // A bundle as the app writes one: deflated entries (Python's zipfile, as any zip tool would).
  const bundle = join(downloads, "switchboard-support.zip");
  const zip = (entries) =>
    execFileSync("python3", ["-c", `import sys, zipfile, json
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for name, text in json.loads(sys.argv[2]): z.writestr(name, text)`, bundle, JSON.stringify(entries)]);
  const run = () =>
    spawnSync(process.execPath, [SCRIPT, "--capture", capture, "--database-dir", data, "--log-dir", logs, "--dir", downloads], {
      encoding: "utf8",
    });

  zip([["diagnosis.json", "{}"], ["README.txt", "nothing secret ".repeat(50)]]);
  const passed = run();
  assert.equal(passed.status, 0, passed.stdout + passed.stderr);
  assert.match(passed.stdout, /1 IPC answers of 1 commands/);
  assert.match(passed.stdout, /no hit/);
  assert.equal(filesUnder(downloads).length, 3, "the zip and its two entries");

  zip([["diagnosis.json", "{}"], ["logs/app.log", `${"x".repeat(500)} token=${TOKEN} ${"y".repeat(500)}`]]);
  const failed = run();
  assert.equal(failed.status, 1, failed.stdout + failed.stderr);
  assert.match(failed.stderr, /switchboard-support\.zip!logs\/app\.log holds the secret sandbox Twilio auth token/);
  assert.ok(!`${failed.stdout}${failed.stderr}`.includes(TOKEN), "the scan never prints the secret");
});
