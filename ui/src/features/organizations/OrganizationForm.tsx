import { useState, type FormEvent } from "react";

import type { Organization } from "../../bindings";
import { Field } from "../../components/Field";
import { byField, CommandFailure, failureMessage } from "../../lib/api";
import { useCreateOrganization } from "./queries";

export function OrganizationForm({ onCreated }: { onCreated: (org: Organization) => void }) {
  const [name, setName] = useState("");
  const [inboundBaseUrl, setInboundBaseUrl] = useState("");
  const create = useCreateOrganization();
  const failure = create.error;
  const errors = failure instanceof CommandFailure ? byField(failure.fields) : {};
  const formError = failure && !(failure instanceof CommandFailure && failure.fields.length) ? failureMessage(failure) : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { name, inboundBaseUrl: inboundBaseUrl.trim() || null },
      { onSuccess: (org) => onCreated(org) },
    );
  };

  return (
    <form className="stack" onSubmit={submit} noValidate>
      <Field name="org.name" label="Organization name" error={errors.name}>
        {(props) => <input {...props} value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />}
      </Field>
      <Field
        name="org.inboundBaseUrl"
        label="Inbound base URL (optional)"
        error={errors.inboundBaseUrl}
        hint="The public https address your providers post incoming messages to."
      >
        {(props) => (
          <input {...props} value={inboundBaseUrl} onChange={(e) => setInboundBaseUrl(e.target.value)} placeholder="https://hooks.hotel.example" />
        )}
      </Field>
      {formError && <p className="form-error" role="alert">{formError}</p>}
      <div className="actions">
        <button type="submit" className="primary" disabled={create.isPending}>
          Create organization
        </button>
      </div>
    </form>
  );
}
