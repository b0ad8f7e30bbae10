import { z } from 'zod';
import { normalizeEmail } from '../model/canonical';
import { Environment } from '../model/enums';
import { CollaboratorPropsSchema } from '../constructs/segment-collaborator';
import { SourceAccessPropsSchema } from '../constructs/source-access';
import { grantDataFields } from '../constructs/grant-fields';
import { isoDateSchema } from '../constructs/schemas';
import { accessIdSchema, checkUniqueIds, overrideReasonSchema } from '../stacks/access-definition';

/**
 * The access requests file (`access.yaml`): what people ask for, and nothing that governs the tool.
 * Collaborators, their grants, environment overrides and group grants: the same fields, checked by the
 * same zod schemas, as the TypeScript `AccessDefinition` and the constructs. Every object is strict:
 * a key that is not a request (a control setting, a misspelling) is an error, never ignored.
 */

/** The version of the file format this code reads. Bump only on an incompatible change. */
export const ACCESS_REQUESTS_VERSION = 1;

/** What a grant asks for: a role, its audit fields, source narrowing, expiry. No suppressions: they are code. */
const grantRequestFields = {
  ...grantDataFields,
  expiresOn: isoDateSchema.optional().describe('The UTC day the access ends (YYYY-MM-DD); the next deploy after it removes the access.'),
  sourceAccess: z
    .record(accessIdSchema, SourceAccessPropsSchema)
    .optional()
    .describe('Narrows the role to sources (by catalog name, id or label), records destinations, adds warehouses. The key names the entry.'),
};

export const GrantRequestSchema = z.object(grantRequestFields).strict().describe('The grant a collaborator (or group) gets in every environment unless an override says otherwise.');

/** One environment's difference: any grant field, with the reason reviewers read; or no access at all. */
export const EnvironmentOverrideSchema = z
  .object({
    ...z.object(grantRequestFields).partial().shape,
    reason: overrideReasonSchema.describe('Why this environment differs (at least 10 characters): shown in plans and reports.'),
    absent: z.boolean().optional().describe('No access at all in this environment.'),
  })
  .strict();

const environmentOverrides = z
  .partialRecord(z.enum(Environment), EnvironmentOverrideSchema)
  .optional()
  .describe('Per-environment differences, each with a reason. Keys: prod, staging, dev.');

export const CollaboratorRequestSchema = z
  .object({
    id: accessIdSchema.describe('A stable id (construct id): changing it replaces the grant. A letter, then letters, digits, "_" or "-".'),
    ...CollaboratorPropsSchema.shape,
    grant: GrantRequestSchema,
    environments: environmentOverrides,
  })
  .strict();

export const GroupGrantRequestSchema = z
  .object({
    id: accessIdSchema,
    groupName: z.string().trim().min(1, { error: 'the user group name (a non-empty string)' }).describe('The Segment user group, exactly as the identity provider (SCIM) creates it.'),
    grant: GrantRequestSchema,
    environments: environmentOverrides,
  })
  .strict();

/** One entry per email: two grants for one person would be refused at synth, later and less clearly. */
function checkUniqueEmails(requests: { collaborators: { email: string }[] }, ctx: z.RefinementCtx): void {
  const first = new Map<string, number>();
  requests.collaborators.forEach((c, i) => {
    const email = normalizeEmail(c.email);
    const before = first.get(email);
    if (before === undefined) {
      first.set(email, i);
      return;
    }
    ctx.addIssue({
      code: 'custom',
      path: ['collaborators', i, 'email'],
      input: c.email,
      message: `an email used by one collaborator only (already used by collaborators.${before})`,
      params: { fix: 'merge the two entries into one (use environments for per-environment differences).' },
    });
  });
}

export const AccessRequestsSchema = z
  .object({
    version: z.literal(ACCESS_REQUESTS_VERSION).optional().describe('The file format version (1).'),
    collaborators: z.array(CollaboratorRequestSchema).describe('Who gets access, with what grant.'),
    groupGrants: z.array(GroupGrantRequestSchema).optional().describe('Permissions for identity-provider (SCIM) user groups.'),
  })
  .strict()
  .superRefine(checkUniqueIds)
  .superRefine(checkUniqueEmails)
  .describe('segment-access requests: who may do what in the Segment workspaces. Controls (workspaces, tokens, executor, authoritative mode, suppressions) are code, not this file.');
