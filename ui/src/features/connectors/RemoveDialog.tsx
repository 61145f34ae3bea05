import type { Connector } from "../../bindings";
import { Dialog } from "../../components/Dialog";
import { FailureNotice } from "../../components/ProviderFailure";
import { useDeleteConnector } from "./queries";

/** Asks before a connector goes, and says what goes with it. */
export function RemoveDialog({ connector, onClose, onRemoved }: { connector: Connector; onClose: () => void; onRemoved: () => void }) {
  const remove = useDeleteConnector();
  return (
    <Dialog title={`Remove ${connector.name}?`} onClose={onClose}>
      <p>
        The connector <strong>{connector.name}</strong> and its settings are removed, and its secret is deleted from the system
        keychain. Numbers at the provider are not changed.
      </p>
      {remove.isError && <FailureNotice error={remove.error} lead="Could not remove it:" />}
      <div className="actions">
        <button type="button" onClick={onClose}>
          Keep it
        </button>
        <button type="button" className="danger" disabled={remove.isPending} onClick={() => remove.mutate(connector.id, { onSuccess: onRemoved })}>
          Remove connector
        </button>
      </div>
    </Dialog>
  );
}
