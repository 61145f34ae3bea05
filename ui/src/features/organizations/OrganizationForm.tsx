import { useState, type FormEvent } from "react";

import type { Organization } from "../../bindings";
import { Field } from "../../components/Field";
import { byField, failureMessage, fieldErrorsOf } from "../../lib/api";
import { useCreateOrganization, useUpdateOrganization } from "./queries";

const PLACED = new Set(["name", "inboundBaseUrl"]);

interface OrganizationFormProps {
  /** Given when editing an existing organization. */
  organization?: Organization;
  /** After a save; `numbersToReset` counts the numbers whose webhook must be set again. */
  onSaved: (org: Organization, numbersToReset: number) => void;
  /** Absent for the first organization: there is nothing to go back to. */
  onCancel?: () => void;
}

export function OrganizationForm(props: OrganizationFormProps) {
  return props.organization ? <EditOrganization {...props} organization={props.organization} /> : <NewOrganization {...props} />;
}

function NewOrganization({ onSaved, onCancel }: OrganizationFormProps) {
  const create = useCreateOrganization();
  return (
    <OrganizationFields
      label="New organization"
      submitLabel="Create organization"
      failedLead="The organization was not created"
      initial={{ name: "", inboundBaseUrl: "" }}
      mutation={create}
      onSubmit={(draft) => create.mutate(draft, { onSuccess: (org) => onSaved(org, 0) })}
      onCancel={onCancel}
    />
  );
}

function EditOrganization({ organization, onSaved, onCancel }: OrganizationFormProps & { organization: Organization }) {
  const update = useUpdateOrganization(organization.id);
  return (
    <OrganizationFields
      label={`Edit ${organization.name}`}
      submitLabel="Save organization"
      failedLead="The organization was not saved"
      initial={{ name: organization.name, inboundBaseUrl: organization.inboundBaseUrl ?? "" }}
      mutation={update}
      baseUrlWarning={(typed) =>
        typed.trim() !== (organization.inboundBaseUrl ?? "")
          ? "Changing the inbound base URL changes every connector's webhook URL: each active number must then have its webhook set again (Switchboard flags them)."
          : null
      }
      onSubmit={(draft) => update.mutate(draft, { onSuccess: (result) => onSaved(result.organization, result.numbersToReset) })}
      onCancel={onCancel}
    />
  );
}

interface FieldsProps {
  label: string;
  submitLabel: string;
  failedLead: string;
  initial: { name: string; inboundBaseUrl: string };
  mutation: { error: unknown; isPending: boolean };
  baseUrlWarning?: (typed: string) => string | null;
  onSubmit: (draft: { name: string; inboundBaseUrl: string | null }) => void;
  onCancel?: () => void;
}

function OrganizationFields({ label, submitLabel, failedLead, initial, mutation, baseUrlWarning, onSubmit, onCancel }: FieldsProps) {
  const [name, setName] = useState(initial.name);
  const [inboundBaseUrl, setInboundBaseUrl] = useState(initial.inboundBaseUrl);
  const fieldErrors = fieldErrorsOf(mutation.error);
  const errors = byField(fieldErrors);
  const unplaced = fieldErrors.filter((error) => !PLACED.has(error.field));
  const formError = mutation.error && fieldErrors.length === 0 ? `${failedLead}: ${failureMessage(mutation.error)}` : null;
  const warning = baseUrlWarning?.(inboundBaseUrl) ?? null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit({ name, inboundBaseUrl: inboundBaseUrl.trim() || null });
  };

  return (
    <form className="stack" onSubmit={submit} noValidate aria-label={label}>
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
      {warning && (
        <p className="state-warning" role="status">
          {warning}
        </p>
      )}
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
        <button type="submit" className="primary" disabled={mutation.isPending}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
