import type { RunContext, RunResult } from '../shared/collector/contract';
import { isUnknownResourceError } from '../shared/connect/gateway';
import type { SqlExecutor } from '../shared/db/executor';
import type { CurrentUsersPorts, UsersSnapshot } from './ports';

/** What a run fetched: the routing profiles it asked about, where their ids came from, and the agents. */
export interface FetchedCurrentUsers {
  readonly profileIds: readonly string[];
  readonly profileSource: string;
  readonly snapshot: UsersSnapshot;
  readonly snapshotTime: Date;
  /** Whether agents missing from the answer may have their open intervals closed. */
  readonly closeAbsent: boolean;
}

/**
 * GetCurrentUserData has no DataSnapshotTime (the SDK model has none), so a run's snapshot time is
 * its start, truncated to the second.
 */
export function userSnapshotTime(startedAt: Date): Date {
  return new Date(Math.floor(startedAt.getTime() / 1000) * 1000);
}

const NO_USERS: UsersSnapshot = {
  agents: [],
  presentAgentIds: [],
  someAgentsUnidentified: false,
  skipped: [],
  batches: 0,
};

/**
 * Reads every agent Connect reports (logged in, or still holding contacts) through all the routing
 * profiles. Routing profiles come from the `routing_profile` table (not deleted); when it has none for
 * the instance (metadata has not run yet) they are listed with ListRoutingProfiles, and when Connect
 * refuses one the table still holds they are listed again, once.
 */
export async function fetchCurrentUsers(
  run: RunContext,
  db: SqlExecutor,
  ports: CurrentUsersPorts,
): Promise<FetchedCurrentUsers> {
  const instanceId = run.instance.instanceId;
  let profileIds = await ports.store.activeRoutingProfileIds(db, instanceId);
  let profileSource = profileIds.length > 0 ? 'routing_profile table' : 'ListRoutingProfiles';
  if (profileIds.length === 0) profileIds = await ports.connect.listRoutingProfileIds();

  const read = (ids: readonly string[]) =>
    ids.length > 0 ? ports.connect.read(ids) : Promise.resolve(NO_USERS);
  let snapshot: UsersSnapshot;
  try {
    snapshot = await read(profileIds);
  } catch (error) {
    if (profileSource !== 'routing_profile table' || !isUnknownResourceError(error)) throw error;
    run.log.warn('Connect refused a routing profile from the table: listing routing profiles again', {
      instanceId,
      error: error instanceof Error ? error.name : String(error),
    });
    profileIds = await ports.connect.listRoutingProfileIds();
    profileSource = 'ListRoutingProfiles after an unknown routing profile';
    snapshot = await read(profileIds);
  }
  // With no routing profile to ask about, nobody can be shown present, so nobody is closed either.
  const closeAbsent = profileIds.length > 0 && !snapshot.someAgentsUnidentified;
  if (!closeAbsent && profileIds.length > 0) {
    run.log.warn('a skipped record named no user: absent agents keep their open intervals this run', {
      instanceId,
    });
  }
  return { profileIds, profileSource, snapshot, snapshotTime: userSnapshotTime(run.startedAt), closeAbsent };
}

/**
 * Writes the snapshot: one `agent_realtime_snapshot` statement (a row per agent) and one
 * `agent_status_interval` statement (the status timeline).
 */
export async function writeCurrentUsers(
  tx: SqlExecutor,
  fetched: FetchedCurrentUsers,
  run: RunContext,
  ports: CurrentUsersPorts,
): Promise<RunResult> {
  const { snapshot, snapshotTime } = fetched;
  const instanceId = run.instance.instanceId;
  const snapshotRows = await ports.store.writeAgentSnapshot(
    tx,
    instanceId,
    snapshotTime,
    snapshot.agents,
    run.now(),
  );
  const intervalRows = await ports.store.writeStatusIntervals(tx, instanceId, {
    snapshotTime,
    agents: snapshot.agents,
    presentAgentIds: snapshot.presentAgentIds,
    closeAbsent: fetched.closeAbsent,
  });
  return {
    rowsWritten: snapshotRows + intervalRows,
    dataTime: snapshotTime,
    skipped: snapshot.skipped,
    details: {
      routingProfiles: fetched.profileIds.length,
      routingProfileSource: fetched.profileSource,
      batches: snapshot.batches,
      agents: snapshot.agents.length,
      snapshotRows,
      intervalRows,
      closedAbsent: fetched.closeAbsent,
    },
  };
}
