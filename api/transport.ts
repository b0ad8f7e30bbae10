import type { z } from 'zod';
import { httpFailureMessage, noResponseMessage } from './error-messages';
import {
  ClientErrorType,
  SegmentApiError,
  SegmentApiResponseError,
  type SegmentApiErrorDetail,
  type SegmentApiErrorInit,
} from './errors';
import type { ApiEvent, RetryReason } from './events';
import { isWrite, type HttpMethod } from './http-method';
import type { ResolvedClientOptions } from './options';
import { encodeQuery, type QueryParams } from './query';
import { redactDeep, secretRedactor } from './redact';
import {
  findMsBeforeNext,
  isRetryableStatus,
  MAX_RATE_LIMIT_WAIT_MS,
  msUntilReset,
  rateLimitDelayMs,
  serverErrorDelayMs,
} from './retry';
import { ErrorEnvelopeSchema, SuccessEnvelopeSchema } from './schemas';
import { StatsRecorder } from './stats';
import { RatePacer } from './rate-pacer';

export interface ApiRequest<T> {
  readonly method: HttpMethod;
  /** Path pattern, `{id}` standing for `id`, e.g. `/groups/{id}/users`; also the stats key. */
  readonly route: string;
  readonly id?: string;
  readonly query?: QueryParams;
  readonly body?: unknown;
  /** Schema of the body's `data`. */
  readonly schema: z.ZodType<T>;
  /**
   * Whether to send the request again after a failure that leaves unknown whether it was applied (no
   * response, or a 5xx). False for writes that must be re-read before they are repeated (creates and
   * deletes: see at-most-once.ts). 429s are always retried: Segment applied nothing. @default true
   */
  readonly repeatAfterAmbiguousFailure?: boolean;
  /** Attempts already made by the caller (a repeat after re-reading): they count towards retries and `maxRetries`. @default 0 */
  readonly priorAttempts?: number;
}

type Outcome =
  | { readonly kind: 'response'; readonly status: number; readonly statusText: string; readonly headers: Headers; readonly text: string }
  | { readonly kind: 'network' | 'timeout'; readonly reason: string };

/** A failed attempt, before we know whether it is the last one. */
type Failure = Omit<SegmentApiErrorInit, 'message' | 'attempts'> & {
  readonly messageAfter: (attempts: number) => string;
};

/**
 * The one place that speaks HTTP: sends, paces requests per endpoint, retries, maps errors, validates
 * bodies and counts. Endpoint knowledge lives in SegmentApiClient.
 */
export class ApiTransport {
  readonly stats = new StatsRecorder();
  readonly #token: string; // a private field, so inspecting or serialising the client never shows it
  private readonly redact: (text: string) => string;
  private readonly pacer: RatePacer;

  constructor(private readonly options: Omit<ResolvedClientOptions, 'token'>, token: string) {
    this.#token = token;
    this.redact = secretRedactor(token);
    this.pacer = new RatePacer(options);
  }

