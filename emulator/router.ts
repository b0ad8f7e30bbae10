import type { AuditActor } from './audit-trail';
import { EmulatorState } from './state';
import { QueryParams } from './query';
import type { BodySchemas } from './request-schemas';

export interface RouteContext {
  state: EmulatorState;
  workspaceId: string;
  /** Who the audit trail names for this call (the token's actor). */
  actor: AuditActor;
  /** Body schemas, strict or lenient as the emulator is configured. */
  schemas: BodySchemas;
  params: Record<string, string>;
  query: QueryParams;
  /** Parsed JSON body, undefined when there was none. */
  body: unknown;
}

export interface RouteResult {
  status?: number;
  data: unknown;
}

export interface Route<Context = RouteContext> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path with `{param}` segments, named as in Segment's SDK; also the key for stats. */
  pattern: string;
  handle(context: Context): RouteResult;
}

export interface RouteMatch<Context> {
  route: Route<Context>;
  params: Record<string, string>;
}

export function matchRoute<Context>(
  routes: readonly Route<Context>[],
  method: string,
  path: string,
): RouteMatch<Context> | undefined {
  const segments = splitPath(path);
  for (const route of routes) {
    if (route.method !== method) continue;
    const params = matchSegments(splitPath(route.pattern), segments);
    if (params) return { route, params };
  }
  return undefined;
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let index = 0; index < pattern.length; index++) {
    const expected = pattern[index];
    if (expected.startsWith('{') && expected.endsWith('}')) {
      let value: string;
      try {
        value = decodeURIComponent(actual[index]);
      } catch {
        return undefined;
      }
      params[expected.slice(1, -1)] = value;
    } else if (expected !== actual[index]) {
      return undefined;
    }
  }
  return params;
}
