import { WorkspaceRole } from '../../model/enums';
import { privilegeRank, samePerson as same, SodRuleId } from '../../model/separation-of-duties';
import { activeGrants, effectiveRole, GuardrailRule, privilegeLabel, RuleLevel, RuleViolation, workspaceLabel } from '../rule';
import type { GrantModel, WorkspaceModel } from '../../constructs/access-model';
import { isImportStatement } from '../placeholders';

// Separation of duties (SOC 2 CC6.2: access is approved before it is granted, by someone other than
// who asked and who receives it). Names are compared as people's mailboxes (see mailboxOf: case, spaces,
// compatibility forms and "+tag" sub-addresses ignored).

function violation(ws: WorkspaceModel, g: GrantModel, message: string, fix: string): RuleViolation {
  return { path: g.path, workspaceId: ws.desired.workspace.id, subject: g.email, message, fix };
}

export const requesterNotGrantee: GuardrailRule = {
  id: SodRuleId.REQUESTER_NOT_GRANTEE,
  title: 'The requester is not the grantee',
  level: RuleLevel.ERROR,
  suppressible: true,
  waivable: true,
  why: 'Separation of duties (SOC 2 CC6.2): access is requested on someone\'s behalf by a person accountable for it, not by the person who gets it.',
  check: (model) =>
    model.workspaces.flatMap((ws) =>
      activeGrants(ws)
        .filter((g) => same(g.audit.requestedBy, g.email))
        .map((g) =>
          violation(
            ws,
            g,
            `${g.email} requested their own ${g.role} access in ${workspaceLabel(ws)}.`,
            'Have the person accountable for the engagement (a manager, the engagement lead) request it and name them in requestedBy.',
          ),
        ),
    ),
};

export const independentApprover: GuardrailRule = {
  id: SodRuleId.INDEPENDENT_APPROVER,
  title: 'A privileged grant is approved by someone who neither asked for it nor receives it',
  level: RuleLevel.ERROR,
  suppressible: true,
  waivable: true,
  why: 'Separation of duties (SOC 2 CC6.2): Owner and Admin access needs an approval independent of the requester and the grantee.',
  check: (model) =>
    model.workspaces.flatMap((ws) =>
      activeGrants(ws).flatMap((g) => {
        const privilege = effectiveRole(g, ws.catalog);
        if (!ws.separationOfDuties.privilegedRoles.includes(privilege)) return [];
        const { approvedBy, requestedBy } = g.audit;
        // What import wrote where nothing was recorded is a statement, not a person (see isImportStatement).
        if (isImportStatement(approvedBy) || isImportStatement(requestedBy)) return [];
        const label = `${privilegeLabel(g, ws.catalog)} grant for ${g.email} in ${workspaceLabel(ws)}`;
        const fix = 'Name in approvedBy someone other than the requester and the grantee (the workspace owner, the security lead) who approved the access.';
        if (!approvedBy) return [violation(ws, g, `${label} has no approver.`, fix)];
        if (same(approvedBy, g.email)) return [violation(ws, g, `${label} is approved by the grantee (${approvedBy}).`, fix)];
        if (same(approvedBy, requestedBy)) return [violation(ws, g, `${label} is approved by its requester (${approvedBy}).`, fix)];
        return [];
      }),
    ),
};

export const raisedOverrideApproved: GuardrailRule = {
  id: SodRuleId.RAISED_OVERRIDE_APPROVED,
  title: 'An environment override that raises the role has its own justification and approver',
  level: RuleLevel.ERROR,
  suppressible: true,
  waivable: true,
  why: 'An approval covers the access it was given for: a higher role in one environment is a new request, with its own reason and approval.',
  check: (model) =>
    model.workspaces.flatMap((ws) =>
      activeGrants(ws).flatMap((g) => {
        const base = g.overrideOf;
        if (!base || isImportStatement(g.environmentOverride)) return [];
        const privilege = effectiveRole(g, ws.catalog);
        if (privilegeRank(privilege) <= privilegeRank(base.role)) return [];
        const ownJustification = base.justification !== undefined && base.justification.trim() !== (base.baseJustification ?? '').trim();
        const missing = [!ownJustification && 'justification', base.approvedBy === undefined && 'approvedBy'].filter((m): m is string => Boolean(m));
        if (!missing.length) return [];
        const raised = `${base.role === WorkspaceRole.CUSTOM ? 'a CUSTOM grant' : base.role} to ${privilegeLabel(g, ws.catalog)}`;
        return [
          violation(
            ws,
            g,
            `The ${ws.desired.workspace.environment} override for ${g.email} in ${workspaceLabel(ws)} raises ${raised} without its own ${missing.join(' and ')}` +
              `${missing.includes('justification') && base.justification !== undefined ? ' (it repeats the shared grant\'s)' : ''}.`,
            `Add ${missing.join(' and ')} to environments.${ws.desired.workspace.environment} (the reason for the higher role, and who approved it), or drop the raise.`,
          ),
        ];
      }),
    ),
};
