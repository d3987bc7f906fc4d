import * as z from 'zod';

/**
 * The collectors' runtime configuration: which Connect instances to read, with what API budget and
 * cadence. The deploy-time config (`lib/config.ts`) embeds this schema, the CDK app passes the
 * validated object to every function in its bundle (`pipeline-config.json`), and the local runner reads the same file:
 * one source of truth for the deployed and the local pipeline.
 */

/** The Connect APIs the collectors call, named as the SDK commands are (without `Command`). */
const CONNECT_APIS = [
  'GetCurrentMetricData',
  'GetCurrentUserData',
  'GetMetricData',
  'GetMetricDataV2',
  'ListQueues',
  'ListRoutingProfiles',
  'ListAgentStatuses',
  'ListUsers',
  'ListHoursOfOperations',
  'DescribeHoursOfOperation',
  'ListHoursOfOperationOverrides',
  'GetEffectiveHoursOfOperations',
  'SearchQueues',
] as const;
export type ConnectApi = (typeof CONNECT_APIS)[number];

/** A token bucket: sustained requests a second and burst. */
const ApiQuotaSchema = z.strictObject({
  rate: z.number().positive(),
  burst: z.number().int().positive(),
});
export type ApiQuota = z.infer<typeof ApiQuotaSchema>;

/**
 * Connect's default per-account, per-Region quotas (docs/connect-api.md, with AWS's source). List
 * APIs use the older accounts' 2/s (5) because it is the safe figure; raise them in config where the
 * account has 10.
 */
export const DEFAULT_API_QUOTAS: Readonly<Record<ConnectApi, ApiQuota>> = {
  GetCurrentMetricData: { rate: 5, burst: 8 },
  GetCurrentUserData: { rate: 2, burst: 2 },
  GetMetricData: { rate: 5, burst: 8 },
  GetMetricDataV2: { rate: 10, burst: 10 },
  ListQueues: { rate: 2, burst: 5 },
  ListRoutingProfiles: { rate: 2, burst: 5 },
  ListAgentStatuses: { rate: 2, burst: 5 },
  ListUsers: { rate: 2, burst: 5 },
  // Not listed with their own figures: the documented default for every other operation.
  ListHoursOfOperations: { rate: 2, burst: 5 },
  DescribeHoursOfOperation: { rate: 2, burst: 5 },
  ListHoursOfOperationOverrides: { rate: 2, burst: 5 },
  GetEffectiveHoursOfOperations: { rate: 2, burst: 5 },
  SearchQueues: { rate: 2, burst: 5 },
};

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const INSTANCE_ARN = /^arn:aws[a-z-]*:connect:([a-z0-9-]+):(\d{12}):instance\/([0-9a-f-]{36})$/;
/** A Secrets Manager secret ARN (a push target's). */
export const SecretArnSchema = z
  .string()
  .regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$/, {
    message: 'expected arn:aws:secretsmanager:<region>:<account>:secret:<name>',
  });
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role(\/(?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,64})$/;

/** A role the collectors assume, its ARN read once here into the parts the stacks need. */
export interface RoleRef {
  readonly arn: string;
  readonly account: string;
  /** IAM path, `/` or `/a/b/`. */
  readonly path: string;
  readonly name: string;
}

/**
 * One Connect instance to collect from. Its ARNs are parsed here, once: the output carries the
 * instance's `account` and, with a `roleArn`, its `role` (account, path, name).
 */
export const InstanceConfigSchema = z
  .strictObject({
    /** Connect instance id (a UUID). */
    instanceId: z.uuid({ message: 'expected a Connect instance id (a UUID)' }),
    /** Connect instance ARN: arn:aws:connect:<region>:<account>:instance/<instanceId>. */
    instanceArn: z.string().regex(INSTANCE_ARN, {
      message: 'expected arn:aws:connect:<region>:<12-digit account>:instance/<instance id>',
    }),
    /** Region the instance lives in, e.g. us-east-1. */
    region: z.string().regex(REGION, { message: 'expected an AWS Region such as us-east-1' }),
    /** Name of the client (business unit) this instance serves; shown in exports and BI. */
    clientName: z.string().min(1).max(128),
    /** Environment label such as prod or test. */
    environment: z.string().min(1).max(32),
    /** Role in the instance's account to assume through STS; omit for the pipeline's own account. */
    roleArn: z
      .string()
      .regex(ROLE_ARN, { message: 'expected arn:aws:iam::<12-digit account>:role/<optional path/><name>' })
      .optional(),
    /** Connect endpoint override (the simulator, or another Connect-compatible endpoint). */
    endpoint: z.url().optional(),
    /**
     * This instance's own push target (a secret `{"url": "https://..."}`), for a client whose rows go
     * to its own endpoint; without it, the deployment's `pushTargetSecretArn`, if any.
     */
    pushTargetSecretArn: SecretArnSchema.optional(),
  })
  .superRefine((instance, ctx) => {
    const match = INSTANCE_ARN.exec(instance.instanceArn);
    if (!match) return;
    if (match[3] !== instance.instanceId) {
      ctx.addIssue({
        code: 'custom',
        path: ['instanceArn'],
        message: `instance ARN names instance ${match[3]} but instanceId is ${instance.instanceId}`,
      });
    }
    if (match[1] !== instance.region) {
      ctx.addIssue({
        code: 'custom',
        path: ['instanceArn'],
        message: `instance ARN is in Region ${match[1]} but region is ${instance.region}`,
      });
    }
  })
  .transform((instance) => {
    const account = INSTANCE_ARN.exec(instance.instanceArn)?.[2] ?? '';
    const parts = instance.roleArn ? ROLE_ARN.exec(instance.roleArn) : null;
    const role: RoleRef | undefined =
      parts && instance.roleArn
        ? { arn: instance.roleArn, account: parts[1] ?? '', path: parts[2] ?? '/', name: parts[3] ?? '' }
        : undefined;
    return { ...instance, account, role };
  });
