import { parseArgs } from 'node:util';
import * as z from 'zod';
import { PushUrlSchema } from '../../lambdas/push/push-latest-metrics';
import { createLogger } from '../../lambdas/shared/runtime/logger';
import type { ConnectTarget } from '../runner/connect-target';
import type { LocalDatabase } from '../runner/database';
import { startLocalPipeline } from '../runner/local-pipeline';
import { DEFAULT_REPLAY_MS, MAX_REPLAY_MS, ReplayClock, replayStart } from '../runner/replay-clock';
import { SIMULATOR_PROFILES } from '../simulator/catalog';
import { isTimeZone } from '../simulator/hours';

/**
 * `npm start`: the whole pipeline on this machine (see README "Run it locally"). With no options:
 * simulator (12 queues, 150 agents, seed 7) + embedded PGlite under .local/pgdata + local Data API +
 * the four collectors on the deployed schedules + /check on http://127.0.0.1:8080/check.
 */
const USAGE = `usage: npm start -- [options]
  --config FILE            deploy config the cadences and quotas come from (default config/example.json)
  --port N                 /check port (default 8080)        --minutes N   stop after N (real) minutes
  --data-dir DIR           embedded database folder (default .local/pgdata)
  --ephemeral              in-memory database, gone on exit   --database-url URL   a PostgreSQL server instead
  simulator: --queues N (12) --agents N (150) --seed N (7) --throttle-rate 0..1 --error-rate 0..1
             --outage-at SECONDS --outage-for SECONDS (an outage window, seconds after start)
             --instances N [--accounts N]  a simulated fleet: N instances over that many client accounts
                          (default N / 4; each account its own Connect quotas; 10 queues, 50 agents each)
             --profile follow-the-sun|single-site|office-hours [--time-zone ZONE]  the centre's hours
                          of operation (office-hours: Mon-Fri 08:00-20:00 in ZONE, default America/New_York)
             --speed N [--start-at TIME]  replay: the simulated clock starts at TIME (an instant with
                          its zone, 2026-11-27T19:00:00-05:00, or a time ago, 14h or 90m; default 12h)
                          and runs N times real time (2..3600) until it has caught up, then live
  real Connect: --instance-id ID --region REGION [--instance-arn ARN] [--connect-endpoint URL]
  --backfill-hours N       hours of history the first historical run reads (default 6, so the dashboard's
                           history fills within a minute; the deploy config's historicalBackfillHours otherwise)
  --push-url URL           also POST each current-metrics snapshot there, as the deployed push target does
  --verbose                collector logs (JSON) on stderr`;

/** The options, with `--start-at` read against `nowMs` (one reading of the clock for every check). */
const args = (nowMs: number) =>
  z
    .object({
      config: z.string().min(1).default('config/example.json'),
      port: z.coerce.number().int().min(0).max(65_535).default(8080),
      host: z.string().min(1).default('127.0.0.1'),
      minutes: z.coerce.number().positive().optional(),
      'data-dir': z.string().min(1).default('.local/pgdata'),
      ephemeral: z.boolean().default(false),
      'database-url': z
        .string()
        .regex(/^postgres(ql)?:\/\//, { message: 'expected a postgres:// URL' })
        .optional(),
      queues: z.coerce.number().int().min(1).max(2000).optional(),
      agents: z.coerce.number().int().min(1).max(20_000).optional(),
      instances: z.coerce.number().int().min(1).max(500).default(1),
      accounts: z.coerce.number().int().min(1).max(500).optional(),
      seed: z.coerce.number().int().default(7),
      profile: z.enum(SIMULATOR_PROFILES).default('follow-the-sun'),
      'time-zone': z
        .string()
        .refine(isTimeZone, { message: 'expected an IANA time zone such as Europe/London' })
        .optional(),
      'throttle-rate': z.coerce.number().min(0).max(1).default(0),
      'error-rate': z.coerce.number().min(0).max(1).default(0),
      'outage-at': z.coerce.number().min(0).optional(),
      'outage-for': z.coerce.number().positive().optional(),
      'instance-id': z.string().min(1).optional(),
      'instance-arn': z.string().min(1).optional(),
      region: z
        .string()
        .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { message: 'expected an AWS Region such as us-east-1' })
        .optional(),
      'connect-endpoint': z.url().optional(),
      'push-url': PushUrlSchema.optional(),
      'backfill-hours': z.coerce.number().int().min(1).max(72).default(6),
      speed: z.coerce
        .number()
        .refine((n) => n === 1 || (n >= 2 && n <= 3600), { message: 'expected 1 (real time) or 2 to 3600' })
        .default(1),
      'start-at': z
        .string()
        .transform((text, ctx) => {
          const at = replayStart(text, nowMs);
          if (at === undefined) {
            ctx.addIssue({
              code: 'custom',
              message: `expected an instant with its zone (2026-11-27T19:00:00-05:00 or ...Z) or a time ago (14h, 90m), got "${text}"`,
            });
            return z.NEVER;
          }
          return at;
        })
        .optional(),
      verbose: z.boolean().default(false),
    })
    .superRefine((a, ctx) => {
      const problem = (message: string) => ctx.addIssue({ code: 'custom', message });
      if (a['database-url'] && a.ephemeral) problem('--database-url and --ephemeral do not go together');
      if ((a['outage-at'] === undefined) !== (a['outage-for'] === undefined))
        problem('--outage-at and --outage-for go together');
      if (a['connect-endpoint'] && !a['instance-id']) problem('--connect-endpoint needs --instance-id');
      if (a['instance-id'] && !a.region && !a['connect-endpoint']) problem('--instance-id needs --region');
      if (a['instance-id'] && a.instances > 1)
        problem('--instances simulates a fleet; it does not go with --instance-id');
      if (a.accounts !== undefined && a.accounts > a.instances)
        problem(`--accounts (${a.accounts}) must not exceed --instances (${a.instances})`);
      if (a.speed > 1 && a['instance-id'])
        problem('--speed replays the simulator; real Connect answers in real time only (drop --instance-id)');
      if (a['start-at'] !== undefined) {
        const behind = nowMs - a['start-at'];
        if (a.speed === 1)
          problem('--start-at needs --speed above 1 (a replay at real time never catches up)');
        if (behind < 0)
          problem(
            `--start-at: ${new Date(a['start-at']).toISOString()} is in the future; a replay starts in the past`,
          );
        if (behind > MAX_REPLAY_MS)
          problem(
            `--start-at: ${new Date(a['start-at']).toISOString()} is more than ${MAX_REPLAY_MS / 86_400_000} days ago`,
          );
      }
    });

