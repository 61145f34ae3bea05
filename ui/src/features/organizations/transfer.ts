// Configuration export/import: the bindings' types by role, the queries, and the rules of the
// import's checkboxes (ticking an item ticks what it needs; unticking one unticks what needs it).
import { useMutation, useQueryClient } from "@tanstack/react-query";

import { commands } from "../../bindings";
import type {
  ImportApplied_Serialize,
  ImportItem_Serialize,
  ImportPreview_Serialize,
  ImportSelection_Deserialize,
} from "../../bindings";
import { unwrap } from "../../lib/api";
import { queryKeys } from "../../lib/queryKeys";

export type ImportPreview = ImportPreview_Serialize;
export type ImportItem = ImportItem_Serialize;
export type ImportApplied = ImportApplied_Serialize;
export type ImportSelection = ImportSelection_Deserialize;
export type { ConfigExport, ImportChange } from "../../bindings";

/** Items the user can tick: unchanged items have nothing to apply, conflicts cannot be applied. */
export function tickable(item: ImportItem): boolean {
  return item.change === "added" || item.change === "changed" || item.change === "removed";
}

/** The keys ticked at first (what the backend marks as selected). */
export function initialTicks(preview: ImportPreview): Set<string> {
  return new Set(preview.items.filter((item) => item.selected && tickable(item)).map((item) => item.key));
}

/**
 * Ticks or unticks `key`. Ticking also ticks what it requires (its new connector, its agent…);
 * unticking also unticks what requires it, so the selection is always one the backend accepts.
 */
export function toggle(preview: ImportPreview, ticked: Set<string>, key: string, on: boolean): Set<string> {
  const next = new Set(ticked);
  const byKey = new Map(preview.items.map((item) => [item.key, item]));
  const pending = [key];
  while (pending.length > 0) {
    const current = pending.pop() as string;
    const item = byKey.get(current);
    if (!item || !tickable(item)) continue;
    if (on === next.has(current) && current !== key) continue;
    if (on) {
      next.add(current);
      pending.push(...item.requires);
    } else {
      next.delete(current);
      pending.push(...preview.items.filter((other) => other.requires.includes(current)).map((other) => other.key));
    }
  }
  return next;
}

/** The secrets the ticked items ask for, required ones first. */
export function secretPrompts(preview: ImportPreview, ticked: Set<string>) {
  return preview.items
    .filter((item) => ticked.has(item.key) && item.secret && item.change !== "removed")
    .map((item) => item.secret!)
    .sort((a, b) => Number(b.required) - Number(a.required));
}

export function useConfigExport(orgId: string) {
  return useMutation({ mutationFn: () => unwrap(commands.configExport(orgId)) });
}

/** Saves the export into the Downloads folder (or the folder set for exports); answers where. */
export function useConfigExportSave(orgId: string) {
  return useMutation({ mutationFn: () => unwrap(commands.configExportSave(orgId)) });
}

/** `orgId` null: into the organization the file names (created when there is none). */
export function useImportPreview(orgId: string | null) {
  return useMutation({ mutationFn: (json: string) => unwrap(commands.configImportPreview(orgId, json)) });
}

/** Applies the ticked items. What it changed is read again when the user closes the result (see below). */
export function useImportApply(orgId: string | null) {
  return useMutation({
    mutationFn: ({ json, selection }: { json: string; selection: ImportSelection }) =>
      unwrap(commands.configImportApply(orgId, json, selection)),
  });
}

/**
 * Reads again everything an import can touch. Called when the result is closed, not when the import
 * ends: on the first-run screen a new organization would otherwise replace the screen (and the
 * result) at once.
 */
export function useRefreshAfterImport() {
  const client = useQueryClient();
  return () => {
    for (const key of [
      queryKeys.organizations.all,
      queryKeys.connectors.all,
      queryKeys.numbers.all,
      queryKeys.agents.all,
      queryKeys.channels.all,
      queryKeys.audit.all,
    ]) {
      client.invalidateQueries({ queryKey: key });
    }
  };
}
