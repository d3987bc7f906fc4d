import type { SqlExecutor } from '../../lambdas/shared/db/executor';
import type { DashboardDefinition } from '../../lib/dashboard/definition';
import type { ExtraRoutes } from '../runner/check-server';
import { sheetRows } from './api';

/**
 * The dashboard's routes on the local server: `GET /api/dashboard` (the definition) and
 * `GET /api/sheets/<id>` (a sheet's rows, see api.ts), read through `db` at the pipeline's `now`.
 */
export function dashboardRoutes(
  db: SqlExecutor,
  definition: DashboardDefinition,
  now: () => Date,
): ExtraRoutes {
  return (pathname, query) => {
    if (pathname === '/api/dashboard') {
      return Promise.resolve({ statusCode: 200, body: JSON.stringify(definition) });
    }
    const sheet = /^\/api\/sheets\/([a-z-]{1,40})$/.exec(pathname)?.[1];
    if (!sheet) return null;
    return sheetRows(db, definition, sheet, query, now()).then((answer) => ({
      statusCode: answer.statusCode,
      body: JSON.stringify(answer.body),
    }));
  };
}
