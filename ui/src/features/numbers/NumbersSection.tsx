import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from "react";

import type { Connector, JobProgress, PhoneNumber, WebhookJob, WebhookPlanItem } from "../../bindings";
import { Dialog } from "../../components/Dialog";
import { FailureNotice } from "../../components/ProviderFailure";
import { StaleNotice } from "../../components/StaleNotice";
import { failureMessage } from "../../lib/api";
import { reportFirstScreen } from "../../startup";
import { DriftReport } from "./DriftReport";
import { WEBHOOK_LABEL, age } from "./labels";
import {
  NUMBERS_PAGE,
  useNumberPage,
  useNumberPages,
  useRefreshNumbers,
  useRegenerate,
  useResume,
  useRollback,
  useSaveActivation,
  useSetWebhook,
  useWebhookJobs,
  useWebhookPlan,
  useWebhookUrl,
} from "./queries";

const ROW_HEIGHT = 64;
const VIEWPORT_ROWS = 8;
/** Rows rendered beyond each edge of the view, so a fast scroll shows no blank band. */
const OVERSCAN_ROWS = 4;

/** The Phone Numbers section of a connector: activate, set and verify webhooks, bulk, rollback. */
export function NumbersSection({ connector }: { connector: Connector }) {
  // The list's first page heads the section: when it was fetched, how many numbers, how many active.
  const numbers = useNumberPage(connector.id, 0);
  const total = numbers.data?.total ?? 0;
  const url = useWebhookUrl(connector.id);
  const refresh = useRefreshNumbers(connector.id);
  const save = useSaveActivation(connector.id);
  // The running job's steps, pushed by the backend over a channel.
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const setWebhook = useSetWebhook(connector.id, setProgress);
  const runSet = (chosen: string[]) => {
    setProgress(null);
    setWebhook.mutate(chosen);
  };
  const jobs = useWebhookJobs(connector.id);
  // The boxes the user changed, each with what the number was when changed: the list is read a
  // page at a time, so a change is kept here rather than looked up in rows scrolled away.
  const [checked, setChecked] = useState<Record<string, Checked>>({});
  const [planning, setPlanning] = useState<string[] | null>(null);

  const changes = useMemo(() => {
    const activate: string[] = [];
    const deactivate: string[] = [];
    for (const [e164, { wanted, was }] of Object.entries(checked)) {
      if (wanted !== was) (wanted ? activate : deactivate).push(e164);
    }
    return { activate, deactivate };
  }, [checked]);
  const dirty = changes.activate.length + changes.deactivate.length > 0;
  const latestJob = jobs.data?.[0];

  const blockedReason = (number: PhoneNumber): string | null => {
    if (number.gone) return "This number is no longer in the provider account";
    if (!number.active) return "Activate and save this number first: only active numbers get a webhook";
    if (!connector.receiveInbound) return "Turn on “Receive inbound data” on the connector to set webhooks";
    if (url.data && !url.data.url) return url.data.missingReason ?? "There is no webhook URL yet";
    return null;
  };

  return (
    <section className="numbers card" aria-labelledby={`numbers-${connector.id}`}>
      <header className="section-header">
        <h2 id={`numbers-${connector.id}`}>Phone numbers: {connector.name}</h2>
        <div className="row-actions">
          <span className="muted" data-testid="numbers-age">
            {numbers.data?.fetchedAt ? `Fetched ${age(numbers.data.fetchedAt)}` : "Not fetched yet"}
          </span>
          <button type="button" onClick={() => refresh.mutate()} disabled={refresh.isPending}>
            {refresh.isPending ? "Refreshing…" : "Refresh"}
          </button>
        </div>
      </header>
      {refresh.isError && <FailureNotice error={refresh.error} lead="Could not fetch the numbers:" />}
      {/* The last refresh could not reach the provider: the kept list stays below. */}
      <StaleNotice
        freshness={refresh.data?.freshness}
        what="the numbers"
        onRetry={() => refresh.mutate()}
        retrying={refresh.isPending}
      />

      {/* After a regenerate the change is known (old URL → new URL): one click sets it on all. */}
      <WebhookUrlBox connector={connector} onSetAll={() => runSet([])} setting={setWebhook.isPending} />

      {numbers.isSuccess && total === 0 && (
        <div className="empty">
          <p>{numbers.data.fetchedAt ? "The provider account has no numbers." : "Fetch the account's numbers to start."}</p>
          {!numbers.data.fetchedAt && (
            <button type="button" onClick={() => refresh.mutate()} disabled={refresh.isPending}>
              Fetch numbers
            </button>
          )}
        </div>
      )}

      {total > 0 && (
        <>
          {/* Before the list, not after it: a keyboard user reaches Save without tabbing through
              every row of a long list (Shift+Tab from a row comes straight back here). */}
          <div className="actions">
            <button
              type="button"
              className="primary"
              disabled={!dirty || save.isPending}
              onClick={() => save.mutate(changes, { onSuccess: () => setChecked({}) })}
            >
              {save.isPending ? "Saving…" : "Save"}
            </button>
            <button type="button" disabled={setWebhook.isPending} onClick={() => setPlanning([])}>
              Set webhook on all active
            </button>
          </div>
          <NumberTable
            connectorId={connector.id}
            total={total}
            checked={checked}
            onCheck={(number, wanted) =>
              setChecked((current) => ({
                ...current,
                [number.e164]: { wanted, was: current[number.e164]?.was ?? number.active },
              }))
            }
            blockedReason={blockedReason}
            onSet={(e164) => runSet([e164])}
            setting={setWebhook.isPending ? (setWebhook.variables ?? []) : []}
          />
          {save.isError && (
            <p className="form-error" role="alert">
              {failureMessage(save.error)}
            </p>
          )}
        </>
      )}

      {setWebhook.isError && (
        <p className="form-error" role="alert">
          {failureMessage(setWebhook.error)}
        </p>
      )}
      {(numbers.data?.active ?? 0) > 0 && <DriftReport connectorId={connector.id} />}
      {setWebhook.isPending ? (
        <JobProgressBar label="Setting webhooks" progress={progress} />
      ) : (
        latestJob && <JobSummary connectorId={connector.id} job={latestJob} />
      )}
      {planning && (
        <PlanDialog
          connectorId={connector.id}
          numbers={planning}
          onRun={(chosen) => {
            setPlanning(null);
            runSet(chosen);
          }}
          onClose={() => setPlanning(null)}
        />
      )}
    </section>
  );
}

