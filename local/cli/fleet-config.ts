import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { parseDeployConfig } from '../../lib/config';
import { fleetClientAccess, fleetInstances } from '../fleet';

/**
 * `npm run fleet-config -- --instances 200 --accounts 50 --regions 3`: prints a deploy config whose
 * instances are a generated fleet (local/fleet.ts) and whose other settings are the base config's, to
 * see what a fleet deployment synthesizes (`npx cdk synth -c config=<file>`) before writing the real
 * instance list. Checked like any config before it is printed.
 */
const USAGE = `usage: npm run fleet-config -- --instances N --accounts N [--regions N (1-5, default 3)]
       [--base FILE (default config/example.json)] [--role-name NAME (default ConnectMetricsReader)]`;

const Args = z.object({
  instances: z.coerce.number().int().min(1).max(2000),
  accounts: z.coerce.number().int().min(1).max(2000),
  regions: z.coerce.number().int().min(1).max(5).default(3),
  base: z.string().min(1).default('config/example.json'),
  'role-name': z.string().min(1).default('ConnectMetricsReader'),
});

function main(): void {
  const { values } = parseArgs({
    options: {
      instances: { type: 'string' },
      accounts: { type: 'string' },
      regions: { type: 'string' },
      base: { type: 'string' },
      'role-name': { type: 'string' },
    },
    strict: true,
  });
  const parsed = Args.safeParse(values);
  if (!parsed.success) {
    throw new Error(
      `${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}\n${USAGE}`,
    );
  }
  const a = parsed.data;
  const base = JSON.parse(readFileSync(a.base, 'utf8')) as Record<string, unknown>;
  const instances = fleetInstances({
    instances: a.instances,
    accounts: Math.min(a.accounts, a.instances),
    regions: a.regions,
    roleName: a['role-name'],
  });
  const config = {
    ...base,
    instances,
    // The base's row-level security names its own clients: one readers' group per fleet client instead.
    quickSight: {
      ...(base.quickSight as object),
      clientAccess: fleetClientAccess(instances, {
        account: String(base.account),
        region: String(base.region),
      }),
    },
  };
  parseDeployConfig(config);
  process.stdout.write(`${JSON.stringify(config, null, 2)}\n`);
}

try {
  main();
} catch (error) {
  process.stderr.write(`npm run fleet-config: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
