// The form's values and their translation to the backend's draft.
import type { Connector, ConnectorDraft, ConnectorKind, ProviderKind, SmtpSecurity } from "../../bindings";
import type { SettingKey } from "./labels";

export interface RecipientRow {
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
    recipients: connector.recipients.map((r) => ({ number: r.number, backupEmail: r.backupEmail ?? "" })),
    receiveInbound: connector.receiveInbound,
    secret: "",
    replaceSecret: false,
  };
}

const orNull = (value: string) => (value.trim() === "" ? null : value);

/** The draft sent to the backend. The secret is sent only when typed (create) or replaced (edit). */
export function toDraft(values: FormValues, orgId: string, editing: boolean): ConnectorDraft {
  const s = values.settings;
  const port = s.smtpPort.trim() === "" ? null : Number(s.smtpPort);
  const sendSecret = !editing || values.replaceSecret;
  return {
    orgId,
    kind: values.kind,
    provider: values.provider,
    name: values.name,
    settings: {
      accountSid: orNull(s.accountSid),
      apiKeySid: orNull(s.apiKeySid),
      username: orNull(s.username),
      messagingProfileId: orNull(s.messagingProfileId),
      from: orNull(s.from),
      baseUrl: orNull(s.baseUrl),
      messagingBaseUrl: orNull(s.messagingBaseUrl),
      contentBaseUrl: orNull(s.contentBaseUrl),
      smtpHost: orNull(s.smtpHost),
      smtpPort: port === null || Number.isNaN(port) ? null : port,
      smtpSecurity: values.provider === "smtp" ? values.smtpSecurity : null,
    },
    recipients:
      values.kind === "email"
        ? []
        : values.recipients.map((r) => ({ number: r.number, backupEmail: orNull(r.backupEmail) })),
    receiveInbound: values.receiveInbound,
    secret: sendSecret && values.secret !== "" ? values.secret : null,
  };
}
