import { paginateGetCurrentUserData, paginateListRoutingProfiles } from '@aws-sdk/client-connect';
import * as z from 'zod';
import type { SkippedRecord } from '../shared/collector/contract';
import type { ConnectGateway } from '../shared/connect/gateway';
import type { AgentState, CurrentUsersConnect } from './ports';

/** The most routing profiles one GetCurrentUserData request may filter on. */
const ROUTING_PROFILES_PER_REQUEST = 100;
/** The largest page GetCurrentUserData returns. */
const USERS_PER_PAGE = 100;
const LIST_PAGE_SIZE = 1000;

const Reference = z.object({ Id: z.string().nullish(), Arn: z.string().nullish() }).nullish();
const SlotMap = z.record(z.string(), z.number().nullish()).nullish();

const UserDataSchema = z.object({
  User: z.object({ Id: z.string().min(1), Arn: z.string().nullish() }),
  RoutingProfile: Reference,
  HierarchyPath: z.record(z.string(), Reference).nullish(),
  Status: z
    .object({
      StatusStartTimestamp: z.date().nullish(),
      StatusArn: z.string().nullish(),
      StatusName: z.string().nullish(),
    })
    .nullish(),
  AvailableSlotsByChannel: SlotMap,
  MaxSlotsByChannel: SlotMap,
  ActiveSlotsByChannel: SlotMap,
  Contacts: z
    .array(
      z.object({
        ContactId: z.string().nullish(),
        Channel: z.string().nullish(),
        InitiationMethod: z.string().nullish(),
        AgentContactState: z.string().nullish(),
        StateStartTimestamp: z.date().nullish(),
        ConnectedToAgentTimestamp: z.date().nullish(),
        Queue: Reference,
      }),
    )
    .nullish(),
  NextStatus: z.string().nullish(),
});
type UserData = z.infer<typeof UserDataSchema>;

/** Stands for a page whose UserDataList is not a list: its agents cannot be known. */
const UNREADABLE_PAGE = Symbol('unreadable page');

const UserIdOnly = z.object({ User: z.object({ Id: z.string().min(1) }) });
const IdOnly = z.object({ Id: z.string().min(1) });

