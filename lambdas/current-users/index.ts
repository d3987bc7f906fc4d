import type { Collector } from '../shared/collector/contract';
import { type FetchedCurrentUsers, fetchCurrentUsers, writeCurrentUsers } from './collector';
import { connectCurrentUsersSource } from './connect-source';
import type { CurrentUsersPorts } from './ports';
import { sqlCurrentUsersStore } from './store';

/** The current-users collector, wired to Connect through the run's gateway and to its SQL. */
export const currentUsers: Collector<CurrentUsersPorts, FetchedCurrentUsers> = {
  feed: 'current_users',
  ports: ({ connect, run }) => ({
    connect: connectCurrentUsersSource(connect, run.instance.instanceId),
    store: sqlCurrentUsersStore,
  }),
  fetch: fetchCurrentUsers,
  write: writeCurrentUsers,
};
