import {
  paginateListAgentStatuses,
  paginateListQueues,
  paginateListRoutingProfiles,
  paginateListUsers,
} from '@aws-sdk/client-connect';
import * as z from 'zod';
import type { SkippedRecord } from '../shared/collector/contract';
import { type ConnectGateway, collectPages } from '../shared/connect/gateway';
import { readHours } from './hours-source';
import type { DimensionItem, MetadataConnect } from './ports';

/** Largest page the List APIs allow. */
const PAGE_SIZE = 1000;

const Summary = z.object({
  Id: z.string().min(1),
  Arn: z.string().min(1).nullish(),
  Name: z.string().nullish(),
  Username: z.string().nullish(),
  QueueType: z.string().nullish(),
  Type: z.string().nullish(),
  LastModifiedTime: z.date().nullish(),
});

/** The ARN path segment of each kind, for summaries that come without their Arn. */
const ARN_SEGMENT = {
  queue: 'queue',
  routingProfile: 'routing-profile',
  agentStatus: 'agent-state',
  user: 'agent',
} as const;

function toItems(
  kind: keyof typeof ARN_SEGMENT,
  instanceArn: string,
  records: readonly unknown[],
  skipped: SkippedRecord[],
): DimensionItem[] {
  const items: DimensionItem[] = [];
  const seen = new Set<string>();
  records.forEach((record, index) => {
    const parsed = Summary.safeParse(record);
    if (!parsed.success) {
      skipped.push({
        record: `${kind}[${index}]`,
        reason: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      });
      return;
    }
    const r = parsed.data;
    if (seen.has(r.Id)) return; // a page boundary that moved between calls can repeat an item
    seen.add(r.Id);
    items.push({
      id: r.Id,
      // Arn is optional in the API model; Connect's ARNs are the instance ARN plus /<kind>/<id>.
      arn: r.Arn ?? `${instanceArn}/${ARN_SEGMENT[kind]}/${r.Id}`,
      name: r.Name ?? r.Username ?? null,
      type: r.QueueType ?? r.Type ?? null,
      lastModifiedAt: r.LastModifiedTime ?? null,
    });
  });
  return items;
}

/** Reads an instance's metadata through the SDK paginators, 1,000 items a page, to the last page. */
export function connectMetadataSource(
  connect: ConnectGateway,
  instanceId: string,
  instanceArn: string,
): MetadataConnect {
  return {
    async read(nowMs) {
      const [queues, routingProfiles, agentStatuses, agents] = await Promise.all([
        collectPages(
          connect.paginate(
            paginateListQueues,
            { InstanceId: instanceId, QueueTypes: ['STANDARD', 'AGENT'] },
            PAGE_SIZE,
          ),
          (p) => p.QueueSummaryList,
        ),
        collectPages(
          connect.paginate(paginateListRoutingProfiles, { InstanceId: instanceId }, PAGE_SIZE),
          (p) => p.RoutingProfileSummaryList,
        ),
        collectPages(
          connect.paginate(paginateListAgentStatuses, { InstanceId: instanceId }, PAGE_SIZE),
          (p) => p.AgentStatusSummaryList,
        ),
        collectPages(
          connect.paginate(paginateListUsers, { InstanceId: instanceId }, PAGE_SIZE),
          (p) => p.UserSummaryList,
        ),
      ]);
      const skipped: SkippedRecord[] = [];
      const { hours, queueHours } = await readHours(connect, instanceId, instanceArn, nowMs, skipped);
      // Each STANDARD queue's hours go into its own row, in the queue table's one statement.
      const hoursOf = new Map(queueHours.map((q) => [q.queueId, q.hoursId]));
      return {
        hours,
        queues: toItems('queue', instanceArn, queues, skipped).map((q) => ({
          ...q,
          hoursId: hoursOf.get(q.id) ?? null,
        })),
        routingProfiles: toItems('routingProfile', instanceArn, routingProfiles, skipped),
        agentStatuses: toItems('agentStatus', instanceArn, agentStatuses, skipped),
        agents: toItems('user', instanceArn, agents, skipped),
        skipped,
      };
    },
  };
}
