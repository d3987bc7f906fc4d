import { columnHeading, formatValue, thresholdState } from '../../../local/dashboard/page/format';

test('values show in their unit, and no value as an en dash', () => {
  expect(formatValue(1234.4, 'count')).toBe('1,234');
  expect(formatValue(83.456, 'percent')).toBe('83.5 %');
  expect(formatValue(45.4, 'seconds')).toBe('45 s');
  expect(formatValue(185, 'seconds')).toBe('3m 05s');
  expect(formatValue(3_725, 'seconds')).toBe('1h 02m');
  expect(formatValue(null, 'count')).toBe('–');
  expect(formatValue(Number.NaN, 'percent')).toBe('–');
});

test('a threshold colours good at or beyond good, bad beyond bad, warn between, either way round', () => {
  const sl = { measure: 'SL', good: 80, bad: 70, higherIsBetter: true };
  const wait = { measure: 'Wait', good: 30, bad: 60, higherIsBetter: false };
  expect([80, 75, 70, 69.9].map((v) => thresholdState(v, sl))).toEqual(['good', 'warn', 'warn', 'bad']);
  expect([30, 45, 60, 61].map((v) => thresholdState(v, wait))).toEqual(['good', 'warn', 'warn', 'bad']);
  expect(thresholdState(null, sl)).toBe('none');
});

test('column headings read as words', () => {
  expect(['client_name', 'day_utc', 'agent_status_name', 'username'].map(columnHeading)).toEqual([
    'Client',
    'Day (UTC)',
    'Agent status',
    'Username',
  ]);
});
