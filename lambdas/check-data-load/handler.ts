import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { createDatabaseRuntime } from '../shared/lambda/database';
import { checkDataLoad } from './check';
import { sqlFreshnessStore } from './freshness-store';

const runtime = createDatabaseRuntime('check-data-load');
const deps = {
  config: runtime.env.config,
  store: sqlFreshnessStore(runtime.db),
  now: () => new Date(),
  log: runtime.log,
};

/** API Gateway (REST, proxy integration) `GET /check?instance=&feed=`: 200 fresh, 503 stale, 400 bad query. */
export const handler = async (
  event: Pick<APIGatewayProxyEvent, 'queryStringParameters'>,
): Promise<APIGatewayProxyResult> => {
  const { statusCode, body } = await checkDataLoad(event.queryStringParameters, deps);
  runtime.log.info('data-load check', { statusCode, status: body.status });
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    body: JSON.stringify(body),
  };
};
