// The form's values and their translation to the backend's draft. Which settings a provider has,
// and of what kind, comes from the catalog: nothing here names a provider's fields.
import type {
  Connector,
  ConnectorDraft_Deserialize as ConnectorDraft,
  ConnectorKind,
  ConnectorSettings_Deserialize as ConnectorSettings,
  ProviderKind,
} from "../../bindings";
import { KINDS, fieldsOf, hasRecipients, providersOf, settingKey, type CatalogField } from "./catalog";

export interface RecipientRow {
  /** A key for React only: rows keep their identity when one above them is removed. */
  key: number;
  number: string;
  backupEmail: string;
}

export interface FormValues {
  kind: ConnectorKind;
  provider: ProviderKind;
  name: string;
  /**
   * The settings as typed, by their key in `settings` (`accountSid`, `port`). Fields of the same
   * key are shared between providers, so switching provider keeps what was typed.
   */
  settings: Record<string, string>;
  recipients: RecipientRow[];
  receiveInbound: boolean;
  secret: string;
  /** On edit: the user chose to replace the stored secret. */
  replaceSecret: boolean;
}

let nextRecipientKey = 1;

export function newRecipient(number = "", backupEmail = ""): RecipientRow {
  return { key: nextRecipientKey++, number, backupEmail };
}

export function emptyValues(): FormValues {
  const kind = KINDS[0].kind;
  return {
    kind,
    provider: providersOf(kind)[0],
    name: "",
    settings: {},
    recipients: [],
    receiveInbound: true,
    secret: "",
    replaceSecret: false,
  };
}

export function valuesOf(connector: Connector): FormValues {
  const settings: Record<string, string> = {};
  for (const [key, value] of Object.entries(connector.settings)) {
    if (key === "provider" || value === null || value === undefined) continue;
    // A port of 0 is one an older version stored without a port: show it as not given.
    settings[key] = value === 0 ? "" : String(value);
  }
  return {
    kind: connector.kind,
    provider: connector.settings.provider,
    name: connector.name,
    settings,
    recipients: connector.recipients.map((r) => newRecipient(r.number, r.backupEmail ?? "")),
    receiveInbound: connector.receiveInbound,
    secret: "",
    replaceSecret: false,
  };
}

const orNull = (value: string) => (value.trim() === "" ? null : value);

/**
 * A port as the wire carries it (an unsigned 16-bit number, 0 for "not given"). Text that is not
 * a port becomes 0 too, which the backend refuses with its own message about the allowed range.
 */
function portOf(text: string): number {
  const port = Number(text);
  return text.trim() !== "" && Number.isInteger(port) && port >= 0 && port <= 65535 ? port : 0;
}

/** The value a settings field sends: a required text as typed, an optional one blank as null. */
function settingValue(field: CatalogField, text: string): string | number | null {
  switch (field.input.type) {
    case "number":
      return portOf(text);
    case "choice":
      return text === "" ? field.input.options[0].value : text;
    default:
      return field.required ? text : orNull(text);
  }
}

/** The settings of `provider`, tagged with it, from what the form holds. */
export function settingsOf(provider: ProviderKind, typed: Readonly<Record<string, string>>): ConnectorSettings {
  const settings: Record<string, string | number | null> = { provider };
  for (const field of fieldsOf(provider)) {
    const key = settingKey(field);
    if (key !== null) settings[key] = settingValue(field, typed[key] ?? "");
  }
  // The catalog lists exactly the fields of each provider's settings (a backend test holds it to that).
  return settings as unknown as ConnectorSettings;
}

/** Whether the secret input is on screen: always on create, on edit only after "Replace". */
export function secretEditable(values: FormValues, hasStoredSecret: boolean): boolean {
  return !hasStoredSecret || values.replaceSecret;
}

/**
 * The draft sent to the backend. The secret is sent only when its input is on screen and filled;
 * otherwise `null`, which keeps the stored one on edit.
 */
export function toDraft(values: FormValues, orgId: string, hasStoredSecret: boolean): ConnectorDraft {
  return {
    orgId,
    kind: values.kind,
    name: values.name,
    settings: settingsOf(values.provider, values.settings),
    recipients: hasRecipients(values.kind)
      ? values.recipients.map((r) => ({ number: r.number, backupEmail: orNull(r.backupEmail) }))
      : [],
    receiveInbound: values.receiveInbound,
    secret: secretEditable(values, hasStoredSecret) && values.secret !== "" ? values.secret : null,
  };
}
