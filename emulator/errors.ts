/**
 * Errors carried to the client in Segment's envelope `{ errors: [{ type, message, field?, data? }] }`
 * (SDK model/requestError.ts; docs.segmentapis.com "Error Handling").
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly field?: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ErrorEnvelope {
  errors: Array<{ type: string; message: string; field?: string; data?: unknown }>;
}

/**
 * The `type` Segment documents for invalid input; answered with 422 Unprocessable Entity
 * (docs.segmentapis.com "Error Handling" and "Request Validation").
 */
export const INPUT_VALIDATION = 'input-validation';

export function validationError(message: string, field?: string): ApiError {
  return new ApiError(422, INPUT_VALIDATION, message, field);
}

export function notFoundError(message: string, field?: string): ApiError {
  return new ApiError(404, 'not-found', message, field);
}

export function conflictError(message: string, field?: string): ApiError {
  return new ApiError(409, 'conflict', message, field);
}

export function unauthorizedError(message: string): ApiError {
  return new ApiError(401, 'unauthorized', message);
}

/**
 * A feature the workspace's plan does not include. Segment documents no status for this; the
 * emulator answers 403 (an assumption, listed in the README).
 */
export function planFeatureError(feature: string, tier: string): ApiError {
  return new ApiError(
    403,
    'forbidden',
    `${feature} is available on the Business plan only; this workspace is on the ${tier} plan.`,
  );
}

export interface RateLimitData {
  remainingPoints: number;
  msBeforeNext: number;
  consumedPoints: number;
}

/** The 429 body exactly as docs.segmentapis.com "Rate Limits" shows it. */
export function tooManyRequestsError(data: RateLimitData): ApiError {
  return new ApiError(429, 'RequestError', 'Too many requests', undefined, { ...data });
}

export function toErrorEnvelope(error: ApiError): ErrorEnvelope {
  const item: ErrorEnvelope['errors'][number] = { type: error.type, message: error.message };
  if (error.field !== undefined) item.field = error.field;
  if (error.data !== undefined) item.data = error.data;
  return { errors: [item] };
}
