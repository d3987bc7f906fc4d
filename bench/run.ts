import { parseArgs } from 'node:util';
import { benchBiQueries, DEFAULT_BI_SIZE } from './bi-queries';
import { BUNDLE_VARIANTS, type BundleVariantName, benchBundles } from './bundles';
import { benchScenario } from './collector-bench';
import { benchCost, benchFleetCost, benchHoursCost } from './cost-bench';
import { benchDashboardPage } from './dashboard-page';
import { benchDashboardQueries } from './dashboard-queries';
import { benchFleet } from './fleet-bench';
import { benchHours } from './hours-bench';
import { type Figure, formatTable, RESULTS_FILE, writeResults } from './results';
import { QUICK_SCENARIOS, SCENARIOS } from './scenarios';

/**
 * `npm run bench [-- --quick] [--scenarios S,M] [--skip collectors,bundles,cost,bi,dashboard,fleet,hours] [--imports 10]
 * [--bundle-variants all] [--bi-queues 100 --bi-days 30]`: runs the benchmarks, prints a table (figures that do not depend on the
 * machine first) and writes the rows to bench/results/latest.json. Benchmarks print figures; they never
 * fail on a time. With DATABASE_URL, latencies are measured on PostgreSQL too and the BI and dashboard
 * queries run; the dashboard page is measured in /usr/bin/chromium.
 */

const SECTIONS = ['collectors', 'bundles', 'cost', 'bi', 'dashboard', 'fleet', 'hours'] as const;
type Section = (typeof SECTIONS)[number];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      scenarios: { type: 'string' },
      skip: { type: 'string', default: '' },
      imports: { type: 'string' },
      'bundle-variants': { type: 'string', default: 'deployed' },
      'pg-scenarios': { type: 'string', default: 'S,M,L' },
      out: { type: 'string', default: RESULTS_FILE },
      'bi-queues': { type: 'string', default: String(DEFAULT_BI_SIZE.queues) },
      'bi-days': { type: 'string', default: String(DEFAULT_BI_SIZE.days) },
    },
  });
  const names = values.scenarios
    ? values.scenarios.split(',').map((s) => s.trim().toUpperCase())
    : values.quick
      ? [...QUICK_SCENARIOS]
      : SCENARIOS.map((s) => s.name);
  const scenarios = SCENARIOS.filter((s) => names.includes(s.name));
  const unknown = names.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length > 0)
    throw new Error(`--scenarios: unknown ${unknown.join(', ')} (expected S, M, L, XL)`);
  const skip = new Set(values.skip.split(',').filter(Boolean));
  const badSkip = [...skip].filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (badSkip.length > 0)
    throw new Error(`--skip: unknown ${badSkip.join(', ')} (expected ${SECTIONS.join(', ')})`);
  // --quick keeps the whole run under 3 minutes: 5 fresh processes per bundle instead of 10.
  const imports = positiveInt('--imports', values.imports ?? (values.quick ? '5' : '10'));
  const variants = bundleVariants(values['bundle-variants']);
  const biSize = {
    queues: positiveInt('--bi-queues', values['bi-queues']),
    days: positiveInt('--bi-days', values['bi-days']),
  };
  const wanted = (section: Section) => !skip.has(section);
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  const databaseUrl = process.env.DATABASE_URL;
  // Latency on PostgreSQL doubles a scenario's time; XL's is left out unless asked for.
  const pgScenarios = new Set(values['pg-scenarios'].split(',').map((s) => s.trim().toUpperCase()));

  const started = performance.now();
  const figures: Figure[] = [];
  if (wanted('collectors')) {
    for (const scenario of scenarios) {
      progress(`scenario ${scenario.name}: ${scenario.queues} queues, ${scenario.agents} agents`);
      figures.push(
        ...(await benchScenario({ scenario, database: { kind: 'pglite' }, counts: true, progress })),
      );
      if (databaseUrl && pgScenarios.has(scenario.name)) {
        figures.push(
          ...(await benchScenario({
            scenario,
            database: { kind: 'postgres', url: databaseUrl },
            counts: false,
            progress,
          })),
        );
      }
      writeResults(figures, values.out);
    }
  }
  if (wanted('bundles')) {
    progress('bundles');
    figures.push(...(await benchBundles({ imports, variants, progress })));
    writeResults(figures, values.out);
  }
  if (wanted('cost')) {
    progress('cost model');
    // The Data API requests per run measured on scenario M (or the largest scenario run) feed the model.
    const measured = figures.filter((f) => f.metric === 'data_api_calls_per_run');
    const from = ['M', 'S', 'L', 'XL'].find((s) => measured.some((f) => f.scenario === s));
    const perRun = Object.fromEntries(
      measured.filter((f) => f.scenario === from).map((f) => [f.collector, Math.ceil(f.value)]),
    );
    figures.push(...benchCost({ dataApiCallsPerRun: perRun, progress }));
    figures.push(...benchHoursCost({ dataApiCallsPerRun: perRun, progress }));
    figures.push(...benchFleetCost({ dataApiCallsPerRun: perRun, progress }));
    writeResults(figures, values.out);
  }
  if (wanted('bi')) {
    if (databaseUrl) {
      progress(`BI queries: ${biSize.queues} queues x ${biSize.days} days of 10-s snapshots`);
      figures.push(...(await benchBiQueries({ databaseUrl, size: biSize, progress })));
    } else {
      progress('BI queries skipped: set DATABASE_URL to a PostgreSQL server to run them');
    }
  }
  if (wanted('dashboard')) {
    progress('dashboard page (Chromium, npm start pipeline)');
    figures.push(...(await benchDashboardPage({ progress })));
    writeResults(figures, values.out);
    if (databaseUrl) {
      progress('dashboard queries: 30 days at M on PostgreSQL');
      figures.push(...(await benchDashboardQueries({ databaseUrl, progress })));
    } else {
      progress('dashboard queries skipped: set DATABASE_URL to a PostgreSQL server to run them');
    }
  }
  if (wanted('fleet')) {
    if (databaseUrl) {
      progress('fleet: 200 instances x 10 queues x 50 agents, 50 accounts, a minute of real-time ticks');
      figures.push(...(await benchFleet({ database: { kind: 'postgres', url: databaseUrl }, progress })));
      writeResults(figures, values.out);
    } else {
      // PGlite has one session for everything: a 200-instance tick outgrows it (README, fleet).
      progress('fleet skipped: set DATABASE_URL to a PostgreSQL server to run it');
    }
  }
  // A simulated day twice over: minutes, so --quick leaves it out.
  if (wanted('hours') && !values.quick) {
    progress('hours: a day of a 12x5 centre (S), polled around the clock and by its hours');
    figures.push(...(await benchHours({ database: { kind: 'pglite' }, progress })));
    writeResults(figures, values.out);
  }
  const seconds = Math.round((performance.now() - started) / 1000);
  writeResults(figures, values.out);
  process.stdout.write(
    `${formatTable(figures)}\n\n${figures.length} figures in ${seconds} s -> ${values.out}\n`,
  );
}

function bundleVariants(value: string): BundleVariantName[] {
  const known = Object.keys(BUNDLE_VARIANTS) as BundleVariantName[];
  if (value.trim() === 'all') return known;
  const names = value.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !(known as string[]).includes(n));
  if (unknown.length > 0)
    throw new Error(`--bundle-variants: unknown ${unknown.join(', ')} (expected all or ${known.join(', ')})`);
  return names as BundleVariantName[];
}

function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${flag}: expected a whole number of 1 or more (got ${value})`);
  return n;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
