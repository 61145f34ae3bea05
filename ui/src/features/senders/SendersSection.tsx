import { useRef, useState, type FormEvent } from "react";

import { Dialog } from "../../components/Dialog";
import { Field } from "../../components/Field";
import { FailureNotice } from "../../components/ProviderFailure";
import { StaleNotice } from "../../components/StaleNotice";
import { byField, CommandFailure, fieldErrorsOf } from "../../lib/api";
import type { Connector, SenderDraft, SenderView } from "../../lib/types";
import {
  useFollowSender,
  useRegisterSender,
  useRemoveSender,
  useSenders,
  useUpdateSender,
  useVerifySender,
  useVerticals,
} from "./queries";

type Open = { kind: "register" } | { kind: "verify"; sender: SenderView } | { kind: "edit"; sender: SenderView } | { kind: "remove"; sender: SenderView } | null;

/** A WhatsApp connector's senders (Twilio Senders API): register, verify, follow, edit, remove. */
export function SendersSection({ connector }: { connector: Connector }) {
  const senders = useSenders(connector.id);
  // Statuses pushed by the backend while it follows a sender, newer than the listed ones.
  const [live, setLive] = useState<Record<string, SenderView>>({});
  const [open, setOpen] = useState<Open>(null);
  // A sender just registered: once it waits for its code, ask for it.
  // (A ref: the channel's callback outlives the render that made it.)
  const awaitingAfterRegister = useRef<string | null>(null);
  const onStatus = (view: SenderView) => {
    setLive((previous) => ({ ...previous, [view.sid]: view }));
    if (view.awaitingCode && view.sid === awaitingAfterRegister.current) {
      awaitingAfterRegister.current = null;
      setOpen((current) => current ?? { kind: "verify", sender: view });
    }
  };
  const follow = useFollowSender(connector.id, onStatus);
  const startFollowing = (view: SenderView) => {
    onStatus(view);
    if (!view.settled) follow.mutate(view.sid);
  };

  const list = (senders.data?.senders ?? []).map((sender) => live[sender.sid] ?? sender);
  const extra = Object.values(live).filter((view) => !list.some((s) => s.sid === view.sid));

  return (
    <section className="card stack" aria-labelledby="senders-title">
      <header className="section-header">
        <h2 id="senders-title">WhatsApp senders: {connector.name}</h2>
        <div className="actions">
          <button type="button" onClick={() => senders.refetch()} disabled={senders.isFetching}>
            {senders.isFetching ? "Reading…" : "Refresh"}
          </button>
          <button type="button" className="primary" onClick={() => setOpen({ kind: "register" })}>
            Register a sender
          </button>
        </div>
      </header>
      <p className="muted">
        A sender is a phone number registered with WhatsApp through Twilio. Its plain phone numbers are under Numbers of an SMS
        connector on the same Twilio account.
      </p>
      {senders.isPending && <p className="muted">Reading the senders from Twilio…</p>}
      {senders.isError && <FailureNotice error={senders.error} lead="Could not read the senders:" />}
      <StaleNotice
        freshness={senders.data?.freshness}
        what="the senders"
        onRetry={() => void senders.refetch()}
        retrying={senders.isFetching}
      />
      {senders.isSuccess && list.length + extra.length === 0 && <p className="muted">No WhatsApp senders in this account yet.</p>}
      <ul className="sender-list">
        {[...list, ...extra].map((sender) => (
          <SenderRow
            key={sender.sid}
            sender={sender}
            following={follow.isPending && follow.variables === sender.sid}
            onFollow={() => follow.mutate(sender.sid)}
            onOpen={(kind) => setOpen({ kind, sender })}
          />
        ))}
      </ul>
      {follow.isError && <FailureNotice error={follow.error} lead="Could not follow the sender:" />}

      {open?.kind === "register" && (
        <RegisterDialog
          connectorId={connector.id}
          onClose={() => setOpen(null)}
          onRegistered={(view) => {
            setOpen(view.awaitingCode ? { kind: "verify", sender: view } : null);
            if (!view.awaitingCode) awaitingAfterRegister.current = view.sid;
            startFollowing(view);
          }}
        />
      )}
      {open?.kind === "verify" && (
        <VerifyDialog
          connectorId={connector.id}
          sender={open.sender}
          onClose={() => setOpen(null)}
          onVerified={(view) => {
            setOpen(null);
            startFollowing(view);
          }}
        />
      )}
      {open?.kind === "edit" && (
        <EditProfileDialog
          connectorId={connector.id}
          sender={open.sender}
          onClose={() => setOpen(null)}
          onSaved={(view) => {
            setOpen(null);
            startFollowing(view);
          }}
        />
      )}
      {open?.kind === "remove" && <RemoveSenderDialog connectorId={connector.id} sender={open.sender} onClose={() => setOpen(null)} />}
    </section>
  );
}

