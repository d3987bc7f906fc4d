import { parseArgs } from 'node:util';
import { benchScenario } from './collector-bench';
import { type Figure, formatTable, RESULTS_FILE, writeResults } from './results';
import { QUICK_SCENARIOS, SCENARIOS } from './scenarios';

/**
 * `npm run bench [-- --quick] [-- --scenarios S,M] [-- --skip bundles,cost,bi]`: runs the benchmarks,
 * prints a table (figures that do not depend on the machine first) and writes the rows to
 * bench/results/latest.json. Benchmarks print figures; they never fail on a time.
 */

const SECTIONS = ['collectors', 'bundles', 'cost', 'bi'] as const;
type Section = (typeof SECTIONS)[number];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      scenarios: { type: 'string' },
      skip: { type: 'string', default: '' },
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
  const wanted = (section: Section) => !skip.has(section);
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  const databaseUrl = process.env.DATABASE_URL;

  const started = performance.now();
  const figures: Figure[] = [];
  if (wanted('collectors')) {
    for (const scenario of scenarios) {
      progress(`scenario ${scenario.name}: ${scenario.queues} queues, ${scenario.agents} agents`);
      figures.push(
        ...(await benchScenario({ scenario, database: { kind: 'pglite' }, counts: true, progress })),
      );
      if (databaseUrl) {
        figures.push(
          ...(await benchScenario({
            scenario,
            database: { kind: 'postgres', url: databaseUrl },
            counts: false,
            progress,
          })),
        );
      }
    }
  }
  const seconds = Math.round((performance.now() - started) / 1000);
  writeResults(figures);
  process.stdout.write(
    `${formatTable(figures)}\n\n${figures.length} figures in ${seconds} s -> ${RESULTS_FILE}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
