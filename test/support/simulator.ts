import { ConnectClient } from '@aws-sdk/client-connect';
import type { ConnectSimulatorOptions } from '../../local/simulator/index';
import { ManualClock, type RunningSimulator, startConnectSimulator } from '../../local/simulator/index';

/** Midnight UTC of a fixed day, so tests do not depend on the wall clock. */
export const DAY_START = Date.UTC(2026, 10, 20, 0, 0, 0);

/** A simulator on a manual clock plus a real ConnectClient pointed at it. */
export async function startTestSimulator(
  options: ConnectSimulatorOptions = {},
  startMs = DAY_START + 9 * 3_600_000,
): Promise<{
  sim: RunningSimulator;
  clock: ManualClock;
  client: ConnectClient;
  instanceId: string;
  arn: string;
}> {
  const clock = new ManualClock(startMs);
  const sim = await startConnectSimulator({ seed: 7, queues: 5, agents: 20, clock, ...options });
  const client = new ConnectClient({
    endpoint: sim.endpoint,
    region: sim.region,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const instance = sim.instances[0];
  if (!instance) throw new Error('no instance');
  return { sim, clock, client, instanceId: instance.instanceId, arn: instance.arn };
}
