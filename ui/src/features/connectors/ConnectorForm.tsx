import { useEffect, useMemo, useState, type FormEvent } from "react";

import { commands, type Connector, type ConnectorKind, type FieldError, type ProviderKind } from "../../bindings";
import { Field } from "../../components/Field";
import { byField, CommandFailure, failureMessage, unwrap } from "../../lib/api";
import { emptyValues, toDraft, valuesOf, type FormValues } from "./draft";
import { ADVANCED_OF, FIELDS_OF, KIND_LABEL, PROVIDER_LABEL, PROVIDERS_OF, secretLabel, type SettingField } from "./labels";
import { useSaveConnector } from "./queries";

const VALIDATE_DELAY_MS = 300;

interface ConnectorFormProps {
  orgId: string;
  /** The connector being edited; absent when creating. */
  connector?: Connector;
  onDone: () => void;
}

export function ConnectorForm({ orgId, connector, onDone }: ConnectorFormProps) {
  const editing = Boolean(connector);
  const [values, setValues] = useState<FormValues>(() => (connector ? valuesOf(connector) : emptyValues()));
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<FieldError[]>([]);
  const save = useSaveConnector(connector?.id ?? null);
  const draft = useMemo(() => toDraft(values, orgId, editing), [values, orgId, editing]);

  // The backend is the one source of truth for the rules: ask it as the user types.
  useEffect(() => {
    if (touched.size === 0 && !submitted) return;
    let current = true;
    const timer = setTimeout(() => {
      unwrap(commands.connectorValidate(draft, connector?.id ?? null))
        .then((errors) => current && setFieldErrors(errors))
        .catch(() => undefined);
    }, VALIDATE_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [draft, connector?.id, touched, submitted]);

  const errors = byField(fieldErrors);
  const shown = (field: string) => (submitted || touched.has(field) ? errors[field] : undefined);
  const touch = (field: string) => setTouched((previous) => (previous.has(field) ? previous : new Set(previous).add(field)));
  const update = (field: string, change: (v: FormValues) => FormValues) => {
    touch(field);
    setValues(change);
  };

  const setKind = (kind: ConnectorKind) =>
    update("kind", (v) => ({ ...v, kind, provider: PROVIDERS_OF[kind].includes(v.provider) ? v.provider : PROVIDERS_OF[kind][0] }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    save.mutate(draft, {
      onSuccess: onDone,
      onError: (failure) => {
        if (failure instanceof CommandFailure && failure.code === "validation") setFieldErrors(failure.fields);
      },
    });
  };

  const formError =
    save.error && !(save.error instanceof CommandFailure && save.error.code === "validation")
      ? failureMessage(save.error)
      : null;
  const storedSecret = editing && connector?.hasSecret && !values.replaceSecret;

  const renderField = (spec: SettingField) => {
    if (spec.key === "secret") {
      const label = secretLabel(values.provider, values.settings.apiKeySid.trim() !== "");
      if (storedSecret) {
        return (
          <div className="field" key="secret">
            <span className="label">{label}</span>
            <div className="stored-secret">
              <span>Stored in the system keychain</span>
              <button type="button" onClick={() => update("secret", (v) => ({ ...v, replaceSecret: true }))}>
                Replace
              </button>
            </div>
          </div>
        );
      }
      return (
        <Field key="secret" name="secret" label={label} error={shown("secret")} hint="Kept in the system keychain, never shown again.">
          {(props) => (
            <input
              {...props}
              type="password"
              autoComplete="off"
              value={values.secret}
              onChange={(e) => {
                const secret = e.target.value;
                update("secret", (v) => ({ ...v, secret }));
              }}
            />
          )}
        </Field>
      );
    }
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
      <Field key={path} name={path} label={spec.label} error={shown(path)}>
        {(props) => (
          <input
            {...props}
            type={key === "smtpPort" ? "number" : "text"}
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
    <form className="stack" onSubmit={submit} noValidate aria-label={editing ? "Edit connector" : "New connector"}>
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
            onChange={(e) => {
              const name = e.target.value;
              update("name", (v) => ({ ...v, name }));
            }}
          />
        )}
      </Field>

      {FIELDS_OF[values.provider].map(renderField)}

      {ADVANCED_OF[values.provider].length > 0 && (
        <details className="advanced">
          <summary>Advanced</summary>
          {ADVANCED_OF[values.provider].map(renderField)}
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
            <div className="row recipient" key={index}>
              <Field name={`recipients[${index}].number`} label="Number" error={shown(`recipients[${index}].number`)}>
                {(props) => (
                  <input {...props} value={recipient.number} placeholder="+46 70 123 45 67" onChange={(e) => setRecipient(index, "number", e.target.value)} />
                )}
              </Field>
              <Field
                name={`recipients[${index}].backupEmail`}
                label="Backup email (optional)"
                error={shown(`recipients[${index}].backupEmail`)}
              >
                {(props) => (
                  <input {...props} value={recipient.backupEmail} placeholder="night@hotel.example" onChange={(e) => setRecipient(index, "backupEmail", e.target.value)} />
                )}
              </Field>
              <button
                type="button"
                className="icon"
                aria-label={`Remove recipient ${index + 1}`}
                onClick={() => update("recipients", (v) => ({ ...v, recipients: v.recipients.filter((_, i) => i !== index) }))}
              >
                ×
              </button>
            </div>
          ))}
          <button
            type="button"
            onClick={() => update("recipients", (v) => ({ ...v, recipients: [...v.recipients, { number: "", backupEmail: "" }] }))}
          >
            Add recipient
          </button>
        </fieldset>
      )}

      {formError && (
        <p className="form-error" role="alert">
          {formError}
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={save.isPending}>
          Save connector
        </button>
      </div>
    </form>
  );
}
