import {
  countBelow,
  defaultRetentionDays,
  F,
  History,
  IntervalStore,
} from '../../../local/simulator/history';
import { DAY_START } from '../../support/simulator';

describe('interval history', () => {
  test('keeps the same sums and waits when 5-minute data older than a day rolls up into 15 minutes', () => {
    const history = new History(3 * 86_400_000);
    const t = DAY_START + 10 * 60_000;
    for (let i = 0; i < 30; i += 1) {
      history.add(t + i * 10_000, 4, F.HANDLED, 1);
      history.add(t + i * 10_000, 4, F.SUM_HANDLE_TIME, 100 + i);
      history.max(t + i * 10_000, 4, F.MAX_QUEUED_TIME, i);
      history.wait(t + i * 10_000, 4, 'answered', i % 7);
    }
    const keys = new Set([4]);
    const before = history.queueSum(DAY_START, DAY_START + 900_000, keys);
    history.prune(DAY_START + 2 * 86_400_000);
    const after = history.queueSum(DAY_START, DAY_START + 900_000, keys);
    expect(history.queue5.intervalCount).toBe(0);
    expect(Array.from(after.values)).toEqual(Array.from(before.values));
    expect(after.values[F.HANDLED]).toBe(30);
    expect(after.values[F.MAX_QUEUED_TIME]).toBe(29);
    expect(countBelow(after.answered, 3)).toBe(countBelow(before.answered, 3));
    expect(countBelow(after.answered, 3)).toBe(14);
  });

  test('reads and writes an interval the same after it is packed', () => {
    const store = new IntervalStore(300_000, 86_400_000);
    for (const key of [9, 2, 5]) store.add(DAY_START, key, F.SUM_HANDLE_TIME, key * 100);
    store.add(DAY_START, 7, F.SUM_HANDLE_TIME, 70_000.5);
    const before = store.sum(DAY_START, DAY_START + 300_000, new Set([2, 5, 7, 9])).values[F.SUM_HANDLE_TIME];
    store.prune(DAY_START + 900_000);
    const after = store.sum(DAY_START, DAY_START + 300_000, new Set([2, 5, 7, 9])).values[F.SUM_HANDLE_TIME];
    expect(after).toBe(before);
    store.add(DAY_START, 5, F.SUM_HANDLE_TIME, 1);
    store.add(DAY_START, 3, F.SUM_HANDLE_TIME, 3);
    expect(store.sum(DAY_START, DAY_START + 300_000, new Set([3, 5])).values[F.SUM_HANDLE_TIME]).toBe(504);
    expect(store.keys(DAY_START).sort((a, b) => a - b)).toEqual([2, 3, 5, 7, 9]);
  });

  test('drops intervals older than the retention', () => {
    const store = new IntervalStore(900_000, 86_400_000);
    store.add(DAY_START, 1, F.QUEUED, 1);
    store.add(DAY_START + 86_400_000, 1, F.QUEUED, 1);
    store.prune(DAY_START + 86_400_000 + 900_000);
    expect(store.starts()).toEqual([DAY_START + 86_400_000]);
  });

  test('counts waits strictly below a threshold, as Comparison LT asks', () => {
    expect(
      countBelow(
        new Map([
          [19, 2],
          [20, 5],
          [21, 1],
        ]),
        20,
      ),
    ).toBe(2);
  });

  test('keeps 3 months for small centres and less for the largest', () => {
    expect(defaultRetentionDays(20, 5)).toBe(93);
    expect(defaultRetentionDays(500, 50)).toBeGreaterThan(30);
    expect(defaultRetentionDays(20_000, 2_000)).toBe(1);
  });
});
