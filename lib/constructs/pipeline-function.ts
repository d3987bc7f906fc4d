import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { Effect, type IRole, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IDatabaseCluster } from 'aws-cdk-lib/aws-rds';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FunctionDefinition } from '../../lambdas/feeds';
import { RUNTIME_CONFIG_FILE, type SecretArnVariable } from '../../lambdas/shared/config/env';
import {
  acknowledgeInstanceSubResources,
  connectReadStatement,
  unnamedConnectActions,
} from './connect-permissions';
import {
  acknowledgeFunctionFindings,
  checkDefinition,
  DATA_API_ACTIONS,
  nodejsBundling,
} from './function-defaults';

/** Props of {@link PipelineFunction}. */
export interface PipelineFunctionProps {
  /** What the function is (entry, description, memory, timeout, service name), from `lambdas/feeds.ts`. */
  readonly definition: FunctionDefinition;
  /** Retention of the function's log group. */
  readonly logRetention: RetentionDays;
  /** `POWERTOOLS_METRICS_NAMESPACE`. */
  readonly metricsNamespace: string;
  /** `POWERTOOLS_LOG_LEVEL`. */
  readonly logLevel: string;
  /** Where asynchronous invocations that failed (Lambda does not retry them) are sent. */
  readonly failureQueue: IQueue;
  /**
   * How long an asynchronous event may wait in Lambda's queue (behind a throttled or busy function)
   * before it is dropped to the failure queue: a scheduled collector's next run makes a stale event
   * pointless.
   * @default Duration.hours(6), Lambda's maximum
   */
  readonly maxEventAge?: Duration;
  /**
   * IAM path of the execution role; client accounts trust collector roles by this path.
   * @default '/'
   */
  readonly rolePath?: string;
  /**
   * The runtime config as JSON: instances, cadences, quotas; no secrets. It goes into the bundle as
   * `pipeline-config.json`, which `PIPELINE_CONFIG_FILE` names (no 4 KB environment limit).
   * @default - none (the migration function reads none)
   */
  readonly runtimeConfig?: string;
  /**
   * Files or folders copied into the bundle after esbuild, as `[source, name in bundle]`.
   * @default - none
   */
  readonly copyIntoBundle?: ReadonlyArray<readonly [string, string]>;
}

const REPOSITORY = path.join(__dirname, '..', '..');

/**
 * One Lambda function of the pipeline (every collector, the check and the migration), with every
 * default set in one place: Node.js 22 on arm64, the local esbuild bundle of `function-defaults.ts`,
 * explicit memory and timeout, its own log group with retention, X-Ray tracing, Powertools settings,
 * no asynchronous retries and an on-failure destination, and a role that can write only its own logs.
 * Permissions are added with the `bind*`/`grant*` methods, each of which also sets the environment
 * variable that goes with it, so the function never holds an ARN it may not use.
 */
export class PipelineFunction extends Construct {
  /** The function. */
  public readonly function: NodejsFunction;
  /** Its execution role. */
  public readonly role: IRole;
  /** Its log group. */
  public readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    super(scope, id);
    checkDefinition(id, props.definition);
    const { definition } = props;

    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention });
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${definition.description}`,
      path: props.rolePath ?? '/',
    });
    this.role = role;
    this.logGroup.grantWrite(role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: path.join(REPOSITORY, definition.entry),
      handler: 'handler',
      description: definition.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: definition.memorySize,
      timeout: Duration.seconds(definition.timeoutSeconds),
      role,
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      onFailure: new SqsDestination(props.failureQueue),
      // Never retried by Lambda: a scheduled collector's next run catches up from its watermark, and a
      // retry next to that run would spend the Connect budget twice; the custom resource answers
      // CloudFormation itself, success or failure.
      retryAttempts: 0,
      maxEventAge: props.maxEventAge,
      environment: {
        POWERTOOLS_SERVICE_NAME: definition.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace,
        POWERTOOLS_LOG_LEVEL: props.logLevel,
        ...(props.runtimeConfig === undefined ? {} : { PIPELINE_CONFIG_FILE: RUNTIME_CONFIG_FILE }),
      },
      bundling: nodejsBundling([
        ...(props.copyIntoBundle ?? []),
        ...(props.runtimeConfig === undefined
          ? []
          : [[writeRuntimeConfigFile(props.runtimeConfig), RUNTIME_CONFIG_FILE] as const]),
      ]),
    });
    acknowledgeFunctionFindings(this.function, role);
  }

  /**
   * Lets the function use the database through the Data API as the user of `secret`, and sets
   * `DB_CLUSTER_ARN`, `DB_SECRET_ARN` and `DB_NAME`.
   */
  bindDatabase(cluster: IDatabaseCluster, secret: ISecret, databaseName: string): this {
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: [...DATA_API_ACTIONS],
        resources: [cluster.clusterArn],
      }),
    );
    this.function.addEnvironment('DB_CLUSTER_ARN', cluster.clusterArn);
    this.function.addEnvironment('DB_NAME', databaseName);
    return this.bindSecret('DB_SECRET_ARN', secret);
  }

  /** Lets the function read `secret`, and puts its ARN (never its value) in `variable`. */
  bindSecret(variable: SecretArnVariable, secret: ISecret): this {
    secret.grantRead(this.role);
    this.function.addEnvironment(variable, secret.secretArn);
    return this;
  }

  /**
   * Grants the named Connect read actions on instances in this account (the instance and its
   * sub-resources only), and `sts:AssumeRole` on the roles of instances in other accounts.
   */
  grantConnectRead(
    instances: ReadonlyArray<{ readonly instanceArn: string; readonly roleArn?: string | undefined }>,
    actions: readonly string[],
  ): this {
    const problems = unnamedConnectActions(actions);
    if (problems.length > 0) {
      throw new Error(`grantConnectRead: expected named connect:Action entries (got ${problems.join(', ')})`);
    }
    const local = instances.filter((i) => !i.roleArn).map((i) => i.instanceArn);
    const roles = [...new Set(instances.flatMap((i) => (i.roleArn ? [i.roleArn] : [])))];
    if (local.length > 0 && actions.length > 0) {
      this.role.addToPrincipalPolicy(connectReadStatement(actions, local));
      acknowledgeInstanceSubResources(this.role, local);
    }
    if (roles.length > 0) {
      this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sts:AssumeRole'], resources: roles }));
    }
    return this;
  }
}

/**
 * Writes a runtime config file (`config` as JSON, or text as it is) and returns its path: the file
 * esbuild copies into a bundle as pipeline-config.json, and what PIPELINE_CONFIG_FILE names where the
 * bench and the tests run a handler. Named by its content's hash, so every function of a synth shares it
 * and the bundle (whose hash is its output's) changes exactly when the config does.
 */
export function writeRuntimeConfigFile(config: unknown): string {
  const json = typeof config === 'string' ? config : JSON.stringify(config);
  const digest = createHash('sha256').update(json).digest('hex').slice(0, 16);
  const dir = path.join(tmpdir(), 'connect-metrics-runtime-config', digest);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, RUNTIME_CONFIG_FILE);
  writeFileSync(file, json);
  return file;
}
