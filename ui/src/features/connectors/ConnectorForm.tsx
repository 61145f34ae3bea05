import { useMemo, useState, type FocusEvent, type FormEvent } from "react";

import type { Connector, ConnectorKind, ProviderKind } from "../../bindings";
import { Field } from "../../components/Field";
import { byField, failureMessage, fieldErrorsOf } from "../../lib/api";
import { useDebounced } from "../../lib/useDebounced";
import { emptyValues, newRecipient, secretEditable, toDraft, valuesOf, type FormValues } from "./draft";
import { ADVANCED_OF, FIELDS_OF, KIND_LABEL, PROVIDER_LABEL, PROVIDERS_OF, secretLabel, type SettingField } from "./labels";
import { useConnectorValidation, useSaveConnector } from "./queries";

const VALIDATE_DELAY_MS = 300;

interface ConnectorFormProps {
  orgId: string;
  /** The connector being edited; absent when creating. */
  connector?: Connector;
  onDone: () => void;
  /** What Cancel does; closing (onDone) when not given. */
  onCancel?: () => void;
  cancelLabel?: string;
}

const settingPath = (spec: SettingField) =>
  spec.key === "secret" ? "secret" : `settings.${spec.key}`;

/** The field paths this form shows an input for: errors for any other path go in the form's alert. */
function placedFields(values: FormValues): Set<string> {
  const fields = ["kind", "provider", "name", "receiveInbound"];
  for (const spec of [...FIELDS_OF[values.provider], ...ADVANCED_OF[values.provider]]) fields.push(settingPath(spec));
  if (values.kind !== "email") {
    fields.push("recipients");
    values.recipients.forEach((_, index) => fields.push(`recipients[${index}].number`, `recipients[${index}].backupEmail`));
  }
  return new Set(fields);
}

export function ConnectorForm({ orgId, connector, onDone, onCancel, cancelLabel = "Cancel" }: ConnectorFormProps) {
  const editing = Boolean(connector);
  const hasStoredSecret = connector?.hasSecret ?? false;
  const [values, setValues] = useState<FormValues>(() => (connector ? valuesOf(connector) : emptyValues()));
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [advancedOpen, setAdvancedOpen] = useState(false);
  const save = useSaveConnector(connector?.id ?? null);
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
  const advancedHasError = ADVANCED_OF[values.provider].some((spec) => shown(settingPath(spec)));

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
    update("kind", (v) => ({ ...v, kind, provider: PROVIDERS_OF[kind].includes(v.provider) ? v.provider : PROVIDERS_OF[kind][0] }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    save.mutate(draft, { onSuccess: onDone });
  };

  const formError =
    save.error && fieldErrorsOf(save.error).length === 0
      ? `The connector was not saved: ${failureMessage(save.error)}`
      : null;
  const checkUnavailable = validation.isError
    ? `Switchboard could not check these fields right now (${failureMessage(validation.error)}). You can still save: they are checked again then.`
    : null;

  const renderSecret = () => {
    const label = secretLabel(values.provider, values.settings.apiKeySid.trim() !== "");
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
        hint={editing && hasStoredSecret ? "The new value replaces the stored one when you save." : "Kept in the system keychain, never shown again."}
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

  const renderField = (spec: SettingField) => {
    if (spec.key === "secret") return renderSecret();
    if (spec.key === "smtpSecurity") {
      return (
        <Field key="smtpSecurity" name="settings.smtpSecurity" label={spec.label} error={shown("settings.smtpSecurity")}>
          {(props) => (
            <select
              {...props}
              value={values.smtpSecurity}
              onChange={(e) => {
                const smtpSecurity = e.target.value as FormValues["smtpSecurity"];
                update("settings.smtpSecurity", (v) => ({ ...v, smtpSecurity }));
              }}
            >
              <option value="starttls">STARTTLS (port 587)</option>
              <option value="tls">TLS (port 465)</option>
              <option value="none">None (local relay only)</option>
            </select>
          )}
        </Field>
      );
    }
    const key = spec.key;
    const path = `settings.${key}`;
    return (
      <Field key={path} name={path} label={spec.label} error={shown(path)} hint={spec.hint}>
        {(props) => (
          <input
            {...props}
            type={key === "smtpPort" ? "number" : "text"}
            inputMode={key === "smtpPort" ? "numeric" : undefined}
            placeholder={spec.placeholder}
            autoComplete="off"
            spellCheck={false}
            value={values.settings[key]}
            onChange={(e) => {
              const value = e.target.value;
              update(path, (v) => ({ ...v, settings: { ...v.settings, [key]: value } }));
            }}
          />
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
      <div className="row">
        <Field name="kind" label="Kind" error={shown("kind")}>
          {(props) => (
            <select {...props} value={values.kind} disabled={editing} onChange={(e) => setKind(e.target.value as ConnectorKind)}>
              {(Object.keys(KIND_LABEL) as ConnectorKind[]).map((kind) => (
                <option key={kind} value={kind}>
                  {KIND_LABEL[kind]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="provider" label="Provider" error={shown("provider")}>
          {(props) => (
            <select
              {...props}
              value={values.provider}
              disabled={editing}
              onChange={(e) => {
                const provider = e.target.value as ProviderKind;
                update("provider", (v) => ({ ...v, provider }));
              }}
            >
              {PROVIDERS_OF[values.kind].map((provider) => (
                <option key={provider} value={provider}>
                  {PROVIDER_LABEL[provider]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
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

      {FIELDS_OF[values.provider].map(renderField)}

      {ADVANCED_OF[values.provider].length > 0 && (
        <details
          className="advanced"
          open={advancedOpen || advancedHasError}
          onToggle={(e) => setAdvancedOpen(e.currentTarget.open)}
        >
          <summary>Advanced</summary>
          <div className="stack">{ADVANCED_OF[values.provider].map(renderField)}</div>
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

      {values.kind !== "email" && (
        <fieldset className="recipients">
          <legend>Recipients</legend>
          {values.recipients.length === 0 && <p className="hint">No recipients yet. Add the numbers that should get messages.</p>}
          {shown("recipients") && (
            <p className="field-error" role="alert" data-field-error="recipients">
              {shown("recipients")}
            </p>
          )}
          {values.recipients.map((recipient, index) => (
            <div className="row recipient" key={recipient.key}>
              <Field name={`recipients[${index}].number`} label="Number" error={shown(`recipients[${index}].number`)}>
                {(props) => (
                  <input
                    {...props}
                    type="tel"
                    autoComplete="off"
                    value={recipient.number}
                    placeholder="+46 70 123 45 67"
                    onChange={(e) => setRecipient(index, "number", e.target.value)}
                  />
                )}
              </Field>
              <Field
                name={`recipients[${index}].backupEmail`}
                label="Backup email (optional)"
                error={shown(`recipients[${index}].backupEmail`)}
              >
                {(props) => (
                  <input
                    {...props}
                    type="email"
                    autoComplete="off"
                    value={recipient.backupEmail}
                    placeholder="night@hotel.example"
                    onChange={(e) => setRecipient(index, "backupEmail", e.target.value)}
                  />
                )}
              </Field>
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
        <button type="button" onClick={onCancel ?? onDone}>
          {cancelLabel}
        </button>
        <button type="submit" className="primary" disabled={save.isPending}>
          Save connector
        </button>
      </div>
    </form>
  );
}
