import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { commands, type JobProgress } from "../../bindings";
import { FailureNotice } from "../../components/ProviderFailure";
import { unwrap } from "../../lib/api";
import { queryKeys } from "../../lib/queryKeys";
import { useReconcile } from "../messaging/queries";
import { useJobRunning, useResume, useWebhookJobs } from "../numbers/queries";

const UNKNOWN = { status: "unknown", limit: 100 };

/**
 * What a crash or a lost answer left open on this connector, on every tab: a bulk webhook job that
 * stopped half-way (Resume writes the numbers not done yet) and sends whose outcome is unknown
 * (Check asks the provider, so no guest gets a message twice).
 */
export function RecoveryBanner({ connectorId }: { connectorId: string }) {
  const jobs = useWebhookJobs(connectorId);
  const unknown = useQuery({
    queryKey: queryKeys.messages.list(connectorId, UNKNOWN),
    queryFn: () => unwrap(commands.messageList(connectorId, UNKNOWN)),
  });
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const resume = useResume(connectorId, setProgress);
  const reconcile = useReconcile();
  const running = useJobRunning(connectorId);

  const interrupted = running ? undefined : jobs.data?.find((job) => job.state === "running");
  const open = unknown.data?.attempts ?? [];
  if (!interrupted && open.length === 0 && !resume.isPending && !resume.isError && !reconcile.isError) return null;

  const done = interrupted ? interrupted.items.filter((item) => item.outcome !== "pending").length : 0;
  return (
    <div className="banner notice-warning" role="status" data-testid="recovery-banner">
      {resume.isPending && (
        <p>
          Resuming the webhook update: {progress ? `${progress.done} of ${progress.total}` : "starting…"}
        </p>
      )}
      {interrupted && !resume.isPending && (
        <p data-testid="interrupted-job">
          A webhook update stopped before it finished ({done} of {interrupted.items.length} numbers done): the app was
          closed or crashed. The numbers not done yet may or may not have been changed; Resume writes them again.{" "}
          <button type="button" className="primary" onClick={() => resume.mutate(interrupted.id)}>
            Resume
          </button>
        </p>
      )}
      {resume.isError && <FailureNotice error={resume.error} lead="The webhook update could not resume:" />}
      {open.length > 0 && (
        <p data-testid="unknown-sends">
          {open.length === 1 ? "1 test message has" : `${open.length} test messages have`} an unknown outcome: the provider
          may or may not have taken {open.length === 1 ? "it" : "them"}. Check asks the provider before anything is sent
          again.{" "}
          <button
            type="button"
            disabled={reconcile.isPending}
            onClick={() => {
              for (const attempt of open) reconcile.mutate(attempt.id);
            }}
          >
            {reconcile.isPending ? "Checking…" : "Check"}
          </button>
        </p>
      )}
      {reconcile.isError && <FailureNotice error={reconcile.error} lead="The check did not run:" />}
    </div>
  );
}
