import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  BeginTransactionCommand,
  ExecuteStatementCommand,
  RDSDataClient,
  RollbackTransactionCommand,
} from '@aws-sdk/client-rds-data';
import { DataApiExecutor } from '../../../lambdas/shared/db/data-api-executor';
import { parseDbTimestamp, sqlJson } from '../../../lambdas/shared/db/executor';

const ROOT = join(__dirname, '..', '..', '..');

/** Starts the CLI (PGlite in memory) and resolves with what it printed once it listens. */
function startCli(): Promise<{
  child: ChildProcess;
  endpoint: string;
  resourceArn: string;
  secretArn: string;
}> {
  const child = spawn(
    join(ROOT, 'node_modules', '.bin', 'tsx'),
    ['local/cli/data-api.ts', '--port', '0', '--ephemeral'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CLI did not start in 90 s: ${out}${err}`));
    }, 90_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const endpoint = /endpoint:\s+(\S+)/.exec(out)?.[1];
      const resourceArn = /resourceArn:\s+(\S+)/.exec(out)?.[1];
      const secretArn = /secretArn:\s+(\S+)/.exec(out)?.[1];
      if (endpoint && resourceArn && secretArn && out.includes('Stop with')) {
        clearTimeout(timer);
        resolve({ child, endpoint, resourceArn, secretArn });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`CLI exited with ${code}: ${out}${err}`));
    });
  });
}

/**
 * The in-process PGlite backend, driven through the standalone CLI in a child process: PGlite is ESM
 * and cannot be imported inside jest's module VM.
 */
describe('npm run data-api (embedded PGlite)', () => {
  let cli: Awaited<ReturnType<typeof startCli>>;
  let client: RDSDataClient;
  let executor: DataApiExecutor;

  beforeAll(async () => {
    cli = await startCli();
    client = new RDSDataClient({
      endpoint: cli.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    executor = new DataApiExecutor({
      client,
      resourceArn: cli.resourceArn,
      secretArn: cli.secretArn,
      database: 'postgres',
      retry: { deadlineMs: 2_000 },
    });
    await executor.query('CREATE TABLE notes (id text PRIMARY KEY, at timestamptz, n int, doc jsonb)');
  }, 100_000);
  afterAll(async () => {
    client?.destroy();
    if (cli && cli.child.exitCode === null) {
      const exited = new Promise((resolve) => cli.child.once('exit', resolve));
      cli.child.kill('SIGTERM');
      await exited;
    }
  });

  test('prints an endpoint and ARNs the real SDK client works with, and round-trips values', async () => {
    const at = new Date('2026-11-23T04:05:06.789Z');

    await executor.query('INSERT INTO notes VALUES (:id, :at, :n, :doc::jsonb)', {
      id: 'a',
      at,
      n: 7,
      doc: sqlJson({ k: [1, 2] }),
    });
    const { rows } = await executor.query('SELECT * FROM notes WHERE id = :id', { id: 'a' });

    expect(parseDbTimestamp(rows[0]?.at)).toEqual(at);
    expect(rows[0]).toMatchObject({ id: 'a', n: 7 });
    expect(JSON.parse(rows[0]?.doc as string)).toEqual({ k: [1, 2] });
  });

  test('returns every column type as the Data API types it', async () => {
    const base = { resourceArn: cli.resourceArn, secretArn: cli.secretArn };

    const result = await client.send(
      new ExecuteStatementCommand({
        ...base,
        sql: `SELECT true AS b, 42::int8 AS i, 0.5::float8 AS f, 1.50::numeric AS d, 'x'::text AS t,
          '2026-11-23 04:05:06.5+02'::timestamptz AS ts, '2026-11-23'::date AS day, NULL::int AS nothing,
          '\\x00ff'::bytea AS raw, ARRAY[1.5, 2.5]::float8[] AS xs, '{"a":1}'::jsonb AS doc`,
      }),
    );

    expect(result.records?.[0]).toEqual([
      { booleanValue: true },
      { longValue: 42 },
      { doubleValue: 0.5 },
      { stringValue: '1.50' },
      { stringValue: 'x' },
      { stringValue: '2026-11-23 02:05:06.5' },
      { stringValue: '2026-11-23' },
      { isNull: true },
      { blobValue: new Uint8Array([0, 255]) },
      { arrayValue: { doubleValues: [1.5, 2.5] } },
      { stringValue: '{"a": 1}' },
    ]);
  });

  test('a failed transaction leaves nothing behind', async () => {
    const error = await executor
      .transaction(async (tx) => {
        await tx.query("INSERT INTO notes (id) VALUES ('b')");
        await tx.query("INSERT INTO notes (id) VALUES ('b')");
      })
      .catch((e: unknown) => e);

    expect((error as Error).name).toBe('DatabaseErrorException');
    expect((await executor.query("SELECT count(*)::int AS n FROM notes WHERE id = 'b'")).rows).toEqual([
      { n: 0 },
    ]);
  });

  test('a statement outside the open transaction waits for it to end instead of running inside it', async () => {
    const base = { resourceArn: cli.resourceArn, secretArn: cli.secretArn };
    const { transactionId } = await client.send(new BeginTransactionCommand(base));
    await client.send(
      new ExecuteStatementCommand({ ...base, transactionId, sql: "INSERT INTO notes (id) VALUES ('c')" }),
    );

    const outside = executor.query("SELECT count(*)::int AS n FROM notes WHERE id = 'c'");
    await new Promise((resolve) => setTimeout(resolve, 100));
    await client.send(new RollbackTransactionCommand({ ...base, transactionId }));

    expect((await outside).rows).toEqual([{ n: 0 }]);
  });

  test('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => cli.child.once('exit', resolve));

    cli.child.kill('SIGTERM');

    expect(await exited).toBe(0);
  });
});

describe('npm run data-api argument checks', () => {
  test.each([
    [['--port', 'abc'], /port: .*expected number/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('refuses %j with a message and the usage line, exit code 1', (args, message) => {
    const run = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['local/cli/data-api.ts', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });

    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain('usage: npm run data-api');
  });
});