export type InstanceConfig = z.infer<typeof InstanceConfigSchema>;
export type InstanceConfigInput = z.input<typeof InstanceConfigSchema>;

/** The fields a config file gives for an instance (without what parsing derived), as JSON carries them. */
export function instanceInput(instance: InstanceConfig): InstanceConfigInput {
  const { account: _account, role: _role, ...input } = instance;
  return input;
}

/** Historical cadences in minutes: multiples of 5 (the interval) that divide an hour. */
const HISTORICAL_CADENCES = [5, 10, 15, 20, 30, 60];
/** Metadata cadences in minutes: divisors of an hour, then whole hours that divide a day. */
const METADATA_CADENCES = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60, 120, 180, 240, 360, 480, 720, 1440];

/** How often each feed runs, in seconds. */
export const CadencesSchema = z.strictObject({
  /** Current metrics and current users: the state machine ticks every this many seconds (divides 60). */
  realtimeSeconds: z
    .number()
    .int()
    .refine((s) => s >= 5 && s <= 60 && 60 % s === 0, { message: 'expected a divisor of 60 from 5 to 60' })
    .default(10),
  /**
   * Historical metrics, in minutes: 5, 10, 15, 20, 30 or 60, so runs fall on the same minutes of
   * every hour deployed (an EventBridge cron) and locally (intervals are 5 minutes long).
   */
  historicalMinutes: z
    .number()
    .int()
    .refine((m) => HISTORICAL_CADENCES.includes(m), {
      message: `expected one of ${HISTORICAL_CADENCES.join(', ')} (a multiple of 5 dividing an hour)`,
    })
    .default(5),
  /**
   * Metadata (queues, routing profiles, statuses, users), in minutes: a divisor of 60, or whole hours
   * dividing a day, so the runs fall on a grid a cron can express (a rate would drift from it).
   */
  metadataMinutes: z
    .number()
    .int()
    .refine((m) => METADATA_CADENCES.includes(m), {
      message: `expected one of ${METADATA_CADENCES.join(', ')} (a divisor of 60, or whole hours dividing 24)`,
    })
    .default(15),
});
export type Cadences = z.infer<typeof CadencesSchema>;

/**
 * The collectors' runtime configuration. Every object in it is strict: a misspelt key anywhere
 * (`cadences.realtimeSecs`, `instances.0.rolearn`) is an error with its path, never silently dropped.
 */