function WebhookUrlBox({
  connector,
  onSetAll,
  setting,
}: {
  connector: Connector;
  onSetAll: () => void;
  setting: boolean;
}) {
  const url = useWebhookUrl(connector.id);
  const regenerate = useRegenerate(connector.id);
  const [confirming, setConfirming] = useState(false);
  const [copied, setCopied] = useState(false);
  if (!url.data) return null;
  return (
    <div className="webhook-url">
      <span className="muted">Inbound webhook URL</span>
      {url.data.url ? (
        <>
          <code data-testid="webhook-url">{url.data.url}</code>
          <button
            type="button"
            onClick={() => {
              void navigator.clipboard?.writeText(url.data.url ?? "").then(() => setCopied(true));
            }}
          >
            {copied ? "Copied" : "Copy"}
          </button>
          <button type="button" onClick={() => setConfirming(true)}>
            Regenerate
          </button>
        </>
      ) : (
        <span className="state-warning">{url.data.missingReason}</span>
      )}
      {url.data.needsReset > 0 && (
        <div className="banner" role="status">
          {url.data.needsReset} {url.data.needsReset === 1 ? "number needs" : "numbers need"} the webhook set again: the
          URL was regenerated.
          <button type="button" className="primary" onClick={onSetAll} disabled={setting}>
            {setting ? "Setting…" : "Set on all"}
          </button>
        </div>
      )}
      {confirming && (
        <Dialog title="Regenerate the webhook URL?" onClose={() => setConfirming(false)}>
          <p>
            The current URL stops being the one Switchboard expects. Every active number must then be set again; the app
            marks them “Webhook needs to be set again”.
          </p>
          {regenerate.isError && (
            <p className="form-error" role="alert">
              {failureMessage(regenerate.error)}
            </p>
          )}
          <div className="actions">
            <button type="button" onClick={() => setConfirming(false)}>
              Keep the URL
            </button>
            <button
              type="button"
              className="danger"
              disabled={regenerate.isPending}
              onClick={() => regenerate.mutate(undefined, { onSuccess: () => setConfirming(false) })}
            >
              Regenerate URL
            </button>
          </div>
        </Dialog>
      )}
    </div>
  );
}

