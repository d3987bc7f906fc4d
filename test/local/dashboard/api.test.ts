import { request } from 'node:http';
import { currentMetrics } from '../../../lambdas/current-metrics/index';
import { currentUsers } from '../../../lambdas/current-users/index';
import { historicalMetrics } from '../../../lambdas/historical-metrics/index';
import { metadata } from '../../../lambdas/metadata/index';
import { runCollector } from '../../../lambdas/shared/collector/run-feed';
import { dashboardDefinition } from '../../../lib/dashboard/definition';
import { type ApiAnswer, sheetRows } from '../../../local/dashboard/api';
import { dashboardRoutes } from '../../../local/dashboard/routes';
import type { VisualRows } from '../../../local/dashboard/wire';
import { startCheckServer } from '../../../local/runner/check-server';
import { startTestPipeline, type TestPipeline } from '../../support/pipeline';

const definition = dashboardDefinition({
  serviceLevelTargetPct: 80,
  serviceLevelThresholdSeconds: 20,
  maxWaitSeconds: 60,
  refreshSeconds: 10,
});

jest.setTimeout(60_000);

describe('the dashboard API over the views of a running pipeline', () => {
  let pipeline: TestPipeline;
  const now = () => new Date(pipeline.clock.now());
  const sheet = async (id: string, query: Record<string, string> = {}): Promise<ApiAnswer> =>
    sheetRows(pipeline.db, definition, id, query, now());
  const visual = (answer: ApiAnswer, id: string) =>
    (answer.body as { visuals: Record<string, VisualRows> }).visuals[id]!;

  beforeAll(async () => {
    pipeline = await startTestPipeline({
      queues: 3,
      agents: 12,
      label: 'dashboard_api',
      warmUpMs: 2 * 3_600_000,
      config: { historicalBackfillHours: 2 },
    });
    await runCollector(metadata, pipeline.deps());
    await runCollector(historicalMetrics, pipeline.deps());
    await runCollector(currentMetrics, pipeline.deps());
    await runCollector(currentUsers, pipeline.deps());
  });
  afterAll(() => pipeline.close());

  test('every sheet answers every one of its visuals', async () => {
    for (const s of definition.sheets) {
      const answer = await sheet(s.id);
      expect(answer.statusCode).toBe(200);
      expect(Object.keys((answer.body as { visuals: object }).visuals)).toEqual(s.visuals.map((v) => v.id));
    }
  });

  test("the queues table shows exactly the latest snapshot's rows", async () => {
    const { rows } = await pipeline.db.query<Record<string, unknown>>(
      `SELECT client_name, queue_name, channel, contacts_in_queue_count, agents_available_count
       FROM v_queue_realtime_latest ORDER BY client_name, queue_name, channel`,
    );

    const table = visual(await sheet('now'), 'now-queues');

    expect(rows.length).toBeGreaterThan(0);
    expect(table.columns).toEqual([
      'client_name',
      'queue_name',
      'channel',
      'In queue',
      'Oldest contact',
      'Available',
      'On contact',
      'After contact work',
    ]);
    expect(table.rows.map((r) => [r[0], r[1], r[2], r[3], r[5]])).toEqual(
      rows.map((r) => [
        r.client_name,
        r.queue_name,
        r.channel,
        Number(r.contacts_in_queue_count),
        Number(r.agents_available_count),
      ]),
    );
  });

  test("today's service level is Connect's, re-aggregated exactly over every queue of the day", async () => {
    const { rows } = await pipeline.db.query<{ pct: number | null }>(
      `SELECT 100 * sum(contacts_removed_in_threshold_count)::double precision / nullif(sum(contacts_queued_count), 0) AS pct
       FROM v_queue_service_level WHERE threshold_seconds = 20
         AND interval_start >= date_trunc('day', :now::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`,
      { now: now().toISOString() },
    );

    const kpi = visual(await sheet('now'), 'now-service-level');

    expect(rows[0]?.pct).not.toBeNull();
    expect(kpi.rows).toHaveLength(1);
    expect(kpi.rows[0]?.[0]).toBeCloseTo(Number(rows[0]?.pct), 9);
  });

  test('the controls narrow every visual whose view has the column, as bound values', async () => {
    const all = visual(await sheet('now'), 'now-queues');
    const voice = visual(await sheet('now', { channel: 'VOICE' }), 'now-queues');
    const nobody = visual(await sheet('now', { client: 'Nobody' }), 'now-queues');
    const injected = visual(await sheet('now', { queue: "x' OR '1'='1" }), 'now-queues');

    expect(voice.rows.length).toBeGreaterThan(0);
    expect(voice.rows.length).toBeLessThan(all.rows.length);
    expect(voice.rows.every((r) => r[2] === 'VOICE')).toBe(true);
    expect(nobody.rows).toEqual([]);
    expect(injected.rows).toEqual([]);
  });

  test('a date range replaces the history default of 31 days', async () => {
    const today = now().toISOString().slice(0, 10);
    const days = visual(await sheet('history', { from: today, to: today }), 'history-days');
    const tomorrow = new Date(now().getTime() + 86_400_000).toISOString().slice(0, 10);
    const none = visual(await sheet('history', { from: tomorrow, to: tomorrow }), 'history-days');

    expect(days.rows.length).toBeGreaterThan(0);
    expect(days.rows.every((r) => r[1] === today)).toBe(true);
    expect(none.rows).toEqual([]);
  });

  test('the local server serves the definition and the sheets beside /check, and 404 elsewhere', async () => {
    const server = await startCheckServer(async () => ({ statusCode: 200, body: '{"status":"ok"}' }), {
      port: 0,
      host: '127.0.0.1',
      routes: dashboardRoutes(pipeline.db, definition, now),
    });
    const base = server.url.replace(/\/check$/, '');
    try {
      const get = async (path: string) => {
        const res = await fetch(`${base}${path}`);
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      };
      const def = await get('/api/dashboard');
      const sheetNow = await get('/api/sheets/now?channel=VOICE');

      expect(def.status).toBe(200);
      expect((def.body.sheets as { id: string }[]).map((s) => s.id)).toEqual([
        'now',
        'agents',
        'intraday',
        'history',
      ]);
      expect(sheetNow.status).toBe(200);
      expect(Object.keys(sheetNow.body.visuals as object)).toContain('now-queues');
      expect((await get('/api/sheets/now?channel=EMAIL')).status).toBe(400);
      expect((await get('/api/sheets/nope')).status).toBe(404);
      expect((await get('/api/other')).status).toBe(404);
      expect((await get('/check')).body).toEqual({ status: 'ok' });
      // Another Host (a rebound DNS name) and other methods are refused before any route runs.
      const raw = (method: string, host: string) =>
        new Promise<number>((resolve, reject) => {
          const { port } = new URL(base);
          request({ host: '127.0.0.1', port, path: '/api/sheets/now', method, headers: { host } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          })
            .on('error', reject)
            .end();
        });
      expect(await raw('GET', 'evil.example:80')).toBe(421);
      expect(await raw('POST', new URL(base).host)).toBe(405);
      expect(await raw('GET', `localhost:${new URL(base).port}`)).toBe(200);
    } finally {
      await server.close();
    }
  });

  test('a bad query string answers 400 saying what is wrong, an unknown sheet 404', async () => {
    expect(await sheet('now', { channel: 'EMAIL' })).toEqual({
      statusCode: 400,
      body: { message: 'channel: expected VOICE, CHAT or TASK' },
    });
    expect((await sheet('now', { sort: 'x' })).body).toEqual({
      message: 'unknown parameter(s) sort; expected client, queue, channel, from, to',
    });
    expect((await sheet('history', { from: '2026-11-02' })).body).toEqual({
      message: 'from: expected both from and to, or neither',
    });
    expect((await sheet('history', { from: '2026-11-02', to: '2026-11-01' })).body).toEqual({
      message: 'to: expected to on or after from',
    });
    expect((await sheet('history', { from: '2026-13-02', to: '2026-13-03' })).statusCode).toBe(400);
    expect(await sheet('nope')).toEqual({
      statusCode: 404,
      body: { message: 'no sheet nope: expected one of now, agents, intraday, history' },
    });
  });
});
