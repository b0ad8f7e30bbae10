import { z } from 'zod';
import { errorResponse } from './api-handler';
import { ApiError, notFoundError } from './errors';
import { FaultOptions, faultOptionsSchema } from './faults';
import { parseJsonBody } from './http-io';
import type { AuditEventRecord } from './model';
import { renderUser } from './render';
import { parseRequestBody, requestSchemas } from './request-schemas';
import { matchRoute, Route } from './router';
import { auditEventInputSchema } from './seed';
import { EmulatorState } from './state';
import { EmulatorStats } from './stats';

/** What the admin endpoints may drive; the running emulator implements it. */
export interface EmulatorControl {
  state: EmulatorState;
  stats(): EmulatorStats;
  resetStats(): void;
  setFaults(faults: FaultOptions): void;
  describeFaults(): unknown;
  acceptInvites(workspaceId: string, emails: string[]): ReturnType<typeof renderUser>[];
  /** `ssoProvisioning: just-in-time-and-scim` only. */
  joinViaSso(workspaceId: string, email: string): ReturnType<typeof renderUser>;
  /** `ssoProvisioning: just-in-time-and-scim` only. */
  removeViaScim(workspaceId: string, email: string): void;
  advanceClock(ms: number): void;
  recordAuditEvent(workspaceId: string, event: Omit<AuditEventRecord, 'id' | 'timestamp'> & { timestamp?: string }): AuditEventRecord;
}

interface AdminContext {
  control: EmulatorControl;
  params: Record<string, string>;
  body: unknown;
}

export const ADMIN_PREFIX = '/__emulator';

const clockBody = z.object({ advanceMs: z.number().nonnegative() });
const personBody = z.object({ email: z.string().min(1) }).strict();

const adminRoutes: Route<AdminContext>[] = [
  { method: 'GET', pattern: '/stats', handle: ({ control }) => ({ data: control.stats() }) },
  {
    method: 'POST',
    pattern: '/stats/reset',
    handle: ({ control }) => {
      control.resetStats();
      return { data: { status: 'SUCCESS' } };
    },
  },
  { method: 'GET', pattern: '/state', handle: ({ control }) => ({ data: control.state.dump() }) },
  {
    method: 'POST',
    pattern: '/workspaces/{workspaceId}/invites/accept',
    handle: ({ control, params, body }) => {
      const { emails } = parseRequestBody(requestSchemas(true).emails, body);
      return { data: { users: control.acceptInvites(params.workspaceId, emails) } };
    },
  },
  {
    method: 'POST',
    pattern: '/workspaces/{workspaceId}/sso/join',
    handle: ({ control, params, body }) => ({ status: 201, data: { user: control.joinViaSso(params.workspaceId, parseRequestBody(personBody, body).email) } }),
  },
  {
    method: 'POST',
    pattern: '/workspaces/{workspaceId}/scim/remove',
    handle: ({ control, params, body }) => {
      control.removeViaScim(params.workspaceId, parseRequestBody(personBody, body).email);
      return { data: { status: 'SUCCESS' } };
    },
  },
  {
    method: 'POST',
    pattern: '/workspaces/{workspaceId}/audit-events',
    handle: ({ control, params, body }) => {
      const event = parseRequestBody(auditEventInputSchema, body); // an event made "outside this code"
      const timestamp = event.timestamp === undefined ? undefined : new Date(event.timestamp).toISOString();
      return { status: 201, data: { event: control.recordAuditEvent(params.workspaceId, { ...event, timestamp }) } };
    },
  },
  {
    method: 'POST',
    pattern: '/clock',
    handle: ({ control, body }) => {
      control.advanceClock(parseRequestBody(clockBody, body).advanceMs);
      return { data: { now: control.state.clock.nowIso(), offsetMs: control.state.clock.offsetMs } };
    },
  },
  { method: 'GET', pattern: '/faults', handle: ({ control }) => ({ data: { faults: control.describeFaults() } }) },
  {
    method: 'POST',
    pattern: '/faults',
    handle: ({ control, body }) => {
      control.setFaults(parseRequestBody(faultOptionsSchema, body ?? {}));
      return { data: { faults: control.describeFaults() } };
    },
  },
];

export interface AdminRequest {
  method: string;
  /** Path below ADMIN_PREFIX. */
  path: string;
  remoteAddress?: string;
  bodyText: string;
}

/** Emulator controls outside Segment's API: unauthenticated, so only answered over loopback. */
export function handleAdminRequest(control: EmulatorControl, request: AdminRequest): [number, unknown] {
  try {
    if (!isLoopback(request.remoteAddress)) {
      throw new ApiError(403, 'forbidden', 'Emulator admin endpoints only answer loopback clients.');
    }
    const match = matchRoute(adminRoutes, request.method, request.path);
    if (!match) throw notFoundError(`No emulator admin route for ${request.method} ${ADMIN_PREFIX}${request.path}.`);
    const body = request.method === 'POST' ? parseJsonBody(request.bodyText) : undefined;
    const result = match.route.handle({ control, params: match.params, body });
    return [result.status ?? 200, { data: result.data }];
  } catch (error) {
    return errorResponse(error);
  }
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}
