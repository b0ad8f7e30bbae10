import { SEGMENT_API_ROUTES } from './api-routes';
import { ApiError, notFoundError, toErrorEnvelope, tooManyRequestsError, unauthorizedError } from './errors';
import { FaultInjector, ServerErrorStatus } from './faults';
import { parseJsonBody } from './http-io';
import { QueryParams } from './query';
import { rateLimitHeaders, WriteRateLimiter } from './rate-limit';
import { matchRoute } from './router';
import { EmulatorState } from './state';
import { isWriteMethod } from './stats';

export interface ApiRuntime {
  state: EmulatorState;
  limiter: WriteRateLimiter;
  faults: FaultInjector;
  /** Called after a request changed the state (saves the state file). */
  persist(): void;
}

export interface IncomingApiRequest {
  method: string;
  path: string;
  search: string;
  authorization?: string;
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
 * One Segment API request, in Segment's order: authenticate, rate-limit writes, then
 * route and apply. Injected faults sit where real ones happen: a storm before the
 * limiter, server errors before anything is applied, lost responses after.
 */
export async function handleSegmentApiRequest(runtime: ApiRuntime, request: IncomingApiRequest): Promise<ApiReply> {
  const match = matchRoute(SEGMENT_API_ROUTES, request.method, request.path);
  const routeKey = `${request.method} ${match ? match.route.pattern : '(no route)'}`;
  const headers: Record<string, string> = {};
  const isWrite = isWriteMethod(request.method);
  let workspaceId: string | undefined;
  const reply = (status: number, body: unknown): ApiReply => ({ status, body, headers, routeKey, workspaceId });

  try {
    workspaceId = authenticate(runtime.state, request.authorization);
    const stormDelay = runtime.faults.takeStormRequest();
    if (stormDelay !== undefined) throw tooManyRequestsError(stormDelay);
    if (isWrite) {
      const decision = runtime.limiter.take(workspaceId);
      Object.assign(headers, rateLimitHeaders(decision));
      if (!decision.allowed) throw tooManyRequestsError(decision.msBeforeNext);
    }
    const delay = runtime.faults.delayMs();
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const injectedStatus = runtime.faults.serverErrorStatus();
    if (injectedStatus !== undefined) throw new ApiError(injectedStatus, ...SERVER_FAULTS[injectedStatus]);
    if (!match) throw notFoundError(`No route for ${request.method} ${request.path}.`);
  } catch (error) {
    return reply(...errorResponse(error));
  }

  const revisionBefore = runtime.state.revision;
  let outcome: [number, unknown];
  try {
    const result = match.route.handle({
      state: runtime.state,
      workspaceId,
      params: match.params,
      query: new QueryParams(request.search),
      body: METHODS_WITH_BODY.has(request.method) ? parseJsonBody(request.bodyText) : undefined,
    });
    outcome = [result.status ?? 200, { data: result.data }];
  } catch (error) {
    outcome = errorResponse(error);
  }
  if (runtime.state.revision !== revisionBefore) runtime.persist();
  if (isWrite && runtime.faults.loseResponse()) {
    const lost = new ApiError(502, 'bad-gateway', 'Injected fault: the response was lost after the request was processed.');
    return reply(...errorResponse(lost));
  }
  return reply(...outcome);
}

function authenticate(state: EmulatorState, authorization: string | undefined): string {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  if (!token) throw unauthorizedError('Missing bearer token: send "Authorization: Bearer <token>".');
  const workspaceId = state.workspaceIdForToken(token);
  if (!workspaceId) throw unauthorizedError('The bearer token is not valid for any workspace.');
  return workspaceId;
}

export function errorResponse(error: unknown): [number, unknown] {
  const apiError =
    error instanceof ApiError
      ? error
      : new ApiError(500, 'internal-server-error', `Emulator error: ${(error as Error)?.message ?? String(error)}`);
  return [apiError.status, toErrorEnvelope(apiError)];
}