const OPTIONS = {
  config: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  minutes: { type: 'string' },
  'data-dir': { type: 'string' },
  ephemeral: { type: 'boolean' },
  'database-url': { type: 'string' },
  queues: { type: 'string' },
  agents: { type: 'string' },
  instances: { type: 'string' },
  accounts: { type: 'string' },
  seed: { type: 'string' },
  profile: { type: 'string' },
  'time-zone': { type: 'string' },
  'throttle-rate': { type: 'string' },
  'error-rate': { type: 'string' },
  'outage-at': { type: 'string' },
  'outage-for': { type: 'string' },
  'instance-id': { type: 'string' },
  'push-url': { type: 'string' },
  'backfill-hours': { type: 'string' },
  speed: { type: 'string' },
  'start-at': { type: 'string' },
  'instance-arn': { type: 'string' },
  region: { type: 'string' },
  'connect-endpoint': { type: 'string' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: OPTIONS, strict: true });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const startMs = Date.now();
  const parsed = args(startMs).safeParse(values);
  if (!parsed.success) {
    throw new Error(
      `${parsed.error.issues.map((i) => (i.path.length ? `--${i.path.join('.')}: ${i.message}` : i.message)).join('; ')}\n${USAGE}`,
    );
  }
  const a = parsed.data;
  const database: LocalDatabase = a['database-url']
    ? { kind: 'postgres', url: a['database-url'] }
    : { kind: 'pglite', ...(a.ephemeral ? {} : { dataDir: a['data-dir'] }) };
  const clock =
    a.speed > 1
      ? ReplayClock.replay(a.speed, a['start-at'] ?? startMs - DEFAULT_REPLAY_MS)
      : ReplayClock.real();
  const connect: ConnectTarget = a['instance-id']
    ? {
        kind: 'connect',
        instanceId: a['instance-id'],
        region: a.region ?? 'us-east-1',
        instanceArn: a['instance-arn'],
        endpoint: a['connect-endpoint'],
      }
    : {
        kind: 'simulator',
        // A fleet's instances are smaller by default (the fleet bench's shape), so 50 fit on a laptop.
        queues: a.queues ?? (a.instances > 1 ? 10 : 12),
        agents: a.agents ?? (a.instances > 1 ? 50 : 150),
        ...(a.instances > 1
          ? {
              fleet: {
                instances: a.instances,
                accounts: a.accounts ?? Math.max(1, Math.ceil(a.instances / 4)),
              },
            }
          : {}),
        seed: a.seed,
        profile: a.profile,
        clock,
        ...(a['time-zone'] ? { timeZone: a['time-zone'] } : {}),
        faults: {
          throttleRate: a['throttle-rate'],
          errorRate: a['error-rate'],
          ...(a['outage-at'] !== undefined && a['outage-for'] !== undefined
            ? {
                outage: {
                  from: startMs + a['outage-at'] * 1000,
                  to: startMs + (a['outage-at'] + a['outage-for']) * 1000,
                },
              }
            : {}),
        },
        // Build the history a real instance would already have, so the first historical run backfills.
        warmUpMs: 24 * 3_600_000,
      };
  process.stdout.write('connect-metrics-pipeline: starting the local pipeline...\n');
  const pipeline = await startLocalPipeline({
    configPath: a.config,
    database,
    connect,
    checkPort: a.port,
    host: a.host,
    out: process.stdout,
    pushUrl: a['push-url'],
    backfillHours: a['backfill-hours'],
    clock,
    ...(a.verbose ? { log: createLogger('local-runner') } : {}),
  });

  const caughtUp = clock.caughtUpAt;
  if (clock.speed > 1 && caughtUp !== undefined) {
    pipeline.view.note(
      `replaying from ${new Date(clock.startMs).toISOString().slice(0, 16)}Z at ${clock.speed}x real time: ` +
        `caught up with the real clock at ${new Date(caughtUp).toISOString().slice(11, 19)}Z real time ` +
        `(in ${((caughtUp - Date.now()) / 60_000).toFixed(1)} min), live after that`,
    );
  }

  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) {
      process.stdout.write('stopping already; press Ctrl-C again to force exit\n');
      process.once('SIGINT', () => process.exit(130));
      return;
    }
    stopping = true;
    pipeline.view.note(`${why}: stopping (runs in flight finish or roll back)...`);
    const summary = await pipeline.stop();
    process.stdout.write(summary);
    process.stdout.write('stopped cleanly\n');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('Ctrl-C'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  if (a.minutes) setTimeout(() => void stop(`${a.minutes} minute(s) done`), a.minutes * 60_000);
}

main().catch((error: unknown) => {
  process.stderr.write(`npm start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
