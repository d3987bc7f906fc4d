import { Client } from 'pg';

test('the embedded database answers', async () => {
  const client = new Client({ connectionString: process.env.PGLITE_URL });
  await client.connect();
  const result = await client.query('select 1 + 1 as two');
  await client.end();
  expect(result.rows[0].two).toBe(2);
});
