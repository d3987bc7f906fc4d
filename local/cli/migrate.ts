import { parseArgs } from 'node:util';
import * as z from 'zod';
import { loadMigrations, REPOSITORY_MIGRATIONS_DIR, runMigrations } from '../../lambdas/migrate/migrations';
import { createPgPool, PgExecutor, quoteIdentifier } from '../../lambdas/shared/db/pg-executor';

/**
 * `npm run migrate -- --database-url postgres://user@host:5432/db [--schema name] [--dir sql/migrations]`
 * (`--schema` is created when missing)
 *
 * Applies the pending migrations to any PostgreSQL with the same runner the deploy-time custom resource
 * uses (there through the Data API). `DATABASE_URL` is used when `--database-url` is not given.
 */

const USAGE =
  'usage: npm run migrate -- --database-url postgres://user@host:5432/db [--schema name] [--dir DIR]';

const ArgsSchema = z.object({
  'database-url': z.string().regex(/^postgres(ql)?:\/\//, { message: 'expected a postgres:// URL' }),
  schema: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, { message: 'expected a lower-case SQL identifier' })
    .optional(),
  dir: z.string().min(1).default(REPOSITORY_MIGRATIONS_DIR),
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'database-url': { type: 'string' },
      schema: { type: 'string' },
      dir: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const parsed = ArgsSchema.safeParse({
    ...values,
    'database-url': values['database-url'] ?? process.env.DATABASE_URL,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`);
    throw new Error(`${problems.join('; ')}\n${USAGE}`);
  }
  const args = parsed.data;
  const pool = createPgPool(args['database-url'], {
    max: 2,
    searchPath: args.schema,
  });
  try {
    if (args.schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(args.schema)}`);
    const migrations = loadMigrations(args.dir);
    const report = await runMigrations(new PgExecutor(pool), migrations, {
      logger: {
        info: (message, extra) => process.stdout.write(`${message} ${extra ? JSON.stringify(extra) : ''}\n`),
      },
    });
    process.stdout.write(
      report.applied.length > 0
        ? `applied ${report.applied.length} migration(s); ${report.alreadyApplied} were already applied\n`
        : `nothing to apply: all ${report.alreadyApplied} migrations are applied\n`,
    );
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`migrate: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
