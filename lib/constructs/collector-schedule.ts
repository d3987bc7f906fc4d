import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Props of {@link CollectorSchedule}. */
export interface CollectorScheduleProps {
  readonly function: IFunction;
  /** Minutes between runs (1-1440). */
  readonly everyMinutes: number;
  /**
   * Minute past each aligned boundary to run at, when `everyMinutes` divides an hour; lets interval
   * collectors run just after an interval closes.
   * @default 0
   */
  readonly offsetMinutes?: number;
  /** Where EventBridge sends an invocation it could not deliver. */
  readonly deadLetterQueue: IQueue;
}

/** The schedule expression: aligned cron when the period divides an hour, otherwise a rate. */
export function scheduleFor(everyMinutes: number, offsetMinutes = 0): Schedule {
  if (everyMinutes < 60 && 60 % everyMinutes === 0) {
    return Schedule.cron({ minute: `${offsetMinutes % everyMinutes}/${everyMinutes}` });
  }
  if (everyMinutes === 60) return Schedule.cron({ minute: `${offsetMinutes % 60}` });
  return Schedule.rate(Duration.minutes(everyMinutes));
}

/** Runs one collector on a minute schedule through EventBridge, with a dead-letter queue. */
export class CollectorSchedule extends Construct {
  public readonly rule: Rule;

  constructor(scope: Construct, id: string, props: CollectorScheduleProps) {
    super(scope, id);
    const m = props.everyMinutes;
    const offset = props.offsetMinutes ?? 0;
    const problems: string[] = [];
    if (!Number.isInteger(m) || m < 1 || m > 1440) problems.push(`everyMinutes: expected 1-1440 (got ${m})`);
    if (!Number.isInteger(offset) || offset < 0 || offset > 59) {
      problems.push(`offsetMinutes: expected 0-59 (got ${offset})`);
    }
    if (problems.length > 0) throw new Error(`CollectorSchedule ${id}: ${problems.join('; ')}`);

    this.rule = new Rule(this, 'Rule', {
      description: `Runs ${props.function.node.path} every ${m} minutes`,
      schedule: scheduleFor(m, offset),
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
