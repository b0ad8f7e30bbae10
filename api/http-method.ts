export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Segment rate-limits writes (60/min) separately from reads; everything but GET is a write. */
export function isWrite(method: HttpMethod): boolean {
  return method !== 'GET';
}
