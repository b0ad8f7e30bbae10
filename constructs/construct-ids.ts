import type { Construct } from 'constructs';
import { invalid } from '../model/validation';

/** Longest construct id accepted: ids end up in paths, Terraform names and file names. */
export const MAX_CONSTRUCT_ID_LENGTH = 128;

/**
 * Checks, before a construct is created, that `id` can name a new child of `scope`, so a clash or an
 * empty id is a validation error naming the field and the fix instead of a raw constructs error.
 */
export function assertNewChildId(scope: Construct, id: unknown, kind: string, field = 'id'): void {
  const where = `${kind} "${scope.node.path}/${typeof id === 'string' ? id : ''}"`;
  if (typeof id !== 'string' || id.trim() === '' || id.length > MAX_CONSTRUCT_ID_LENGTH) {
    invalid(where, {
      field,
      received: id,
      allowed: `a construct id: a non-empty string of at most ${MAX_CONSTRUCT_ID_LENGTH} characters, unique within "${scope.node.path}"`,
      fix: `give the ${kind} a short, non-empty id such as "Web".`,
    });
  }
  const existing = scope.node.tryFindChild(id);
  if (existing) {
    invalid(where, {
      field,
      received: id,
      allowed: `an id not yet used in "${scope.node.path}" (already used by "${existing.node.path}", a ${existing.constructor.name})`,
      fix: `give each construct in "${scope.node.path}" its own id: rename one of the two.`,
    });
  }
}