  /** Sends the request (with retries) and returns the validated `data` of the response. */
  async request<T>(req: ApiRequest<T>): Promise<T> {
    const path = expandRoute(req.method, req.route, req.id);
    const url = `${this.options.baseUrl}${path}${encodeQuery(req.query ?? {}, this.options.querySyntax)}`;
    const write = isWrite(req.method);
    const maxAttempts = this.options.maxRetries + 1;

    // Segment counts its limits per endpoint (SDK api/iAMUsersApi.ts), so the pacer does too.
    const endpoint = `${req.method} ${req.route}`;
    for (let attempt = 1 + (req.priorAttempts ?? 0); ; attempt += 1) {
      await this.pacer.acquire(endpoint, write, (delayMs, reason) => this.waited({ type: 'rate-wait', method: req.method, path, reason, delayMs }));
      this.stats.recordSend(endpoint, write, attempt > 1);
      const started = this.options.now();
      const outcome = await this.send(req.method, url, req.body);

      if (outcome.kind === 'response') {
        this.stats.recordStatus(outcome.status);
        const durationMs = this.options.now() - started;
        this.emit({ type: 'response', method: req.method, path, status: outcome.status, attempt, durationMs });
        // A 429 is handled by its own wait below; other responses say how many requests the endpoint has left.
        if (outcome.status !== 429) this.holdIfExhausted(endpoint, outcome.headers);
        if (outcome.status >= 200 && outcome.status < 300) return this.parseData(req, path, outcome);
      }

      const failure = this.describeFailure(req.method, path, outcome);
      const unknownOutcome = outcome.kind !== 'response' || outcome.status >= 500;
      if (!failure.retryable || attempt >= maxAttempts || (unknownOutcome && req.repeatAfterAmbiguousFailure === false)) {
        throw new SegmentApiError({ ...failure, message: failure.messageAfter(attempt), attempts: attempt });
      }
      const delayMs = this.retryDelayMs(outcome, attempt);
      // Concurrent requests to a rate-limited endpoint wait as long as this one.
      if (outcome.kind === 'response' && outcome.status === 429) this.pacer.holdUntil(endpoint, this.options.now() + delayMs);
      this.waited({
        type: 'retry',
        method: req.method,
        path,
        reason: retryReason(outcome),
        status: failure.status,
        attempt,
        maxAttempts,
        delayMs,
        message: failure.messageAfter(1),
      });
      if (delayMs > 0) await this.options.sleep(delayMs);
    }
  }

  /** Waits as before a retry, for a caller that re-reads before repeating a write; reported as a retry. */
  async pauseBeforeRepeat(method: HttpMethod, path: string, attempt: number, message: string): Promise<void> {
    const delayMs = serverErrorDelayMs(attempt, this.options.random);
    const maxAttempts = this.options.maxRetries + 1;
    this.waited({ type: 'retry', method, path, reason: 'server-error', status: 0, attempt, maxAttempts, delayMs, message });
    if (delayMs > 0) await this.options.sleep(delayMs);
  }

  get maxAttempts(): number {
    return this.options.maxRetries + 1;
  }

