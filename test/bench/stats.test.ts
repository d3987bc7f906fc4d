import { mean, median, percentile } from '../../bench/stats';

describe('percentile', () => {
  test('interpolates between the closest ranks', () => {
    expect(percentile([10, 20, 30, 40], 50)).toBe(25);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBeCloseTo(9.55);
  });

  test('does not depend on the order of the samples', () => {
    expect(percentile([3, 1, 2], 0)).toBe(1);
    expect(percentile([3, 1, 2], 100)).toBe(3);
  });

  test('is NaN without samples and rejects a percentile outside 0-100', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe('median and mean', () => {
  test('median of an odd count is the middle sample; mean is the average', () => {
    expect(median([5, 1, 9])).toBe(5);
    expect(mean([1, 2, 6])).toBe(3);
  });
});
