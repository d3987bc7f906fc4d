import {
  callsPerInterval,
  fetchHistorical,
  writeHistoricalRun,
} from '../../../lambdas/historical-metrics/collector';
import type { TimeRange, Watermark } from '../../../lambdas/historical-metrics/interval-plan';
import {
  type AgentInterval,
  type HistoricalConnect,
  type HistoricalPorts,
  type HistoricalStore,
  type QueueInterval,
  RangeRefusedError,
  type WatermarkFeed,
} from '../../../lambdas/historical-metrics/ports';
import type { RunSummary } from '../../../lambdas/shared/collector/contract';
import { parseRuntimeConfig, type RuntimeConfigInput } from '../../../lambdas/shared/config/runtime-config';
import { describeError } from '../../../lambdas/shared/runtime/retry';
import { PORTS_ONLY, runContext } from '../../support/collector-harness';

const MIN = 60_000;

/** A Connect stand-in: one record per id and interval of the range, and a log of the ranges asked. */
function fakeSource(options: { failV2After?: number; refuseV2Before?: Date; onFetch?: () => void } = {}) {
  const asked: { feed: string; range: TimeRange }[] = [];
  const slice = (range: TimeRange, minutes: number) => {
    const out: { start: Date; end: Date }[] = [];
    for (let t = range.start.getTime(); t < range.end.getTime(); t += minutes * MIN) {
      out.push({ start: new Date(t), end: new Date(t + minutes * MIN) });
    }
    return out;
  };
  const queues = (range: TimeRange, ids: readonly string[], minutes: 5 | 15): QueueInterval[] =>
    slice(range, minutes).flatMap((i) =>
      ids.map((queueId) => ({
        queueId,
        channel: 'VOICE',
        intervalStart: i.start,
        intervalEnd: i.end,
        intervalMinutes: minutes,
        metrics: { contacts_handled_count: 1 },
        serviceLevels: [],
      })),
    );
  let v2Calls = 0;
  const source: HistoricalConnect = {
    async queueV1(range, ids) {
      asked.push({ feed: 'queue_v1', range });
      options.onFetch?.();
      return { records: queues(range, ids, 5), skipped: [] };
    },
    async queueV2(range, ids) {
      asked.push({ feed: 'queue_v2', range });
      options.onFetch?.();
      v2Calls += 1;
      if (options.failV2After !== undefined && v2Calls > options.failV2After)
        throw new Error('AccessDeniedException');
      if (options.refuseV2Before && range.start < options.refuseV2Before)
        throw new RangeRefusedError('InvalidParameterException: StartTime is older than the data kept');
      return {
        records: queues(range, ids, 15),
        skipped: [{ record: 'queue_v2[7]', reason: 'Dimensions: QUEUE and CHANNEL expected' }],
      };
    },
    async agentV2(range, ids) {
      asked.push({ feed: 'agent_v2', range });
      options.onFetch?.();
      const records: AgentInterval[] = slice(range, 15).flatMap((i) =>
        ids.map((agentId) => ({ agentId, intervalStart: i.start, intervalEnd: i.end, metrics: {} })),
      );
      return { records, skipped: [] };
    },
    async queueDays(range) {
      asked.push({ feed: 'reconciliation', range });
      return { records: [], skipped: [] };
    },
  };
  return { source, asked };
}

/**
 * An in-memory store with the SQL store's semantics: rows keyed on their natural keys (a rewrite
 * replaces), watermarks that only move forward and remember when they were written.
 */
function fakeStore(dims: { queueIds: string[]; agentIds: string[] }) {
  const marks = new Map<WatermarkFeed, Watermark>();
  const queueRows = new Map<string, QueueInterval>();
  const agentRows = new Map<string, AgentInterval>();
  const store: HistoricalStore = {
    readWatermarks: async () => Object.fromEntries(marks),
    readDimensions: async () => ({ queueIds: [...dims.queueIds], agentIds: [...dims.agentIds] }),
    readDayFigures: async () => [],
    writeHistorical: async (_tx, write) => {
      for (const q of write.queueIntervals) {
        queueRows.set(`${q.queueId}|${q.channel}|${q.intervalStart.toISOString()}|${q.intervalMinutes}`, q);
      }
      for (const a of write.agentIntervals) agentRows.set(`${a.agentId}|${a.intervalStart.toISOString()}`, a);
      for (const [feed, mark] of Object.entries(write.watermarks) as [
        WatermarkFeed,
        { from: Date; to: Date },
      ][]) {
        const old = marks.get(feed);
        marks.set(feed, {
          watermark: old && old.watermark > mark.to ? old.watermark : mark.to,
          updatedAt: write.collectedAt,
          collectedFrom: old?.collectedFrom && old.collectedFrom < mark.from ? old.collectedFrom : mark.from,
        });
      }
      return {
        queueIntervals: write.queueIntervals.length,
        serviceLevels: 0,
        agentIntervals: write.agentIntervals.length,
        watermarks: Object.keys(write.watermarks).length,
        reconciliation: write.reconciliation?.length ?? 0,
      };
    },
  };
  /** Distinct interval starts written, in order, for one interval length. */
  const intervalStarts = (minutes: number) =>
    [
      ...new Set(
        [...queueRows.values()]
          .filter((q) => q.intervalMinutes === minutes)
          .map((q) => q.intervalStart.toISOString()),
      ),
    ].sort();
  return { store, marks, queueRows, intervalStarts };
}

