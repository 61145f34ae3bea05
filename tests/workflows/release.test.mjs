// The release workflow's promises that actionlint cannot see: every platform's bundles, the CLI
// sidecar where tauri.package.conf.json looks for it (macOS, Windows) and none on Linux, secrets reaching only the signing steps, and
// the "Signing" step's script, run here with and without secrets: a missing or incomplete group is
// built unsigned and said so, and never handed on half-set (Tauri would try to sign with it).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, copyFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { parse } from "yaml";

const root = new URL("../../", import.meta.url).pathname;
const workflow = parse(readFileSync(join(root, ".github/workflows/release.yml"), "utf8"));
const job = workflow.jobs.bundle;
const step = (name) => job.steps.find((s) => s.name === name);
const tauriAction = job.steps.find((s) => s.uses?.startsWith("tauri-apps/tauri-action@"));

test("macOS universal .dmg, Windows .msi and NSIS, Linux .deb/.rpm/AppImage, on tags", () => {
  assert.deepEqual(Object.keys(workflow.on.push), ["tags"]);
  const bundles = Object.fromEntries(job.strategy.matrix.include.map((m) => [m.target, m.bundles.split(",")]));
  assert.deepEqual(bundles, {
    "universal-apple-darwin": ["app", "dmg"],
    "x86_64-pc-windows-msvc": ["msi", "nsis"],
    "x86_64-unknown-linux-gnu": ["deb", "rpm", "appimage"],
  });
  assert.match(tauriAction.with.args, /--target \$\{\{ matrix\.target \}\} --bundles \$\{\{ matrix\.bundles \}\}/);
  assert.match(tauriAction.with.args, /--config target\/release\.conf\.json/);
});

