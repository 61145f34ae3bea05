// The IPC recorder the E2E harness installs in the app's webview (webdriver.mjs's Session does, as
// soon as the window has loaded): every answer the UI receives from a command (resolved value or
// rejection, with the command's name) and every message pushed to it over a Channel or an event,
// kept in the page until the harness reads them back (`drainScript`) into the run's capture file,
// which the secret scan (secret-scan.mjs) reads.
//
// Why not wrap `window.__TAURI_INTERNALS__.invoke` and `.transformCallback`: Tauri 2 defines both
// (and `__TAURI_INTERNALS__` itself on window) with Object.defineProperty and no `writable` or
// `configurable`, so an assignment is silently ignored (it throws in strict code) and the wrapper
// would see nothing. What can be reached: the Map `__TAURI_INTERNALS__.callbacks` that invoke's
// own resolve/reject callbacks, Channels and event listeners are all registered in (transformCallback
// is its register function) and that every answer and message is delivered through (runCallback
// looks the callback up in it); and `window.fetch`, which the IPC custom protocol uses to send a
// command (ipc://localhost/<command>, the resolve and reject callbacks' ids in the Tauri-Callback
// and Tauri-Error headers), so each answer is named by its command.

/**
 * Installs the recorder on `win` (the page's window). Runs in the page: it must not use anything
 * from this module's scope. Returns `{ installed, again?, reason? }`.
 */
export function installRecorder(win) {
  const KEY = "__SWITCHBOARD_E2E_IPC__";
  if (win[KEY]) return { installed: true, again: true };
  const internals = win.__TAURI_INTERNALS__;
  if (!internals) return { installed: false, reason: "the page has no window.__TAURI_INTERNALS__" };
  const callbacks = internals.callbacks;
  if (!(callbacks instanceof Map)) {
    return { installed: false, reason: "window.__TAURI_INTERNALS__.callbacks is not the callbacks Map" };
  }
  if (typeof win.fetch !== "function") return { installed: false, reason: "the page has no fetch" };

  const state = { records: [], requests: 0, names: new Map() };
  Object.defineProperty(win, KEY, { value: state });

  const text = (value) => {
    try {
      if (value instanceof ArrayBuffer) return new TextDecoder().decode(value);
      if (ArrayBuffer.isView(value)) return new TextDecoder().decode(value);
      const json = JSON.stringify(value);
      return json === undefined ? String(value) : json;
    } catch (error) {
      return `<unserialisable: ${error}>`;
    }
  };

  // Which callback ids answer which command (set when the command is sent).
  const name = (url, headers) => {
    const parsed = new URL(url);
    if (parsed.protocol !== "ipc:") return;
    const command = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
    const read = (key) => (headers ? new Headers(headers).get(key) : null);
    const resolve = read("Tauri-Callback");
    const reject = read("Tauri-Error");
    state.requests += 1;
    if (resolve) state.names.set(Number(resolve), { command, outcome: "resolved", pair: Number(reject) });
    if (reject) state.names.set(Number(reject), { command, outcome: "rejected", pair: Number(resolve) });
  };
  const fetch = win.fetch;
  win.fetch = function (input, init) {
    try {
      const url = typeof input === "string" ? input : input && input.url;
      if (typeof url === "string" && url.startsWith("ipc:")) name(url, (init && init.headers) || (input && input.headers));
    } catch {
      // Naming is best effort; the answer is still recorded (as unnamed).
    }
    return fetch.apply(this, arguments);
  };

  const record = (id, data) => {
    const named = state.names.get(id);
    if (named) {
      state.names.delete(id);
      state.names.delete(named.pair);
      state.records.push({ kind: "answer", command: named.command, outcome: named.outcome, value: text(data) });
    } else {
      state.records.push({ kind: "push", value: text(data) });
    }
  };
  const wrap = (id, callback) =>
    typeof callback === "function"
      ? function (data) {
          try {
            record(id, data);
          } catch {
            // Never break the app's IPC.
          }
          return callback.apply(this, arguments);
        }
      : callback;
  // A callback registered before the recorder: a listener or a Channel (a push), or the answer of a
  // command sent before it (the app asks for its first screen's data as the page loads), whose
  // name it never saw. Tauri drops a command's answer callback once it has run (registered
  // `once`); a listener or a Channel stays: so it is told apart after the call.
  const wrapEarly = (id, callback) =>
    typeof callback === "function"
      ? function (data) {
          try {
            return callback.apply(this, arguments);
          } finally {
            try {
              if (callbacks.has(id)) record(id, data);
              else state.records.push({ kind: "answer", command: "(sent before the recorder)", outcome: "early", value: text(data) });
            } catch {
              // Never break the app's IPC.
            }
          }
        }
      : callback;
  const set = Map.prototype.set;
  for (const [id, callback] of [...callbacks]) set.call(callbacks, id, wrapEarly(id, callback));
  callbacks.set = function (id, callback) {
    return set.call(this, id, wrap(id, callback));
  };
  return { installed: true };
}

/** The WebDriver script that installs the recorder (its value: installRecorder's). */
export const installScript = `return (${installRecorder.toString()})(window);`;

/** The WebDriver script that hands over (and forgets) what was recorded; null without a recorder. */
export const drainScript = `const state = window.__SWITCHBOARD_E2E_IPC__;
  if (!state) return null;
  return { records: state.records.splice(0), requests: state.requests };`;
