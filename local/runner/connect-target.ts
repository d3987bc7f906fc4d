import { ConnectClient, ListQueuesCommand } from '@aws-sdk/client-connect';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { InstanceConfigInput } from '../../lambdas/shared/config/runtime-config';
import { fleetInstances, onSimulator } from '../fleet';
import {
  type ConnectSimulator,
  type FaultSettings,
  type SimulatorClock,
  startConnectSimulator,
} from '../simulator';
import type { SimulatorProfile } from '../simulator/catalog';
import { LOCAL_CREDENTIALS } from './database';

/** Where the local pipeline reads Connect from. */
export type ConnectTarget =
  | {
      readonly kind: 'simulator';
      readonly queues: number;
      readonly agents: number;
      readonly seed: number;
      readonly faults?: FaultSettings;
      /** Simulated history to build before start, so the first historical run has a backfill. */
      readonly warmUpMs?: number;
      readonly port?: number;
      /**
       * A simulated fleet: this many instances over `accounts` client accounts (local/fleet.ts), each
       * account with Connect's quotas of its own. @default one instance
       */
      readonly fleet?: { readonly instances: number; readonly accounts: number };
      /** The simulated centre's profile (its hours of operation). @default 'follow-the-sun' */
      readonly profile?: SimulatorProfile;
      /** The office-hours profile's time zone. */
      readonly timeZone?: string;
      /** The simulated centre's clock: the pipeline's (a replay's) one. @default real time */
      readonly clock?: SimulatorClock;
    }
  | {
      readonly kind: 'connect';
      readonly instanceId: string;
      readonly region: string;
      /** Needed with `endpoint`; looked up through STS for real AWS when absent. */
      readonly instanceArn?: string;
      /** A Connect-compatible endpoint instead of AWS. */
      readonly endpoint?: string;
    };

/** The instances to collect from, and the simulator when there is one. */
export interface OpenedTarget {
  readonly instances: InstanceConfigInput[];
  readonly simulator?: ConnectSimulator;
  /** Credentials for the Connect clients (fake for the simulator, the default chain otherwise). */
  readonly credentials?: typeof LOCAL_CREDENTIALS;
  close(): Promise<void>;
}

/** A Connect target that cannot be used, with what to do about it. */
export class ConnectTargetError extends Error {
  override readonly name = 'ConnectTargetError';
}

/** Starts the simulator, or checks a real (or compatible) Connect instance is reachable and readable. */
export async function openConnectTarget(target: ConnectTarget): Promise<OpenedTarget> {
  if (target.kind === 'simulator') {
    const fleet = target.fleet
      ? fleetInstances({ ...target.fleet, regions: Math.min(3, target.fleet.accounts) })
      : undefined;
    const simulator = await startConnectSimulator({
      port: target.port ?? 0,
      queues: target.queues,
      agents: target.agents,
      seed: target.seed,
      faults: target.faults,
      warmUpMs: target.warmUpMs,
      ...(target.profile ? { profile: target.profile } : {}),
      ...(target.timeZone ? { timeZone: target.timeZone } : {}),
      ...(target.clock ? { clock: target.clock } : {}),
      ...(fleet
        ? {
            instances: onSimulator.simulated(fleet),
          }
        : {}),
    });
    return {
      simulator,
      credentials: LOCAL_CREDENTIALS,
      instances: fleet
        ? onSimulator.collected(fleet, simulator.endpoint)
        : simulator.instances.map((i) => ({
            instanceId: i.instanceId,
            instanceArn: i.arn,
            region: i.region,
            clientName: 'Simulated Contact Centre',
            environment: 'local',
            endpoint: simulator.endpoint,
          })),
      close: () => simulator.close(),
    };
  }
  const instanceArn = target.instanceArn ?? (await instanceArnFromSts(target));
  await preflight(target);
  return {
    instances: [
      {
        instanceId: target.instanceId,
        instanceArn,
        region: target.region,
        clientName: target.endpoint ? 'Connect endpoint' : 'Amazon Connect',
        environment: 'local-runner',
        endpoint: target.endpoint,
      },
    ],
    close: async () => undefined,
  };
}

async function instanceArnFromSts(target: Extract<ConnectTarget, { kind: 'connect' }>): Promise<string> {
  if (target.endpoint) {
    throw new ConnectTargetError(
      '--connect-endpoint needs --instance-arn (the instance ARN GetMetricDataV2 is asked with)',
    );
  }
  const sts = new STSClient({ region: target.region });
  try {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    return `arn:aws:connect:${target.region}:${identity.Account}:instance/${target.instanceId}`;
  } catch (error) {
    throw explain(error, target);
  } finally {
    sts.destroy();
  }
}

/** One cheap call, so a wrong region, instance or permission fails now with a clear message. */
async function preflight(target: Extract<ConnectTarget, { kind: 'connect' }>): Promise<void> {
  const client = new ConnectClient({
    region: target.region,
    maxAttempts: 2,
    ...(target.endpoint ? { endpoint: target.endpoint, credentials: LOCAL_CREDENTIALS } : {}),
  });
  try {
    await client.send(new ListQueuesCommand({ InstanceId: target.instanceId, MaxResults: 1 }));
  } catch (error) {
    throw explain(error, target);
  } finally {
    client.destroy();
  }
}

function explain(error: unknown, target: Extract<ConnectTarget, { kind: 'connect' }>): ConnectTargetError {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  const where = target.endpoint ?? `Amazon Connect in ${target.region}`;
  const hint =
    name === 'CredentialsProviderError' || /credential/i.test(message)
      ? 'no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run `aws sso login`'
      : name === 'ResourceNotFoundException'
        ? `instance ${target.instanceId} was not found in ${where}: check --instance-id and --region`
        : name === 'AccessDeniedException' || name === 'AccessDenied' || name === 'UnauthorizedException'
          ? `access denied by ${where}: the credentials need connect:ListQueues and the other read actions in the README`
          : /ENOTFOUND|EAI_AGAIN|getaddrinfo|Region/i.test(`${name} ${message}`)
            ? `cannot reach ${where}: check --region (${target.region}) or --connect-endpoint`
            : /ECONNREFUSED/.test(message)
              ? `nothing answers at ${where}: is the endpoint running?`
              : `${name}: ${message}`;
  return new ConnectTargetError(hint, { cause: error });
}
