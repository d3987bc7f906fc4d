import { openConnectTarget } from '../../../local/runner/connect-target';
import { type ConnectSimulator, startConnectSimulator } from '../../../local/simulator';

describe('openConnectTarget with a Connect-compatible endpoint', () => {
  let simulator: ConnectSimulator;
  beforeAll(async () => {
    simulator = await startConnectSimulator({ queues: 2, agents: 4 });
  });
  afterAll(() => simulator.close());

  test('checks the instance answers and gives one instance to collect, pointed at the endpoint', async () => {
    const [instance] = simulator.instances;
    const target = await openConnectTarget({
      kind: 'connect',
      instanceId: instance!.instanceId,
      instanceArn: instance!.arn,
      region: instance!.region,
      endpoint: simulator.endpoint,
    });
    expect(target.instances).toEqual([
      expect.objectContaining({
        instanceId: instance!.instanceId,
        instanceArn: instance!.arn,
        endpoint: simulator.endpoint,
      }),
    ]);
    await target.close();
  });

  test('says the instance was not found when the id is wrong', async () => {
    const wrong = '99999999-9999-4999-8999-999999999999';
    await expect(
      openConnectTarget({
        kind: 'connect',
        instanceId: wrong,
        instanceArn: `arn:aws:connect:us-east-1:111122223333:instance/${wrong}`,
        region: 'us-east-1',
        endpoint: simulator.endpoint,
      }),
    ).rejects.toThrow(
      `instance ${wrong} was not found in ${simulator.endpoint}: check --instance-id and --region`,
    );
  });

  test('says nothing answers when the endpoint is down', async () => {
    await expect(
      openConnectTarget({
        kind: 'connect',
        instanceId: simulator.instances[0]!.instanceId,
        instanceArn: simulator.instances[0]!.arn,
        region: 'us-east-1',
        endpoint: 'http://127.0.0.1:1',
      }),
    ).rejects.toThrow(/nothing answers at http:\/\/127.0.0.1:1|cannot reach/);
  });

  test('asks for the instance ARN with a custom endpoint, which STS cannot give', async () => {
    await expect(
      openConnectTarget({
        kind: 'connect',
        instanceId: simulator.instances[0]!.instanceId,
        region: 'us-east-1',
        endpoint: simulator.endpoint,
      }),
    ).rejects.toThrow('--connect-endpoint needs --instance-arn');
  });
});
