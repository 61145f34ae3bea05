import { useState, type ChangeEvent } from "react";

import { Dialog } from "../../components/Dialog";
import { failureMessage, fieldErrorsOf } from "../../lib/api";
import {
  initialTicks,
  secretPrompts,
  tickable,
  toggle,
  useConfigExport,
  useConfigExportSave,
  useImportApply,
  useImportPreview,
  useRefreshAfterImport,
  type ConfigExport,
  type ImportApplied,
  type ImportChange,
  type ImportItem,
  type ImportPreview,
} from "./transfer";

/** The organization a button works on (its id and name are all it needs). */
interface OrgRef {
  id: string;
  name: string;
}

const CHANGE_WORDS: Record<ImportChange, string> = {
  added: "New",
  changed: "Changed",
  removed: "Removed",
  unchanged: "Unchanged",
  conflict: "Conflict",
};

/** "Export configuration": the organization's configuration as JSON, without secrets, to save or copy. */
export function ExportConfiguration({ organization }: { organization: OrgRef }) {
  const exporting = useConfigExport(organization.id);
  const [open, setOpen] = useState(false);
  const start = () => {
    setOpen(true);
    exporting.mutate();
  };
  return (
    <>
      <button type="button" onClick={start}>
        Export configuration
      </button>
      {open && (
        <Dialog title={`Export ${organization.name}`} onClose={() => setOpen(false)}>
          {exporting.isPending && <p role="status">Exporting…</p>}
          {exporting.error && (
            <p className="form-error" role="alert">
              The configuration was not exported: {failureMessage(exporting.error)}
            </p>
          )}
          {exporting.data && <ExportResult orgId={organization.id} file={exporting.data} />}
          <div className="actions">
            <button type="button" onClick={() => setOpen(false)}>
              Close
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}

function ExportResult({ orgId, file }: { orgId: string; file: ConfigExport }) {
  const [saved, setSaved] = useState<string | null>(null);
  const saving = useConfigExportSave(orgId);
  // The backend writes the file (a webview's own download lands wherever the platform puts it).
  const download = () => {
    setSaved(null);
    saving.mutate(undefined, {
      onSuccess: (file) => setSaved(`Saved to ${file.path}`),
      onError: (error) => setSaved(`Not saved: ${failureMessage(error)}`),
    });
  };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(file.json);
      setSaved("Copied: paste it into a file, or into Import configuration on the other machine.");
    } catch {
      setSaved("Could not copy: select the text below and copy it yourself.");
    }
  };
  return (
    <div className="stack">
      <p className="hint">
        Connectors, recipients, numbers&apos; active flags, agents and channels. No secret and no webhook token is in it: an
        import asks for each connector&apos;s secret.
      </p>
      <textarea className="config-json" aria-label="Configuration JSON" readOnly rows={12} value={file.json} spellCheck={false} />
      <div className="row">
        <button type="button" className="primary" onClick={download} disabled={saving.isPending}>
          Save {file.fileName} to Downloads
        </button>
        <button type="button" onClick={copy}>
          Copy
        </button>
      </div>
      {saved && <p role="status">{saved}</p>}
    </div>
  );
}

/**
 * "Import configuration": a file or pasted JSON → the diff with checkboxes → the secrets → Apply → what happened.
 * Without an organization it imports into the one the file names (created when there is none).
 */
export function ImportConfiguration({
  organization,
  onImported,
}: {
  organization: OrgRef | null;
  onImported?: (orgId: string) => void;
}) {
  const [open, setOpen] = useState(false);
  const [imported, setImported] = useState<string | null>(null);
  const refresh = useRefreshAfterImport();
  const close = () => {
    setOpen(false);
    if (imported) {
      setImported(null);
      refresh();
      onImported?.(imported);
    }
  };
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Import configuration
      </button>
      {open && (
        <Dialog title={organization ? `Import into ${organization.name}` : "Import a configuration"} onClose={close}>
          <ImportFlow orgId={organization?.id ?? null} onClose={close} onApplied={setImported} />
        </Dialog>
      )}
    </>
  );
}

interface FlowProps {
  orgId: string | null;
  onClose: () => void;
  /** The import went through into this organization. */
  onApplied: (orgId: string) => void;
}

function ImportFlow({ orgId, onClose, onApplied }: FlowProps) {
  const [json, setJson] = useState("");
  const preview = useImportPreview(orgId);
  const apply = useImportApply(orgId);

  if (apply.data) return <ImportResult applied={apply.data} onClose={onClose} />;
  if (preview.data) {
    return (
      <ImportDiff
        preview={preview.data}
        applying={apply.isPending}
        error={apply.error}
        onBack={() => {
          preview.reset();
          apply.reset();
        }}
        onApply={(selection) => apply.mutate({ json, selection }, { onSuccess: (done) => onApplied(done.organization.id) })}
      />
    );
  }

  const pick = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file) setJson(await file.text());
  };
  return (
    <div className="stack">
      <label className="field">
        Configuration file
        <input type="file" accept=".json,application/json" onChange={pick} />
      </label>
      <label className="field">
        Or paste the JSON
        <textarea className="config-json" rows={8} value={json} spellCheck={false} onChange={(e) => setJson(e.target.value)} />
      </label>
      <ProblemList lead="This file cannot be imported" error={preview.error} />
      <div className="actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="primary" disabled={!json.trim() || preview.isPending} onClick={() => preview.mutate(json)}>
          Show changes
        </button>
      </div>
    </div>
  );
}

