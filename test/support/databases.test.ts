import { createTestSchema, databaseTargets } from './databases';

describe.each(databaseTargets())('createTestSchema on $name', ({ url }) => {
  test('pins every connection of the pool to a fresh schema of its own', async () => {
    const db = await createTestSchema(url, 'isolation');
    const other = db.newPool();
    const [a, b] = await Promise.all([
      db.pool.query('SELECT current_schema() AS s'),
      other.query('SELECT current_schema() AS s'),
    ]);
    await db.drop();
    expect(a.rows[0].s).toBe(db.schema);
    expect(b.rows[0].s).toBe(db.schema);
  });
});
