import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the receiver answers each request, in order (the last one repeats). */
export type ReceiverMode = 'ok' | 'fail' | 'bad-request' | 'hang';

/** A local HTTP push target on 127.0.0.1 that records what it receives. */
export interface Receiver {
  readonly url: string;
  readonly bodies: unknown[];
  /** Requests received, including failed and hung ones. */
  readonly requests: () => number;
  close(): Promise<void>;
}

/** Starts a receiver answering 200, 500, 400 or never, as `modes` says, request by request. */
export async function startReceiver(modes: ReceiverMode[]): Promise<Receiver> {
  const bodies: unknown[] = [];
  const hung: ServerResponse[] = [];
  let count = 0;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const mode = modes[Math.min(count, modes.length - 1)] ?? 'ok';
    count += 1;
    let text = '';
    req.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    req.on('end', () => {
      if (mode === 'hang') {
        hung.push(res);
        return;
      }
      if (mode === 'ok') bodies.push(JSON.parse(text));
      res.statusCode = mode === 'ok' ? 200 : mode === 'fail' ? 500 : 400;
      res.end(mode === 'ok' ? '' : '{"error":"nope"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/push?key=SECRETKEY`,
    bodies,
    requests: () => count,
    async close() {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
