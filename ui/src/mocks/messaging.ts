// The mock backend's messaging: a test send is followed queued → sent → delivered, or to failed
// for a number ending in 0999 (as the sandbox fails it, Twilio 30008), each step pushed over the
// Channel the dialog passes; the statistics and the error log are counted from what was sent.
// Fixtures only: the rules live in Rust.

type Json = Record<string, unknown>;
type Push = (channelId: number, index: number, message: unknown) => void;

const FAILING_SUFFIX = "0999";

export function messagingCommands(now: () => string, push: Push) {
  const attempts: Json[] = [];
  const logs: Json[] = [];
  let nextId = 1;

  const stats = (connectorId: string) => {
    const own = attempts.filter((a) => a.connectorId === connectorId);
    const sent = own.filter((a) => a.outcome === "delivered");
    const failed = own.filter((a) => a.outcome === "failed");
    const last = (list: Json[]) => (list.length ? String(list[list.length - 1].finalAt) : null);
    const lastFailure = failed[failed.length - 1];
    return {
      totalSent: sent.length,
      totalFails: failed.length,
      sentThisMonth: sent.length,
      successRate: own.length ? (100 * sent.length) / own.length : null,
      attempts: sent.length + failed.length,
      lastSent: last(sent),
      lastFailed: last(failed),
      lastError: lastFailure
        ? { message: String(lastFailure.errorMessage), code: lastFailure.errorCode, at: String(lastFailure.finalAt) }
        : null,
      perDay: [],
      topErrors: [],
      deliveryP50Ms: null,
      deliveryP95Ms: null,
    };
  };

  return {
    message_send: (args: Json) => {
      const request = (args.request ?? {}) as Json;
      const channel = (args.onProgress ?? {}) as { id?: number };
      const to = String(request.to ?? "").replace(/[\s-]/g, "");
      const fails = to.endsWith(FAILING_SUFFIX);
      const at = now();
      const id = `a${nextId++}`;
      const history: Json[] = [];
      const attempt: Json = {
        id,
        connectorId: args.connectorId,
        channel: "sms",
        from: "+14155550101",
        to,
        kind: "text",
        body: request.text ?? null,
        templateSid: null,
        templateVariables: null,
        mediaUrls: [],
        validityPeriod: null,
        statusCallback: null,
        providerMessageId: `SM${String(nextId).padStart(32, "0")}`,
        status: "queued",
        outcome: "pending",
        final: false,
        errorCode: null,
        errorKind: null,
        errorMessage: null,
        cause: null,
        fix: null,
        price: null,
        priceUnit: null,
        createdAt: at,
        updatedAt: at,
        acceptedAt: at,
        deliveredAt: null,
        finalAt: null,
        fallbackStatus: null,
        fallbackTo: null,
        fallbackError: null,
        history,
      };
      const steps: [string, string, boolean][] = fails
        ? [["queued", "pending", false], ["sent", "pending", false], ["failed", "failed", true]]
        : [["queued", "pending", false], ["sent", "pending", false], ["delivered", "delivered", true]];
      steps.forEach(([status, outcome, final], index) => {
        history.push({ status, at, errorCode: status === "failed" ? "30008" : null });
        Object.assign(attempt, { status, outcome, final, updatedAt: at });
        if (status === "delivered") Object.assign(attempt, { deliveredAt: at, finalAt: at });
        if (status === "failed")
          Object.assign(attempt, {
            finalAt: at,
            errorCode: "30008",
            errorKind: "SEND_MESSAGE_FAILED",
            errorMessage: "Unknown error",
            cause: "The carrier did not deliver the message and gave no reason.",
            fix: "Try again later, or reach the guest another way.",
          });
        if (channel.id !== undefined) push(channel.id, index, { ...attempt, history: [...history] });
      });
      attempts.push(attempt);
      if (fails)
        logs.unshift({
          id: logs.length + 1,
          at,
          level: "error",
          connectorId: args.connectorId,
          orgId: null,
          kind: "SEND_MESSAGE_FAILED",
          code: "30008",
          message: "The carrier did not deliver the message and gave no reason.",
          action: "send",
          number: to,
          attemptId: id,
        });
      return attempt;
    },
    message_list: (args: Json) => ({
      attempts: attempts.filter((a) => a.connectorId === args.connectorId).reverse(),
      nextCursor: null,
    }),
    message_stats: (args: Json) => stats(String(args.connectorId)),
    messages_imported: () => [],
    log_list: (args: Json) => {
      const filter = (args.filter ?? {}) as Json;
      return {
        entries: logs.filter((l) => !filter.connectorId || l.connectorId === filter.connectorId),
        nextBefore: null,
      };
    },
  };
}
