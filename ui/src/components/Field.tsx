import type { ReactNode } from "react";

interface FieldProps {
  /** The field path: the input's name and the key of its backend error. */
  name: string;
  label: string;
  error?: string;
  hint?: ReactNode;
  children: (props: {
    id: string;
    name: string;
    "aria-invalid": boolean;
    "aria-describedby"?: string;
  }) => ReactNode;
}

const idOf = (name: string) => `field-${name.replace(/[^a-zA-Z0-9]+/g, "-")}`;

/** A labelled input with its backend error beside it. */
export function Field({ name, label, error, hint, children }: FieldProps) {
  const id = idOf(name);
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, name, "aria-invalid": Boolean(error), "aria-describedby": error ? errorId : undefined })}
      {hint && !error && <p className="hint">{hint}</p>}
      {error && (
        <p className="field-error" role="alert" id={errorId} data-field-error={name}>
          {error}
        </p>
      )}
    </div>
  );
}
