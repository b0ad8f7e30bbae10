import { allGrantBodies, GuardrailRule, RuleLevel, workspaceLabel } from '../rule';

export const auditFields: GuardrailRule = {
  id: 'SA-AUDIT-001',
  title: 'Every grant names its ticket and requester',
  level: RuleLevel.ERROR,
  suppressible: false,
  why: 'Checklist: "Log all invitations in your IAM tracker with requester, approver, and date" and the request ticket or approval reference.',
  check: (model) =>
    model.workspaces.flatMap((ws) =>
      allGrantBodies(ws).flatMap(({ who, grant }) => {
        const missing = [!grant.audit.ticket && 'ticket', !grant.audit.requestedBy && 'requestedBy'].filter((m): m is string => Boolean(m));
        if (!missing.length) return [];
        return [{
          path: grant.path,
          workspaceId: ws.desired.workspace.id,
          subject: who,
          message: `Grant for ${who} in ${workspaceLabel(ws)} has no ${missing.join(' and no ')}.`,
          fix: `Add ${missing.join(' and ')} to the grant or to the collaborator.`,
        }];
      }),
    ),
};
