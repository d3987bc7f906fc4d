import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import * as z from 'zod';
import { startLocalDataApi } from '../data-api/server';

/**
 * `npm run data-api -- [--port 4020] [--host 127.0.0.1] [--database-url URL | --data-dir DIR | --ephemeral]
 * [--resuming-for-ms MS]`
 *
 * Starts the local RDS Data API standalone and prints the endpoint, resourceArn and secretArn to give
 * `RDSDataClient`/`DataApiExecutor`. SQL runs on the PostgreSQL at `--database-url`, or else on an
 * embedded PGlite kept under `.local/data-api` (`--ephemeral`: in memory, gone on exit).
 */

const USAGE =
  'usage: npm run data-api -- [--port 4020] [--host 127.0.0.1] [--database-url postgres://...] ' +
  '[--data-dir .local/data-api] [--ephemeral] [--resuming-for-ms 0]';

const ArgsSchema = z
  .object({
    port: z.coerce.number().int().min(0).max(65_535).default(4020),
    host: z.string().min(1).default('127.0.0.1'),
    'database-url': z
      .string()
      .regex(/^postgres(ql)?:\/\//, { message: 'expected a postgres:// URL' })
      .optional(),
    'data-dir': z.string().min(1).default('.local/data-api'),
    ephemeral: z.boolean().default(false),
    'resuming-for-ms': z.coerce.number().int().min(0).default(0),
    help: z.boolean().default(false),
  })
  .refine((args) => !(args['database-url'] && args.ephemeral), {
    message: '--database-url and --ephemeral do not go together',
  });

/** Reads argv; an unknown or malformed option is an error that ends with the usage line. */
function parseCommandLine() {
  try {
    return parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'database-url': { type: 'string' },
        'data-dir': { type: 'string' },
        ephemeral: { type: 'boolean' },
        'resuming-for-ms': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
  } catch (error: unknown) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
}

async function main(): Promise<void> {
  const { values } = parseCommandLine();
  const parsed = ArgsSchema.safeParse(values);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`);
    throw new Error(`${problems.join('; ')}\n${USAGE}`);
  }
  const args = parsed.data;
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }

  let pglite: PGlite | undefined;
  let backendLabel: string;
  if (args['database-url']) {
    const url = new URL(args['database-url']);
    url.password = url.password ? '***' : '';
    backendLabel = `PostgreSQL ${url.toString()}`;
  } else if (args.ephemeral) {
    pglite = await PGlite.create();
    backendLabel = 'embedded PGlite (in memory)';
  } else {
    const dataDir = resolve(args['data-dir']);
    mkdirSync(dataDir, { recursive: true });
    pglite = await PGlite.create({ dataDir });
    backendLabel = `embedded PGlite at ${dataDir}`;
  }

  const api = await startLocalDataApi({
    port: args.port,
    host: args.host,
    databaseUrl: args['database-url'],
    pglite,
    resumingForMs: args['resuming-for-ms'],
  });
  process.stdout.write(
    [
      'Local RDS Data API listening',
      `  endpoint:    ${api.endpoint}`,
      `  resourceArn: ${api.resourceArn}`,
      `  secretArn:   ${api.secretArn}`,
      `  database:    ${api.database}`,
      `  backend:     ${backendLabel}`,
      'Any well-formed ARN is accepted. Stop with Ctrl-C.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await api.close();
    await pglite?.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`data-api: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
