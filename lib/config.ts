import { readFileSync } from 'node:fs';
import * as z from 'zod';
import {
  ConfigError,
  describeIssues,
  instanceInput,
  type RuntimeConfig,
  RuntimeConfigSchema,
  SecretArnSchema,
} from '../lambdas/shared/config/runtime-config';

/**
 * The one deploy-time configuration: the collectors' runtime config plus what `cdk deploy` needs
 * (database capacity, alarms, QuickSight, removal policy...). Validated once, with every problem
 * reported at once. This module must not import aws-cdk-lib: the local runner reads the same file
 * through {@link loadDeployConfig} and stays light.
 */

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

/** CloudWatch Logs retention periods the service accepts, in days. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Aurora Serverless v2 capacity steps are half ACUs. */
const acu = z.number().refine((n) => n >= 0 && n <= 256 && Number.isInteger(n * 2), {
  message: 'expected a number of ACUs from 0 to 256 in steps of 0.5',
});

/** Idle minutes after which a cluster with `database.minCapacity` 0 pauses (Aurora allows 5 to 1,440). */
export const AUTO_PAUSE_MINUTES = 5;

/** Database settings. */
const DatabaseConfigSchema = z.strictObject({
  /**
   * Minimum Aurora capacity in ACUs. 0 (the default) lets the cluster pause after {@link AUTO_PAUSE_MINUTES} idle minutes: with
   * polling by opening hours nothing queries it while every instance is closed, and a 24x7 centre's
   * polling keeps it awake at 0.5 ACU anyway; the first query after a pause waits for the resume.
   */
  minCapacity: acu.default(0),
  /** Maximum Aurora capacity in ACUs. */
  maxCapacity: acu.refine((n) => n >= 1, { message: 'expected at least 1 ACU' }).default(4),
  /** Database name created in the cluster. */
  databaseName: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,62}$/, { message: 'expected a lower-case PostgreSQL identifier' })
    .default('connect_metrics'),
  /** Automated backup retention, in days. */
  backupRetentionDays: z.number().int().min(1).max(35).default(7),
  /** What happens to the cluster when the stack is deleted: keep it, keep a final snapshot, or delete it. */
  removalPolicy: z.enum(['retain', 'snapshot', 'destroy']).default('snapshot'),
  /** Whether the cluster refuses deletion until this is turned off. */
  deletionProtection: z.boolean().default(true),
});
export type DatabaseConfig = z.infer<typeof DatabaseConfigSchema>;

/** Where alarms go: an e-mail address subscribed to a new topic, and/or an existing SNS topic. */
const AlarmsConfigSchema = z.strictObject({
  email: z.email({ message: 'expected an e-mail address' }).optional(),
  topicArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/, {
      message: 'expected arn:aws:sns:<region>:<account>:<topic name>',
    })
    .optional(),
});
export type AlarmsConfig = z.infer<typeof AlarmsConfigSchema>;

/** QuickSight data source and datasets over the reporting views. */
const QUICKSIGHT_PRINCIPAL = z
  .string()
  .regex(/^arn:aws[a-z-]*:quicksight:[a-z0-9-]+:\d{12}:(user|group)\/[\w.@+=,/-]+$/, {
    message: 'expected arn:aws:quicksight:<region>:<account>:user/<namespace>/<name> (or group/...)',
  });

const QuickSightConfigSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** QuickSight user or group ARN the data source and datasets are shared with (they see every client). */
  principalArn: QUICKSIGHT_PRINCIPAL.optional(),
  /**
   * Row-level security by client: each QuickSight user or group here sees the dashboard and only the
   * rows of its `clients` (their `clientName`s). Empty: no row-level security.
   */
  clientAccess: z
    .array(
      z.strictObject({
        principalArn: QUICKSIGHT_PRINCIPAL,
        clients: z.array(z.string().min(1).max(128)).min(1),
      }),
    )
    .default([]),
});
export type QuickSightConfig = z.infer<typeof QuickSightConfigSchema>;

/**
 * The client accounts' read-only role rolled out by a StackSet over Organizations OUs, instead of one
 * ClientAccess stack per account.
 */
