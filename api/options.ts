import { normaliseBaseUrl } from './base-url';
import type { ApiEvent } from './events';
/** "The number of items to retrieve in a page, between 1 and 1000" (SDK model/paginationInput.ts, v73). */
export const MAX_PAGE_SIZE = 1000;
/** "If pagination is optional and not provided, the count will default to 200" (docs.segmentapis.com "Pagination"). */
export const DEFAULT_PAGE_SIZE = 200;
import type { QuerySyntax } from './query';

export interface SegmentApiClientOptions {
  /** Public API token; it belongs to exactly one workspace. Never logged. */
  readonly token: string;
  /** e.g. from `resolveBaseUrl`. */
  readonly baseUrl: string;
  /** Per request, including reading the body. @default 30000 */
  readonly timeoutMs?: number;
  /** Retries after the first attempt, for 429, 5xx, network errors and timeouts. @default 6 */
  readonly maxRetries?: number;
  /** At most this many writes per endpoint per `windowMs` (Segment allows each IAM write endpoint 60 a minute). @default 60 */
  readonly writesPerWindow?: number;
  /** @default 60000 */
  readonly windowMs?: number;
  /**
   * `pagination.count` for list calls, 1-1000. The default is Segment's own default page (200),
   * which every list endpoint accepts; larger pages mean fewer reads where Segment allows them. @default 200
   */
  readonly pageSize?: number;
  /** Injected in tests to record waits instead of sleeping. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). @default Math.random */
  readonly random?: () => number;
  /** Clock in epoch ms, for rate-limit resets and write pacing. @default Date.now */
  readonly now?: () => number;
  /** Retries, waits and responses, for progress logs. */
  readonly onEvent?: (event: ApiEvent) => void;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Name of the variable the token came from, used in 401/403 advice. @default 'PUBLIC_API_TOKEN' */
  readonly tokenName?: string;
  /** @default 'dotted' */
  readonly querySyntax?: QuerySyntax;
}

export type ResolvedClientOptions = Required<SegmentApiClientOptions>;

export function resolveClientOptions(options: SegmentApiClientOptions): ResolvedClientOptions {
  checkToken(options.token, options.tokenName ?? 'PUBLIC_API_TOKEN');
  const resolved: ResolvedClientOptions = {
    token: options.token,
    baseUrl: normaliseBaseUrl(options.baseUrl),
    timeoutMs: options.timeoutMs ?? 30_000,
    maxRetries: options.maxRetries ?? 6,
    writesPerWindow: options.writesPerWindow ?? 60,
    windowMs: options.windowMs ?? 60_000,
    pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    random: options.random ?? Math.random,
    now: options.now ?? Date.now,
    onEvent: options.onEvent ?? (() => undefined),
    fetch: options.fetch ?? globalThis.fetch,
    tokenName: options.tokenName ?? 'PUBLIC_API_TOKEN',
    querySyntax: options.querySyntax ?? 'dotted',
  };
  requireInteger('timeoutMs', resolved.timeoutMs, 1);
  requireInteger('maxRetries', resolved.maxRetries, 0);
  requireInteger('writesPerWindow', resolved.writesPerWindow, 1);
  requireInteger('windowMs', resolved.windowMs, 0);
  requireInteger('pageSize', resolved.pageSize, 1, MAX_PAGE_SIZE);
  return resolved;
}

/** Fails early with a message that names the variable, never the value. */
function checkToken(token: unknown, tokenName: string): void {
  if (typeof token !== 'string' || token.trim() === '') {
    throw new Error(`No Segment Public API token: set ${tokenName} to a token for this workspace`);
  }
  // fetch would reject such a header with an error that quotes it, token included.
  if (/[\s\u0000-\u001f\u007f]/.test(token)) {
    throw new Error(`The Segment Public API token in ${tokenName} contains whitespace or control characters; copy it again`);
  }
}

function requireInteger(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `between ${min} and ${max}`;
    throw new Error(`SegmentApiClient option ${name} must be an integer ${range}, got ${value}`);
  }
}
