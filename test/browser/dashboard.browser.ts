import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import type { SqlExecutor } from '../../lambdas/shared/db/executor';
import { loadDeployConfig } from '../../lib/config';
import {
  type DashboardDefinition,
  dashboardDefinition,
  dashboardTargets,
} from '../../lib/dashboard/definition';
import { formatValue } from '../../local/dashboard/page/format';
import { visualQuery } from '../../local/dashboard/sql';
import { type LocalPipeline, startLocalPipeline } from '../../local/runner/local-pipeline';
import { launchChromium } from '../support/chromium';
import { createTestSchema, databaseTargets, type TestSchema } from '../support/databases';

/**
 * The live dashboard of `npm start`, in a real browser: the local pipeline (simulator, collectors from
 * the Lambda code, /check and the dashboard server) on a PostgreSQL schema of its own, and Debian's
 * Chromium reading every sheet as a user would. Screenshots of every sheet go to a temporary folder, or
 * to docs/images when DASHBOARD_SCREENSHOTS names it (`npm run screenshots`).
 */

const ROOT = join(__dirname, '..', '..');
const SCREENSHOTS = process.env.DASHBOARD_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'dashboard-shots-'));

/** The example config, with feeds stale after one missed cadence so the stale banner shows quickly. */
function testConfig(): string {
  const example = JSON.parse(readFileSync(join(ROOT, 'config/example.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const path = join(mkdtempSync(join(tmpdir(), 'dashboard-config-')), 'config.json');
  writeFileSync(path, JSON.stringify({ ...example, staleAfterCadences: 1 }));
  return path;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe('the live dashboard in Chromium', () => {
  let schema: TestSchema;
  let pipeline: LocalPipeline;
  let db: SqlExecutor;
  let browser: Browser;
  let page: Page;
  let definition: DashboardDefinition;
  const errors: string[] = [];

  /** Waits until the sheet shows rows read after `at`. */
  const newRows = (at: string | null, ms: number) =>
    until(
      'newer rows',
      async () => ((await page.locator('#sheet').getAttribute('data-at')) !== at ? true : undefined),
      ms,
    );

  /** Loads the page on a sheet and waits for its first rows. */
  async function open(sheet: string): Promise<void> {
    // A fresh document each time (a hash change alone keeps the page and the controls' choices).
    await page.goto('about:blank');
    await page.goto(`${pipeline.dashboardUrl}#${sheet}`);
    await page.waitForSelector(`#sheet[data-sheet="${sheet}"][data-at]`);
  }

  beforeAll(async () => {
    const target = databaseTargets().at(-1)!;
    schema = await createTestSchema(target.url, 'browser');
    db = schema.executor;
    const configPath = testConfig();
    definition = dashboardDefinition(dashboardTargets(loadDeployConfig(configPath)));
    pipeline = await startLocalPipeline({
      configPath,
      database: { kind: 'postgres', url: target.url, searchPath: schema.schema },
      connect: { kind: 'simulator', queues: 4, agents: 24, seed: 11, warmUpMs: 24 * 3_600_000 },
      checkPort: 0,
      out: { write: () => true },
      // The screenshots show a day of history; the tests need only a few hours.
      backfillHours: process.env.DASHBOARD_SCREENSHOTS ? 24 : 3,
    });
    // Every feed has run once: metadata and historical at start, the real-time feeds on their ticks.
    await until(
      'every feed to succeed',
      async () => ((await fetch(pipeline.checkUrl)).status === 200 ? true : undefined),
      90_000,
    );
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('console', (m: ConsoleMessage) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
  });

  afterAll(async () => {
    await browser?.close();
    await pipeline?.stop();
    await schema?.drop();
  });

  afterEach(() => {
    expect(errors).toEqual([]);
  });

  test('every sheet renders every visual with data, charts with points, and a fresh banner', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    for (const sheet of definition.sheets) {
      await open(sheet.id);
      for (const visual of sheet.visuals) {
        const panel = page.locator(`[data-visual="${visual.id}"]`);
        await expect(panel.locator('h2').textContent()).resolves.toBe(visual.title);
        if (visual.kind === 'line' || visual.kind === 'bar') {
          const points = Number(await panel.locator('.body').getAttribute('data-points'));
          expect({ visual: visual.id, points: points > 0 }).toEqual({ visual: visual.id, points: true });
          await expect(panel.locator('canvas').count()).resolves.toBeGreaterThan(0);
        } else {
          await expect(panel.locator('.value').count()).resolves.toBeGreaterThan(0);
        }
      }
      await expect(page.locator('#freshness').getAttribute('data-status')).resolves.toBe('ok');
      await page.screenshot({ path: join(SCREENSHOTS, `dashboard-${sheet.id}.png`), fullPage: true });
    }
  });

  test('the Now sheet refreshes every cadence without reloading the page', async () => {
    await open('now');
    const first = await page.locator('#sheet').getAttribute('data-at');
    let loads = 0;
    page.on('load', () => {
      loads += 1;
    });
    await newRows(first, 25_000);
    expect(loads).toBe(0);
  });

  test('choosing a queue narrows the queue table to it', async () => {
    await open('now');
    const queue = (await page.locator('select[name="queue"] option').nth(1).getAttribute('value'))!;
    const before = await page.locator('#sheet').getAttribute('data-at');
    await page.selectOption('select[name="queue"]', queue);
    await newRows(before, 15_000);
    const queues = await page
      .locator('[data-visual="now-queues"] tbody tr td:nth-child(2)')
      .allTextContents();
    expect(queues.length).toBeGreaterThan(0);
    expect(new Set(queues)).toEqual(new Set([queue]));
  });

  test('with the collectors stopped, every tile and table value equals the database for the same snapshot', async () => {
    await pipeline.stopCollectors();
    for (const sheet of definition.sheets) {
      await open(sheet.id);
      const at = new Date((await page.locator('#sheet').getAttribute('data-at'))!);
      for (const visual of sheet.visuals.filter((v) => v.kind === 'kpi' || v.kind === 'table')) {
        const { sql, params } = visualQuery(visual, definition.controls, {}, at);
        const { rows } = await db.query<Record<string, unknown>>(sql, params);
        const expected = rows.flatMap((row) =>
          visual.measures.map((m, i) => {
            const value = row[`m${i}`] === null || row[`m${i}`] === undefined ? null : Number(row[`m${i}`]);
            return { measure: m.label, text: formatValue(value, m.unit), value };
          }),
        );
        const shown = await page.locator(`[data-visual="${visual.id}"] .value`).evaluateAll((nodes) =>
          nodes.map((n) => ({
            measure: n.getAttribute('data-measure'),
            text: n.textContent,
            value: n.getAttribute('data-value') === 'null' ? null : Number(n.getAttribute('data-value')),
          })),
        );
        // A KPI over no rows shows its measures with no value.
        const wanted = expected.length > 0 || visual.kind === 'table' ? expected : [];
        expect({
          visual: visual.id,
          values: shown.filter((s) => wanted.length > 0 || s.value !== null),
        }).toEqual({
          visual: visual.id,
          values: wanted.map((w) => ({ ...w, value: w.value === null ? null : expect.closeTo(w.value, 6) })),
        });
      }
    }
    // And independently of the dashboard's SQL: the Now sheet's KPIs from the views by hand.
    await open('now');
    const at = (await page.locator('#sheet').getAttribute('data-at'))!;
    const { rows } = await db.query<{ answered: string; queued: string; sl: string | null }>(
      `SELECT (SELECT sum(contacts_answered_count) FROM v_queue_interval
                WHERE interval_start >= date_trunc('day', :at::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS answered,
              (SELECT sum(contacts_queued_count) FROM v_queue_interval
                WHERE interval_start >= date_trunc('day', :at::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS queued,
              (SELECT 100.0 * sum(contacts_removed_in_threshold_count) / nullif(sum(contacts_queued_count), 0)
                 FROM v_queue_service_level WHERE threshold_seconds = 20
                  AND interval_start >= date_trunc('day', :at::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS sl`,
      { at },
    );
    const value = (measure: string) =>
      page.locator(`.value[data-measure="${measure}"]`).first().getAttribute('data-value');
    expect(Number(await value('Answered'))).toBe(Number(rows[0]!.answered));
    expect(Number(await value('Queued'))).toBe(Number(rows[0]!.queued));
    expect(Number(await value('Service level 20 s'))).toBeCloseTo(Number(rows[0]!.sl), 6);
  });

  test('the freshness banner turns stale once the collectors have stopped', async () => {
    await pipeline.stopCollectors();
    await open('now');
    await page.waitForSelector('#freshness[data-status="stale"]', { timeout: 40_000 });
    await expect(page.locator('#freshness').textContent()).resolves.toMatch(/^Data stale: .*current_metrics/);
  });

  test('bad API parameters answer 400 with what is wrong, and the page keeps working', async () => {
    // From outside the page: a 400 the page asked for would be logged by the browser as a failed load.
    const status = async (path: string) => {
      const r = await fetch(new URL(path, pipeline.dashboardUrl));
      return { status: r.status, message: ((await r.json()) as { message?: string }).message ?? '' };
    };
    await expect(status('/api/sheets/now?channel=EMAIL')).resolves.toEqual({
      status: 400,
      message: 'channel: expected VOICE, CHAT or TASK',
    });
    await expect(status('/api/sheets/history?from=2026-01-01')).resolves.toMatchObject({ status: 400 });
    await expect(status('/api/sheets/now?queue=x&drop=table')).resolves.toMatchObject({
      status: 400,
      message: expect.stringMatching(/unknown parameter\(s\) drop/),
    });
    await expect(status('/api/options?x=1')).resolves.toMatchObject({ status: 400 });
    await expect(status('/api/sheets/nope')).resolves.toMatchObject({ status: 404 });
  });
});
