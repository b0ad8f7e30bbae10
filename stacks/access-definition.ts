import { z } from 'zod';
import { Environment, WorkspaceRole } from '../model/enums';
import type { OverriddenGrant } from '../model/separation-of-duties';
import { SegmentRoleName } from '../model/role-presets';
import type { SegmentCollaboratorProps } from '../constructs/segment-collaborator';
import type { SegmentWorkspaceProps } from '../constructs/segment-workspace-props';
import type { WorkspaceGrantOptions } from '../constructs/workspace-grant';
import type { Suppression } from '../policy/suppressions';

/**
 * The grant a collaborator (or group) gets in every environment unless an override says otherwise.
 * Name sources by catalog NAME in `sourceAccess`, so one definition fits every environment's workspace.
 */
export interface GrantDefinition extends Omit<WorkspaceGrantOptions, 'collaborator' | 'environmentOverride'> {
  /** Guardrail rules that do not apply to this grant, each with a written reason. @default [] */
  readonly suppressions?: Suppression[];
}

/** An explicit, reviewable difference in one environment. */
export interface EnvironmentOverride extends Partial<GrantDefinition> {
  /** Why this environment differs: shown in plans, reports and the access matrix. */
  readonly reason: string;
  /** No access at all in this environment. @default false */
  readonly absent?: boolean;
}

export interface CollaboratorAccess extends SegmentCollaboratorProps {
  /** Construct id in every stack. Construct ids are API: changing one replaces the grant's resources. */
  readonly id: string;
  readonly grant: GrantDefinition;
  /** Per-environment overrides. @default - the same grant everywhere */
  readonly environments?: Partial<Record<Environment, EnvironmentOverride>>;
}

export interface GroupAccess {
  /** Construct id in every stack. */
  readonly id: string;
  /** The IdP-managed Segment user group. */
  readonly groupName: string;
  readonly grant: GrantDefinition;
  /** @default - the same grant everywhere */
  readonly environments?: Partial<Record<Environment, EnvironmentOverride>>;
}

/** ONE access definition from which every environment's stack is built. */
export interface AccessDefinition {
  /** The workspace of each environment. */
  readonly workspaces: Partial<Record<Environment, SegmentWorkspaceProps>>;
  readonly collaborators: CollaboratorAccess[];
  /** Group grants for SCIM workspaces. @default [] */
  readonly groupGrants?: GroupAccess[];
}

/** Why an environment differs: read by reviewers in plans and reports. */
export const overrideReasonSchema = z.string().trim().min(10, { error: 'a reason of at least 10 characters' });

const overrideSchema = z.object({ reason: overrideReasonSchema, absent: z.boolean().optional() });

/** A collaborator's or group grant's id: it names constructs in every stack. */
export const accessIdSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,127}$/, { error: 'a construct id: a letter, then letters, digits, "_" or "-" (at most 128 characters)' });

/**
 * Collaborator ids name constructs in the stack and, like group grant ids, grants in the workspace:
 * each must be used once.
 */
export function checkUniqueIds(definition: { collaborators: { id: string }[]; groupGrants?: { id: string }[] }, ctx: z.RefinementCtx): void {
  const firstUse = new Map<string, string>();
  const entries = [
    ...definition.collaborators.map((c, i) => ({ id: c.id, path: ['collaborators', i, 'id'] })),
    ...(definition.groupGrants ?? []).map((g, i) => ({ id: g.id, path: ['groupGrants', i, 'id'] })),
  ];
  for (const entry of entries) {
    const first = firstUse.get(entry.id);
    if (first === undefined) {
      firstUse.set(entry.id, entry.path.slice(0, 2).join('.'));
      continue;
    }
    ctx.addIssue({
      code: 'custom',
      path: entry.path,
      input: entry.id,
      message: `an id used by one collaborator or group grant only (already used by ${first})`,
      params: { fix: 'give every collaborator and group grant its own id (construct ids are API: keep the existing one, rename the new one).' },
    });
  }
}

/** Only the definition's own shape; constructs validate the props they receive. */
export const AccessDefinitionShape = z
  // Only a check: the stacks read the definition itself, never this schema's output. So the other keys
  // of an entry, a grant or an override are left to the constructs that take them (which refuse a
  // misspelt prop) and not copied here: `.loose()` would copy every object of the definition, per stack.
  .object({
    workspaces: z.partialRecord(z.enum(Environment), z.object({})),
    collaborators: z.array(z.object({ id: accessIdSchema, grant: z.object({}), environments: z.partialRecord(z.enum(Environment), overrideSchema).optional() })),
    groupGrants: z
      // strict: nothing else of a group entry reaches a construct that would notice a misspelt key.
      .array(z.object({ id: accessIdSchema, groupName: z.string(), grant: z.object({}), environments: z.partialRecord(z.enum(Environment), overrideSchema).optional() }).strict())
      .optional(),
  })
  // A misspelt top-level key (`groupGrant`) would otherwise drop its grants without a word.
  .strict()
  .superRefine(checkUniqueIds);

/**
 * The privilege a shared grant asks for, read from the request alone (no catalog): its preset, or for a
 * CUSTOM grant, OWNER when it names Workspace Owner and ADMIN when it names an Admin role on the whole
 * workspace. Coverage by labels or every source id is judged at synth, on the resolved grant.
 */
export function requestedPrivilege(grant: Pick<GrantDefinition, 'role' | 'customPermissions'>): WorkspaceRole {
  if (grant.role !== WorkspaceRole.CUSTOM) return grant.role;
  const custom = grant.customPermissions ?? [];
  if (custom.some((p) => p.role === SegmentRoleName.WORKSPACE_OWNER)) return WorkspaceRole.OWNER;
  if (custom.some((p) => p.role.endsWith(' Admin') && p.workspace === true)) return WorkspaceRole.ADMIN;
  return WorkspaceRole.CUSTOM;
}

/**
 * The grant for one environment: the shared one with the override applied, or undefined when absent.
 * An override also says what it overrides (`overrideOf`): the shared grant's privilege, and which
 * justification and approver the override gives itself (SA-SOD-003 judges a raised role by them).
 */
export function grantFor(
  base: GrantDefinition,
  overrides: Partial<Record<Environment, EnvironmentOverride>> | undefined,
  environment: Environment,
): (GrantDefinition & { readonly overrideReason?: string; readonly overrideOf?: OverriddenGrant }) | undefined {
  const override = overrides?.[environment];
  if (!override) return base;
  if (override.absent) return undefined;
  const { reason, absent: _absent, ...changes } = override;
  const overrideOf: OverriddenGrant = {
    role: requestedPrivilege(base),
    ...(changes.justification !== undefined ? { justification: changes.justification } : {}),
    ...(changes.approvedBy !== undefined ? { approvedBy: changes.approvedBy } : {}),
    ...(base.justification !== undefined ? { baseJustification: base.justification } : {}),
  };
  return { ...base, ...changes, overrideReason: reason, overrideOf };
}