test("the CLI sidecar is built where tauri.package.conf.json's externalBin points", () => {
  const overlay = JSON.parse(readFileSync(join(root, "tauri.package.conf.json"), "utf8"));
  assert.deepEqual(overlay.bundle.externalBin, ["target/sidecar/switchboard"]);
  const script = step("CLI sidecar").run;
  assert.match(script, /target\/sidecar\/switchboard-universal-apple-darwin/);
  assert.match(script, /"target\/sidecar\/switchboard-\$TARGET\$exe"/);
  assert.ok(job.steps.indexOf(step("CLI sidecar")) < job.steps.indexOf(tauriAction));
  // On Linux the app's binary is the CLI: no sidecar built, /usr/bin/switchboard runs the app's.
  assert.equal(step("CLI sidecar").if, "runner.os != 'Linux'");
  const linux = JSON.parse(readFileSync(join(root, "tauri.package.linux.conf.json"), "utf8"));
  assert.equal(linux.bundle.externalBin, undefined);
  for (const format of ["deb", "rpm"]) {
    assert.deepEqual(linux.bundle.linux[format].files, { "/usr/bin/switchboard": "packaging/linux/switchboard" });
  }
  const wrapper = readFileSync(join(root, "packaging/linux/switchboard"), "utf8");
  assert.match(wrapper, /^#!\/bin\/sh\n/);
  assert.match(wrapper, /\/switchboard-app" cli "\$@"$/m);
});

test("the updater feed: tauri-action uploads latest.json, Windows through NSIS", () => {
  assert.equal(tauriAction.with.includeUpdaterJson, true);
  assert.equal(tauriAction.with.updaterJsonPreferNsis, true);
  assert.match(tauriAction.with.tauriScript, /^node ui\/node_modules\/@tauri-apps\/cli\/tauri\.js$/);
});

test("secrets reach only the signing steps (and the release token the upload step)", () => {
  for (const s of job.steps) {
    const secrets = [...JSON.stringify(s).matchAll(/secrets\.([A-Z_]+)/g)].map((m) => m[1]);
    if (s === tauriAction) assert.deepEqual(secrets, ["GITHUB_TOKEN"]);
    else if (s.name !== "Signing" && s.name !== "Windows code-signing certificate")
      assert.deepEqual(secrets, [], `step ${s.name ?? s.uses} sees no secret`);
  }
  // The bundling is the last step, so what "Signing" hands on through GITHUB_ENV reaches no other.
  assert.equal(job.steps.at(-1), tauriAction);
  assert.ok(job.steps.indexOf(step("Signing")) === job.steps.length - 2);
});

/** Runs the "Signing" step's script with `env` (as GitHub would after mapping the secrets). */
function signing(env) {
  const dir = mkdtempSync(join(tmpdir(), "release-signing-"));
  try {
    for (const overlay of ["tauri.package.conf.json", "tauri.package.linux.conf.json"]) {
      copyFileSync(join(root, overlay), join(dir, overlay));
    }
    mkdirSync(join(dir, "target"));
    const githubEnv = join(dir, "github-env");
    // As GitHub runs a `shell: bash` step; a secret that is not set maps to "".
    const mapped = Object.fromEntries(Object.keys(step("Signing").env).map((name) => [name, ""]));
    const log = execFileSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", step("Signing").run], {
      cwd: dir,
      env: { PATH: process.env.PATH, GITHUB_ENV: githubEnv, ...mapped, ...env },
      encoding: "utf8",
    });
    let handed = "";
    try {
      handed = readFileSync(githubEnv, "utf8");
    } catch {
      // nothing handed on
    }
    const names = [...handed.matchAll(/^([A-Z_]+)<<(EOF_[0-9a-f]{32})$/gm)].map((m) => m[1]);
    const config = JSON.parse(readFileSync(join(dir, "target/release.conf.json"), "utf8"));
    return { log, names, handed, config };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const APPLE = {
  APPLE_CERTIFICATE: "Y2VydA==",
  APPLE_CERTIFICATE_PASSWORD: "p12-password",
  APPLE_SIGNING_IDENTITY: "Developer ID Application: Example (TEAM123456)",
  APPLE_ID: "dev@example.com",
  APPLE_PASSWORD: "app-specific-password",
  APPLE_TEAM_ID: "TEAM123456",
};
const UPDATER = { TAURI_SIGNING_PRIVATE_KEY: "line one\nline two", TAURI_SIGNING_PRIVATE_KEY_PASSWORD: "key-password" };

test("no secret at all: every platform builds unsigned, and the log says so", () => {
  for (const OS of ["macOS", "Windows", "Linux"]) {
    const { log, names, config } = signing({ OS });
    assert.deepEqual(names, [], `${OS}: nothing handed on`);
    assert.match(log, /::warning::Updater: no TAURI_SIGNING_PRIVATE_KEY secret; no updater signatures and no latest\.json/);
    assert.equal(config.bundle.createUpdaterArtifacts, false);
    if (OS === "Linux") {
      assert.equal(config.bundle.externalBin, undefined, "Linux: the app's binary is the CLI");
      assert.deepEqual(config.bundle.linux.deb.files, { "/usr/bin/switchboard": "packaging/linux/switchboard" });
    } else {
      assert.deepEqual(config.bundle.externalBin, ["target/sidecar/switchboard"]);
    }
    assert.equal(config.bundle.windows, undefined);
    if (OS === "macOS") assert.match(log, /::warning::macOS: .*the \.app and \.dmg are UNSIGNED and not notarised/);
  }
});

test("every secret: each group handed on whole, the updater artifacts on, Windows signs by thumbprint", () => {
  const mac = signing({ OS: "macOS", ...APPLE, ...UPDATER });
  assert.deepEqual(mac.names.sort(), [...Object.keys(APPLE), ...Object.keys(UPDATER)].sort());
  assert.ok(mac.handed.includes("line one\nline two"), "a multi-line key is handed on intact");
  assert.equal(mac.config.bundle.createUpdaterArtifacts, true);
  assert.doesNotMatch(mac.log, /::warning::/);
  assert.match(mac.log, /macOS: the app is notarised/);
  for (const value of Object.values({ ...APPLE, ...UPDATER })) assert.ok(!mac.log.includes(value), "no secret in the log");

  const windows = signing({ OS: "Windows", ...UPDATER, WINDOWS_THUMBPRINT: "AB12", WINDOWS_TIMESTAMP_URL: "http://ts.invalid" });
  assert.deepEqual(windows.config.bundle.windows, {
    certificateThumbprint: "AB12",
    digestAlgorithm: "sha256",
    timestampUrl: "http://ts.invalid",
  });
  assert.deepEqual(windows.names.sort(), Object.keys(UPDATER).sort(), "no Apple secret on Windows");
});

test("an incomplete group is left out whole and said so", () => {
  const noPassword = signing({ OS: "macOS", APPLE_CERTIFICATE: APPLE.APPLE_CERTIFICATE, APPLE_SIGNING_IDENTITY: "x" });
  assert.deepEqual(noPassword.names, []);
  assert.match(noPassword.log, /::warning::macOS: .*UNSIGNED/);

  const noTeam = signing({ OS: "macOS", ...APPLE, APPLE_TEAM_ID: "" });
  assert.deepEqual(noTeam.names.sort(), ["APPLE_CERTIFICATE", "APPLE_CERTIFICATE_PASSWORD", "APPLE_SIGNING_IDENTITY"]);
  assert.match(noTeam.log, /::warning::macOS: .*signed but NOT NOTARISED/);

  const keyOnly = signing({ OS: "Linux", TAURI_SIGNING_PRIVATE_KEY: "k" });
  assert.deepEqual(keyOnly.names, ["TAURI_SIGNING_PRIVATE_KEY"], "an unencrypted key needs no password");
  assert.equal(keyOnly.config.bundle.createUpdaterArtifacts, true);
});
