import { WorkspaceRole } from '../../model/enums';
import { activeGrants, allGrantBodies, effectiveRole, GuardrailRule, privilegeLabel, RuleLevel, workspaceLabel } from '../rule';

export const ownerNeedsApproval: GuardrailRule = {
  id: 'SA-PRIV-001',
  title: 'OWNER needs an approver, a ticket and a justification',
  level: RuleLevel.ERROR,
  suppressible: false,
  why: 'Checklist: "Owner only when absolutely necessary and explicitly approved". Owners control billing, members, SSO and can delete the workspace.',
  check: (model) =>
    model.workspaces.flatMap((ws) =>
      allGrantBodies(ws)
        .filter(({ grant }) => effectiveRole(grant, ws.catalog) === WorkspaceRole.OWNER)
        .flatMap(({ who, grant }) => {
          const missing = [
            !grant.audit.approvedBy && 'approvedBy',
            !grant.audit.ticket && 'ticket',
            !grant.audit.justification && 'justification',
          ].filter((m): m is string => Boolean(m));
          if (!missing.length) return [];
          return [{
            path: grant.path,
            workspaceId: ws.desired.workspace.id,
            subject: who,
            message: `${privilegeLabel(grant, ws.catalog)} grant for ${who} in ${workspaceLabel(ws)} lacks ${missing.join(', ')}.`,
            fix: `Add ${missing.join(', ')} to the grant (an explicit approval), or use a lower role such as ADMIN.`,
          }];
        }),
    ),
};

export const adminNeedsJustification: GuardrailRule = {
  id: 'SA-PRIV-002',
  title: 'ADMIN needs a justification',
  level: RuleLevel.ERROR,
  suppressible: true,
  why: 'Checklist: "Document business justification for Admin or Owner roles in your IAM tracker".',
  check: (model) =>
    model.workspaces.flatMap((ws) =>
      allGrantBodies(ws)
        .filter(({ grant }) => effectiveRole(grant, ws.catalog) === WorkspaceRole.ADMIN && !grant.audit.justification)
        .map(({ who, grant }) => ({
          path: grant.path,
          workspaceId: ws.desired.workspace.id,
          subject: who,
          message: `${privilegeLabel(grant, ws.catalog)} grant for ${who} in ${workspaceLabel(ws)} has no justification.`,
          fix: 'Add justification: "why this collaborator needs workspace-wide admin", or grant MEMBER with SourceAccess.',
        })),
    ),
};

export const broaderThanSourceAccess: GuardrailRule = {
  id: 'SA-PRIV-003',
  title: 'A grant is no broader than its SourceAccess uses',
  level: RuleLevel.WARNING,
  suppressible: true,
  why: 'Checklist: "Apply the principle of least privilege - start with Member or Read-only and elevate only when necessary".',
  check: (model) =>
    model.workspaces.flatMap((ws) =>
      activeGrants(ws)
        .filter((g) => (g.role === WorkspaceRole.ADMIN || g.role === WorkspaceRole.OWNER) && !g.allSources && (g.sources.length > 0 || g.sourceLabels.length > 0))
        .map((g) => ({
          path: g.path,
          workspaceId: ws.desired.workspace.id,
          subject: g.email,
          message:
            `${g.role} grant for ${g.email} in ${workspaceLabel(ws)} covers every source, but its SourceAccess only names ` +
            `${[...g.sources.map((s) => s.name), ...g.sourceLabels.map((l) => `${l.key}=${l.value}`)].join(', ')}.`,
          fix: 'Grant MEMBER with this SourceAccess instead, or drop the SourceAccess if workspace-wide access is intended.',
        })),
    ),
};
