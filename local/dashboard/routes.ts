import type { SqlExecutor } from '../../lambdas/shared/db/executor';
import type { DashboardDefinition } from '../../lib/dashboard/definition';
import type { CheckAnswer, ExtraRoutes } from '../runner/check-server';
import { controlOptions, sheetRows } from './api';
import type { PageAssets } from './assets';

/** The /check logic (the same the server answers /check with). */
type CheckLogic = (query: Record<string, string | undefined>) => Promise<CheckAnswer>;

/**
 * The dashboard's routes on the local server: the page (`/` and `/assets/...`, see assets.ts),
 * `GET /api/dashboard` (the definition), `GET /api/options` (each control's choices),
 * `GET /api/freshness` (/check's status and body, for the banner) and
 * `GET /api/sheets/<id>` (a sheet's rows, see api.ts), read through `db` at the pipeline's `now`.
 */
export function dashboardRoutes(
  db: SqlExecutor,
  definition: DashboardDefinition,
  now: () => Date,
  page: { readonly assets: PageAssets; readonly check: CheckLogic } | undefined = undefined,
): ExtraRoutes {
  const assets = page?.assets ?? new Map();
  const json = (body: unknown, statusCode = 200) => ({ statusCode, body: JSON.stringify(body) });
  return (pathname, query) => {
    const asset = assets.get(pathname === '/index.html' ? '/' : pathname);
    if (asset) return Promise.resolve(asset);
    if (pathname === '/api/freshness' && page) {
      // /check's answer inside a 200, so a stale pipeline is shown on the page, not logged by the
      // browser as a failed request.
      return page
        .check({})
        .then((answer) =>
          json({ checkStatus: answer.statusCode, check: JSON.parse(answer.body.toString()) }),
        );
    }
    if (pathname === '/api/dashboard' || pathname === '/api/options') {
      const unknown = Object.keys(query);
      if (unknown.length > 0)
        return Promise.resolve(
          json({ message: `unknown parameter(s) ${unknown.join(', ')}: ${pathname} takes none` }, 400),
        );
      if (pathname === '/api/dashboard') return Promise.resolve(json(definition));
      return controlOptions(db, definition).then((options) => json(options));
    }
    const sheet = /^\/api\/sheets\/([a-z-]{1,40})$/.exec(pathname)?.[1];
    if (!sheet) return null;
    return sheetRows(db, definition, sheet, query, now()).then((answer) =>
      json(answer.body, answer.statusCode),
    );
  };
}
