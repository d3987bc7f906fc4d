import * as z from 'zod';
import { cadenceSeconds, FEED_TABLE, FEEDS, type Feed } from '../feeds';
import type { RuntimeConfig } from '../shared/config/runtime-config';
import type { Log } from '../shared/runtime/logger';
import { describeError } from '../shared/runtime/retry';
import type { FactTable, FreshnessStore } from './freshness-store';

/**
 * The data-load check behind `GET /check` (deployed through API Gateway, locally through the runner):
 * for each configured instance and feed, its last successful run, the age of that run, its rows, the
 * last run's error, and `ok` or `stale`; plus the newest data per fact table and approximate table
 * sizes. 200 when every selected feed is fresh, 503 otherwise, 400 for a bad query string.
 */

/** What the check needs. */
export interface CheckDeps {
  readonly config: RuntimeConfig;
  readonly store: FreshnessStore;
  readonly now: () => Date;
  readonly log: Log;
}

/** One feed of one instance, as the check reports it. */
export interface FeedStatus {
  readonly instanceId: string;
  readonly clientName: string;
  readonly environment: string;
  readonly feed: Feed;
  /**
   * `closed`: a feed with no run in its staleness window while its instance was closed (its queues'
   * hours of operation) all the time since it went stale (its last success plus that window, less
   * `openingHours.marginMinutes`); a scheduled feed only while its last success is within one closed
   * batch (`closedBatchMinutes`) and its staleness window, as it runs once a batch while closed.
   */
  readonly status: 'ok' | 'stale' | 'closed';
  /** A feed is stale with no successful run for this long (staleAfterCadences x its cadence). */
  readonly staleAfterSeconds: number;
  readonly lastSuccessAt: string | null;
  /** Seconds since the last successful run finished; null when there has been none. */
  readonly ageSeconds: number | null;
  readonly lastSuccessRows: number | null;
  /** Newest data the last successful run wrote (snapshot time or interval end). */
  readonly lastDataTime: string | null;
  readonly lastRunAt: string | null;
  readonly lastOutcome: 'succeeded' | 'partial' | 'failed' | null;
  /** The last run's error, when it failed. */
  readonly lastError: string | null;
}

/** The check's answer body. */
export interface CheckBody {
  readonly status: 'ok' | 'stale' | 'error';
  readonly checkedAt: string;
  readonly feeds?: FeedStatus[];
  /** Per instance, the newest snapshot time or interval start of each fact table. */
  readonly latest?: Record<string, Record<FactTable, string | null>>;
  /** Approximate rows per table, from the planner's statistics (null before the first ANALYZE). */
  readonly rowEstimates?: Record<string, number | null>;
  /**
   * Per instance, the last day reconciled with Connect's own figures: how many figures were compared
   * and how many are off by more than the tolerance (null before the first reconciliation).
   */
  readonly reconciliation?: Record<
    string,
    { day: string; reconciledAt: string | null; compared: number; outOfTolerance: number } | null
  >;
  readonly message?: string;
}

/** The check's answer: an HTTP status and a JSON body. */
export interface CheckResponse {
  readonly statusCode: 200 | 400 | 503;
  readonly body: CheckBody;
}