const ClientRolloutSchema = z.strictObject({
  /** Organizations OUs (`ou-...`) or the root (`r-...`) whose accounts get the role. */
  organizationalUnitIds: z
    .array(
      z.string().regex(/^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$/, {
        message: 'expected an OU id (ou-xxxx-xxxxxxxx) or the root (r-xxxx)',
      }),
    )
    .min(1),
  /** The account the StackSet is created in: the management account, or a delegated administrator. */
  adminAccount: z.string().regex(/^\d{12}$/, { message: 'expected a 12-digit account id' }),
  /** `SELF` from the management account, `DELEGATED_ADMIN` from a delegated administrator. */
  callAs: z.enum(['SELF', 'DELEGATED_ADMIN']).default('DELEGATED_ADMIN'),
  /** The one Region the role's stacks go to (IAM is global). @default the pipeline's Region */
  region: z
    .string()
    .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { message: 'expected an AWS Region such as us-east-1' })
    .optional(),
});
export type ClientRolloutConfig = z.infer<typeof ClientRolloutSchema>;

/** What the dashboard colours by (lib/dashboard/definition.ts). */
const DashboardConfigSchema = z.strictObject({
  /** Service-level target in percent: green at or above it, red 10 points below. */
  serviceLevelTargetPct: z.number().min(1).max(100).default(80),
  /** The service-level threshold (seconds) the dashboard shows: one of serviceLevelThresholdsSeconds. */
  serviceLevelThresholdSeconds: z.number().int().min(1).max(604800).default(20),
  /** Longest acceptable wait in queue (oldest contact age), seconds: red beyond it, amber beyond half. */
  maxWaitSeconds: z.number().int().min(1).max(86400).default(60),
});
export type DashboardConfig = z.infer<typeof DashboardConfigSchema>;

/** The deploy-time configuration (`-c config=path`, default `config/example.json`). */
export const DeployConfigSchema = z
  .strictObject({
    ...RuntimeConfigSchema.shape,
    /** Prefix for stack names and the collectors' IAM role path. */
    stackPrefix: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9]{0,29}$/, {
        message: 'expected 1-30 letters and digits, starting with a letter',
      })
      .default('ConnectMetrics'),
    /** Account the pipeline is deployed to. */
    account: z.string().regex(ACCOUNT, { message: 'expected a 12-digit AWS account id' }),
    /** Region the pipeline is deployed to. */
    region: z.string().regex(REGION, { message: 'expected an AWS Region such as us-east-1' }),
    database: DatabaseConfigSchema.default(DatabaseConfigSchema.parse({})),
    alarms: AlarmsConfigSchema.default({}),
    quickSight: QuickSightConfigSchema.default({ enabled: false, clientAccess: [] }),
    /** Roll the client accounts' role out with a StackSet (see ClientRoleStackSetStack). @default none */
    clientRollout: ClientRolloutSchema.optional(),
    dashboard: DashboardConfigSchema.default(DashboardConfigSchema.parse({})),
    /** Retention of every log group the stacks create, in days. */
    logRetentionDays: z
      .number()
      .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
        message: `expected one of ${LOG_RETENTION_DAYS.join(', ')}`,
      })
      .default(30),
    /** CloudWatch namespace of the collectors' custom metrics. */
    metricsNamespace: z
      .string()
      .regex(/^[A-Za-z0-9._/#:-]{1,255}$/, { message: 'expected a CloudWatch namespace' })
      .refine((s) => !s.startsWith('AWS/'), { message: 'expected a namespace not starting with AWS/' })
      .default('ConnectMetricsPipeline'),
    /** Log level of every function. */
    logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
    /** Secrets Manager secret whose SecretString is `{"url": "https://..."}`: where rows are also pushed. */
    pushTargetSecretArn: SecretArnSchema.optional(),
  })
  .superRefine((config, ctx) => {
    if (config.database.minCapacity > config.database.maxCapacity) {
      ctx.addIssue({
        code: 'custom',
        path: ['database', 'minCapacity'],
        message: `minCapacity must not exceed maxCapacity (${config.database.maxCapacity})`,
      });
    }
    if (config.database.removalPolicy === 'destroy' && config.database.deletionProtection) {
      ctx.addIssue({
        code: 'custom',
        path: ['database', 'deletionProtection'],
        message: 'expected false when removalPolicy is destroy (a protected cluster cannot be destroyed)',
      });
    }
    if (!config.serviceLevelThresholdsSeconds.includes(config.dashboard.serviceLevelThresholdSeconds)) {
      ctx.addIssue({
        code: 'custom',
        path: ['dashboard', 'serviceLevelThresholdSeconds'],
        message: `expected one of serviceLevelThresholdsSeconds (${config.serviceLevelThresholdsSeconds.join(', ')}): the dashboard shows a collected threshold (got ${config.dashboard.serviceLevelThresholdSeconds})`,
      });
    }
    if (config.clientRollout) {
      // One template for every account: every client role has one name and path.
      const roles = [
        ...new Set(config.instances.flatMap((i) => (i.role ? [`${i.role.path}${i.role.name}`] : []))),
      ];
      if (roles.length !== 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['clientRollout'],
          message: `a StackSet rolls one role out to every client account: expected every instance roleArn to name the same role path and name (got ${roles.join(', ') || 'no roleArn'})`,
        });
      }
    }
    const clients = new Set(config.instances.map((i) => i.clientName));
    config.quickSight.clientAccess.forEach((access, i) => {
      access.clients.forEach((client, j) => {
        if (!clients.has(client)) {
          ctx.addIssue({
            code: 'custom',
            path: ['quickSight', 'clientAccess', i, 'clients', j],
            message: `expected the clientName of an instance (${[...clients].slice(0, 10).join(', ')}${clients.size > 10 ? ', ...' : ''})`,
          });
        }
      });
    });
    if (config.quickSight.enabled && !config.quickSight.principalArn) {
      ctx.addIssue({
        code: 'custom',
        path: ['quickSight', 'principalArn'],
        message: 'expected the QuickSight user or group ARN to share with when QuickSight is enabled',
      });
    }
    config.instances.forEach((instance, i) => {
      const instanceAccount = instance.account;
      const roleAccount = instance.role?.account ?? config.account;
      // An instance with problems of its own was not transformed (no account): those are reported already.
      if (instanceAccount !== undefined && instanceAccount !== roleAccount) {
        ctx.addIssue({
          code: 'custom',
          path: ['instances', i, instance.roleArn ? 'roleArn' : 'instanceArn'],
          message: instance.roleArn
            ? `expected a role in the instance's account ${instanceAccount}`
            : `instance is in account ${instanceAccount}, not the pipeline account ${config.account}: set roleArn to a role there`,
        });
      }
      if (instance.endpoint) {
        ctx.addIssue({
          code: 'custom',
          path: ['instances', i, 'endpoint'],
          message:
            'expected no endpoint override in a deployed configuration (it is for the local simulator)',
        });
      }
    });
  });
