import type { ReactNode } from "react";

export interface FieldControlProps {
  id: string;
  name: string;
  "aria-invalid": boolean;
  "aria-describedby"?: string;
}

interface FieldProps {
  /** The field path: the input's name and the key of its backend error. */
  name: string;
  label: string;
  error?: string;
  hint?: ReactNode;
  children: (props: FieldControlProps) => ReactNode;
}

/** A stable element id for a field path such as `recipients[0].number`. */
const fieldId = (name: string) => `field-${name.replace(/[^a-zA-Z0-9]+/g, "-")}`;

/** A labelled input with its hint, or its backend error, beside it. */
export function Field({ name, label, error, hint, children }: FieldProps) {
  const id = fieldId(name);
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = error ? errorId : hint ? hintId : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, name, "aria-invalid": Boolean(error), "aria-describedby": describedBy })}
      {hint && !error && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" role="alert" id={errorId} data-field-error={name}>
          {error}
        </p>
      )}
    </div>
  );
}
