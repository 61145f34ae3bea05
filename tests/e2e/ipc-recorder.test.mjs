// The IPC recorder (ipc-recorder.mjs) against a page built the way Tauri 2 builds its IPC: the
// internals object and its invoke/transformCallback defined read-only, invoke registering its
// resolve/reject callbacks in the callbacks Map through its own closure, sending the command by
// fetch to ipc://localhost/<command>, every answer and message delivered by runCallback. The real
// webview's half is in diagnose.test.mjs (answers of commands the UI is known to call, and the
// findings pushed over a Channel). Needs no app.
import assert from "node:assert/strict";
import { test } from "node:test";

import { drainScript, installRecorder } from "./ipc-recorder.mjs";

/** A window whose IPC behaves as Tauri 2's does; `answer(command, payload)` plays the app. */
function tauriLikeWindow(answer) {
  const win = {};
  const callbacks = new Map();
  let next = 1;
  const register = (callback, once) => {
    const id = next++;
    callbacks.set(id, (data) => {
      if (once) callbacks.delete(id);
      return callback && callback(data);
    });
    return id;
  };
  const runCallback = (id, data) => callbacks.get(id)?.(data);
  const internals = {};
  // As Tauri does: no `writable`, no `configurable`.
  Object.defineProperty(win, "__TAURI_INTERNALS__", { value: internals });
  Object.defineProperty(internals, "transformCallback", { value: register });
  Object.defineProperty(internals, "runCallback", { value: runCallback });
  Object.defineProperty(internals, "callbacks", { value: callbacks });
  win.fetch = async (url, init) => {
    const command = decodeURIComponent(new URL(url).pathname.slice(1));
    const headers = new Headers(init.headers);
    try {
      const value = await answer(command, JSON.parse(init.body));
      runCallback(Number(headers.get("Tauri-Callback")), value);
    } catch (error) {
      runCallback(Number(headers.get("Tauri-Error")), error);
    }
    return new Response(null);
  };
  Object.defineProperty(internals, "invoke", {
    value: (command, payload = {}) =>
      new Promise((resolve, reject) => {
        const ok = register((value) => {
          resolve(value);
          callbacks.delete(error);
        }, true);
        const error = register((value) => {
          reject(value);
          callbacks.delete(ok);
        }, true);
        win.fetch(`ipc://localhost/${encodeURIComponent(command)}`, {
          method: "POST",
          body: JSON.stringify(payload),
          headers: { "Tauri-Callback": String(ok), "Tauri-Error": String(error) },
        });
      }),
  });
  return win;
}

/** What the harness reads back (drainScript run in this window). */
const drain = (win) => new Function("window", drainScript)(win);

const app = async (command, payload) => {
  if (command === "connector_list") return [{ id: "c1", name: "Harbour SMS" }];
  if (command === "plugin:event|listen") return 7;
  throw { code: "NOT_FOUND", message: `no connector ${payload.id}` };
};

test("assigning a wrapper to Tauri's invoke does nothing: the recorder cannot go that way", () => {
  const win = tauriLikeWindow(app);
  const original = win.__TAURI_INTERNALS__.invoke;
  // A TypeError in strict code such as this module; silently ignored in a WebDriver script.
  assert.throws(() => {
    win.__TAURI_INTERNALS__.invoke = () => "wrapped";
  }, TypeError);
  new Function("internals", 'internals.invoke = () => "wrapped";')(win.__TAURI_INTERNALS__);
  assert.equal(win.__TAURI_INTERNALS__.invoke, original);
  assert.throws(() => Object.defineProperty(win.__TAURI_INTERNALS__, "invoke", { value: () => "wrapped" }), TypeError);
});

test("every answer is recorded with its command, resolved or rejected, and still reaches the UI", async () => {
  const win = tauriLikeWindow(app);
  assert.deepEqual(installRecorder(win), { installed: true });
  assert.deepEqual(installRecorder(win), { installed: true, again: true }, "a second install changes nothing");
  const listed = await win.__TAURI_INTERNALS__.invoke("connector_list", { orgId: null });
  assert.deepEqual(listed, [{ id: "c1", name: "Harbour SMS" }]);
  const refused = await win.__TAURI_INTERNALS__.invoke("connector_get", { id: "nope" }).catch((error) => error);
  assert.equal(refused.code, "NOT_FOUND");
  const { records, requests } = drain(win);
  assert.equal(requests, 2);
  assert.deepEqual(records, [
    { kind: "answer", command: "connector_list", outcome: "resolved", value: JSON.stringify(listed) },
    { kind: "answer", command: "connector_get", outcome: "rejected", value: JSON.stringify(refused) },
  ]);
  assert.deepEqual(drain(win).records, [], "read back once");
});

test("messages over a Channel or to an event listener are recorded, also for callbacks registered before the recorder", async () => {
  const win = tauriLikeWindow(app);
  const internals = win.__TAURI_INTERNALS__;
  const heard = [];
  const early = internals.transformCallback((event) => heard.push(event.payload));
  await internals.invoke("plugin:event|listen", { event: "x", handler: early });
  installRecorder(win);
  const channel = internals.transformCallback((message) => heard.push(message.message));
  internals.runCallback(channel, { index: 0, message: { severity: "ok", title: "The credentials are right" } });
  internals.runCallback(early, { event: "x", payload: "hello" });
  assert.deepEqual(heard, [{ severity: "ok", title: "The credentials are right" }, "hello"]);
  assert.deepEqual(drain(win).records, [
    { kind: "push", value: JSON.stringify({ index: 0, message: { severity: "ok", title: "The credentials are right" } }) },
    { kind: "push", value: JSON.stringify({ event: "x", payload: "hello" }) },
  ]);
});

test("the answer of a command sent before the recorder is recorded as an answer of an unknown command, not a push", async () => {
  // The app answers webhook_jobs later, through runCallback below.
  const win = tauriLikeWindow((command, payload) => (command === "webhook_jobs" ? new Promise(() => {}) : app(command, payload)));
  const internals = win.__TAURI_INTERNALS__;
  // Sent as the page loads (the app's first screen), answered once the recorder is in.
  const answer = internals.invoke("webhook_jobs", { connectorId: "c1" });
  const [ok, error] = [...internals.callbacks.keys()];
  const listener = internals.transformCallback(() => undefined);
  installRecorder(win);
  internals.runCallback(ok, [{ id: "j1", newUrl: "https://hooks.example/inbound/c1/token" }]);
  assert.deepEqual(await answer, [{ id: "j1", newUrl: "https://hooks.example/inbound/c1/token" }], "the UI still gets it");
  assert.equal(internals.callbacks.has(error), false);
  internals.runCallback(listener, { event: "x", payload: "hello" });
  assert.deepEqual(drain(win).records, [
    {
      kind: "answer",
      command: "(sent before the recorder)",
      outcome: "early",
      value: JSON.stringify([{ id: "j1", newUrl: "https://hooks.example/inbound/c1/token" }]),
    },
    { kind: "push", value: JSON.stringify({ event: "x", payload: "hello" }) },
  ]);
});

test("a page without Tauri's internals is refused, not silently unrecorded", () => {
  assert.equal(installRecorder({ fetch() {} }).installed, false);
  const win = tauriLikeWindow(app);
  assert.equal(drain(win), null, "nothing to read before the install");
});
