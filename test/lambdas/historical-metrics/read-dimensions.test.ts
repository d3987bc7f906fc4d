import { readDimensions } from '../../../lambdas/historical-metrics/store';
import type { SqlExecutor } from '../../../lambdas/shared/db/executor';
import { createMigratedSchema, databaseTargets, type TestSchema } from '../../support/databases';

describe.each(databaseTargets())('readDimensions on $name', ({ url }) => {
  let db: TestSchema;
  beforeAll(async () => {
    db = await createMigratedSchema(url, 'read_dimensions');
    await db.executor.query(
      `INSERT INTO agent (instance_id, agent_id, agent_arn, first_seen_at, last_seen_at, deleted_at)
       SELECT 'i-1', 'a' || lpad(g::text, 6, '0'), 'arn', now(), now(), CASE WHEN g = 7 THEN now() - interval '2 days' END
       FROM generate_series(1, 12001) g`,
    );
    await db.executor.query(
      `INSERT INTO queue (instance_id, queue_id, queue_arn, queue_type, first_seen_at, last_seen_at)
       VALUES ('i-1', 'q1', 'arn', 'STANDARD', now(), now()), ('i-1', 'q2', 'arn', 'AGENT', now(), now())`,
    );
  });
  afterAll(() => db.drop());

  test('pages through every current agent, a few thousand ids per statement, so no answer nears 1 MiB', async () => {
    let statements = 0;
    const counting: SqlExecutor = {
      query: (sql, params) => {
        statements += 1;
        return db.executor.query(sql, params);
      },
      transaction: (work) => db.executor.transaction(work),
    };
    const dims = await readDimensions(counting, 'i-1', new Date(Date.now() - 86_400_000));
    expect(dims.queueIds).toEqual(['q1']);
    expect(dims.agentIds).toHaveLength(12_000);
    expect(dims.agentIds).not.toContain('a000007');
    expect(new Set(dims.agentIds).size).toBe(12_000);
    expect(statements).toBe(1 + 3);
  });
});
