import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { CHECK_FUNCTION } from '../feeds';
import { createDatabaseRuntime } from '../shared/lambda/database';
import { checkDataLoad } from './check';
import { sqlFreshnessStore } from './freshness-store';

const runtime = createDatabaseRuntime('check-data-load');

/** Kept back from the invocation's end to answer (a 503 naming the error) rather than time out. */
const ANSWER_MARGIN_MS = 2_000;

/**
 * API Gateway (REST, proxy integration) `GET /check?instance=&feed=`: 200 fresh, 503 stale, 400 bad query.
 * A paused database (minimum capacity 0) answers DatabaseResumingException until it has resumed (up to
 * about 15 s): the reads retry until just before the invocation ends, which the function's timeout (28 s,
 * under API Gateway's 29-s integration limit) leaves room for.
 */
export const handler = async (
  event: Pick<APIGatewayProxyEvent, 'queryStringParameters'>,
  context?: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<APIGatewayProxyResult> => {
  const remaining = context?.getRemainingTimeInMillis() ?? CHECK_FUNCTION.timeoutSeconds * 1000;
  const deps = {
    config: runtime.env.config,
    store: sqlFreshnessStore(runtime.db.until(Date.now() + remaining - ANSWER_MARGIN_MS)),
    now: () => new Date(),
    log: runtime.log,
  };
  const { statusCode, body } = await checkDataLoad(event.queryStringParameters, deps);
  runtime.log.info('data-load check', { statusCode, status: body.status });
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    body: JSON.stringify(body),
  };
};
