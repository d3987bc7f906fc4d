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

describe('npm start, as a user runs it', () => {
  let child: ChildProcess;
  let out = '';
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  test('prints its live view, answers /check, pushes to --push-url, and stops cleanly with exit code 0 on SIGTERM', async () => {
    const receiver = await startReceiver(['ok']);
    child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'local/cli/start.ts',
        '--ephemeral',
        '--port',
        '0',
        '--queues',
        '4',
        '--agents',
        '20',
        '--push-url',
        receiver.url,
      ],
      {
        cwd: ROOT,
        env: { ...process.env, FORCE_COLOR: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
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
