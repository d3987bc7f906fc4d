/** Malformed-but-parseable response options. */
export interface MalformedOptions {
  /** Share of metric values sent as null (0..1). */
  readonly nullValues?: number;
  /** Drop optional members (LastModifiedTime, Arn of dimensions, ...). */
  readonly missingOptionalFields?: boolean;
  /** Add a collection with a metric name the SDK's enum does not know. */
  readonly unknownMetricNames?: boolean;
  /** Give resources very long, non-ASCII names. */
  readonly longNonAsciiNames?: boolean;
}

/** Faults to inject; every field is optional. */
export interface FaultSettings {
  /** Extra share of calls answered with 429 ThrottlingException, on top of the quotas (0..1). */
  readonly throttleRate?: number;
  /** Share of calls answered with 500 InternalServiceException (0..1). */
  readonly errorRate?: number;
  /** Delay added before every answer, in ms. */
  readonly latencyMs?: number;
  /** Every call inside [from, to) (epoch ms, wall clock) answers 503 ServiceUnavailableException. */
  readonly outage?: { readonly from: number; readonly to: number } | null;
  readonly malformed?: MalformedOptions;
}

/** Live fault settings: read by the server on every call, changed by tests while it runs. */
export class Faults {
  throttleRate = 0;
  errorRate = 0;
  latencyMs = 0;
  outage: { from: number; to: number } | null = null;
  malformed: MalformedOptions = {};

  constructor(
    initial: FaultSettings = {},
    private readonly now: () => number = () => Date.now(),
  ) {
    this.set(initial);
  }

  /** Replaces the given settings (others keep their values). */
  set(settings: FaultSettings): void {
    if (settings.throttleRate !== undefined) this.throttleRate = rate('throttleRate', settings.throttleRate);
    if (settings.errorRate !== undefined) this.errorRate = rate('errorRate', settings.errorRate);
    if (settings.latencyMs !== undefined) {
      if (!(settings.latencyMs >= 0))
        throw new RangeError(`latencyMs must be >= 0, got ${settings.latencyMs}`);
      this.latencyMs = settings.latencyMs;
    }
    if (settings.outage !== undefined) this.outage = settings.outage ? { ...settings.outage } : null;
    if (settings.malformed !== undefined) this.malformed = { ...settings.malformed };
  }

  /** Starts an outage of `ms` from now (wall clock). */
  outageFor(ms: number): void {
    const from = this.now();
    this.outage = { from, to: from + ms };
  }

  /** Removes every fault. */
  clear(): void {
    this.set({ throttleRate: 0, errorRate: 0, latencyMs: 0, outage: null, malformed: {} });
  }

  /** Whether an outage is in force now. */
  inOutage(): boolean {
    const t = this.now();
    return this.outage !== null && t >= this.outage.from && t < this.outage.to;
  }
}

function rate(name: string, value: number): number {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be between 0 and 1, got ${value}`);
  return value;
}
