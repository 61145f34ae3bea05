import { useState, type FormEvent } from "react";

import { Field } from "../../components/Field";
import { FailureNotice } from "../../components/ProviderFailure";
import { SandboxJoinNotice } from "../../components/WhatsappSandbox";
import { byField, fieldErrorsOf } from "../../lib/api";
import { WHATSAPP_SANDBOX, isSandboxNumber } from "../../lib/whatsappSandbox";
import type { Connector, MessageAttempt, MessageKind, SendRequest, Template } from "../../lib/types";
import { useActiveNumbers } from "../numbers/queries";
import { AttemptView } from "./AttemptView";
import { StaleNotice } from "../../components/StaleNotice";
import { useSendMessage, useTemplates } from "./queries";

const KIND_LABEL: Record<MessageKind, string> = { text: "Plain text", media: "Media with caption", template: "WhatsApp template" };

/** The Send test tab: a message to any number, followed to its final status on screen. */
export function SendTest({ connector }: { connector: Connector }) {
  const whatsapp = connector.kind === "whatsapp";
  const twilio = connector.settings.provider === "twilio";
  const numbers = useActiveNumbers(connector.id);
  const senders = numbers.data?.numbers ?? [];
  const [kind, setKind] = useState<MessageKind>("text");
  const [values, setValues] = useState({ from: "", to: connector.recipients[0]?.number ?? "", text: "", media: "", caption: "", template: "", validityPeriod: "", statusCallback: "" });
  const set = (key: keyof typeof values) => (value: string) => setValues((v) => ({ ...v, [key]: value }));
  const [variables, setVariables] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState<MessageAttempt | null>(null);
  // The command's answer and the pushed statuses may arrive in any order: the newer one wins.
  const keepNewer = (next: MessageAttempt) =>
    setAttempt((previous) => (!previous || previous.id !== next.id || next.history.length >= previous.history.length ? next : previous));
  const send = useSendMessage(connector.id, keepNewer);
  const fieldErrors = fieldErrorsOf(send.error);
  const errors = byField(fieldErrors);
  const outsideWindow = attempt?.errorCode === "63016" || attempt?.errorKind === "OUTSIDE_SESSION_WINDOW";
  // Twilio's WhatsApp Sandbox: offered as a From of a Twilio WhatsApp connector, with its join step.
  const sandboxOffered = whatsapp && twilio;
  const ownFrom = connector.settings.provider === "twilio" ? connector.settings.from : null;
  const fromSandbox = sandboxOffered && isSandboxNumber(values.from || ownFrom);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setAttempt(null);
    const request: SendRequest = {
      from: values.from || null,
      to: values.to,
      text: kind === "text" ? values.text : null,
      media: kind === "media" ? values.media.split(/\s+/).filter(Boolean) : [],
      caption: kind === "media" ? values.caption || null : null,
      template: kind === "template" ? values.template : null,
      variables: kind === "template" ? variables : {},
      validityPeriod: twilio && values.validityPeriod.trim() ? Number(values.validityPeriod) : null,
      statusCallback: twilio && values.statusCallback.trim() ? values.statusCallback.trim() : null,
    };
    send.mutate(request, { onSuccess: keepNewer });
  };

  // An unknown outcome must be checked, never sent again blindly.
  const blocked = attempt?.outcome === "unknown";

  return (
    <div className="stack">
      <form className="card stack" onSubmit={submit} noValidate aria-label="Send a test message">
        <h2>Send a test message</h2>
        <Field
          name="from"
          label="From"
          error={errors.from}
          hint={
            sandboxOffered
              ? "The connector's own sender, one of its active senders, or Twilio's WhatsApp Sandbox."
              : "The connector's own sender, or one of its active numbers."
          }
        >
          {(props) => (
            <select {...props} value={values.from} onChange={(e) => set("from")(e.target.value)}>
              <option value="">The connector&apos;s sender</option>
              {senders.map((n) => (
                <option key={n.e164} value={n.e164}>
                  {n.e164}
                  {n.friendlyName ? ` (${n.friendlyName})` : ""}
                </option>
              ))}
              {sandboxOffered && !senders.some((n) => isSandboxNumber(n.e164)) && (
                <option value={WHATSAPP_SANDBOX.number}>{WHATSAPP_SANDBOX.label}</option>
              )}
            </select>
          )}
        </Field>
        {fromSandbox && <SandboxJoinNotice connector={connector} to={values.to} />}
        <Field name="to" label="To" error={errors.to} hint="As you would write it, e.g. +46 70 123 45 67.">
          {(props) => <input {...props} list={`recipients-${connector.id}`} type="tel" value={values.to} onChange={(e) => set("to")(e.target.value)} />}
        </Field>
        <datalist id={`recipients-${connector.id}`}>
          {connector.recipients.map((r) => (
            <option key={r.number} value={r.number} />
          ))}
        </datalist>
        <fieldset className="kind-choice">
          <legend>Message</legend>
          {(whatsapp ? (["text", "media", "template"] as const) : (["text", "media"] as const)).map((k) => (
            <label key={k}>
              <input type="radio" name="message.kind" value={k} checked={kind === k} onChange={() => setKind(k)} /> {KIND_LABEL[k]}
            </label>
          ))}
        </fieldset>
        {kind === "text" && (
          <Field
            name="text"
            label="Text"
            error={errors.text}
            hint={whatsapp ? "A free-form WhatsApp text only reaches people who wrote to this number in the last 24 hours; otherwise use a template." : undefined}
          >
            {(props) => <textarea {...props} rows={3} value={values.text} onChange={(e) => set("text")(e.target.value)} />}
          </Field>
        )}
        {kind === "media" && (
          <>
            <Field name="media" label="Media URLs" error={errors.media ?? errors["media[0]"]} hint="https addresses, one per line.">
              {(props) => <textarea {...props} rows={2} value={values.media} onChange={(e) => set("media")(e.target.value)} />}
            </Field>
            <Field name="caption" label="Caption (optional)" error={errors.caption}>
              {(props) => <input {...props} value={values.caption} onChange={(e) => set("caption")(e.target.value)} />}
            </Field>
          </>
        )}
        {kind === "template" && (
          <TemplateFields
            connectorId={connector.id}
            sid={values.template}
            variables={variables}
            errors={errors}
            onPick={(template) => {
              set("template")(template.sid);
              setVariables(Object.fromEntries(template.variables.map((v) => [v.name, v.default ?? ""])));
            }}
            onSid={set("template")}
            onVariable={(name, value) => setVariables((v) => ({ ...v, [name]: value }))}
          />
        )}
        {twilio && (
          <details className="advanced">
            <summary>Twilio options</summary>
            <div className="stack">
              <Field
                name="validityPeriod"
                label="Validity period in seconds (optional)"
                error={errors.validityPeriod}
                hint="How long Twilio may keep the message queued: 1 to 36000 (the default)."
              >
                {(props) => (
                  <input {...props} inputMode="numeric" value={values.validityPeriod} onChange={(e) => set("validityPeriod")(e.target.value)} />
                )}
              </Field>
              <Field name="statusCallback" label="Status callback URL (optional)" error={errors.statusCallback} hint="Where Twilio posts each status change.">
                {(props) => <input {...props} type="url" value={values.statusCallback} onChange={(e) => set("statusCallback")(e.target.value)} />}
              </Field>
            </div>
          </details>
        )}
        {send.isError && fieldErrors.length === 0 && <FailureNotice error={send.error} lead="The message was not sent:" />}
        {fieldErrors.some((e) => !["from", "to", "text", "media", "caption", "template", "validityPeriod", "statusCallback"].includes(e.field)) && (
          <div className="form-error" role="alert">
            {fieldErrors.map((e) => (
              <p key={e.field}>{e.message}</p>
            ))}
          </div>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={send.isPending || blocked}>
            {send.isPending ? "Sending…" : "Send test"}
          </button>
        </div>
      </form>
      {attempt && (
        <section className="card" aria-label="This message">
          <AttemptView attempt={attempt} />
          {outsideWindow && (
            <p className="hint">
              The guest has not written in the last 24 hours, so WhatsApp only takes a template.{" "}
              <button type="button" onClick={() => setKind("template")}>
                Use a template
              </button>
            </p>
          )}
        </section>
      )}
    </div>
  );
}

/** The text with each `{{name}}` replaced by its value (or left as is while empty). */
function render(body: string, values: Record<string, string>): string {
  return body.replace(/\{\{\s*([^}]+?)\s*\}\}/g, (whole, name: string) => values[name] || whole);
}

