import { isUnknownResourceError } from '../current-metrics/collect-current-metrics';
import type { CollectorContext, RunResult } from '../shared/collector/run';
import type { SqlExecutor } from '../shared/db/executor';
import {
  type CurrentUsersSource,
  connectCurrentUsersSource,
  type UsersSnapshot,
} from './current-users-source';
import { activeRoutingProfileIds, writeAgentSnapshot, writeStatusIntervals } from './current-users-store';

/** What the current-users logic needs besides the run context. */
export interface CurrentUsersDeps {
  readonly source: CurrentUsersSource;
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
 * profiles, and writes them in one transaction: one `agent_realtime_snapshot` statement (a row per
 * agent), one `agent_status_interval` statement (the status timeline), then the run row.
 *
 * Routing profiles come from the `routing_profile` table (not deleted); when it has none for the
 * instance (metadata has not run yet) they are listed with ListRoutingProfiles.
 */
export async function collectCurrentUsers(
  context: CollectorContext,
  deps: CurrentUsersDeps,
): Promise<RunResult> {
  const instanceId = context.instance.instanceId;
  let profileIds = await activeRoutingProfileIds(context.db, instanceId);
  let profileSource = profileIds.length > 0 ? 'routing_profile table' : 'ListRoutingProfiles';
  if (profileIds.length === 0) profileIds = await deps.source.listRoutingProfileIds();

  const read = (ids: readonly string[]) =>
    ids.length > 0 ? deps.source.read(ids) : Promise.resolve(NO_USERS);
  let snapshot: UsersSnapshot;
  try {
    snapshot = await read(profileIds);
  } catch (error) {
    if (profileSource !== 'routing_profile table' || !isUnknownResourceError(error)) throw error;
    // A routing profile deleted since metadata last ran: list them as they are now, try once more.
    context.log.warn('Connect refused a routing profile from the table: listing routing profiles again', {
      instanceId,
      error: error instanceof Error ? error.name : String(error),
    });
    profileIds = await deps.source.listRoutingProfileIds();
    profileSource = 'ListRoutingProfiles after an unknown routing profile';
    snapshot = await read(profileIds);
  }
  const snapshotTime = userSnapshotTime(context.startedAt);
  // With no routing profile to ask about, nobody can be shown present, so nobody is closed either.
  const closeAbsent = profileIds.length > 0 && !snapshot.someAgentsUnidentified;
  if (!closeAbsent && profileIds.length > 0) {
    context.log.warn('a skipped record named no user: absent agents keep their open intervals this run', {
      instanceId,
    });
  }

  return context.db.transaction(async (tx: SqlExecutor) => {
    const snapshotRows = await writeAgentSnapshot(
      tx,
      instanceId,
      snapshotTime,
      snapshot.agents,
      context.now(),
    );
    const intervalRows = await writeStatusIntervals(tx, instanceId, {
      snapshotTime,
      agents: snapshot.agents,
      presentAgentIds: snapshot.presentAgentIds,
      closeAbsent,
    });
    const result: RunResult = {
      rowsWritten: snapshotRows + intervalRows,
      dataTime: snapshotTime,
      skipped: snapshot.skipped,
      details: {
        routingProfiles: profileIds.length,
        routingProfileSource: profileSource,
        batches: snapshot.batches,
        agents: snapshot.agents.length,
        snapshotRows,
        intervalRows,
        closedAbsent: closeAbsent,
      },
    };
    await context.recordRun(tx, result);
    return result;
  });
}

/** The current-users collector as the runner calls it: Connect through the run's gateway. */
export function currentUsersCollector(context: CollectorContext): Promise<RunResult> {
  return collectCurrentUsers(context, {
    source: connectCurrentUsersSource(context.connect, context.instance.instanceId),
  });
}
