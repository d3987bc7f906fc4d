import { type Duration, Validations } from 'aws-cdk-lib';
import { Effect, type IRole, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { type ICommandHooks, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IDatabaseCluster } from 'aws-cdk-lib/aws-rds';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** The RDS Data API actions a database client needs (no admin actions). */
export const DATA_API_ACTIONS = [
  'rds-data:BatchExecuteStatement',
  'rds-data:BeginTransaction',
  'rds-data:CommitTransaction',
  'rds-data:ExecuteStatement',
  'rds-data:RollbackTransaction',
] as const;

/** Props of {@link CollectorFunction}. */
export interface CollectorFunctionProps {
  /** Path of the TypeScript entry exporting `handler`. */
  readonly entry: string;
  /** What the function does, shown in the console. */
  readonly description: string;
  /** Memory in MB. */
  readonly memorySize: number;
  /** Maximum run time. */
  readonly timeout: Duration;
  /** Retention of the function's log group. */
  readonly logRetention: RetentionDays;
  /** `POWERTOOLS_SERVICE_NAME`: the `service` key of every log line and metric. */
  readonly serviceName: string;
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
   * Extra environment variables (no secrets: ARNs and settings only).
   * @default - none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Files or folders copied into the bundle after esbuild, as `[source, name in bundle]`.
   * @default - none
   */
  readonly copyIntoBundle?: ReadonlyArray<readonly [string, string]>;
}

/**
 * One Lambda function of the pipeline, with every default set in one place: Node.js 22 on arm64,
 * minified local esbuild bundle, explicit memory and timeout, its own log group with retention,
 * X-Ray tracing, Powertools settings, no asynchronous retries and an on-failure destination, and a
 * role that can write only its own logs. Permissions are added with the `bind*`/`grant*` methods, each of which also sets the env
 * var that goes with it.
 */
export class CollectorFunction extends Construct {
  /** The function. */
  public readonly function: NodejsFunction;
  /** Its execution role. */
  public readonly role: IRole;
  /** Its log group. */
  public readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: CollectorFunctionProps) {
    super(scope, id);
    const problems: string[] = [];
    if (props.memorySize < 128 || props.memorySize > 10240) {
      problems.push(`memorySize: expected 128-10240 MB (got ${props.memorySize})`);
    }
    if (props.timeout.toSeconds() < 1 || props.timeout.toSeconds() > 900) {
      problems.push(`timeout: expected 1-900 seconds (got ${props.timeout.toSeconds()})`);
    }
    if (problems.length > 0) throw new Error(`CollectorFunction ${id}: ${problems.join('; ')}`);

    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention });
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.description}`,
      path: props.rolePath ?? '/',
    });
    this.role = role;
    this.logGroup.grantWrite(role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role,
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      onFailure: new SqsDestination(props.failureQueue),
      // Never retried by Lambda: a scheduled collector's next run catches up from its watermark, and a
      // retry next to that run would spend the Connect budget twice; the custom resource answers
      // CloudFormation itself, success or failure.
      retryAttempts: 0,
      ...(props.maxEventAge ? { maxEventAge: props.maxEventAge } : {}),
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace,
        POWERTOOLS_LOG_LEVEL: props.logLevel,
        ...props.environment,
      },
      bundling: {
        minify: true,
        target: 'node22',
        format: OutputFormat.CJS,
        // Bundle the pinned SDK instead of the runtime's: the version under test is the one deployed.
        bundleAwsSDK: true,
        externalModules: [],
        forceDockerBundling: false,
        commandHooks: copyHooks(props.copyIntoBundle ?? []),
      },
    });

    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments and PutTelemetryRecords do not support resource-level permissions.',
    });
    const runtimeReason =
      'Pinned to nodejs22.x, the runtime the pinned AWS SDK and this code are tested on; a runtime upgrade is a deliberate, tested change.';
    Validations.of(this.function).acknowledge({ id: 'AwsSolutions-L1', reason: runtimeReason });
    Validations.of(this.function).acknowledge({
      id: 'Serverless-LambdaLatestVersion',
      reason: runtimeReason,
    });
    Validations.of(this.function).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'Failed asynchronous invocations go to the on-failure destination, which records the error as well as the event; a dead-letter queue would only duplicate it.',
    });
  }

  /** Adds an environment variable. */
  addEnvironment(name: string, value: string): this {
    this.function.addEnvironment(name, value);
    return this;
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
    secret.grantRead(this.role);
    this.function.addEnvironment('DB_CLUSTER_ARN', cluster.clusterArn);
    this.function.addEnvironment('DB_SECRET_ARN', secret.secretArn);
    this.function.addEnvironment('DB_NAME', databaseName);
    return this;
  }

  /** Lets the function read the push target secret and sets `PUSH_TARGET_SECRET_ARN`. */
  bindPushTarget(secret: ISecret): this {
    secret.grantRead(this.role);
    this.function.addEnvironment('PUSH_TARGET_SECRET_ARN', secret.secretArn);
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
    const problems = actions.filter((a) => !/^connect:[A-Z][A-Za-z0-9]+$/.test(a));
    if (problems.length > 0) {
      throw new Error(`grantConnectRead: expected named connect:Action entries (got ${problems.join(', ')})`);
    }
    const local = instances.filter((i) => !i.roleArn);
    const roles = [...new Set(instances.flatMap((i) => (i.roleArn ? [i.roleArn] : [])))];
    if (local.length > 0 && actions.length > 0) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: [...actions],
          resources: local.flatMap((i) => [i.instanceArn, `${i.instanceArn}/*`]),
        }),
      );
      for (const instance of local) {
        Validations.of(this.role).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${instance.instanceArn}/*]`,
          reason:
            'Connect metric APIs authorize on the sub-resources (queues, routing profiles, users) of the instance; this names the configured instance only.',
        });
      }
    }
    if (roles.length > 0) {
      this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sts:AssumeRole'], resources: roles }));
    }
    return this;
  }
}

function copyHooks(copies: ReadonlyArray<readonly [string, string]>): ICommandHooks {
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir: string, outputDir: string) =>
      copies.map(([source, name]) => `cp -R "${source}" "${outputDir}/${name}"`),
  };
}
