import { createServer, type Server, type ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';

/** What the check logic answers (the same shape the Lambda maps to API Gateway). */
export interface CheckAnswer {
  readonly statusCode: number;
  readonly body: string | Buffer;
  /** @default application/json */
  readonly contentType?: string;
  /** Extra response headers (caching). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Bodies at least this long are gzipped for clients that accept it (the dashboard's assets and rows). */
const GZIP_FROM_BYTES = 1024;

/** Further GET routes: an answer for the paths it serves, null for the others (404). */
export type ExtraRoutes = (
  pathname: string,
  query: Record<string, string | undefined>,
) => Promise<CheckAnswer> | null;

/**
 * Serves `GET /check?...` on localhost with the same check logic the deployed API runs, and any
 * `routes` beside it (the dashboard page and its JSON API), gzipped when the client accepts it.
 */
export async function startCheckServer(
  check: (query: Record<string, string | undefined>) => Promise<CheckAnswer>,
  options: { port: number; host: string; routes?: ExtraRoutes },
): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const sendJson = (res: ServerResponse, status: number, message: string, extra = {}) =>
    res.writeHead(status, { 'content-type': 'application/json', ...extra }).end(JSON.stringify({ message }));
  let hosts: Set<string> = new Set();
  const server = createServer((req, res) => {
    // Only this server's own names: a page elsewhere cannot reach it through a rebound DNS name.
    if (!hosts.has(String(req.headers.host ?? '').toLowerCase())) {
      sendJson(res, 421, `unexpected Host header; use ${[...hosts][0] ?? 'the printed address'}`);
      return;
    }
    if (req.method !== 'GET') {
      sendJson(res, 405, 'use GET', { allow: 'GET' });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const query: Record<string, string | undefined> = {};
    for (const [key, value] of url.searchParams) query[key] = value;
    const answer = url.pathname === '/check' ? null : (options.routes?.(url.pathname, query) ?? null);
    if (url.pathname !== '/check' && !answer) {
      sendJson(res, 404, 'not found: GET /, /check and /api/... are served');
      return;
    }
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    (answer ?? check(query)).then(
      (answer) => {
        const body = typeof answer.body === 'string' ? Buffer.from(answer.body) : answer.body;
        const compress = gzip && body.length >= GZIP_FROM_BYTES;
        res
          .writeHead(answer.statusCode, {
            'content-type': answer.contentType ?? 'application/json',
            'x-content-type-options': 'nosniff',
            ...(compress ? { 'content-encoding': 'gzip', vary: 'accept-encoding' } : {}),
            ...answer.headers,
          })
          .end(compress ? gzipSync(body) : body);
      },
      (error: unknown) =>
        res
          .writeHead(500, { 'content-type': 'application/json' })
          .end(JSON.stringify({ message: error instanceof Error ? error.message : String(error) })),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  hosts = new Set(
    [`${options.host}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`].map((h) => h.toLowerCase()),
  );
  return {
    url: `http://${options.host}:${port}/check`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
