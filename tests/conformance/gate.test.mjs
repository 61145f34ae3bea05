// The conformance gate's judgement on made-up Prism logs: what it must report, and what it may
// forgive. `node --test tests/conformance/gate.test.mjs` (part of `make conformance`).
import assert from "node:assert/strict";
import { test } from "node:test";

import { judgeRun, operationPattern, parseLog, staleWaivers } from "./gate.mjs";

const ACCOUNT = `AC${"a".repeat(32)}`;
const MESSAGES = `/2010-04-01/Accounts/${ACCOUNT}/Messages.json`;
const SEND = "POST /2010-04-01/Accounts/{AccountSid}/Messages.json";

const received = (method, path) => `[5:37:54 PM] › [HTTP SERVER] ${method} ${path} ℹ  info      Request received`;
const violation = (text) => `[5:37:54 PM] ›     [VALIDATOR] ✖  error     Violation: ${text}`;
const refused = (text) => [
  "[5:37:56 PM] ›     [VALIDATOR] ⚠  warning   Request did not pass the validation rules",
  `[5:37:56 PM] ›     [VALIDATOR] ✖  error     ${text}`,
];

const MEDIA_WAIVER = {
  rule: /^request\.body\.MediaUrl$/,
  message: /must be array/,
  request: /^POST \/2010-04-01\/Accounts\/AC\w+\/Messages\.json$/,
  why: "MediaUrl as repeated keys",
};
const GROUP = {
  group: "api",
  flows: { "create message (text)": "send_message", "create message (media + caption)": "send_message" },
};

function flows(...lines) {
  return { code: lines.every((l) => l.ok) ? 0 : 1, out: lines.map((l) => JSON.stringify(l)).join("\n") + "\n" };
}

test("top-level messages are read, in the proxy's words and the mock's", () => {
  const { requests, unplaced } = parseLog([
    received("post", MESSAGES),
    violation("request.body Request body must have required property 'To'"),
    violation("request.body.To Request body property To must be string"),
    violation("response.body.sid Response body property sid must match pattern \"^SM[0-9a-fA-F]{32}$\""),
    received("post", MESSAGES),
    ...refused("Request body must have required property 'To'"),
    "[5:37:56 PM] ›     [VALIDATOR] ✖  error     Request path parameter sid must match pattern \"^PN[0-9a-fA-F]{32}$\"",
    "[5:37:56 PM] ›     [VALIDATOR] ✖  error     Invalid security scheme used",
  ]);
  assert.deepEqual(unplaced, []);
  assert.deepEqual(requests[0].violations, [
    { rule: "request.body", message: "must have required property 'To'" },
    { rule: "request.body.To", message: "must be string" },
    { rule: "response.body.sid", message: 'must match pattern "^SM[0-9a-fA-F]{32}$"' },
  ]);
  assert.deepEqual(requests[1].violations, [
    { rule: "request.body", message: "must have required property 'To'" },
    { rule: "request.path.sid", message: 'must match pattern "^PN[0-9a-fA-F]{32}$"' },
    { rule: "request", message: "Invalid security scheme used" },
  ]);
});

test("a violation before any request is kept, not dropped", () => {
  const { unplaced } = parseLog([violation("request.body Request body must have required property 'To'")]);
  assert.equal(unplaced.length, 1);
});

test("a waived rule forgives the 422 of its own request only", () => {
  const log = [
    received("post", MESSAGES),
    ...refused("Request body must have required property 'To'"),
    received("post", MESSAGES),
    ...refused("Request body property MediaUrl must be array"),
  ];
  const result = flows(
    { flow: "create message (text)", ok: false, error: "Twilio rejected the request (HTTP 422): invalid", requests: [SEND] },
    { flow: "create message (media + caption)", ok: false, error: "Twilio rejected the request (HTTP 422): invalid", requests: [SEND] },
  );
  const verdict = judgeRun({ group: GROUP, runKind: "mock", result, log, selfChecks: [], waivers: [MEDIA_WAIVER] });
  assert.deepEqual(verdict.problems, [
    `REQUEST violation (mock api, flow "create message (text)") POST ${MESSAGES}: request.body must have required property 'To'`,
    'mock api: flow "create message (text)" failed: Twilio rejected the request (HTTP 422): invalid',
  ]);
  assert.ok(verdict.used.has(MEDIA_WAIVER));
});

