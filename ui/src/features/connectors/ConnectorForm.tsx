import { useEffect, useMemo, useState, type FocusEvent, type FormEvent } from "react";

import type { Connector, ConnectorKind, ProviderKind } from "../../bindings";
import { Field } from "../../components/Field";
import { SandboxFromOffer } from "../../components/WhatsappSandbox";
import { byField, failureMessage, fieldErrorsOf } from "../../lib/api";
import { useDebounced } from "../../lib/useDebounced";
import {
  KINDS,
  RECIPIENT_FIELDS,
  kindLabel,
  fieldsOf,
  hasRecipients,
  labelOf,
  providerLabel,
  providersOf,
  settingKey,
  type CatalogField,
} from "./catalog";
import { emptyValues, newRecipient, secretEditable, toDraft, valuesOf, type FormValues } from "./draft";
import { useConnectorValidation, useConnectors, useSaveConnector } from "./queries";

const VALIDATE_DELAY_MS = 300;

interface ConnectorFormProps {
  orgId: string;
  /** The connector being edited; absent when creating. */
  connector?: Connector;
  /**
   * Creating through the Add Connector wizard: the type and provider chosen in its steps (shown,
   * not editable here; Back changes them).
   */
  choice?: { kind: ConnectorKind; provider: ProviderKind };
  /** What the form held before (the wizard keeps it across Back). */
  initialValues?: FormValues;
  onValuesChange?: (values: FormValues) => void;
  /** Shows a Back button (the wizard's previous step). */
  onBack?: () => void;
  /** After a save, with the connector as saved; without one when closed unsaved. */
  onDone: (saved?: Connector) => void;
  /** What Cancel does; closing (onDone) when not given. */
  onCancel?: () => void;
  cancelLabel?: string;
}

/** The HTML input type for a catalog field that is typed in. */
function htmlType(input: CatalogField["input"]): string {
  switch (input.type) {
    case "tel":
    case "email":
    case "url":
    case "number":
      return input.type;
    default:
      return "text";
  }
}

/** The field paths this form shows an input for: errors for any other path go in the form's alert. */
function placedFields(values: FormValues): Set<string> {
  const fields = ["kind", "settings.provider", "name", "receiveInbound"];
  for (const spec of fieldsOf(values.provider)) fields.push(spec.path);
  if (hasRecipients(values.kind)) {
    fields.push("recipients");
    values.recipients.forEach((_, index) => RECIPIENT_FIELDS.forEach((spec) => fields.push(`recipients[${index}].${spec.path}`)));
  }
  return new Set(fields);
}

