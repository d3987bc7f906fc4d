import { createHash, createHmac, randomBytes } from 'node:crypto';
import {
  DatabaseUserError,
  type DatabaseUsers,
  ensureDatabaseUsers,
  scramSha256Verifier,
} from '../../../lambdas/migrate/database-users';
import {
  createMigratedSchema,
  createTestSchema,
  databaseTargets,
  type TestSchema,
} from '../../support/databases';

interface SaslSession {
  clientNonce: string;
  response: string;
  message: string;
}
interface SaslModule {
  startSession(mechanisms: string[], stream?: unknown): SaslSession;
  continueSession(session: SaslSession, password: string, serverData: string): Promise<void>;
}
// pg's own SCRAM client, an implementation independent of the one under test.
const sasl = jest.requireActual<SaslModule>('pg/lib/crypto/sasl');

/** Plays the server side of SCRAM-SHA-256 with a stored verifier; true when the client proved the password. */
async function serverAccepts(verifier: string, password: string): Promise<boolean> {
  const match = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(verifier);
  if (!match) return false;
  const [, iterations, salt, storedKey] = match as unknown as [string, string, string, string];
  const session = sasl.startSession(['SCRAM-SHA-256']);
  const serverNonce = `${session.clientNonce}${randomBytes(18).toString('base64')}`;
  const serverFirst = `r=${serverNonce},s=${salt},i=${iterations}`;
  await sasl.continueSession(session, password, serverFirst);
  const withoutProof = session.response.replace(/,p=[^,]+$/, '');
  const proof = Buffer.from(/,p=([^,]+)$/.exec(session.response)![1]!, 'base64');
  const authMessage = `n=*,r=${session.clientNonce},${serverFirst},${withoutProof}`;
  const signature = createHmac('sha256', Buffer.from(storedKey, 'base64')).update(authMessage).digest();
  const clientKey = Buffer.from(proof.map((b, i) => b ^ signature[i]!));
  return createHash('sha256').update(clientKey).digest('base64') === storedKey;
}

describe('scramSha256Verifier', () => {
  test('produces a verifier a standard SCRAM client proves the password against', async () => {
    const verifier = scramSha256Verifier('correct horse battery staple');

    await expect(serverAccepts(verifier, 'correct horse battery staple')).resolves.toBe(true);
  });

  test('produces a verifier that rejects any other password', async () => {
    const verifier = scramSha256Verifier('correct horse battery staple');

    await expect(serverAccepts(verifier, 'correct horse battery stable')).resolves.toBe(false);
  });

  test('uses a fresh salt each time, so equal passwords give different verifiers', () => {
    expect(scramSha256Verifier('same password')).not.toBe(scramSha256Verifier('same password'));
  });

  test('does not contain the password', () => {
    expect(scramSha256Verifier('pw-in-clear-123')).not.toContain('pw-in-clear-123');
  });
});

