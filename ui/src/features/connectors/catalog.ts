// What the connector form offers, read from the backend's catalog (CONNECTOR_CATALOG in the
// generated bindings): which providers carry each kind, and each provider's fields in form order
// with their labels. Nothing here repeats it; the rules of the values live in the backend too.
import { CONNECTOR_CATALOG, type ConnectorKind, type ProviderKind } from "../../bindings";

type Catalog = typeof CONNECTOR_CATALOG;
export type KindEntry = Catalog["kinds"][number];
export type ProviderEntry = Catalog["providers"][number];
/** A provider's field (`settings.accountSid`, `secret`, …) or a recipient's (`number`, `backupEmail`). */
export type CatalogField = ProviderEntry["fields"][number] | Catalog["recipientFields"][number];

export const KINDS: readonly KindEntry[] = CONNECTOR_CATALOG.kinds;
export const RECIPIENT_FIELDS = CONNECTOR_CATALOG.recipientFields;

const SETTINGS = "settings.";

function kindEntry(kind: ConnectorKind): KindEntry {
  const entry = KINDS.find((k) => k.kind === kind);
  if (!entry) throw new Error(`The connector catalog has no kind ${kind}`);
  return entry;
}

function providerEntry(provider: ProviderKind): ProviderEntry {
  const entry = CONNECTOR_CATALOG.providers.find((p) => p.provider === provider);
  if (!entry) throw new Error(`The connector catalog has no provider ${provider}`);
  return entry;
}

export const kindLabel = (kind: ConnectorKind): string => kindEntry(kind).label;
export const providerLabel = (provider: ProviderKind): string => providerEntry(provider).label;
/** The providers of a kind; the first is the form's default. */
export const providersOf = (kind: ConnectorKind): readonly ProviderKind[] => kindEntry(kind).providers;
export const hasRecipients = (kind: ConnectorKind): boolean => kindEntry(kind).hasRecipients;
export const fieldsOf = (provider: ProviderKind): readonly CatalogField[] => providerEntry(provider).fields;

/** The key of a settings field inside `settings` (`accountSid`), or null for another field (`secret`). */
export function settingKey(field: CatalogField): string | null {
  return field.path.startsWith(SETTINGS) ? field.path.slice(SETTINGS.length) : null;
}

/**
 * The label to show: the catalog's, or its alternative while the field it names is filled (a
 * Twilio secret is an API key's once an API Key SID is given), marked when the field is optional.
 */
export function labelOf(field: CatalogField, settings: Readonly<Record<string, string>>): string {
  const other = field.labelWhenFilled;
  const otherKey = other ? other.path.slice(SETTINGS.length) : null;
  const label = other && otherKey && (settings[otherKey] ?? "").trim() !== "" ? other.label : field.label;
  return field.required ? label : `${label} (optional)`;
}
