import { useState, type FormEvent } from "react";

import type { Organization } from "../../bindings";
import { Field } from "../../components/Field";
import { byField, failureMessage, fieldErrorsOf } from "../../lib/api";
import { useCreateOrganization } from "./queries";

const PLACED = new Set(["name", "inboundBaseUrl"]);

interface OrganizationFormProps {
  onCreated: (org: Organization) => void;
  /** Absent for the first organization: there is nothing to go back to. */
  onCancel?: () => void;
}

export function OrganizationForm({ onCreated, onCancel }: OrganizationFormProps) {
  const [name, setName] = useState("");
  const [inboundBaseUrl, setInboundBaseUrl] = useState("");
  const create = useCreateOrganization();
  const fieldErrors = fieldErrorsOf(create.error);
  const errors = byField(fieldErrors);
  const unplaced = fieldErrors.filter((error) => !PLACED.has(error.field));
  const formError =
    create.error && fieldErrors.length === 0 ? `The organization was not created: ${failureMessage(create.error)}` : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name, inboundBaseUrl: inboundBaseUrl.trim() || null }, { onSuccess: (org) => onCreated(org) });
  };

  return (
    <form className="stack" onSubmit={submit} noValidate aria-label="New organization">
      <Field name="org.name" label="Organization name" error={errors.name}>
        {(props) => (
          <input
            {...props}
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoComplete="off"
            placeholder="Grand Hotel"
          />
        )}
      </Field>
      <Field
        name="org.inboundBaseUrl"
        label="Inbound base URL (optional)"
        error={errors.inboundBaseUrl}
        hint="The public https address your providers post incoming messages to. You can add it later."
      >
        {(props) => (
          <input
            {...props}
            type="url"
            autoComplete="off"
            spellCheck={false}
            value={inboundBaseUrl}
            onChange={(e) => setInboundBaseUrl(e.target.value)}
            placeholder="https://hooks.hotel.example"
          />
        )}
      </Field>
      {unplaced.length > 0 && (
        <div className="form-error" role="alert">
          {unplaced.map((error) => (
            <p key={error.field} data-field-error={error.field}>
              {error.message}
            </p>
          ))}
        </div>
      )}
      {formError && (
        <p className="form-error" role="alert">
          {formError}
        </p>
      )}
      <div className="actions">
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" className="primary" disabled={create.isPending}>
          Create organization
        </button>
      </div>
    </form>
  );
}
