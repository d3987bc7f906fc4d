import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Props of {@link CollectorSchedule}. */
export interface CollectorScheduleProps {
  readonly function: IFunction;
  /** Minutes between runs (1-1440): sets how old an undelivered event may get. */
  readonly everyMinutes: number;
  /** The cron's minute and hour fields (UTC), from the feed table's `cronFields`. */
  readonly cron: { readonly minute: string; readonly hour: string };
  /** Where EventBridge sends an invocation it could not deliver. */
  readonly deadLetterQueue: IQueue;
}

const CRON_FIELD = /^[0-9*/,-]+$/;

/** Runs one collector on a cron schedule through EventBridge, with a dead-letter queue. */
export class CollectorSchedule extends Construct {
  public readonly rule: Rule;

  constructor(scope: Construct, id: string, props: CollectorScheduleProps) {
    super(scope, id);
    const m = props.everyMinutes;
    const problems: string[] = [];
    if (!Number.isInteger(m) || m < 1 || m > 1440) problems.push(`everyMinutes: expected 1-1440 (got ${m})`);
    for (const field of ['minute', 'hour'] as const) {
      if (!CRON_FIELD.test(props.cron[field])) {
        problems.push(`cron.${field}: expected a cron field such as 1/5 or 0 (got ${props.cron[field]})`);
      }
    }
    if (problems.length > 0) throw new Error(`CollectorSchedule ${id}: ${problems.join('; ')}`);

    this.rule = new Rule(this, 'Rule', {
      description: `Runs ${props.function.node.path} every ${m} minutes`,
      schedule: Schedule.cron(props.cron),
      targets: [
        new LambdaFunction(props.function, {
          deadLetterQueue: props.deadLetterQueue,
          // Collectors catch up from their watermark, so a late event is still worth running once.
          maxEventAge: Duration.minutes(Math.max(m, 5)),
          retryAttempts: 2,
        }),
      ],
    });
  }
}
