/** Errors carried to the client in Segment's envelope: `{ errors: [{ type, message, field?, data?, status }] }`. */
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
  errors: Array<{ type: string; message: string; field?: string; data?: unknown; status: number }>;
}

export function validationError(message: string, field?: string): ApiError {
  return new ApiError(400, 'validation', message, field);
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

export function tooManyRequestsError(msBeforeNext: number): ApiError {
  return new ApiError(429, 'too-many-requests', `Too many requests: retry in ${msBeforeNext} ms.`, undefined, {
    msBeforeNext,
  });
}

export function toErrorEnvelope(error: ApiError): ErrorEnvelope {
  const item: ErrorEnvelope['errors'][number] = { type: error.type, message: error.message, status: error.status };
  if (error.field !== undefined) item.field = error.field;
  if (error.data !== undefined) item.data = error.data;
  return { errors: [item] };
}
