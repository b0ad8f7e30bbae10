/**
 * What `segment-access import` writes where the Public API cannot say (requester, approver, ticket,
 * justification, why environments differ). SA-AUDIT-001 rejects any field that still holds it, so an
 * imported definition cannot be deployed until people have written the real values.
 */
export const IMPORT_PLACEHOLDER = 'TODO(segment-access import)';

export function isImportPlaceholder(text: string | null | undefined): boolean {
  return typeof text === 'string' && text.includes(IMPORT_PLACEHOLDER);
}
