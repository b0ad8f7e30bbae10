import { CollaboratorKind } from '../../model/enums';
import { activeGrants, GuardrailRule, RuleLevel, workspaceLabel } from '../rule';

const DAY_MS = 86_400_000;
/** Milliseconds from now to the start of the expiry day; no expiry never ends. */
const msUntilEnd = (expiresOn: string | null, now: Date) => (expiresOn === null ? Infinity : Date.parse(`${expiresOn}T00:00:00Z`) - now.getTime());

export const expiredGrant: GuardrailRule = {
  id: 'SA-EXP-001',
  title: 'Expired grants are revoked',
  level: RuleLevel.WARNING,
  suppressible: false,
  why: 'Checklist: "Rotate access for temporary engagements rather than leaving accounts active indefinitely".',
  check: (model) =>
    model.workspaces.flatMap((ws) =>
      ws.grants
        .filter((g) => g.expired)
        .map((g) => ({
          path: g.path,
          workspaceId: ws.desired.workspace.id,
          subject: g.email,
          message: `Access of ${g.email} to ${workspaceLabel(ws)} ended on ${g.expiresOn}: it is left out of the desired state, so the next deploy revokes it.`,
          fix: 'Remove the grant from the definition, or extend expiresOn with a new approval.',
        })),
    ),
};

export const expiringSoon: GuardrailRule = {
  id: 'SA-EXP-002',
  title: 'Access ending soon is flagged',
  level: RuleLevel.WARNING,
  suppressible: true,
  why: 'Checklist: "Schedule a review date if the access is temporary or project-based".',
  check: (model, options) =>
    model.workspaces.flatMap((ws) =>
      activeGrants(ws)
        .filter((g) => msUntilEnd(g.expiresOn, model.now) <= options.expiryWarningDays * DAY_MS)
        .map((g) => ({
          path: g.path,
          workspaceId: ws.desired.workspace.id,
          subject: g.email,
          message: `Access of ${g.email} to ${workspaceLabel(ws)} ends on ${g.expiresOn}, within ${options.expiryWarningDays} days.`,
          fix: 'Confirm with the requester; extend expiresOn (with approval) or let it lapse.',
        })),
    ),
};

export const timeLimitedPeople: GuardrailRule = {
  id: 'SA-EXP-003',
  title: 'People and contractors have time-limited access',
  level: RuleLevel.WARNING,
  suppressible: true,
  why: 'Checklist: "Define whether access is permanent or time-limited" and "Record any temporary access expiration dates".',
  check: (model, options) =>
    model.workspaces.flatMap((ws) =>
      activeGrants(ws)
        .filter((g) => g.kind !== CollaboratorKind.SERVICE_ACCOUNT)
        .filter((g) => msUntilEnd(g.expiresOn, model.now) > options.maxAccessDays * DAY_MS)
        .map((g) => ({
          path: g.path,
          workspaceId: ws.desired.workspace.id,
          subject: g.email,
          message:
            g.expiresOn === null
              ? `${g.email} (${g.kind}) has no expiry in ${workspaceLabel(ws)}.`
              : `${g.email} (${g.kind}) has access to ${workspaceLabel(ws)} until ${g.expiresOn}, more than ${options.maxAccessDays} days away.`,
          fix: `Set expiresOn within ${options.maxAccessDays} days and renew it at the next review.`,
        })),
    ),
};
