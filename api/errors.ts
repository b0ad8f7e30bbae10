import type { HttpMethod } from './http-method';
import type { SegmentApiErrorDetail } from './schemas';

export type { SegmentApiErrorDetail } from './schemas';

/** Error `type`s the client invents when Segment's own error envelope is missing. */
export const ClientErrorType = {
  /** No response: connection refused or reset, DNS failure, TLS failure. */
  NETWORK: 'network',
  /** No complete response within `timeoutMs`. */
  TIMEOUT: 'timeout',
  /** A non-2xx response whose body is not `{ errors: [...] }` (a proxy's HTML page, say). */
  UNRECOGNISED_BODY: 'unrecognised-error-body',
} as const;

export interface SegmentApiErrorInit {
  readonly message: string;
  /** HTTP status; 0 when no response arrived (network error or timeout). */
  readonly status: number;
  readonly method: HttpMethod;
  /** Path without query string (queries carry emails; keep them out of logs). */
  readonly path: string;
  readonly errors: readonly SegmentApiErrorDetail[];
  /** Whether this kind of failure is worth retrying (429, 5xx, network, timeout). */
  readonly retryable: boolean;
  /** How many requests were sent before giving up. */
  readonly attempts: number;
}

/** A call to the Segment Public API that did not succeed. */
export class SegmentApiError extends Error {
  readonly status: number;
  readonly method: HttpMethod;
  readonly path: string;
  readonly errors: readonly SegmentApiErrorDetail[];
  readonly retryable: boolean;
  readonly attempts: number;

  constructor(init: SegmentApiErrorInit) {
    super(init.message);
    this.name = 'SegmentApiError';
    this.status = init.status;
    this.method = init.method;
    this.path = init.path;
    this.errors = init.errors;
    this.retryable = init.retryable;
    this.attempts = init.attempts;
  }
}

export interface ResponseIssue {
  /** Dotted path into the response body, e.g. `data.users.3.email`. */
  readonly field: string;
  readonly message: string;
}

/** A 2xx response whose body is not what the endpoint promises. Never retried: asking again gives the same answer. */
export class SegmentApiResponseError extends Error {
  constructor(
    readonly method: HttpMethod,
    readonly path: string,
    readonly status: number,
    readonly issues: readonly ResponseIssue[],
  ) {
    super(
      `Segment API ${method} ${path} returned an unexpected response (HTTP ${status}): ` +
        issues.map((issue) => `${issue.field || '(body)'}: ${issue.message}`).join('; '),
    );
    this.name = 'SegmentApiResponseError';
  }
}

/**
 * `POST /invites` met people who are already members or invited: Segment refused the call (409 or 422,
 * it documents neither for this) or skipped them (leaving them out of `emails`). The workspace changed
 * since it was read; reading it again and planning again is the fix.
 */
export class InviteesAlreadyPresentError extends Error {
  constructor(
    readonly emails: readonly string[],
    /** Emails of this call Segment did invite (none when it refused the call). */
    readonly invited: readonly string[],
    readonly status: number,
  ) {
    super(
      `Segment ${invited.length ? 'skipped' : 'refused'} invites for ${emails.join(', ')} (HTTP ${status}): ` +
        'already a member or invited, which the workspace was not when it was read',
    );
    this.name = 'InviteesAlreadyPresentError';
  }
}
