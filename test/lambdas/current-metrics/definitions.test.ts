import {
  CURRENT_METRIC_NAMES,
  CURRENT_METRICS,
  currentMetric,
  normalizeMetricValue,
} from '../../../lambdas/current-metrics/definitions';
import { createMigratedSchema, databaseTargets, type TestSchema } from '../../support/databases';

const metric = (name: string) => {
  const definition = currentMetric(name);
  if (!definition) throw new Error(`no metric ${name}`);
  return definition;
};

describe('CURRENT_METRICS', () => {
  test('names all 14 current metrics, each with the queue_realtime_snapshot column for its unit', () => {
    expect(CURRENT_METRIC_NAMES).toHaveLength(14);
    expect(metric('AGENTS_ON_CALL')).toEqual({
      name: 'AGENTS_ON_CALL',
      unit: 'COUNT',
      column: 'agents_on_call_count',
      kind: 'count',
      rollup: { avg: 'agents_on_call_avg', max: 'agents_on_call_max' },
      exportKey: 'AgentsOnCall',
    });
    expect(metric('OLDEST_CONTACT_AGE').rollup).toEqual({
      avg: 'oldest_contact_age_avg_seconds',
      max: 'oldest_contact_age_max_seconds',
    });
    expect(metric('OLDEST_CONTACT_AGE').exportKey).toBe('OldestContactAgeSeconds');
    expect(metric('OLDEST_CONTACT_AGE').column).toBe('oldest_contact_age_seconds');
    expect(metric('ESTIMATED_WAIT_TIME').unit).toBe('SECONDS');
    expect(CURRENT_METRICS.filter((m) => m.kind === 'seconds').map((m) => m.name)).toEqual([
      'ESTIMATED_WAIT_TIME',
      'OLDEST_CONTACT_AGE',
    ]);
  });

  test('knows no metric outside the 14', () => {
    expect(currentMetric('SIMULATOR_FUTURE_METRIC')).toBeUndefined();
  });
});

describe('normalizeMetricValue', () => {
  test('converts OLDEST_CONTACT_AGE from milliseconds when the request had no grouping', () => {
    expect(normalizeMetricValue(metric('OLDEST_CONTACT_AGE'), 24113, false)).toBeCloseTo(24.113);
  });

  test('keeps OLDEST_CONTACT_AGE and ESTIMATED_WAIT_TIME in seconds when the request was grouped', () => {
    expect(normalizeMetricValue(metric('OLDEST_CONTACT_AGE'), 24, true)).toBe(24);
    expect(normalizeMetricValue(metric('ESTIMATED_WAIT_TIME'), 95.5, true)).toBe(95.5);
  });

  test('rounds counts to whole numbers', () => {
    expect(normalizeMetricValue(metric('CONTACTS_IN_QUEUE'), 4.9999999, true)).toBe(5);
    expect(normalizeMetricValue(metric('AGENTS_ONLINE'), 2.2, false)).toBe(2);
  });

  test('keeps no value as null and zero as zero, grouped or not', () => {
    for (const grouped of [true, false]) {
      expect(normalizeMetricValue(metric('OLDEST_CONTACT_AGE'), null, grouped)).toBeNull();
      expect(normalizeMetricValue(metric('AGENTS_ONLINE'), undefined, grouped)).toBeNull();
      expect(normalizeMetricValue(metric('AGENTS_ONLINE'), 0, grouped)).toBe(0);
      expect(normalizeMetricValue(metric('OLDEST_CONTACT_AGE'), 0, grouped)).toBe(0);
    }
  });
});

describe.each(databaseTargets())('the metric list against the migrated schema on $name', ({ url }) => {
  let db: TestSchema;
  beforeAll(async () => {
    db = await createMigratedSchema(url, 'metric_columns');
  });
  afterAll(() => db.drop());
  const columnsOf = async (table: string) =>
    (
      await db.pool.query<{ column_name: string }>(
        'SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1',
        [table],
      )
    ).rows.map((r) => r.column_name);

  test('every snapshot column and every rollup column the list derives exists', async () => {
    expect(await columnsOf('queue_realtime_snapshot')).toEqual(
      expect.arrayContaining(CURRENT_METRICS.map((m) => m.column)),
    );
    expect(await columnsOf('queue_realtime_15min')).toEqual(
      expect.arrayContaining(CURRENT_METRICS.flatMap((m) => [m.rollup.avg, m.rollup.max])),
    );
  });
});
