import { parseArgs } from 'node:util';
import * as z from 'zod';
import { readLatestSnapshots } from '../../lambdas/current-metrics/store';
import { type FlatQueueRow, flattenQueueRow } from '../../lambdas/push/flatten';
import type { SqlExecutor } from '../../lambdas/shared/db/executor';
import { openLocalDataStack } from '../runner/database';

/**
 * `npm run export -- [--format json|csv] [--client NAME] [--data-dir .local/pgdata | --database-url URL]`
 *
 * Prints the latest real-time metrics per queue and channel, flattened as the push target sends them
 * (Date, Client, QueueName, Channel, then one key per metric), as JSON or CSV; with `--client`, only
 * that client's instances (a fleet's per-client export).
 */
const USAGE =
  'usage: npm run export -- [--format json|csv] [--client NAME] [--data-dir .local/pgdata | --database-url postgres://...]';

const Args = z.object({
  format: z.enum(['json', 'csv'], { message: 'expected json or csv' }).default('json'),
  client: z.string().min(1).optional(),
  'data-dir': z.string().min(1).default('.local/pgdata'),
  'database-url': z
    .string()
    .regex(/^postgres(ql)?:\/\//, { message: 'expected a postgres:// URL' })
    .optional(),
});

/** CSV with a header row; fields quoted when they hold a comma, quote or line break. */
export function toCsv(rows: readonly FlatQueueRow[]): string {
  if (rows.length === 0) return '';
  const columns = Object.keys(rows[0]!);
  const field = (value: unknown) => {
    const text = value === null || value === undefined ? '' : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = [
    columns.join(','),
    ...rows.map((row) => columns.map((c) => field(row[c as keyof FlatQueueRow])).join(',')),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * The latest real-time rows, flattened, of every client's instances or of `client`'s only.
 * @throws Error naming the clients there are when `client` has no instance
 */
export async function exportRows(db: SqlExecutor, client?: string): Promise<FlatQueueRow[]> {
  const instances = await db.query<{ instance_id: string; client_name: string }>(
    'SELECT instance_id, client_name FROM connect_instance ORDER BY instance_id',
  );
  const known = [...new Set(instances.rows.map((r) => r.client_name))].sort();
  if (client !== undefined && !known.includes(client)) {
    throw new Error(
      `--client: no instance of client ${JSON.stringify(client)} (expected one of: ${known.join(', ')})`,
    );
  }
  const clients = new Map(
    instances.rows
      .filter((r) => client === undefined || r.client_name === client)
      .map((r) => [r.instance_id, r.client_name]),
  );
  const latest = await readLatestSnapshots(db, [...clients.keys()]);
  return latest.map((row) => flattenQueueRow(row, clients.get(row.instanceId) ?? row.instanceId));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      format: { type: 'string' },
      client: { type: 'string' },
      'data-dir': { type: 'string' },
      'database-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const parsed = Args.safeParse(values);
  if (!parsed.success) {
    throw new Error(
      `${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}\n${USAGE}`,
    );
  }
  const args = parsed.data;
  const stack = await openLocalDataStack(
    args['database-url']
      ? { kind: 'postgres', url: args['database-url'] }
      : { kind: 'pglite', dataDir: args['data-dir'] },
  );
  try {
    const rows = await exportRows(stack.db, args.client);
    process.stdout.write(args.format === 'csv' ? toCsv(rows) : `${JSON.stringify(rows, null, 2)}\n`);
  } catch (error) {
    if (error instanceof Error && /relation .* does not exist/.test(error.message)) {
      throw new Error('the database has no pipeline tables yet: run `npm start` first', { cause: error });
    }
    throw error;
  } finally {
    await stack.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`npm run export: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
