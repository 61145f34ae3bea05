// The conformance gate's judgement, apart from running anything so it can be tested
// (gate.test.mjs): reading Prism's log, tying its requests to the flows, applying waivers.

/**
 * The requests in a Prism log, in order, each with the violations reported for it. Proxy lines
 * read `Violation: request.body.To Request body property To …` (or `Violation: request.body
 * Request body must have required property 'To'`, a top-level one); the mock logs
 * `[VALIDATOR] ✖ error Request body must have required property 'To'` after "Request did not
 * pass the validation rules". A violation before any request, or one the parser cannot place,
 * is a problem too.
 */
export function parseLog(log) {
  const requests = [];
  const unplaced = [];
  let current = null;
  for (const raw of log) {
    const line = raw.replace(/\x1b\[[0-9;]*m/g, "");
    const received = line.match(/\[HTTP SERVER\] (\w+) (\S+) .*Request received/);
    if (received) {
      current = { request: `${received[1].toUpperCase()} ${received[2]}`, violations: [] };
      requests.push(current);
      continue;
    }
    let violation = null;
    const proxied = line.match(/Violation: ((?:request|response)(?:\.\S+)?) (.*)$/);
    const validator = line.match(/\[VALIDATOR\]\s+\S+\s+(error|warning)\s+(.*)$/);
    if (proxied) {
      violation = { rule: proxied[1], message: proxied[2].trim() };
      // "request.body.To Request body property To must be string": keep what follows the name.
      const tail = violation.message.match(/^(?:Request|Response) (?:body|path|query|header)\w*(?: (?:property|parameter) \S+)? (.*)$/);
      if (tail) violation.message = tail[1];
    } else if (line.includes("Violation:")) {
      violation = { rule: "(unreadable)", message: line };
    } else if (validator && validator[2] !== "Request did not pass the validation rules") {
      const text = validator[2].trim();
      const named = text.match(/^Request (body|path|query|header) (?:property|parameter) (\S+) (.*)$/);
      const top = text.match(/^Request (body|path|query|header) (.*)$/);
      if (named) violation = { rule: `request.${named[1]}.${named[2]}`, message: named[3] };
      else if (top) violation = { rule: `request.${top[1]}`, message: top[2] };
      else violation = { rule: "request", message: text };
    }
    if (!violation) continue;
    if (current) current.violations.push(violation);
    else unplaced.push(violation);
  }
  return { requests, unplaced };
}

/** `GET /v1/Services/{Sid}` (as the client names it) → a pattern for `GET /v1/Services/MG…`. */
export function operationPattern(operation) {
  const [method, template] = operation.split(" ");
  const path = template.split("?")[0];
  const escaped = path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{\w+\\?\}|\{\w+\}/g, "[^/]+");
  return new RegExp(`^${method} ${escaped}$`);
}

export function waiverFor(waivers, violation, request, runKind) {
  return waivers.find(
    (w) =>
      w.rule.test(violation.rule) &&
      w.message.test(violation.message) &&
      (!w.request || w.request.test(request)) &&
      (!w.run || w.run === runKind),
  );
}

/**
 * Judges one run (proxy or mock) of one group: its flows' output (`result`: exit code and
 * stdout), its whole Prism log and the self-check requests sent after the flows. Returns the
 * problems, what was waived (`why` → count), the waivers used and how many flows reported.
 */
