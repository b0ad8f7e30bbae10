import { SEGMENT_API_ROUTES } from './api-routes';
import type { AuditActor } from './audit-trail';
import { ApiError, notFoundError, toErrorEnvelope, tooManyRequestsError, unauthorizedError, validationError } from './errors';
import { FaultInjector, ServerErrorStatus } from './faults';
import { parseJsonBody } from './http-io';
import { QueryParams } from './query';
import { rateLimitHeaders, RateLimiter } from './rate-limit';
import { requestSchemas } from './request-schemas';
import { responseVariant } from './response-variants';
import { matchRoute } from './router';
import { EmulatorState } from './state';
import { isWriteMethod } from './stats';

export interface ApiRuntime {
  state: EmulatorState;
  limiter: RateLimiter;
  faults: FaultInjector;
  /** Called after a request changed the state (saves the state file). */
  persist(): void;
}

export interface IncomingApiRequest {
  method: string;
  path: string;
  search: string;
  authorization?: string;
  contentType?: string;
  bodyText: string;
}

export interface ApiReply {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  /** "METHOD /pattern" for stats; "(no route)" when nothing matched. */
  routeKey: string;
  workspaceId?: string;
}

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

const SERVER_FAULTS: Record<ServerErrorStatus, [type: string, message: string]> = {
  500: ['internal-server-error', 'Injected fault: internal server error; nothing was applied.'],
  502: ['bad-gateway', 'Injected fault: bad gateway; nothing was applied.'],
  503: ['service-unavailable', 'Injected fault: service unavailable; nothing was applied.'],
};

/**
 * One Segment API request, in Segment's order: authenticate, rate-limit per endpoint (reads and
 * writes, each response carrying the X-RateLimit-* headers), then route and apply. Injected faults
 * sit where real ones happen: a storm at the limiter, server errors before anything is applied,
 * lost responses after.
 */
export async function handleSegmentApiRequest(runtime: ApiRuntime, request: IncomingApiRequest): Promise<ApiReply> {
  const { state } = runtime;
  const strict = state.settings.strict;
  const match = matchRoute(SEGMENT_API_ROUTES, request.method, request.path);
  const routeKey = `${request.method} ${match ? match.route.pattern : '(no route)'}`;
  const headers: Record<string, string> = {};
  const isWrite = isWriteMethod(request.method);
  let workspaceId: string | undefined;
  let actor: AuditActor | undefined;
  const reply = (status: number, body: unknown): ApiReply => ({ status, body: responseVariant(body, state.settings), headers, routeKey, workspaceId });

  try {
    ({ workspaceId, actor } = authenticate(state, request.authorization, strict));
    // A storm answers 429 whatever the limiter says, and uses up none of its points.
    const stormDelay = runtime.faults.takeStormRequest();
    if (stormDelay !== undefined) {
      Object.assign(headers, rateLimitHeaders({ consumed: 0, remaining: 0, resetAtMs: Date.now() + stormDelay }));
      throw tooManyRequestsError({ remainingPoints: 0, msBeforeNext: stormDelay, consumedPoints: 0 });
    }
    const decision = runtime.limiter.take(workspaceId, routeKey, isWrite);
    Object.assign(headers, rateLimitHeaders(decision));
    if (!decision.allowed) {
      throw tooManyRequestsError({ remainingPoints: 0, msBeforeNext: decision.msBeforeNext, consumedPoints: decision.consumed });
    }
    const delay = runtime.faults.delayMs();
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const injectedStatus = runtime.faults.serverErrorStatus();
    if (injectedStatus !== undefined) throw new ApiError(injectedStatus, ...SERVER_FAULTS[injectedStatus]);
    if (!match) throw notFoundError(`No route for ${request.method} ${request.path}.`);
    if (strict && METHODS_WITH_BODY.has(request.method) && !/^application\/json\b/i.test(request.contentType ?? '')) {
      throw validationError(`A ${request.method} body must be sent with Content-Type: application/json.`);
    }
  } catch (error) {
    return reply(...errorResponse(error));
  }

  const revisionBefore = state.revision;
  let outcome: [number, unknown];
  try {
    const result = match.route.handle({
      state,
      workspaceId,
      actor,
      schemas: requestSchemas(strict),
      params: match.params,
      query: new QueryParams(request.search, strict),
      body: METHODS_WITH_BODY.has(request.method) ? parseJsonBody(request.bodyText) : undefined,
    });
    outcome = [result.status ?? 200, { data: result.data }];
  } catch (error) {
    outcome = errorResponse(error);
  }
  if (state.revision !== revisionBefore) runtime.persist();
  if (isWrite && runtime.faults.loseResponse(routeKey, outcome[0] < 300)) {
    const lost = new ApiError(502, 'bad-gateway', 'Injected fault: the response was lost after the request was processed.');
    return reply(...errorResponse(lost));
  }
  return reply(...outcome);
}

/** docs.segmentapis.com "Authentication": `Authorization: Bearer <token>`; strict mode takes the scheme as written. */
function authenticate(state: EmulatorState, authorization: string | undefined, strict: boolean): { workspaceId: string; actor: AuditActor } {
  const token = (strict ? /^Bearer (\S+)$/ : /^Bearer\s+(\S+)\s*$/i).exec(authorization ?? '')?.[1];
  if (!token) throw unauthorizedError('Missing bearer token: send "Authorization: Bearer <token>".');
  const workspaceId = state.workspaceIdForToken(token);
  const actor = state.actorForToken(token);
  if (!workspaceId || !actor) throw unauthorizedError('The bearer token is not valid for any workspace.');
  return { workspaceId, actor };
}

export function errorResponse(error: unknown): [number, unknown] {
  const apiError =
    error instanceof ApiError
      ? error
      : new ApiError(500, 'internal-server-error', `Emulator error: ${(error as Error)?.message ?? String(error)}`);
  return [apiError.status, toErrorEnvelope(apiError)];
}
