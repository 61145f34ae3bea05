// The app's performance suite (`make bench-app`, run by tests/perf/run.sh under Xvfb and a private
// keyring): the release app against a bare Tauri v2 app built in the same run, each figure a ratio
// of two measurements taken here and now. Prints one table; exits 1 when a target is missed.
//
// - Window time: launch → the window mapped and visible (xdotool), median of LAUNCHES launches,
//   bare app vs the app with an empty data dir (no demo). Idle memory 8 s after the window shows:
//   RSS and PSS summed over the process tree (the app and every descendant: WebKitWebProcess,
//   WebKitNetworkProcess, bwrap, …), from /proc/PID/smaps_rollup.
// - With data (10,000 numbers and 1,000,000 sent messages, a `switchboard sandbox` of its own as
//   the provider): launched by WebKitWebDriver so the page can be read, the app reopens on the
//   connector's Numbers tab (where the user left it); first useful screen = launch → number rows
//   shown, against the empty app's window time measured under the same driver. Memory after
//   scrolling the number list end to end and opening the statistics (Overview), against the bare
//   app's 8 s after its page shows under the same driver. The driver's session holds the page
//   back (it starts 0.5–1 s after the launch, the window long shown), so the same first screen is
//   also read on the page's own clock: from its start to the app's User Timing mark of the first
//   number rows, against the bare page's load.
// - Sizes: the stripped release binaries and the .deb packages.
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

import { Session } from "../e2e/webdriver.mjs";
import { freePort, startSandbox } from "../e2e/helpers.mjs";

const run = promisify(execFile);
const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`bench: ${name} is not set (run tests/perf/run.sh)`);
  return value;
};
const APP = env("APP_BINARY");
const CLI = env("CLI_BINARY");
const BARE = env("BARE_BINARY");
const SEED = env("SEED_BINARY");
const APP_DEB = env("APP_DEB");
const BARE_DEB = env("BARE_DEB");
const LAUNCHES = Number(process.env.LAUNCHES ?? 5);
const IDLE_MS = 8000;
const NUMBERS = 10_000;
const ATTEMPTS = 1_000_000;

const scratch = mkdtempSync(join(tmpdir(), "switchboard-perf-"));
// The E2E helpers (the sandbox) register the secrets they see for the E2E run's secret scan; here
// they go to the bench's scratch folder, deleted at the end.
process.env.E2E_CAPTURE_DIR ??= join(scratch, "capture");
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** What both apps run with: software rendering under Xvfb, no update check, own config/data homes. */
function appEnv(name, extra = {}) {
  const home = join(scratch, name);
  return {
    ...process.env,
    WEBKIT_DISABLE_COMPOSITING_MODE: "1",
    LIBGL_ALWAYS_SOFTWARE: "1",
    // No accessibility bus: in the private D-Bus session its activation held the bare app's
    // window back for minutes now and then (both apps get the same).
    NO_AT_BRIDGE: "1",
    SWITCHBOARD_UPDATES: "off",
    SWITCHBOARD_SANDBOX: "off",
    XDG_CONFIG_HOME: join(home, "config"),
    XDG_DATA_HOME: join(home, "share"),
    XDG_CACHE_HOME: join(home, "cache"),
    ...extra,
  };
}

// ---- processes and memory

function children() {
  const byParent = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // The command name may hold spaces and parentheses: the fields start after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (!byParent.has(ppid)) byParent.set(ppid, []);
      byParent.get(ppid).push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return byParent;
}

/** `pid` and all its descendants. */
function tree(pid) {
  const byParent = children();
  const all = [];
  const queue = [pid];
  while (queue.length) {
    const next = queue.shift();
    all.push(next);
    queue.push(...(byParent.get(next) ?? []));
  }
  return all;
}

