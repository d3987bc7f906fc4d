import type { Feed } from '../lambdas/feeds';
import type { RunSummary } from '../lambdas/shared/collector/contract';
import { DEFAULT_API_QUOTAS, type RuntimeConfig } from '../lambdas/shared/config/runtime-config';
import { minHistoricalCalls, refreshPeriodAllowedSeconds } from './api-minimums';
import { type Figure, figure } from './results';
import { mean, percentile } from './stats';

/** Turns measured collector runs into figures: pure, so it can be tested without running anything. */

const MINUTE = 60_000;

/** The API each real-time feed is limited by. */
const REALTIME_API: Partial<Record<Feed, keyof typeof DEFAULT_API_QUOTAS>> = {
  current_metrics: 'GetCurrentMetricData',
  current_users: 'GetCurrentUserData',
};

/** What one measured run of one collector cost. */
export interface RunMeasure {
  readonly apiCalls: number;
  readonly minApiCalls: number;
  readonly throttles: number;
  /** ExecuteStatement calls: reads before the transaction and writes inside it. */
  readonly statements: number;
  readonly writeStatements: number;
  readonly tablesWritten: number;
  /** Every Data API request, BeginTransaction and CommitTransaction included. */
  readonly dataApiCalls: number;
  readonly bytesSent: number;
  readonly rowsWritten: number;
  /** Start to commit, in ms. */
  readonly latencyMs: number;
  readonly outcome: RunSummary['outcome'];
  readonly error: string | null;
}

/** The historical minimum from what the run fetched (its `details`: ids and ranges per feed). */
export function minimumOfHistoricalRun(summary: Pick<RunSummary, 'details'>): number {
  const details = summary.details ?? {};
  const num = (v: unknown) => (typeof v === 'number' ? v : 0);
  const intervals = (feed: string, periodMin: number) => {
    const d = details[feed] as { from?: unknown; to?: unknown; ranges?: unknown } | undefined;
    if (!d || num(d.ranges) === 0 || typeof d.from !== 'string' || typeof d.to !== 'string') return 0;
    return Math.round((Date.parse(d.to) - Date.parse(d.from)) / (periodMin * MINUTE));
  };
  return minHistoricalCalls({
    queues: num(details.queues),
    agents: num(details.agents),
    channels: 3,
    v1Intervals: intervals('queue_v1', 5),
    v2QueueIntervals: intervals('queue_v2', 15),
    v2AgentIntervals: intervals('agent_v2', 15),
  });
}

/** Per-run figures of one collector in one scenario: means of the counts, p50/p95 of the latency. */
export function summarize(
  scenario: string,
  feed: Feed,
  measures: readonly RunMeasure[],
  databaseLabel: string,
  config: RuntimeConfig,
  counts: boolean,
): Figure[] {
  const avg = (pick: (m: RunMeasure) => number) => round2(mean(measures.map(pick)));
  const latencies = measures.map((m) => m.latencyMs);
  const out: Figure[] = [];
  if (counts) {
    out.push(
      figure(
        scenario,
        feed,
        'api_calls_per_run',
        avg((m) => m.apiCalls),
        'calls',
      ),
      figure(
        scenario,
        feed,
        'min_api_calls_per_run',
        avg((m) => m.minApiCalls),
        'calls',
      ),
      figure(
        scenario,
        feed,
        'throttles_per_run',
        avg((m) => m.throttles),
        'throttles',
      ),
      figure(
        scenario,
        feed,
        'statements_per_run',
        avg((m) => m.statements),
        'statements',
      ),
      figure(
        scenario,
        feed,
        'write_statements_per_run',
        avg((m) => m.writeStatements),
        'statements',
      ),
      figure(
        scenario,
        feed,
        'tables_written_per_run',
        avg((m) => m.tablesWritten),
        'tables',
      ),
      figure(
        scenario,
        feed,
        'data_api_calls_per_run',
        avg((m) => m.dataApiCalls),
        'requests',
      ),
      figure(
        scenario,
        feed,
        'bytes_sent_per_run',
        Math.round(mean(measures.map((m) => m.bytesSent))),
        'bytes',
      ),
      figure(
        scenario,
        feed,
        'rows_written_per_run',
        avg((m) => m.rowsWritten),
        'rows',
      ),
    );
    const api = REALTIME_API[feed];
    if (api) {
      const minCalls = Math.max(...measures.map((m) => m.minApiCalls));
      const quota = config.apiQuotas[api] ?? DEFAULT_API_QUOTAS[api];
      out.push(
        figure(
          scenario,
          feed,
          'refresh_period_allowed',
          round2(refreshPeriodAllowedSeconds(minCalls, quota.rate)),
          's',
        ),
      );
    }
  }
  const failed = measures.filter((m) => m.outcome === 'failed').length;
  if (failed > 0) out.push(figure(scenario, feed, `failed_runs_${databaseLabel}`, failed, 'runs'));
  out.push(
    figure(scenario, feed, `run_latency_p50_${databaseLabel}`, Math.round(percentile(latencies, 50)), 'ms'),
    figure(scenario, feed, `run_latency_p95_${databaseLabel}`, Math.round(percentile(latencies, 95)), 'ms'),
  );
  if (REALTIME_API[feed]) {
    const cadence = config.cadences.realtimeSeconds;
    const achieved = Math.max(cadence, percentile(latencies, 50) / 1000);
    out.push(figure(scenario, feed, `refresh_period_achieved_${databaseLabel}`, round2(achieved), 's'));
  }
  return out;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

const WRITE = /\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+([a-z_][a-z0-9_]*)/gi;

/** Tables a statement inserts into, updates or deletes from (by its SQL text). */
export function tablesWritten(sql: string): string[] {
  const tables = new Set<string>();
  for (const match of sql.matchAll(WRITE)) {
    const table = match[1]?.toLowerCase();
    // `ON CONFLICT ... DO UPDATE SET` names no table: the regex needs a table name after UPDATE.
    if (table && table !== 'set') tables.add(table);
  }
  return [...tables];
}
