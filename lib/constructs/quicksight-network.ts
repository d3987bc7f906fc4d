import { CfnSecurityGroupIngress, type IVpc, Peer, Port, SecurityGroup } from 'aws-cdk-lib/aws-ec2';
import type { IDatabaseCluster } from 'aws-cdk-lib/aws-rds';
import type { Construct } from 'constructs';

/**
 * The network path of QuickSightReporting, as plain functions beside it: the security group of the
 * VPC connection and the rules that let it reach the metrics database over PostgreSQL.
 */

/** What {@link quickSightSecurityGroup} creates. */
export interface QuickSightNetwork {
  /** The VPC connection's security group (`SecurityGroup` in the scope). */
  readonly securityGroup: SecurityGroup;
  /** One rule on each of the cluster's security groups letting the VPC connection in. */
  readonly databaseIngress: CfnSecurityGroupIngress[];
}

/**
 * The VPC connection's security group in `vpc`, allowed out to the cluster on 5432 and back in from it,
 * and one ingress rule on each of the cluster's security groups (`DatabaseIngress<i>` in `scope`).
 */
export function quickSightSecurityGroup(
  scope: Construct,
  vpc: IVpc,
  cluster: IDatabaseCluster,
): QuickSightNetwork {
  // QuickSight's network interfaces are not stateful: return traffic from the database must be allowed in.
  const securityGroup = new SecurityGroup(scope, 'SecurityGroup', {
    vpc,
    description: 'QuickSight VPC connection to the metrics database',
    allowAllOutbound: false,
  });
  const databaseIngress = cluster.connections.securityGroups.map((sg, i) => {
    securityGroup.addEgressRule(Peer.securityGroupId(sg.securityGroupId), Port.tcp(5432), 'To PostgreSQL');
    securityGroup.addIngressRule(
      Peer.securityGroupId(sg.securityGroupId),
      Port.tcpRange(1024, 65535),
      'PostgreSQL replies',
    );
    // Declared here, not with cluster.connections, so the database stack never references this one.
    return new CfnSecurityGroupIngress(scope, `DatabaseIngress${i}`, {
      groupId: sg.securityGroupId,
      sourceSecurityGroupId: securityGroup.securityGroupId,
      ipProtocol: 'tcp',
      fromPort: 5432,
      toPort: 5432,
      description: 'QuickSight VPC connection',
    });
  });
  return { securityGroup, databaseIngress };
}
