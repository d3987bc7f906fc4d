import { createHash, createHmac } from 'node:crypto';
import { ConnectApiError } from './errors';

/**
 * Opaque, signed, expiring NextTokens. A token names the offset of the next page and a digest of the
 * request it belongs to, so a token replayed with different filters, tampered with or expired is
 * refused with InvalidParameterException, as Connect does for a token it cannot use.
 */
export class PageTokens {
  constructor(private readonly secret: string) {}

  /** A token for the page starting at `offset` of the request described by `request`. */
  issue(request: unknown, offset: number, nowMs: number, ttlMs: number): string {
    const body = Buffer.from(JSON.stringify({ o: offset, d: digest(request), e: nowMs + ttlMs })).toString(
      'base64url',
    );
    return `${body}.${this.sign(body)}`;
  }

  /** The offset a token points at (0 when there is no token). */
  offset(token: string | undefined, request: unknown, nowMs: number): number {
    if (token === undefined || token === '') return 0;
    const [body, signature] = token.split('.');
    if (!body || !signature || this.sign(body) !== signature) {
      throw new ConnectApiError('InvalidParameterException', 'The NextToken is not valid for this request.');
    }
    const parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as {
      o: number;
      d: string;
      e: number;
    };
    if (parsed.d !== digest(request)) {
      throw new ConnectApiError(
        'InvalidParameterException',
        'The NextToken does not belong to this request.',
      );
    }
    if (parsed.e < nowMs)
      throw new ConnectApiError('InvalidParameterException', 'The NextToken has expired.');
    return parsed.o;
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url').slice(0, 22);
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
