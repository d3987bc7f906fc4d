import path from 'node:path';
import { EnvError, readLambdaEnv, readMigrateEnv } from '../../../../lambdas/shared/config/env';
import { writeRuntimeConfigFile } from '../../../../lib/constructs/pipeline-function';

const CONFIG = {
  instances: [
    {
      instanceId: '11111111-2222-4333-8444-555555555555',
      instanceArn: 'arn:aws:connect:us-east-1:111111111111:instance/11111111-2222-4333-8444-555555555555',
      region: 'us-east-1',
      clientName: 'Acme',
      environment: 'prod',
    },
  ],
};
const database = {
  DB_CLUSTER_ARN: 'arn:aws:rds:us-east-1:111111111111:cluster:metrics',
  DB_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:collector-AbCdEf',
  DB_NAME: 'connect_metrics',
};
const errorOf = (read: () => unknown): string => {
  try {
    read();
  } catch (error) {
    if (error instanceof EnvError) return error.message;
    throw error;
  }
  throw new Error('expected an EnvError');
};

describe('readLambdaEnv', () => {
  test('reads the database ARNs and the runtime config file PIPELINE_CONFIG_FILE names', () => {
    const env = readLambdaEnv({ ...database, PIPELINE_CONFIG_FILE: writeRuntimeConfigFile(CONFIG) });

    expect(env).toMatchObject({
      dbClusterArn: database.DB_CLUSTER_ARN,
      dbSecretArn: database.DB_SECRET_ARN,
      dbName: 'connect_metrics',
      pushTargetSecretArn: undefined,
    });
    expect(env.config.instances[0]).toMatchObject({ clientName: 'Acme', account: '111111111111' });
    expect(env.config.cadences.realtimeSeconds).toBe(10);
  });

  test('reads a fleet of any size: no 4 KB environment limit', () => {
    const [instance] = CONFIG.instances;
    const fleet = Array.from({ length: 500 }, (_, i) => {
      const id = `11111111-2222-4333-8444-${String(i).padStart(12, '0')}`;
      return {
        ...instance,
        instanceId: id,
        instanceArn: `arn:aws:connect:us-east-1:111111111111:instance/${id}`,
      };
    });
    const file = writeRuntimeConfigFile({ instances: fleet });

    expect(readLambdaEnv({ ...database, PIPELINE_CONFIG_FILE: file }).config.instances).toHaveLength(500);
  });

  test('finds a relative path in the function code directory (LAMBDA_TASK_ROOT)', () => {
    const file = writeRuntimeConfigFile(CONFIG);
    const saved = process.env.LAMBDA_TASK_ROOT;
    process.env.LAMBDA_TASK_ROOT = path.dirname(file);
    try {
      expect(
        readLambdaEnv({ ...database, PIPELINE_CONFIG_FILE: path.basename(file) }).config.instances,
      ).toHaveLength(1);
    } finally {
      if (saved === undefined) delete process.env.LAMBDA_TASK_ROOT;
      else process.env.LAMBDA_TASK_ROOT = saved;
    }
  });

  test('reads the optional push target, and takes an empty one as none', () => {
    const arn = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:push-AbCdEf';
    const base = { ...database, PIPELINE_CONFIG_FILE: writeRuntimeConfigFile(CONFIG) };

    expect(readLambdaEnv({ ...base, PUSH_TARGET_SECRET_ARN: arn }).pushTargetSecretArn).toBe(arn);
    expect(readLambdaEnv({ ...base, PUSH_TARGET_SECRET_ARN: '' }).pushTargetSecretArn).toBeUndefined();
  });

  test('names every missing or malformed variable at once', () => {
    const message = errorOf(() => readLambdaEnv({ DB_CLUSTER_ARN: 'not-an-arn', DB_NAME: '' }));

    expect(message).toContain('DB_CLUSTER_ARN expected an ARN');
    expect(message).toContain('DB_SECRET_ARN is not set');
    expect(message).toContain('DB_NAME is not set');
    expect(message).toContain('PIPELINE_CONFIG_FILE is not set');
  });

  test('says when the config file is missing, not JSON, or not a valid config, with the file and the problem', () => {
    const missing = path.join(path.dirname(writeRuntimeConfigFile(CONFIG)), 'nothing.json');
    expect(errorOf(() => readLambdaEnv({ ...database, PIPELINE_CONFIG_FILE: missing }))).toContain(
      `PIPELINE_CONFIG_FILE names ${missing}, which cannot be read (ENOENT`,
    );
    const broken = writeRuntimeConfigFile('{nope');
    expect(errorOf(() => readLambdaEnv({ ...database, PIPELINE_CONFIG_FILE: broken }))).toContain(
      `PIPELINE_CONFIG_FILE names ${broken}, which is not valid JSON`,
    );
    const empty = writeRuntimeConfigFile({ instances: [] });
    expect(errorOf(() => readLambdaEnv({ ...database, PIPELINE_CONFIG_FILE: empty }))).toContain(
      `PIPELINE_CONFIG_FILE names ${empty}, which is invalid: instances: expected at least one Connect instance`,
    );
  });
});

describe('readMigrateEnv', () => {
  test('reads the admin database and the two user secrets', () => {
    const env = readMigrateEnv({
      ...database,
      COLLECTOR_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:c',
      REPORTING_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:r',
    });

    expect(env.COLLECTOR_SECRET_ARN).toMatch(/secret:c$/);
    expect(env.DB_NAME).toBe('connect_metrics');
  });

  test('names each missing user secret', () => {
    const message = errorOf(() => readMigrateEnv({ ...database }));

    expect(message).toContain('COLLECTOR_SECRET_ARN is not set');
    expect(message).toContain('REPORTING_SECRET_ARN is not set');
  });
});
