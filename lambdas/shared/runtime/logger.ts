import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The logging port the logic takes: the part of Powertools Logger the code uses, so tests and the
 * local runner can pass their own. Never log secrets, whole events or whole env.
 */
export interface Log {
  debug(message: string, ...extra: Record<string, unknown>[]): void;
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

/** A Powertools Logger for a function; level and service come from POWERTOOLS_* variables. */
export function createLogger(serviceName: string): Log {
  return new Logger({ serviceName });
}

/** A logger that drops everything (tests that do not look at logs). */
export const silentLog: Log = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
