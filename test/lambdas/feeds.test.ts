import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import {
  ALL_CONNECT_APIS,
  cronFields,
  FEED_TABLE,
  FEEDS,
  type Feed,
  localRunBudgetMs,
  loopTickOffsets,
  nextDue,
} from '../../lambdas/feeds';
import { CadencesSchema } from '../../lambdas/shared/config/runtime-config';
import type { CollectorSchedule } from '../../lib/constructs/collector-schedule';
import { addPipelineStacks } from '../../lib/pipeline-app';
import { exampleConfig, testApp } from '../support/cdk-fixtures';
import { definitionOf, executeLoop } from '../support/state-machine';

const ROOT = path.join(__dirname, '..', '..');
const cadences = CadencesSchema.parse({});
const at = (iso: string) => new Date(iso).getTime();
const iso = (ms: number) => new Date(ms).toISOString();

describe('the schedule grid', () => {
  test('real-time ticks fall on the minute at +0, +10 ... +50 s', () => {
    expect(loopTickOffsets(cadences)).toEqual([0, 10, 20, 30, 40, 50]);
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

  test('follows configured cadences, hours included', () => {
    const slow = CadencesSchema.parse({ realtimeSeconds: 30, historicalMinutes: 15, metadataMinutes: 120 });
    expect(loopTickOffsets(slow)).toEqual([0, 30]);
    expect(iso(nextDue('historical_metrics', at('2026-11-23T10:02:00Z'), slow))).toBe(
      '2026-11-23T10:16:00.000Z',
    );
    expect(iso(nextDue('metadata', at('2026-11-23T11:02:00Z'), slow))).toBe('2026-11-23T12:00:00.000Z');
    expect(cronFields('metadata', slow)).toEqual({ minute: '0', hour: '0/2' });
    expect(cronFields('historical_metrics', slow)).toEqual({ minute: '1/15', hour: '*' });
  });

  test('a real-time run must end before the next tick; the others have minutes', () => {
    expect(localRunBudgetMs('current_metrics', cadences)).toBe(9_000);
    expect(localRunBudgetMs('historical_metrics', cadences)).toBeGreaterThan(60_000);
  });

  test('a loop feed has no cron', () => {
    expect(() => cronFields('current_users', cadences)).toThrow(/polling loop/);
  });
});

/** Connect APIs a feed's own source files import from the SDK (`paginateX` or `XCommand`). */
function connectApisUsedBy(entry: string): string[] {
  const dir = path.join(ROOT, path.dirname(entry));
  return connectApisIn(
    readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => path.join(dir, f)),
  );
}

/** Connect APIs these files import from the SDK. */
function connectApisIn(files: readonly string[]): string[] {
  const apis = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const [, names] of text.matchAll(
      /import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'@aws-sdk\/client-connect'/g,
    )) {
      for (const name of (names ?? '').split(',').map((n) => n.trim().replace(/^type\s+/, ''))) {
        const api = /^paginate([A-Z]\w+)$/.exec(name)?.[1] ?? /^([A-Z]\w+)Command$/.exec(name)?.[1];
        if (api) apis.add(api);
      }
    }
  }
  return [...apis].sort();
}

describe('the feed table', () => {
  test.each(FEEDS.map((feed) => [feed]))('%s may call exactly the Connect APIs its code calls', (feed) => {
    const def = FEED_TABLE[feed];

    // Every run passes the poll gate first: its open periods (open-periods.ts) and, for a real-time
    // feed, its activity probe (current metrics' GetCurrentMetricData read).
    const gate = [
      ...connectApisIn([path.join(ROOT, 'lambdas/shared/connect/open-periods.ts')]),
      ...(def.schedule.kind === 'loop' ? ['GetCurrentMetricData'] : []),
    ];
    expect([...def.connectApis].sort()).toEqual(
      [...new Set([...connectApisUsedBy(def.function.entry), ...gate])].sort(),
    );
  });

  test('a client account grants the union of the feeds APIs', () => {
    expect(ALL_CONNECT_APIS).toEqual([...new Set(FEEDS.flatMap((f) => FEED_TABLE[f].connectApis))].sort());
  });
});