export function judgeRun({ group, runKind, result, log, selfChecks, waivers }) {
  const label = `${runKind} ${group.group}`;
  const problems = [];
  const waived = new Map();
  const used = new Set();
  const { requests, unplaced } = parseLog(log);
  for (const v of unplaced) problems.push(`${label}: a violation before any request: ${v.rule} ${v.message}`);

  // The flows' output: one JSON line per flow, exactly the pinned flows.
  const lines = result.out.split("\n").filter(Boolean);
  if (lines.length === 0 || (result.code !== 0 && result.code !== 1)) problems.push(`${label}: the flows did not run (exit ${result.code})`);
  const reported = [];
  for (const line of lines) {
    try {
      reported.push(JSON.parse(line));
    } catch {
      problems.push(`${label}: unreadable flow output ${line}`);
    }
  }
  const names = reported.map((r) => r.flow);
  for (const name of Object.keys(group.flows)) {
    if (!names.includes(name)) problems.push(`${label}: the pinned flow "${name}" did not run`);
  }
  for (const name of names) {
    if (!(name in group.flows)) problems.push(`${label}: flow "${name}" is not pinned in GROUPS (pin it, with the client method it calls)`);
  }
  for (const name of new Set(names.filter((n, i) => names.indexOf(n) !== i))) problems.push(`${label}: flow "${name}" ran twice`);

  // Tie Prism's requests to the flows': same count, same order, each matching its operation.
  const flowRequests = reported.flatMap((r) => (r.requests ?? []).map((operation) => ({ flow: r.flow, operation })));
  const checkRequests = requests.slice(flowRequests.length);
  if (requests.length < flowRequests.length) {
    problems.push(`${label}: the flows sent ${flowRequests.length} requests, Prism logged ${requests.length}`);
  }
  const byFlow = new Map();
  flowRequests.forEach(({ flow, operation }, i) => {
    const logged = requests[i];
    if (!logged) return;
    if (!operationPattern(operation).test(logged.request)) {
      problems.push(`${label}: request ${i + 1} was ${logged.request} in Prism's log, but flow "${flow}" sent ${operation}`);
    }
    logged.flow = flow;
    byFlow.set(flow, [...(byFlow.get(flow) ?? []), logged]);
  });

  // The self-checks sent after the flows: each must be in the log with the violation it has.
  if (checkRequests.length !== selfChecks.length) {
    problems.push(`${label}: ${selfChecks.length} self-check request(s) sent, ${checkRequests.length} logged after the flows`);
  }
  selfChecks.forEach((check, i) => {
    const logged = checkRequests[i];
    if (!logged || logged.request !== check.request) return problems.push(`${label}: self-check ${check.request} is not in Prism's log`);
    if (!logged.violations.some((v) => v.rule === check.rule && check.message.test(v.message))) {
      problems.push(`self-check (${label}): Prism did not report ${check.rule} on ${check.request}`);
    }
    if (check.status !== undefined && check.answered !== check.status) {
      problems.push(`self-check (${label}): ${check.request} was answered ${check.answered}, not ${check.status}`);
    }
    logged.selfCheck = true;
  });

  // Every violation on a flow's request is waived or a problem. (The mock's answers are
  // Twilio's own examples: where they break Twilio's schemas, that is no fault of the app's.)
  for (const logged of requests.slice(0, flowRequests.length)) {
    const judged = logged.violations.filter((v) => runKind === "proxy" || v.rule.startsWith("request"));
    logged.allWaived = judged.length > 0;
    for (const v of judged) {
      const waiver = waiverFor(waivers, v, logged.request, runKind);
      if (waiver) {
        waived.set(waiver.why, (waived.get(waiver.why) ?? 0) + 1);
        used.add(waiver);
      } else {
        logged.allWaived = false;
        const kind = v.rule.startsWith("response") ? "response" : "REQUEST";
        problems.push(`${kind} violation (${label}, flow "${logged.flow}") ${logged.request}: ${v.rule} ${v.message}`);
      }
    }
  }

  // Flow results. A flow the mock refused (422) is forgiven only when the request it was refused
  // for — its last — broke waived rules and nothing else.
  for (const r of reported) {
    if (r.ok) continue;
    const last = (byFlow.get(r.flow) ?? []).at(-1);
    if (runKind === "mock" && /HTTP 422/.test(r.error ?? "") && last?.allWaived) {
      waived.set(`${label} "${r.flow}" refused by Prism's mock for a waived rule on its own request (${last.request})`, 1);
      continue;
    }
    problems.push(`${label}: flow "${r.flow}" failed: ${r.error}`);
  }
  return { problems, waived, used, flows: reported.length };
}

/** Waivers that matched nothing: stale, so they fail the gate. One about the pinned spec files
 * (`pinned: true`) is only required to match when the gate reads them. */
export function staleWaivers(waivers, used, usingPinned) {
  return waivers
    .filter((w) => !used.has(w) && (usingPinned || !w.pinned))
    .map((w) => `stale waiver (nothing matched it; remove it): ${w.rule} ${w.request ?? ""}`.trim());
}
