import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SegmentApiClient, type ApiEvent, type SegmentApiClientOptions } from '../../../api';

/** What the fake Segment saw. `rawQuery` is exactly what came after `?`. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly rawQuery: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

export interface Reply {
  readonly status?: number;
  /** Serialised as JSON. */
  readonly json?: unknown;
  /** Sent as-is (for non-JSON bodies). */
  readonly text?: string;
  readonly headers?: Record<string, string>;
  /** Never answer (for timeouts). */
  readonly hang?: boolean;
  /** Drop the connection without answering (for network errors). */
  readonly destroy?: boolean;
}

export type Handler = (request: RecordedRequest, index: number) => Reply;

export interface TestServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

const servers = new Set<Server>();

/** A throwaway HTTP server on 127.0.0.1 that answers with `handler`. */
export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const [path, rawQuery = ''] = (req.url ?? '').split(/\?(.*)/s);
      const text = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path,
        rawQuery,
        query: new URLSearchParams(rawQuery),
        headers: req.headers,
        body: text ? JSON.parse(text) : undefined,
      };
      requests.push(recorded);
      answer(res, handler(recorded, requests.length - 1));
    });
  });
  servers.add(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => closeServer(server),
  };
}

export async function closeAllServers(): Promise<void> {
  await Promise.all([...servers].map(closeServer));
}

function closeServer(server: Server): Promise<void> {
  servers.delete(server);
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

function answer(res: ServerResponse, reply: Reply): void {
  if (reply.hang) return;
  if (reply.destroy) {
    res.socket?.destroy();
    return;
  }
  const body = reply.text ?? (reply.json === undefined ? '' : JSON.stringify(reply.json));
  const contentType = reply.text === undefined ? 'application/json' : 'text/html';
  res.writeHead(reply.status ?? 200, { 'Content-Type': contentType, ...reply.headers });
  res.end(body);
}

/** `{ data }`, Segment's success envelope. */
export function ok(data: unknown, status = 200): Reply {
  return { status, json: { data } };
}

/** `{ errors: [...] }`, Segment's error envelope. */
export function fail(status: number, ...errors: { type: string; message?: string; field?: string }[]): Reply {
  return { status, json: { errors } };
}

export const TOKEN = 'sgp.test.secret.0123456789';

export interface ClientHarness {
  readonly client: SegmentApiClient;
  /** Every wait the client asked for, in order. */
  readonly sleeps: number[];
  readonly events: ApiEvent[];
  /** The fake clock, in epoch ms; sleeping moves it forward. */
  readonly clock: { now: number };
}

export const CLOCK_START = Date.UTC(2025, 0, 1);

/** A client whose sleeps are recorded and instant, on a fake clock; jitter fixed at `random() = 0`. */
export function makeClient(server: TestServer, overrides: Partial<SegmentApiClientOptions> = {}): ClientHarness {
  const sleeps: number[] = [];
  const events: ApiEvent[] = [];
  const clock = { now: CLOCK_START };
  const client = new SegmentApiClient({
    token: TOKEN,
    baseUrl: server.url,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.now += ms;
    },
    random: () => 0,
    now: () => clock.now,
    onEvent: (event) => events.push(event),
    ...overrides,
  });
  return { client, sleeps, events, clock };
}

export function user(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, name: `User ${id}`, email: `${id}@example.com`, ...extra };
}

/** Asserts that `promise` rejects and returns the error for further checks. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-Error: ${String(error)}`);
  }
  throw new Error('expected the promise to reject, but it resolved');
}