export function ConnectorForm({
  orgId,
  connector,
  choice,
  initialValues,
  onValuesChange,
  onBack,
  onDone,
  onCancel,
  cancelLabel = "Cancel",
}: ConnectorFormProps) {
  const editing = Boolean(connector);
  const hasStoredSecret = connector?.hasSecret ?? false;
  const [values, setValues] = useState<FormValues>(() => {
    if (connector) return valuesOf(connector);
    const start = initialValues ?? emptyValues();
    return choice ? { ...start, kind: choice.kind, provider: choice.provider } : start;
  });
  useEffect(() => onValuesChange?.(values), [values, onValuesChange]);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [advancedOpen, setAdvancedOpen] = useState(false);
  const save = useSaveConnector(connector?.id ?? null);
  const orgConnectors = useConnectors(orgId);
  const noEmailConnector = orgConnectors.isSuccess && !orgConnectors.data.some((c) => c.kind === "email");
  const draft = useMemo(() => toDraft(values, orgId, hasStoredSecret), [values, orgId, hasStoredSecret]);

  // The backend is the one source of truth for the rules: ask it once the user pauses typing.
  // Nothing is checked before the user starts: a fresh form would be all errors.
  const active = submitted || touched.size > 0;
  const request = useMemo(() => ({ draft, active }), [draft, active]);
  const settled = useDebounced(request, VALIDATE_DELAY_MS);
  const validation = useConnectorValidation(settled.draft, connector?.id ?? null, settled.active);

  // A refused save names the fields of the draft it was given; once the user edits, the live check takes over.
  const saveErrors = save.variables === draft ? fieldErrorsOf(save.error) : [];
  const fieldErrors = saveErrors.length > 0 ? saveErrors : (validation.data ?? []);
  const errors = byField(fieldErrors);
  const shown = (field: string) => (submitted || touched.has(field) ? errors[field] : undefined);

  const placed = placedFields(values);
  const unplaced = submitted ? fieldErrors.filter((error) => !placed.has(error.field)) : [];
  const fields = fieldsOf(values.provider);
  const advanced = fields.filter((spec) => spec.advanced);
  const advancedHasError = advanced.some((spec) => shown(spec.path));

  const touch = (field: string) =>
    setTouched((previous) => (previous.has(field) ? previous : new Set(previous).add(field)));
  const update = (field: string, change: (v: FormValues) => FormValues) => {
    touch(field);
    setValues(change);
  };
  const onBlur = (event: FocusEvent<HTMLFormElement>) => {
    const name = (event.target as { name?: unknown }).name;
    if (typeof name === "string" && name !== "") touch(name);
  };

  const setKind = (kind: ConnectorKind) =>
    update("kind", (v) => ({ ...v, kind, provider: providersOf(kind).includes(v.provider) ? v.provider : providersOf(kind)[0] }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    save.mutate(draft, { onSuccess: (saved) => onDone(saved) });
  };

  const formError =
    save.error && fieldErrorsOf(save.error).length === 0
      ? `The connector was not saved: ${failureMessage(save.error)}`
      : null;
  const checkUnavailable = validation.isError
    ? `Switchboard could not check these fields right now (${failureMessage(validation.error)}). You can still save: they are checked again then.`
    : null;

  const renderSecret = (spec: CatalogField) => {
    const label = labelOf(spec, values.settings);
    if (!secretEditable(values, hasStoredSecret)) {
      return (
        <div className="field" key="secret">
          <span className="label" id="stored-secret-label">
            {label}
          </span>
          <div className="stored-secret" role="group" aria-labelledby="stored-secret-label">
            <span>Stored in the system keychain</span>
            <button type="button" onClick={() => update("secret", (v) => ({ ...v, replaceSecret: true, secret: "" }))}>
              Replace
            </button>
          </div>
        </div>
      );
    }
    return (
      <Field
        key="secret"
        name="secret"
        label={label}
        error={shown("secret")}
        hint={
          editing && hasStoredSecret
            ? "The new value replaces the stored one when you save."
            : [spec.hint, "Kept in the system keychain, never shown again."].filter(Boolean).join(" ")
        }
      >
        {(props) => (
          <div className="secret-input">
            <input
              {...props}
              type="password"
              autoComplete="off"
              spellCheck={false}
              // Focus follows the user's "Replace" click to the input it revealed.
              autoFocus={editing && hasStoredSecret}
              value={values.secret}
              onChange={(e) => {
                const secret = e.target.value;
                update("secret", (v) => ({ ...v, secret }));
              }}
            />
            {editing && hasStoredSecret && (
              <button type="button" onClick={() => setValues((v) => ({ ...v, replaceSecret: false, secret: "" }))}>
                Keep stored
              </button>
            )}
          </div>
        )}
      </Field>
    );
  };

  const renderField = (spec: CatalogField) => {
    const key = settingKey(spec);
    if (spec.input.type === "secret" || key === null) return renderSecret(spec);
    const path = spec.path;
    const label = labelOf(spec, values.settings);
    const setValue = (value: string) => update(path, (v) => ({ ...v, settings: { ...v.settings, [key]: value } }));
    const input = spec.input;
    if (input.type === "choice") {
      return (
        <Field key={path} name={path} label={label} error={shown(path)} hint={spec.hint ?? undefined}>
          {(props) => (
            <select {...props} value={values.settings[key] || input.options[0].value} onChange={(e) => setValue(e.target.value)}>
              {input.options.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>
          )}
        </Field>
      );
    }
    if (input.type === "pem") {
      return (
        <Field key={path} name={path} label={label} error={shown(path)} hint={spec.hint ?? undefined}>
          {(props) => (
            <textarea
              {...props}
              rows={4}
              placeholder={spec.placeholder ?? undefined}
              spellCheck={false}
              value={values.settings[key] ?? ""}
              onChange={(e) => setValue(e.target.value)}
            />
          )}
        </Field>
      );
    }
    // A Twilio WhatsApp connector may send from Twilio's WhatsApp Sandbox: offer it.
    const sandboxOffer = path === "settings.from" && values.kind === "whatsapp" && values.provider === "twilio";
    return (
      <Field key={path} name={path} label={label} error={shown(path)} hint={spec.hint ?? undefined}>
        {(props) => (
          <>
            <input
              {...props}
              type={htmlType(input)}
              inputMode={input.type === "number" ? "numeric" : undefined}
              placeholder={spec.placeholder ?? undefined}
              autoComplete="off"
              spellCheck={false}
              value={values.settings[key] ?? ""}
              onChange={(e) => setValue(e.target.value)}
            />
            {sandboxOffer && <SandboxFromOffer value={values.settings[key] ?? ""} onUse={setValue} />}
          </>
        )}
      </Field>
    );
  };

  const setRecipient = (index: number, part: "number" | "backupEmail", value: string) =>
    update(`recipients[${index}].${part}`, (v) => ({
      ...v,
      recipients: v.recipients.map((r, i) => (i === index ? { ...r, [part]: value } : r)),
    }));

  return (
    <form className="stack" onSubmit={submit} onBlur={onBlur} noValidate aria-label={editing ? "Edit connector" : "New connector"}>
      {choice ? (
        <p className="wizard-choice" data-testid="wizard-choice">
          <span className="badge">{kindLabel(values.kind)}</span> <span className="badge">{providerLabel(values.provider)}</span>
          {shown("kind") && <span className="field-error"> {shown("kind")}</span>}
          {shown("settings.provider") && <span className="field-error"> {shown("settings.provider")}</span>}
        </p>
      ) : (
      <div className="row">
        <Field name="kind" label="Kind" error={shown("kind")}>
          {(props) => (
            <select {...props} value={values.kind} disabled={editing} onChange={(e) => setKind(e.target.value as ConnectorKind)}>
              {KINDS.map((entry) => (
                <option key={entry.kind} value={entry.kind}>
                  {entry.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="settings.provider" label="Provider" error={shown("settings.provider")}>
          {(props) => (
            <select
              {...props}
              value={values.provider}
              disabled={editing}
              onChange={(e) => {
                const provider = e.target.value as ProviderKind;
                update("settings.provider", (v) => ({ ...v, provider }));
              }}
            >
              {providersOf(values.kind).map((provider) => (
                <option key={provider} value={provider}>
                  {providerLabel(provider)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      )}
      <Field name="name" label="Name" error={shown("name")}>
        {(props) => (
          <input
            {...props}
            value={values.name}
            placeholder="Front desk WhatsApp"
            autoComplete="off"
            onChange={(e) => {
              const name = e.target.value;
              update("name", (v) => ({ ...v, name }));
            }}
          />
        )}
      </Field>

      {fields.filter((spec) => !spec.advanced).map(renderField)}

      {advanced.length > 0 && (
        <details
          className="advanced"
          open={advancedOpen || advancedHasError}
          onToggle={(e) => setAdvancedOpen(e.currentTarget.open)}
        >
          <summary>Advanced</summary>
          <div className="stack">{advanced.map(renderField)}</div>
        </details>
      )}

      <label className="checkbox">
        <input
          type="checkbox"
          name="receiveInbound"
          checked={values.receiveInbound}
          onChange={(e) => {
            const receiveInbound = e.target.checked;
            update("receiveInbound", (v) => ({ ...v, receiveInbound }));
          }}
        />
        Receive inbound data
      </label>
      <p className="hint">
        {values.receiveInbound
          ? "Guests' replies reach Switchboard: set the webhook on the numbers you use (Numbers tab)."
          : "Off: Switchboard sets no webhook on this connector's numbers and receives nothing guests send to them."}
      </p>

      {hasRecipients(values.kind) && (
        <fieldset className="recipients">
          <legend>Recipients</legend>
          {noEmailConnector && (
            <p className="hint" data-testid="needs-email-connector">
              A Backup Email requires an Email connector in this organization: add one (SMTP) so that a message that cannot be
              delivered reaches the backup address.
            </p>
          )}
          {values.recipients.length === 0 && <p className="hint">No recipients yet. Add the numbers that should get messages.</p>}
          {shown("recipients") && (
            <p className="field-error" role="alert" data-field-error="recipients">
              {shown("recipients")}
            </p>
          )}
          {values.recipients.map((recipient, index) => (
            <div className="row recipient" key={recipient.key}>
              {RECIPIENT_FIELDS.map((spec) => {
                const path = `recipients[${index}].${spec.path}`;
                return (
                  <Field key={spec.path} name={path} label={labelOf(spec, {})} error={shown(path)} hint={spec.hint ?? undefined}>
                    {(props) => (
                      <input
                        {...props}
                        type={htmlType(spec.input)}
                        autoComplete="off"
                        value={recipient[spec.path]}
                        placeholder={spec.placeholder ?? undefined}
                        onChange={(e) => setRecipient(index, spec.path, e.target.value)}
                      />
                    )}
                  </Field>
                );
              })}
              <button
                type="button"
                className="icon"
                aria-label={`Remove recipient ${index + 1}`}
                title="Remove this recipient"
                onClick={() => update("recipients", (v) => ({ ...v, recipients: v.recipients.filter((_, i) => i !== index) }))}
              >
                ×
              </button>
            </div>
          ))}
          <div>
            <button
              type="button"
              onClick={() => update("recipients", (v) => ({ ...v, recipients: [...v.recipients, newRecipient()] }))}
            >
              Add recipient
            </button>
          </div>
        </fieldset>
      )}

      {unplaced.length > 0 && (
        <div className="form-error" role="alert" data-field-error-summary="">
          <p>The connector was not saved. Correct these and save again:</p>
          <ul>
            {unplaced.map((error) => (
              <li key={`${error.field}:${error.message}`} data-field-error={error.field}>
                {error.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {formError && (
        <p className="form-error" role="alert">
          {formError}
        </p>
      )}
      {checkUnavailable && !formError && <p className="hint">{checkUnavailable}</p>}
      {save.isPending && (
        <p className="hint" role="status">
          Saving… Switchboard checks the credentials with the provider, which can take a few seconds.
        </p>
      )}
      <div className="actions">
        {onBack && (
          <button type="button" onClick={onBack} disabled={save.isPending}>
            Back
          </button>
        )}
        <button type="button" onClick={() => (onCancel ? onCancel() : onDone())}>
          {cancelLabel}
        </button>
        <button type="submit" className="primary" disabled={save.isPending}>
          {editing ? "Save connector" : "Create connector"}
        </button>
      </div>
    </form>
  );
}
