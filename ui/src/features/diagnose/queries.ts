import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Channel } from "@tauri-apps/api/core";

import { commands, type Diagnosis_Serialize, type Finding_Deserialize, type Finding_Serialize } from "../../bindings";
import { unwrap } from "../../lib/api";

export type Diagnosis = Diagnosis_Serialize;
export type Finding = Finding_Serialize;

const lastKey = (connectorId: string) => ["diagnosis", "last", connectorId] as const;

/** The connector's last stored diagnosis (none before the first run). */
export function useLastDiagnosis(connectorId: string) {
  return useQuery({ queryKey: lastKey(connectorId), queryFn: () => unwrap(commands.diagnosisLast(connectorId)) });
}

/**
 * Runs a diagnosis; every finding is pushed to `onFinding` the moment the backend knows it (over a
 * Tauri channel), and the whole run, compared with the previous one, is the result.
 */
export function useRunDiagnosis(connectorId: string, onFinding: (finding: Finding) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrap(
        commands.diagnosisRun(
          connectorId,
          new Channel<Finding_Deserialize>((finding) => onFinding(finding as Finding)),
        ),
      ),
    onSuccess: (run) => client.setQueryData(lastKey(connectorId), run),
  });
}

/** Writes the support bundle of the last diagnosis into the app's data folder. */
export function useSupportBundle(connectorId: string) {
  return useMutation({ mutationFn: () => unwrap(commands.supportBundleCreate(connectorId)) });
}
