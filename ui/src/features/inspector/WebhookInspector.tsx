import { useState, type FormEvent } from "react";

import { Dialog } from "../../components/Dialog";
import { failureMessage } from "../../lib/api";
import { Listener } from "./Listener";
import { Report } from "./Report";
import { parseHeaders, useExplain } from "./request";

/**
 * "Webhook inspector": paste a request captured on the hotel's own server (URL, headers, body) and
 * see whose it is, whether its token and signature are genuine, which URL the provider signed, and
 * why not, in plain words.
 */
export function WebhookInspector() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Webhook inspector
      </button>
      {open && (
        <Dialog title="Webhook inspector" onClose={() => setOpen(false)}>
          <InspectorForm onClose={() => setOpen(false)} />
          <Listener />
        </Dialog>
      )}
    </>
  );
}

function InspectorForm({ onClose }: { onClose: () => void }) {
  const [method, setMethod] = useState("POST");
  const [url, setUrl] = useState("");
  const [headerText, setHeaderText] = useState("");
  const [body, setBody] = useState("");
  const [unreadable, setUnreadable] = useState<string[]>([]);
  const explain = useExplain();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { headers, unreadable: bad } = parseHeaders(headerText);
    setUnreadable(bad);
    if (bad.length > 0 || !url.trim()) return;
    explain.mutate({ method, url: url.trim(), headers, body });
  };
  return (
    <form onSubmit={submit} className="inspector-form">
      <p className="muted">
        Providers cannot reach this computer, so paste a request as your server received it. Nothing you paste is stored.
      </p>
      <label>
        Method
        <select value={method} onChange={(e) => setMethod(e.target.value)}>
          <option>POST</option>
          <option>GET</option>
        </select>
      </label>
      <label>
        URL as received
        <input
          type="text"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          placeholder="https://hooks.hotel.example/inbound/…/…"
          required
        />
      </label>
      <label>
        Headers
        <textarea
          rows={5}
          value={headerText}
          onChange={(e) => setHeaderText(e.target.value)}
          placeholder={"X-Twilio-Signature: …\nContent-Type: application/x-www-form-urlencoded"}
        />
      </label>
      {unreadable.length > 0 && (
        <p className="field-error" role="alert">
          These lines are not &ldquo;Name: value&rdquo; headers: {unreadable.join(" · ")}
        </p>
      )}
      <label>
        Body
        <textarea rows={5} value={body} onChange={(e) => setBody(e.target.value)} />
      </label>
      <div className="actions">
        <button type="submit" disabled={explain.isPending}>
          Explain
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      {explain.isPending && <p role="status">Checking…</p>}
      {explain.error && (
        <p className="form-error" role="alert">
          The request was not checked: {failureMessage(explain.error)}
        </p>
      )}
      {explain.data && <Report report={explain.data} />}
    </form>
  );
}