const configInput: RuntimeConfigInput = {
  instances: [
    {
      instanceId: '00000001-2222-4333-8444-555555555555',
      instanceArn: 'arn:aws:connect:us-east-1:123456789012:instance/00000001-2222-4333-8444-555555555555',
      region: 'us-east-1',
      clientName: 'client-1',
      environment: 'test',
    },
  ],
  historicalBackfillHours: 6,
};
const DIMS = { queueIds: ['q-1', 'q-2', 'q-3'], agentIds: ['a-1', 'a-2'] };

/**
 * One run as the runner makes it (fetch, then write; a fetch that throws is a failed run), with the
 * test's clock playing both data time and elapsed time, so a slow fetch can be simulated.
 */
async function run(
  at: Date,
  ports: HistoricalPorts,
  options: { deadlineMs?: number; now?: () => Date } = {},
  overrides: Partial<RuntimeConfigInput> = {},
): Promise<Pick<RunSummary, 'outcome' | 'error' | 'skipped' | 'details' | 'rowsWritten' | 'dataTime'>> {
  const now = options.now ?? (() => at);
  const context = runContext('historical_metrics', at, {
    config: parseRuntimeConfig({ ...configInput, ...overrides }),
    now,
    clock: () => now().getTime(),
    deadlineAt: at.getTime() + (options.deadlineMs ?? 60_000),
  });
  try {
    const fetched = await fetchHistorical(context, PORTS_ONLY, ports);
    const result = await writeHistoricalRun(PORTS_ONLY, fetched, context, ports);
    return { ...result, error: null, outcome: (result.skipped ?? []).length > 0 ? 'partial' : 'succeeded' };
  } catch (error) {
    return { outcome: 'failed', error: describeError(error), rowsWritten: 0, dataTime: null };
  }
}