function issuesOf(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`).join('; ');
}

/** `LevelOne` to `level_one`. */
function snakeCase(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

function sum(map: Record<string, number | null | undefined> | null | undefined): number | null {
  if (!map) return null;
  const values = Object.values(map).filter((v): v is number => typeof v === 'number');
  return values.length > 0 ? values.reduce((a, b) => a + b, 0) : null;
}

/** Maps a validated UserData record to the stored agent state. */
function toAgentState(data: UserData): AgentState {
  const { AvailableSlotsByChannel: available, ActiveSlotsByChannel: active, MaxSlotsByChannel: max } = data;
  const channels = [
    ...new Set([...Object.keys(available ?? {}), ...Object.keys(active ?? {}), ...Object.keys(max ?? {})]),
  ].sort();
  const slotsByChannel =
    channels.length > 0
      ? Object.fromEntries(
          channels.map((ch) => [
            ch,
            { available: available?.[ch] ?? null, active: active?.[ch] ?? null, max: max?.[ch] ?? null },
          ]),
        )
      : null;
  const levels = Object.entries(data.HierarchyPath ?? {}).filter(([, ref]) => ref?.Id || ref?.Arn);
  return {
    agentId: data.User.Id,
    routingProfileId: data.RoutingProfile?.Id ?? null,
    statusArn: data.Status?.StatusArn ?? null,
    statusName: data.Status?.StatusName ?? null,
    statusStartedAt: data.Status?.StatusStartTimestamp ?? null,
    nextStatusName: data.NextStatus ?? null,
    slotsByChannel,
    availableSlots: sum(available),
    activeSlots: sum(active),
    maxSlots: sum(max),
    contacts: (data.Contacts ?? []).map((c) => ({
      contact_id: c.ContactId ?? null,
      channel: c.Channel ?? null,
      initiation_method: c.InitiationMethod ?? null,
      agent_contact_state: c.AgentContactState ?? null,
      state_started_at: c.StateStartTimestamp?.toISOString() ?? null,
      connected_to_agent_at: c.ConnectedToAgentTimestamp?.toISOString() ?? null,
      queue_id: c.Queue?.Id ?? null,
    })),
    hierarchyPath:
      levels.length > 0
        ? Object.fromEntries(
            levels.map(([k, ref]) => [snakeCase(k), { id: ref?.Id ?? null, arn: ref?.Arn ?? null }]),
          )
        : null,
  };
}

/**
 * Reads current user data through the run's gateway, filtered by routing profile: every agent has
 * exactly one routing profile, so each agent is in exactly one batch and the calls are
 * sum(ceil(agents in batch / 100)) for ceil(profiles / 100) batches, the fewest the API allows.
 * (Filtering by queue would return an agent once per batch holding any of its profile's queues, and
 * miss agents whose queues are all AGENT queues.) Results are still de-duplicated by user id, since a
 * page boundary can move between calls.
 */
export function connectCurrentUsersSource(connect: ConnectGateway, instanceId: string): CurrentUsersConnect {
  return {
    async listRoutingProfileIds() {
      const ids = new Set<string>();
      const pages = connect.paginate(paginateListRoutingProfiles, { InstanceId: instanceId }, LIST_PAGE_SIZE);
      for await (const page of pages) {
        for (const summary of page.RoutingProfileSummaryList ?? []) {
          const parsed = IdOnly.safeParse(summary);
          if (parsed.success) ids.add(parsed.data.Id);
        }
      }
      return [...ids];
    },

    async read(routingProfileIds) {
      const batches: string[][] = [];
      for (let i = 0; i < routingProfileIds.length; i += ROUTING_PROFILES_PER_REQUEST) {
        batches.push(routingProfileIds.slice(i, i + ROUTING_PROFILES_PER_REQUEST));
      }
      const recordsByBatch = await Promise.all(
        batches.map(async (profiles) => {
          const records: unknown[] = [];
          const pages = connect.paginate(
            paginateGetCurrentUserData,
            { InstanceId: instanceId, Filters: { RoutingProfiles: profiles } },
            USERS_PER_PAGE,
          );
          for await (const page of pages) {
            const list: unknown = page.UserDataList;
            if (Array.isArray(list)) records.push(...list);
            else if (list !== undefined && list !== null) records.push(UNREADABLE_PAGE);
          }
          return records;
        }),
      );
      const agents: AgentState[] = [];
      const present = new Set<string>();
      const kept = new Set<string>();
      const skipped: SkippedRecord[] = [];
      let someAgentsUnidentified = false;
      recordsByBatch.forEach((records, b) => {
        records.forEach((record, r) => {
          if (record === UNREADABLE_PAGE) {
            someAgentsUnidentified = true;
            skipped.push({ record: `batch ${b} page`, reason: 'UserDataList is not a list' });
            return;
          }
          const parsed = UserDataSchema.safeParse(record);
          if (!parsed.success) {
            const named = UserIdOnly.safeParse(record);
            if (named.success) present.add(named.data.User.Id);
            else someAgentsUnidentified = true;
            skipped.push({
              record: `batch ${b} UserDataList[${r}]${named.success ? ` (user ${named.data.User.Id})` : ''}`,
              reason: issuesOf(parsed.error),
            });
            return;
          }
          const agentId = parsed.data.User.Id;
          present.add(agentId);
          if (kept.has(agentId)) return;
          kept.add(agentId);
          agents.push(toAgentState(parsed.data));
        });
      });
      return {
        agents,
        presentAgentIds: [...present],
        someAgentsUnidentified,
        skipped,
        batches: batches.length,
      };
    },
  };
}
