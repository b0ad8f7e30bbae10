import { ErrorTypes } from './behaviours';
import { INPUT_VALIDATION } from './errors';
import type { EmulatorSettings } from './settings';

/** The field `extraResponseFields` adds to every object of a response: no v73 model has it. */
export const EXTRA_FIELD = 'emulatorFutureField';

/** Error types Segment documents (docs.segmentapis.com "Error Handling", "Rate Limits"): kept under every setting. */
const DOCUMENTED_ERROR_TYPES: readonly string[] = [INPUT_VALIDATION, 'RequestError'];

/**
 * A response body as a later API version might send it: every object with a field the client has never
 * seen (`extraResponseFields`), undocumented error types renamed (`errorTypes: unfamiliar`). The status
 * stays what Segment documents, so a client acting on statuses is unaffected.
 */
export function responseVariant(body: unknown, settings: Pick<EmulatorSettings, 'extraResponseFields' | 'errorTypes'>): unknown {
  let result = body;
  if (settings.errorTypes === ErrorTypes.UNFAMILIAR) result = renameErrorTypes(result);
  if (settings.extraResponseFields) result = addFields(result);
  return result;
}

function renameErrorTypes(body: unknown): unknown {
  if (!isRecord(body) || !Array.isArray(body.errors)) return body;
  return {
    ...body,
    errors: body.errors.map((error) =>
      isRecord(error) && typeof error.type === 'string' && !DOCUMENTED_ERROR_TYPES.includes(error.type) ? { ...error, type: `unfamiliar-${error.type}` } : error,
    ),
  };
}

function addFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(addFields);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) out[key] = addFields(inner);
  out[EXTRA_FIELD] = { since: 'a later API version' };
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
