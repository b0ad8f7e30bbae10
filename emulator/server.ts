import { EmulatorClock } from './clock';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { ADMIN_PREFIX, EmulatorControl, handleAdminRequest } from './admin-handler';
import { errorResponse, handleSegmentApiRequest } from './api-handler';
import { FaultInjector, FaultOptions } from './faults';
import { readRequestText, sendJson } from './http-io';
import { RateLimitOptions, RateLimiter } from './rate-limit';
import { renderUser } from './render';
import { loadSeedFile, parseSeed, Seed } from './seed';
import { EmulatorSettingsInput } from './settings';
import { EmulatorState } from './state';
import { EmulatorStats, StatsRecorder } from './stats';

export type LoopbackHost = '127.0.0.1' | '::1' | 'localhost';

export interface EmulatorOptions {
  /** A seed object or the path of a seed JSON file. */
  seed: Seed | string;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: LoopbackHost;
  /** Loaded at start if it exists; rewritten atomically after every change. */
  stateFile?: string;
  rateLimit?: RateLimitOptions;
  /** Overrides the seed's `settings` (docs/emulator-and-assumptions.md), e.g. `profileSettings(EmulatorProfile.CASE_PRESERVING)`. */
  settings?: EmulatorSettingsInput;
  faults?: FaultOptions;
  log?: (line: string) => void;
  /** Segment's "now" when the emulator starts (time then runs on): lines its clock up with a pinned executor clock. @default - the wall clock */
  startsAt?: Date;
}

export interface RunningEmulator {
  url: string;
  port: number;
  state: EmulatorState;
  stop(): Promise<void>;
  stats(): EmulatorStats;
  resetStats(): void;
  setFaults(faults: FaultOptions): void;
  acceptInvites(workspaceId: string, emails: string[]): ReturnType<typeof renderUser>[];
  /** Someone joins through single sign-on, without an invite (setting `ssoProvisioning`). */
  joinViaSso: EmulatorControl['joinViaSso'];
  /** The identity provider removes a member through SCIM (setting `ssoProvisioning`). */
  removeViaScim: EmulatorControl['removeViaScim'];
  advanceClock(ms: number): void;
  /** Adds an audit event as if someone changed the workspace outside the API. */
  recordAuditEvent: EmulatorControl['recordAuditEvent'];
}

const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', '::1', 'localhost'];

export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  // The emulator has unauthenticated admin endpoints: it must never listen beyond this machine.
  if (!LOOPBACK_HOSTS.includes(host)) throw new Error(`The emulator only binds to loopback (127.0.0.1, ::1, localhost), not "${host}".`);

  const seed = typeof options.seed === 'string' ? loadSeedFile(options.seed) : parseSeed(options.seed);
  const clock = options.startsAt ? new EmulatorClock(options.startsAt.getTime() - Date.now()) : undefined;
  const state = EmulatorState.fromSeed(seed, clock, options.settings);
  if (options.stateFile) state.loadFromFile(options.stateFile);
  const limiter = new RateLimiter(options.rateLimit);
  const faults = new FaultInjector(options.faults);
  const stats = new StatsRecorder();
  const persist = () => {
    if (options.stateFile) state.saveToFile(options.stateFile);
  };
  if (options.stateFile) persist();

  const control: EmulatorControl = {
    state,
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    setFaults: (next) => faults.configure(next),
    describeFaults: () => faults.describe(),
    acceptInvites: (workspaceId, emails) => {
      const users = state.acceptInvites(workspaceId, emails).map(renderUser);
      persist();
      return users;
    },
    joinViaSso: (workspaceId, email) => {
      const user = renderUser(state.joinViaSso(workspaceId, email));
      persist();
      return user;
    },
    removeViaScim: (workspaceId, email) => {
      state.removeViaScim(workspaceId, email);
      persist();
    },
    advanceClock: (ms) => {
      state.advanceClock(ms);
      persist();
    },
    recordAuditEvent: (workspaceId, event) => {
      const recorded = state.recordAuditEvent(workspaceId, event);
      persist();
      return recorded;
    },
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const startedAt = Date.now();
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', 'http://emulator.invalid');
    let status: number;
    let body: unknown;
    let headers: Record<string, string> = {};
    try {
      const bodyText = await readRequestText(request);
      if (url.pathname === ADMIN_PREFIX || url.pathname.startsWith(`${ADMIN_PREFIX}/`)) {
        [status, body] = handleAdminRequest(control, {
          method,
          path: url.pathname.slice(ADMIN_PREFIX.length) || '/',
          remoteAddress: request.socket.remoteAddress,
          bodyText,
        });
      } else {
        const reply = await handleSegmentApiRequest(
          { state, limiter, faults, persist },
          {
            method,
            path: url.pathname,
            search: url.search,
            authorization: request.headers.authorization,
            contentType: request.headers['content-type'],
            bodyText,
          },
        );
        stats.record({ method, routeKey: reply.routeKey, workspaceId: reply.workspaceId, status: reply.status });
        ({ status, body, headers } = reply);
      }
    } catch (error) {
      [status, body] = errorResponse(error);
    }
    sendJson(response, status, body, headers);
    options.log?.(`${method} ${url.pathname}${url.search} -> ${status} (${Date.now() - startedAt} ms)`);
  };

  const server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port, address } = server.address() as AddressInfo;
  const urlHost = address.includes(':') ? `[${address}]` : address;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    state,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
    stats: control.stats,
    resetStats: control.resetStats,
    setFaults: control.setFaults,
    acceptInvites: control.acceptInvites,
    joinViaSso: control.joinViaSso,
    removeViaScim: control.removeViaScim,
    advanceClock: control.advanceClock,
    recordAuditEvent: control.recordAuditEvent,
  };
}
