import { parseArgs } from 'node:util';
import * as z from 'zod';
import { AcceleratedClock, startConnectSimulator } from '../simulator';
import { SIMULATOR_PROFILES } from '../simulator/catalog';
import { isTimeZone } from '../simulator/hours';

/**
 * `npm run simulator -- --port 4010 --queues 50 --agents 500 --seed 7 [--instance-id ID] [--profile single-site|office-hours]
 *   [--time-zone Europe/London]
 *   [--speed 60] [--warm-up-minutes 60]`
 * Runs the Connect simulator standalone (real time unless --speed) and prints what the SDK needs.
 */
const ArgsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(4010),
  host: z.string().default('127.0.0.1'),
  queues: z.coerce.number().int().min(1).max(2000).default(5),
  agents: z.coerce.number().int().min(1).max(20000).default(20),
  seed: z.coerce.number().int().default(7),
  profile: z.enum(SIMULATOR_PROFILES).default('follow-the-sun'),
  'time-zone': z
    .string()
    .refine(isTimeZone, { message: 'expected an IANA time zone such as Europe/London' })
    .optional(),
  'instance-id': z.uuid().optional(),
  region: z.string().default('us-east-1'),
  'account-id': z
    .string()
    .regex(/^\d{12}$/)
    .default('123456789012'),
  speed: z.coerce.number().positive().max(3600).default(1),
  'warm-up-minutes': z.coerce.number().int().min(0).max(1440).default(0),
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      queues: { type: 'string' },
      agents: { type: 'string' },
      seed: { type: 'string' },
      profile: { type: 'string' },
      'time-zone': { type: 'string' },
      'instance-id': { type: 'string' },
      region: { type: 'string' },
      'account-id': { type: 'string' },
      speed: { type: 'string' },
      'warm-up-minutes': { type: 'string' },
    },
  });
  const parsed = ArgsSchema.safeParse(values);
  if (!parsed.success) {
    process.stderr.write(
      `Invalid arguments: ${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}\n`,
    );
    process.exit(2);
  }
  const args = parsed.data;
  const simulator = await startConnectSimulator({
    port: args.port,
    host: args.host,
    queues: args.queues,
    agents: args.agents,
    seed: args.seed,
    profile: args.profile,
    ...(args['time-zone'] ? { timeZone: args['time-zone'] } : {}),
    clock: args.speed === 1 ? undefined : new AcceleratedClock(args.speed),
    warmUpMs: args['warm-up-minutes'] * 60_000,
    instances: args['instance-id']
      ? [{ instanceId: args['instance-id'], region: args.region, accountId: args['account-id'] }]
      : undefined,
  });
  const instance = simulator.instances[0];
  process.stdout.write(
    [
      'Connect simulator running',
      `  endpoint:     ${simulator.endpoint}`,
      `  region:       ${simulator.region}`,
      `  instance id:  ${instance?.instanceId ?? ''}`,
      `  instance ARN: ${instance?.arn ?? ''}`,
      `  credentials:  any static keys, e.g. accessKeyId=AKIDLOCAL secretAccessKey=local`,
      '',
    ].join('\n'),
  );
  const stop = (): void => {
    void simulator.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