/** The query string the check accepts: `?instance=<configured id>&feed=<feed>`, both optional. */
const CheckQuerySchema = z.strictObject({
  instance: z.uuid({ message: 'expected a Connect instance id (a UUID)' }).optional(),
  feed: z.enum(FEEDS, { message: `expected one of ${FEEDS.join(', ')}` }).optional(),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function badRequest(message: string, now: Date): CheckResponse {
  return { statusCode: 400, body: { status: 'error', checkedAt: now.toISOString(), message } };
}

/**
 * Runs the check for the query string (API Gateway's `queryStringParameters`: null when there is none).
 * Never throws: a database it cannot read answers 503 with the reason.
 */
export async function checkDataLoad(
  query: Readonly<Record<string, string | undefined>> | null | undefined,
  deps: CheckDeps,
): Promise<CheckResponse> {
  const now = deps.now();
  const parsed = CheckQuerySchema.safeParse(query ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) =>
      i.code === 'unrecognized_keys'
        ? `unknown parameter(s) ${i.keys.join(', ')}; expected instance and/or feed`
        : `${i.path.join('.')}: ${i.message}`,
    );
    return badRequest(problems.join('; '), now);
  }
  const { instance, feed } = parsed.data;
  const instances = deps.config.instances.filter((i) => !instance || i.instanceId === instance);
  if (instances.length === 0) {
    return badRequest(`instance: ${instance} is not a configured instance`, now);
  }
  const feeds = feed ? [feed] : [...FEEDS];
  const pairs = instances.flatMap((i) => feeds.map((f) => ({ instanceId: i.instanceId, feed: f })));

  try {
    const ids = instances.map((i) => i.instanceId);
    const [runs, latest, rowEstimates, reconciliations] = await Promise.all([
      deps.store.feedRuns(pairs),
      deps.store.latest(ids),
      deps.store.rowEstimates(),
      deps.store.reconciliations(ids),
    ]);
    const staleAfterSeconds = (f: Feed) =>
      deps.config.staleAfterCadences * cadenceSeconds(f, deps.config.cadences);
    const lastSuccess = (instanceId: string, f: Feed) =>
      runs.find((r) => r.instanceId === instanceId && r.feed === f)?.lastSuccessAt ?? null;
    // A feed is `closed` when its instance was closed all the time it has been stale: from its last
    // success plus its staleness window (less the margin) to now. An outage that began while open
    // stays stale after closing; a feed that never succeeded is broken, not closed.
    const margin = deps.config.openingHours.marginMinutes * 60_000;
    const windows = pairs.flatMap(({ instanceId, feed: f }) => {
      const success = lastSuccess(instanceId, f);
      if (!success || now.getTime() - success.getTime() <= staleAfterSeconds(f) * 1000) return [];
      const from = new Date(success.getTime() + staleAfterSeconds(f) * 1000 - margin);
      return [{ key: `${instanceId} ${f}`, instanceId, from }];
    });
    // Hours that cannot be read (an unknown time zone) leave every feed to the plain staleness rule.
    const open =
      windows.length === 0
        ? new Map<string, boolean | null>()
        : await deps.store.openDuring(windows, now).catch((error: unknown) => {
            deps.log.warn('could not read the opening hours; no feed is reported closed', {
              error: describeError(error),
            });
            return new Map<string, boolean | null>();
          });
    // Closed, a scheduled feed runs once per closed batch (poll-gate.ts): older than that, it is stale.
    const excusedWhileClosed = (f: Feed, ageSeconds: number) =>
      FEED_TABLE[f].schedule.kind === 'loop' ||
      (deps.config.openingHours.pollByHours &&
        ageSeconds <= deps.config.openingHours.closedBatchMinutes * 60 + staleAfterSeconds(f));
    const statuses: FeedStatus[] = pairs.map(({ instanceId, feed: f }) => {
      const config = instances.find((i) => i.instanceId === instanceId);
      const run = runs.find((r) => r.instanceId === instanceId && r.feed === f);
      const success = run?.lastSuccessAt ?? null;
      const ageSeconds = success ? Math.max(0, (now.getTime() - success.getTime()) / 1000) : null;
      return {
        instanceId,
        clientName: config?.clientName ?? '',
        environment: config?.environment ?? '',
        feed: f,
        status:
          ageSeconds !== null && ageSeconds <= staleAfterSeconds(f)
            ? 'ok'
            : ageSeconds !== null &&
                open.get(`${instanceId} ${f}`) === false &&
                excusedWhileClosed(f, ageSeconds)
              ? 'closed'
              : 'stale',
        staleAfterSeconds: staleAfterSeconds(f),
        lastSuccessAt: iso(success),
        ageSeconds: ageSeconds === null ? null : Math.round(ageSeconds * 10) / 10,
        lastSuccessRows: run?.lastSuccessRows ?? null,
        lastDataTime: iso(run?.lastDataTime ?? null),
        lastRunAt: iso(run?.lastRunAt ?? null),
        lastOutcome: run?.lastOutcome ?? null,
        lastError: run?.lastOutcome === 'failed' ? (run.lastError ?? null) : null,
      };
    });
    const fresh = statuses.every((s) => s.status !== 'stale');
    return {
      statusCode: fresh ? 200 : 503,
      body: {
        status: fresh ? 'ok' : 'stale',
        checkedAt: now.toISOString(),
        feeds: statuses,
        latest: Object.fromEntries(
          latest.map((l) => [
            l.instanceId,
            Object.fromEntries(Object.entries(l.latest).map(([t, d]) => [t, iso(d)])) as Record<
              FactTable,
              string | null
            >,
          ]),
        ),
        rowEstimates,
        reconciliation: Object.fromEntries(
          ids.map((id) => {
            const r = reconciliations.find((x) => x.instanceId === id);
            return [
              id,
              r?.day
                ? {
                    day: r.day,
                    reconciledAt: iso(r.reconciledAt),
                    compared: r.compared,
                    outOfTolerance: r.outOfTolerance,
                  }
                : null,
            ];
          }),
        ),
      },
    };
  } catch (error: unknown) {
    deps.log.error('data-load check could not read the database', { error: describeError(error) });
    return {
      statusCode: 503,
      body: {
        status: 'error',
        checkedAt: now.toISOString(),
        // The error's name only: the caller learns what kind of failure (DatabaseResumingException...),
        // the log keeps the details.
        message: `could not read the pipeline database: ${error instanceof Error ? error.name : 'unknown error'}`,
      },
    };
  }
}
