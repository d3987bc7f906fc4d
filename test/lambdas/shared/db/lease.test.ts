import { acquireLease, releaseLease } from '../../../../lambdas/shared/db/lease';
import { type LocalDataStack, openLocalDataStack } from '../../../../local/runner/database';
import { createMigratedSchema, databaseTargets, type TestSchema } from '../../../support/databases';

describe.each(databaseTargets())('the collector lease on $name', ({ url }) => {
  let db: TestSchema;
  beforeAll(async () => {
    db = await createMigratedSchema(url, 'lease');
  });
  afterAll(() => db.drop());

  test('a free key is taken; another holder is refused while the lease runs', async () => {
    expect(await acquireLease(db.executor, 'historical_metrics', 'run-a', 60_000)).toBe(true);

    expect(await acquireLease(db.executor, 'historical_metrics', 'run-b', 60_000)).toBe(false);
    expect(await acquireLease(db.executor, 'metadata', 'run-b', 60_000)).toBe(true); // other keys are free
  });

  test('the holder may take its lease again (a retried transaction)', async () => {
    expect(await acquireLease(db.executor, 'historical_metrics', 'run-a', 60_000)).toBe(true);
  });

  test('a released lease is free for the next holder', async () => {
    await releaseLease(db.executor, 'historical_metrics', 'run-a');

    expect(await acquireLease(db.executor, 'historical_metrics', 'run-b', 60_000)).toBe(true);
  });

  test('releasing a lease someone else holds changes nothing', async () => {
    await releaseLease(db.executor, 'historical_metrics', 'run-a');

    expect(await acquireLease(db.executor, 'historical_metrics', 'run-c', 60_000)).toBe(false);
  });

  test('a lease whose holder died lapses by itself at its expiry', async () => {
    expect(await acquireLease(db.executor, 'dying', 'run-x', 50)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 120));

    expect(await acquireLease(db.executor, 'dying', 'run-y', 60_000)).toBe(true);
  });
});

describe('the collector lease through the local Data API (typed parameters, as on Aurora)', () => {
  let db: TestSchema;
  let stack: LocalDataStack;
  beforeAll(async () => {
    const { url } = databaseTargets()[0]!;
    db = await createMigratedSchema(url, 'lease_api');
    stack = await openLocalDataStack({ kind: 'postgres', url, searchPath: db.schema });
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  test('takes, refuses and releases as on PostgreSQL directly', async () => {
    expect(await acquireLease(stack.db, 'metadata', 'run-a', 300_000)).toBe(true);
    expect(await acquireLease(stack.db, 'metadata', 'run-b', 300_000)).toBe(false);

    await releaseLease(stack.db, 'metadata', 'run-a');

    expect(await acquireLease(stack.db, 'metadata', 'run-b', 300_000)).toBe(true);
  });
});
