/**
 * What `segment-access import` writes where the Public API cannot say (requester, approver, ticket,
 * justification, why environments differ). SA-AUDIT-001 rejects any field that still holds it, so an
 * imported definition cannot be deployed until people have written the real values.
 */
export const IMPORT_PLACEHOLDER = 'TODO(segment-access import)';

export function isImportPlaceholder(text: string | null | undefined): boolean {
  return typeof text === 'string' && text.includes(IMPORT_PLACEHOLDER);
}

/**
 * What `segment-access import --approval-reference` writes where nothing was recorded: statements that
 * the access predates the code, not people. Built here so the importer and the rules agree on them.
 */
export const IMPORT_STATEMENTS = Object.freeze({
  notRecorded: (day: string) => `not recorded: access granted before segment-access, imported on ${day}`,
  heldWhenImported: (day: string) => `held this role in the live workspace when imported on ${day}`,
  differedWhenImported: (day: string) => `the live workspaces differed like this when imported on ${day}`,
});

const STATEMENT = /^(not recorded: access granted before segment-access, imported on|held this role in the live workspace when imported on|the live workspaces differed like this when imported on) \d{4}-\d{2}-\d{2}$/;

/**
 * An import placeholder (SA-AUDIT-001 rejects it) or an import statement: the separation-of-duties
 * rules do not judge these as people. A pull request that types one for a new grant still fails
 * `approvals verify`, which needs an approver who approved it.
 */
export function isImportStatement(text: string | null | undefined): boolean {
  return isImportPlaceholder(text) || (typeof text === 'string' && STATEMENT.test(text));
}
