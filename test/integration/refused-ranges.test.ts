import { historicalMetrics } from '../../lambdas/historical-metrics/index';
import { readWatermarks } from '../../lambdas/historical-metrics/store';
import { metadata } from '../../lambdas/metadata/index';
import { runCollector } from '../../lambdas/shared/collector/run-feed';
import { FAST_HISTORICAL_QUOTAS, startTestPipeline, type TestPipeline } from '../support/pipeline';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

jest.setTimeout(120_000);

/**
 * Connect refuses what no retry can change: a filter naming a queue deleted since metadata last ran,
 * and 15-minute ranges older than it keeps (35 days here, as an older Admin Guide page says, while
 * backfill may reach 90). Neither stalls a feed: the refused id or range is recorded in the run and
 * everything else lands, the watermarks move on.
 */
describe('refused ids and ranges are isolated, recorded and passed', () => {
  let pipeline: TestPipeline;
  let instanceId: string;

  beforeAll(async () => {
    pipeline = await startTestPipeline({
      queues: 6,
      agents: 30,
      label: 'refused_it',
      warmUpMs: 2 * HOUR,
      intervalDataDays: 35,
      quotas: FAST_HISTORICAL_QUOTAS,
      config: { apiQuotas: FAST_HISTORICAL_QUOTAS, historicalBackfillHours: 40 * 24 },
    });
    instanceId = pipeline.simulator.instances[0]!.instanceId;
    await runCollector(metadata, pipeline.deps());
  });
  afterAll(() => pipeline.close());

  const skippedOf = (summary: { skipped?: readonly { record: string; reason: string }[] } | undefined) =>
    summary?.skipped ?? [];

  test('a first backfill past the 15-minute data Connect keeps records the refused ranges and collects the rest', async () => {
    const [summary] = await runCollector(historicalMetrics, pipeline.deps());

    expect(summary?.outcome).toBe('partial');
    const refused = skippedOf(summary).filter((s) => / range /.test(s.record));
    expect(refused.length).toBeGreaterThan(0);
    for (const s of refused) expect(s.reason).toMatch(/35 days/);
    for (const feed of ['queue_v2', 'agent_v2']) {
      const ranges = refused.filter((s) => s.record.startsWith(feed));
      expect(ranges.length).toBeGreaterThan(0);
      // Every refused range starts more than 35 days back; none after it was refused.
      for (const s of ranges) {
        const start = Date.parse(s.record.split(' ')[2]!.split('/')[0]!);
        expect(start).toBeLessThan(pipeline.clock.now() - 35 * DAY + 3 * DAY);
      }
    }
    // No id was blamed for a range Connect refused.
    expect(skippedOf(summary).filter((s) => / id /.test(s.record))).toEqual([]);
    const marks = await readWatermarks(pipeline.db, instanceId);
    const lastInterval = Math.floor(pipeline.clock.now() / (15 * 60_000)) * 15 * 60_000;
    expect(marks.queue_v2?.watermark.getTime()).toBe(lastInterval);
    expect(marks.agent_v2?.watermark.getTime()).toBe(lastInterval);
    const { rows } = await pipeline.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM queue_interval_metrics WHERE instance_id = :instanceId AND interval_minutes = 15
         AND interval_start >= :from`,
      { instanceId, from: new Date(pipeline.clock.now() - 2 * HOUR) },
    );
    expect(rows[0]!.n).toBeGreaterThan(0); // the recent, busy intervals landed
  });

  test('a queue deleted in Connect since metadata ran is found, recorded and left out; the other queues land', async () => {
    const queues = pipeline.simulator.groundTruth
      .resources(instanceId)
      .queues.filter((q) => q.type === 'STANDARD');
    const deleted = queues[2]!.id;
    pipeline.simulator.mutate.deleteQueue(deleted, instanceId);
    pipeline.clock.advance(20 * 60_000);

    const [summary] = await runCollector(historicalMetrics, pipeline.deps());

    expect(summary?.outcome).toBe('partial');
    const blamed = skippedOf(summary).filter((s) => / id /.test(s.record));
    expect(blamed.map((s) => s.record.split(' id ')[1])).toEqual(expect.arrayContaining([deleted]));
    expect(new Set(blamed.map((s) => s.record.split(' id ')[1]))).toEqual(new Set([deleted]));
    for (const s of blamed) expect(s.reason).toMatch(/not a queue of this instance/);
    const { rows } = await pipeline.db.query<{ queue_id: string }>(
      `SELECT DISTINCT queue_id FROM queue_interval_metrics WHERE instance_id = :instanceId AND collected_at >= :since`,
      { instanceId, since: new Date(pipeline.clock.now() - 60_000) },
    );
    const written = rows.map((r) => r.queue_id);
    expect(written).not.toContain(deleted);
    expect(written.length).toBeGreaterThan(0);
    const marks = await readWatermarks(pipeline.db, instanceId);
    expect(marks.queue_v1?.watermark.getTime()).toBe(Math.floor(pipeline.clock.now() / 300_000) * 300_000);
  });
});
