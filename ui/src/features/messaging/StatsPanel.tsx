import { useState } from "react";

import { FailureNotice } from "../../components/ProviderFailure";
import type { MessagingStats } from "../../lib/types";
import { useStats } from "./queries";

const when = (at: string | null) => (at ? new Date(at).toLocaleString() : "—");
const ms = (value: number | null) => (value === null ? "—" : value < 1000 ? `${value} ms` : `${(value / 1000).toFixed(1)} s`);

/** The statistics panel of seed 000, with sent and failed per day, the top error codes and delivery times. */
export function StatsPanel({ connectorId }: { connectorId: string }) {
  const [days, setDays] = useState(30);
  const stats = useStats(connectorId, days);
  return (
    <section className="card stack" aria-labelledby="stats-title">
      <header className="section-header">
        <h2 id="stats-title">Statistics</h2>
        <label className="inline">
          Chart
          <select value={days} onChange={(e) => setDays(Number(e.target.value))} aria-label="Days in the chart">
            <option value={30}>Last 30 days</option>
            <option value={90}>Last 90 days</option>
          </select>
        </label>
      </header>
      {stats.isPending && <p className="muted">Counting…</p>}
      {stats.isError && <FailureNotice error={stats.error} lead="Could not count the messages:" />}
      {stats.data && <Figures stats={stats.data} />}
      {stats.data && <DayChart stats={stats.data} />}
      {stats.data && stats.data.topErrors.length > 0 && (
        <div>
          <h3>Top error codes</h3>
          <ul className="plain-list" data-testid="top-errors">
            {stats.data.topErrors.map((error) => (
              <li key={error.code}>
                <code>{error.code}</code> {error.kind && <span className="muted">{error.kind}</span>} × {error.count}
                {error.fix && <span> — {error.fix}</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

function Figures({ stats }: { stats: MessagingStats }) {
  const figures: [string, string][] = [
    ["Total Sent", String(stats.totalSent)],
    ["Total Fails", String(stats.totalFails)],
    ["Sent This Month", String(stats.sentThisMonth)],
    ["Success Rate", stats.successRate === null ? "—" : `${stats.successRate.toFixed(1)} %`],
    ["Attempts", String(stats.attempts)],
    ["Last Sent", when(stats.lastSent)],
    ["Last Failed", when(stats.lastFailed)],
    ["Delivery time p50 / p95", `${ms(stats.deliveryP50Ms)} / ${ms(stats.deliveryP95Ms)}`],
  ];
  return (
    <>
      <dl className="figures" data-testid="stats-figures">
        {figures.map(([label, value]) => (
          <div key={label} className="figure">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <p data-testid="last-error">
        <strong>Last Error: </strong>
        {stats.lastError ? (
          <>
            {stats.lastError.message}
            {stats.lastError.code && <code> ({stats.lastError.code})</code>}{" "}
            <time className="muted" dateTime={stats.lastError.at}>
              {when(stats.lastError.at)}
            </time>
          </>
        ) : (
          "none"
        )}
      </p>
    </>
  );
}

/** Sent and failed per day as bars, newest on the right. */
function DayChart({ stats }: { stats: MessagingStats }) {
  const width = 600;
  const height = 80;
  const days = stats.perDay;
  const max = Math.max(1, ...days.map((d) => d.sent + d.failed));
  const bar = width / Math.max(1, days.length);
  return (
    <svg className="day-chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Sent and failed per day over the last ${days.length} days`}>
      {days.map((day, index) => {
        const sentHeight = (day.sent / max) * height;
        const failedHeight = (day.failed / max) * height;
        return (
          <g key={day.day}>
            <title>{`${day.day}: ${day.sent} sent, ${day.failed} failed`}</title>
            <rect x={index * bar + 1} y={height - sentHeight} width={bar - 2} height={sentHeight} className="bar-sent" />
            <rect x={index * bar + 1} y={height - sentHeight - failedHeight} width={bar - 2} height={failedHeight} className="bar-failed" />
          </g>
        );
      })}
    </svg>
  );
}