/** A box the user changed: what they want, and what the number was when they changed it. */
interface Checked {
  wanted: boolean;
  was: boolean;
}

interface TableProps {
  connectorId: string;
  /** How many numbers the list holds. */
  total: number;
  checked: Record<string, Checked>;
  onCheck: (number: PhoneNumber, wanted: boolean) => void;
  blockedReason: (number: PhoneNumber) => string | null;
  onSet: (e164: string) => void;
  setting: string[];
}

/** The keys that move the keyboard focus between rows of the list, and how far. */
const ROW_KEYS: Record<string, (index: number, last: number) => number> = {
  ArrowDown: (index) => index + 1,
  ArrowUp: (index) => index - 1,
  PageDown: (index) => index + VIEWPORT_ROWS,
  PageUp: (index) => index - VIEWPORT_ROWS,
  Home: () => 0,
  End: (_, last) => last,
};

/**
 * Only the rows in view (and a few either side) are rendered, by TanStack Virtual, so ten thousand
 * numbers scroll as smoothly as ten. Rows have one fixed height: nothing needs measuring. Their
 * data is read the same way: the pages (NUMBERS_PAGE numbers each) holding the rows in view,
 * a row showing "Loading…" until its page is there.
 *
 * For the keyboard the list is one stop, not two per row: Tab enters it on one row (the last one
 * used, or the first in view), the arrows, Page Up/Down, Home and End move between rows (scrolling
 * as needed), and the next Tab leaves it.
 */
/** Marks (User Timing API) when this page load first showed number rows: the app's first useful
 * screen on its Numbers tab, which `make bench-app` reads from the page. Once per load. */
export const FIRST_NUMBERS_MARK = "switchboard:first-numbers";
function markFirstNumbersShown(connectorId: string) {
  if (performance.getEntriesByName(FIRST_NUMBERS_MARK).length > 0) return;
  reportFirstScreen(connectorId, performance.mark(FIRST_NUMBERS_MARK).startTime);
}