export const RuntimeConfigSchema = z.strictObject({
  instances: z.array(InstanceConfigSchema).min(1, { message: 'expected at least one Connect instance' }),
  cadences: CadencesSchema.default({ realtimeSeconds: 10, historicalMinutes: 5, metadataMinutes: 15 }),
  /** Share of each account quota the pipeline may use (the rest is left to other callers). */
  apiQuotaShare: z.number().gt(0).max(1).default(0.8),
  /** Per-API quota overrides for the account, where it differs from Connect's defaults. */
  apiQuotas: z.partialRecord(z.enum(CONNECT_APIS), ApiQuotaSchema).default({}),
  /** SERVICE_LEVEL thresholds to collect (seconds). */
  serviceLevelThresholdsSeconds: z
    .array(z.number().int().min(1).max(604800))
    .min(1)
    .max(10)
    .default([20, 60]),
  /** How far back the first historical run reaches, in hours (v1 serves 24 h, v2 3 months). */
  historicalBackfillHours: z.number().int().min(1).max(2160).default(24),
  /**
   * Ages, in hours after an interval ended, at which the historical collector reads it again: Connect
   * books a contact in its disconnect interval only once its after-contact work ends, hours later at
   * times. Each interval is read once per age (GetMetricData only within its 24 hours).
   */
  historicalRestateHours: z.array(z.number().int().min(1).max(72)).max(6).default([1, 6, 24]),
  /**
   * Once a day has had its last re-read, its stored totals are compared with Connect's own figures for
   * the day; a figure farther off than this percent of Connect's (or 0.01) counts as a difference.
   */
  reconciliationTolerancePercent: z.number().min(0).max(100).default(0.5),
  /** A feed is stale when it has had no successful run for this many cadences. */
  staleAfterCadences: z.number().int().min(1).max(100).default(3),
  /** Raw real-time snapshots older than this many days are rolled up and deleted. */
  retentionDays: z.number().int().min(1).max(3650).default(35),
  /** How the instances are spread over collector invocations (fleet.ts). */
  fleet: z
    .strictObject({
      /**
       * Most instances one collector invocation runs. An account and Region's instances run together
       * (one role, one quota); more than this many are split into even groups.
       */
      instancesPerInvocation: z.number().int().min(1).max(100).default(10),
      /**
       * Groups one polling-loop execution runs at once (a Step Functions inline Map runs at most 40
       * iterations at a time); more groups start more executions each minute.
       */
      groupsPerExecution: z.number().int().min(1).max(40).default(40),
    })
    .default({ instancesPerInvocation: 10, groupsPerExecution: 40 }),
  /** How the pipeline treats each instance's hours of operation (its queues' hours in Connect). */
  openingHours: z
    .strictObject({
      /**
       * Minutes before opening and after closing that count as open: a real-time feed with no recent
       * data is `closed` in /check, not stale, only when its instance was closed for all of its
       * staleness window widened by this margin.
       */
      marginMinutes: z.number().int().min(0).max(240).default(15),
      /**
       * Poll by the clock of the centre (poll-gate.ts): the real-time feeds at full cadence only while
       * open (with the margin) or while Connect shows activity, and the scheduled feeds batched while
       * closed. False polls around the clock.
       */
      pollByHours: z.boolean().default(true),
      /** Closed, a real-time feed asks Connect for activity (contacts in queue, agents online) this often. */
      probeMinutes: z.number().int().min(1).max(60).default(5),
      /**
       * Closed, historical and metadata run once per block of this many minutes of the UTC day (a divisor
       * of 1440, at most 720 so GetMetricData's 24 hours are always read in time).
       */
      closedBatchMinutes: z
        .number()
        .int()
        .refine((m) => m >= 5 && m <= 720 && 1440 % m === 0, {
          message: 'expected a divisor of 1440 from 5 to 720 (minutes)',
        })
        .default(240),
    })
    .default({ marginMinutes: 15, pollByHours: true, probeMinutes: 5, closedBatchMinutes: 240 }),
});
export type RuntimeConfig = z.infer<typeof RuntimeConfigSchema>;
export type RuntimeConfigInput = z.input<typeof RuntimeConfigSchema>;

/** Errors a config check collects: every problem, with where, what was given and what is expected. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly problems: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`, options);
  }
}

/**
 * Formats every zod issue as `path: message (got <value>)`. An unknown key is reported at its own path
 * (`cadences.realtimeSecs`) with the keys allowed there, when `schema` is given to look them up.
 */
export function describeIssues(error: z.ZodError, input: unknown, schema?: z.ZodType): string[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const allowed = schema ? keysAt(schema, issue.path) : undefined;
      const expected = allowed ? `expected one of ${allowed.join(', ')}` : 'not a known key';
      return issue.keys.map((key) => line([...issue.path, key], `unknown key: ${expected}`, input));
    }
    return [line(issue.path, issue.message, input)];
  });
}

function line(path: readonly PropertyKey[], message: string, input: unknown): string {
  const got = valueAt(input, path);
  const shown = got === undefined ? 'nothing' : JSON.stringify(got);
  const where = path.length > 0 ? path.join('.') : '(root)';
  return `${where}: ${message} (got ${shown && shown.length > 120 ? `${shown.slice(0, 117)}...` : shown})`;
}

/** The keys an object (or enum-keyed record) at `path` of `schema` accepts; undefined when not found. */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] | undefined {
  let current: z.ZodType | undefined = schema;
  for (const key of [...path, undefined]) {
    for (;;) {
      if (current instanceof z.ZodDefault || current instanceof z.ZodOptional)
        current = current.unwrap() as z.ZodType;
      else if (current instanceof z.ZodPipe) current = current.in as z.ZodType;
      else break;
    }
    if (key === undefined) break;
    if (current instanceof z.ZodObject) current = current.shape[String(key)] as z.ZodType | undefined;
    else if (current instanceof z.ZodArray) current = current.element as z.ZodType;
    else if (current instanceof z.ZodRecord) current = current.valueType as z.ZodType;
    else return undefined;
  }
  if (current instanceof z.ZodObject) return Object.keys(current.shape);
  if (current instanceof z.ZodRecord && current.keyType instanceof z.ZodEnum) {
    return current.keyType.options.map(String);
  }
  return undefined;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/**
 * Validates runtime config.
 * @throws ConfigError listing every problem at once
 */
export function parseRuntimeConfig(input: unknown): RuntimeConfig {
  const result = RuntimeConfigSchema.safeParse(input);
  if (!result.success) throw new ConfigError(describeIssues(result.error, input, RuntimeConfigSchema));
  return result.data;
}

/** The quota for one API: config override or Connect's default. */
export function quotaFor(config: RuntimeConfig, api: ConnectApi): ApiQuota {
  return config.apiQuotas[api] ?? DEFAULT_API_QUOTAS[api];
}