describe('the historical collector', () => {
  test('a first run backfills the configured hours; three hours later the next run fills every gap once', async () => {
    const { source, asked } = fakeSource();
    const { store, marks, intervalStarts } = fakeStore(DIMS);
    const ports = { connect: source, store, callsPerSecond: () => 1_000 };

    const first = await run(new Date('2026-11-23T06:02:00Z'), ports);
    const second = await run(new Date('2026-11-23T09:03:00Z'), ports);

    expect(first.outcome).toBe('partial'); // the fake's v2 answer carries one malformed record
    expect(second.error).toBeNull();
    const v1 = intervalStarts(5);
    expect(v1).toHaveLength((9 * 60) / 5);
    expect(v1[0]).toBe('2026-11-23T00:00:00.000Z');
    expect(v1.at(-1)).toBe('2026-11-23T08:55:00.000Z');
    const v2 = intervalStarts(15);
    expect(v2).toHaveLength((9 * 60) / 15);
    expect(v2.at(-1)).toBe('2026-11-23T08:45:00.000Z');
    // The second run starts one interval before its watermark only if that one was fetched too early.
    const secondV1 = asked.filter((a) => a.feed === 'queue_v1').slice(72);
    expect(secondV1[0]?.range.start).toEqual(new Date('2026-11-23T05:55:00Z'));
    // 37 ranges to catch up, then the interval that turned 6 hours old since the last cadence is read
    // again for late contact records (the 1-hour one is among the 37; the 24-hour one was never read).
    expect(secondV1).toHaveLength(38);
    expect(secondV1.at(-1)?.range).toEqual({
      start: new Date('2026-11-23T02:55:00Z'),
      end: new Date('2026-11-23T03:00:00Z'),
    });
    expect([...marks.entries()].map(([feed, m]) => [feed, m.watermark.toISOString()]).sort()).toEqual([
      ['agent_v2', '2026-11-23T09:00:00.000Z'],
      ['queue_v1', '2026-11-23T09:00:00.000Z'],
      ['queue_v2', '2026-11-23T09:00:00.000Z'],
    ]);
    expect(second.rowsWritten).toBe(38 * 3 + 14 * 3 + 14 * 2);
    expect(second.dataTime).toEqual(new Date('2026-11-23T09:00:00Z'));

    // Repeated a minute later: the late-data re-fetch of the last intervals (written 3 minutes after the
    // 5-minute one ended), and the intervals 1 and 6 hours old (a run closer than a cadence to the last
    // one restates some intervals twice).
    asked.length = 0;
    await run(new Date('2026-11-23T09:04:00Z'), ports);
    expect(asked.map((a) => `${a.feed} ${a.range.start.toISOString()}`).sort()).toEqual([
      'agent_v2 2026-11-23T02:45:00.000Z',
      'agent_v2 2026-11-23T07:45:00.000Z',
      'agent_v2 2026-11-23T08:45:00.000Z',
      'queue_v1 2026-11-23T02:55:00.000Z',
      'queue_v1 2026-11-23T07:55:00.000Z',
      'queue_v1 2026-11-23T08:55:00.000Z',
      'queue_v2 2026-11-23T02:45:00.000Z',
      'queue_v2 2026-11-23T07:45:00.000Z',
      'queue_v2 2026-11-23T08:45:00.000Z',
    ]);
  });

  test('a failing v2 range stops that feed there: what came before lands, the watermark stops at it, the run is partial', async () => {
    const { source } = fakeSource({ failV2After: 1 });
    const { store, marks, intervalStarts } = fakeStore(DIMS);

    const summary = await run(new Date('2026-11-23T06:02:00Z'), {
      connect: source,
      store,
      callsPerSecond: () => 0.1, // a slow API: one v2 interval a range
    });

    expect(summary.outcome).toBe('partial');
    expect(summary.skipped?.map((s) => s.record)).toContain('queue_v2 fetch');
    expect(intervalStarts(5)).toHaveLength(72);
    expect(marks.get('queue_v2')?.watermark).toEqual(new Date('2026-11-23T00:15:00Z'));
  });

  test('a v2 range older than Connect keeps 15-minute data and refused is recorded and passed: the watermark moves past it', async () => {
    const now = new Date('2026-11-23T06:02:00Z');
    const { source } = fakeSource({ refuseV2Before: new Date('2026-10-18T00:00:00Z') }); // 36 days back
    const { store, marks, intervalStarts } = fakeStore(DIMS);
    const ports = { connect: source, store, callsPerSecond: () => 1_000 };

    const summary = await run(now, ports, {}, { historicalBackfillHours: 40 * 24 });

    expect(summary.outcome).toBe('partial');
    const refused = (summary.skipped ?? []).filter((s) => s.record.startsWith('queue_v2 range'));
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]?.reason).toMatch(/older than the data kept/);
    expect(intervalStarts(15).filter((s) => s < '2026-10-18')).toEqual([]);
    expect(intervalStarts(15).length).toBeGreaterThan(0);
    expect(marks.get('queue_v2')?.watermark).toEqual(new Date('2026-11-23T06:00:00Z'));
    // The data time is the last range that landed, not a refused one.
    expect(summary.dataTime).toEqual(new Date('2026-11-23T06:00:00Z'));
  });

  test('a refusal of a range Connect serves (an invalid request) stops the feed and holds its watermark', async () => {
    const { source } = fakeSource({ refuseV2Before: new Date('2026-11-23T03:00:00Z') });
    const { store, marks } = fakeStore(DIMS);

    const summary = await run(new Date('2026-11-23T06:02:00Z'), {
      connect: source,
      store,
      callsPerSecond: () => 0.1, // one v2 interval a range
    });

    expect(summary.outcome).toBe('partial');
    expect(summary.skipped?.map((s) => s.record)).toContain('queue_v2 fetch');
    expect(marks.get('queue_v2')).toBeUndefined(); // the first range was refused: nothing moved
  });

  test('fetching stops when the run has used its share of the time, and the next run carries on from there', async () => {
    let clock = new Date('2026-11-23T12:00:00Z').getTime();
    const { source } = fakeSource({ onFetch: () => (clock += 1_000) });
    const { store, intervalStarts } = fakeStore(DIMS);
    const ports = { connect: source, store, callsPerSecond: () => 1_000, fetchShare: 0.5 };

    const firstRun = await run(new Date(clock), ports, { deadlineMs: 20_000, now: () => new Date(clock) });
    const afterFirst = intervalStarts(5);
    clock = new Date('2026-11-23T12:01:00Z').getTime();
    await run(new Date(clock), ports, { deadlineMs: 20_000, now: () => new Date(clock) });
    const afterSecond = intervalStarts(5);

    expect(firstRun.details).toMatchObject({ queue_v1: { stoppedEarly: true } });
    expect(afterFirst.length).toBeGreaterThan(0);
    expect(afterFirst.length).toBeLessThan(72);
    expect(afterSecond.length).toBeGreaterThan(afterFirst.length);
    expect(afterSecond.slice(0, afterFirst.length)).toEqual(afterFirst);
    expect(afterSecond[0]).toBe('2026-11-23T06:00:00.000Z');
  });

  test('an instance whose queues are not known yet fails with a message naming the metadata collector', async () => {
    const { source, asked } = fakeSource();

    const summary = await run(new Date('2026-11-23T06:02:00Z'), {
      connect: source,
      store: fakeStore({ queueIds: [], agentIds: [] }).store,
      callsPerSecond: () => 1_000,
    });

    expect(summary.outcome).toBe('failed');
    expect(summary.error).toMatch(/NoQueuesKnownError: .*metadata collector/);
    expect(asked).toEqual([]);
  });
});

describe('callsPerInterval', () => {
  test('counts batches of 100 ids and pages of 100 results', () => {
    expect(callsPerInterval('agent_v2', 2_500)).toBe(25);
    expect(callsPerInterval('queue_v2', 250)).toBe(4 + 4 + 2);
    expect(callsPerInterval('queue_v1', 0)).toBe(0);
  });
});