function NumberTable({ connectorId, total, checked, onCheck, blockedReason, onSet, setting }: TableProps) {
  const viewport = useRef<HTMLDivElement>(null);
  const keysHint = useId();
  const [activeRow, setActiveRow] = useState(0);
  /** After an arrow key: the row and column to focus once that row is rendered. */
  const pendingFocus = useRef<{ index: number; column: "checkbox" | "button" } | null>(null);
  // TanStack Virtual's API is not memoisable (it returns a new range on each scroll), which the
  // React Compiler lint rule flags; this component does not rely on memoisation.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => viewport.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN_ROWS,
  });
  const items = virtualizer.getVirtualItems();
  const pageNumbers = [...new Set(items.map((item) => Math.floor(item.index / NUMBERS_PAGE)))];
  const pages = useNumberPages(connectorId, pageNumbers);
  const numberAt = (index: number): PhoneNumber | undefined => {
    const page = pages[pageNumbers.indexOf(Math.floor(index / NUMBERS_PAGE))]?.data;
    return page?.numbers[index - page.offset];
  };
  const rowsShown = items.some((item) => numberAt(item.index) !== undefined);
  useEffect(() => {
    if (rowsShown) markFirstNumbersShown(connectorId);
  }, [rowsShown, connectorId]);
  // The row that takes Tab: the last one used while it is rendered, else the first rendered one.
  const tabRow = items.some((item) => item.index === activeRow) ? activeRow : (items[0]?.index ?? 0);

  useEffect(() => {
    const pending = pendingFocus.current;
    // A row still loading has nothing to focus yet: the focus waits for its page.
    const row = pending && viewport.current?.querySelector(`[aria-rowindex="${pending.index + 1}"]:not([data-loading])`);
    if (!pending || !row) return;
    pendingFocus.current = null;
    const checkbox = row.querySelector<HTMLElement>("input:not(:disabled)");
    const button = row.querySelector<HTMLElement>("button:not(:disabled)");
    (pending.column === "button" ? (button ?? checkbox) : (checkbox ?? button))?.focus();
  });

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const move = ROW_KEYS[event.key];
    const from = (event.target as HTMLElement).closest("[aria-rowindex]");
    if (!move || !from || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    const index = Math.min(Math.max(move(Number(from.getAttribute("aria-rowindex")) - 1, total - 1), 0), total - 1);
    pendingFocus.current = { index, column: (event.target as HTMLElement).tagName === "BUTTON" ? "button" : "checkbox" };
    setActiveRow(index);
    virtualizer.scrollToIndex(index);
  };

  return (
    <>
      <p id={keysHint} hidden>
        Up and down arrows, Page Up, Page Down, Home and End move between numbers.
      </p>
      <div
        ref={viewport}
        className="number-table"
        role="table"
        aria-label="Numbers"
        aria-rowcount={total}
        aria-describedby={keysHint}
        onKeyDown={onKeyDown}
        onFocus={(event) => {
          const row = (event.target as HTMLElement).closest("[aria-rowindex]");
          if (row) setActiveRow(Number(row.getAttribute("aria-rowindex")) - 1);
        }}
        // Up to eight rows, fewer in a low window so the whole section fits one down to 700 px
        // high, never fewer than four.
        style={{ maxHeight: `min(${ROW_HEIGHT * VIEWPORT_ROWS}px, max(${ROW_HEIGHT * 4}px, 100vh - 27rem))` }}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {items.map((row) => {
            const number = numberAt(row.index);
            // Where the row sits, loaded or not.
            const place = { role: "row", "aria-rowindex": row.index + 1, style: { top: row.start, height: ROW_HEIGHT } };
            if (!number) {
              return (
                <div key={row.key} {...place} data-loading="" className="number-row">
                  <span role="cell" className="muted">
                    Loading…
                  </span>
                </div>
              );
            }
            const tabIndex = row.index === tabRow ? 0 : -1;
            const blocked = blockedReason(number);
            const isChecked = checked[number.e164]?.wanted ?? number.active;
            return (
              <div
                key={row.key}
                {...place}
                data-testid="number-row"
                data-e164={number.e164}
                className={number.gone ? "number-row gone" : "number-row"}
              >
                <span role="cell">
                  <input
                    type="checkbox"
                    aria-label={`Use ${number.e164}`}
                    tabIndex={tabIndex}
                    checked={isChecked}
                    disabled={number.gone && !number.active}
                    onChange={(event) => onCheck(number, event.target.checked)}
                  />
                </span>
                <span role="cell" className="number-main">
                  <strong>{number.e164}</strong>
                  <span className="muted">
                    {[number.friendlyName, number.capabilities.join(", ")].filter(Boolean).join(" · ")}
                    {number.gone ? " · no longer in the account" : ""}
                  </span>
                </span>
                <span role="cell" className="muted">
                  {[number.providerStatus, number.qualityRating, number.messagingLimit].filter(Boolean).join(" · ")}
                  {number.offlineReasons.length > 0 && (
                    <span className="state-reason"> {number.offlineReasons.join("; ")}</span>
                  )}
                </span>
                <span role="cell" title={number.webhookReason ?? undefined}>
                  <span className={`badge webhook-${number.webhookState}`}>{WEBHOOK_LABEL[number.webhookState]}</span>
                  {number.webhookReason && number.active && <span className="state-reason small">{number.webhookReason}</span>}
                </span>
                <span role="cell">{number.agent ? `Agent: ${number.agent.name}` : ""}</span>
                <span role="cell">
                  <button
                    type="button"
                    disabled={blocked !== null || setting.includes(number.e164)}
                    title={blocked ?? undefined}
                    tabIndex={tabIndex}
                    aria-label={`Set webhook on ${number.e164}`}
                    onClick={() => onSet(number.e164)}
                  >
                    {setting.includes(number.e164) ? "Setting…" : "Set webhook"}
                  </button>
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </>
  );
}

function PlanDialog({
  connectorId,
  numbers,
  onRun,
  onClose,
}: {
  connectorId: string;
  numbers: string[];
  onRun: (numbers: string[]) => void;
  onClose: () => void;
}) {
  const plan = useWebhookPlan(connectorId, numbers);
  const items: WebhookPlanItem[] | undefined = plan.data;
  // Every number is chosen until the user unticks it: all active numbers, or a selection.
  const [left, setLeft] = useState<Set<string>>(new Set());
  const chosen = items?.filter((item) => !left.has(item.e164)) ?? [];
  return (
    <Dialog title="Set the webhook" onClose={onClose}>
      {plan.isPending && <p className="muted">Preparing the preview…</p>}
      {plan.isError && (
        <p className="form-error" role="alert">
          {failureMessage(plan.error)}
        </p>
      )}
      {items && (
        <>
          <p>
            The ticked numbers get the connector's webhook URL. What each has now is kept, so the change can be rolled
            back.
          </p>
          <ul className="plan">
            {items.map((item) => (
              <li key={item.e164}>
                <label>
                  <input
                    type="checkbox"
                    aria-label={`Include ${item.e164}`}
                    checked={!left.has(item.e164)}
                    onChange={(event) =>
                      setLeft((current) => {
                        const next = new Set(current);
                        if (event.target.checked) next.delete(item.e164);
                        else next.add(item.e164);
                        return next;
                      })
                    }
                  />{" "}
                  <strong>{item.e164}</strong>: {item.currentUrl ?? "(no URL)"} → {item.newUrl}
                </label>
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="primary"
          disabled={chosen.length === 0}
          onClick={() => onRun(chosen.map((i) => i.e164))}
        >
          Set on {chosen.length} {chosen.length === 1 ? "number" : "numbers"}
        </button>
      </div>
    </Dialog>
  );
}

/** A running job, drawn from the steps the backend pushes (nothing is polled). */
function JobProgressBar({ label, progress }: { label: string; progress: JobProgress | null }) {
  return (
    <div className="job" data-testid="webhook-job">
      <label>
        {label}: {progress ? `${progress.done} of ${progress.total}` : "starting…"}
        {progress && progress.failed > 0 ? ` (${progress.failed} failed)` : ""}
        <progress max={progress?.total} value={progress?.done} />
      </label>
      {progress?.current && (
        <p className="muted" data-testid="job-current">
          {progress.current.e164}: {progress.current.outcome === "failed" ? "failed" : "set"}
          {progress.current.reason ? `: ${progress.current.reason}` : ""}
        </p>
      )}
    </div>
  );
}

function JobSummary({ connectorId, job }: { connectorId: string; job: WebhookJob }) {
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const rollback = useRollback(connectorId, setProgress);
  const resume = useResume(connectorId, setProgress);
  if (rollback.isPending) return <JobProgressBar label="Rolling back" progress={progress} />;
  if (resume.isPending) return <JobProgressBar label="Resuming" progress={progress} />;
  const run = (mutation: typeof rollback) => {
    setProgress(null);
    mutation.mutate(job.id);
  };
  const total = job.items.length;
  const changed = job.items.filter((i) => i.outcome === "changed").length;
  const failed = job.items.filter((i) => i.outcome === "failed");
  const done = changed + failed.length;
  return (
    <div className="job" data-testid="webhook-job">
      {job.state === "running" ? (
        <label>
          Interrupted job: {done} of {total}
          <progress max={total} value={done} />
        </label>
      ) : (
        <p>
          Last {job.kind === "rollback" ? "rollback" : "webhook update"}: {changed} set
          {failed.length > 0 ? `, ${failed.length} failed` : ""}
          {job.state === "rolled_back" ? " (rolled back)" : ""}.
        </p>
      )}
      {failed.length > 0 && (
        <ul className="state-reason">
          {failed.map((item) => (
            <li key={item.e164}>
              {item.e164}: {item.reason}
            </li>
          ))}
        </ul>
      )}
      {job.state === "running" && (
        <p>
          This job stopped before it finished (the app was closed or crashed). The numbers marked set were changed; the
          others may or may not have been.{" "}
          <button type="button" onClick={() => run(resume)}>
            Resume
          </button>
        </p>
      )}
      {resume.isError && (
        <p className="form-error" role="alert">
          {failureMessage(resume.error)}
        </p>
      )}
      {job.kind === "set" && job.state !== "rolled_back" && (
        <button type="button" onClick={() => run(rollback)}>
          Roll back
        </button>
      )}
      {rollback.isError && (
        <p className="form-error" role="alert">
          {failureMessage(rollback.error)}
        </p>
      )}
    </div>
  );
}
