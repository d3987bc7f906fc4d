import type { AgentInterval, QueueInterval } from '../../../lambdas/historical-metrics/ports';
import { readDimensions, readWatermarks, writeHistorical } from '../../../lambdas/historical-metrics/store';
import { createMigratedSchema, databaseTargets, type TestSchema } from '../../support/databases';

const INSTANCE = 'i-store';
const start = new Date('2026-11-23T10:00:00Z');

function queueInterval(overrides: Partial<QueueInterval> = {}): QueueInterval {
  return {
    queueId: 'q-1',
    channel: 'VOICE',
    intervalStart: start,
    intervalEnd: new Date('2026-11-23T10:05:00Z'),
    intervalMinutes: 5,
    metrics: { contacts_handled_count: 12, handle_time_avg_seconds: 181.25, hold_time_avg_seconds: null },
    serviceLevels: [
      {
        thresholdSeconds: 20,
        serviceLevelPct: 87.5,
        answeredInThreshold: null,
        abandonedInThreshold: null,
        removedInThreshold: null,
      },
      {
        thresholdSeconds: 60,
        serviceLevelPct: null,
        answeredInThreshold: null,
        abandonedInThreshold: null,
        removedInThreshold: null,
      },
    ],
    ...overrides,
  };
}

const agentInterval: AgentInterval = {
  agentId: 'a-1',
  intervalStart: start,
  intervalEnd: new Date('2026-11-23T10:15:00Z'),
  metrics: { contacts_handled_count: 3, online_time_sum_seconds: 900, occupancy_pct: null },
};

