// A small W3C WebDriver client over fetch: enough to drive the real app through tauri-driver.
// Every session records the app's IPC answers for the secret scan (ipc-recorder.mjs, capture.mjs).
import { appendIpc } from "./capture.mjs";
import { drainScript, installScript } from "./ipc-recorder.mjs";

const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

export class WebDriverError extends Error {}

async function call(base, method, path, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    // A WebDriver command that never answers must fail the test, naming the command.
    signal: AbortSignal.timeout(30_000),
  }).catch((error) => {
    throw new WebDriverError(`${method} ${path}: ${error.message}`);
  });
  const payload = await response.json().catch(() => ({}));
  if (!response.ok) {
    const { error, message } = payload.value ?? {};
    throw new WebDriverError(`${method} ${path}: ${response.status} ${error ?? ""} ${message ?? ""}`);
  }
  return payload.value;
}

export class Session {
  static async start(base, application) {
    const value = await call(base, "POST", "/session", {
      capabilities: { alwaysMatch: { "tauri:options": { application } } },
    });
    const session = new Session(base, value.sessionId);
    try {
      await session.installRecorder();
    } catch (error) {
      await session.end().catch(() => undefined);
      throw error;
    }
    return session;
  }

  constructor(base, id) {
    this.base = base;
    this.id = id;
    /** Every IPC record read back from this session's webview (also appended to the capture file). */
    this.captured = [];
  }

  /** Installs the IPC recorder once the window has loaded; fails the test when it cannot. */
  async installRecorder() {
    const status = await this.waitFor(async () => {
      const loaded = await this.execute(
        "return document.readyState === 'complete' && typeof window.__TAURI_INTERNALS__ === 'object';",
      );
      return loaded ? this.execute(installScript) : null;
    }, "the window loaded, to install the IPC recorder", 30000);
    if (!status.installed) throw new WebDriverError(`the IPC recorder could not be installed: ${status.reason}`);
  }

  /**
   * Reads what the recorder saw since the last call into the capture file (and `captured`) and
   * returns it. Before anything that ends the page: the session's end, a reload, killing the app.
   */
  async drainIpc() {
    const drained = await this.execute(drainScript);
    if (!drained) throw new WebDriverError("the IPC recorder is gone: was the page reloaded without Session.refresh?");
    const { records } = drained;
    appendIpc(records);
    this.captured.push(...records);
    return records;
  }

  /** Reloads the page: what was recorded is read first, the recorder installed again after. */
  async refresh() {
    await this.drainIpc();
    await this.call("POST", "/refresh", {});
    await this.installRecorder();
  }

  call(method, path, body) {
    return call(this.base, method, `/session/${this.id}${path}`, body);
  }

  async find(css) {
    const found = await this.call("POST", "/element", { using: "css selector", value: css });
    return new Element(this, found[ELEMENT]);
  }

  async findAll(css) {
    const found = await this.call("POST", "/elements", { using: "css selector", value: css });
    return found.map((element) => new Element(this, element[ELEMENT]));
  }

  async button(text) {
    const xpath = `//button[normalize-space(.)=${JSON.stringify(text)}]`;
    const found = await this.call("POST", "/element", { using: "xpath", value: xpath });
    return new Element(this, found[ELEMENT]);
  }

  /** Polls `probe` until it returns a truthy value (or throws the last error after `ms`). */
  async waitFor(probe, what, ms = 15000) {
    const until = Date.now() + ms;
    let last;
    while (Date.now() < until) {
      try {
        const value = await probe();
        if (value) return value;
      } catch (error) {
        last = error;
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ""}`);
  }

  waitForCss(css, ms) {
    return this.waitFor(() => this.find(css), css, ms);
  }

  /** Fails as soon as `probe` returns a falsy value during `ms`: for "nothing happens". */
  async staysTrue(probe, what, ms = 2000) {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (!(await probe())) throw new Error(`no longer true: ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }

  /** Runs `script` (a function body; `arguments` are `args`) in the page and returns its value. */
  execute(script, ...args) {
    return this.call("POST", "/execute/sync", { script, args });
  }

  /** A picture of the whole X display (WebKitWebDriver's own screenshot hangs under Xvfb). */
  async screenshot(path) {
    const { execFileSync } = await import("node:child_process");
    execFileSync("import", ["-display", process.env.DISPLAY, "-window", "root", path]);
  }

  /** Closes the app. The window goes first: WebKitWebDriver's session delete alone waits forever
   * for a browser that Tauri does not implement the quit request of. */
  async end() {
    // What the recorder saw goes to the capture file first. When it cannot be read, the capture
    // says so and the scan fails on it (throwing here would hide a failing test's own error).
    await this.drainIpc().catch((error) => appendIpc([{ kind: "lost", reason: error.message }]));
    await this.call("DELETE", "/window").catch(() => undefined);
    await this.call("DELETE", "");
  }
}

export class Element {
  constructor(session, id) {
    this.session = session;
    this.id = id;
  }

  click() {
    return this.session.call("POST", `/element/${this.id}/click`, {});
  }

  /** The first element inside this one that matches `css`. */
  async find(css) {
    const found = await this.session.call("POST", `/element/${this.id}/element`, { using: "css selector", value: css });
    return new Element(this.session, found[ELEMENT]);
  }

  /** A DOM property (`disabled`, `value`, …) as the page has it now. */
  property(name) {
    return this.session.call("GET", `/element/${this.id}/property/${name}`);
  }

  type(text) {
    return this.session.call("POST", `/element/${this.id}/value`, { text });
  }

  clear() {
    return this.session.call("POST", `/element/${this.id}/clear`, {});
  }

  text() {
    return this.session.call("GET", `/element/${this.id}/text`);
  }

  /** The DOM's textContent: WebKitWebDriver's rendered text leaves out ellipsised badges. */
  textContent() {
    return this.session.call("GET", `/element/${this.id}/property/textContent`);
  }

  /** Chooses the option of a <select> whose value is `value`. Clicking an <option> would open
   * WebKitGTK's native popup menu, which blocks automation, so the choice is made the way a
   * keyboard change lands: set the value and fire the change event React listens to. */
  async choose(value) {
    const found = await this.session.call("POST", "/execute/sync", {
      script: `const [select, value] = arguments;
        if (![...select.options].some((o) => o.value === value)) return false;
        const setter = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value").set;
        setter.call(select, value);
        select.dispatchEvent(new Event("change", { bubbles: true }));
        return true;`,
      args: [{ [ELEMENT]: this.id }, value],
    });
    if (!found) throw new WebDriverError(`the select has no option ${value}`);
  }
}