/** Pick one of the account's approved templates, fill in its variables, see the text it sends. */
function TemplateFields({
  connectorId,
  sid,
  variables,
  errors,
  onPick,
  onSid,
  onVariable,
}: {
  connectorId: string;
  sid: string;
  variables: Record<string, string>;
  errors: Record<string, string | undefined>;
  onPick: (template: Template) => void;
  onSid: (sid: string) => void;
  onVariable: (name: string, value: string) => void;
}) {
  const templates = useTemplates(connectorId, true);
  const offered = templates.data?.templates ?? [];
  const picked = offered.find((t) => t.sid === sid);
  return (
    <>
      <StaleNotice
        freshness={templates.data?.freshness}
        what="the templates"
        onRetry={() => void templates.refetch()}
        retrying={templates.isFetching}
      />
      {templates.isSuccess && offered.length > 0 ? (
        <Field name="template" label="Template" error={errors.template} hint="The account's templates that WhatsApp approved.">
          {(props) => (
            <select
              {...props}
              value={sid}
              onChange={(e) => {
                const template = offered.find((t) => t.sid === e.target.value);
                if (template) onPick(template);
                else onSid("");
              }}
            >
              <option value="">Choose a template…</option>
              {offered.map((t) => (
                <option key={t.sid} value={t.sid}>
                  {t.name} ({t.language ?? "?"}, {t.category ?? "no category"})
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : (
        <Field
          name="template"
          label="Content SID"
          error={errors.template}
          hint={
            templates.isError
              ? "The account's templates could not be read; type the approved template's SID (HX…)."
              : templates.isSuccess
                ? "This account has no approved template: create one in the Twilio Console (Content Template Builder)."
                : "Reading the account's templates…"
          }
        >
          {(props) => <input {...props} value={sid} placeholder="HX…" onChange={(e) => onSid(e.target.value)} />}
        </Field>
      )}
      {picked?.variables.map((variable) => (
        <Field key={variable.name} name={`variables.${variable.name}`} label={`Variable {{${variable.name}}}`} error={errors[`variables.${variable.name}`]}>
          {(props) => (
            <input
              {...props}
              value={variables[variable.name] ?? ""}
              placeholder={variable.default ?? undefined}
              onChange={(e) => onVariable(variable.name, e.target.value)}
            />
          )}
        </Field>
      ))}
      {picked?.body && (
        <p className="template-preview" data-testid="template-preview">
          {render(picked.body, variables)}
        </p>
      )}
    </>
  );
}