/**
 * A cron's next firing at or after `ms`, for the minute and hour fields the stack writes (`a/b`, `a`
 * or `*`), evaluated here independently of the feed table.
 */
function nextCronFiring(expression: string, ms: number): number {
  const [minute = '', hour = ''] = /^cron\((\S+) (\S+) \* \* \? \*\)$/.exec(expression)?.slice(1) ?? [];
  const matches = (field: string, value: number) => {
    if (field === '*') return true;
    const [start = '', step] = field.split('/');
    return step === undefined
      ? value === Number(start)
      : value >= Number(start) && (value - Number(start)) % Number(step) === 0;
  };
  for (let t = Math.ceil(ms / 60_000) * 60_000; t < ms + 2 * 86_400_000; t += 60_000) {
    const d = new Date(t);
    if (matches(minute, d.getUTCMinutes()) && matches(hour, d.getUTCHours())) return t;
  }
  throw new Error(`${expression} does not fire within two days of ${iso(ms)}`);
}

describe.each([
  ['the example cadences', {}],
  [
    '15 s ticks, 15-minute history, 2-hour metadata',
    { realtimeSeconds: 15, historicalMinutes: 15, metadataMinutes: 120 },
  ],
])('with %s, the local runner is due exactly when the deployed stack fires', (_name, overrides) => {
  const config = exampleConfig({ cadences: { ...cadences, ...overrides } });
  const { pipeline } = addPipelineStacks(testApp(), config);
  const template = Template.fromStack(pipeline);
  // The feed's rule, which invokes its function or, for a fleet, its fan-out by group.
  const ruleFor = (feed: Feed) => {
    const schedule = FEED_TABLE[feed].schedule;
    if (schedule.kind !== 'aligned') throw new Error(`${feed} has no rule`);
    const { rule } = pipeline.node.findChild(schedule.ruleId) as CollectorSchedule;
    return template.toJSON().Resources[pipeline.getLogicalId(rule.node.defaultChild as never)];
  };
  const aligned = FEEDS.filter((f) => FEED_TABLE[f].schedule.kind === 'aligned');

  test.each(aligned.map((f) => [f]))('%s: every next-due time over two days equals the cron rule', (feed) => {
    const expression = String(ruleFor(feed)?.Properties.ScheduleExpression);
    const from = at('2026-11-23T00:00:00Z');

    for (let t = from; t < from + 2 * 86_400_000; t += 7 * 60_000 + 13_000) {
      expect([iso(t), iso(nextDue(feed, t, config.cadences))]).toEqual([
        iso(t),
        iso(nextCronFiring(expression, t)),
      ]);
    }
  });

  test('the loop feeds: the state machine ticks at exactly the next-due times, whatever second it starts at', async () => {
    const loopFeeds = FEEDS.filter((f) => FEED_TABLE[f].schedule.kind === 'loop');
    const tasks = loopFeeds.map((f) => `Invoke${FEED_TABLE[f].function.id}`);
    const minute = at('2026-11-23T12:00:00Z');
    for (const second of [0, 17, 44]) {
      const calls = await executeLoop(definitionOf(template, /^RealtimeLoop/), {
        scheduledAt: minute + second * 1000,
        start: minute + second * 1000 + 300,
        tasks,
      });
      // The execution owns the next minute: the local runner's due times from its start.
      const due: number[] = [];
      for (let t = nextDue(loopFeeds[0]!, minute + 60_000, config.cadences); t < minute + 120_000; ) {
        due.push(t);
        t = nextDue(loopFeeds[0]!, t + 1, config.cadences);
      }
      // Every group (one per account and Region) ticks at those times.
      const groups = [...new Set(calls.map((c) => c.group))];
      expect(groups.length).toBeGreaterThan(0);
      for (const task of tasks) {
        for (const group of groups) {
          expect(
            calls
              .filter((c) => c.task === task && c.group === group)
              .map((c) => iso(Math.round(c.at / 100) * 100)),
          ).toEqual(due.map(iso));
        }
      }
    }
  });
});