test("a 422 whose own request broke nothing is not forgiven by another request's waiver", () => {
  const log = [received("post", MESSAGES), received("post", MESSAGES), ...refused("Request body property MediaUrl must be array")];
  const result = flows(
    { flow: "create message (text)", ok: false, error: "Twilio rejected the request (HTTP 422): invalid", requests: [SEND] },
    { flow: "create message (media + caption)", ok: false, error: "Twilio rejected the request (HTTP 422): invalid", requests: [SEND] },
  );
  const verdict = judgeRun({ group: GROUP, runKind: "mock", result, log, selfChecks: [], waivers: [MEDIA_WAIVER] });
  assert.deepEqual(verdict.problems, ['mock api: flow "create message (text)" failed: Twilio rejected the request (HTTP 422): invalid']);
});

test("a flow missing, extra or run twice fails", () => {
  const result = flows(
    { flow: "create message (text)", ok: true, requests: [] },
    { flow: "create message (text)", ok: true, requests: [] },
    { flow: "send a fax", ok: true, requests: [] },
  );
  const verdict = judgeRun({ group: GROUP, runKind: "proxy", result, log: [], selfChecks: [], waivers: [] });
  assert.deepEqual(verdict.problems, [
    'proxy api: the pinned flow "create message (media + caption)" did not run',
    'proxy api: flow "send a fax" is not pinned in GROUPS (pin it, with the client method it calls)',
    'proxy api: flow "create message (text)" ran twice',
  ]);
});

test("the flows' requests must be the ones Prism logged, no more and no fewer", () => {
  const ok = (flow, requests) => ({ flow, ok: true, requests });
  const twoSends = flows(ok("create message (text)", [SEND]), ok("create message (media + caption)", [SEND]));
  const short = judgeRun({ group: GROUP, runKind: "proxy", result: twoSends, log: [received("post", MESSAGES)], selfChecks: [], waivers: [] });
  assert.deepEqual(short.problems, ["proxy api: the flows sent 2 requests, Prism logged 1"]);

  const other = [received("post", MESSAGES), received("get", `/2010-04-01/Accounts/${ACCOUNT}.json`)];
  const wrong = judgeRun({ group: GROUP, runKind: "proxy", result: twoSends, log: other, selfChecks: [], waivers: [] });
  assert.match(wrong.problems[0], /request 2 was GET .* but flow "create message \(media \+ caption\)" sent POST/);

  const extra = [received("post", MESSAGES), received("post", MESSAGES), received("get", "/late")];
  const late = judgeRun({ group: GROUP, runKind: "proxy", result: twoSends, log: extra, selfChecks: [], waivers: [] });
  assert.deepEqual(late.problems, ["proxy api: 0 self-check request(s) sent, 1 logged after the flows"]);
});

test("a self-check Prism did not report fails, as does a response violation in the proxy run", () => {
  const result = flows({ flow: "create message (text)", ok: true, requests: [SEND] }, { flow: "create message (media + caption)", ok: true, requests: [SEND] });
  const bad = `/2010-04-01/Accounts/${ACCOUNT}/IncomingPhoneNumbers/PN-not-a-sid.json`;
  const log = [
    received("post", MESSAGES),
    violation('response.body.status Response body property status must be equal to one of the allowed values: queued, sent'),
    received("post", MESSAGES),
    received("get", bad),
  ];
  const selfChecks = [{ request: `GET ${bad}`, rule: "request.path.sid", message: /pattern/ }];
  const verdict = judgeRun({ group: GROUP, runKind: "proxy", result, log, selfChecks, waivers: [] });
  assert.deepEqual(verdict.problems, [
    `self-check (proxy api): Prism did not report request.path.sid on GET ${bad}`,
    `response violation (proxy api, flow "create message (text)") POST ${MESSAGES}: response.body.status must be equal to one of the allowed values: queued, sent`,
  ]);
});

test("a waiver that matched nothing is stale; one about the pinned specs only when they are read", () => {
  const pinned = { ...MEDIA_WAIVER, pinned: true };
  assert.equal(staleWaivers([MEDIA_WAIVER], new Set(), false).length, 1);
  assert.equal(staleWaivers([pinned], new Set(), true).length, 1);
  assert.equal(staleWaivers([pinned], new Set(), false).length, 0);
  assert.equal(staleWaivers([MEDIA_WAIVER], new Set([MEDIA_WAIVER]), true).length, 0);
});

test("an operation as the client names it matches the path Prism logs", () => {
  assert.ok(operationPattern("GET /v1/Services/{Sid}").test("GET /v1/Services/MG123"));
  assert.ok(operationPattern("GET /2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json?PageSize=1").test(
    `GET /2010-04-01/Accounts/${ACCOUNT}/IncomingPhoneNumbers.json`,
  ));
  assert.ok(!operationPattern("GET /v1/Services/{Sid}").test("GET /v1/Services/MG123/PhoneNumbers"));
  assert.ok(!operationPattern("GET /v1/Services/{Sid}").test("POST /v1/Services/MG123"));
});
