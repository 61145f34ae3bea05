import { useState, type FormEvent } from "react";

import { failureMessage } from "../../lib/api";
import { isLoopback, useListener, useStartListener, useStopListener } from "./request";
import { Report } from "./Report";

/**
 * The inspector's listener: receives what providers post to `/inbound/{connector}/{token}` on this
 * computer and explains each request. Loopback by default; another address needs a ticked warning.
 */
export function Listener() {
  const status = useListener();
  const start = useStartListener();
  const stop = useStopListener();
  const [bind, setBind] = useState("127.0.0.1");
  const [port, setPort] = useState("0");
  const [allowRemote, setAllowRemote] = useState(false);
  const remote = !isLoopback(bind);
  const running = status.data?.running ?? false;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    start.mutate({ bind, port: Number(port) || 0, allowRemote: remote && allowRemote });
  };
  const failure = start.error ?? stop.error ?? status.error;
  return (
    <section aria-label="Listener" className="inspector-listener">
      <h3>Listener</h3>
      {running ? (
        <>
          <p role="status">
            Listening on <code>{status.data?.url}</code>: {status.data?.counts.inboundMessages} inbound message(s),{" "}
            {status.data?.counts.statusCallbacks} status callback(s), {status.data?.counts.refused} refused.
          </p>
          <button type="button" onClick={() => stop.mutate()} disabled={stop.isPending}>
            Stop listening
          </button>
          {status.data && status.data.recent.length > 0 && (
            <ol aria-label="Received requests">
              {status.data.recent.map((seen) => (
                <li key={`${seen.receivedAt}-${seen.answered}`}>
                  <p className="muted">
                    {seen.receivedAt} · {seen.method} · answered {seen.answered}
                    {seen.applied ? ` · ${seen.applied}` : ""}
                  </p>
                  <Report report={seen.report} />
                </li>
              ))}
            </ol>
          )}
        </>
      ) : (
        <form onSubmit={submit}>
          <label>
            Address
            <input type="text" value={bind} onChange={(e) => setBind(e.target.value)} />
          </label>
          <label>
            Port
            <input type="number" min={0} max={65535} value={port} onChange={(e) => setPort(e.target.value)} />
          </label>
          {remote && (
            <label className="state-warning">
              <input type="checkbox" checked={allowRemote} onChange={(e) => setAllowRemote(e.target.checked)} />
              Listen on {bind}: anyone who can reach this computer on that address can post to the inspector.
            </label>
          )}
          <button type="submit" disabled={start.isPending || (remote && !allowRemote)}>
            Start listening
          </button>
        </form>
      )}
      {failure && (
        <p className="form-error" role="alert">
          {failureMessage(failure)}
        </p>
      )}
    </section>
  );
}
