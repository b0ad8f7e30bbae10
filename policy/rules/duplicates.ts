import { activeGrants, GuardrailRule, RuleLevel } from '../rule';

export const onePerWorkspace: GuardrailRule = {
  id: 'SA-DUP-001',
  title: 'One grant per email per workspace',
  level: RuleLevel.ERROR,
  suppressible: false,
  why: 'Checklist: "Review the current member list to ensure the collaborator doesn\'t already have access". Two grants for one person leave it unclear which applies.',
  // Within one SegmentWorkspace construct this fails at creation; this catches two declarations of one workspace id.
  check: (model) => {
    const seen = new Map<string, string>();
    const out = [];
    for (const ws of model.workspaces) {
      for (const g of activeGrants(ws)) {
        const key = `${ws.desired.workspace.id}/${g.email}`;
        const first = seen.get(key);
        if (first) {
          out.push({
            path: g.path,
            workspaceId: ws.desired.workspace.id,
            subject: g.email,
            message: `${g.email} is granted twice in workspace ${ws.desired.workspace.id}: at ${first} and at ${g.path}.`,
            fix: 'Keep one grant; merge SourceAccess entries into it.',
          });
        } else seen.set(key, g.path);
      }
    }
    return out;
  },
};
