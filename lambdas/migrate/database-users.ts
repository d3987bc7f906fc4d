import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import type { SqlExecutor } from '../shared/db/executor';
import type { Log } from '../shared/runtime/logger';

/**
 * Creates or updates the pipeline's two database users: the collector (read/write on the tables,
 * nothing on the migration history) and the reporting user (read-only, SELECT on the `v_*` views
 * only). Passwords never travel as SQL text: each is turned into a SCRAM-SHA-256 verifier here, and
 * the server itself quotes the statement that stores it (`format('%L')`), so neither the password
 * nor its quoting is ever in a log or a statement built by string splicing.
 */

/** Credentials of one database user, as its Secrets Manager secret holds them. */
export interface DatabaseUser {
  readonly username: string;
  readonly password: string;
}

/** The users to ensure. */
export interface DatabaseUsers {
  readonly collector: DatabaseUser;
  readonly reporting: DatabaseUser;
}

/** What {@link ensureDatabaseUsers} did. */
export interface DatabaseUsersReport {
  /** Users created by this run. */
  readonly created: readonly string[];
  /** Users that existed and had their password and grants refreshed. */
  readonly updated: readonly string[];
  /** Views the reporting user may read. */
  readonly reportingViews: readonly string[];
}

/** Where progress is reported (Powertools Logger fits). Never receives a password. */
export type UsersLogger = Pick<Log, 'info'>;

/** Users that cannot be created as given. */
export class DatabaseUserError extends Error {
  override readonly name = 'DatabaseUserError';
}

const USERNAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** PostgreSQL's own default iteration count for SCRAM verifiers. */
const SCRAM_ITERATIONS = 4096;

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for `password` (RFC 5802 / 7677):
 * `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`. A server given this instead of a
 * password stores it as is, and never sees the password.
 */
export function scramSha256Verifier(
  password: string,
  options: { salt?: Buffer; iterations?: number } = {},
): string {
  const salt = options.salt ?? randomBytes(16);
  const iterations = options.iterations ?? SCRAM_ITERATIONS;
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/**
 * Creates the collector and reporting users if missing, sets their passwords from their secrets, and
 * (re)applies their grants in the current database and schema, in one transaction. Idempotent: run
 * it after every migration so new tables and views get the same grants.
 * @throws DatabaseUserError on an invalid or clashing user name, or an empty password
 */
export async function ensureDatabaseUsers(
  executor: SqlExecutor,
  users: DatabaseUsers,
  deps: { logger?: UsersLogger; verifier?: (password: string) => string } = {},
): Promise<DatabaseUsersReport> {
  validate(users);
  const verifier = deps.verifier ?? ((p: string) => scramSha256Verifier(p));
  return executor.transaction(async (tx) => {
    const created: string[] = [];
    const updated: string[] = [];
    const run = async (template: string, params: Record<string, string>) => {
      // The server builds the statement: %I quotes identifiers, %L literals.
      const { rows } = await tx.query<{ statement: string }>(
        `SELECT format(${template}) AS statement`,
        params,
      );
      const statement = rows[0]?.statement;
      if (!statement) throw new DatabaseUserError(`format() returned no statement for ${template}`);
      await tx.query(statement);
    };
    const { rows: me } = await tx.query<{ admin: string }>('SELECT current_user AS admin');
    for (const user of [users.collector, users.reporting]) {
      if (user.username === me[0]?.admin) {
        throw new DatabaseUserError(`user ${user.username} is the admin user running the migration`);
      }
      const exists = await tx.query('SELECT 1 FROM pg_roles WHERE rolname = :name', { name: user.username });
      const verb = exists.rowCount > 0 ? 'ALTER' : 'CREATE';
      await run(
        `'${verb} ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', :name::text, :secret::text`,
        {
          name: user.username,
          secret: verifier(user.password),
        },
      );
      (verb === 'CREATE' ? created : updated).push(user.username);
      await run(`'GRANT CONNECT ON DATABASE %I TO %I', current_database(), :name::text`, {
        name: user.username,
      });
      await run(`'GRANT USAGE ON SCHEMA %I TO %I', current_schema(), :name::text`, { name: user.username });
    }

    const collector = { name: users.collector.username };
    await run(
      `'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I', current_schema(), :name::text`,
      collector,
    );
    await run(
      `'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I', current_schema(), :name::text`,
      collector,
    );
    const history = await tx.query(
      "SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_migration'",
    );
    if (history.rowCount > 0) {
      // Only migrations write the schema history.
      await run(
        `'REVOKE ALL ON TABLE %I.schema_migration FROM %I', current_schema(), :name::text`,
        collector,
      );
    }

    const reporting = { name: users.reporting.username };
    await run(`'ALTER ROLE %I SET default_transaction_read_only = on', :name::text`, reporting);
    const { rows: views } = await tx.query<{ viewname: string }>(
      "SELECT viewname FROM pg_views WHERE schemaname = current_schema() AND viewname LIKE 'v\\_%' ORDER BY viewname",
    );
    for (const { viewname } of views) {
      await run(`'GRANT SELECT ON %I.%I TO %I', current_schema(), :view::text, :name::text`, {
        ...reporting,
        view: viewname,
      });
    }
    const report = { created, updated, reportingViews: views.map((v) => v.viewname) };
    deps.logger?.info('database users up to date', {
      created,
      updated,
      reportingViews: report.reportingViews.length,
    });
    return report;
  });
}

function validate(users: DatabaseUsers): void {
  const problems: string[] = [];
  for (const [role, user] of Object.entries(users) as [string, DatabaseUser][]) {
    if (!USERNAME.test(user.username)) {
      problems.push(`${role}.username: expected a lower-case PostgreSQL identifier (got '${user.username}')`);
    }
    if (user.password.length < 8) problems.push(`${role}.password: expected at least 8 characters`);
  }
  if (users.collector.username === users.reporting.username) {
    problems.push(`collector and reporting must be different users (both are '${users.collector.username}')`);
  }
  if (problems.length > 0)
    throw new DatabaseUserError(`invalid database users:\n  - ${problems.join('\n  - ')}`);
}
