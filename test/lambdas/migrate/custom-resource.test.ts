import {
  type CustomResourceDeps,
  CustomResourceEventError,
  type CustomResourceResponse,
  handleCustomResource,
} from '../../../lambdas/migrate/custom-resource';

const event = (requestType: 'Create' | 'Update' | 'Delete', extra: Record<string, unknown> = {}) => ({
  RequestType: requestType,
  ResponseURL: 'https://cloudformation-custom-resource-response.example.com/signed?x=1',
  StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/db/1',
  RequestId: 'request-1',
  LogicalResourceId: 'SchemaResource',
  ResourceType: 'Custom::SchemaMigration',
  ResourceProperties: { ServiceToken: 'arn', MigrationsHash: 'abc' },
  ...extra,
});

function fakeDeps(
  remainingMs = 600_000,
): CustomResourceDeps & { sent: Array<[string, CustomResourceResponse]> } {
  const sent: Array<[string, CustomResourceResponse]> = [];
  return {
    sent,
    send: async (url, response) => {
      sent.push([url, response]);
    },
    remainingMs: () => remainingMs,
    logger: { info: () => undefined, error: () => undefined },
    safetyMarginMs: 0,
  };
}

test('a Create runs the work and reports SUCCESS with its data to the response URL', async () => {
  const deps = fakeDeps();

  await handleCustomResource(
    event('Create'),
    'schema-migration:db',
    async () => ({ Applied: 'V001__a' }),
    deps,
  );

  expect(deps.sent).toHaveLength(1);
  const [url, response] = deps.sent[0]!;
  expect(url).toBe(event('Create').ResponseURL);
  expect(response).toMatchObject({
    Status: 'SUCCESS',
    PhysicalResourceId: 'schema-migration:db',
    RequestId: 'request-1',
    LogicalResourceId: 'SchemaResource',
    Data: { Applied: 'V001__a' },
  });
});

test('an Update keeps the physical id CloudFormation already has, so nothing is replaced', async () => {
  const deps = fakeDeps();

  await handleCustomResource(
    event('Update', { PhysicalResourceId: 'existing-id' }),
    'new-id',
    async () => ({}),
    deps,
  );

  expect(deps.sent[0]![1].PhysicalResourceId).toBe('existing-id');
});

test('a failing migration reports FAILED with the error as the reason', async () => {
  const deps = fakeDeps();

  await handleCustomResource(
    event('Update'),
    'id',
    async () => {
      throw new TypeError('migration V007__x failed: syntax error');
    },
    deps,
  );

  expect(deps.sent[0]![1]).toMatchObject({
    Status: 'FAILED',
    Reason: 'TypeError: migration V007__x failed: syntax error',
  });
});

test('an Update sent while the stack rolls back a failed update succeeds without running the work', async () => {
  const deps = fakeDeps();
  const asked: string[] = [];
  let ran = false;

  await handleCustomResource(
    // CloudFormation's rollback: the old properties are back in ResourceProperties.
    event('Update', { PhysicalResourceId: 'existing-id', OldResourceProperties: { MigrationsHash: 'new' } }),
    'schema-migration:db',
    async () => {
      ran = true;
      throw new Error('V008__broken: syntax error');
    },
    {
      ...deps,
      isRollingBack: async (stackId) => {
        asked.push(stackId);
        return true;
      },
    },
  );

  expect(ran).toBe(false);
  expect(asked).toEqual([event('Update').StackId]);
  expect(deps.sent[0]?.[1]).toMatchObject({
    Status: 'SUCCESS',
    PhysicalResourceId: 'existing-id',
    Reason: expect.stringContaining('nothing to undo'),
  });
});

test('an Update outside a rollback runs the work', async () => {
  const deps = fakeDeps();

  await handleCustomResource(
    event('Update', { PhysicalResourceId: 'existing-id' }),
    'schema-migration:db',
    async () => ({ Applied: 'V008__new' }),
    { ...deps, isRollingBack: async () => false },
  );

  expect(deps.sent[0]?.[1]).toMatchObject({ Status: 'SUCCESS', Data: { Applied: 'V008__new' } });
});

test('a Create never asks whether the stack is rolling back', async () => {
  const deps = fakeDeps();
  const isRollingBack = jest.fn(async () => true);

  await handleCustomResource(event('Create'), 'schema-migration:db', async () => ({ Applied: 'V001__a' }), {
    ...deps,
    isRollingBack,
  });

  expect(isRollingBack).not.toHaveBeenCalled();
  expect(deps.sent[0]?.[1]).toMatchObject({ Status: 'SUCCESS', Data: { Applied: 'V001__a' } });
});

test('a Delete succeeds without running the work, so the schema outlives the stack', async () => {
  const deps = fakeDeps();
  const work = jest.fn(async () => ({}));

  await handleCustomResource(event('Delete', { PhysicalResourceId: 'id' }), 'id', work, deps);

  expect(work).not.toHaveBeenCalled();
  expect(deps.sent[0]![1].Status).toBe('SUCCESS');
});

test('work that would outlive the function reports FAILED instead of leaving the stack waiting', async () => {
  const deps = fakeDeps(20);

  await handleCustomResource(event('Create'), 'id', () => new Promise<never>(() => undefined), deps);

  expect(deps.sent[0]![1]).toMatchObject({ Status: 'FAILED' });
  expect(deps.sent[0]![1].Reason).toMatch(/CustomResourceTimeoutError/);
});

test('a very long error is cut so the response stays under CloudFormation size limit', async () => {
  const deps = fakeDeps();

  await handleCustomResource(
    event('Create'),
    'id',
    async () => {
      throw new Error('x'.repeat(10_000));
    },
    deps,
  );

  expect(deps.sent[0]![1].Reason.length).toBeLessThanOrEqual(1000);
});

test('an event that is not a custom resource request throws, since there is nowhere to answer', async () => {
  await expect(handleCustomResource({ hello: 'world' }, 'id', async () => ({}), fakeDeps())).rejects.toThrow(
    CustomResourceEventError,
  );
});
