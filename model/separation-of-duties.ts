import { WorkspaceRole } from './enums';

/**
 * Separation of duties, as guardrail rules with stable ids (enforced at synth). Auditors read SOC 2
 * CC6.2 as "access is approved before it is granted, by someone other than who asked for it": a grant
 * whose requester, approver and grantee are one person, or a raised override that borrows the shared
 * grant's reasons, approves nothing.
 */
export enum SodRuleId {
  /** The requester is not the grantee. */
  REQUESTER_NOT_GRANTEE = 'SA-SOD-001',
  /** For privileged grants (OWNER, ADMIN, Admin-level CUSTOM) the approver is neither the requester nor the grantee. */
  INDEPENDENT_APPROVER = 'SA-SOD-002',
  /** An environment override that raises the role carries its own justification and approver. */
  RAISED_OVERRIDE_APPROVED = 'SA-SOD-003',
}

/** A rule a workspace does not enforce, with the reason: code, shown in the plan and the inventory. */
export interface SodWaiver {
  readonly ruleId: SodRuleId;
  /** Why (at least 10 characters). */
  readonly reason: string;
}

/** How a workspace applies the separation-of-duties rules (code the platform team owns). */
export interface SeparationOfDuties {
  /**
   * Roles (by the privilege a grant resolves to) whose approver must be neither the requester nor the
   * grantee (SA-SOD-002). @default [WorkspaceRole.OWNER, WorkspaceRole.ADMIN]
   */
  readonly privilegedRoles?: readonly WorkspaceRole[];
  /** Rules this workspace waives, each with a written reason. @default [] */
  readonly waivers?: readonly SodWaiver[];
}

export const DEFAULT_PRIVILEGED_ROLES: readonly WorkspaceRole[] = Object.freeze([WorkspaceRole.OWNER, WorkspaceRole.ADMIN]);

/**
 * How much a role allows, for "does this override raise the role": OWNER > ADMIN > MEMBER >
 * READ_ONLY. A CUSTOM grant that is not Admin-level counts as MEMBER (it may write somewhere), so
 * moving to it from READ_ONLY is a raise.
 */
export function privilegeRank(role: WorkspaceRole): number {
  switch (role) {
    case WorkspaceRole.OWNER:
      return 4;
    case WorkspaceRole.ADMIN:
      return 3;
    case WorkspaceRole.READ_ONLY:
      return 1;
    default:
      return 2;
  }
}

/** The shared grant an environment override changes, as the SA-SOD-003 rule needs it. */
export interface OverriddenGrant {
  /** The privilege of the shared grant (its preset, or what its custom permissions amount to). */
  readonly role: WorkspaceRole;
  /** The override's own justification (undefined when it inherits the shared grant's). */
  readonly justification?: string;
  /** The override's own approver (undefined when it inherits the shared grant's). */
  readonly approvedBy?: string;
  /** The shared grant's justification, so an override that copies it word for word is not "its own". */
  readonly baseJustification?: string;
}

/**
 * The person behind an address, for "is the requester (approver, reviewer) the grantee": compatibility
 * forms folded (NFKC: fullwidth letters are the letters), case and surrounding spaces ignored, and a
 * "+tag" sub-address (RFC 5233) taken as its mailbox's (priya+segment@ reaches priya@). Stricter than
 * matching people in Segment, where a sub-address is another member: here a false "same" only asks for
 * another approver, a false "different" lets someone approve their own access.
 */
export function mailboxOf(address: string): string {
  const folded = address.normalize('NFKC').trim().toLowerCase();
  const at = folded.lastIndexOf('@');
  if (at <= 0) return folded;
  const local = folded.slice(0, at);
  const plus = local.indexOf('+');
  return `${plus > 0 ? local.slice(0, plus) : local}${folded.slice(at)}`;
}

/** Whether two addresses (either may be missing) are one person's, as `mailboxOf` reads them. */
export function samePerson(a: string | null | undefined, b: string | null | undefined): boolean {
  return typeof a === 'string' && typeof b === 'string' && mailboxOf(a) === mailboxOf(b);
}
