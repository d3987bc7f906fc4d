import { checkDataLoad } from '../../lambdas/check-data-load/check';
import { sqlFreshnessStore } from '../../lambdas/check-data-load/freshness-store';
import type { RuntimeConfig } from '../../lambdas/shared/config/runtime-config';
import type { SqlExecutor } from '../../lambdas/shared/db/executor';
import { type Log, silentLog } from '../../lambdas/shared/runtime/logger';
import type { CheckAnswer } from './check-server';

/** The deployed check logic over the local database, as the /check server calls it. */
export function localCheck(
  config: RuntimeConfig,
  db: SqlExecutor,
  options: { now?: () => Date; log?: Log } = {},
): (query: Record<string, string | undefined>) => Promise<CheckAnswer> {
  const deps = {
    config,
    store: sqlFreshnessStore(db),
    now: options.now ?? (() => new Date()),
    log: options.log ?? silentLog,
  };
  return async (query) => {
    const answer = await checkDataLoad(query, deps);
    return { statusCode: answer.statusCode, body: JSON.stringify(answer.body, null, 2) };
  };
}