/** A failure with every field problem on its own line (`connectors[2].settings.accountSid: …`). */
function ProblemList({ lead, error }: { lead: string; error: unknown }) {
  if (!error) return null;
  const fields = fieldErrorsOf(error);
  return (
    <div className="form-error" role="alert">
      <p>{lead}{fields.length === 0 ? `: ${failureMessage(error)}` : ":"}</p>
      {fields.length > 0 && (
        <ul>
          {fields.map((field) => (
            <li key={`${field.field}:${field.message}`}>
              <code>{field.field}</code>: {field.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

interface DiffProps {
  preview: ImportPreview;
  applying: boolean;
  error: unknown;
  onBack: () => void;
  onApply: (selection: { keys: string[]; secrets: { connector: string; secret: string }[] }) => void;
}

function ImportDiff({ preview, applying, error, onBack, onApply }: DiffProps) {
  const [ticked, setTicked] = useState(() => initialTicks(preview));
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const open = preview.items.filter((item) => item.change !== "unchanged");
  const unchanged = preview.items.filter((item) => item.change === "unchanged");
  const prompts = secretPrompts(preview, ticked);
  const missing = prompts.some((prompt) => prompt.required && !(secrets[prompt.connector] ?? ""));
  const apply = () =>
    onApply({
      keys: preview.items.filter((item) => ticked.has(item.key)).map((item) => item.key),
      secrets: prompts
        .filter((prompt) => (secrets[prompt.connector] ?? "") !== "")
        .map((prompt) => ({ connector: prompt.connector, secret: secrets[prompt.connector] })),
    });
  return (
    <div className="stack">
      <p>
        {preview.organizationId
          ? `What importing changes in ${preview.organizationName}. Tick what to apply: it is applied all or nothing.`
          : `The import creates the organization ${preview.organizationName}. Tick what to apply: it is applied all or nothing.`}
      </p>
      {open.length === 0 && <p role="status">Nothing to import: this organization already has this configuration.</p>}
      <ul className="plain-list import-changes" aria-label="Changes">
        {open.map((item) => (
          <DiffRow
            key={item.key}
            item={item}
            ticked={ticked.has(item.key)}
            onToggle={(on) => setTicked((current) => toggle(preview, current, item.key, on))}
          />
        ))}
      </ul>
      {unchanged.length > 0 && (
        <details>
          <summary>{unchanged.length} unchanged</summary>
          <ul className="plain-list">
            {unchanged.map((item) => (
              <li key={item.key} className="muted">
                {item.label}
              </li>
            ))}
          </ul>
        </details>
      )}
      {prompts.length > 0 && (
        <fieldset className="stack">
          <legend>Secrets</legend>
          <p className="hint">The file holds no secret. They go to the system keychain, as when you add a connector.</p>
          {prompts.map((prompt) => (
            <label className="field" key={prompt.connector}>
              {`${prompt.label} of '${prompt.connector}'${prompt.required ? "" : " (leave empty to keep the stored one)"}`}
              <input
                type="password"
                autoComplete="off"
                value={secrets[prompt.connector] ?? ""}
                onChange={(e) => setSecrets((current) => ({ ...current, [prompt.connector]: e.target.value }))}
              />
            </label>
          ))}
        </fieldset>
      )}
      <ProblemList lead="Nothing was imported" error={error} />
      <div className="actions">
        <button type="button" onClick={onBack}>
          Back
        </button>
        <button type="button" className="primary" disabled={applying || ticked.size === 0 || missing} onClick={apply}>
          {applying ? "Applying…" : `Apply ${ticked.size} ${ticked.size === 1 ? "change" : "changes"}`}
        </button>
      </div>
    </div>
  );
}

function DiffRow({ item, ticked, onToggle }: { item: ImportItem; ticked: boolean; onToggle: (on: boolean) => void }) {
  const words = `${CHANGE_WORDS[item.change]}: ${item.label}`;
  return (
    <li data-change={item.change}>
      {tickable(item) ? (
        <label className="checkbox">
          <input type="checkbox" checked={ticked} onChange={(e) => onToggle(e.target.checked)} />
          {words}
        </label>
      ) : (
        <span className="state-warning">{words}</span>
      )}
      {item.details.length > 0 && (
        <ul className="hint">
          {item.details.map((detail) => (
            <li key={detail}>{detail}</li>
          ))}
        </ul>
      )}
    </li>
  );
}

function ImportResult({ applied, onClose }: { applied: ImportApplied; onClose: () => void }) {
  return (
    <div className="stack">
      <p role="status">
        Imported {applied.applied.length} {applied.applied.length === 1 ? "change" : "changes"} into {applied.organization.name}.
      </p>
      {applied.connectors.length > 0 && (
        <ul className="plain-list" aria-label="Connectors checked">
          {applied.connectors.map((connector) => (
            <li key={connector.id}>
              {connector.name}: {connector.state === "active" ? "Active" : connector.state === "error" ? "Error" : "Not checked"}
              {connector.stateReason && <span className="state-reason"> — {connector.stateReason}</span>}
            </li>
          ))}
        </ul>
      )}
      {applied.numbersToReset > 0 && (
        <p className="state-warning">
          {applied.numbersToReset} active {applied.numbersToReset === 1 ? "number needs" : "numbers need"} the webhook set: open each
          connector&apos;s Numbers tab, refresh the list and use &ldquo;Set on all&rdquo;.
        </p>
      )}
      <div className="actions">
        <button type="button" className="primary" onClick={onClose}>
          Done
        </button>
      </div>
    </div>
  );
}
