// A small W3C WebDriver client over fetch: enough to drive the real app through tauri-driver.

const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

export class WebDriverError extends Error {}

async function call(base, method, path, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
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
    return new Session(base, value.sessionId);
  }

  constructor(base, id) {
    this.base = base;
    this.id = id;
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

  async screenshot(path) {
    const { writeFile } = await import("node:fs/promises");
    await writeFile(path, Buffer.from(await this.call("GET", "/screenshot"), "base64"));
  }

  async end() {
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

  type(text) {
    return this.session.call("POST", `/element/${this.id}/value`, { text });
  }

  clear() {
    return this.session.call("POST", `/element/${this.id}/clear`, {});
  }

  text() {
    return this.session.call("GET", `/element/${this.id}/text`);
  }

  /** Chooses the option of a <select> whose value is `value`. */
  async choose(value) {
    const option = await this.session.call("POST", `/element/${this.id}/element`, {
      using: "css selector",
      value: `option[value=${JSON.stringify(value)}]`,
    });
    await new Element(this.session, option[ELEMENT]).click();
  }
}
