// What the connector list shows for a state. Kinds, providers and fields come from the backend's
// catalog (see catalog.ts).
import type { ConnectorState } from "../../bindings";

export const STATE_LABEL: Record<ConnectorState, string> = {
  not_checked: "Not checked yet",
  active: "Active · Connected",
  error: "Error",
};