describe.each(databaseTargets())('historical store on $name', ({ url }) => {
  let db: TestSchema;

  beforeAll(async () => {
    db = await createMigratedSchema(url, 'historical_store');
  });
  afterAll(() => db.drop());

  test('writes exactly what goes in, nulls as nulls, and a rerun adds no duplicate', async () => {
    const write = {
      instanceId: INSTANCE,
      collectedAt: new Date('2026-11-23T10:06:00Z'),
      queueIntervals: [
        queueInterval(),
        queueInterval({
          intervalMinutes: 15,
          intervalEnd: new Date('2026-11-23T10:15:00Z'),
          metrics: {
            contacts_queued_count: 44,
            contacts_handled_count: 40,
            handle_time_sum_seconds: 7_000.5,
            contacts_answered_count: 38,
            aht_weighted_sum_seconds: 6_800.25,
          },
          serviceLevels: [
            {
              thresholdSeconds: 20,
              serviceLevelPct: 75,
              answeredInThreshold: 30,
              abandonedInThreshold: 2,
              removedInThreshold: 33,
            },
          ],
        }),
      ],
      agentIntervals: [agentInterval],
      watermarks: {
        queue_v1: { from: start, to: new Date('2026-11-23T10:05:00Z') },
        agent_v2: { from: start, to: new Date('2026-11-23T10:15:00Z') },
      },
    };

    const first = await db.executor.transaction((tx) => writeHistorical(tx, write));
    await db.executor.transaction((tx) => writeHistorical(tx, write));

    expect(first).toEqual({
      queueIntervals: 2,
      serviceLevels: 3,
      agentIntervals: 1,
      watermarks: 2,
      reconciliation: 0,
    });
    const { rows: queues } = await db.executor.query(
      `SELECT interval_minutes, contacts_handled_count, handle_time_avg_seconds, hold_time_avg_seconds,
         handle_time_sum_seconds, contacts_answered_count, aht_weighted_sum_seconds, interval_end
       FROM queue_interval_metrics WHERE instance_id = :i ORDER BY interval_minutes`,
      { i: INSTANCE },
    );
    expect(queues).toEqual([
      {
        interval_minutes: 5,
        contacts_handled_count: 12,
        handle_time_avg_seconds: 181.25,
        hold_time_avg_seconds: null,
        handle_time_sum_seconds: null,
        contacts_answered_count: null,
        aht_weighted_sum_seconds: null,
        interval_end: '2026-11-23 10:05:00.000',
      },
      {
        interval_minutes: 15,
        contacts_handled_count: 40,
        handle_time_avg_seconds: null,
        hold_time_avg_seconds: null,
        handle_time_sum_seconds: 7_000.5,
        contacts_answered_count: 38,
        aht_weighted_sum_seconds: 6_800.25,
        interval_end: '2026-11-23 10:15:00.000',
      },
    ]);
    const { rows: levels } = await db.executor.query(
      `SELECT interval_minutes, threshold_seconds, service_level_pct, contacts_answered_in_threshold_count AS answered,
         contacts_abandoned_in_threshold_count AS abandoned, contacts_removed_in_threshold_count AS removed,
         contacts_queued_count AS queued
       FROM queue_interval_service_level WHERE instance_id = :i ORDER BY interval_minutes, threshold_seconds`,
      { i: INSTANCE },
    );
    expect(levels).toEqual([
      {
        interval_minutes: 5,
        threshold_seconds: 20,
        service_level_pct: 87.5,
        answered: null,
        abandoned: null,
        removed: null,
        queued: null,
      },
      {
        interval_minutes: 5,
        threshold_seconds: 60,
        service_level_pct: null,
        answered: null,
        abandoned: null,
        removed: null,
        queued: null,
      },
      {
        interval_minutes: 15,
        threshold_seconds: 20,
        service_level_pct: 75,
        answered: 30,
        abandoned: 2,
        removed: 33,
        // The interval's queued count travels with its threshold rows (the service level's denominator).
        queued: 44,
      },
    ]);
    const { rows: agents } = await db.executor.query(
      `SELECT agent_id, interval_minutes, contacts_handled_count, online_time_sum_seconds, occupancy_pct
       FROM agent_interval_metrics WHERE instance_id = :i`,
      { i: INSTANCE },
    );
    expect(agents).toEqual([
      {
        agent_id: 'a-1',
        interval_minutes: 15,
        contacts_handled_count: 3,
        online_time_sum_seconds: 900,
        occupancy_pct: null,
      },
    ]);
    const marks = await readWatermarks(db.executor, INSTANCE);
    expect(marks.queue_v1?.watermark).toEqual(new Date('2026-11-23T10:05:00Z'));
    expect(marks.agent_v2?.updatedAt).toEqual(new Date('2026-11-23T10:06:00Z'));
    expect(marks.queue_v2).toBeUndefined();
  });

  test('a result repeated across pages is written once', async () => {
    const repeated = queueInterval({ queueId: 'q-dup' });

    const written = await db.executor.transaction((tx) =>
      writeHistorical(tx, {
        instanceId: INSTANCE,
        collectedAt: start,
        queueIntervals: [repeated, { ...repeated, metrics: { contacts_handled_count: 13 } }],
        agentIntervals: [],
        watermarks: {},
      }),
    );

    expect(written.queueIntervals).toBe(1);
    const { rows } = await db.executor.query(
      `SELECT contacts_handled_count FROM queue_interval_metrics WHERE queue_id = 'q-dup'`,
    );
    expect(rows).toEqual([{ contacts_handled_count: 13 }]);
  });

  test('a watermark never moves back when an older run finishes late', async () => {
    const at = (iso: string) => new Date(iso);
    const write = (watermark: Date) =>
      db.executor.transaction((tx) =>
        writeHistorical(tx, {
          instanceId: 'i-late',
          collectedAt: at('2026-11-23T11:00:00Z'),
          queueIntervals: [],
          agentIntervals: [],
          watermarks: { queue_v2: { from: watermark, to: watermark } },
        }),
      );

    await write(at('2026-11-23T10:45:00Z'));
    await write(at('2026-11-23T10:15:00Z'));

    const mark = (await readWatermarks(db.executor, 'i-late')).queue_v2;
    expect(mark?.watermark).toEqual(at('2026-11-23T10:45:00Z'));
    // The start of the first interval ever read only moves back.
    expect(mark?.collectedFrom).toEqual(at('2026-11-23T10:15:00Z'));
  });

  test('a re-read that changes an interval restates it (when, how often, the first handled count kept); an equal one does not', async () => {
    const at = (iso: string) => new Date(iso);
    const write = (collectedAt: string, handled: number, handleSeconds: number) =>
      db.executor.transaction((tx) =>
        writeHistorical(tx, {
          instanceId: 'i-restated',
          collectedAt: at(collectedAt),
          queueIntervals: [
            queueInterval({
              intervalMinutes: 15,
              intervalEnd: at('2026-11-23T10:15:00Z'),
              metrics: { contacts_handled_count: handled, handle_time_sum_seconds: handleSeconds },
              serviceLevels: [],
            }),
          ],
          agentIntervals: [],
          watermarks: {},
        }),
      );
    const row = async () =>
      (
        await db.executor.query(
          `SELECT contacts_handled_count AS handled, contacts_handled_first_read_count AS first,
             restated_at, restatement_count AS restatements
           FROM queue_interval_metrics WHERE instance_id = 'i-restated'`,
        )
      ).rows;

    await write('2026-11-23T10:16:00Z', 4, 700);
    await write('2026-11-23T10:21:00Z', 4, 700);
    const unchanged = await row();
    await write('2026-11-23T11:16:00Z', 6, 1_150);
    await write('2026-11-23T16:16:00Z', 6, 1_150);

    expect(unchanged).toEqual([{ handled: 4, first: 4, restated_at: null, restatements: 0 }]);
    expect(await row()).toEqual([
      { handled: 6, first: 4, restated_at: '2026-11-23 11:16:00.000', restatements: 1 },
    ]);
  });

  test('reads STANDARD queues and agents, keeping those deleted after the range start', async () => {
    await db.executor.query(
      `INSERT INTO queue (instance_id, queue_id, queue_arn, queue_type, first_seen_at, last_seen_at, deleted_at) VALUES
         ('i-dims', 'q-live', 'arn:q1', 'STANDARD', now(), now(), NULL),
         ('i-dims', 'q-agent', 'arn:q2', 'AGENT', now(), now(), NULL),
         ('i-dims', 'q-recently-gone', 'arn:q3', 'STANDARD', now(), now(), '2026-11-23 09:00:00+00'),
         ('i-dims', 'q-long-gone', 'arn:q4', 'STANDARD', now(), now(), '2026-11-01 00:00:00+00')`,
    );
    await db.executor.query(
      `INSERT INTO agent (instance_id, agent_id, agent_arn, first_seen_at, last_seen_at, deleted_at) VALUES
         ('i-dims', 'a-1', 'arn:a1', now(), now(), NULL),
         ('i-dims', 'a-2', 'arn:a2', now(), now(), '2026-11-01 00:00:00+00')`,
    );

    const dims = await readDimensions(db.executor, 'i-dims', new Date('2026-11-22T10:00:00Z'));

    expect(dims).toEqual({ queueIds: ['q-live', 'q-recently-gone'], agentIds: ['a-1'] });
  });
});
