import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import type { PushResult } from '../../../lambdas/push/push-latest-metrics';
import {
  hasPushTargets,
  pushAfterCurrentMetrics,
  pushTargetOf,
  pushToTargets,
  secretPushUrl,
} from '../../../lambdas/push/push-target';
import { parseRuntimeConfig } from '../../../lambdas/shared/config/runtime-config';
import { silentLog } from '../../../lambdas/shared/runtime/logger';
import { TWO_CLIENTS, twoClientConfig } from '../../support/collector-harness';
import { createMigratedSchema, databaseTargets, type TestSchema } from '../../support/databases';
import { type Receiver, startReceiver } from '../../support/push-receiver';
import { recordRun } from '../../support/runs';

const { a: A, b: B } = TWO_CLIENTS;
const config = twoClientConfig();
const fast = { sleep: async () => undefined, random: () => 0 };
/** An instance of the parsed config as config input again (without what parsing derives). */
const instanceFields = ({ account: _a, role: _r, ...input }: (typeof config.instances)[number]) => input;

describe.each(databaseTargets())('pushAfterCurrentMetrics on $name', ({ url }) => {
  let db: TestSchema;
  let receiver: Receiver | undefined;

  beforeAll(async () => {
    db = await createMigratedSchema(url, 'push_target');
    await db.executor.query(
      `INSERT INTO queue_realtime_snapshot (instance_id, queue_id, channel, snapshot_time, agents_online_count,
         estimated_wait_time_seconds, collected_at) VALUES
         (:a, 'q-1', 'VOICE', '2026-11-23 12:00:00+00', 4, 12.5, now()),
         (:a, 'q-1', 'VOICE', '2026-11-23 12:00:10+00', 5, NULL, now()),
         (:a, 'q-1', 'CHAT', '2026-11-23 12:00:10+00', 2, 3, now()),
         (:a, 'q-2', 'VOICE', '2026-11-23 12:00:10+00', 1, NULL, now()),
         (:b, 'q-9', 'VOICE', '2026-11-23 12:00:10+00', 7, NULL, now())`,
      { a: A, b: B },
    );
    await db.executor.query(
      `INSERT INTO queue (instance_id, queue_id, queue_arn, queue_name, queue_type, first_seen_at, last_seen_at)
       VALUES (:a, 'q-1', 'arn:q1', 'Sales', 'STANDARD', now(), now())`,
      { a: A },
    );
    for (const instance of [A, B]) {
      await recordRun(db.executor, instance, 'current_metrics', new Date('2026-11-23T12:00:00Z'));
      await recordRun(db.executor, instance, 'current_metrics', new Date('2026-11-23T12:00:10Z'));
    }
  });
  afterAll(() => db.drop());
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });

  test('posts the newest snapshot of each instance whose run did not fail, flattened, with client names', async () => {
    receiver = await startReceiver(['ok']);
    const target = receiver.url;
    const results: PushResult[] = [];

    const result = await pushAfterCurrentMetrics(
      [
        { instanceId: A, outcome: 'succeeded' },
        { instanceId: B, outcome: 'failed' },
      ],
      {
        db: db.executor,
        config,
        url: async () => target,
        log: silentLog,
        onResult: (r) => results.push(r),
        push: fast,
      },
    );

    expect(result?.ok).toBe(true);
    expect(results).toHaveLength(1);
    const [body] = receiver.bodies as Record<string, unknown>[][];
    expect(
      body?.map((r) => [
        r.Date,
        r.Client,
        r.QueueName,
        r.Channel,
        r.AgentsOnline,
        r.EstimatedWaitTimeSeconds,
      ]),
    ).toEqual([
      ['2026-11-23T12:00:10.000Z', 'Acme', 'Sales', 'CHAT', 2, 3],
      ['2026-11-23T12:00:10.000Z', 'Acme', 'Sales', 'VOICE', 5, null],
      ['2026-11-23T12:00:10.000Z', 'Acme', 'q-2', 'VOICE', 1, null],
    ]);
  });

  test('a failing receiver is reported, never thrown', async () => {
    receiver = await startReceiver(['fail']);
    const target = receiver.url;

    const result = await pushAfterCurrentMetrics([{ instanceId: A, outcome: 'succeeded' }], {
      db: db.executor,
      config,
      url: async () => target,
      log: silentLog,
      push: { ...fast, maxAttempts: 2 },
    });

    expect(result).toEqual(expect.objectContaining({ ok: false, rows: 3, attempts: 2 }));
  });

  test('a secret that cannot be read is reported, never thrown', async () => {
    const result = await pushAfterCurrentMetrics([{ instanceId: A, outcome: 'succeeded' }], {
      db: db.executor,
      config,
      url: async () => {
        throw new Error('AccessDeniedException');
      },
      log: silentLog,
    });

    expect(result).toEqual({
      ok: false,
      rows: 0,
      requests: 0,
      attempts: 0,
      error: 'Error: AccessDeniedException',
    });
  });

  test('per client: each target gets only its own instances, read from its own secret', async () => {
    const acmeReceiver = await startReceiver(['ok']);
    receiver = await startReceiver(['ok']);
    const shared = receiver.url;
    const ACME_SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:acme-push-AbCdEf';
    const DEFAULT_SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:push-GhIjKl';
    const perClient = parseRuntimeConfig({
      ...config,
      instances: config.instances.map((i) =>
        i.instanceId === A ? { ...instanceFields(i), pushTargetSecretArn: ACME_SECRET } : instanceFields(i),
      ),
    });
    const read: string[] = [];
    try {
      const results = await pushToTargets(
        [
          { instanceId: A, outcome: 'succeeded' },
          { instanceId: B, outcome: 'succeeded' },
        ],
        {
          db: db.executor,
          config: perClient,
          targetOf: pushTargetOf(perClient, DEFAULT_SECRET),
          urlOf: (arn) => async () => {
            read.push(arn);
            return arn === ACME_SECRET ? acmeReceiver.url : shared;
          },
          log: silentLog,
          push: fast,
        },
      );

      expect(Object.keys(results).sort()).toEqual([ACME_SECRET, DEFAULT_SECRET].sort());
      expect(Object.values(results).every((r) => r?.ok)).toBe(true);
      const clientsAt = (r: Receiver) => [
        ...new Set((r.bodies as Record<string, unknown>[][]).flat().map((row) => row.Client)),
      ];
      expect(clientsAt(acmeReceiver)).toEqual(['Acme']);
      expect(clientsAt(receiver)).toEqual(['Bravo']);
      expect(read.sort()).toEqual([ACME_SECRET, DEFAULT_SECRET].sort());
    } finally {
      await acmeReceiver.close();
    }
  });

  test('without a deployment target, only the clients with their own are pushed', async () => {
    const OWN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:bravo-push-MnOpQr';
    const perClient = parseRuntimeConfig({
      ...config,
      instances: config.instances.map((i) =>
        i.instanceId === B ? { ...instanceFields(i), pushTargetSecretArn: OWN } : instanceFields(i),
      ),
    });
    const targetOf = pushTargetOf(perClient, undefined);

    expect([targetOf(A), targetOf(B)]).toEqual([undefined, OWN]);
    expect(hasPushTargets(perClient, undefined)).toBe(true);
    expect(hasPushTargets(config, undefined)).toBe(false);
  });

  test('does nothing when no push target is configured', async () => {
    const result = await pushAfterCurrentMetrics([{ instanceId: A, outcome: 'succeeded' }], {
      db: db.executor,
      config,
      url: async () => null,
      log: silentLog,
    });

    expect(result).toBeNull();
  });
});

describe('secretPushUrl', () => {
  const secrets = mockClient(SecretsManagerClient);
  const client = () => new SecretsManagerClient({ region: 'us-east-1' });
  afterEach(() => secrets.reset());

  test('reads the secret once per container and returns its url', async () => {
    secrets
      .on(GetSecretValueCommand)
      .resolves({ SecretString: '{"url": "https://api.powerbi.com/beta/x/rows?key=k"}' });
    const url = secretPushUrl(client(), 'arn:secret');

    expect(await url()).toBe('https://api.powerbi.com/beta/x/rows?key=k');
    expect(await url()).toBe('https://api.powerbi.com/beta/x/rows?key=k');
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(secrets).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: 'arn:secret' });
  });

  test.each([['not json'], ['{"url": "http://example.com"}'], ['{}']])(
    'refuses a secret %s and reads it again on the next call',
    async (secretString) => {
      secrets.on(GetSecretValueCommand).resolves({ SecretString: secretString });
      const url = secretPushUrl(client(), 'arn:secret');

      await expect(url()).rejects.toThrow(/expected \{"url": "https:\/\/\.\.\."\}/);
      await expect(url()).rejects.toThrow();
      expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
    },
  );
});
