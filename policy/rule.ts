import type { AccessModel, GrantModel, GroupGrantModel, WorkspaceModel } from '../constructs/access-model';
import type { GrantBody } from '../model/desired-state';
import { ResourceType, WorkspaceRole } from '../model/enums';
import { SegmentRoleName } from '../model/role-presets';
import { coversEverySource } from '../model/resolve-grant';
import { normalizeEmail } from '../model/canonical';
import type { WorkspaceCatalog } from '../model/resolve-grant';

export enum RuleLevel {
  /** Stops synth. */
  ERROR = 'error',
  /** Printed at synth and recorded in the reports. */
  WARNING = 'warning',
}

export interface GuardrailOptions {
  /** Mailbox providers a service account may not use. @default PERSONAL_EMAIL_DOMAINS */
  readonly personalEmailDomains?: readonly string[];
  /** App-wide allow-list of collaborator email domains (a workspace's own list takes precedence). @default - any domain */
  readonly allowedEmailDomains?: readonly string[];
  /** Longest time-limited access for a person or contractor, in days. @default 180 */
  readonly maxAccessDays?: number;
  /** Warn when access ends within this many days. @default 14 */
  readonly expiryWarningDays?: number;
}

export type ResolvedGuardrailOptions = Required<Omit<GuardrailOptions, 'allowedEmailDomains'>> & Pick<GuardrailOptions, 'allowedEmailDomains'>;

/** What a rule found, before suppressions: where, what, and how to fix it. */
export interface RuleViolation {
  /** Construct path the finding is attached to (a grant, or a workspace). */
  readonly path: string;
  readonly message: string;
  readonly fix: string;
  readonly workspaceId?: string;
  readonly subject?: string;
}

/** A small pure check with a stable id (cdk-nag style). */
export interface GuardrailRule {
  /** Stable id: used in suppressions and reports. Never reuse one. */
  readonly id: string;
  readonly title: string;
  readonly level: RuleLevel;
  readonly suppressible: boolean;
  /** Answered only by an acknowledgement on the workspace configuration (a control setting's rule). @default false */
  readonly acknowledgeable?: boolean;
  /** A workspace may waive it in code, with a reason (`separationOfDuties.waivers`). @default false */
  readonly waivable?: boolean;
  /** The checklist's reason for the rule. */
  readonly why: string;
  readonly check: (model: AccessModel, options: ResolvedGuardrailOptions) => RuleViolation[];
}

/** A finding as reported: the rule's level and reason, and its suppression if any. */
export interface Finding extends RuleViolation {
  readonly ruleId: string;
  readonly title: string;
  readonly level: RuleLevel;
  readonly why: string;
  /** The suppression that answers it, or (for a control setting's rule) the workspace's acknowledgement. */
  readonly suppressed: { readonly reason: string; readonly path: string; readonly acknowledged?: true } | null;
}

/** Grants still in force (expired ones are already out of the desired state). */
export function activeGrants(ws: WorkspaceModel): GrantModel[] {
  return ws.grants.filter((g) => !g.expired);
}

/** Individual and group grants alike, for the rules that apply to both. */
export function allGrantBodies(ws: WorkspaceModel): { readonly who: string; readonly grant: GrantModel | GroupGrantModel }[] {
  return [
    ...activeGrants(ws).map((g) => ({ who: g.email, grant: g })),
    ...ws.groupGrants.map((g) => ({ who: `group "${g.groupName}"`, grant: g })),
  ];
}

export function emailDomain(email: string): string {
  return normalizeEmail(email.slice(email.lastIndexOf('@') + 1));
}

export function workspaceLabel(ws: WorkspaceModel): string {
  return `${ws.desired.workspace.name} (${ws.desired.workspace.id})`;
}

/**
 * The privilege a grant holds, for the least-privilege rules, judged by the Segment roles it resolves
 * to (a preset override, a CUSTOM grant and label-scoped access alike), never by the preset's name:
 * Workspace Owner anywhere is OWNER; an Admin role over the whole workspace is ADMIN, and so is Source
 * Admin over every source of the catalog, by labels or ids. With `catalog`, label and id coverage is
 * judged against it; without, only roles on the whole workspace are.
 */
export function effectiveRole(grant: Pick<GrantBody, 'role' | 'permissions'>, catalog?: WorkspaceCatalog): WorkspaceRole {
  if (grant.role === WorkspaceRole.OWNER || grant.permissions.some((p) => p.roleName === SegmentRoleName.WORKSPACE_OWNER)) return WorkspaceRole.OWNER;
  if (grant.role === WorkspaceRole.ADMIN) return WorkspaceRole.ADMIN;
  const workspaceWideAdmin = grant.permissions.some(
    (p) => p.roleName.endsWith(' Admin') && p.resources.some((r) => r.type === ResourceType.WORKSPACE && r.labels.length === 0),
  );
  const everySource = catalog !== undefined && coversEverySource(grant.permissions, SegmentRoleName.SOURCE_ADMIN, catalog);
  return workspaceWideAdmin || everySource ? WorkspaceRole.ADMIN : grant.role;
}

/** How a rule names a grant's privilege: the preset, or what its permissions amount to when that is more. */
export function privilegeLabel(grant: Pick<GrantBody, 'role' | 'permissions'>, catalog?: WorkspaceCatalog): string {
  const effective = effectiveRole(grant, catalog);
  return grant.role === effective ? effective : `${grant.role} (${effective === WorkspaceRole.OWNER ? 'holds Workspace Owner' : 'holds workspace-wide Admin roles'})`;
}
