import { SegmentAccessValidationError } from '../../model/validation';

/** Runs `fn`, expects it to throw a SegmentAccessValidationError, and returns that error. */
export function errorOf(fn: () => unknown): SegmentAccessValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SegmentAccessValidationError);
    return e as SegmentAccessValidationError;
  }
  throw new Error('expected a validation error, got none');
}
