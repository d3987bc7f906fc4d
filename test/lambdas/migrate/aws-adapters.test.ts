import {
  CloudFormationClient,
  DescribeStacksCommand,
  type StackStatus,
} from '@aws-sdk/client-cloudformation';
import { InvalidDBClusterStateFault, ModifyDBClusterCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import {
  ClusterArnError,
  clusterDeletionProtection,
  stackRollbackCheck,
} from '../../../lambdas/migrate/aws-adapters';

const rds = mockClient(RDSClient);
const cloudFormation = mockClient(CloudFormationClient);
const CLUSTER_ARN = 'arn:aws:rds:us-east-1:111111111111:cluster:connectmetrics-metrics';
const STACK_ID = 'arn:aws:cloudformation:us-east-1:111111111111:stack/ConnectMetrics-Database/1';

beforeEach(() => {
  rds.reset();
  cloudFormation.reset();
});

describe('clusterDeletionProtection', () => {
  test('sets the protection of the cluster the ARN names, at once', async () => {
    rds.on(ModifyDBClusterCommand).resolves({});

    await clusterDeletionProtection(new RDSClient({ region: 'us-east-1' }), CLUSTER_ARN)(true);

    expect(rds).toHaveReceivedCommandWith(ModifyDBClusterCommand, {
      DBClusterIdentifier: 'connectmetrics-metrics',
      DeletionProtection: true,
      ApplyImmediately: true,
    });
  });

  test('asks again while the cluster is busy with another change', async () => {
    const busy = new InvalidDBClusterStateFault({ message: 'cluster is modifying', $metadata: {} });
    rds.on(ModifyDBClusterCommand).rejectsOnce(busy).resolves({});

    await clusterDeletionProtection(new RDSClient({ region: 'us-east-1' }), CLUSTER_ARN, {
      sleep: async () => undefined,
    })(false);

    expect(rds).toHaveReceivedCommandTimes(ModifyDBClusterCommand, 2);
  });

  test('refuses an ARN that names no cluster, with the value received, when asked to set it', async () => {
    const set = clusterDeletionProtection(new RDSClient({}), 'arn:aws:rds:us-east-1:111111111111:db:x');

    await expect(set(true)).rejects.toThrow(ClusterArnError);
    await expect(set(true)).rejects.toThrow(/got arn:aws:rds:us-east-1:111111111111:db:x/);
    expect(rds).not.toHaveReceivedAnyCommand();
  });
});

describe('stackRollbackCheck', () => {
  test.each<[StackStatus, boolean]>([
    ['UPDATE_ROLLBACK_IN_PROGRESS', true],
    ['UPDATE_IN_PROGRESS', false],
    ['CREATE_IN_PROGRESS', false],
    ['ROLLBACK_IN_PROGRESS', false],
  ])('a stack in %s is rolling back an update: %s', async (status, expected) => {
    cloudFormation
      .on(DescribeStacksCommand, { StackName: STACK_ID })
      .resolves({ Stacks: [{ StackName: 'db', StackStatus: status, CreationTime: new Date() }] });

    await expect(
      stackRollbackCheck(new CloudFormationClient({ region: 'us-east-1' }))(STACK_ID),
    ).resolves.toBe(expected);
  });
});
