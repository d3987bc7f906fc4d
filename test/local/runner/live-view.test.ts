import type { RunSummary } from '../../../lambdas/shared/collector/contract';
import { LiveView } from '../../../local/runner/live-view';

const MIN = 60_000;
const T0 = new Date('2026-11-28T10:30:00Z').getTime();

function summary(outcome: RunSummary['outcome'], apiCalls: number, rowsWritten = 0): RunSummary {
  const at = new Date(T0);
  return {
    feed: 'current_metrics',
    instanceId: 'i-1',
    startedAt: at,
    finishedAt: at,
    outcome,
    apiCalls,
    throttles: 0,
    error: null,
    rowsWritten,
    dataTime: outcome === 'closed' ? null : at,
  };
}

function viewAt(start: number) {
  let now = start;
  let out = '';
  const view = new LiveView({ write: (text) => (out += text) }, () => now);
  return {
    view,
    at: (ms: number) => {
      now = ms;
    },
    output: () => out,
  };
}

describe('LiveView: the hour lines and the database summary', () => {
  test("each clock hour gets one line: its runs, closed runs, Connect calls and the collectors' statements", () => {
    const v = viewAt(T0);
    v.view.statement();
    v.at(T0 + 5 * MIN);
    v.view.run('current_metrics', [summary('succeeded', 2, 36)], 100);
    v.view.statement();
    v.view.statement();
    v.at(T0 + 20 * MIN);
    v.view.run('current_metrics', [summary('closed', 1)], 10); // a probe
    v.view.run('current_metrics', [summary('closed', 0)], 0); // a closed tick that asked nothing
    expect(v.output()).not.toMatch(/hour /);

    // The hour 10:00-11:00 ends; the last statement was at 10:35, 25 minutes before.
    v.at(T0 + 31 * MIN);
    v.view.run('current_metrics', [summary('closed', 1)], 10);
    expect(v.output()).toContain(
      '11:00:00  hour     2026-11-28T10:00Z (from 10:30): 1 runs, 2 closed (1 asked Connect), 3 Connect calls, ' +
        '3 database statements; database idle for 25 min\n',
    );
    // Hours with nothing in them still get their line, when the next event comes.
    v.at(T0 + 3 * 60 * MIN);
    v.view.note('later');
    expect(v.output()).toContain(
      '12:00:00  hour     2026-11-28T11:00Z: 0 runs, 1 closed (1 asked Connect), 1 Connect calls, 0 database statements; database idle for 1.4 h\n',
    );
    expect(v.output()).toContain(
      '13:00:00  hour     2026-11-28T12:00Z: 0 runs, 0 closed (0 asked Connect), 0 Connect calls, 0 database statements; database idle for 2.4 h\n',
    );
    expect(v.output()).toMatch(/13:30:00 {2}later\n$/);
  });

  test('a busy hour says nothing about idleness', () => {
    const v = viewAt(T0);
    for (let m = 0; m <= 30; m += 1) {
      v.at(T0 + m * MIN);
      v.view.statement();
    }
    v.at(T0 + 31 * MIN);
    v.view.note('x');
    // 10:30 to 10:59; the one at 11:00 is the next hour's.
    expect(v.output()).toMatch(/: 0 runs, .* 30 database statements\n/);
  });

  test('the summary gives the statements, the longest stretch without one, and the time a paused cluster sleeps', () => {
    const v = viewAt(T0);
    v.view.statement(); // 10:30
    v.at(T0 + 3 * MIN);
    v.view.statement(); // a 3-minute gap: under the 5-minute auto-pause delay
    v.at(T0 + 33 * MIN);
    v.view.statement(); // a 30-minute gap: 25 minutes paused
    v.at(T0 + 153 * MIN); // and 2 hours since: 1 h 55 min paused
    expect(v.view.summary()).toContain(
      "database (the pipeline's statements, not the dashboard's or /check's, 2026-11-28T10:30Z to 2026-11-28T13:03Z, 2.5 h): " +
        '3 statements; longest stretch without one 2.0 h (11:03Z to 13:03Z); ' +
        'with minCapacity 0 (5-minute auto-pause) the cluster would have been paused 2.3 h (92%)\n',
    );
  });
});