function statusClass(sender: SenderView): string {
  if (sender.status === "ONLINE") return "state-active";
  if (sender.status === "OFFLINE" || sender.status.includes("FAIL")) return "state-error";
  return "state-not_checked";
}

function SenderRow({
  sender,
  following,
  onFollow,
  onOpen,
}: {
  sender: SenderView;
  following: boolean;
  onFollow: () => void;
  onOpen: (kind: "verify" | "edit" | "remove") => void;
}) {
  return (
    <li className="sender-row" data-testid="sender-row" data-e164={sender.e164}>
      <div className="sender-main">
        <strong>{sender.e164}</strong>
        {sender.profile.name && <span className="muted"> · {sender.profile.name}</span>}
        <p>
          <span className={`badge ${statusClass(sender)}`} data-testid="sender-status">
            {sender.status}
          </span>{" "}
          {sender.statusWords.meaning}
          {following && <span className="muted"> (following…)</span>}
        </p>
        {sender.statusWords.action && <p className="hint">{sender.statusWords.action}</p>}
        {sender.qualityWords && (
          <p className="hint">
            Quality {sender.qualityRating}: {sender.qualityWords.meaning} {sender.qualityWords.action}
          </p>
        )}
        {sender.limitWords && (
          <p className="hint">
            Messaging limit {sender.messagingLimit}: {sender.limitWords.meaning} {sender.limitWords.action}
          </p>
        )}
        {sender.offlineReasons.length > 0 && (
          <ul className="offline-reasons">
            {sender.offlineReasons.map((reason, index) => (
              <li key={`${reason.code}-${index}`}>
                <span className="state-reason">{reason.meaning}</span> <span>{reason.fix}</span>
                {reason.code && <code> ({reason.code})</code>}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="row-actions">
        {sender.awaitingCode && (
          <button type="button" className="primary" onClick={() => onOpen("verify")} aria-label={`Enter code for ${sender.e164}`}>
            Enter code
          </button>
        )}
        {!sender.settled && !following && (
          <button type="button" onClick={onFollow} aria-label={`Follow status of ${sender.e164}`}>
            Follow status
          </button>
        )}
        <button type="button" onClick={() => onOpen("edit")} aria-label={`Edit profile of ${sender.e164}`}>
          Edit profile
        </button>
        <button type="button" className="danger" onClick={() => onOpen("remove")} aria-label={`Remove ${sender.e164}`}>
          Remove
        </button>
      </div>
    </li>
  );
}

const blank = (value: string) => (value.trim() === "" ? null : value.trim());
const list = (value: string) => value.split(/[,\n]/).map((v) => v.trim()).filter(Boolean);

function RegisterDialog({ connectorId, onClose, onRegistered }: { connectorId: string; onClose: () => void; onRegistered: (view: SenderView) => void }) {
  const register = useRegisterSender(connectorId);
  const verticals = useVerticals();
  const [values, setValues] = useState({
    sender: "",
    name: "",
    wabaId: "",
    verificationMethod: "sms",
    vertical: "",
    about: "",
    emails: "",
    websites: "",
    logoUrl: "",
    callbackUrl: "",
  });
  const set = (key: keyof typeof values) => (value: string) => setValues((v) => ({ ...v, [key]: value }));
  const errors = byField(fieldErrorsOf(register.error));
  const failed = register.isError && fieldErrorsOf(register.error).length === 0;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const draft: SenderDraft = {
      sender: values.sender,
      wabaId: blank(values.wabaId),
      verificationMethod: values.verificationMethod === "voice" ? "voice" : "sms",
      profile: {
        name: blank(values.name),
        about: blank(values.about),
        vertical: blank(values.vertical),
        emails: list(values.emails),
        websites: list(values.websites),
        logoUrl: blank(values.logoUrl),
      },
      webhook: { callbackUrl: blank(values.callbackUrl) },
    };
    register.mutate(draft, { onSuccess: onRegistered });
  };

  const text = (key: keyof typeof values, name: string, label: string, hint?: string, placeholder?: string) => (
    <Field name={name} label={label} error={errors[name]} hint={hint}>
      {(props) => <input {...props} value={values[key]} placeholder={placeholder} onChange={(e) => set(key)(e.target.value)} />}
    </Field>
  );

  return (
    <Dialog title="Register a WhatsApp sender" onClose={onClose}>
      <form className="stack" onSubmit={submit} noValidate aria-label="Register a WhatsApp sender">
        {text("sender", "sender", "Number", "In international format; Switchboard adds whatsapp: itself.", "+46 70 123 45 67")}
        {text("name", "profile.name", "Display name", "Shown to guests; Meta reviews it (until approved: 250 business-initiated messages a day).")}
        {text("wabaId", "wabaId", "WhatsApp Business Account ID (optional)", "From Meta's WhatsApp Manager.")}
        <Field name="verificationMethod" label="Verification code by" error={errors.verificationMethod}>
          {(props) => (
            <select {...props} value={values.verificationMethod} onChange={(e) => set("verificationMethod")(e.target.value)}>
              <option value="sms">SMS</option>
              <option value="voice">Voice call</option>
            </select>
          )}
        </Field>
        <Field name="profile.vertical" label="Business category (optional)" error={errors["profile.vertical"]}>
          {(props) => (
            <select {...props} value={values.vertical} onChange={(e) => set("vertical")(e.target.value)}>
              <option value="">—</option>
              {(verticals.data ?? []).map((vertical) => (
                <option key={vertical} value={vertical}>
                  {vertical}
                </option>
              ))}
            </select>
          )}
        </Field>
        {text("about", "profile.about", "About (optional)")}
        {text("emails", "profile.emails", "Emails (optional)", "Separate several with commas.")}
        {text("websites", "profile.websites", "Websites (optional)", "Separate several with commas.")}
        {text("logoUrl", "profile.logoUrl", "Logo URL (optional)", "An https address of the image.")}
        {text("callbackUrl", "webhook.callbackUrl", "Inbound webhook URL (optional)", "You can also set it later from Numbers.")}
        {failed && <FailureNotice error={register.error} lead="The sender was not registered:" />}
        <div className="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={register.isPending}>
            {register.isPending ? "Registering…" : "Register sender"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Twilio could not be asked: the code was never sent, so it is not a wrong code. */
function outOfReach(error: unknown): boolean {
  const kind = error instanceof CommandFailure ? error.provider?.kind : undefined;
  return kind === "UNREACHABLE" || kind === "RATE_LIMITED" || kind === "PROVIDER_UNAVAILABLE";
}

function VerifyDialog({
  connectorId,
  sender,
  onClose,
  onVerified,
}: {
  connectorId: string;
  sender: SenderView;
  onClose: () => void;
  onVerified: (view: SenderView) => void;
}) {
  const verify = useVerifySender(connectorId);
  const [code, setCode] = useState("");
  const errors = byField(fieldErrorsOf(verify.error));
  return (
    <Dialog title={`Verify ${sender.e164}`} onClose={onClose}>
      <form
        className="stack"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          verify.mutate({ sender: sender.sid, code: code.trim() }, { onSuccess: onVerified });
        }}
      >
        <p>
          WhatsApp sent a code to {sender.e164} by {sender.verificationMethod === "voice" ? "a voice call" : "SMS"}. Enter it here.
        </p>
        <Field name="code" label="Verification code" error={errors.code}>
          {(props) => <input {...props} inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} />}
        </Field>
        {verify.isError && fieldErrorsOf(verify.error).length === 0 && (
          <FailureNotice
            error={verify.error}
            lead={outOfReach(verify.error) ? "The code was not sent (it stays here; verify again once Twilio answers):" : "The code was not accepted:"}
          />
        )}
        <div className="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={verify.isPending || code.trim() === ""}>
            {verify.isPending ? "Verifying…" : "Verify"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function EditProfileDialog({
  connectorId,
  sender,
  onClose,
  onSaved,
}: {
  connectorId: string;
  sender: SenderView;
  onClose: () => void;
  onSaved: (view: SenderView) => void;
}) {
  const update = useUpdateSender(connectorId);
  const [about, setAbout] = useState(sender.profile.about ?? "");
  const [description, setDescription] = useState(sender.profile.description ?? "");
  const [address, setAddress] = useState(sender.profile.address ?? "");
  const errors = byField(fieldErrorsOf(update.error));
  return (
    <Dialog title={`Profile of ${sender.e164}`} onClose={onClose}>
      <form
        className="stack"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          update.mutate(
            { sender: sender.sid, draft: { profile: { about: blank(about), description: blank(description), address: blank(address) } } },
            { onSuccess: onSaved },
          );
        }}
      >
        <Field name="profile.about" label="About" error={errors["profile.about"]}>
          {(props) => <input {...props} value={about} onChange={(e) => setAbout(e.target.value)} />}
        </Field>
        <Field name="profile.description" label="Description" error={errors["profile.description"]}>
          {(props) => <input {...props} value={description} onChange={(e) => setDescription(e.target.value)} />}
        </Field>
        <Field name="profile.address" label="Address" error={errors["profile.address"]}>
          {(props) => <input {...props} value={address} onChange={(e) => setAddress(e.target.value)} />}
        </Field>
        <p className="hint">WhatsApp shows the change after a short review (status ONLINE:UPDATING).</p>
        {update.isError && fieldErrorsOf(update.error).length === 0 && <FailureNotice error={update.error} lead="The profile was not saved:" />}
        <div className="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={update.isPending}>
            Save profile
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function RemoveSenderDialog({ connectorId, sender, onClose }: { connectorId: string; sender: SenderView; onClose: () => void }) {
  const remove = useRemoveSender(connectorId);
  return (
    <Dialog title={`Remove ${sender.e164}?`} onClose={onClose}>
      {remove.isSuccess ? (
        <>
          <p role="status">The sender was removed at Twilio.</p>
          <p className="state-warning">{remove.data.warning}</p>
          <div className="actions">
            <button type="button" onClick={onClose}>
              Close
            </button>
          </div>
        </>
      ) : (
        <>
          <p>The sender is removed at Twilio: guests can no longer reach it on WhatsApp.</p>
          <p className="state-warning">{sender.removalWarning}</p>
          {remove.isError && <FailureNotice error={remove.error} lead="The sender was not removed:" />}
          <div className="actions">
            <button type="button" onClick={onClose}>
              Keep it
            </button>
            <button type="button" className="danger" disabled={remove.isPending} onClick={() => remove.mutate(sender.sid)}>
              Remove sender
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}
