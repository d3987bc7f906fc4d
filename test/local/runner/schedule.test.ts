import { CadencesSchema } from '../../../lambdas/shared/config/runtime-config';
import { nextDue, realtimeTickOffsets, runBudgetMs } from '../../../local/runner/schedule';

const cadences = CadencesSchema.parse({});
const at = (iso: string) => new Date(iso).getTime();
const iso = (ms: number) => new Date(ms).toISOString();

describe('the local schedule matches the deployed one', () => {
  test('real-time ticks are anchored to the minute at +0, +10 ... +50 s', () => {
    expect(realtimeTickOffsets(cadences)).toEqual([0, 10, 20, 30, 40, 50]);
    expect(iso(nextDue('current_metrics', at('2026-11-23T10:00:03.500Z'), cadences))).toBe(
      '2026-11-23T10:00:10.000Z',
    );
    expect(iso(nextDue('current_users', at('2026-11-23T10:00:50.001Z'), cadences))).toBe(
      '2026-11-23T10:01:00.000Z',
    );
    expect(iso(nextDue('current_users', at('2026-11-23T10:00:20.000Z'), cadences))).toBe(
      '2026-11-23T10:00:20.000Z',
    );
  });

  test('historical runs one minute past each 5-minute boundary, metadata on each 15-minute boundary', () => {
    expect(iso(nextDue('historical_metrics', at('2026-11-23T10:01:30Z'), cadences))).toBe(
      '2026-11-23T10:06:00.000Z',
    );
    expect(iso(nextDue('historical_metrics', at('2026-11-23T10:00:30Z'), cadences))).toBe(
      '2026-11-23T10:01:00.000Z',
    );
    expect(iso(nextDue('metadata', at('2026-11-23T10:00:01Z'), cadences))).toBe('2026-11-23T10:15:00.000Z');
  });

  test('follows configured cadences', () => {
    const slow = CadencesSchema.parse({ realtimeSeconds: 30, historicalMinutes: 15, metadataMinutes: 60 });
    expect(realtimeTickOffsets(slow)).toEqual([0, 30]);
    expect(iso(nextDue('historical_metrics', at('2026-11-23T10:02:00Z'), slow))).toBe(
      '2026-11-23T10:16:00.000Z',
    );
    expect(iso(nextDue('metadata', at('2026-11-23T10:02:00Z'), slow))).toBe('2026-11-23T11:00:00.000Z');
  });

  test('a real-time run must end before the next tick', () => {
    expect(runBudgetMs('current_metrics', cadences)).toBe(9_000);
    expect(runBudgetMs('historical_metrics', cadences)).toBeGreaterThan(60_000);
  });
});
