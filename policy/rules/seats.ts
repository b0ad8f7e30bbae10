import { activeGrants, GuardrailRule, RuleLevel, workspaceLabel } from '../rule';

export const seatLimit: GuardrailRule = {
  id: 'SA-SEAT-001',
  title: 'Declared seats fit the seat limit',
  level: RuleLevel.ERROR,
  suppressible: false,
  why: 'Checklist: "Verify the workspace tier and ensure user limits haven\'t been reached". The executor re-checks live seats before inviting.',
  check: (model) =>
    model.workspaces.flatMap((ws) => {
      const limit = ws.desired.workspace.seatLimit;
      if (limit === null) return [];
      const declared = new Set(activeGrants(ws).map((g) => g.email));
      const retainedOnly = ws.desired.management.retain.filter((e) => !declared.has(e));
      const seats = declared.size + retainedOnly.length;
      if (seats <= limit) return [];
      return [{
        path: ws.path,
        workspaceId: ws.desired.workspace.id,
        message: `${workspaceLabel(ws)} declares ${declared.size} collaborator(s) plus ${retainedOnly.length} retained member(s) = ${seats} seats, above its limit of ${limit}.`,
        fix: 'Remove or expire grants, or raise seatLimit once the extra seats are bought.',
      }];
    }),
};
