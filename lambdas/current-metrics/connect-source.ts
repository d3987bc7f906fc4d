import { paginateGetCurrentMetricData, paginateListQueues } from '@aws-sdk/client-connect';
import * as z from 'zod';
import type { SkippedRecord } from '../shared/collector/contract';
import type { ConnectGateway } from '../shared/connect/gateway';
import {
  CURRENT_METRICS,
  type CurrentMetricName,
  currentMetric,
  emptyMetricValues,
  normalizeMetricValue,
  REALTIME_CHANNELS,
} from './definitions';
import type { CurrentMetricsConnect, QueueChannelMetrics } from './ports';

/** The most queues one GetCurrentMetricData request may filter on. */
const QUEUES_PER_REQUEST = 100;
/** The largest page GetCurrentMetricData returns. */
const RESULTS_PER_PAGE = 100;
const LIST_PAGE_SIZE = 1000;

const PageSchema = z.object({
  MetricResults: z.array(z.unknown()).nullish(),
  DataSnapshotTime: z.date().nullish(),
});

const CollectionSchema = z.object({
  Metric: z.object({ Name: z.string().min(1), Unit: z.string().nullish() }),
  Value: z.number().nullish(),
});

const ResultSchema = z.object({
  Dimensions: z.object({
    Queue: z.object({ Id: z.string().min(1), Arn: z.string().nullish() }),
    Channel: z.enum(REALTIME_CHANNELS),
  }),
  Collections: z.array(z.unknown()).nullish(),
});

const QueueSummarySchema = z.object({ Id: z.string().min(1) });

function issuesOf(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`).join('; ');
}

/** Splits ids into consecutive batches of at most `size`. */
export function batchesOf<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}

/**
 * Turns one MetricResult into stored values. A metric name this collector does not know is left out
 * (and reported); any other defect skips the whole result, since storing the rest with a hole would
 * turn "malformed" into "no value".
 */
function parseMetricResult(
  record: unknown,
  label: string,
  grouped: boolean,
  skipped: SkippedRecord[],
): QueueChannelMetrics | null {
  const parsed = ResultSchema.safeParse(record);
  if (!parsed.success) {
    skipped.push({ record: label, reason: issuesOf(parsed.error) });
    return null;
  }
  const { Queue, Channel } = parsed.data.Dimensions;
  const where = `${label} (queue ${Queue.Id}, ${Channel})`;
  const values = emptyMetricValues();
  const collections = parsed.data.Collections ?? [];
  for (const [index, entry] of collections.entries()) {
    const collection = CollectionSchema.safeParse(entry);
    if (!collection.success) {
      skipped.push({ record: where, reason: `Collections[${index}]: ${issuesOf(collection.error)}` });
      return null;
    }
    const metric = currentMetric(collection.data.Metric.Name);
    if (!metric) {
      skipped.push({
        record: `${where} Collections[${index}]`,
        reason: `unknown metric ${collection.data.Metric.Name}; the other metrics of the record were kept`,
      });
      continue;
    }
    values[metric.name as CurrentMetricName] = normalizeMetricValue(metric, collection.data.Value, grouped);
  }
  return { queueId: Queue.Id, channel: Channel, values };
}

/**
 * Reads current metrics through the run's gateway: the queues in filter batches of 100 with every
 * channel, grouped by QUEUE and CHANNEL, 100 results a page, every page. That is the fewest calls the
 * API allows: one per page, ceil(queues / 100) batches, ceil(queues x channels / 100) pages in all
 * when every queue reports every channel. Batches run concurrently; the gateway's rate limiter keeps
 * them within the account's budget.
 */
export function connectCurrentMetricsSource(
  connect: ConnectGateway,
  instanceId: string,
): CurrentMetricsConnect {
  return {
    async listStandardQueueIds() {
      const ids: string[] = [];
      const seen = new Set<string>();
      const pages = connect.paginate(
        paginateListQueues,
        { InstanceId: instanceId, QueueTypes: ['STANDARD'] },
        LIST_PAGE_SIZE,
      );
      for await (const page of pages) {
        for (const summary of page.QueueSummaryList ?? []) {
          const parsed = QueueSummarySchema.safeParse(summary);
          if (parsed.success && !seen.has(parsed.data.Id)) {
            seen.add(parsed.data.Id);
            ids.push(parsed.data.Id);
          }
        }
      }
      return ids;
    },

    async read(queueIds) {
      const batches = batchesOf(queueIds, QUEUES_PER_REQUEST);
      const pagesByBatch = await Promise.all(
        batches.map(async (queues) => {
          const pages: unknown[] = [];
          const iterator = connect.paginate(
            paginateGetCurrentMetricData,
            {
              InstanceId: instanceId,
              Filters: { Queues: queues, Channels: [...REALTIME_CHANNELS] },
              Groupings: ['QUEUE', 'CHANNEL'],
              CurrentMetrics: CURRENT_METRICS.map((m) => ({ Name: m.name, Unit: m.unit })),
            },
            RESULTS_PER_PAGE,
          );
          for await (const page of iterator) pages.push(page);
          return pages;
        }),
      );
      const skipped: SkippedRecord[] = [];
      const rows: QueueChannelMetrics[] = [];
      const seen = new Set<string>();
      let snapshotTime: Date | null = null;
      pagesByBatch.forEach((pages, b) => {
        pages.forEach((raw, p) => {
          const page = PageSchema.safeParse(raw);
          if (!page.success) {
            skipped.push({ record: `batch ${b} page ${p}`, reason: issuesOf(page.error) });
            return;
          }
          snapshotTime ??= page.data.DataSnapshotTime ?? null;
          (page.data.MetricResults ?? []).forEach((record, r) => {
            const row = parseMetricResult(record, `batch ${b} page ${p} MetricResults[${r}]`, true, skipped);
            if (!row) return;
            const key = `${row.queueId}\u0000${row.channel}`;
            if (seen.has(key)) return; // a page boundary that moved between calls can repeat a result
            seen.add(key);
            rows.push(row);
          });
        });
      });
      return { snapshotTime, rows, skipped, batches: batches.length };
    },
  };
}

/**
 * The poll gate's activity probe (poll-gate.ts): GetCurrentMetricData for the instance's STANDARD queues,
 * as a run reads them; active when any queue has a contact in queue or an agent online on any channel.
 * An answer that could not be read counts as active, so the run that follows records the problem.
 */
export function currentActivityProbe(
  connect: ConnectGateway,
  instanceId: string,
  queueIds: readonly string[],
): Promise<boolean> {
  if (queueIds.length === 0) return Promise.resolve(false);
  return connectCurrentMetricsSource(connect, instanceId)
    .read(queueIds)
    .then(
      (snapshot) =>
        snapshot.skipped.length > 0 ||
        snapshot.rows.some((r) => (r.values.AGENTS_ONLINE ?? 0) > 0 || (r.values.CONTACTS_IN_QUEUE ?? 0) > 0),
    );
}
