import type { Context } from 'aws-lambda';
import { createLambdaRuntime, invokeCollector } from '../shared/lambda/runtime';
import { currentUsersCollector } from './collect-current-users';

const runtime = createLambdaRuntime('current-users');

/** Polling-loop tick (every cadences.realtimeSeconds): every agent's state and the status timeline. */
export const handler = (_event: unknown, context: Context) =>
  invokeCollector(runtime, 'current_users', currentUsersCollector, context);
