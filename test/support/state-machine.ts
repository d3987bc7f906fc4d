import type { Template } from 'aws-cdk-lib/assertions';
import { StateMachine as LocalStateMachine } from 'aws-local-stepfunctions';

// aws-local-stepfunctions uses Promise.withResolvers, which Node 20 lacks.
if (!('withResolvers' in Promise)) {
  Object.assign(Promise, {
    withResolvers<T>() {
      let resolve!: (value: T) => void;
      let reject!: (reason: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

/**
 * A synthesized state machine's definition: DefinitionString, with any Fn::Join of literals joined.
 * `logicalId` picks one when the template has several (a fleet's schedules have their fan-outs).
 */
export function definitionOf(template: Template, logicalId?: RegExp): Record<string, unknown> {
  const machines = Object.entries(template.findResources('AWS::StepFunctions::StateMachine')).filter(
    ([id]) => !logicalId || logicalId.test(id),
  );
  if (machines.length !== 1) {
    throw new Error(
      `expected one state machine${logicalId ? ` matching ${logicalId}` : ''}, found ${machines.length}`,
    );
  }
  const raw = machines[0]![1].Properties.DefinitionString as unknown;
  const text = typeof raw === 'string' ? raw : joinLiterals(raw);
  return JSON.parse(text) as Record<string, unknown>;
}
function joinLiterals(value: unknown): string {
  const join = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return join[1].map((part) => (typeof part === 'string' ? part : 'arn:aws')).join(join[0]);
}

/** One task invocation the execution made. */
export interface TaskCall {
  /** The task state invoked (`InvokeCurrentMetrics`...). */
  readonly task: string;
  readonly tick: number;
  /** The fleet group the invocation was for, and its instances (the payload's). */
  readonly group: string;
  readonly instanceIds: readonly string[];
  /** Fake-clock epoch ms when it was invoked. */
  readonly at: number;
}

/** How a task behaves on a tick of a group: slow, failing, or neither. */
export type TaskBehaviour = (
  task: string,
  tick: number,
  group: string,
) => { delayMs?: number; fail?: boolean };

/**
 * Runs a synthesized polling-loop definition locally (aws-local-stepfunctions) on jest's fake clock:
 * the execution starts at `start` with the input EventBridge sends (`{ scheduledAt: <event time> }`)
 * when `scheduledAt` is given, and every task state named in `tasks` is answered by a local handler
 * that records the call and may be slow or throw.
 */
export async function executeLoop(
  definition: Record<string, unknown>,
  options: {
    start: number;
    scheduledAt?: number;
    /** The shard the rule's event names; left out as when started by hand. */
    shard?: number;
    tasks: readonly string[];
    behaviour?: TaskBehaviour;
  },
): Promise<TaskCall[]> {
  jest.useFakeTimers({ now: options.start });
  const calls: TaskCall[] = [];
  const handler = (task: string) => async (input: unknown) => {
    const { tick, group, instanceIds } = input as { tick: number; group: string; instanceIds: string[] };
    calls.push({ task, tick, group, instanceIds, at: Date.now() });
    const { delayMs, fail } = options.behaviour?.(task, tick, group) ?? {};
    if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (fail) throw new Error(`${task} failed on tick ${tick}`);
    return { ok: true };
  };
  const machine = new LocalStateMachine(definition as never, { validationOptions: { checkArn: false } });
  // EventBridge's `time` is whole seconds: "2026-11-23T12:00:44Z".
  const input: Record<string, string | number> = {
    ...(options.scheduledAt === undefined
      ? {}
      : { scheduledAt: new Date(options.scheduledAt).toISOString().replace(/\.\d{3}Z$/, 'Z') }),
    ...(options.shard === undefined ? {} : { shard: options.shard }),
  };
  const execution = machine.run(input, {
    // aws-local-stepfunctions does not set $$.State.EnteredTime; a getter reads the (fake) clock
    // when the state reads it, which is when the state is entered.
    context: {
      State: {
        get EnteredTime() {
          return new Date().toISOString();
        },
      },
    },
    overrides: {
      taskResourceLocalHandlers: Object.fromEntries(options.tasks.map((t) => [t, handler(t)])),
    },
  });
  let settled: { result?: unknown; error?: unknown } | undefined;
  execution.result.then(
    (result) => {
      settled = { result };
    },
    (error: unknown) => {
      settled = { error };
    },
  );
  for (let i = 0; i < 300 && !settled; i++) await jest.advanceTimersByTimeAsync(1000);
  jest.useRealTimers();
  if (!settled) throw new Error('the execution did not finish within 300 simulated seconds');
  if (settled.error) throw settled.error;
  return calls;
}
