// The form's values and their translation to the backend's draft.
import type { Connector, ConnectorDraft_Deserialize as ConnectorDraft, ConnectorKind, ProviderKind, SmtpSecurity } from "../../bindings";
import { ADVANCED_OF, FIELDS_OF, type SettingKey } from "./labels";

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
  settings: Record<SettingKey, string>;
  smtpSecurity: SmtpSecurity;
  recipients: RecipientRow[];
  receiveInbound: boolean;
  secret: string;
  /** On edit: the user chose to replace the stored secret. */
  replaceSecret: boolean;
}

const EMPTY_SETTINGS: Record<SettingKey, string> = {
  accountSid: "",
  apiKeySid: "",
  username: "",
  messagingProfileId: "",
  from: "",
  baseUrl: "",
  messagingBaseUrl: "",
  contentBaseUrl: "",
  smtpHost: "",
  smtpPort: "",
};

let nextRecipientKey = 1;

export function newRecipient(number = "", backupEmail = ""): RecipientRow {
  return { key: nextRecipientKey++, number, backupEmail };
}

export function emptyValues(): FormValues {
  return {
    kind: "whatsapp",
    provider: "twilio",
    name: "",
    settings: { ...EMPTY_SETTINGS },
    smtpSecurity: "starttls",
    recipients: [],
    receiveInbound: true,
    secret: "",
    replaceSecret: false,
  };
}

export function valuesOf(connector: Connector): FormValues {
  const settings = { ...EMPTY_SETTINGS };
  for (const key of Object.keys(EMPTY_SETTINGS) as SettingKey[]) {
    const value = connector.settings[key];
    settings[key] = value === null || value === undefined ? "" : String(value);
  }
  return {
    kind: connector.kind,
    provider: connector.provider,
    name: connector.name,
    settings,
    smtpSecurity: connector.settings.smtpSecurity ?? "starttls",
    recipients: connector.recipients.map((r) => newRecipient(r.number, r.backupEmail ?? "")),
    receiveInbound: connector.receiveInbound,
    secret: "",
    replaceSecret: false,
  };
}

const orNull = (value: string) => (value.trim() === "" ? null : value);

/** The settings the form shows for a provider: only these are sent (the backend drops the rest). */
export function settingKeysOf(provider: ProviderKind): SettingKey[] {
  return [...FIELDS_OF[provider], ...ADVANCED_OF[provider]]
    .map((field) => field.key)
    .filter((key): key is SettingKey => key !== "secret" && key !== "smtpSecurity");
}

/**
 * The port as the wire can carry it (an unsigned 16-bit number). Text that is not one becomes 0,
 * which the backend refuses with its own message about the allowed range.
 */
function portOf(text: string): number | null {
  if (text.trim() === "") return null;
  const port = Number(text);
  return Number.isInteger(port) && port >= 0 && port <= 65535 ? port : 0;
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
  const shown = new Set(settingKeysOf(values.provider));
  const text = (key: Exclude<SettingKey, "smtpPort">) => (shown.has(key) ? orNull(values.settings[key]) : null);
  return {
    orgId,
    kind: values.kind,
    provider: values.provider,
    name: values.name,
    settings: {
      accountSid: text("accountSid"),
      apiKeySid: text("apiKeySid"),
      username: text("username"),
      messagingProfileId: text("messagingProfileId"),
      from: text("from"),
      baseUrl: text("baseUrl"),
      messagingBaseUrl: text("messagingBaseUrl"),
      contentBaseUrl: text("contentBaseUrl"),
      smtpHost: text("smtpHost"),
      smtpPort: shown.has("smtpPort") ? portOf(values.settings.smtpPort) : null,
      smtpSecurity: values.provider === "smtp" ? values.smtpSecurity : null,
    },
    recipients:
      values.kind === "email"
        ? []
        : values.recipients.map((r) => ({ number: r.number, backupEmail: orNull(r.backupEmail) })),
    receiveInbound: values.receiveInbound,
    secret: secretEditable(values, hasStoredSecret) && values.secret !== "" ? values.secret : null,
  };
}
