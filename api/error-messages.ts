import type { HttpMethod } from './http-method';
import type { SegmentApiErrorDetail } from './schemas';

// Messages a human can act on: which call, what Segment said, what to do next.

const SNIPPET_LENGTH = 160;

export interface HttpFailure {
  readonly method: HttpMethod;
  readonly path: string;
  readonly status: number;
  readonly statusText: string;
  /** Segment's error details, or undefined when the body was not an error envelope. */
  readonly errors: readonly SegmentApiErrorDetail[] | undefined;
  readonly contentType: string;
  readonly body: string;
  readonly attempts: number;
  /** Name of the variable the token came from, for 401/403 advice. */
  readonly tokenName: string;
}

export function httpFailureMessage(failure: HttpFailure): string {
  const head = `Segment API ${failure.method} ${failure.path} failed`;
  const explained = failure.errors
    ? `${head} (${failure.status} ${distinctTypes(failure.errors)}): ${failure.errors.map(describeDetail).join('; ')}`
    : `${head} (${[failure.status, failure.statusText].filter(Boolean).join(' ')}): ` +
      describeUnrecognisedBody(failure.contentType, failure.body);
  return explained + authAdvice(failure.status, failure.tokenName) + attemptsNote(failure.attempts);
}

export function noResponseMessage(method: HttpMethod, path: string, reason: string, attempts: number): string {
  return `Segment API ${method} ${path} failed: ${reason}${attemptsNote(attempts)}`;
}

/** A short, single-line excerpt of a body for messages: tags stripped, whitespace collapsed. */
export function bodySnippet(body: string): string {
  const text = body
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > SNIPPET_LENGTH ? `${text.slice(0, SNIPPET_LENGTH - 3)}...` : text;
}

function distinctTypes(errors: readonly SegmentApiErrorDetail[]): string {
  return [...new Set(errors.map((error) => error.type))].join(', ');
}

function describeDetail(detail: SegmentApiErrorDetail): string {
  const text = detail.message ?? detail.type;
  return detail.field ? `${text} [field ${detail.field}]` : text;
}

function describeUnrecognisedBody(contentType: string, body: string): string {
  const snippet = bodySnippet(body);
  const kind = contentType || 'no content type';
  return snippet
    ? `the response was not a Segment error body (${kind}): "${snippet}"`
    : `the response was not a Segment error body (${kind}, empty)`;
}

function authAdvice(status: number, tokenName: string): string {
  if (status === 401) {
    return `. Check that ${tokenName} holds a valid, unexpired Segment Public API token for this workspace`;
  }
  if (status === 403) {
    return (
      `. The token in ${tokenName} is not allowed to do this: check that it belongs to this workspace and has Workspace Owner access, ` +
      'and that the workspace\'s plan has the feature (user groups and the audit trail are Business-plan features)'
    );
  }
  if (status === 422) {
    // docs.segmentapis.com "Error Handling": 422 = "The request contained invalid parameters and was not accepted."
    return '. Segment did not accept the request, so nothing in it was applied: fix the value named above';
  }
  return '';
}

function attemptsNote(attempts: number): string {
  return attempts > 1 ? ` (gave up after ${attempts} attempts)` : '';
}