describe.each(databaseTargets())('ensureDatabaseUsers on $name', ({ url }) => {
  let db: TestSchema;
  const suffix = randomBytes(3).toString('hex');
  const users: DatabaseUsers = {
    collector: { username: `collector_${suffix}`, password: 'collector-password-1' },
    reporting: { username: `reporting_${suffix}`, password: 'reporting-password-1' },
  };
  const privilege = async (user: string, table: string, action: string) => {
    const { rows } = await db.pool.query<{ ok: boolean }>(
      'SELECT has_table_privilege($1, format($2, current_schema(), $3::text), $4) AS ok',
      [user, '%I.%I', table, action],
    );
    return rows[0]?.ok;
  };

  beforeAll(async () => {
    db = await createMigratedSchema(url, 'users');
  });
  afterAll(async () => {
    await db.pool
      .query(`DROP OWNED BY ${users.collector.username}, ${users.reporting.username}`)
      .catch(() => undefined);
    await db.drop();
    const cleanup = await createTestSchema(url, 'cleanup');
    await cleanup.pool.query(`DROP ROLE IF EXISTS ${users.collector.username}, ${users.reporting.username}`);
    await cleanup.drop();
  });

  test('creates both users with login on the first run', async () => {
    const report = await ensureDatabaseUsers(db.executor, users);

    expect(report.created).toEqual([users.collector.username, users.reporting.username]);
    const { rows } = await db.pool.query<{ rolname: string; rolcanlogin: boolean }>(
      'SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname = ANY($1) ORDER BY rolname',
      [[users.collector.username, users.reporting.username]],
    );
    expect(rows).toEqual([
      { rolname: users.collector.username, rolcanlogin: true },
      { rolname: users.reporting.username, rolcanlogin: true },
    ]);
  });

  test('stores a SCRAM verifier, never the password', async () => {
    const { rows } = await db.pool.query<{ rolpassword: string }>(
      'SELECT rolpassword FROM pg_authid WHERE rolname = $1',
      [users.collector.username],
    );

    expect(rows[0]?.rolpassword).toMatch(/^SCRAM-SHA-256\$4096:/);
    await expect(serverAccepts(rows[0]!.rolpassword, users.collector.password)).resolves.toBe(true);
  });

  test('lets the collector write the fact tables', async () => {
    await expect(privilege(users.collector.username, 'queue_realtime_snapshot', 'INSERT')).resolves.toBe(
      true,
    );
    await expect(privilege(users.collector.username, 'collector_run', 'UPDATE')).resolves.toBe(true);
  });

  test('keeps the collector away from the migration history', async () => {
    await expect(privilege(users.collector.username, 'schema_migration', 'INSERT')).resolves.toBe(false);
  });

  test('lets the reporting user read the v_ views and nothing else', async () => {
    await expect(privilege(users.reporting.username, 'v_queue_interval', 'SELECT')).resolves.toBe(true);
    await expect(privilege(users.reporting.username, 'queue_interval_metrics', 'SELECT')).resolves.toBe(
      false,
    );
    await expect(privilege(users.reporting.username, 'v_queue_interval', 'INSERT')).resolves.toBe(false);
  });

  test('lets the reporting user query every v_ view, v_data_freshness and its freshness function included', async () => {
    const { rows: views } = await db.pool.query<{ viewname: string }>(
      "SELECT viewname FROM pg_views WHERE schemaname = current_schema() AND viewname LIKE 'v\\_%' ORDER BY 1",
    );
    const client = await db.pool.connect();
    const answered: string[] = [];
    try {
      await client.query('BEGIN');
      // A run to report on: a view over an empty table never calls its functions.
      await client.query(
        `INSERT INTO collector_run (instance_id, feed, started_at, finished_at, outcome)
         VALUES ('i-1', 'metadata', now(), now(), 'succeeded')`,
      );
      // Hours of operation, a queue on them and an interval of each kind: the business-day views call
      // their time zone and open-period functions.
      await client.query(
        `INSERT INTO hours_of_operation (instance_id, hours_id, hours_arn, time_zone, config, first_seen_at, last_seen_at)
         VALUES ('i-1', 'h-1', 'h-1', 'Europe/Paris', '[{"day": "MONDAY", "start": 480, "end": 1200}]', now(), now());
         INSERT INTO queue (instance_id, queue_id, queue_arn, queue_type, first_seen_at, last_seen_at, hours_of_operation_id)
         VALUES ('i-1', 'q-1', 'q-1', 'STANDARD', now(), now(), 'h-1');
         INSERT INTO queue_interval_service_level (instance_id, queue_id, channel, interval_start, interval_minutes,
           threshold_seconds, contacts_answered_in_threshold_count, collected_at)
         VALUES ('i-1', 'q-1', 'VOICE', '2026-11-30 09:00+00', 15, 20, 1, now());
         INSERT INTO agent_interval_metrics (instance_id, agent_id, interval_start, interval_minutes, interval_end,
           contact_time_sum_seconds, idle_time_sum_seconds, collected_at)
         VALUES ('i-1', 'a-1', '2026-11-30 09:00+00', 15, '2026-11-30 09:15+00', 600, 300, now())`,
      );
      await client.query(`SET LOCAL ROLE ${users.reporting.username}`);
      for (const { viewname } of views) {
        await client.query(`SELECT * FROM ${viewname}`);
        answered.push(viewname);
      }
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }

    expect(answered).toContain('v_data_freshness');
    expect(answered).toEqual(
      expect.arrayContaining(['v_queue_service_level_daily_local', 'v_agent_daily_local']),
    );
    expect(answered).toEqual(views.map((v) => v.viewname));
  });

  test('makes the reporting user read-only by default', async () => {
    const { rows } = await db.pool.query<{ rolconfig: string[] | null }>(
      'SELECT rolconfig FROM pg_roles WHERE rolname = $1',
      [users.reporting.username],
    );

    expect(rows[0]?.rolconfig).toContain('default_transaction_read_only=on');
  });

  test('updates existing users on a second run instead of failing', async () => {
    const changed = { ...users, collector: { ...users.collector, password: 'collector-password-2' } };

    const report = await ensureDatabaseUsers(db.executor, changed);

    expect(report.created).toEqual([]);
    expect(report.updated).toEqual([users.collector.username, users.reporting.username]);
    const { rows } = await db.pool.query<{ rolpassword: string }>(
      'SELECT rolpassword FROM pg_authid WHERE rolname = $1',
      [users.collector.username],
    );
    await expect(serverAccepts(rows[0]!.rolpassword, 'collector-password-2')).resolves.toBe(true);
  });

  test('rejects a user name that is not a plain identifier, before touching the database', async () => {
    const bad = { ...users, reporting: { username: 'x"; DROP TABLE queue; --', password: 'long-enough-pw' } };

    await expect(ensureDatabaseUsers(db.executor, bad)).rejects.toThrow(DatabaseUserError);
  });

  test('rejects one user for both roles', async () => {
    const same = { collector: users.collector, reporting: users.collector };

    await expect(ensureDatabaseUsers(db.executor, same)).rejects.toThrow(/different users/);
  });
});
