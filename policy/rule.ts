import type { AccessModel, GrantModel, GroupGrantModel, WorkspaceModel } from '../constructs/access-model';
import type { GrantBody } from '../model/desired-state';
import { ResourceType, WorkspaceRole } from '../model/enums';
import { SegmentRoleName } from '../model/role-presets';

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
  readonly suppressed: { readonly reason: string; readonly path: string } | null;
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
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

export function workspaceLabel(ws: WorkspaceModel): string {
  return `${ws.desired.workspace.name} (${ws.desired.workspace.id})`;
}

/**
 * The privilege a grant holds, for the least-privilege rules: Workspace Owner is OWNER whatever the
 * preset; a CUSTOM grant with an Admin role on the whole workspace counts as ADMIN.
 */
export function effectiveRole(grant: Pick<GrantBody, 'role' | 'permissions'>): WorkspaceRole {
  if (grant.permissions.some((p) => p.roleName === SegmentRoleName.WORKSPACE_OWNER)) return WorkspaceRole.OWNER;
  if (grant.role !== WorkspaceRole.CUSTOM) return grant.role;
  const workspaceWideAdmin = grant.permissions.some(
    (p) => p.roleName.endsWith(' Admin') && p.resources.some((r) => r.type === ResourceType.WORKSPACE && r.labels.length === 0),
  );
  return workspaceWideAdmin ? WorkspaceRole.ADMIN : WorkspaceRole.CUSTOM;
}

/** How a rule names a grant's privilege: the preset, or what a CUSTOM grant's permissions amount to. */
export function privilegeLabel(grant: Pick<GrantBody, 'role' | 'permissions'>): string {
  const effective = effectiveRole(grant);
  return grant.role === effective ? effective : `${grant.role} (${effective === WorkspaceRole.OWNER ? 'holds Workspace Owner' : 'holds workspace-wide Admin roles'})`;
}