  private async send(method: HttpMethod, url: string, body: unknown): Promise<Outcome> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.#token}`,
      Accept: 'application/json',
      'User-Agent': 'segment-access',
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    try {
      const response = await this.options.fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
      });
      // Reading the body is inside the timeout too: a stalled body is as bad as no answer.
      const text = await response.text();
      return { kind: 'response', status: response.status, statusText: response.statusText, headers: response.headers, text };
    } catch (error) {
      if (controller.signal.aborted) return { kind: 'timeout', reason: `no response within ${this.options.timeoutMs} ms` };
      return { kind: 'network', reason: `could not reach ${new URL(url).origin} (${networkErrorText(error)})` };
    } finally {
      clearTimeout(timer);
    }
  }

  private parseData<T>(req: ApiRequest<T>, path: string, outcome: Outcome & { kind: 'response' }): T {
    const reject = (field: string, message: string): never => {
      throw new SegmentApiResponseError(req.method, path, outcome.status, [{ field, message: this.redact(message) }]);
    };
    const json = parseJson(outcome.text);
    if (json === undefined) {
      return reject('', `expected a JSON body { "data": ... }, got ${outcome.text.trim() ? 'text that is not JSON' : 'an empty body'}`);
    }
    const envelope = SuccessEnvelopeSchema.safeParse(json);
    if (!envelope.success || envelope.data.data === undefined) return reject('data', 'missing');
    const parsed = req.schema.safeParse(envelope.data.data);
    if (parsed.success) return parsed.data;
    const issues = parsed.error.issues.map((issue) => ({
      field: this.redact(['data', ...issue.path.map(String)].join('.')),
      message: this.redact(issue.message),
    }));
    throw new SegmentApiResponseError(req.method, path, outcome.status, issues);
  }

  private describeFailure(method: HttpMethod, path: string, outcome: Outcome): Failure {
    if (outcome.kind !== 'response') {
      const type = outcome.kind === 'timeout' ? ClientErrorType.TIMEOUT : ClientErrorType.NETWORK;
      const reason = this.redact(outcome.reason);
      return {
        status: 0,
        method,
        path,
        errors: [{ type, message: reason }],
        retryable: true,
        messageAfter: (attempts) => noResponseMessage(method, path, reason, attempts),
      };
    }
    const envelope = ErrorEnvelopeSchema.safeParse(parseJson(outcome.text));
    const errors = envelope.success ? (redactDeep(envelope.data.errors, this.redact) as SegmentApiErrorDetail[]) : undefined;
    const contentType = outcome.headers.get('content-type') ?? '';
    const messageAfter = (attempts: number) =>
      this.redact(
        httpFailureMessage({ method, path, status: outcome.status, statusText: outcome.statusText, errors, contentType, body: outcome.text, attempts, tokenName: this.options.tokenName, redact: this.redact }),
      );
    return {
      status: outcome.status,
      method,
      path,
      errors: errors ?? [{ type: ClientErrorType.UNRECOGNISED_BODY, status: outcome.status, message: this.redact(`HTTP ${outcome.status} ${outcome.statusText}`.trim()) }],
      retryable: isRetryableStatus(outcome.status),
      messageAfter,
    };
  }

  private retryDelayMs(outcome: Outcome, attempt: number): number {
    const { now, random } = this.options;
    if (outcome.kind === 'response' && outcome.status === 429) {
      const hints = { msBeforeNext: findMsBeforeNext(parseJson(outcome.text)), resetHeader: outcome.headers.get('x-ratelimit-reset') };
      return rateLimitDelayMs(hints, attempt, now(), random);
    }
    return serverErrorDelayMs(attempt, random);
  }

  /** Segment sends X-RateLimit-Remaining and an RFC 5322 X-RateLimit-Reset on every response (docs "Rate Limits"). */
  private holdIfExhausted(endpoint: string, headers: Headers): void {
    if (headers.get('x-ratelimit-remaining')?.trim() !== '0') return;
    const now = this.options.now();
    const waitMs = msUntilReset(headers.get('x-ratelimit-reset'), now);
    if (waitMs !== undefined && waitMs > 0) this.pacer.holdUntil(endpoint, now + Math.min(waitMs, MAX_RATE_LIMIT_WAIT_MS));
  }

  private waited(event: Extract<ApiEvent, { delayMs: number }>): void {
    this.stats.recordWait(event.delayMs);
    this.emit(event);
  }

  private emit(event: ApiEvent): void {
    this.options.onEvent(event.type === 'retry' ? { ...event, message: this.redact(event.message) } : event);
  }
}

function expandRoute(method: HttpMethod, route: string, id: string | undefined): string {
  if (!route.includes('{id}')) return route;
  // An empty id would silently turn `/users/{id}` into the list endpoint.
  if (typeof id !== 'string' || id.trim() === '') throw new TypeError(`Segment API ${method} ${route} needs a non-empty id`);
  return route.replace('{id}', encodeURIComponent(id));
}

function retryReason(outcome: Outcome): RetryReason {
  if (outcome.kind !== 'response') return outcome.kind;
  return outcome.status === 429 ? 'rate-limited' : 'server-error';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * undici reports "fetch failed" and hides the useful part (ECONNREFUSED ...) in `cause`.
 * Duck-typed: errors from another realm (jest's sandbox) fail `instanceof Error`.
 */
function networkErrorText(error: unknown): string {
  const cause = hasMessage(error) && hasMessage(error.cause) ? error.cause : error;
  if (!hasMessage(cause)) return String(cause);
  const code = typeof cause.code === 'string' ? cause.code : undefined;
  return code && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message;
}

function hasMessage(value: unknown): value is { message: string; cause?: unknown; code?: unknown } {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}