export type DeployConfig = z.infer<typeof DeployConfigSchema>;
export type DeployConfigInput = z.input<typeof DeployConfigSchema>;

/**
 * Validates a deploy configuration.
 * @throws ConfigError listing every problem at once, each with its path, the value and what is expected
 */
export function parseDeployConfig(input: unknown): DeployConfig {
  const result = DeployConfigSchema.safeParse(input);
  if (!result.success) throw new ConfigError(describeIssues(result.error, input, DeployConfigSchema));
  return result.data;
}

/**
 * Reads and validates a deploy configuration file.
 * @throws ConfigError when the file cannot be read, is not JSON, or is not a valid configuration
 */
export function loadDeployConfig(path: string): DeployConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ConfigError([`${path}: cannot read the configuration file`], { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ConfigError([`${path}: expected JSON (${reason})`], { cause });
  }
  try {
    return parseDeployConfig(json);
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new ConfigError(
        error.problems.map((p) => `${path}: ${p}`),
        { cause: error },
      );
    }
    throw error;
  }
}

/** The part of the deploy config the collectors read at run time (the bundled `pipeline-config.json`). */
export function runtimeConfigOf(config: DeployConfig): RuntimeConfig {
  return RuntimeConfigSchema.parse(runtimePart(config));
}

/**
 * The runtime config as JSON, as the functions read it (`pipeline-config.json` in their bundles): the fields a config file
 * gives, which the functions parse again (what parsing derives, such as each instance's account, is
 * derived there too).
 */
export function runtimeConfigJson(config: DeployConfig): string {
  return JSON.stringify(runtimePart(config));
}

function runtimePart(config: Pick<DeployConfig, keyof RuntimeConfig>): Record<keyof RuntimeConfig, unknown> {
  return {
    instances: config.instances.map(instanceInput),
    cadences: config.cadences,
    apiQuotaShare: config.apiQuotaShare,
    apiQuotas: config.apiQuotas,
    serviceLevelThresholdsSeconds: config.serviceLevelThresholdsSeconds,
    historicalBackfillHours: config.historicalBackfillHours,
    historicalRestateHours: config.historicalRestateHours,
    reconciliationTolerancePercent: config.reconciliationTolerancePercent,
    staleAfterCadences: config.staleAfterCadences,
    retentionDays: config.retentionDays,
    fleet: config.fleet,
    openingHours: config.openingHours,
  };
}
