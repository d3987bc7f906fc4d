import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReceiver } from '../support/push-receiver';

const ROOT = join(__dirname, '..', '..');

/** Waits until `output()` matches, or fails after `ms`. */
async function waitFor(output: () => string, pattern: RegExp, ms: number): Promise<RegExpMatchArray> {
  const until = Date.now() + ms;
  for (;;) {
    const match = output().match(pattern);
    if (match) return match;
    if (Date.now() > until) throw new Error(`timed out waiting for ${pattern}; output so far:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Spawns `npm start` (its script, as npm runs it) with an in-memory database on any free port. */
function spawnStart(args: readonly string[], onOutput: (text: string) => void): ChildProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'local/cli/start.ts', '--ephemeral', '--port', '0', ...args],
    { cwd: ROOT, env: { ...process.env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk: Buffer) => onOutput(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => onOutput(chunk.toString()));
  return child;
}

describe('npm start, as a user runs it', () => {
  let child: ChildProcess;
  let out = '';
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  test('prints its live view, answers /check, pushes to --push-url, and stops cleanly with exit code 0 on SIGTERM', async () => {
    const receiver = await startReceiver(['ok']);
    child = spawnStart(['--queues', '4', '--agents', '20', '--push-url', receiver.url], (text) => {
      out += text;
    });

    const [, checkUrl] = await waitFor(
      () => out,
      /check: curl -s (http:\/\/127\.0\.0\.1:\d+\/check)/,
      60_000,
    );
    // a few real-time ticks, about 30 s of running
    await waitFor(() => out, /(queues .* rows[\s\S]*){3}/, 45_000);
    await waitFor(() => out, /agents .* rows/, 15_000);

    // The live dashboard: the page and its bundled assets, served from the same port.
    const [, dashboardUrl] = out.match(/dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/) ?? [];
    expect(dashboardUrl).toBe(checkUrl?.replace(/check$/, ''));
    const html = await (await fetch(dashboardUrl!)).text();
    expect(html).toContain('<script defer src="/assets/app.js"></script>');
    const script = await fetch(new URL('/assets/app.js', dashboardUrl));
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await script.text()).length).toBeGreaterThan(10_000);

    const check = await fetch(`${checkUrl}?feed=current_metrics`);
    expect(check.status).toBe(200);
    const body = (await check.json()) as { status?: string };
    expect(JSON.stringify(body)).toMatch(/current_metrics/);
    const bad = await fetch(`${checkUrl}?feed=nope`);
    expect(bad.status).toBe(400);
    // Each current-metrics run's newest rows went to the push target, as deployed.
    expect(receiver.bodies.length).toBeGreaterThan(0);
    const [row] = receiver.bodies[0] as Record<string, unknown>[];
    expect(row).toMatchObject({
      Client: expect.any(String),
      Channel: expect.stringMatching(/^(VOICE|CHAT|TASK)$/),
    });
    expect(Object.keys(row ?? {})).toContain('ContactsInQueue');

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(out).toMatch(/SIGTERM: stopping/);
    expect(out).toMatch(/feed +runs +failed/);
    expect(out).toMatch(/stopped cleanly/);
    await receiver.close();
  }, 150_000);
});

test('npm start refuses a config with a misspelt nested key, naming its path, before starting anything', () => {
  const config = JSON.parse(readFileSync(join(ROOT, 'config', 'example.json'), 'utf8'));
  config.cadences = { ...config.cadences, realtimeSecs: 5 };
  const file = join(mkdtempSync(join(tmpdir(), 'typo-config-')), 'typo.json');
  writeFileSync(file, JSON.stringify(config));

  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'local/cli/start.ts', '--ephemeral', '--port', '0', '--config', file],
    { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
  );

  expect(result.status).toBe(1);
  expect(result.stderr).toContain(
    `${file}: cadences.realtimeSecs: unknown key: expected one of realtimeSeconds,`,
  );
  expect(result.stdout).not.toMatch(/database ready/);
});

/**
 * The latest weekday evening, 19:30 UTC, at least `minAgoMs` ago, and not a holiday of the simulator's
 * office-hours centre: Christmas Day, New Year's Day, or a Wednesday (its company holiday is the first
 * Wednesday after its start, a day before the replay's). Half an hour before such a centre in UTC closes.
 */
function lastWeekdayEvening(nowMs: number, minAgoMs: number): number {
  const day = 86_400_000;
  const latest = nowMs - minAgoMs;
  const d = new Date(latest);
  let t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 19, 30);
  for (; ; t -= day) {
    const at = new Date(t);
    const weekday = at.getUTCDay() >= 1 && at.getUTCDay() <= 5 && at.getUTCDay() !== 3;
    const holiday = /-(12-25|01-01)T/.test(at.toISOString());
    if (t <= latest && weekday && !holiday) return t;
  }
}

test('npm start --speed replays a closing and a closed night: probes only, hours without a statement, /check 200 closed', async () => {
  const startAt = lastWeekdayEvening(Date.now(), 12 * 3_600_000);
  let out = '';
  const replay = spawnStart(
    [
      '--queues',
      '4',
      '--agents',
      '20',
      '--profile',
      'office-hours',
      '--time-zone',
      'UTC',
      '--backfill-hours',
      '1',
      '--speed',
      '600',
      '--start-at',
      new Date(startAt).toISOString(),
    ],
    (text) => {
      out += text;
    },
  );
  try {
    const [, checkUrl] = await waitFor(
      () => out,
      /check: curl -s (http:\/\/127\.0\.0\.1:\d+\/check)/,
      60_000,
    );
    await waitFor(
      () => out,
      new RegExp(`replaying from ${new Date(startAt).toISOString().slice(0, 16)}Z at 600x real time`),
      30_000,
    );
    // Open at first: the real-time feeds collect.
    await waitFor(() => out, /queues +\d+ rows/, 30_000);
    // A whole closed hour of the night (the centre closes at 20:00 UTC; agents finishing their after-
    // contact work keep it polled a while): runs none, asks Connect, sends the database nothing.
    const [hourLine, asked] = await waitFor(
      () => out,
      /hour +\S+T\d\d:00Z: 0 runs, \d+ closed \((\d+) asked Connect\), \d+ Connect calls, 0 database statements; database idle for .*/,
      150_000,
    );
    // Probes on the clock's 5-minute slots, of both real-time feeds: about 24 an hour (fewer when this
    // machine is slow: a tick late by more than 10 simulated seconds, 17 ms here, misses its slot).
    expect(Number(asked)).toBeGreaterThanOrEqual(6);
    expect(out).toMatch(/queues +closed: asked Connect \(1 calls\), idle, nothing written/);
    // /check on the simulated clock: the real-time feeds are closed, not stale.
    const check = await fetch(checkUrl!);
    const body = (await check.json()) as { feeds: { feed: string; status: string }[] };
    expect([
      check.status,
      ...body.feeds.filter((f) => f.feed.startsWith('current_')).map((f) => f.status),
    ]).toEqual([200, 'closed', 'closed']);

    replay.kill('SIGTERM');
    const [code] = await once(replay, 'exit');
    expect(code).toBe(0);
    const [, longest] = out.match(/longest stretch without one ([\d.]+ h|\d+ min)/) ?? [];
    expect(longest).toMatch(/ h$/);
    expect(out).toMatch(/the cluster would have been paused [\d.]+ h/);
    expect(hourLine).toBeDefined();
  } finally {
    if (replay.exitCode === null) replay.kill('SIGKILL');
  }
}, 240_000);

test('npm start refuses a replay it cannot run, saying which option and why, before starting anything', () => {
  const run = (...args: string[]) =>
    spawnSync(
      process.execPath,
      ['--import', 'tsx', 'local/cli/start.ts', '--ephemeral', '--port', '0', ...args],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
  const future = new Date(Date.now() + 3_600_000).toISOString();
  const result = run('--speed', '60', '--start-at', future, '--instance-id', 'i', '--region', 'us-east-1');
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('--speed replays the simulator; real Connect answers in real time only');
  expect(result.stderr).toContain(`--start-at: ${future} is in the future; a replay starts in the past`);
  const unzoned = run('--speed', '60', '--start-at', '2026-11-27T19:30:00');
  expect(unzoned.stderr).toContain(
    '--start-at: expected an instant with its zone (2026-11-27T19:00:00-05:00 or ...Z) or a time ago (14h, 90m), got "2026-11-27T19:30:00"',
  );
  const realTime = run('--start-at', '2h');
  expect(realTime.stderr).toContain('--start-at needs --speed above 1');
  const slow = run('--speed', '1.5');
  expect(slow.stderr).toContain('--speed: expected 1 (real time) or 2 to 3600');
  for (const r of [unzoned, realTime, slow]) {
    expect(r.status).toBe(1);
    expect(r.stdout).not.toMatch(/database ready/);
  }
});
