import { createHash, createHmac } from 'node:crypto';
import { ConnectApiError } from './errors';

/**
 * Opaque, signed, expiring NextTokens. A token names the offset of the next page and a digest of the
 * request it belongs to, so a token replayed with different filters, tampered with or expired is
 * refused with InvalidParameterException, as Connect does for a token it cannot use.
 */
export class PageTokens {
  constructor(private readonly secret: string) {}

  /**
   * A token for the page starting at `offset` of the request described by `request`; `snapshot` names
   * the cached answer later pages come from (see {@link SnapshotCache}).
   */
  issue(request: unknown, offset: number, nowMs: number, ttlMs: number, snapshot?: string): string {
    const body = Buffer.from(
      JSON.stringify({
        o: offset,
        d: digest(request),
        e: nowMs + ttlMs,
        ...(snapshot ? { s: snapshot } : {}),
      }),
    ).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  /** The offset a token points at (0 when there is no token). */
  offset(token: string | undefined, request: unknown, nowMs: number): number {
    return this.read(token, request, nowMs).offset;
  }

  /** The offset and snapshot a token names, after checking it belongs to the request and is live. */
  read(token: string | undefined, request: unknown, nowMs: number): { offset: number; snapshot?: string } {
    if (token === undefined || token === '') return { offset: 0 };
    const [body, signature] = token.split('.');
    if (!body || !signature || this.sign(body) !== signature) {
      throw new ConnectApiError('InvalidParameterException', 'The NextToken is not valid for this request.');
    }
    const parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as {
      o: number;
      d: string;
      e: number;
      s?: string;
    };
    if (parsed.d !== digest(request)) {
      throw new ConnectApiError(
        'InvalidParameterException',
        'The NextToken does not belong to this request.',
      );
    }
    if (parsed.e < nowMs)
      throw new ConnectApiError('InvalidParameterException', 'The NextToken has expired.');
    return parsed.s === undefined ? { offset: parsed.o } : { offset: parsed.o, snapshot: parsed.s };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url').slice(0, 22);
  }
}

/**
 * Answers kept for their later pages: GetCurrentMetricData's DataSnapshotTime is "the time at which
 * the metrics were retrieved and cached for pagination" (API reference), so every page of one request
 * reports the same snapshot even when the centre has moved on.
 */
export class SnapshotCache<T> {
  private readonly entries = new Map<string, { value: T; expiresMs: number }>();
  private next = 0;

  /** Keeps `value` until `expiresMs` and returns its name. */
  keep(value: T, expiresMs: number, nowMs: number): string {
    for (const [name, entry] of this.entries) if (entry.expiresMs < nowMs) this.entries.delete(name);
    this.next += 1;
    const name = String(this.next);
    this.entries.set(name, { value, expiresMs });
    return name;
  }

  /** The value kept under `name`, if it has not expired. */
  get(name: string, nowMs: number): T | undefined {
    const entry = this.entries.get(name);
    return entry && entry.expiresMs >= nowMs ? entry.value : undefined;
  }
}

function digest(request: unknown): string {
  return createHash('sha256').update(JSON.stringify(request)).digest('base64url').slice(0, 16);
}

/** One page of `items` with the next token, or none on the last page. */
export function page<T>(
  items: readonly T[],
  offset: number,
  max: number,
  next: (offset: number) => string,
): { items: T[]; nextToken?: string } {
  const slice = items.slice(offset, offset + max);
  return offset + max < items.length ? { items: slice, nextToken: next(offset + max) } : { items: slice };
}