/** RSS and PSS (bytes) summed over the process tree of `pid`, what it counted, and each one's PSS. */
function treeMemory(pid) {
  let rss = 0;
  let pss = 0;
  const names = [];
  const parts = [];
  for (const member of tree(pid)) {
    try {
      const rollup = readFileSync(`/proc/${member}/smaps_rollup`, "utf8");
      const own = Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024;
      rss += Number(/^Rss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024;
      pss += own;
      const name = readFileSync(`/proc/${member}/comm`, "utf8").trim();
      names.push(name);
      parts.push(`${name} ${mib(own)}`);
    } catch {
      // Gone, or a kernel thread without a rollup.
    }
  }
  return { rss, pss, names, parts };
}

async function windowVisible(title) {
  try {
    const { stdout } = await run("xdotool", ["search", "--onlyvisible", "--name", `^${title}$`]);
    return stdout.trim().length > 0;
  } catch {
    return false; // xdotool exits 1 when nothing matches
  }
}

/**
 * Milliseconds from `started` until a window named `title` is visible. The limit is generous: the
 * first launch on a fresh display and cache folder builds the font cache (it took over 30 s once).
 */
async function timeToWindow(title, started, limitMs = 120000) {
  while (performance.now() - started < limitMs) {
    if (await windowVisible(title)) return performance.now() - started;
    await sleep(5);
  }
  throw new Error(`no visible window "${title}" within ${limitMs} ms`);
}

async function stopTree(pid) {
  const members = tree(pid);
  for (const member of members) {
    try {
      process.kill(member, "SIGTERM");
    } catch {
      // already gone
    }
  }
  for (let i = 0; i < 100 && members.some((m) => existsPid(m)); i++) await sleep(50);
  for (const member of members) {
    try {
      process.kill(member, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

function existsPid(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// ---- launched directly: window time and idle memory

/**
 * Starts `binary` as a user would (no driver), keeping what it writes on stderr: the app's log,
 * and the bare app's page-load line. `waitFor(pattern)` gives the first match of `pattern` in it.
 */
function launch(binary, launchEnv) {
  const started = performance.now();
  const child = spawn(binary, [], { env: launchEnv, stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  const waiting = new Set();
  const check = () => {
    for (const waiter of waiting) {
      const found = waiter.pattern.exec(log);
      if (found) {
        waiting.delete(waiter);
        waiter.resolve(found.slice(1).map(Number));
      }
    }
  };
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk) => {
    log += chunk;
    check();
  });
  child.on("exit", (code) => {
    for (const waiter of waiting) waiter.reject(new Error(`${binary} exited (${code}) before it logged ${waiter.pattern}`));
    waiting.clear();
  });
  const waitFor = (pattern, limitMs = 60000) =>
    Promise.race([
      new Promise((resolve, reject) => {
        waiting.add({ pattern, resolve, reject });
        check();
      }),
      sleep(limitMs).then(() => {
        throw new Error(`${binary} logged no ${pattern} within ${limitMs / 1000} s:\n${log.slice(-2000)}`);
      }),
    ]);
  return { child, started, launchEpoch: performance.timeOrigin + started, waitFor, log: () => log };
}

// When the window's page has loaded (Tauri's page-load hook): the app's log line and the bare app's.
const PAGE_LOADED_LINE = /page loaded[^\n]*?at (\d+) ms since the Unix epoch/;

async function directLaunch(binary, title, launchEnv) {
  const app = launch(binary, launchEnv);
  try {
    const loaded = app.waitFor(PAGE_LOADED_LINE, IDLE_MS + 60000);
    loaded.catch(() => undefined); // awaited below
    const windowMs = await timeToWindow(title, app.started);
    await sleep(IDLE_MS);
    const [loadedEpoch] = await loaded;
    return { windowMs, pageLoadedMs: loadedEpoch - app.launchEpoch, ...treeMemory(app.child.pid) };
  } finally {
    await stopTree(app.child.pid);
  }
}

// The line the app logs when the page it reopened on first showed number rows (app_first_screen).
const FIRST_SCREEN_LINE =
  /first screen: number rows shown (\d+) ms after the app started \(its page started at (\d+) ms, its script ran at (\d+) ms; rows at (\d+) ms since the Unix epoch\)/;
const SETUP_LINE = /setup: the data folder opened in (\d+) ms, ready (\d+) ms after the app started/;

/**
 * A direct launch that reopens on a Numbers tab, as a user starts the app: the window's time, and
 * when the number rows showed, from the line the app logs with the rows' time on the page's
 * clock, which is this machine's clock: the same one as the launch's. Each part after the launch:
 * the process's start, its setup's end, the page's start, its load, its script, the rows.
 */
async function directFirstScreen(binary, title, launchEnv) {
  const app = launch(binary, launchEnv);
  try {
    const windowMs = await timeToWindow(title, app.started);
    const [rows, page, script, rowsEpoch] = await app.waitFor(FIRST_SCREEN_LINE);
    const [loadedEpoch] = await app.waitFor(PAGE_LOADED_LINE);
    const [opened, ready] = await app.waitFor(SETUP_LINE);
    const processMs = rowsEpoch - rows - app.launchEpoch;
    return {
      windowMs,
      rowsMs: rowsEpoch - app.launchEpoch,
      processMs,
      setupMs: processMs + ready,
      openedMs: opened,
      pageMs: processMs + page,
      loadedMs: loadedEpoch - app.launchEpoch,
      scriptMs: processMs + script,
    };
  } finally {
    await stopTree(app.child.pid);
  }
}

// ---- launched by WebKitWebDriver: what the page shows

/** A WebKitWebDriver whose launches get `launchEnv` (Tauri allows automation on TAURI_WEBVIEW_AUTOMATION). */
async function startDriver(launchEnv) {
  const port = await freePort();
  const driver = spawn("WebKitWebDriver", [`--port=${port}`], {
    env: { ...launchEnv, TAURI_WEBVIEW_AUTOMATION: "true" },
    stdio: ["ignore", "ignore", "ignore"],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (await fetch(`${base}/status`).then((r) => r.ok, () => false)) break;
    await sleep(100);
  }
  return { driver, base };
}

async function openSession(base, binary) {
  const response = await fetch(`${base}/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      capabilities: { alwaysMatch: { "webkitgtk:browserOptions": { binary, args: [] } } },
    }),
  });
  const payload = await response.json();
  if (!response.ok) throw new Error(`WebKitWebDriver: ${JSON.stringify(payload.value ?? payload)}`);
  return new Session(base, payload.value.sessionId);
}

/** The app the driver launched: its child running `binary`. */
function launchedPid(driverPid, binary) {
  const byParent = children();
  for (const pid of byParent.get(driverPid) ?? []) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] === binary) return pid;
    } catch {
      // gone
    }
  }
  throw new Error(`WebKitWebDriver launched no ${binary}`);
}

async function endSession(session, pid) {
  await Promise.race([session.end().catch(() => undefined), sleep(10000)]);
  await stopTree(pid);
}

/**
 * One launch under the driver: window time, then `ready` (a page probe) timed from the same start,
 * then `after` (actions), then memory `settleMs` later; then `leave` (unmeasured).
 */
async function driverLaunch({ driver, base }, binary, title, ready, after, settleMs, leave) {
  const started = performance.now();
  const window = timeToWindow(title, started);
  window.catch(() => undefined); // awaited below; not an unhandled rejection if the session fails first
  const session = await openSession(base, binary);
  const pid = launchedPid(driver.pid, binary);
  try {
    const windowMs = await window;
    await session.waitFor(() => session.execute(ready), "the first useful screen", 60000);
    const readyMs = performance.now() - started;
    const atReady = treeMemory(pid);
    const page = await pageClock(session, performance.timeOrigin + started);
    if (after) await after(session, () => treeMemory(pid));
    await sleep(settleMs);
    const memory = treeMemory(pid);
    if (leave) await leave(session);
    return { windowMs, readyMs, ...memory, atReady, page };
  } finally {
    await endSession(session, pid);
  }
}

/**
 * The page's own clock, read once it is ready: when the page started loading after the launch
 * (`launchEpochMs`; under the driver this waits for its session), when it had loaded, and when the
 * app first showed number rows (its User Timing mark), both from the page's start.
 */
async function pageClock(session, launchEpochMs) {
  const page = await session.execute(`const nav = performance.getEntriesByType("navigation")[0];
    const rows = performance.getEntriesByName(${JSON.stringify(FIRST_NUMBERS_MARK)})[0];
    return { origin: performance.timeOrigin, loaded: nav ? nav.loadEventEnd : null, rows: rows ? rows.startTime : null };`);
  return { startMs: page.origin - launchEpochMs, loadedMs: page.loaded, rowsMs: page.rows };
}

// The mark the Numbers section sets when it first shows rows (FIRST_NUMBERS_MARK in NumbersSection.tsx).
const FIRST_NUMBERS_MARK = "switchboard:first-numbers";
const ROWS_SHOWN = "return document.querySelectorAll('[data-testid=\"number-row\"]').length > 0";

/**
 * Scrolls the number list from its top to its end, a view at a time, letting each view render,
 * in calls of a few hundred views (a WebDriver call must answer within 30 s). Checks that the last
 * number was shown.
 */
async function scrollNumbersEndToEnd(session) {
  await session.call("POST", "/timeouts", { script: 25000 });
  for (;;) {
    const state = await session.call("POST", "/execute/async", {
      script: `const done = arguments[arguments.length - 1];
        const list = document.querySelector(".number-table");
        const seen = (window.__perfSeen ??= new Set());
        let views = 0;
        const step = () => {
          for (const row of list.querySelectorAll('[data-testid="number-row"]')) seen.add(row.dataset.e164);
          const end = list.scrollTop + list.clientHeight >= list.scrollHeight - 1;
          if (end || views++ >= 300) return done({ end, seen: seen.size });
          list.scrollTop += list.clientHeight;
          requestAnimationFrame(() => setTimeout(step, 0));
        };
        step();`,
      args: [],
    });
    if (state.end) {
      // The rows' data is read a page at a time as the list scrolls: the last page may be on its way.
      await session
        .waitFor(
          () => session.execute(`return !!document.querySelector('[data-testid="number-row"][aria-rowindex="${NUMBERS}"]')`),
          "the list's last row",
          10000,
        )
        .catch(() => {
          throw new Error(`the list's end shows no row ${NUMBERS} (${state.seen} numbers seen)`);
        });
      return state.seen;
    }
  }
}

async function openStatistics(session) {
  for (const tab of await session.findAll('[role="tab"]')) {
    if ((await tab.textContent()) === "Overview") {
      await tab.click();
      await session.waitForCss('[data-testid="stats-figures"]', 60000);
      return;
    }
  }
  throw new Error("no Overview tab");
}

// ---- the suite

const mib = (bytes) => `${(bytes / 1048576).toFixed(1)} MiB`;
const msText = (ms) => `${Math.round(ms)} ms`;
const rows = [];
function row(figure, app, bare, format, target) {
  const ratio = app / bare;
  const ok = target === undefined ? null : ratio <= target;
  const entry = { figure, app: format(app), bare: format(bare), ratio: `${ratio.toFixed(2)}×`, target: target ? `≤ ${target}×` : "—", ok };
  rows.push(entry);
  // Each figure as soon as it is known: a run cut short still leaves the ones it took.
  console.error(`   ${figure}: ${entry.app} vs ${entry.bare} (${entry.ratio}, target ${entry.target})`);
}

async function main() {
  process.env.SWITCHBOARD_KEYRING_NAMESPACE ??= `perf-${process.pid}`;
  const size = (path) => statSync(path).size;
  const emptyData = join(scratch, "empty-data");
  const bareEnv = appEnv("bare");
  const emptyEnv = appEnv("empty", { SWITCHBOARD_DATA_DIR: emptyData });

  console.error(`bench: ${LAUNCHES} direct launches of each app (plus one warm-up)…`);
  const bare = [];
  const empty = [];
  for (let i = 0; i <= LAUNCHES; i++) {
    const b = await directLaunch(BARE, "Bare", bareEnv);
    const e = await directLaunch(APP, "Switchboard", emptyEnv);
    // Each launch's figures: the page's start varies by launches, in both apps alike.
    console.error(
      `   direct launch ${i}${i ? "" : " (warm-up)"}, empty: window ${msText(e.windowMs)}, page loaded ${msText(e.pageLoadedMs)}; bare: window ${msText(b.windowMs)}, page loaded ${msText(b.pageLoadedMs)}`,
    );
    if (i > 0) {
      bare.push(b);
      empty.push(e);
    }
  }
  console.error(`   processes counted: app ${empty.at(-1).names.join(", ")}; bare ${bare.at(-1).names.join(", ")}`);
  row("window shown, empty (direct launch)", median(empty.map((r) => r.windowMs)), median(bare.map((r) => r.windowMs)), msText);
  row("page loaded, empty (direct launch)", median(empty.map((r) => r.pageLoadedMs)), median(bare.map((r) => r.pageLoadedMs)), msText);
  // What no app's page beats: the bare app's own static page against its window.
  console.error(
    `   the bare app's page loaded ${msText(median(bare.map((r) => r.pageLoadedMs)))} after its launch, ${(median(bare.map((r) => r.pageLoadedMs)) / median(bare.map((r) => r.windowMs))).toFixed(2)}× its window's time`,
  );
  row("idle RSS after 8 s, empty", median(empty.map((r) => r.rss)), median(bare.map((r) => r.rss)), mib);
  row("idle PSS after 8 s, empty", median(empty.map((r) => r.pss)), median(bare.map((r) => r.pss)), mib);

  console.error("bench: seeding 10,000 numbers and 1,000,000 messages (not a figure)…");
  const sandbox = await startSandbox(CLI);
  const data = join(scratch, "data");
  const dataEnv = appEnv("data", { SWITCHBOARD_DATA_DIR: data });
  let seeded;
  try {
    const { stdout } = await run(SEED, [data, sandbox.start.url, sandbox.start.admin_token, String(NUMBERS), String(ATTEMPTS)], {
      env: dataEnv,
      maxBuffer: 1 << 20,
    });
    seeded = JSON.parse(stdout.trim().split("\n").at(-1));
    if (seeded.numbers !== NUMBERS) throw new Error(`seeded ${seeded.numbers} numbers, expected ${NUMBERS}`);

    console.error("bench: launches under WebKitWebDriver…");
    const drivers = [];
    try {
      const bareDriver = await startDriver(bareEnv);
      const emptyDriver = await startDriver(emptyEnv);
      const dataDriver = await startDriver(dataEnv);
      drivers.push(bareDriver.driver, emptyDriver.driver, dataDriver.driver);
      // Leave the app on the connector's Numbers tab, as a user who works there would; the
      // launches after reopen there.
      const toNumbers = async (session) => {
        await session.execute(`window.location.hash = ${JSON.stringify(`#/connectors/${seeded.connectorId}/numbers`)}`);
        await session.waitFor(() => session.execute(ROWS_SHOWN), "the number rows", 60000);
      };
      await driverLaunch(dataDriver, APP, "Switchboard", "return document.readyState === 'complete'", toNumbers, 0);
      const bareDriven = [];
      const emptyDriven = [];
      const dataDriven = [];
      for (let i = 0; i <= LAUNCHES; i++) {
        const b = await driverLaunch(bareDriver, BARE, "Bare", "return !!document.getElementById('bare')", null, IDLE_MS);
        const e = await driverLaunch(emptyDriver, APP, "Switchboard", "return !!document.querySelector('main')", null, 0);
        let scrolled;
        const d = await driverLaunch(dataDriver, APP, "Switchboard", ROWS_SHOWN, async (session, memory) => {
          await scrollNumbersEndToEnd(session);
          scrolled = memory();
          await openStatistics(session);
        }, IDLE_MS, toNumbers); // the Numbers tab again for the next launch (the tab is remembered)
        console.error(
          `   driver launch ${i}${i ? "" : " (warm-up)"}: data first screen ${msText(d.readyMs)}, PSS ${mib(d.pss)}; empty window ${msText(e.windowMs)}; bare PSS ${mib(b.pss)}`,
        );
        // Where the first screen's time goes: the driver's session before the page starts, then the page.
        console.error(
          `      page clock: app with data: page started ${msText(d.page.startMs)} after the launch, loaded ${msText(d.page.loadedMs)} later, number rows ${d.page.rowsMs === null ? "never marked" : msText(d.page.rowsMs)} after its start; bare: page started ${msText(b.page.startMs)} after the launch, loaded ${msText(b.page.loadedMs)} later`,
        );
        if (d.page.rowsMs === null) throw new Error("the app showed number rows but did not mark them (FIRST_NUMBERS_MARK)");
        // Where the memory is, process by process: what to look at when the PSS target is missed.
        console.error(
          `      PSS by process: app with data at its first screen: ${d.atReady.parts.join(", ")}; right after the scroll: ${scrolled.parts.join(", ")}; after the statistics and ${IDLE_MS / 1000} s: ${d.parts.join(", ")}; bare: ${b.parts.join(", ")}`,
        );
        if (i > 0) {
          bareDriven.push(b);
          emptyDriven.push(e);
          dataDriven.push(d);
        }
      }

      // Started as a user starts it (no driver): the app reopens on the Numbers tab the driven
      // launches left it on.
      console.error("bench: direct launches with data, reopening on the Numbers tab…");
      const dataDirect = [];
      for (let i = 0; i <= LAUNCHES; i++) {
        const d = await directFirstScreen(APP, "Switchboard", dataEnv);
        console.error(
          `   direct launch ${i}${i ? "" : " (warm-up)"} with data: window ${msText(d.windowMs)}; after the launch: process started ${msText(d.processMs)}, setup over ${msText(d.setupMs)} (the data folder opened in ${msText(d.openedMs)}), page started ${msText(d.pageMs)}, script ran ${msText(d.scriptMs)}, page loaded ${msText(d.loadedMs)}, number rows ${msText(d.rowsMs)}`,
        );
        if (i > 0) dataDirect.push(d);
      }
      row(
        "first useful screen with data vs the EMPTY app's window (direct launch)",
        median(dataDirect.map((r) => r.rowsMs)),
        median(empty.map((r) => r.windowMs)),
        msText,
        1.2,
      );
      // No page shows within its window's time: the bare app's own static page loads later.
      row(
        "first useful screen with data vs the bare app's page loaded (direct launch)",
        median(dataDirect.map((r) => r.rowsMs)),
        median(bare.map((r) => r.pageLoadedMs)),
        msText,
      );
      row(
        "first useful screen with data vs the EMPTY app's window (driver)",
        median(dataDriven.map((r) => r.readyMs)),
        median(emptyDriven.map((r) => r.windowMs)),
        msText,
      );
      row(
        "first useful screen with data vs the empty app's first screen (driver)",
        median(dataDriven.map((r) => r.readyMs)),
        median(emptyDriven.map((r) => r.readyMs)),
        msText,
      );
      // The same first screen on the page's own clock (from the page's start, so without the
      // driver's session that comes before it), against the bare page's load on its clock.
      row(
        "number rows shown, from the page's start (page clock) vs the bare page loaded",
        median(dataDriven.map((r) => r.page.rowsMs)),
        median(bareDriven.map((r) => r.page.loadedMs)),
        msText,
      );
      row(
        "the page's start after the launch, under the driver (its session)",
        median(dataDriven.map((r) => r.page.startMs)),
        median(bareDriven.map((r) => r.page.startMs)),
        msText,
      );
      row("window shown, with data (driver)", median(dataDriven.map((r) => r.windowMs)), median(bareDriven.map((r) => r.windowMs)), msText);
      row("RSS with data, scrolled + statistics (driver)", median(dataDriven.map((r) => r.rss)), median(bareDriven.map((r) => r.rss)), mib);
      row("PSS with data, scrolled + statistics (driver)", median(dataDriven.map((r) => r.pss)), median(bareDriven.map((r) => r.pss)), mib, 1.3);
      console.error(
        `   driver: empty app first screen ${msText(median(emptyDriven.map((r) => r.readyMs)))}, bare page ${msText(median(bareDriven.map((r) => r.readyMs)))}`,
      );
    } finally {
      for (const driver of drivers) driver.kill();
    }
  } finally {
    sandbox.child.kill();
  }
  row("release binary (stripped)", size(APP), size(BARE), mib, 1.5);
  row(".deb", size(APP_DEB), size(BARE_DEB), mib, 1.5);
  console.error(`   the app binary serves the CLI in the .deb (no sidecar); the CLI's own binary, as macOS and Windows carry it: ${mib(size(CLI))}`);

  const head = ["figure", "Switchboard", "bare app", "ratio", "target", ""];
  const table = rows.map((r) => [r.figure, r.app, r.bare, r.ratio, r.target, r.ok === null ? "" : r.ok ? "✓" : "✗"]);
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  console.log(`\nThe app against a bare Tauri v2 app (median of ${LAUNCHES} launches each; ${NUMBERS} numbers, ${ATTEMPTS} messages)`);
  console.log(line(head));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const t of table) console.log(line(t));
  const missed = rows.filter((r) => r.ok === false).map((r) => r.figure);
  if (missed.length) {
    console.error(`\nbench-app: missed: ${missed.join("; ")}`);
    return 1;
  }
  return 0;
}

main()
  .then((code) => {
    rmSync(scratch, { recursive: true, force: true });
    process.exit(code);
  })
  .catch((error) => {
    console.error(`bench-app: could not run: ${error.stack ?? error}`);
    rmSync(scratch, { recursive: true, force: true });
    process.exit(2);
  });
