import { loadDeployConfig } from '../lib/config';
import { dashboardDefinition, dashboardTargets } from '../lib/dashboard/definition';
import { startLocalPipeline } from '../local/runner/local-pipeline';
import { launchChromium } from '../test/support/chromium';
import { type Figure, figure } from './results';
import { median, percentile } from './stats';

/**
 * The live dashboard's page budgets, measured in Debian's Chromium against `npm start`'s pipeline
 * (default simulator: 12 queues, 150 agents; embedded PGlite; 6 hours of history): per sheet, the bytes
 * the page transfers on a cold load (every response as sent, gzipped, headers included) and the time
 * from navigation to the first full render (the page's `dashboard-rendered` mark, set once every visual
 * of the sheet shows its rows). Budgets: 200 KB and 1 s.
 */

const CONFIG = 'config/example.json';

export interface DashboardPageOptions {
  /** Cold loads per sheet. @default 5 */
  readonly loads?: number;
  readonly progress: (line: string) => void;
}

export async function benchDashboardPage(options: DashboardPageOptions): Promise<Figure[]> {
  const loads = options.loads ?? 5;
  const definition = dashboardDefinition(dashboardTargets(loadDeployConfig(CONFIG)));
  const pipeline = await startLocalPipeline({
    configPath: CONFIG,
    database: { kind: 'pglite' },
    connect: { kind: 'simulator', queues: 12, agents: 150, seed: 7, warmUpMs: 24 * 3_600_000 },
    checkPort: 0,
    out: { write: () => true },
    backfillHours: 6,
  });
  const browser = await launchChromium();
  try {
    const started = Date.now();
    while ((await fetch(pipeline.checkUrl)).status !== 200) {
      if (Date.now() - started > 120_000)
        throw new Error('the local pipeline did not become fresh in 2 minutes');
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const figures: Figure[] = [];
    for (const sheet of definition.sheets) {
      const bytes: number[] = [];
      const renders: number[] = [];
      for (let i = 0; i < loads; i += 1) {
        // A new context each time: nothing cached.
        const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
        const page = await context.newPage();
        const finished: Promise<number>[] = [];
        page.on('requestfinished', (request) =>
          finished.push(request.sizes().then((s) => s.responseBodySize + s.responseHeadersSize)),
        );
        await page.goto(`${pipeline.dashboardUrl}#${sheet.id}`);
        await page.waitForSelector('body[data-rendered]');
        renders.push(
          await page.evaluate<number>(
            "performance.getEntriesByName('dashboard-rendered')[0]?.startTime ?? Number.NaN",
          ),
        );
        bytes.push((await Promise.all(finished)).reduce((a, b) => a + b, 0));
        await context.close();
      }
      figures.push(
        figure('dashboard', sheet.id, 'page_transfer_kb', Math.round(median(bytes) / 102.4) / 10, 'KB'),
        figure('dashboard', sheet.id, 'first_render_ms_median', Math.round(median(renders)), 'ms'),
        figure('dashboard', sheet.id, 'first_render_ms_p95', Math.round(percentile(renders, 95)), 'ms'),
      );
      options.progress(
        `  dashboard ${sheet.id}: ${Math.round(median(bytes) / 1024)} KB, first render ${Math.round(median(renders))} ms (p95 ${Math.round(percentile(renders, 95))})`,
      );
    }
    return figures;
  } finally {
    await browser.close();
    await pipeline.stop();
  }
}
